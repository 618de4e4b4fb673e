// npm run bench -- intranet: TønderPortalen's personal home page with 20,000 people and 100,000 intranet items and
// posts. Runs on a fresh SQLite file, and on a fresh PostgreSQL database as well when BENCH_DATABASE_URL is set.
// The organisation and the items are written in bulk; what is measured goes through the real app.
import { sql } from 'kysely';
import { seedDemo } from '../src/demo/seed.ts';
import { homeContent } from '../src/intranet/home.ts';
import { pendingMustReadsFor } from '../src/mustreads/service.ts';
import { postsVisibleTo } from '../src/posts/service.ts';
import { viewerOf } from '../src/intranet/audience.ts';
import { buildApp } from '../src/platform/app.ts';
import { loadConfig, type DatabaseSettings } from '../src/platform/config.ts';
import { createDb, type Dialect } from '../src/platform/db.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { startSession } from '../src/signin/sessions.ts';
import { createMailer } from '../src/platform/mail.ts';
import { DEFAULT_MAIL_FROM } from '../src/platform/config.ts';
import { runDigest } from '../src/notifications/digest.ts';
import { seedNotificationLoad } from '../src/notifications/testing/seed-notifications.ts';
import { figures, timed } from './lib/figures.ts';
import { startSmtpSink } from './lib/processes.ts';
import { withPostgres, withSqlite } from './lib/fresh-database.ts';
import { loadIntranetItems, loadOrganisation, loadPosts } from './lib/intranet-generator.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
/** Of ITEMS, this share are employees' posts; the rest are content items on the intranet. */
const POST_SHARE = 0.2;
const READERS = Number(process.env.BENCH_READERS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_PERSON = Number(process.env.BENCH_NOTIFICATIONS ?? 5);
const TARGETS = { homeP95Ms: 30, dailyDigestSeconds: 60 };

const say = (message: string) => process.stderr.write(`${message}\n`);

async function measure(dialect: Dialect, settings: DatabaseSettings) {
  const db = createDb(settings);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    say(`${dialect}: lægger organisationen ind …`);
    const world = await loadOrganisation(db, PEOPLE, say);
    const posts = Math.round(ITEMS * POST_SHARE);
    say(`${dialect}: lægger ${(ITEMS - posts).toLocaleString('da-DK')} intranetelementer og ${posts.toLocaleString('da-DK')} opslag ind …`);
    await loadIntranetItems(db, world, ITEMS - posts, say);
    await loadPosts(db, world, posts, say);
    if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);

    const config = { ...loadConfig({ MEDIEHUS_COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret-1', LOG_LEVEL: 'warn', MEDIEHUS_RUN_JOBS: 'false' }), database: settings };
    const app = await buildApp({ config, db });
    await app.ready();
    try {
      // Every 100th person: all roles, units and groups of the organisation are among the readers.
      const readers = world.personIds.filter((_, i) => i % Math.floor(PEOPLE / READERS) === 0).slice(0, READERS);
      const cookies = new Map<string, string>();
      for (const id of readers) cookies.set(id, app.signCookie(await startSession(db, id, { ip: null, userAgent: 'bench', method: 'bench' })));
      const home = async (id: string) => {
        const res = await app.inject({ method: 'GET', url: '/intranet', cookies: { mh_session: cookies.get(id)! } });
        if (res.statusCode !== 200) throw new Error(`/intranet svarede ${res.statusCode}`);
        return res.body.length;
      };
      for (const id of readers.slice(0, 20)) await home(id); // warm-up
      say(`${dialect}: måler forsiden for ${readers.length} læsere × ${ROUNDS} …`);
      const page: number[] = [];
      const query: number[] = [];
      const parts: Record<string, number[]> = { viewer: [], content: [], mustReads: [], posts: [] };
      let newsShown = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const id of readers) {
          page.push((await timed(() => home(id)))[0]);
          const [vms, viewer] = await timed(() => viewerOf(db, id));
          const [ms, content] = await timed(() => homeContent(db, viewer));
          parts.viewer!.push(vms);
          parts.content!.push(ms);
          parts.mustReads!.push((await timed(() => pendingMustReadsFor(db, viewer, 3)))[0]);
          parts.posts!.push((await timed(() => postsVisibleTo(db, viewer, { limit: 4 })))[0]);
          query.push(vms + ms);
          newsShown += content.news.length;
        }
      }
      const result = { home: figures(page), homeQueries: figures(query), parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, figures(v)])), averageNewsShown: Math.round((newsShown / query.length) * 10) / 10 };
      say(`  forside: p50 ${result.home.p50} ms, p95 ${result.home.p95} ms, max ${result.home.max} ms (forespørgsler alene p95 ${result.homeQueries.p95} ms)`);
      return { ...result, digest: await measureDigest(dialect, db, world.personIds) };
    } finally {
      await app.close();
    }
  } finally {
    await db.destroy();
  }
}

/** The morning's daily digest for everyone, mailed through SMTP to a mail server in another process. */
async function measureDigest(dialect: Dialect, db: ReturnType<typeof createDb>, personIds: string[]) {
  const now = new Date();
  say(`${dialect}: ${PER_PERSON} notifikationer til hver af ${personIds.length.toLocaleString('da-DK')} personer …`);
  await seedNotificationLoad(db, { people: personIds, perPerson: PER_PERSON, kind: 'news', at: new Date(now.getTime() - 60_000) });
  if (dialect === 'postgres') await sql`vacuum analyze notifications`.execute(db);
  const sink = await startSmtpSink();
  const mailer = createMailer({ smtp: { url: sink.url, from: DEFAULT_MAIL_FROM }, dataDir: '/nonexistent' }, { info: () => {} });
  try {
    say(`${dialect}: sender dagens sammendrag …`);
    const result = await runDigest(db, mailer, { frequency: 'daily', now, baseUrl: 'https://mediehus.toender.dk' });
    const received = await sink.received();
    say(`  sammendrag: ${result.mails} mails til ${result.people} personer på ${result.seconds.toFixed(1)} s (mailserveren modtog ${received})`);
    return { people: result.people, mails: result.mails, notifications: result.notifications, received, seconds: Math.round(result.seconds * 10) / 10 };
  } finally {
    mailer.close?.();
    await sink.stop();
  }
}

const sqlite = await withSqlite('intranet', (settings) => measure('sqlite', settings));
const postgres = process.env.BENCH_DATABASE_URL ? await withPostgres(process.env.BENCH_DATABASE_URL, (settings) => measure('postgres', settings)) : null;

console.log(
  JSON.stringify({
    people: PEOPLE,
    items: ITEMS,
    readers: READERS,
    rounds: ROUNDS,
    targets: TARGETS,
    sqlite,
    postgres,
    met: [sqlite, postgres].every((r) => !r || (r.home.p95 < TARGETS.homeP95Ms && r.digest.seconds < TARGETS.dailyDigestSeconds && r.digest.received === r.digest.mails)),
  }),
);
