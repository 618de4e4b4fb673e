import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { DEMO } from '../../test/support/app.ts';
import { createSeededDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { createItem, transition } from '../content/service.ts';
import type { Actor } from '../org/actor.ts';
import { postsFromPublishedItem } from './from-items.ts';

// Publish once, reach every channel (X1): the social texts written in an item's form become posts when the item
// goes live, linking to it on the website.

describe.each(dialects)('an item’s social placements when it is published (%s)', (dialect) => {
  let database: TestDatabase;
  let author: Actor;
  let approver: Actor;
  let accounts: { id: string; name: string; requires_approval: number }[];

  beforeAll(async () => {
    database = await createSeededDatabase(dialect);
    const web = await actorByEmail(database.db, DEMO.web);
    const intra = await actorByEmail(database.db, DEMO.intranet);
    // Nobody in the demo edits both the website and social media, so the item is made by such people here.
    author = { ...web, capabilities: new Set([...web.capabilities, 'social.edit', 'social.publish']) };
    approver = { ...intra, capabilities: new Set([...intra.capabilities, 'social.edit', 'social.publish']) };
    accounts = await database.db.selectFrom('social_accounts').select(['id', 'name', 'requires_approval']).orderBy('handle').execute();
  });

  afterAll(async () => database?.destroy());

  const publish = async (placements: unknown[]) => {
    const { id } = await createItem(database.db, author, 'news', newsInput(await unitId(database.db, 'kommunikation'), { title: `Nyhed ${Math.random().toString(36).slice(2, 8)}`, placements: [{ channel: 'website', section: 'nyheder' }, ...placements] }));
    await transition(database.db, author, id, 'submit');
    await transition(database.db, approver, id, 'approve');
    await transition(database.db, approver, id, 'publish');
    return id;
  };
  const event = (id: string) => ({ eventId: id, type: 'item.published', objectType: 'item', objectId: id, occurredAt: new Date().toISOString(), payload: {} });

  it('each placed account gets a post with its own text and the link to the item, planned at once or waiting for approval', async () => {
    const open = accounts.find((a) => a.requires_approval === 0)!;
    const guarded = accounts.find((a) => a.requires_approval === 1)!;
    const id = await publish([
      { channel: 'social', accountId: open.id, text: 'Den nye genbrugsplads åbner 1. december.' },
      { channel: 'social', accountId: guarded.id, text: 'Dagplejen kan også aflevere haveaffald.' },
    ]);
    expect(await postsFromPublishedItem({ db: database.db, baseUrl: 'https://www.toender.dk' }, event(id))).toBe(2);
    const item = await database.db.selectFrom('items').select('slug').where('id', '=', id).executeTakeFirstOrThrow();
    const posts = await database.db.selectFrom('social_posts').select(['account_id', 'text', 'link_url', 'state']).where('item_id', '=', id).orderBy('text').execute();
    expect(posts).toEqual([
      { account_id: guarded.id, text: 'Dagplejen kan også aflevere haveaffald.', link_url: `https://www.toender.dk/nyheder/${item.slug}`, state: 'awaiting_approval' },
      { account_id: open.id, text: 'Den nye genbrugsplads åbner 1. december.', link_url: `https://www.toender.dk/nyheder/${item.slug}`, state: 'scheduled' },
    ]);
  });

  it('publishing the item again adds no second post', async () => {
    const open = accounts.find((a) => a.requires_approval === 0)!;
    const id = await publish([{ channel: 'social', accountId: open.id, text: 'Første gang.' }]);
    expect(await postsFromPublishedItem({ db: database.db, baseUrl: 'https://www.toender.dk' }, event(id))).toBe(1);
    expect(await postsFromPublishedItem({ db: database.db, baseUrl: 'https://www.toender.dk' }, event(id))).toBe(0);
    expect(await database.db.selectFrom('social_posts').select('id').where('item_id', '=', id).execute()).toHaveLength(1);
  });
});
