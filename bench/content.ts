// npm run bench -- content: the editors' content list and saving an edition, on 100,000 items.
// Runs on a fresh SQLite file, and on a fresh PostgreSQL database as well when BENCH_DATABASE_URL is set.
// The items are written in bulk, since through the services they would take several minutes; what is measured goes through the real code.
import { sql } from 'kysely';
import { parseContent, saveItem } from '../src/content/service.ts';
import * as store from '../src/content/store.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { findPersonRowByEmail } from '../src/org/store.ts';
import type { DatabaseSettings } from '../src/platform/config.ts';
import { createDb, type Dialect } from '../src/platform/db.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { actorFor } from '../src/signin/actors.ts';
import { demoWorld, loadItems } from './lib/content-generator.ts';
import { figures, timed } from './lib/figures.ts';
import { withPostgres, withSqlite } from './lib/fresh-database.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const LIST_ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 20);
const SAVES = Number(process.env.BENCH_SAVES ?? 320);
const PAGE_SIZE = 25; // as the content list shows
const DEEP_PAGE = 100;
const TARGETS = { listP95Ms: 50, saveP95Ms: 20 };

const say = (message: string) => process.stderr.write(`${message}\n`);

async function measure(dialect: Dialect, settings: DatabaseSettings) {
  const db = createDb(settings);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const units = await db.selectFrom('units').select(['id', 'slug']).orderBy('slug').execute();
    const unitBySlug = (slug: string) => units.find((u) => u.slug === slug)!.id;
    say(`${dialect}: lægger ${ITEMS.toLocaleString('da-DK')} indholdselementer ind …`);
    await loadItems(db, await demoWorld(db), ITEMS, say);
    // On a running server autovacuum has vacuumed and analysed tables this size long before anyone lists them;
    // right after a bulk load there are no statistics and no visibility map, so every plan would be a guess.
    if (dialect === 'postgres') await sql`vacuum analyze`.execute(db);

    const school = unitBySlug('toender-distriktsskole');
    const filters: [string, Omit<store.ItemFilter, 'limit' | 'offset'>][] = [
      ['alt', {}],
      ['type', { type: 'news' }],
      ['tilstand', { state: 'draft' }],
      ['enhed', { ownerUnitId: unitBySlug('borgerservice') }],
      ['kanal', { channel: 'intranet' }],
      ['fritekst', { q: 'genbrug' }],
      ['type+tilstand+enhed', { type: 'news', state: 'published', ownerUnitId: unitBySlug('kommunikation') }],
      ['subsite-redaktør', { visibleChannels: [`subsite:${school}`] }],
    ];
    const cases: { name: string; filter: store.ItemFilter }[] = [];
    for (const [name, f] of filters) {
      const { total } = await store.listItems(db, { ...f, limit: PAGE_SIZE, offset: 0 });
      const deepPage = Math.max(1, Math.min(DEEP_PAGE, Math.ceil(total / PAGE_SIZE)));
      say(`  ${name}: ${total} elementer; dyb side = ${deepPage}`);
      cases.push({ name: `${name} s. 1`, filter: { ...f, limit: PAGE_SIZE, offset: 0 } });
      cases.push({ name: `${name} s. ${deepPage}`, filter: { ...f, limit: PAGE_SIZE, offset: (deepPage - 1) * PAGE_SIZE } });
    }
    const perCase = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    const list: number[] = [];
    say(`${dialect}: måler indholdslisten (${cases.length * LIST_ROUNDS} kald) …`);
    for (let round = 0; round < LIST_ROUNDS; round++) {
      for (const c of cases) {
        const [ms, result] = await timed(() => store.listItems(db, c.filter));
        if (result.rows.length === 0 && result.total > 0) throw new Error(`${c.name}: tom side`);
        list.push(ms);
        perCase.get(c.name)!.push(ms);
      }
    }
    const cased = Object.fromEntries([...perCase].map(([name, ms]) => [name, figures(ms)]));
    for (const [name, f] of Object.entries(cased)) say(`  ${name.padEnd(28)} p50 ${f.p50.toFixed(2).padStart(7)} ms  p95 ${f.p95.toFixed(2).padStart(7)} ms  max ${f.max.toFixed(2).padStart(7)} ms`);

    // Line edits the website, the intranet and the app: she saves items in those channels, or placed nowhere.
    const intra = await actorFor(db, (await findPersonRowByEmail(db, 'intra@demo.mediehus.dk'))!, '127.0.0.1');
    const editable = await db
      .selectFrom('items')
      .select(['id', 'latest_revision'])
      .where((eb) =>
        eb.or([
          eb('id', 'in', eb.selectFrom('item_channels').select('item_id').where('channel', 'in', ['website', 'intranet', 'app'])),
          eb.not(eb.exists(eb.selectFrom('item_channels').select('item_id').whereRef('item_channels.item_id', '=', 'items.id'))),
        ]),
      )
      .orderBy(sql`random()`)
      .limit(SAVES)
      .execute();
    const save: number[] = [];
    say(`${dialect}: måler ${editable.length} gemninger …`);
    for (const [i, item] of editable.entries()) {
      const content = parseContent((await store.findRevision(db, item.id, item.latest_revision))!.content);
      const raw = { ...content, summary: `${content.summary} Opdateret ${i}.` };
      const [ms] = await timed(() => saveItem(db, intra, item.id, raw, { baseRevision: item.latest_revision, changeNote: 'Rettet resumé', major: false }));
      save.push(ms);
    }
    const listFigures = figures(list);
    const saveFigures = figures(save);
    say(`  liste: p50 ${listFigures.p50} ms, p95 ${listFigures.p95} ms, max ${listFigures.max} ms`);
    say(`  gem:   p50 ${saveFigures.p50} ms, p95 ${saveFigures.p95} ms, max ${saveFigures.max} ms`);
    return {
      dialect,
      list: listFigures,
      save: saveFigures,
      met: listFigures.p95 < TARGETS.listP95Ms && saveFigures.p95 < TARGETS.saveP95Ms,
      listCases: cased,
    };
  } finally {
    await db.destroy();
  }
}

const sqlite = await withSqlite('content', (settings) => measure('sqlite', settings));
const postgres = process.env.BENCH_DATABASE_URL ? await withPostgres(process.env.BENCH_DATABASE_URL, (settings) => measure('postgres', settings)) : null;
const { listCases, ...sqliteFigures } = sqlite;
console.log(
  JSON.stringify({
    bench: 'content',
    dialect: 'sqlite',
    items: ITEMS,
    list: sqliteFigures.list,
    save: sqliteFigures.save,
    targets: TARGETS,
    met: sqlite.met && (postgres?.met ?? true),
    listCases,
    ...(postgres ? { postgres } : {}),
  }),
);
