import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { spreadsheetTime } from '../mustreads/model.ts';
import type { Actor } from '../org/actor.ts';
import { showDateTime } from '../platform/time.ts';
import { actorFor } from '../signin/actors.ts';
import { type FacebookContractServer, startFacebookContractServer } from '../social/testing/facebook-server.ts';
import { removeItem } from './moderation.ts';
import { type ConnectedPage, connectDemoFacebook } from './removal-test-support.ts';
import { replyToItem } from './service.ts';

// The duty to take notes: for every removal made through the service, every field the issue names — the text, the
// author's name and handle, the time, the thread around it, the network's link, the guideline point applied, who
// decided and when — is on the record's page, in the CSV and in the JSON.

/** A semicolon-separated file with quoted cells that may hold semicolons, quotes and line breaks. */
function parseCsv(body: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const text = body.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

interface JsonRecord {
  id: string;
  text: string;
  author: { name: string; handle: string | null };
  writtenAt: string;
  networkUrl: string | null;
  thread: { post: { text: string } | null; comments: { authorName: string; text: string }[]; replies: { text: string }[] };
  guideline: string;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

describe.each(dialects)('every removal record is complete on its page, in the CSV and in the JSON (%s)', (dialect) => {
  let t: TestApp;
  let fb: FacebookContractServer;
  let page: ConnectedPage;
  const made: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    fb = await startFacebookContractServer();
    page = await connectDemoFacebook(t, fb);
    const person = async (email: string): Promise<Actor> => actorFor(t.db, await t.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirstOrThrow(), null);
    const sofie = await person(DEMO.social);
    const owner = await person(DEMO.owner);
    const ctx = t.app.ctx.social;
    // Four removals of different kinds: hide and delete, with and without a handle, with our reply in the thread,
    // by two people, one where the network failed first.
    const calm = await page.comment('Lone Bach', 'Hvornår bliver der ryddet sne på Storegade?', { minutesAgo: 40 });
    await replyToItem(ctx, sofie, calm, { text: 'Vi rydder Storegade i dag inden kl. 12.' });
    const rude = await page.comment('Tom Berg', 'I er nogle fucking idioter på rådhuset.', { handle: 'tom.berg.9', minutesAgo: 30 });
    const spam = await page.comment('Solbriller ApS', 'Køb billige solbriller nu! 80 % rabat på www.solbriller-tilbud.example', { minutesAgo: 20 });
    const cpr = await page.comment('Ib Lund', 'Min nabo har CPR 010203-4321 og skylder mig penge.', { handle: 'ib.lund', minutesAgo: 10 });
    for (const [id, actor, input] of [
      [rude, sofie, { action: 'hide', guideline: 'kraenkende', reason: 'Grove skældsord mod medarbejderne.' }],
      [spam, owner, { action: 'delete', guideline: 'spam', reason: 'Reklame uden forbindelse til opslaget.' }],
      [cpr, sofie, { action: 'delete', guideline: 'personsager', reason: 'Andres personnummer i en offentlig kommentar.' }],
    ] as const) {
      const result = await removeItem(ctx, actor, id, input);
      expect(result.carriedOut).toBe(true);
      made.push(result.recordId);
    }
    await page.unreachable(true);
    const failed = await removeItem(ctx, sofie, calm, { action: 'hide', guideline: 'kraenkende', reason: 'Prøve: netværket svarer ikke.' });
    await page.unreachable(false);
    expect(failed.carriedOut).toBe(false);
    made.push(failed.recordId);
  });
  afterAll(async () => {
    await fb?.close();
    await t?.close();
  });

  /** What each record must show, from the item as it was and the people who decided. */
  async function expected() {
    const rows = await t.db
      .selectFrom('removal_records as r')
      .innerJoin('inbox_items as i', 'i.id', 'r.item_id')
      .innerJoin('people as p', 'p.id', 'r.decided_by')
      .select(['r.id', 'i.text', 'i.author_name', 'i.author_handle', 'i.written_at', 'i.url', 'r.guideline', 'r.reason', 'p.name as decider', 'r.decided_at'])
      .where('r.id', 'in', made)
      .execute();
    expect(rows.map((r) => r.id).sort()).toEqual([...made].sort());
    return rows.map((r) => ({ ...r, maskedText: r.text.replace('010203-4321', '010203-****') }));
  }
  const others = (authorOf: string) => ['Lone Bach', 'Tom Berg', 'Solbriller ApS', 'Ib Lund'].filter((a) => a !== authorOf);

  it('the record page shows the text, author and handle, time, thread, link, guideline point, who and when', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.social);
    for (const r of await expected()) {
      const res = await b.get(`/admin/indbakke/fjernet/${r.id}`);
      expect(res.statusCode).toBe(200);
      const $ = cheerio.load(res.body);
      const facts = $('dl.mh-facts').text();
      const main = $('main').text();
      expect(main, r.id).toContain(r.maskedText);
      expect(facts).toContain(r.author_name);
      if (r.author_handle) expect(facts).toContain(r.author_handle);
      expect(facts).toContain(showDateTime(r.written_at));
      expect($(`dl.mh-facts a[href="${r.url}"]`).length).toBe(1);
      expect(facts).toContain(r.guideline);
      expect(facts).toContain(r.reason);
      expect(facts).toContain(r.decider);
      expect(facts).toContain(showDateTime(r.decided_at));
      expect(main).toContain(page.postText);
      const thread = $('ol[aria-labelledby="traad"]').text();
      for (const other of others(r.author_name)) expect(thread, `${r.author_name}: ${other}`).toContain(other);
    }
  });

  it('the CSV has every field of every record', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.social);
    const rows = parseCsv((await b.get('/admin/indbakke/fjernet.csv')).body);
    for (const r of await expected()) {
      const row = rows.find((x) => x['Notat-id'] === r.id)!;
      expect(row, r.id).toBeDefined();
      expect(row.Tekst).toBe(r.maskedText);
      expect(row.Forfatter).toBe(r.author_name);
      expect(row['Forfatterens brugernavn']).toBe(r.author_handle ?? '');
      expect(row.Skrevet).toBe(spreadsheetTime(r.written_at));
      expect(row['Link på netværket']).toBe(r.url);
      expect(row.Tråd).toContain(page.postText);
      for (const other of others(r.author_name)) expect(row.Tråd).toContain(other);
      expect(row['Punkt i retningslinjerne']).toBe(r.guideline);
      expect(row.Begrundelse).toBe(r.reason);
      expect(row['Besluttet af']).toBe(r.decider);
      expect(row.Besluttet).toBe(spreadsheetTime(r.decided_at));
    }
  });

  it('the JSON has every field of every record', async () => {
    const b = new Browser(t.app);
    await b.signIn(DEMO.social);
    const { records } = JSON.parse((await b.get('/admin/indbakke/fjernet.json')).body) as { records: JsonRecord[] };
    for (const r of await expected()) {
      const j = records.find((x) => x.id === r.id)!;
      expect(j, r.id).toBeDefined();
      expect(j.text).toBe(r.maskedText);
      expect(j.author).toEqual({ name: r.author_name, handle: r.author_handle });
      expect(j.writtenAt).toBe(r.written_at);
      expect(j.networkUrl).toBe(r.url);
      expect(j.thread.post?.text).toBe(page.postText);
      expect(j.thread.comments.map((c) => c.authorName)).toEqual(expect.arrayContaining(others(r.author_name)));
      expect(j.guideline).toBe(r.guideline);
      expect(j.reason).toBe(r.reason);
      expect(j.decidedBy).toBe(r.decider);
      expect(j.decidedAt).toBe(r.decided_at);
    }
    // Our own answer in the thread is kept with the comment it answered.
    const calm = records.find((x) => x.author.name === 'Lone Bach')!;
    expect(calm.thread.replies.map((x) => x.text)).toEqual(['Vi rydder Storegade i dag inden kl. 12.']);
  });
});
