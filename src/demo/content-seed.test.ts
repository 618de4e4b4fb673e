import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { lix } from '../content/lix.ts';
import { markdownToPlainText } from '../content/markdown.ts';
import { PUBLISH_SCHEDULED_JOB, parseContent, workflowFacts } from '../content/service.ts';
import * as store from '../content/store.ts';
import { ITEM_TYPES } from '../content/types.ts';
import { refusal } from '../content/workflow.ts';
import { verifyAuditChain } from '../platform/audit/service.ts';
import { localDate } from '../platform/time.ts';
import { seedDemoContent } from './content-seed.ts';
import { seedDemo } from './seed.ts';

describe.each(dialects)('the demo content (%s)', (dialect) => {
  let t: TestDatabase;
  const seededAt = new Date();

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
  });
  afterAll(async () => t.destroy());

  const items = () => t.db.selectFrom('items').selectAll().execute();
  const actionsOn = async (id: string) =>
    t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('object_type', '=', 'item').where('object_id', '=', id).orderBy('seq').execute();

  it('has every type of content, with the service pages for citizens and businesses', async () => {
    const all = await items();
    expect([...new Set(all.map((i) => i.type))].sort()).toEqual([...ITEM_TYPES].sort());
    const pages = all.filter((i) => i.type === 'page').map((i) => i.title);
    for (const title of ['Flytning', 'Pas', 'Affald', 'Byggetilladelse', 'Parkeringslicens', 'Skolestart']) expect(pages).toContain(title);
    const sections = await t.db.selectFrom('live_placements').innerJoin('items', 'items.id', 'live_placements.item_id').select(['items.type', 'live_placements.target']).where('items.type', '=', 'page').execute();
    expect(sections.filter((s) => s.target === 'erhverv')).toHaveLength(2);
    expect(all.filter((i) => i.type === 'selfservice')).toHaveLength(6);
    // Six on the main channels, three more on the demo's subsites, and the intranet's own (src/demo/intranet-news-seed.ts, must-reads).
    expect(all.filter((i) => i.type === 'news').length).toBeGreaterThanOrEqual(9);
    expect(all.filter((i) => i.type === 'news').map((i) => i.title)).toEqual(expect.arrayContaining(['Ny aftale om ledernes løn og arbejdstid', 'Legestuen flytter til Bevtoft Forsamlingshus']));
    // Four on the website, two more on the intranet.
    expect(all.filter((i) => i.type === 'event')).toHaveLength(6);
    expect(all.filter((i) => i.type === 'leader_module')).toHaveLength(3);
  });

  it('every live item has live placements, and intranet items their audiences', async () => {
    const live = (await items()).filter((i) => i.live_revision !== null);
    expect(live.length).toBeGreaterThan(20);
    for (const item of live) {
      const content = parseContent((await store.findRevision(t.db, item.id, item.live_revision!))!.content);
      const placements = await t.db.selectFrom('live_placements').select('channel').where('item_id', '=', item.id).execute();
      expect(placements.map((p) => p.channel).sort(), item.title).toEqual([...new Set(content.placements.map((p) => p.channel))].sort());
      if (content.placements.some((p) => p.channel === 'intranet')) {
        expect(await t.db.selectFrom('live_audiences').select('kind').where('item_id', '=', item.id).execute(), item.title).not.toHaveLength(0);
      }
    }
    const audiences = await t.db.selectFrom('live_audiences').select(['kind', 'value']).execute();
    const dagplejen = (await t.db.selectFrom('units').select('id').where('slug', '=', 'dagplejen').executeTakeFirstOrThrow()).id;
    expect(audiences).toEqual(expect.arrayContaining([{ kind: 'everyone', value: '' }, { kind: 'role', value: 'manager' }, { kind: 'unit', value: dagplejen }]));
  });

  it('what is published went through submit, approval by another editor and publish', async () => {
    const published = (await items()).filter((i) => i.live_revision !== null && i.emergency_by === null);
    for (const item of published) {
      const actions = await actionsOn(item.id);
      const creator = actions.find((a) => a.action === 'item.created')!.actor_id;
      const approver = actions.find((a) => a.action === 'item.approve')?.actor_id;
      expect(actions.map((a) => a.action), item.title).toEqual(expect.arrayContaining(['item.created', 'item.submit', 'item.approve', 'item.publish']));
      expect(approver, item.title).not.toBe(creator);
    }
    const events = await t.db.selectFrom('outbox').select('event_type').where('event_type', '=', 'item.published').execute();
    expect(events.length).toBe((await items()).filter((i) => i.live_revision !== null).length);
  });

  it('shows every corner of the workflow: drafts, one waiting for Line, one planned, one hasty, one outdated, one changed since publishing', async () => {
    const all = await items();
    expect(all.filter((i) => i.state === 'draft' && i.live_revision === null).length).toBeGreaterThanOrEqual(2);
    const alert = all.find((i) => i.type === 'alert')!;
    expect(alert).toMatchObject({ state: 'draft', live_revision: null });

    const waiting = all.filter((i) => i.state === 'in_review');
    expect(waiting).toHaveLength(1);
    const intra = await actorByEmail(t.db, 'intra@demo.mediehus.dk');
    expect(refusal('approve', await workflowFacts(t.db, intra, waiting[0]!))).toBeNull();

    const planned = all.filter((i) => i.state === 'scheduled');
    expect(planned).toHaveLength(1);
    const days = (new Date(planned[0]!.publish_at!).getTime() - seededAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(6);
    expect(days).toBeLessThan(8);
    expect(await t.db.selectFrom('jobs').select('id').where('name', '=', PUBLISH_SCHEDULED_JOB).execute()).toHaveLength(1);

    const hasty = all.filter((i) => i.not_reviewed === 1);
    expect(hasty).toHaveLength(1);
    expect(hasty[0]).toMatchObject({ state: 'published', emergency_reason: expect.any(String) });

    const outdated = await store.outdatedItems(t.db, localDate());
    expect(outdated.map((i) => i.title)).toEqual(['Parkeringslicens']);

    const changed = all.filter((i) => i.live_revision !== null && i.latest_revision > i.live_revision);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ state: 'draft', title: 'Byrådet har vedtaget budget 2027', edition_start: changed[0]!.latest_revision });
    expect((await store.revisionsOf(t.db, changed[0]!.id)).map((r) => r.change_note)).toEqual(['Rettet beløbet til cykelstier', 'Oprettet']);
  });

  it('events lie in the coming weeks, in Copenhagen time, with a place', async () => {
    const today = localDate(seededAt);
    for (const item of (await items()).filter((i) => i.type === 'event')) {
      const fields = parseContent((await store.findRevision(t.db, item.id, item.latest_revision))!.content).fields as { startsAt: string; endsAt: string; place: string };
      expect(fields.startsAt.slice(0, 10) > today, item.title).toBe(true);
      expect(fields.startsAt.slice(0, 10) <= localDate(new Date(seededAt.getTime() + 42 * 86_400_000))).toBe(true);
      expect(fields.endsAt > fields.startsAt).toBe(true);
      expect(fields.place).toMatch(/\d{4} Tønder$/);
    }
  });

  it('reads plainly: LIX under 40 for every text', async () => {
    for (const item of await items()) {
      const c = parseContent((await store.findRevision(t.db, item.id, item.latest_revision))!.content);
      const text = [c.title, c.summary, markdownToPlainText(c.body)].join('\n\n');
      expect(lix(text).score, item.title).toBeLessThan(40);
    }
  });

  it('keeps the audit chain whole', async () => {
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, problem: null });
  });

  it('seeding again adds nothing', async () => {
    const count = async (table: 'items' | 'revisions' | 'audit_log' | 'outbox' | 'live_placements') =>
      Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('items'), await count('revisions'), await count('audit_log'), await count('outbox'), await count('live_placements')];
    expect(await seedDemo(t.db)).toBe(false);
    expect(await seedDemoContent(t.db)).toBe(false);
    expect([await count('items'), await count('revisions'), await count('audit_log'), await count('outbox'), await count('live_placements')]).toEqual(before);
  });
});
