import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import type { Actor } from '../org/actor.ts';
import { verifyAuditChain } from '../platform/audit/service.ts';
import type { AppError } from '../platform/errors.ts';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { createItem, EditConflictError, restoreRevision, saveItem, transition } from './service.ts';
import * as store from './store.ts';

const meta = (baseRevision: number, changeNote = 'Rettet') => ({ baseRevision, changeNote, major: false });

describe.each(dialects)('the editorial workflow (%s)', (dialect) => {
  let t: TestDatabase;
  let web: Actor, intra: Actor, owner: Actor, employee: Actor, social: Actor;
  let kom: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    const as = (key: string) => actorByEmail(t.db, `${key}@demo.mediehus.dk`);
    [web, intra, owner, employee, social] = [await as('web'), await as('intra'), await as('ejer'), await as('medarbejder'), await as('some')];
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t.destroy());

  const refusedWith = async (p: Promise<unknown>) => {
    const error = (await p.then(() => null, (e: unknown) => e)) as AppError | null;
    return error ? error.status : 'allowed';
  };

  it('write → submit → another editor approves → publish: the live edition and its placements appear, with events and audit entries', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    expect(await transition(t.db, web, id, 'submit')).toBe('in_review');
    expect(await refusedWith(transition(t.db, web, id, 'approve'))).toBe(403);
    expect(await transition(t.db, intra, id, 'approve')).toBe('approved');
    expect(await transition(t.db, intra, id, 'publish')).toBe('published');
    const item = (await store.findItem(t.db, id))!;
    expect(item.live_revision).toBe(1);
    const live = await t.db.selectFrom('live_placements').selectAll().where('item_id', '=', id).execute();
    expect(live.map((p) => `${p.channel}:${p.target}`)).toEqual(['website:nyheder']);
    const events = await t.db.selectFrom('outbox').select('event_type').where('object_id', '=', id).orderBy('created_at').execute();
    expect(events.map((e) => e.event_type)).toEqual(['item.created', 'item.submit', 'item.approve', 'item.published']);
    const actions = await t.db.selectFrom('audit_log').select('action').where('object_id', '=', id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['item.created', 'item.submit', 'item.approve', 'item.publish']);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('editing a published item changes nothing live until the new edition is published', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Ny titel' }), meta(1));
    const item = (await store.findItem(t.db, id))!;
    expect(item).toMatchObject({ state: 'draft', live_revision: 1, latest_revision: 2, edition_start: 2 });
    // intra approved edition 1 but did not write edition 2, so may approve it.
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await transition(t.db, intra, id, 'publish');
    expect((await store.findItem(t.db, id))!.live_revision).toBe(2);
  });

  it('an author never approves their own edition, even after someone else also wrote in it', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    await saveItem(t.db, intra, id, newsInput(kom, { summary: 'Rettet af Line' }), meta(1));
    await transition(t.db, web, id, 'submit');
    expect(await refusedWith(transition(t.db, intra, id, 'approve'))).toBe(403);
    expect(await refusedWith(transition(t.db, web, id, 'approve'))).toBe(403);
    expect(await refusedWith(transition(t.db, intra, id, 'send_back', { comment: 'x' }))).toBe(403);
  });

  it('sending back needs a comment and returns the item to draft', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    await transition(t.db, web, id, 'submit');
    expect(await refusedWith(transition(t.db, intra, id, 'send_back', { comment: ' ' }))).toBe(400);
    expect(await transition(t.db, intra, id, 'send_back', { comment: 'Tilføj åbningstiderne.' })).toBe('draft');
    expect((await store.findItem(t.db, id))!.review_comment).toBe('Tilføj åbningstiderne.');
  });

  it('a change after approval takes the item back to draft', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Ændret efter godkendelse' }), meta(1));
    expect((await store.findItem(t.db, id))!).toMatchObject({ state: 'draft', approved_by: null });
  });

  it('emergency publishing needs a reason and leaves a "not reviewed" mark that only someone else can clear', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    expect(await refusedWith(transition(t.db, web, id, 'emergency_publish', {}))).toBe(400);
    expect(await transition(t.db, web, id, 'emergency_publish', { reason: 'Vandforsyningen er afbrudt i Tønder by.' })).toBe('published');
    expect((await store.findItem(t.db, id))!.not_reviewed).toBe(1);
    expect(await refusedWith(transition(t.db, web, id, 'mark_reviewed'))).toBe(403);
    await transition(t.db, intra, id, 'mark_reviewed');
    expect((await store.findItem(t.db, id))!.not_reviewed).toBe(0);
  });

  it('people without the channel right are refused every step', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    expect(await refusedWith(createItem(t.db, employee, 'news', newsInput(kom)))).toBe(403);
    expect(await refusedWith(saveItem(t.db, social, id, newsInput(kom), meta(1)))).toBe(403);
    expect(await refusedWith(transition(t.db, social, id, 'submit'))).toBe(403);
    await transition(t.db, web, id, 'submit');
    expect(await refusedWith(transition(t.db, social, id, 'approve'))).toBe(403);
    expect(await refusedWith(transition(t.db, owner, id, 'approve'))).toBe(403);
  });

  it('placing in a channel needs the edit right there', async () => {
    const input = newsInput(kom, { placements: [{ channel: 'website', section: 'nyheder' }, { channel: 'social', accountId: 'facebook', text: 'Ny genbrugsplads!' }] });
    expect(await refusedWith(createItem(t.db, web, 'news', input))).toBe(400);
  });

  it('a placement in a channel one may not place in travels along untouched, and changing it is refused', async () => {
    const app = await actorByEmail(t.db, 'app@demo.mediehus.dk');
    const placed = (section: string) => [{ channel: 'website', section }, { channel: 'app', section: 'nyheder' }];
    const { id } = await createItem(t.db, intra, 'news', newsInput(kom, { placements: placed('nyheder') }));
    expect(await refusedWith(saveItem(t.db, app, id, newsInput(kom, { placements: placed('borger') }), meta(1)))).toBe(400);
    await saveItem(t.db, app, id, newsInput(kom, { title: 'Kun titlen er ændret', placements: placed('nyheder') }), meta(1));
    expect((await store.findItem(t.db, id))!.title).toBe('Kun titlen er ændret');
  });

  it('steps in the wrong state answer 409', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    expect(await refusedWith(transition(t.db, intra, id, 'approve'))).toBe(409);
    expect(await refusedWith(transition(t.db, intra, id, 'publish'))).toBe(409);
    expect(await refusedWith(transition(t.db, intra, id, 'unpublish', { reason: 'error' }))).toBe(409);
  });

  it('an item whose image lacks alt text cannot be published', async () => {
    const media = 'm-' + Math.random().toString(36).slice(2);
    await t.db.insertInto('media').values({ id: media, original_name: 'plads.jpg', mime: 'image/jpeg', bytes: 1, width: 1, height: 1, alt: '', renditions: '[]', uploaded_by: null, created_at: new Date().toISOString() }).execute();
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { images: [{ mediaId: media, alt: '' }] }));
    await transition(t.db, web, id, 'submit');
    await transition(t.db, intra, id, 'approve');
    const error = (await transition(t.db, intra, id, 'publish').catch((e: unknown) => e)) as AppError;
    expect(error.status).toBe(400);
    expect(error.fields.images).toContain('alternativ tekst');
  });

  it('unpublishing records why; "replaced" needs a live replacement and "withdrawn" an explanation', async () => {
    const publish = async (title: string) => {
      const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title }));
      await transition(t.db, web, id, 'emergency_publish', { reason: 'Test' });
      return id;
    };
    const a = await publish('Gammel side om affald');
    const b = await publish('Ny side om affald');
    expect(await refusedWith(transition(t.db, web, a, 'unpublish', { reason: 'withdrawn' }))).toBe(400);
    expect(await refusedWith(transition(t.db, web, a, 'unpublish', { reason: 'replaced', replacedBy: a }))).toBe(400);
    expect(await transition(t.db, web, a, 'unpublish', { reason: 'replaced', replacedBy: b })).toBe('archived');
    const item = (await store.findItem(t.db, a))!;
    expect(item).toMatchObject({ live_revision: null, unpublish_reason: 'replaced', replaced_by: b });
    expect(await t.db.selectFrom('live_placements').select('item_id').where('item_id', '=', a).execute()).toEqual([]);
  });

  it('saving on top of a newer revision is refused with both versions', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom));
    await saveItem(t.db, intra, id, newsInput(kom, { title: 'Lines version' }), meta(1));
    const error = (await saveItem(t.db, web, id, newsInput(kom, { title: 'Jonas’ version' }), meta(1)).catch((e: unknown) => e)) as EditConflictError;
    expect(error).toBeInstanceOf(EditConflictError);
    expect(error.status).toBe(409);
    expect(error.theirs).toMatchObject({ number: 2, authorName: 'Line Kjær', content: { title: 'Lines version' } });
    expect(error.mine.title).toBe('Jonas’ version');
    expect((await store.findItem(t.db, id))!.latest_revision).toBe(2);
  });

  it('restoring an old revision makes it the newest draft and keeps every revision', async () => {
    const { id } = await createItem(t.db, web, 'news', newsInput(kom, { title: 'Første' }));
    await saveItem(t.db, web, id, newsInput(kom, { title: 'Anden' }), meta(1));
    await restoreRevision(t.db, web, id, 1, 2);
    const revisions = await store.revisionsOf(t.db, id);
    expect(revisions.map((r) => r.number)).toEqual([3, 2, 1]);
    expect((await store.findItem(t.db, id))!.title).toBe('Første');
  });

  it('bad fields are refused together, each with a Danish message, and nothing is written', async () => {
    const before = await t.db.selectFrom('items').select('id').execute();
    const error = (await createItem(t.db, web, 'event', newsInput(kom, { title: '', fields: { startsAt: '2026-12-01T10:00', endsAt: '2026-12-01T09:00', place: '' } })).catch((e: unknown) => e)) as AppError;
    expect(error.fields).toMatchObject({ title: 'Skriv en titel.', 'fields.endsAt': 'Arrangementet skal slutte efter det begynder.' });
    expect((await t.db.selectFrom('items').select('id').execute()).length).toBe(before.length);
  });
});
