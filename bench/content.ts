// npm run bench -- content: the editors' content list and saving an edition, on 100,000 items.
// Runs on a fresh SQLite file, and on a fresh PostgreSQL database as well when BENCH_DATABASE_URL is set.
// The items are written in bulk, since through the services they would take several minutes; what is measured goes through the real code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { markdownToPlainText } from '../src/content/markdown.ts';
import { channelKeys, slugify } from '../src/content/model.ts';
import { parseContent, saveItem } from '../src/content/service.ts';
import * as store from '../src/content/store.ts';
import type { ItemChannelsTable, ItemsTable, LiveAudiencesTable, LivePlacementsTable, RevisionsTable } from '../src/content/tables.ts';
import type { Content, ItemState, ItemType, Placement } from '../src/content/types.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { findPersonRowByEmail } from '../src/org/store.ts';
import type { DatabaseSettings } from '../src/platform/config.ts';
import type { Db, Tx } from '../src/platform/database.ts';
import { createDb, type Dialect } from '../src/platform/db.ts';
import { newId } from '../src/platform/ids.ts';
import { migrateToLatest } from '../src/platform/migrate.ts';
import { localDate } from '../src/platform/time.ts';
import { actorFor } from '../src/signin/actors.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const LIST_ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 20);
const SAVES = Number(process.env.BENCH_SAVES ?? 320);
const PAGE_SIZE = 25; // as the content list shows
const DEEP_PAGE = 100;
const TARGETS = { listP95Ms: 50, saveP95Ms: 20 };

const say = (message: string) => process.stderr.write(`${message}\n`);

// ---- a repeatable random source, so two runs load the same rows ----

const SEED = 20261126;
let seed = SEED;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
function weighted<T extends string>(table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of table) if ((r -= w) < 0) return value;
  return table[table.length - 1]![0];
}

const TYPE_MIX = [['page', 20], ['news', 25], ['event', 12], ['selfservice', 6], ['campaign', 5], ['knowledge', 17], ['leader_module', 4], ['alert', 3]] as const;
const STATE_MIX = [['published', 60], ['draft', 14], ['in_review', 5], ['approved', 3], ['scheduled', 2], ['archived', 16]] as const;

const SUBJECTS = ['Genbrugspladsen', 'Vejarbejde', 'Borgerservice', 'Biblioteket', 'Skolestart', 'Dagplejen', 'Cykelstier', 'Byrådet', 'Ældreplejen', 'Sygesikring',
  'Affaldskalender', 'Parkering', 'Svømmehallen', 'Foreningslivet', 'Byggesager', 'Vandforsyning', 'Julemarkedet', 'Sundhedsplejen', 'Jobcentret', 'Naturstien'];
const PLACES = ['i Tønder', 'i Toftlund', 'i Skærbæk', 'i Bredebro', 'i Løgumkloster', 'på Rømø', 'i Højer', 'i hele kommunen'];
const ANGLES = ['nye åbningstider', 'det skal du vide', 'ændringer fra næste måned', 'spørgsmål og svar', 'sådan gør du', 'nye regler', 'status', 'kom og vær med'];
const PARAGRAPHS = [
  'Vi har samlet det vigtigste her. Læs det, før du kontakter os.',
  'Du kan bruge MitID til at logge på. Det tager kun få minutter.',
  'Har du spørgsmål? Så ring til os på hverdage mellem kl. 10 og 15.',
  'Reglerne gælder fra næste måned. Der er ingen ændringer for dig, hvis du allerede er i gang.',
  'Vi sender et brev i e-Boks, når der er nyt. Du behøver ikke gøre noget.',
  'Husk at tage dit sundhedskort med. Uden det kan vi ikke hjælpe dig.',
  'Der er gratis parkering ved indgangen. Bussen holder lige uden for døren.',
  'Du kan også komme forbi. Vi sidder på Wegners Plads 2 i Tønder.',
];
const TOPICS = ['Affald', 'Trafik', 'Skole', 'Kultur', 'Sundhed', 'Byggeri', 'Politik', 'HR', 'Ledelse', 'Natur'];

interface World {
  unitIds: string[];
  institutionIds: string[];
  authorIds: string[];
  groupIds: string[];
}

function placementsFor(type: ItemType, w: World): Placement[] {
  const intranet = (): Placement => {
    const r = random();
    return { channel: 'intranet', everyone: r < 0.6, roles: r >= 0.6 && r < 0.8 ? ['manager'] : [], unitIds: r >= 0.8 && r < 0.95 ? [pick(w.unitIds)] : [], groupIds: r >= 0.95 ? [pick(w.groupIds)] : [] };
  };
  const subsite = (): Placement => ({ channel: 'subsite', unitId: pick(w.institutionIds) });
  const social = (): Placement => ({ channel: 'social', accountId: pick(['facebook', 'instagram', 'linkedin']), text: 'Læs mere på toender.dk' });
  const p: Placement[] = [];
  switch (type) {
    case 'page':
      p.push(random() < 0.15 ? subsite() : { channel: 'website', section: pick(['borger', 'erhverv', 'politik', 'kommunen'] as const) });
      break;
    case 'news':
      p.push(random() < 0.1 ? subsite() : { channel: 'website', section: 'nyheder' });
      if (random() < 0.4) p.push(intranet());
      if (random() < 0.3) p.push({ channel: 'app', section: 'nyheder' });
      if (random() < 0.15) p.push(social());
      break;
    case 'event':
      p.push(random() < 0.2 ? subsite() : { channel: 'website', section: 'arrangementer' });
      if (random() < 0.4) p.push({ channel: 'app', section: 'arrangementer' });
      break;
    case 'selfservice':
      p.push({ channel: 'website', section: 'borger' });
      if (random() < 0.3) p.push({ channel: 'app', section: 'genveje' });
      break;
    case 'campaign':
      p.push(random() < 0.5 ? { channel: 'website', section: 'borger' } : { channel: 'app', section: 'kampagner' });
      if (random() < 0.3) p.push(social());
      break;
    case 'knowledge':
      p.push(intranet());
      break;
    case 'leader_module':
      p.push({ channel: 'app', section: 'leder-gps' }, { channel: 'intranet', everyone: false, roles: ['manager'], unitIds: [], groupIds: [] });
      break;
    case 'alert':
      p.push({ channel: 'website', section: 'borger' }, { channel: 'app', section: 'nyheder' });
      break;
  }
  return p;
}

function fieldsFor(type: ItemType, at: Date): Record<string, unknown> {
  const day = (offset: number) => localDate(new Date(at.getTime() + offset * 86_400_000));
  switch (type) {
    case 'event': {
      const d = day(Math.floor(random() * 60));
      return { startsAt: `${d}T19:00`, endsAt: `${d}T21:00`, place: pick(['Biblioteket, Wegners Plads 6, 6270 Tønder', 'Tønder Kulturhus', 'Toftlund Hallen', 'Skærbæk Skole']) };
    }
    case 'selfservice':
      return { targetUrl: `https://www.borger.dk/${slugify(pick(SUBJECTS))}`, keywords: [pick(TOPICS).toLowerCase(), pick(SUBJECTS).toLowerCase()] };
    case 'campaign':
      return { startsOn: day(0), endsOn: day(30), callToActionText: 'Læs mere', callToActionUrl: '/borger' };
    case 'leader_module':
      return { leadershipLevel: pick(['first_line', 'middle', 'function'] as const), steps: ['Tal med dine medarbejdere.', 'Sæt mål sammen.'], checklist: ['Aftaler skrevet ned'] };
    case 'alert':
      return { severity: pick(['info', 'warning', 'danger'] as const), area: pick(PLACES) };
    default:
      return {};
  }
}

interface Batch {
  items: ItemsTable[];
  revisions: RevisionsTable[];
  channels: ItemChannelsTable[];
  live: LivePlacementsTable[];
  audiences: LiveAudiencesTable[];
}

const BENCH_START = Date.now();
const YEARS_BACK = 3 * 365 * 86_400_000;

/** One item as the service would have left it after its history: same columns, JSON content, channels and live rows. */
function makeItem(n: number, w: World, into: Batch): void {
  const type = weighted(TYPE_MIX);
  const state: ItemState = weighted(STATE_MIX);
  const ownerUnitId = pick(w.unitIds);
  const title = `${pick(SUBJECTS)} ${pick(PLACES)}: ${pick(ANGLES)}`;
  const paragraphs = [pick(PARAGRAPHS), pick(PARAGRAPHS), pick(PARAGRAPHS)];
  const body = `## ${pick(ANGLES)}\n\n${paragraphs.join('\n\n')}`;
  // Some drafts are not placed anywhere yet; every editor sees those.
  const placements = state === 'draft' && random() < 0.2 ? [] : placementsFor(type, w);
  const topics = [pick(TOPICS)];
  const createdAt = BENCH_START - random() * YEARS_BACK;
  const updatedAt = createdAt + random() * (BENCH_START - createdAt);
  const revisionCount = 1 + Math.floor(random() * 3);
  const author = pick(w.authorIds);
  const other = pick(w.authorIds.filter((a) => a !== author));
  const content: Content = {
    title,
    summary: `${paragraphs[0]} ${pick(PLACES)}.`,
    body,
    ownerUnitId,
    contact: 'Borgerservice, tlf. 74 92 92 92',
    topics,
    language: 'da',
    reviewBy: type === 'page' || type === 'knowledge' || type === 'selfservice' ? localDate(new Date(updatedAt + (random() * 2 - 0.3) * 365 * 86_400_000)) : null,
    images: [],
    placements,
    fields: fieldsFor(type, new Date(updatedAt)),
  };
  const id = newId();
  const iso = (t: number) => new Date(t).toISOString();
  const published = state === 'published' || (state !== 'archived' && revisionCount > 1 && random() < 0.3);
  const liveRevision = state === 'published' ? revisionCount : published ? revisionCount - 1 : null;
  const scheduledAt = state === 'scheduled' ? iso(BENCH_START + random() * 14 * 86_400_000) : null;
  const emergency = state === 'published' && random() < 0.01;
  into.items.push({
    id,
    type,
    slug: `${slugify(title)}-${n}`,
    state,
    placed: channelKeys(placements).length ? 1 : 0,
    owner_unit_id: ownerUnitId,
    title,
    summary: content.summary,
    search_text: `${title} ${content.summary} ${markdownToPlainText(body)} ${topics.join(' ')}`.toLowerCase(),
    latest_revision: revisionCount,
    edition_start: liveRevision && liveRevision < revisionCount ? liveRevision + 1 : 1,
    live_revision: liveRevision,
    last_live_revision: state === 'archived' ? revisionCount : null,
    first_published_at: liveRevision || state === 'archived' ? iso(createdAt) : null,
    live_since: liveRevision ? iso(updatedAt) : null,
    submitted_by: state === 'in_review' || state === 'approved' || state === 'scheduled' ? author : null,
    approved_by: state === 'approved' || state === 'scheduled' ? other : null,
    review_comment: null,
    publish_at: scheduledAt,
    unpublish_at: null,
    not_reviewed: emergency ? 1 : 0,
    emergency_by: emergency ? author : null,
    emergency_reason: emergency ? 'Vigtig besked til borgerne' : null,
    unpublish_reason: state === 'archived' ? 'withdrawn' : null,
    unpublish_note: state === 'archived' ? 'Siden er ikke længere aktuel.' : null,
    replaced_by: null,
    review_by: content.reviewBy,
    created_by: author,
    created_at: iso(createdAt),
    updated_by: random() < 0.5 ? author : other,
    updated_at: iso(updatedAt),
  });
  for (let r = 1; r <= revisionCount; r++) {
    const at = createdAt + ((updatedAt - createdAt) * r) / revisionCount;
    const text = r === revisionCount ? content : { ...content, summary: `${content.summary} (version ${r})` };
    into.revisions.push({ item_id: id, number: r, author_id: r === 1 ? author : pick(w.authorIds), created_at: iso(at), change_note: r === 1 ? 'Oprettet' : 'Rettet', major: r === 1 ? 1 : 0, content: JSON.stringify(text) });
  }
  for (const channel of channelKeys(placements)) into.channels.push({ item_id: id, channel });
  if (liveRevision) {
    const targets = new Map<string, { channel: string; target: string }>();
    for (const p of placements) {
      const target = p.channel === 'website' || p.channel === 'app' ? p.section : p.channel === 'subsite' ? p.unitId : p.channel === 'social' ? p.accountId : 'intranet';
      targets.set(`${p.channel}:${target}`, { channel: p.channel, target });
      if (p.channel === 'intranet') {
        if (p.everyone) into.audiences.push({ item_id: id, kind: 'everyone', value: '' });
        for (const r of p.roles) into.audiences.push({ item_id: id, kind: 'role', value: r });
        for (const u of p.unitIds) into.audiences.push({ item_id: id, kind: 'unit', value: u });
        for (const g of p.groupIds) into.audiences.push({ item_id: id, kind: 'group', value: g });
      }
    }
    for (const t of targets.values()) into.live.push({ item_id: id, ...t, published_at: iso(updatedAt) });
  }
}

const ROWS_PER_INSERT = 500;
const ITEMS_PER_TRANSACTION = 5_000;

type BulkTable = 'items' | 'revisions' | 'item_channels' | 'live_placements' | 'live_audiences';

async function insertChunked(tx: Tx, table: BulkTable, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await tx.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT) as never).execute();
}

async function load(db: Db, w: World): Promise<void> {
  seed = SEED;
  const started = performance.now();
  for (let done = 0; done < ITEMS; done += ITEMS_PER_TRANSACTION) {
    const batch: Batch = { items: [], revisions: [], channels: [], live: [], audiences: [] };
    for (let n = done; n < Math.min(ITEMS, done + ITEMS_PER_TRANSACTION); n++) makeItem(n, w, batch);
    await db.transaction().execute(async (tx) => {
      await insertChunked(tx, 'items', batch.items);
      await insertChunked(tx, 'revisions', batch.revisions);
      await insertChunked(tx, 'item_channels', batch.channels);
      await insertChunked(tx, 'live_placements', batch.live);
      await insertChunked(tx, 'live_audiences', batch.audiences);
    });
    say(`  ${Math.min(ITEMS, done + ITEMS_PER_TRANSACTION).toLocaleString('da-DK')} indholdselementer (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

// ---- measuring ----

interface Figures {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function figures(ms: number[]): Figures {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]!), n: sorted.length };
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await f();
  return [performance.now() - started, result];
}

async function measure(dialect: Dialect, settings: DatabaseSettings) {
  const db = createDb(settings);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const units = await db.selectFrom('units').select(['id', 'slug', 'kind']).orderBy('slug').execute();
    const unitBySlug = (slug: string) => units.find((u) => u.slug === slug)!.id;
    const people = await db.selectFrom('people').select(['id', 'email']).orderBy('email').execute();
    const world: World = {
      unitIds: units.map((u) => u.id),
      institutionIds: units.filter((u) => u.kind === 'institution').map((u) => u.id),
      authorIds: people.filter((p) => /^(web|intra|app|skole|some)@/.test(p.email)).map((p) => p.id),
      groupIds: (await db.selectFrom('groups').select('id').orderBy('name').execute()).map((g) => g.id),
    };
    say(`${dialect}: lægger ${ITEMS.toLocaleString('da-DK')} indholdselementer ind …`);
    await load(db, world);
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

// ---- fresh databases ----

async function onSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-bench-content-'));
  try {
    return await measure('sqlite', { dialect: 'sqlite', file: path.join(dir, 'bench.sqlite') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(base: string) {
  const name = `mh_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await measure('postgres', { dialect: 'postgres', url: url.toString() });
  } finally {
    await admin(`drop database if exists ${name} with (force)`);
  }
}

const sqlite = await onSqlite();
const postgres = process.env.BENCH_DATABASE_URL ? await onPostgres(process.env.BENCH_DATABASE_URL) : null;
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
