// npm run bench -- site: the public website with 100,000 items and the demo municipality.
// On SQLite: cached pages against a bare node:http server sending the same bytes (autocannon), uncached article
// renders and searches, the front page's weight in Chromium with and without JavaScript, axe-core and the Nu
// HTML Checker on one page of each kind, and the HTTP caching headers. On PostgreSQL (BENCH_DATABASE_URL, or the
// local server's postgres database): how soon two Mediehus processes sharing it show a publish and an unpublish.
import http from 'node:http';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createItem, transition } from '../src/content/service.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { findPersonRowByEmail } from '../src/org/store.ts';
import { buildApp } from '../src/platform/app.ts';
import { loadConfig, type DatabaseSettings } from '../src/platform/config.ts';
import type { Db } from '../src/platform/database.ts';
import { createDb } from '../src/platform/db.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { actorFor } from '../src/signin/actors.ts';
import { demoWorld, loadItems } from './lib/content-generator.ts';
import { figures, type Figures } from './lib/figures.ts';
import { withPostgres, withSqlite } from './lib/fresh-database.ts';
import { axeFindings, firstViewWeight, launchChromium, vnuMessages, worksWithoutJavaScript } from './lib/page-checks.ts';
import { type BareResponse, type Running, startBare, startMediehus } from './lib/processes.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const PG_ITEMS = Number(process.env.BENCH_PG_ITEMS ?? ITEMS);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const CONNECTIONS = 50;
const UNCACHED_SAMPLES = 500;
const SEARCHES = 300;
const VISIBILITY_ROUNDS = 5;
const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGETS = { cachedRatio: 0.5, uncachedArticleP95Ms: 10, searchP95Ms: 20, visibleMs: 1000, frontPageKB: 150 };
// As a browser asks: the cached pages are compared in the encoding readers get.
const BROWSER = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };

const say = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- a database filled like a municipality's after a few years ----

async function fill(db: Db, count: number, label: string): Promise<void> {
  await migrateToLatest(db);
  await seedDemo(db);
  say(`${label}: lægger ${count.toLocaleString('da-DK')} indholdselementer ind …`);
  await loadItems(db, await demoWorld(db), count, say);
  // The bulk load bypasses publishing, which keeps the search index; a reindex is what an operator would run.
  const { reindexSearch } = await import('../src/search/indexing.ts');
  const started = performance.now();
  const indexed = await reindexSearch(db);
  say(`${label}: søgeindeks bygget (${indexed.toLocaleString('da-DK')} sider, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  // A running server's autovacuum has analysed tables this size long ago; right after a bulk load nothing has.
  if (label === 'postgres') await sql`vacuum analyze`.execute(db);
  else await sql`analyze`.execute(db);
}

async function liveSlugs(db: Db, type: string, section: string, limit: number): Promise<{ slug: string; title: string }[]> {
  return db
    .selectFrom('items')
    .innerJoin('live_placements as lp', 'lp.item_id', 'items.id')
    .select(['items.slug', 'items.title'])
    .where('items.type', '=', type)
    .where('lp.channel', '=', 'website')
    .where('lp.target', '=', section)
    .orderBy('items.slug')
    .limit(limit)
    .execute();
}

// ---- raw HTTP, to see headers and bytes as sent ----

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** The response as the cache sends it, for the bare server to send byte for byte. */
async function cachedResponse(base: string, path: string): Promise<BareResponse> {
  await request(`${base}${path}`, BROWSER);
  await request(`${base}${path}`, BROWSER);
  // The smallest brotli is made off the event loop once a page is asked for again.
  await sleep(500);
  const res = await request(`${base}${path}`, BROWSER);
  if (res.status !== 200 || res.headers['x-cache'] !== 'HIT') throw new Error(`${path} kom ikke fra cachen (${res.status}, ${res.headers['x-cache']})`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && name !== 'date' && name !== 'connection' && name !== 'keep-alive') headers[name] = String(value);
  return { path, status: 200, headers, body: res.body };
}

interface Load {
  rps: number;
  p99Ms: number;
  errors: number;
}

async function rps(url: string): Promise<Load> {
  const run = (duration: number) => autocannon({ url, connections: CONNECTIONS, duration, headers: BROWSER });
  await run(1); // warm-up: connections, JIT
  const r = await run(LOAD_SECONDS);
  return { rps: Math.round(r.requests.average), p99Ms: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Taking turns, twice, and the better run of each: a shared machine's other work then spoils neither side alone. */
async function bestOf(mediehusUrl: string, bareUrl: string): Promise<{ mediehus: Load; bare: Load }> {
  const runs = { mediehus: [] as Load[], bare: [] as Load[] };
  for (let i = 0; i < 2; i++) {
    runs.mediehus.push(await rps(mediehusUrl));
    runs.bare.push(await rps(bareUrl));
  }
  const best = (xs: Load[]) => xs.reduce((a, b) => (b.rps > a.rps ? b : a));
  return { mediehus: best(runs.mediehus), bare: best(runs.bare) };
}

// ---- SQLite: speed, weight, accessibility, validity, headers ----

async function onSqlite(settings: DatabaseSettings & { dialect: 'sqlite' }) {
  const db = createDb(settings);
  await fill(db, ITEMS, 'sqlite');
  const news = await liveSlugs(db, 'news', 'nyheder', UNCACHED_SAMPLES + 21);
  const [service] = await liveSlugs(db, 'page', 'borger', 1);
  const [event] = await liveSlugs(db, 'event', 'arrangementer', 1);
  const subsite = await db.selectFrom('sites').select('slug').where('kind', '=', 'subsite').where('active', '=', 1).orderBy('slug').executeTakeFirst();
  await db.destroy();
  const articlePath = `/nyheder/${news[0]!.slug}`;
  const pages: Record<string, string> = {
    front: '/',
    service: service ? `/borger/${service.slug}` : '',
    newsList: '/nyheder',
    article: articlePath,
    event: event ? `/arrangementer/${event.slug}` : '',
    search: '/soeg?q=genbrugspladsen',
    openingHours: '/aabningstider',
    subsite: subsite ? `/${subsite.slug}` : '',
  };

  const server = await startMediehus(`sqlite:${settings.file}`);
  let bare: Running | undefined;
  let measured;
  try {
    say(`sqlite: cachede sider mod en bar node:http-server (${CONNECTIONS} forbindelser, ${LOAD_SECONDS} s, skiftevis to gange; den bedste af hver) …`);
    const responses = [await cachedResponse(server.url, '/'), await cachedResponse(server.url, articlePath)];
    bare = await startBare(responses);
    const front = await bestOf(`${server.url}/`, `${bare.url}/`);
    const art = await bestOf(`${server.url}${articlePath}`, `${bare.url}${articlePath}`);
    const [bareFront, bareArt] = [front.bare, art.bare];
    say(`  forside: ${front.mediehus.rps} req/s mod bar ${bareFront.rps} (${round(front.mediehus.rps / bareFront.rps)})`);
    say(`  artikel: ${art.mediehus.rps} req/s mod bar ${bareArt.rps} (${round(art.mediehus.rps / bareArt.rps)})`);
    const load = { front: front.mediehus, bareFront, article: art.mediehus, bareArticle: bareArt, frontBytes: responses[0]!.body.length, articleBytes: responses[1]!.body.length };
    const checks = await checkPages(server.url, pages);
    say('sqlite: HTTP-overskrifter på forsiden …');
    const http = await httpChecks(`${server.url}/`);
    measured = { load, ...checks, http };
  } finally {
    await bare?.stop();
    await server.stop();
  }
  // Rendering in this process, with the servers stopped, so nothing else competes for the CPU.
  const renders = await renderTimes(settings, news.slice(1, 21).map((a) => `/nyheder/${a.slug}`), news.slice(21).map((a) => `/nyheder/${a.slug}`));
  return { ...measured, ...renders, pages };
}

async function renderTimes(settings: DatabaseSettings, warmUpPaths: string[], articlePaths: string[]) {
  const db = createDb(settings);
  const config = { ...loadConfig({ MEDIEHUS_COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret-1', LOG_LEVEL: 'warn', MEDIEHUS_RUN_JOBS: 'false' }), database: settings };
  const app = await buildApp({ config, db });
  await app.ready();
  try {
    const timeGet = async (url: string) => {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: BROWSER });
      return { ms: performance.now() - started, res };
    };
    say(`sqlite: ${articlePaths.length} artikler, som ingen har set før …`);
    for (const path of warmUpPaths) await timeGet(path); // JIT and the template cache
    const articleMs: number[] = [];
    for (const path of articlePaths) {
      const { ms, res } = await timeGet(path);
      if (res.statusCode !== 200 || res.headers['x-cache'] === 'HIT') throw new Error(`${path}: ${res.statusCode} ${res.headers['x-cache']}`);
      articleMs.push(ms);
    }
    const uncachedArticle = figures(articleMs);
    say(`  p50 ${uncachedArticle.p50} ms, p95 ${uncachedArticle.p95} ms, max ${uncachedArticle.max} ms`);

    say(`sqlite: ${SEARCHES} søgninger …`);
    const queries = searchQueries(SEARCHES);
    for (const q of ['opvarmning', 'opvarmning igen', 'tredje opvarmning']) await timeGet(`/soeg?q=${encodeURIComponent(q)}`);
    let searchStatus = 0;
    const searchMs: number[] = [];
    for (const q of queries) {
      const { ms, res } = await timeGet(`/soeg?q=${encodeURIComponent(q)}`);
      searchStatus = res.statusCode;
      if (res.statusCode !== 200) break;
      if (res.headers['x-cache'] === 'HIT') throw new Error(`søgningen "${q}" kom fra cachen`);
      searchMs.push(ms);
    }
    const search: Figures | { status: number } = searchMs.length === queries.length ? figures(searchMs) : { status: searchStatus };
    say('p95' in search ? `  p50 ${search.p50} ms, p95 ${search.p95} ms, max ${search.max} ms` : `  /soeg svarede ${searchStatus}: søgningen er ikke målt`);
    return { uncachedArticle, search };
  } finally {
    await app.close();
    await db.destroy();
  }
}

/** What readers type: single words, two words, misspellings and words that find nothing; each once, so none is cached. */
function searchQueries(n: number): string[] {
  const words = ['genbrugspladsen', 'vejarbejde', 'borgerservice', 'biblioteket', 'skolestart', 'dagplejen', 'cykelstier', 'byrådet', 'ældreplejen', 'sygesikring',
    'affaldskalender', 'parkering', 'svømmehallen', 'byggesager', 'vandforsyning', 'julemarkedet', 'jobcentret', 'naturstien', 'pas', 'flytning'];
  const extra = ['åbningstider', 'regler', 'tønder', 'toftlund', 'rømø', 'mitid', 'sundhedskort', 'e-boks', 'status', 'skærbæk'];
  const odd = ['genbrugspladssen', 'biblotek', 'svømmehalen', 'sygesikrig', 'parkring', 'zebrastribe', 'kvantefysik', 'xylofon'];
  const all = [...words, ...extra, ...odd, ...words.flatMap((w) => extra.map((e) => `${w} ${e}`)), ...words.flatMap((a) => words.filter((b) => b !== a).map((b) => `${a} ${b}`))];
  // Every seventh, so the kinds are mixed however many are taken.
  const out: string[] = [];
  for (let i = 0; out.length < Math.min(n, all.length); i += 7) out.push(all[i % all.length]!);
  return [...new Set(out)];
}

async function checkPages(base: string, pages: Record<string, string>) {
  say('sqlite: forsidens vægt i Chromium, uden JavaScript, axe og Nu HTML Checker …');
  const browser = await launchChromium();
  try {
    const weight = await firstViewWeight(browser, `${base}/`);
    for (const r of weight.resources) say(`  ${(r.bytes / 1024).toFixed(1).padStart(6)} KB  ${r.type.padEnd(10)} ${r.url.replace(base, '')}`);
    say(`  i alt ${(weight.bytes / 1024).toFixed(1)} KB`);
    const withoutJs: Record<string, boolean> = {};
    const axeViolations: Record<string, number | null> = {};
    const html: Record<string, string> = {};
    for (const [name, path] of Object.entries(pages)) {
      if (!path) {
        say(`  ${name}: ingen side af den slags i databasen`);
        axeViolations[name] = null;
        continue;
      }
      const res = await request(`${base}${path}`);
      if (res.status !== 200) {
        say(`  ${name} (${path}): svarede ${res.status}`);
        axeViolations[name] = null;
        continue;
      }
      html[name] = res.body.toString('utf8');
      withoutJs[name] = await worksWithoutJavaScript(browser, `${base}${path}`);
      const found = await axeFindings(browser, `${base}${path}`);
      axeViolations[name] = found.length;
      for (const f of found) say(`  axe ${name} (${path}): ${f.id}: ${f.help} — ${f.targets.join(', ')}`);
    }
    const messages = await vnuMessages(html);
    const vnuErrors: Record<string, number | null> = Object.fromEntries(Object.keys(pages).map((name) => [name, null]));
    for (const [name, list] of Object.entries(messages)) {
      const errors = list.filter((m) => m.type === 'error');
      vnuErrors[name] = errors.length;
      for (const m of errors) say(`  vnu ${name} (${pages[name]}) linje ${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` — ${JSON.stringify(m.extract.trim())}` : ''}`);
    }
    say(`  axe: ${JSON.stringify(axeViolations)}; vnu: ${JSON.stringify(vnuErrors)}; uden JavaScript: ${JSON.stringify(withoutJs)}`);
    return { frontPageKB: round(weight.bytes / 1024, 1), frontPageResources: weight.resources.length, withoutJs, axeViolations, vnuErrors };
  } finally {
    await browser.close();
  }
}

async function httpChecks(url: string) {
  const br = await request(url, { 'accept-encoding': 'br' });
  const gzip = await request(url, { 'accept-encoding': 'gzip' });
  const etag = br.headers.etag;
  const again = etag ? await request(url, { 'accept-encoding': 'br', 'if-none-match': etag }) : null;
  const result = {
    etag: !!etag,
    lastModified: !!br.headers['last-modified'],
    notModified: again?.status === 304 && again.body.length === 0,
    cacheControl: br.headers['cache-control'] ?? null,
    vary: br.headers.vary ?? null,
    brotli: br.headers['content-encoding'] === 'br',
    gzip: gzip.headers['content-encoding'] === 'gzip',
  };
  say(`  ${JSON.stringify(result)}`);
  return result;
}

// ---- PostgreSQL: two processes, one database ----

async function onPostgres(settings: DatabaseSettings & { dialect: 'postgres' }) {
  const db = createDb(settings);
  const servers: Running[] = [];
  try {
    await fill(db, PG_ITEMS, 'postgres');
    servers.push(await startMediehus(settings.url), await startMediehus(settings.url));
    const [, reader] = servers as [Running, Running];
    const actor = async (email: string) => actorFor(db, (await findPersonRowByEmail(db, email))!, '127.0.0.1');
    const [web, intra] = [await actor('web@demo.mediehus.dk'), await actor('intra@demo.mediehus.dk')];
    const kom = (await db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow()).id;

    const list = `${reader.url}/nyheder`;
    /** The reader's process has the list in its cache, so what is measured is the cache giving way. */
    const warm = async () => {
      for (let i = 0; i < 200; i++) {
        await request(list);
        if ((await request(list)).headers['x-cache'] === 'HIT') return;
        await sleep(20);
      }
      throw new Error('nyhedslisten blev ikke cachet');
    };
    const until = async (shown: (body: string) => boolean): Promise<number> => {
      const started = performance.now();
      for (;;) {
        if (shown((await request(list)).body.toString('utf8'))) return performance.now() - started;
        if (performance.now() - started > 10_000) return Infinity;
      }
    };

    say(`postgres: to Mediehus-processer på én database; udgiver i en tredje forbindelse, læser i den anden proces (${VISIBILITY_ROUNDS} gange) …`);
    const publishMs: number[] = [];
    const unpublishMs: number[] = [];
    for (let round = 1; round <= VISIBILITY_ROUNDS; round++) {
      const title = `Målerunde ${round}: nyt fra havnen ${Date.now()}`;
      const { id } = await createItem(db, web, 'news', {
        title,
        summary: 'En nyhed, der udgives og afpubliceres for at måle, hvornår læserne ser det.',
        body: 'Teksten er kort.',
        ownerUnitId: kom,
        contact: 'Kommunikation, 74 92 92 92',
        topics: ['Kultur'],
        language: 'da',
        reviewBy: '',
        images: [],
        placements: [{ channel: 'website', section: 'nyheder' }],
        fields: {},
      });
      await transition(db, web, id, 'submit');
      await transition(db, intra, id, 'approve');
      await warm();
      await transition(db, intra, id, 'publish');
      publishMs.push(await until((body) => body.includes(title)));
      await warm();
      await transition(db, intra, id, 'unpublish', { reason: 'error' });
      unpublishMs.push(await until((body) => !body.includes(title)));
      say(`  runde ${round}: udgivet synlig efter ${publishMs.at(-1)!.toFixed(0)} ms, afpubliceret væk efter ${unpublishMs.at(-1)!.toFixed(0)} ms`);
    }
    return { publish: figures(publishMs), unpublish: figures(unpublishMs) };
  } finally {
    for (const s of servers) await s.stop();
    await db.destroy();
  }
}

const started = performance.now();
const sqlite = await withSqlite('site', onSqlite);
let postgres: Awaited<ReturnType<typeof onPostgres>> | { error: string };
try {
  postgres = await withPostgres(PG_BASE, onPostgres);
} catch (error) {
  say(`postgres: ikke målt (${(error as Error).message})`);
  postgres = { error: (error as Error).message };
}
const visible = 'publish' in postgres ? postgres : null;
const ratio = (a: number, b: number) => round(a / b);
const searchP95Ms = 'p95' in sqlite.search ? sqlite.search.p95 : null;
const figuresOut = {
  bench: 'site',
  items: ITEMS,
  frontRps: sqlite.load.front.rps,
  bareFrontRps: sqlite.load.bareFront.rps,
  frontRatio: ratio(sqlite.load.front.rps, sqlite.load.bareFront.rps),
  articleRps: sqlite.load.article.rps,
  bareArticleRps: sqlite.load.bareArticle.rps,
  articleRatio: ratio(sqlite.load.article.rps, sqlite.load.bareArticle.rps),
  uncachedArticleP95Ms: sqlite.uncachedArticle.p95,
  searchP95Ms,
  publishVisibleMs: visible ? round(visible.publish.max, 0) : null,
  unpublishVisibleMs: visible ? round(visible.unpublish.max, 0) : null,
  frontPageKB: sqlite.frontPageKB,
  worksWithoutJs: Object.values(sqlite.withoutJs).every(Boolean),
  axeViolations: sqlite.axeViolations,
  vnuErrors: sqlite.vnuErrors,
  http: sqlite.http,
  detail: {
    load: sqlite.load,
    uncachedArticle: sqlite.uncachedArticle,
    search: sqlite.search,
    visibility: postgres,
    withoutJs: sqlite.withoutJs,
    pages: sqlite.pages,
    frontPageResources: sqlite.frontPageResources,
    seconds: round((performance.now() - started) / 1000, 0),
  },
  targets: TARGETS,
};
const met =
  figuresOut.frontRatio >= TARGETS.cachedRatio &&
  figuresOut.articleRatio >= TARGETS.cachedRatio &&
  figuresOut.uncachedArticleP95Ms < TARGETS.uncachedArticleP95Ms &&
  searchP95Ms !== null &&
  searchP95Ms < TARGETS.searchP95Ms &&
  figuresOut.publishVisibleMs !== null &&
  figuresOut.publishVisibleMs <= TARGETS.visibleMs &&
  figuresOut.unpublishVisibleMs !== null &&
  figuresOut.unpublishVisibleMs <= TARGETS.visibleMs &&
  figuresOut.frontPageKB <= TARGETS.frontPageKB &&
  figuresOut.worksWithoutJs &&
  Object.values(figuresOut.axeViolations).every((n) => n === 0) &&
  Object.values(figuresOut.vnuErrors).every((n) => n === 0) &&
  figuresOut.http.etag &&
  figuresOut.http.notModified &&
  figuresOut.http.brotli &&
  figuresOut.http.gzip;
console.log(JSON.stringify({ ...figuresOut, met }));
