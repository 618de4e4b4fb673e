// npm run bench -- moderation: (a) 10,000 Danish comments, recombined from the hand-written corpus, ingested and
// classified over 10 accounts through ingestItems in poll-sized pages, as polling and webhooks bring them; (b) with
// 200,000 inbox items loaded in bulk (with their category rows), the inbox list query the list page uses, timed over
// its filter cases. Runs on a fresh SQLite file, and on a fresh PostgreSQL database as well when
// BENCH_DATABASE_URL is set.
import { sql } from 'kysely';
import { seedDemo } from '../src/demo/seed.ts';
import { ingestItems } from '../src/inbox/ingest.ts';
import { listInbox, type InboxFilter } from '../src/inbox/list-queries.ts';
import { activeRules } from '../src/inbox/rules-store.ts';
import { CATEGORY_IDS, type Category } from '../src/moderation/categories.ts';
import { loadCorpus } from '../src/moderation/corpus.ts';
import type { DatabaseSettings } from '../src/platform/config.ts';
import type { Db } from '../src/platform/database.ts';
import { createDb, type Dialect } from '../src/platform/db.ts';
import { newId } from '../src/platform/ids.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import type { IncomingItem } from '../src/social/providers/types.ts';
import { insertAccount } from '../src/social/store.ts';
import { figures, timed } from './lib/figures.ts';
import { withPostgres, withSqlite } from './lib/fresh-database.ts';

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 10_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 200_000);
/** What one poll of an account brings at most, and so what one ingest call gets. */
const PAGE = 100;
const LIST_CALLS = Number(process.env.BENCH_LIST_CALLS ?? 400);
const LIST_LIMIT = 50;
const TARGETS = { ingestSeconds: 10, listP95Ms: 50 };
const NETWORKS = ['facebook', 'x', 'mastodon', 'bluesky'] as const;

const say = (message: string) => process.stderr.write(`${message}\n`);

let seed = 20261127;
/** A small fixed-seed generator, so every run measures the same comments. */
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const FIRST = ['Mette', 'Ole', 'Karen', 'Jens', 'Anne', 'Lars', 'Hanne', 'Søren', 'Birthe', 'Niels', 'Pia', 'Mads', 'Lone', 'Henrik'];
const LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Madsen', 'Holm'];
const OPENERS = ['', '', '', 'Hej. ', 'Hej Tønder Kommune. ', 'Godmorgen. ', 'Tak for opslaget. ', 'Undskyld, men ', 'Hmm. '];
const CLOSERS = ['', '', '', ' 👍', ' Mvh', ' Tak!', ' 😊', ' …', '!!'];

/** The corpus's sentences, recombined in twos and threes with greetings and signs, as citizens write. */
function commentTexts(n: number): string[] {
  const sentences = loadCorpus()
    .flatMap((c) => c.text.split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s.length > 3);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(sentences));
    texts.push(`${pick(OPENERS)}${parts.join(' ')}${pick(CLOSERS)}`);
  }
  return texts;
}

async function benchAccounts(db: Db, prefix: string): Promise<string[]> {
  const unit = await db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
  const group = await db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
  const ids: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const id = newId();
    const network = NETWORKS[i % NETWORKS.length]!;
    await insertAccount(db, {
      id, network, handle: `${prefix}-${i}`, name: `Tønder Kommune ${i + 1}`, unit_id: unit.id, editor_group_id: group.id, adviser_group_id: null,
      requires_approval: 0, api_base: `https://${network}.invalid`, external_id: `${prefix}-${i}`, status: 'connected',
    });
    ids.push(id);
  }
  return ids;
}

/** (a) Every comment through ingestItems, a poll page at a time in its own transaction, rules read as polling reads them. */
async function ingestComments(db: Db, accountIds: string[]): Promise<{ seconds: number; added: number; categories: Record<string, number> }> {
  const texts = commentTexts(COMMENTS);
  const started = Date.now() - 86_400_000;
  const perAccount = accountIds.map((id, a) =>
    texts
      .filter((_, i) => i % accountIds.length === a)
      .map((text, i): IncomingItem => {
        const root = `bench-${a}_post_${i % 40}`;
        return {
          externalId: `bench-${a}_c_${i}`,
          parentExternalId: i % 5 === 4 ? `bench-${a}_c_${i - 1}` : root,
          rootExternalId: root,
          authorName: `${pick(FIRST)} ${pick(LAST)}`,
          authorHandle: `@borger${Math.floor(random() * 5000)}`,
          text,
          createdAt: new Date(started + i * 8_000 + a),
          url: null,
          hidden: false,
        };
      }),
  );
  const accounts = accountIds.map((id) => ({ id, business_hours: null }));
  let added = 0;
  const t0 = performance.now();
  for (let offset = 0; ; offset += PAGE) {
    let any = false;
    for (let a = 0; a < accounts.length; a++) {
      const page = perAccount[a]!.slice(offset, offset + PAGE);
      if (!page.length) continue;
      any = true;
      const rules = await activeRules(db);
      added += (await db.transaction().execute((tx) => ingestItems(tx, accounts[a]!, page, { rules }))).added;
    }
    if (!any) break;
  }
  const seconds = Math.round((performance.now() - t0) / 10) / 100;
  const rows = await db.selectFrom('inbox_item_categories').select(['category', db.fn.countAll<number>().as('n')]).where('account_id', 'in', accountIds).groupBy('category').execute();
  return { seconds, added, categories: Object.fromEntries(rows.map((r) => [r.category, Number(r.n)])) };
}

/** A category mix like a municipality's page: mostly ordinary comments, many questions, a few of the rest. */
function categoriesFor(): Category[] {
  const r = random();
  if (r < 0.55) return ['ok'];
  if (r < 0.8) return random() < 0.15 ? ['question', 'casework'] : ['question'];
  const flagged = CATEGORY_IDS.filter((c) => c !== 'ok' && c !== 'question');
  return random() < 0.2 ? [pick(flagged), pick(flagged)].filter((c, i, all) => all.indexOf(c) === i) : [pick(flagged)];
}

/** (b) ITEMS inbox items over the accounts, two years of them, written in bulk with their category rows. */
async function loadItems(db: Db, accountIds: string[], doneBy: string): Promise<void> {
  const now = Date.now();
  const span = 2 * 365 * 86_400_000;
  const CHUNK = 500;
  const texts = commentTexts(500);
  for (let start = 0; start < ITEMS; start += 10_000) {
    const items: object[] = [];
    const categories: object[] = [];
    for (let i = start; i < Math.min(ITEMS, start + 10_000); i++) {
      const accountId = accountIds[i % accountIds.length]!;
      // Evenly spread, newest last; the last few thousand are still open.
      const receivedAt = new Date(now - span + Math.floor((span * i) / ITEMS));
      const age = now - receivedAt.getTime();
      const open = age < 14 * 86_400_000 || random() < 0.01;
      const cats = categoriesFor();
      const question = cats.includes('question');
      const answered = question && (!open || random() < 0.5) ? new Date(receivedAt.getTime() + 3_600_000).toISOString() : null;
      const id = newId();
      const received = receivedAt.toISOString();
      const state = open ? 'open' : 'done';
      items.push({
        id, account_id: accountId, external_id: `bulk-${i}`, kind: 'comment', parent_external_id: `bulk-post-${i % 500}`, root_external_id: `bulk-post-${i % 500}`,
        social_post_id: null, author_name: `${pick(FIRST)} ${pick(LAST)}`, author_handle: null, text: pick(texts), url: null, written_at: received, received_at: received,
        categories: JSON.stringify(cats), reasons: '[]', state, assigned_to: null, done_by: open ? null : doneBy, done_at: open ? null : new Date(receivedAt.getTime() + 7_200_000).toISOString(),
        answered_at: answered, answer_due_at: question ? new Date(receivedAt.getTime() + 4 * 3_600_000).toISOString() : null, hidden: 0, deleted: 0, escalated_to: null, escalated_at: null,
      });
      for (const category of cats) categories.push({ item_id: id, category, account_id: accountId, state, received_at: received });
    }
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < items.length; i += CHUNK) await tx.insertInto('inbox_items').values(items.slice(i, i + CHUNK) as never).execute();
      for (let i = 0; i < categories.length; i += CHUNK) await tx.insertInto('inbox_item_categories').values(categories.slice(i, i + CHUNK) as never).execute();
    });
  }
}

async function measureList(db: Db, accountIds: string[]) {
  const flagged = CATEGORY_IDS.filter((c) => c !== 'ok');
  const cases: Record<string, () => InboxFilter> = {
    allOpen: () => ({ accountIds, state: 'open', limit: LIST_LIMIT }),
    oneAccount: () => ({ accountIds, accountId: pick(accountIds), state: 'open', limit: LIST_LIMIT }),
    category: () => ({ accountIds, category: pick(flagged), state: 'open', limit: LIST_LIMIT }),
    overdue: () => ({ accountIds, overdue: true, state: 'open', limit: LIST_LIMIT }),
    done: () => ({ accountIds, state: 'done', limit: LIST_LIMIT }),
  };
  const names = Object.keys(cases);
  for (const name of names) await listInbox(db, cases[name]!()); // warm-up
  const all: number[] = [];
  const perCase: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const shown: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (let i = 0; i < LIST_CALLS; i++) {
    const name = names[i % names.length]!;
    const [ms, page] = await timed(() => listInbox(db, cases[name]!()));
    all.push(ms);
    perCase[name]!.push(ms);
    shown[name]! += page.items.length;
  }
  return {
    list: figures(all),
    cases: Object.fromEntries(names.map((n) => [n, { ...figures(perCase[n]!), averageItems: Math.round(shown[n]! / perCase[n]!.length) }])),
  };
}

async function measure(dialect: Dialect, settings: DatabaseSettings) {
  const db = createDb(settings);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const doneBy = (await db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirstOrThrow()).id;

    const ingestAccounts = await benchAccounts(db, 'bench-indlaes');
    await activeRules(db); // the defaults are seeded on the first read, as on a new installation
    say(`${dialect}: indlæser og klassificerer ${COMMENTS.toLocaleString('da-DK')} kommentarer på ${ACCOUNTS} konti …`);
    const ingest = await ingestComments(db, ingestAccounts);
    say(`  ${ingest.added} nye på ${ingest.seconds} s`);

    const listAccounts = await benchAccounts(db, 'bench-liste');
    say(`${dialect}: lægger ${ITEMS.toLocaleString('da-DK')} elementer i indbakken …`);
    await loadItems(db, listAccounts, doneBy);
    await (dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(db);
    say(`${dialect}: måler indbakkens liste, ${LIST_CALLS} kald …`);
    const list = await measureList(db, listAccounts);
    say(`  p50 ${list.list.p50} ms, p95 ${list.list.p95} ms, max ${list.list.max} ms`);
    return { ingest: { ...ingest, comments: COMMENTS, perSecond: Math.round(COMMENTS / Math.max(ingest.seconds, 0.001)) }, ...list };
  } finally {
    await db.destroy();
  }
}

const sqlite = await withSqlite('moderation', (settings) => measure('sqlite', settings));
const postgres = process.env.BENCH_DATABASE_URL ? await withPostgres(process.env.BENCH_DATABASE_URL, (settings) => measure('postgres', settings)) : null;
const results = [sqlite, postgres].filter((r) => r !== null);
console.log(
  JSON.stringify({
    comments: COMMENTS,
    accounts: ACCOUNTS,
    items: ITEMS,
    listCalls: LIST_CALLS,
    ingestSeconds: Math.max(...results.map((r) => r.ingest.seconds)),
    listP95Ms: Math.max(...results.map((r) => r.list.p95)),
    targets: TARGETS,
    sqlite,
    postgres,
    met: results.every((r) => r.ingest.added === COMMENTS && r.ingest.seconds < TARGETS.ingestSeconds && r.list.p95 < TARGETS.listP95Ms),
  }),
);
