import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { newsInput, unitId, actorByEmail } from '../../test/support/content.ts';
import { dialects } from '../../test/support/databases.ts';
import { parseJargon } from './jargon.ts';
import { createItem } from './service.ts';

describe('the word list', () => {
  it('reads one "ord = i stedet" per line and names a line that does not fit', () => {
    expect(parseJargon('boligenhed = bolig\n\n  i henhold til =  efter ')).toEqual([
      { word: 'boligenhed', instead: 'bolig' },
      { word: 'i henhold til', instead: 'efter' },
    ]);
    expect(() => parseJargon('boligenhed = bolig\nforanstaltning')).toThrow();
    try {
      parseJargon('boligenhed = bolig\nforanstaltning');
    } catch (error) {
      expect((error as { fields: Record<string, string> }).fields.jargon).toContain('Linje 2');
    }
  });
});

describe.each(dialects)('keeping the plain-language word list (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('a lead of an editor group changes the list, and the editor gives hints from it', async () => {
    const web = new Browser(t.app);
    await web.signIn(DEMO.web);
    await web.get('/admin/klarsprog');
    const saved = await web.post('/admin/klarsprog', { jargon: 'zeppelinerhangar = luftskibshal' });
    expect(saved.statusCode).toBe(303);
    const actor = await actorByEmail(t.db, DEMO.web);
    const { id } = await createItem(t.db, actor, 'news', newsInput(await unitId(t.db, 'kommunikation'), { body: 'Vi bygger en zeppelinerhangar ved havnen.' }));
    const page = await web.get(`/admin/indhold/${id}`);
    expect(page.body).toContain('luftskibshal');
    const log = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.jargon_updated').execute();
    expect(log).toHaveLength(1);
  });

  it('a line that does not fit is refused with its number, and what was typed stays', async () => {
    const web = new Browser(t.app);
    await web.signIn(DEMO.web);
    await web.get('/admin/klarsprog');
    const res = await web.post('/admin/klarsprog', { jargon: 'boligenhed = bolig\nforanstaltning' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Linje 2 skal have formen');
    expect(res.body).toContain('foranstaltning</textarea>');
  });

  it('an editor who leads no editor group is refused', async () => {
    const school = new Browser(t.app);
    await school.signIn(DEMO.school);
    expect((await school.get('/admin/klarsprog')).statusCode).toBe(403);
  });
});
