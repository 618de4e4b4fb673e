// Content as a municipality's hub holds it after a few years: 100,000 items of every type and state, written in
// bulk (through the services they would take several minutes), repeatable from run to run. Used by the benches.
import { markdownToPlainText } from '../../src/content/markdown.ts';
import { channelKeys, slugify } from '../../src/content/model.ts';
import type { ItemChannelsTable, ItemsTable, LiveAudiencesTable, LivePlacementsTable, RevisionsTable } from '../../src/content/tables.ts';
import type { Content, ItemState, ItemType, Placement } from '../../src/content/types.ts';
import type { Db, Tx } from '../../src/platform/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { localDate } from '../../src/platform/time.ts';

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

export interface World {
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

/** Writes `count` items in bulk, the same rows on every run; `say` hears the progress. */
export async function loadItems(db: Db, w: World, count: number, say: (message: string) => void): Promise<void> {
  seed = SEED;
  const started = performance.now();
  for (let done = 0; done < count; done += ITEMS_PER_TRANSACTION) {
    const batch: Batch = { items: [], revisions: [], channels: [], live: [], audiences: [] };
    for (let n = done; n < Math.min(count, done + ITEMS_PER_TRANSACTION); n++) makeItem(n, w, batch);
    await db.transaction().execute(async (tx) => {
      await insertChunked(tx, 'items', batch.items);
      await insertChunked(tx, 'revisions', batch.revisions);
      await insertChunked(tx, 'item_channels', batch.channels);
      await insertChunked(tx, 'live_placements', batch.live);
      await insertChunked(tx, 'live_audiences', batch.audiences);
    });
    say(`  ${Math.min(count, done + ITEMS_PER_TRANSACTION).toLocaleString('da-DK')} indholdselementer (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

/** The demo municipality's units, editors and groups, which the generated items are spread over. */
export async function demoWorld(db: Db): Promise<World> {
  const units = await db.selectFrom('units').select(['id', 'kind']).orderBy('slug').execute();
  const people = await db.selectFrom('people').select(['id', 'email']).orderBy('email').execute();
  return {
    unitIds: units.map((u) => u.id),
    institutionIds: units.filter((u) => u.kind === 'institution').map((u) => u.id),
    authorIds: people.filter((p) => /^(web|intra|app|skole|some)@/.test(p.email)).map((p) => p.id),
    groupIds: (await db.selectFrom('groups').select('id').orderBy('name').execute()).map((g) => g.id),
  };
}
