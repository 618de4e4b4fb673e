import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import type { SocialContext } from '../social/context.ts';
import { feedComments } from '../social/providers/facebook-webhook.ts';
import type { IncomingItem } from '../social/providers/types.ts';
import type { ContractServer } from '../social/testing/contract.ts';
import { startFacebookContractServer } from '../social/testing/facebook-server.ts';
import { connectedAccount, plannedPosts, sendUntilDone, testSocialContext } from '../social/testing/harness.ts';
import { ingestItems } from './ingest.ts';
import { pollAccount } from './poll.ts';
import { activeRules, currentRuleSet } from './rules-store.ts';

// What ingesting means for an editor: each comment once, sorted by the guidelines with the reason shown, questions
// on a clock that runs in business hours, and every reply in its thread under the post it belongs to.

const cph = (local: string) => new Date(`${local}+01:00`);

function item(over: Partial<IncomingItem> & { externalId: string }): IncomingItem {
  return { parentExternalId: 'post-1', rootExternalId: 'post-1', authorName: 'Mette Jensen', authorHandle: null, text: 'Tak for info.', createdAt: new Date(), url: null, hidden: false, ...over };
}

describe.each(dialects)('comments coming into the inbox (%s)', (dialect) => {
  let database: TestDatabase;
  let ctx: SocialContext;
  let facebook: ContractServer;
  let refs: { unitId: string; groupId: string; authorId: string };

  beforeAll(async () => {
    database = await createSeededDatabase(dialect);
    ctx = testSocialContext(database.db);
    facebook = await startFacebookContractServer();
    const unit = await database.db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
    const group = await database.db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
    const author = await database.db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirstOrThrow();
    refs = { unitId: unit.id, groupId: group.id, authorId: author.id };
  });

  afterAll(async () => {
    await facebook?.close();
    await database?.destroy();
  });

  const account = async () => {
    const a = await connectedAccount(ctx, facebook, { unitId: refs.unitId, groupId: refs.groupId });
    return { ...a, business_hours: null };
  };
  const rowsOf = (accountId: string) => database.db.selectFrom('inbox_items').selectAll().where('account_id', '=', accountId).orderBy('written_at').execute();

  it('the same comment brought by the webhook and by polling is one row in the inbox', async () => {
    const a = await account();
    const [postId] = await plannedPosts(ctx, a.id, refs.authorId, ['Vinterens snerydning starter mandag.']);
    await sendUntilDone(ctx, [a.id]);
    const ours = await database.db.selectFrom('social_posts').select('external_id').where('id', '=', postId!).executeTakeFirstOrThrow();
    const commentId = facebook.addIncoming(a.externalId, { postId: ours.external_id!, authorName: 'Ole Nielsen', text: 'Hvornår bliver Vestergade ryddet?' });

    const webhook = feedComments({
      object: 'page',
      entry: [{ id: a.externalId, time: 1, changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', comment_id: commentId, post_id: ours.external_id, message: 'Hvornår bliver Vestergade ryddet?', created_time: Math.floor(Date.now() / 1000), from: { id: '42', name: 'Ole Nielsen' } } }] }],
    });
    expect((await ingestItems(database.db, a, webhook.map((c) => c.item))).added).toBe(1);
    const polled = await pollAccount(ctx, a.id);
    expect(polled).toMatchObject({ added: 0, known: 1, error: null });
    expect((await ingestItems(database.db, a, webhook.map((c) => c.item))).known).toBe(1);

    const rows = await rowsOf(a.id);
    expect(rows.map((r) => r.external_id)).toEqual([commentId]);
    expect(await database.db.selectFrom('inbox_item_categories').select('category').where('item_id', '=', rows[0]!.id).execute()).toEqual([{ category: 'question' }]);
  });

  it('a page that brings a known comment and a new one twice stores the new one once, with its categories once', async () => {
    const a = await account();
    const known = item({ externalId: `c-${newId()}`, text: 'Hvornår åbner genbrugspladsen?' });
    expect((await ingestItems(database.db, a, [known])).added).toBe(1);
    const fresh = item({ externalId: `c-${newId()}`, text: 'Flot arbejde med den nye legeplads.' });
    const result = await ingestItems(database.db, a, [known, fresh, fresh]);
    expect(result).toMatchObject({ added: 1, known: 2 });
    const rows = await rowsOf(a.id);
    expect(rows.map((r) => r.text).sort()).toEqual(['Flot arbejde med den nye legeplads.', 'Hvornår åbner genbrugspladsen?']);
    const freshRow = rows.find((r) => r.external_id === fresh.externalId)!;
    expect(result.ids).toEqual([freshRow.id]);
    expect(await database.db.selectFrom('inbox_item_categories').select('category').where('item_id', '=', freshRow.id).execute()).toEqual([{ category: 'ok' }]);
  });

  it('each comment is stored with its categories and the rule and words that put it there', async () => {
    const a = await account();
    await ingestItems(database.db, a, [
      item({ externalId: 'c-cpr', text: 'Mit cpr er 120385-1234, kan I se på min sag?' }),
      item({ externalId: 'c-ok', text: 'Det er for dårligt, at svømmehallen lukker i hele juli.' }),
      item({ externalId: 'c-spam', text: 'Tjen penge hjemmefra! Se www.hurtige-penge.example nu' }),
    ]);
    const rows = new Map((await rowsOf(a.id)).map((r) => [r.external_id, r]));
    const casework = rows.get('c-cpr')!;
    expect(JSON.parse(casework.categories)).toContain('casework');
    const reasons = JSON.parse(casework.reasons) as { category: string; ruleId: string; label: string; matches: string[] }[];
    expect(reasons.find((r) => r.ruleId === 'sag-eget-cpr')).toMatchObject({ category: 'casework', label: 'CPR-nummer (egen sag)' });
    // The reason shows the words as written, with the CPR number's last four digits hidden.
    expect(JSON.stringify(reasons)).not.toContain('1234');
    expect(JSON.parse(rows.get('c-ok')!.categories)).toEqual(['ok']);
    expect(JSON.parse(rows.get('c-ok')!.reasons)).toEqual([]);
    expect(JSON.parse(rows.get('c-spam')!.categories)).toContain('spam');
    const categoryRows = await database.db.selectFrom('inbox_item_categories').select(['category', 'state', 'account_id']).where('item_id', '=', casework.id).execute();
    expect(categoryRows.map((r) => r.category).sort()).toEqual([...JSON.parse(casework.categories)].sort());
    expect(categoryRows.every((r) => r.state === 'open' && r.account_id === a.id)).toBe(true);
  });

  it('a question on Friday evening is due on Monday, four business hours after opening; other comments have no deadline', async () => {
    const a = await account();
    const friday = cph('2026-11-27T19:30:00');
    await ingestItems(
      database.db,
      a,
      [item({ externalId: 'q-fri', text: 'Hvornår åbner genbrugspladsen i Toftlund?', createdAt: friday }), item({ externalId: 'ok-fri', text: 'Flot arbejde med cykelstien!', createdAt: friday })],
      { now: new Date(friday.getTime() + 60_000) },
    );
    const rows = new Map((await rowsOf(a.id)).map((r) => [r.external_id, r]));
    expect(JSON.parse(rows.get('q-fri')!.categories)).toEqual(['question']);
    expect(new Date(rows.get('q-fri')!.answer_due_at!)).toEqual(cph('2026-11-30T12:00:00'));
    expect(rows.get('ok-fri')!.answer_due_at).toBeNull();
  });

  it('an account open on Saturdays has its questions due on Saturday', async () => {
    const a = await account();
    const saturday = JSON.stringify([{ weekday: 6, opens: '09:00', closes: '15:00' }]);
    const friday = cph('2026-11-27T19:30:00');
    await ingestItems(database.db, { id: a.id, business_hours: saturday }, [item({ externalId: 'q-lib', text: 'Hvornår åbner biblioteket?', createdAt: friday })], { now: friday });
    expect(new Date((await rowsOf(a.id))[0]!.answer_due_at!)).toEqual(cph('2026-11-28T13:00:00'));
  });

  it('a reply hangs under its root post and is linked to our own post; a comment on a post not ours links nothing', async () => {
    const a = await account();
    const ourPostId = newId();
    await database.db
      .insertInto('social_posts')
      .values({
        id: ourPostId, batch_id: ourPostId, account_id: a.id, item_id: null, text: 'Borgermøde om den nye skole', link_url: null, media_id: null, image_alt: null, state: 'sent',
        scheduled_at: new Date().toISOString(), next_attempt_at: null, attempts: 1, created_by: refs.authorId, created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
        submitted_at: null, approved_by: null, approved_at: null, external_id: `${a.externalId}_ours`, external_url: null, sent_at: new Date().toISOString(), error_kind: null, last_error: null,
      })
      .execute();
    const root = `${a.externalId}_ours`;
    await ingestItems(database.db, a, [
      item({ externalId: 'comment-1', parentExternalId: root, rootExternalId: root, text: 'Godt initiativ', createdAt: new Date(Date.now() - 3000) }),
      item({ externalId: 'reply-1', parentExternalId: 'comment-1', rootExternalId: root, text: 'Enig!', createdAt: new Date(Date.now() - 2000) }),
      item({ externalId: 'elsewhere', parentExternalId: 'visitor-post', rootExternalId: 'visitor-post', text: 'Også her', createdAt: new Date(Date.now() - 1000) }),
      item({ externalId: 'mention-1', parentExternalId: null, rootExternalId: null, text: '@kommunen godt gået' }),
    ]);
    const rows = new Map((await rowsOf(a.id)).map((r) => [r.external_id, r]));
    expect(rows.get('comment-1')).toMatchObject({ kind: 'comment', root_external_id: root, social_post_id: ourPostId });
    expect(rows.get('reply-1')).toMatchObject({ kind: 'reply', parent_external_id: 'comment-1', root_external_id: root, social_post_id: ourPostId });
    expect(rows.get('elsewhere')).toMatchObject({ kind: 'comment', root_external_id: 'visitor-post', social_post_id: null });
    expect(rows.get('mention-1')).toMatchObject({ kind: 'mention', root_external_id: null, social_post_id: null });
  });

  it('the rules come from the database, seeded from the defaults in their order, and an edited rule applies to the next comment', async () => {
    const first = await activeRules(database.db);
    const stored = await database.db.selectFrom('moderation_rules').select(['id', 'position']).orderBy('position').execute();
    expect(stored.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(first[0]!.id).toBe('spoergsmaal');
    // Unchanged table: the same list, so the classifier's compiled form is reused.
    expect(await activeRules(database.db)).toBe(first);

    await database.db
      .insertInto('moderation_rules')
      .values({ id: 'spam-lokal', category: 'spam', label: 'Lokal reklame', definition: JSON.stringify({ words: ['billige brænde'] }), active: 1, position: 999, updated_by: null, updated_at: new Date().toISOString() })
      .execute();
    const a = await account();
    await ingestItems(database.db, a, [item({ externalId: 'local-ad', text: 'Billige brænde til salg i Løgumkloster' })], { rules: await activeRules(database.db) });
    const row = (await rowsOf(a.id))[0]!;
    expect(JSON.parse(row.categories)).toEqual(['spam']);
    expect(JSON.parse(row.reasons)[0]).toMatchObject({ ruleId: 'spam-lokal', label: 'Lokal reklame', matches: ['Billige brænde'] });

    await database.db.updateTable('moderation_rules').set({ active: 0, updated_at: new Date(Date.now() + 1000).toISOString() }).where('id', '=', 'spam-lokal').execute();
    expect((await activeRules(database.db)).some((r) => r.id === 'spam-lokal')).toBe(false);
  });

  it('a stored rule that cannot be used is left out and named, and the others keep working', async () => {
    await database.db
      .insertInto('moderation_rules')
      .values({ id: 'brudt', category: 'spam', label: 'Brudt regel', definition: JSON.stringify({ patterns: ['(uafsluttet'] }), active: 1, position: 1000, updated_by: null, updated_at: new Date(Date.now() + 2000).toISOString() })
      .execute();
    const set = await currentRuleSet(database.db);
    expect(set.broken.map((b) => b.id)).toEqual(['brudt']);
    expect(set.broken[0]!.message).toContain('ikke et gyldigt regulært udtryk');
    expect(set.rules.some((r) => r.id === 'spoergsmaal')).toBe(true);
    await database.db.deleteFrom('moderation_rules').where('id', '=', 'brudt').execute();
  });
});
