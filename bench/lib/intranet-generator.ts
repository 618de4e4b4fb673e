// A municipality's intranet after some years: a tree of units, 20,000 people with roles and groups, and 100,000
// live intranet items and posts with their audiences. Written in bulk (through the services it would take long),
// with the same rows the services write, and the same on every run.
import { stemmedText } from '../../src/search/text.ts';
import type { Db, Tx } from '../../src/platform/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { localDate } from '../../src/platform/time.ts';

let seed = 20261127;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const FIRST = ['Anne', 'Mette', 'Hanne', 'Lene', 'Susanne', 'Kirsten', 'Peter', 'Jens', 'Lars', 'Søren', 'Niels', 'Morten', 'Line', 'Sofie', 'Emma', 'Jonas', 'Rasmus', 'Mads', 'Ida', 'Freja'];
const LAST = ['Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen', 'Lund'];
const TITLES = ['Sagsbehandler', 'Pædagog', 'Lærer', 'Social- og sundhedshjælper', 'Konsulent', 'Sygeplejerske', 'Dagplejer', 'Bibliotekar', 'Vejmand', 'Kontorelev'];
const SUBJECTS = ['Personalemøde', 'Ny procedure', 'Arbejdsmiljø', 'Sygefravær', 'IT-systemet', 'Julefrokost', 'Kompetenceudvikling', 'Budgettet', 'Trivselsmåling', 'Kantinen', 'Vagtplanen', 'Hjemmearbejde'];
const ANGLES = ['det skal du vide', 'nye regler', 'status', 'husk tilmelding', 'spørgsmål og svar', 'sådan gør du'];
const SENTENCES = [
  'Læs mere om det på dit teams side.',
  'Spørg din leder, hvis du er i tvivl.',
  'Vi samler erfaringerne og følger op i næste måned.',
  'Tilmeld dig senest fredag.',
  'Materialet ligger under Viden.',
  'Tak til alle, der har bidraget.',
];

export interface IntranetWorld {
  unitIds: string[];
  personIds: string[];
  groupIds: string[];
}

const ROWS = 500;
async function insertChunked(tx: Tx, table: string, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS) await tx.insertInto(table as never).values(rows.slice(i, i + ROWS) as never).execute();
}

/** Units under the demo's root: 8 administrations, 40 departments, 240 institutions. */
export async function loadOrganisation(db: Db, people: number, say: (m: string) => void): Promise<IntranetWorld> {
  seed = 20261127;
  const now = new Date().toISOString();
  const root = (await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()).id;
  const units: object[] = [];
  const unitIds: string[] = [];
  const addUnit = (parent: string, name: string, kind: string) => {
    const id = newId();
    units.push({ id, parent_id: parent, name, slug: `b-${id.slice(0, 12)}`, kind, email: null, phone: null, address: null, description: null, head_id: null, is_platform_owner: 0, active: 1, created_at: now, updated_at: now });
    unitIds.push(id);
    return id;
  };
  for (let a = 0; a < 8; a++) {
    const adm = addUnit(root, `Forvaltning ${a + 1}`, 'administration');
    for (let d = 0; d < 5; d++) {
      const dep = addUnit(adm, `Afdeling ${a + 1}.${d + 1}`, 'department');
      for (let i = 0; i < 6; i++) addUnit(dep, `Institution ${a + 1}.${d + 1}.${i + 1}`, 'institution');
    }
  }
  const personRows: object[] = [];
  const placed: object[] = [];
  const personIds: string[] = [];
  for (let n = 0; n < people; n++) {
    const id = newId();
    const r = random();
    const role = r < 0.02 ? 'politician' : r < 0.12 ? 'manager' : 'employee';
    personRows.push({
      id,
      name: `${pick(FIRST)} ${pick(LAST)}`,
      email: `p${n}@bench.toender.dk`,
      job_role: role,
      leadership_level: role === 'manager' ? 'first_line' : null,
      title: pick(TITLES),
      phone: null,
      active: 1,
      password_hash: null,
      external_id: null,
      failed_signins: 0,
      locked_until: null,
      created_at: now,
      updated_at: now,
    });
    placed.push({ person_id: id, unit_id: pick(unitIds) });
    personIds.push(id);
  }
  const groups: object[] = [];
  const members: object[] = [];
  const groupIds: string[] = [];
  for (let g = 0; g < 200; g++) {
    const id = newId();
    groups.push({ id, name: `Netværk ${g + 1}`, kind: 'ad_hoc', channel: null, subsite_unit_id: null, purpose: 'Erfaringsudveksling', ends_on: null, active: 1, created_at: now, updated_at: now });
    groupIds.push(id);
    const chosen = new Set<string>();
    while (chosen.size < 40) chosen.add(pick(personIds));
    for (const person_id of chosen) members.push({ group_id: id, person_id, role: 'member' });
  }
  await db.transaction().execute(async (tx) => {
    await insertChunked(tx, 'units', units);
    await insertChunked(tx, 'people', personRows);
    await insertChunked(tx, 'person_units', placed);
    await insertChunked(tx, 'groups', groups);
    await insertChunked(tx, 'group_members', members);
  });
  say(`  ${unitIds.length} enheder, ${people.toLocaleString('da-DK')} personer, ${groupIds.length} grupper`);
  return { unitIds, personIds, groupIds };
}

type Key = { kind: string; value: string };
function audienceFor(w: IntranetWorld): Key[] {
  const r = random();
  if (r < 0.35) return [{ kind: 'everyone', value: '' }];
  if (r < 0.45) return [{ kind: 'role', value: pick(['manager', 'manager', 'politician', 'employee']) }];
  if (r < 0.9) return [{ kind: 'unit', value: pick(w.unitIds) }];
  return [{ kind: 'group', value: pick(w.groupIds) }];
}

const CATEGORIES = [['news', 45], ['knowledge', 25], ['event', 10], ['page', 12], ['leader_module', 5], ['alert', 3]] as const;
function category(): (typeof CATEGORIES)[number][0] {
  let r = random() * 100;
  for (const [c, w] of CATEGORIES) if ((r -= w) < 0) return c;
  return 'news';
}

const YEARS_BACK = 3 * 365 * 86_400_000;

/** `count` live intranet items with their revision, placements, audiences and search text. */
export async function loadIntranetItems(db: Db, w: IntranetWorld, count: number, say: (m: string) => void): Promise<void> {
  const started = performance.now();
  const author = (await db.selectFrom('people').select('id').where('email', '=', 'intra@demo.mediehus.dk').executeTakeFirstOrThrow()).id;
  for (let done = 0; done < count; done += 5000) {
    const batch: Record<string, object[]> = { items: [], revisions: [], item_channels: [], live_placements: [], live_audiences: [], audience_entries: [], intranet_texts: [] };
    for (let n = done; n < Math.min(count, done + 5000); n++) {
      const id = newId();
      const type = category();
      const at = new Date(Date.now() - random() * YEARS_BACK).toISOString();
      const title = `${pick(SUBJECTS)}: ${pick(ANGLES)} (${n})`;
      const summary = `${pick(SENTENCES)} ${pick(SENTENCES)}`;
      const body = `${pick(SENTENCES)}\n\n${pick(SENTENCES)}`;
      const keys = type === 'leader_module' ? [{ kind: 'role', value: 'manager' }] : audienceFor(w);
      const mustRead = random() < 0.01;
      const startsAt = type === 'event' ? `${localDate(new Date(Date.now() + (random() * 120 - 30) * 86_400_000))}T10:00` : null;
      const placement = {
        channel: 'intranet',
        everyone: keys.some((k) => k.kind === 'everyone'),
        roles: keys.filter((k) => k.kind === 'role').map((k) => k.value),
        unitIds: keys.filter((k) => k.kind === 'unit').map((k) => k.value),
        groupIds: keys.filter((k) => k.kind === 'group').map((k) => k.value),
        mustRead,
        remindAfterDays: mustRead ? 7 : null,
      };
      const content = { title, summary, body, ownerUnitId: pick(w.unitIds), contact: '', topics: ['HR'], language: 'da', reviewBy: null, images: [], placements: [placement], fields: type === 'event' ? { startsAt, endsAt: startsAt, place: 'Rådhuset' } : type === 'alert' ? { severity: 'info', area: 'Alle' } : {} };
      batch.items!.push({
        id, type, slug: `i-${id}`, state: 'published', placed: 1, owner_unit_id: content.ownerUnitId, title, summary, search_text: `${title} ${summary}`.toLowerCase(),
        latest_revision: 1, edition_start: 1, live_revision: 1, last_live_revision: null, first_published_at: at, live_since: at, submitted_by: null, approved_by: null,
        review_comment: null, publish_at: null, unpublish_at: null, not_reviewed: 0, emergency_by: null, emergency_reason: null, unpublish_reason: null, unpublish_note: null,
        replaced_by: null, review_by: null, created_by: author, created_at: at, updated_by: author, updated_at: at,
      });
      batch.revisions!.push({ item_id: id, number: 1, author_id: author, created_at: at, change_note: 'Oprettet', major: 1, content: JSON.stringify(content) });
      batch.item_channels!.push({ item_id: id, channel: 'intranet' });
      batch.live_placements!.push({ item_id: id, channel: 'intranet', target: 'intranet', published_at: at });
      for (const k of keys) {
        batch.live_audiences!.push({ item_id: id, kind: k.kind, value: k.value });
        batch.audience_entries!.push({ object_type: 'item', object_id: id, category: type, kind: k.kind, value: k.value, sort_at: startsAt ?? at });
        if (mustRead) batch.audience_entries!.push({ object_type: 'item', object_id: id, category: 'must_read', kind: k.kind, value: k.value, sort_at: at });
      }
      batch.intranet_texts!.push({ object_type: 'item', object_id: id, stems: ` ${stemmedText(`${title}\n${summary}\n${body}`)} `, sort_at: at });
    }
    await db.transaction().execute(async (tx) => {
      for (const [table, rows] of Object.entries(batch)) await insertChunked(tx, table, rows);
    });
    say(`  ${Math.min(count, done + 5000).toLocaleString('da-DK')} intranetelementer (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

/** `count` employees' posts, to their unit, to everyone or to a group, with their audience entries and search text. */
export async function loadPosts(db: Db, w: IntranetWorld, count: number, say: (m: string) => void): Promise<void> {
  const started = performance.now();
  const unitOf = new Map((await db.selectFrom('person_units').select(['person_id', 'unit_id']).execute()).map((r) => [r.person_id, r.unit_id]));
  for (let done = 0; done < count; done += 5000) {
    const batch: Record<string, object[]> = { posts: [], audience_entries: [] };
    for (let n = done; n < Math.min(count, done + 5000); n++) {
      const id = newId();
      const author = pick(w.personIds);
      const at = new Date(Date.now() - random() * YEARS_BACK).toISOString();
      const r = random();
      const audience = r < 0.6 ? { everyone: false, unitIds: [unitOf.get(author)!], groupIds: [] } : r < 0.9 ? { everyone: true, unitIds: [], groupIds: [] } : { everyone: false, unitIds: [], groupIds: [pick(w.groupIds)] };
      const body = `${pick(SUBJECTS)}: ${pick(SENTENCES)} ${pick(SENTENCES)}`;
      batch.posts!.push({ id, author_id: author, body, audience: JSON.stringify(audience), created_at: at, edited_at: null, removed_at: null, removed_by: null, removed_reason: null });
      const keys = audience.everyone ? [{ kind: 'everyone', value: '' }] : [...audience.unitIds.map((value) => ({ kind: 'unit', value })), ...audience.groupIds.map((value) => ({ kind: 'group', value }))];
      for (const k of keys) batch.audience_entries!.push({ object_type: 'post', object_id: id, category: 'post', kind: k.kind, value: k.value, sort_at: at });
    }
    await db.transaction().execute(async (tx) => {
      for (const [table, rows] of Object.entries(batch)) await insertChunked(tx, table, rows);
    });
    say(`  ${Math.min(count, done + 5000).toLocaleString('da-DK')} opslag (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
