import { createItem, transition } from '../content/service.ts';
import * as org from '../org/store.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { actorFor } from '../signin/actors.ts';
import { itemLink } from '../social/compose.ts';
import { GUIDELINES_BODY, GUIDELINES_SUMMARY, GUIDELINES_TITLE } from '../social/guidelines.ts';
import type { Network } from '../social/providers/types.ts';
import { insertAccount } from '../social/store.ts';
import type { SocialPostRow } from '../social/tables.ts';

// The demo's social media (S6): the common Facebook page and X profile of Kommunikationsafdelingen, with Mastodon
// and Bluesky beside them, and the own Facebook pages of Dagplejen, Kultur og Fritid and Biblioteket, each with its
// editor group and Kommunikationsafdelingen as adviser. The accounts point at the demo networks ("demo:<network>"),
// which demo mode starts and connects them to. The guidelines page is published on the website (S4).

interface DemoAccount {
  key: string;
  network: Network;
  handle: string;
  name: string;
  unit: string;
  /** "social" for the social media editor group, else the name of the unit's own group. */
  group: string;
  requiresApproval: boolean;
  status?: 'connected' | 'needs_reauth';
}

export const DEMO_SOCIAL_ACCOUNTS: DemoAccount[] = [
  { key: 'fb', network: 'facebook', handle: 'toenderkommune', name: 'Tønder Kommune', unit: 'kommunikation', group: 'social', requiresApproval: false },
  { key: 'x', network: 'x', handle: '@toenderkommune', name: 'Tønder Kommune', unit: 'kommunikation', group: 'social', requiresApproval: false },
  { key: 'mastodon', network: 'mastodon', handle: '@toenderkommune@social.toender.dk', name: 'Tønder Kommune', unit: 'kommunikation', group: 'social', requiresApproval: false },
  { key: 'bluesky', network: 'bluesky', handle: '@toender.dk', name: 'Tønder Kommune', unit: 'kommunikation', group: 'social', requiresApproval: false },
  { key: 'dagplejen', network: 'facebook', handle: 'dagplejenitoender', name: 'Dagplejen i Tønder Kommune', unit: 'dagplejen', group: 'SoMe-redaktører i Dagplejen', requiresApproval: true },
  { key: 'kultur', network: 'facebook', handle: 'kulturogfritidtoender', name: 'Kultur og Fritid i Tønder', unit: 'kultur-og-fritid', group: 'SoMe-redaktører i Kultur og Fritid', requiresApproval: true, status: 'needs_reauth' },
  { key: 'bibliotek', network: 'facebook', handle: 'toenderbibliotek', name: 'Tønder Bibliotek', unit: 'biblioteket', group: 'Redaktører for Bibliotekets subsite', requiresApproval: false },
];

const UNIT_GROUPS: { name: string; unit: string; purpose: string; members: [string, 'lead' | 'member'][] }[] = [
  { name: 'SoMe-redaktører i Dagplejen', unit: 'dagplejen', purpose: 'Vedligeholder Dagplejens Facebook-side med råd fra Kommunikationsafdelingen.', members: [['medarbejder@demo.mediehus.dk', 'lead']] },
  { name: 'SoMe-redaktører i Kultur og Fritid', unit: 'kultur-og-fritid', purpose: 'Vedligeholder Kultur og Fritids Facebook-side med råd fra Kommunikationsafdelingen.', members: [['leder@demo.mediehus.dk', 'lead']] },
];

const seedActor = { actorId: null, actorLabel: 'demo-seed', ip: null };

export async function seedDemoSocial(db: Db, now = new Date()): Promise<boolean> {
  if (await db.selectFrom('social_accounts').select('id').limit(1).executeTakeFirst()) return false;
  const guidelinesId = await publishGuidelines(db);
  const person = async (email: string) => (await findPersonRowByEmail(db, email))!.id;
  const some = await person('some@demo.mediehus.dk');
  const anne = await person('medarbejder@demo.mediehus.dk');
  const news = await db
    .selectFrom('items as i')
    .innerJoin('live_placements as p', 'p.item_id', 'i.id')
    .select(['i.id', 'i.title'])
    .where('p.channel', '=', 'website')
    .where('p.target', '=', 'nyheder')
    .orderBy('i.title')
    .execute();
  const baseUrl = 'https://www.toender.dk';

  await db.transaction().execute(async (tx) => {
    const units = new Map((await tx.selectFrom('units').select(['id', 'slug']).execute()).map((u) => [u.slug, u.id]));
    const groups = new Map((await tx.selectFrom('groups').select(['id', 'name']).execute()).map((g) => [g.name, g.id]));
    const socialGroup = (await tx.selectFrom('groups').select('id').where('kind', '=', 'channel_editors').where('channel', '=', 'social').executeTakeFirstOrThrow()).id;
    for (const g of UNIT_GROUPS) {
      const id = await org.insertGroup(tx, { name: g.name, kind: 'ad_hoc', channel: null, subsiteUnitId: null, purpose: g.purpose, endsOn: null });
      for (const [email, role] of g.members) await org.setMember(tx, id, (await findPersonRowByEmail(tx, email))!.id, role);
      await audit(tx, { ...seedActor, action: 'group.created', objectType: 'group', objectId: id, details: { name: g.name } });
      groups.set(g.name, id);
    }
    const accounts = new Map<string, string>();
    const at = nowIso();
    for (const a of DEMO_SOCIAL_ACCOUNTS) {
      const id = newId();
      accounts.set(a.key, id);
      await insertAccount(tx, {
        id,
        network: a.network,
        handle: a.handle,
        name: a.name,
        unit_id: units.get(a.unit)!,
        editor_group_id: a.group === 'social' ? socialGroup : groups.get(a.group)!,
        adviser_group_id: socialGroup,
        requires_approval: a.requiresApproval ? 1 : 0,
        api_base: `demo:${a.network}`,
        external_id: null,
        token_sealed: null,
        status: a.status ?? 'connected',
        status_note: a.status === 'needs_reauth' ? 'Netværket godkender ikke længere adgangsnøglen; forbind kontoen igen.' : null,
        connected_at: a.status === 'needs_reauth' ? null : at,
        connected_by: some,
      });
      await audit(tx, { ...seedActor, action: 'social_account.created', objectType: 'social_account', objectId: id, details: { network: a.network, handle: a.handle, name: a.name } });
    }
    await seedPosts(tx, { accounts, some, anne, now, news: news.slice(0, 3), guidelinesId, baseUrl });
  });
  return true;
}

async function publishGuidelines(db: Db): Promise<string> {
  const author = await actorFor(db, (await findPersonRowByEmail(db, 'web@demo.mediehus.dk'))!, null);
  const approver = await actorFor(db, (await findPersonRowByEmail(db, 'intra@demo.mediehus.dk'))!, null);
  const unit = await db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
  const { id } = await createItem(db, author, 'page', {
    title: GUIDELINES_TITLE,
    summary: GUIDELINES_SUMMARY,
    body: GUIDELINES_BODY,
    ownerUnitId: unit.id,
    contact: 'Kommunikationsafdelingen, tlf. 74 92 90 10, kommunikation@toender.dk',
    topics: ['Sociale medier', 'Facebook'],
    language: 'da',
    reviewBy: null,
    images: [],
    placements: [{ channel: 'website', section: 'kommunen' }],
    fields: {},
  });
  await transition(db, author, id, 'submit');
  await transition(db, approver, id, 'approve');
  await transition(db, approver, id, 'publish');
  return id;
}

interface PostSeedContext {
  accounts: Map<string, string>;
  some: string;
  anne: string;
  now: Date;
  news: { id: string; title: string }[];
  guidelinesId: string;
  baseUrl: string;
}

async function seedPosts(tx: Tx, c: PostSeedContext): Promise<void> {
  const hours = (h: number) => new Date(c.now.getTime() + h * 3_600_000).toISOString();
  const link = async (itemId: string | undefined) => (itemId ? ((await itemLink(tx, c.baseUrl, itemId))?.url ?? null) : null);
  const base = (over: Partial<SocialPostRow> & Pick<SocialPostRow, 'account_id' | 'text' | 'state' | 'scheduled_at'>): SocialPostRow => ({
    id: newId(),
    batch_id: newId(),
    item_id: null,
    link_url: null,
    media_id: null,
    image_alt: null,
    next_attempt_at: null,
    attempts: 0,
    created_at: hours(-30),
    updated_at: hours(-30),
    submitted_at: hours(-30),
    approved_by: null,
    approved_at: null,
    external_id: null,
    external_url: null,
    sent_at: null,
    error_kind: null,
    last_error: null,
    created_by: c.some,
    ...over,
  });
  const acc = (key: string) => c.accounts.get(key)!;
  const news0 = c.news[0];
  const news1 = c.news[1];
  const sentBatch = newId();
  const posts: SocialPostRow[] = [
    base({ batch_id: sentBatch, account_id: acc('fb'), item_id: news0?.id ?? null, link_url: await link(news0?.id), text: `Nyt fra kommunen: ${news0?.title ?? 'Læs vores nyheder'}. Læs mere på toender.dk.`, state: 'sent', scheduled_at: hours(-26), sent_at: hours(-26), attempts: 1, external_id: '550000000000001_1', external_url: 'https://www.facebook.com/toenderkommune/posts/1' }),
    base({ batch_id: sentBatch, account_id: acc('x'), item_id: news0?.id ?? null, link_url: await link(news0?.id), text: `${news0?.title ?? 'Nyt fra Tønder Kommune'}. Læs mere:`, state: 'sent', scheduled_at: hours(-26), sent_at: hours(-26), attempts: 2, external_id: '1860000000000000001', external_url: 'https://x.com/toenderkommune/status/1860000000000000001' }),
    base({ account_id: acc('fb'), item_id: news1?.id ?? null, link_url: await link(news1?.id), text: `${news1?.title ?? 'Nyhed'} – se, hvad det betyder for dig.`, state: 'scheduled', scheduled_at: hours(20), next_attempt_at: hours(20) }),
    base({ account_id: acc('bluesky'), link_url: await link(c.guidelinesId), text: 'Vi er nu også på Bluesky. Her deler vi nyheder og serviceinformation fra Tønder Kommune. Læs vores retningslinjer:', state: 'scheduled', scheduled_at: hours(44), next_attempt_at: hours(44) }),
    base({ account_id: acc('mastodon'), text: 'Juletræet på Torvet tændes fredag kl. 16.30. Kom og syng med, og få en kop varm kakao.', state: 'draft', scheduled_at: hours(72), submitted_at: null }),
    base({ account_id: acc('dagplejen'), text: 'I dag har dagplejebørnene i Toftlund bagt pebernødder. Tak til forældrene for hjælpen med at pynte legestuen.', state: 'awaiting_approval', scheduled_at: hours(3), created_by: c.anne }),
    base({ account_id: acc('x'), text: 'Husk: Genbrugspladserne holder lukket 24.–26. december. Se alle åbningstider på toender.dk/affald', state: 'failed', scheduled_at: hours(-5), attempts: 1, error_kind: 'bad_content', last_error: 'Netværket afviste opslaget: You are not allowed to create a Tweet with duplicate content.' }),
  ];
  for (const p of posts) {
    await tx.insertInto('social_posts').values(p).execute();
    // The attempts behind a sent or failed post, as the sender writes them down.
    for (let n = 1; n <= p.attempts; n++) {
      const last = n === p.attempts;
      const at = new Date(Date.parse(p.scheduled_at) + (n - 1) * 10_000).toISOString();
      const outcome = !last ? 'retry' : p.state === 'sent' ? 'sent' : (p.error_kind ?? 'retry');
      const detail = !last ? 'X answered 503 Service Unavailable' : p.state === 'sent' ? null : (p.last_error ?? null);
      await tx.insertInto('social_post_attempts').values({ id: newId(), post_id: p.id, number: n, started_at: at, finished_at: at, outcome, detail }).execute();
    }
    await audit(tx, { ...seedActor, action: `social_post.${p.state === 'sent' || p.state === 'scheduled' ? 'scheduled' : p.state === 'draft' ? 'drafted' : p.state === 'failed' ? 'scheduled' : 'submitted'}`, objectType: 'social_post', objectId: p.id, details: { accountId: p.account_id } });
  }
}
