// npm run bench -- social-publish: 1,000 posts due in the same minute over 20 accounts (five on each network), sent
// by the real job runner through the real adapters to the contract servers, which fail, rate-limit and time out on
// purpose. Counts what the networks received: every post once, none twice, no request inside a rate-limit window.
// Runs on a fresh SQLite file, and on a fresh PostgreSQL database as well when BENCH_DATABASE_URL is set.
import { sql } from 'kysely';
import { seedDemo } from '../src/demo/seed.ts';
import type { DatabaseSettings } from '../src/platform/config.ts';
import { createDb, type Dialect } from '../src/platform/db.ts';
import { JobRunner } from '../src/platform/jobs/runner.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { registerSocialJobs } from '../src/social/jobs.ts';
import { wakeSender } from '../src/social/sender.ts';
import type { ContractServer, Fault } from '../src/social/testing/contract.ts';
import { startBlueskyContractServer } from '../src/social/testing/bluesky-server.ts';
import { startFacebookContractServer } from '../src/social/testing/facebook-server.ts';
import { connectedAccount, plannedPosts, testSocialContext } from '../src/social/testing/harness.ts';
import { startMastodonContractServer } from '../src/social/testing/mastodon-server.ts';
import { startXContractServer } from '../src/social/testing/x-server.ts';
import { withPostgres, withSqlite } from './lib/fresh-database.ts';

const POSTS = Number(process.env.BENCH_POSTS ?? 1000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 20);
/** Each account may create this many posts per window on its network; the next request gets a 429. */
const RATE_LIMIT = { max: Number(process.env.BENCH_RATE_MAX ?? 25), windowMs: Number(process.env.BENCH_RATE_WINDOW_MS ?? 10_000) };
const TIMEOUT_MS = 2_000;
const TARGET_SECONDS = 60;

const say = (message: string) => process.stderr.write(`${message}\n`);
const silent = { info() {}, warn() {}, error() {} };

/** Every account's first requests fail in every way the networks do, before the standing rate limit bites. */
const FAULTS: Fault[] = [
  { kind: 'server_error' },
  { kind: 'accept_then_hang', hangMs: TIMEOUT_MS + 1_000 },
  { kind: 'server_error' },
  { kind: 'rate_limit', resetInMs: 2_000 },
];
/**
 * Facebook gives a rate limit's reset only in whole minutes (estimated_time_to_regain_access), and a page's own
 * limit (4,800 calls × engaged users a day) is far above fifty posts, so Facebook accounts get the other faults and
 * no standing window.
 */
const FACEBOOK_FAULTS: Fault[] = FAULTS.filter((f) => f.kind !== 'rate_limit');

async function measure(dialect: Dialect, settings: DatabaseSettings) {
  const db = createDb(settings);
  const servers: ContractServer[] = await Promise.all([startFacebookContractServer(), startXContractServer(), startMastodonContractServer(), startBlueskyContractServer()]);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const ctx = testSocialContext(db, { timeoutMs: TIMEOUT_MS, retryBaseMs: 1_000 });
    const unit = await db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
    const group = await db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
    const author = await db.selectFrom('people').select('id').where('email', '=', 'some@demo.mediehus.dk').executeTakeFirstOrThrow();
    for (const s of servers) if (s.network !== 'facebook') s.setRateLimit(RATE_LIMIT);

    const accounts: { id: string; externalId: string; server: ContractServer }[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const server = servers[i % servers.length]!;
      const a = await connectedAccount(ctx, server, { unitId: unit.id, groupId: group.id, handle: `bench${i}` });
      server.injectFaults(server.network === 'facebook' ? FACEBOOK_FAULTS : FAULTS, a.externalId);
      accounts.push({ ...a, server });
    }
    // All due in the same minute: a few seconds from now, as a batch planned earlier would be.
    const due = new Date(Date.now() + 3_000);
    say(`${dialect}: planlægger ${POSTS} opslag på ${ACCOUNTS} konti til ${due.toISOString()} …`);
    const ids: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const a = accounts[i % accounts.length]!;
      ids.push(...(await plannedPosts(ctx, a.id, author.id, [`Opslag ${i + 1} fra Tønder Kommune: Genbrugspladsen har nye åbningstider i december.`], due)));
    }
    for (const a of accounts) await wakeSender(db, a.id, due);
    if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);

    const runner = new JobRunner({ db, logger: silent, pollMs: 100, concurrency: 8 });
    registerSocialJobs(runner, null, ctx, silent);
    runner.start();
    let done = 0;
    const deadline = Date.now() + 5 * 60_000;
    while (Date.now() < deadline) {
      const rows = await db.selectFrom('social_posts').select(['state', db.fn.countAll<number>().as('n')]).where('account_id', 'in', accounts.map((a) => a.id)).groupBy('state').execute();
      const byState = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      done = (byState.sent ?? 0) + (byState.failed ?? 0);
      if (done >= POSTS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const finished = Date.now();
    await runner.stop();

    const states = Object.fromEntries((await db.selectFrom('social_posts').select(['state', db.fn.countAll<number>().as('n')]).where('account_id', 'in', accounts.map((a) => a.id)).groupBy('state').execute()).map((r) => [r.state, Number(r.n)]));
    const lastSent = await db.selectFrom('social_posts').select(db.fn.max('sent_at').as('at')).where('account_id', 'in', accounts.map((a) => a.id)).executeTakeFirst();
    const attempts = await db.selectFrom('social_post_attempts as t').innerJoin('social_posts as p', 'p.id', 't.post_id').select(['t.outcome', db.fn.countAll<number>().as('n')]).where('p.account_id', 'in', accounts.map((a) => a.id)).groupBy('t.outcome').execute();
    let received = 0;
    let duplicates = 0;
    for (const a of accounts) {
      const created = a.server.createdPosts(a.externalId);
      received += created.length;
      duplicates += created.length - new Set(created.map((c) => c.text)).size;
    }
    const violations = servers.reduce((n, s) => n + s.rateLimitViolations(), 0);
    const seconds = Math.round(((lastSent?.at ? Date.parse(String(lastSent.at)) : finished) - due.getTime()) / 100) / 10;
    const result = {
      posts: POSTS,
      accounts: ACCOUNTS,
      sent: states.sent ?? 0,
      failed: states.failed ?? 0,
      receivedByNetworks: received,
      duplicates,
      rateLimitViolations: violations,
      seconds,
      attempts: Object.fromEntries(attempts.map((r) => [r.outcome ?? 'open', Number(r.n)])),
    };
    say(`  ${result.sent} sendt, ${result.failed} fejlet, ${received} modtaget af netværkene, ${duplicates} dubletter, ${violations} brud på rate limits, ${seconds} s`);
    return result;
  } finally {
    await Promise.all(servers.map((s) => s.close()));
    await db.destroy();
  }
}

const sqlite = await withSqlite('social', (settings) => measure('sqlite', settings));
const postgres = process.env.BENCH_DATABASE_URL ? await withPostgres(process.env.BENCH_DATABASE_URL, (settings) => measure('postgres', settings)) : null;
const results = [sqlite, postgres].filter((r) => r !== null);
console.log(
  JSON.stringify({
    posts: POSTS,
    sent: Math.min(...results.map((r) => r.sent)),
    duplicates: Math.max(...results.map((r) => r.duplicates)),
    seconds: Math.max(...results.map((r) => r.seconds)),
    rateLimit: RATE_LIMIT,
    faultsPerAccount: FAULTS.map((f) => f.kind),
    targetSeconds: TARGET_SECONDS,
    sqlite,
    postgres,
    met: results.every((r) => r.sent === POSTS && r.duplicates === 0 && r.receivedByNetworks === POSTS && r.rateLimitViolations === 0 && r.seconds < TARGET_SECONDS),
  }),
);
