import { seedDemoInbox } from './inbox-seed.ts';
import { seedDemoSocial } from './social-seed.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import type { Channel, GroupKind, JobRole, LeadershipLevel, UnitKind } from '../org/model.ts';
import * as org from '../org/store.ts';
import { DEMO_PASSWORD, hashPassword } from '../signin/passwords.ts';
import { seedDemoBorgerdk } from './borgerdk-seed.ts';
import { seedDemoContent } from './content-seed.ts';
import { seedDemoSites } from './sites-seed.ts';
import { seedDemoFront } from './front-seed.ts';
import { seedDemoIntranet } from './intranet-seed.ts';

// The demo municipality, modelled on Tønder Kommune's policy "Brug af digitale medier".

interface DemoUnit {
  key: string;
  parent: string | null;
  name: string;
  slug: string;
  kind: UnitKind;
  email?: string;
  phone?: string;
  address?: string;
  description?: string;
  platformOwner?: boolean;
  head?: string;
  hours?: [number, string, string][];
}

const UNITS: DemoUnit[] = [
  { key: 'kommune', parent: null, name: 'Tønder Kommune', slug: 'toender-kommune', kind: 'municipality', email: 'kommune@toender.dk', phone: '74 92 92 92', address: 'Wegners Plads 2, 6270 Tønder' },
  { key: 'byraad', parent: 'kommune', name: 'Byrådet', slug: 'byraadet', kind: 'council', email: 'byraad@toender.dk', description: 'Kommunens øverste politiske myndighed med 25 medlemmer.' },
  { key: 'oekonomi', parent: 'kommune', name: 'Økonomi og Styring', slug: 'oekonomi-og-styring', kind: 'administration' },
  { key: 'sih', parent: 'oekonomi', name: 'Sekretariat, IT og HR', slug: 'sekretariat-it-og-hr', kind: 'department', platformOwner: true, head: 'ejer', email: 'sih@toender.dk', phone: '74 92 90 00', description: 'Har det overordnede ansvar for kommunens digitale medier.' },
  { key: 'kom', parent: 'oekonomi', name: 'Kommunikationsafdelingen', slug: 'kommunikation', kind: 'department', head: 'some', email: 'kommunikation@toender.dk', phone: '74 92 90 10', description: 'Redaktion for kommunens fælles sociale medier og rådgiver for enhedernes egne konti.' },
  { key: 'borgerservice', parent: 'oekonomi', name: 'Borgerservice', slug: 'borgerservice', kind: 'department', email: 'borgerservice@toender.dk', phone: '74 92 92 92', address: 'Wegners Plads 2, 6270 Tønder', hours: [[1, '10:00', '15:00'], [2, '10:00', '15:00'], [3, '10:00', '15:00'], [4, '10:00', '17:30'], [5, '10:00', '13:00']] },
  { key: 'boern', parent: 'kommune', name: 'Børn og Skole', slug: 'boern-og-skole', kind: 'administration' },
  { key: 'dagplejen', parent: 'boern', name: 'Dagplejen', slug: 'dagplejen', kind: 'department', email: 'dagplejen@toender.dk', phone: '74 92 81 00', hours: [[1, '08:00', '15:00'], [2, '08:00', '15:00'], [3, '08:00', '15:00'], [4, '08:00', '15:00'], [5, '08:00', '12:00']] },
  { key: 'skole', parent: 'boern', name: 'Tønder Distriktsskole', slug: 'toender-distriktsskole', kind: 'institution', email: 'distriktsskolen@toender.dk', phone: '74 92 85 00', address: 'Ribe Landevej 39, 6270 Tønder', hours: [[1, '07:30', '15:30'], [2, '07:30', '15:30'], [3, '07:30', '15:30'], [4, '07:30', '15:30'], [5, '07:30', '13:00']] },
  { key: 'regnbuen', parent: 'boern', name: 'Børnehuset Regnbuen', slug: 'boernehuset-regnbuen', kind: 'institution', email: 'regnbuen@toender.dk', phone: '74 92 86 20', address: 'Skolegade 12, 6270 Tønder', hours: [[1, '06:15', '17:00'], [2, '06:15', '17:00'], [3, '06:15', '17:00'], [4, '06:15', '17:00'], [5, '06:15', '16:00']] },
  { key: 'kultur', parent: 'kommune', name: 'Kultur og Fritid', slug: 'kultur-og-fritid', kind: 'department', head: 'leder', email: 'kultur@toender.dk', phone: '74 92 88 00' },
  { key: 'bibliotek', parent: 'kultur', name: 'Biblioteket', slug: 'biblioteket', kind: 'institution', email: 'bibliotek@toender.dk', phone: '74 92 89 00', address: 'Wegners Plads 6, 6270 Tønder', description: 'Tønder Bibliotek med filialer i Toftlund, Skærbæk og Bredebro.', hours: [[1, '10:00', '18:00'], [2, '10:00', '18:00'], [3, '10:00', '18:00'], [4, '10:00', '18:00'], [5, '10:00', '16:00'], [6, '10:00', '13:00']] },
];

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  jobRole: JobRole;
  leadershipLevel?: LeadershipLevel;
  title: string;
  units: string[];
  description: string;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  { key: 'ejer', name: 'Mette Sørensen', email: 'ejer@demo.mediehus.dk', jobRole: 'manager', leadershipLevel: 'function', title: 'Fagchef', units: ['sih'], description: 'fagchef for Sekretariat, IT og HR (platformsejer)' },
  { key: 'web', name: 'Jonas Holm', email: 'web@demo.mediehus.dk', jobRole: 'employee', title: 'Webredaktør', units: ['sih'], description: 'webredaktør (hjemmesiden)' },
  { key: 'intra', name: 'Line Kjær', email: 'intra@demo.mediehus.dk', jobRole: 'employee', title: 'Intranetredaktør', units: ['sih'], description: 'intranetredaktør' },
  { key: 'some', name: 'Sofie Nielsen', email: 'some@demo.mediehus.dk', jobRole: 'manager', leadershipLevel: 'first_line', title: 'Kommunikationschef', units: ['kom'], description: 'Kommunikationsafdelingen (sociale medier)' },
  { key: 'app', name: 'Rasmus Berg', email: 'app@demo.mediehus.dk', jobRole: 'employee', title: 'Digitaliseringskonsulent', units: ['sih'], description: 'appredaktør' },
  { key: 'skole', name: 'Karen Lund', email: 'skole@demo.mediehus.dk', jobRole: 'employee', title: 'Lærer og webansvarlig', units: ['skole'], description: 'redaktør af Tønder Distriktsskoles subsite' },
  { key: 'leder', name: 'Peter Hansen', email: 'leder@demo.mediehus.dk', jobRole: 'manager', leadershipLevel: 'middle', title: 'Kultur- og fritidschef', units: ['kultur'], description: 'leder i Kultur og Fritid' },
  { key: 'medarbejder', name: 'Anne Jensen', email: 'medarbejder@demo.mediehus.dk', jobRole: 'employee', title: 'Dagplejer', units: ['dagplejen'], description: 'medarbejder i Dagplejen' },
  { key: 'politiker', name: 'Hans Christensen', email: 'politiker@demo.mediehus.dk', jobRole: 'politician', title: 'Byrådsmedlem', units: ['byraad'], description: 'medlem af Byrådet' },
];

interface DemoGroup {
  name: string;
  kind: GroupKind;
  channel?: Channel;
  subsite?: string;
  purpose?: string;
  endsOn?: string;
  members: [string, 'member' | 'lead'][];
}

const GROUPS: DemoGroup[] = [
  { name: 'Redaktørgruppen for hjemmesiden', kind: 'channel_editors', channel: 'website', members: [['web', 'lead'], ['intra', 'member']] },
  { name: 'Redaktørgruppen for intranettet', kind: 'channel_editors', channel: 'intranet', members: [['intra', 'lead'], ['web', 'member']] },
  { name: 'Redaktørgruppen for sociale medier', kind: 'channel_editors', channel: 'social', members: [['some', 'lead']] },
  { name: 'Redaktørgruppen for apps', kind: 'channel_editors', channel: 'app', members: [['app', 'lead'], ['intra', 'member'], ['web', 'member']] },
  { name: 'Redaktører for Tønder Distriktsskoles subsite', kind: 'subsite_editors', subsite: 'skole', members: [['skole', 'lead']] },
  {
    name: 'Ad hoc-gruppe: Ny app til borgere',
    kind: 'ad_hoc',
    purpose: 'Udvikle, planlægge og gennemføre en app til borgere med nyheder, åbningstider og arrangementer.',
    endsOn: '2027-06-30',
    members: [['ejer', 'lead'], ['app', 'member'], ['some', 'member']],
  },
];

const EXCEPTIONS: [string, string, string][] = [
  ['borgerservice', '2026-12-24', 'Juleaftensdag'],
  ['borgerservice', '2026-12-31', 'Nytårsaftensdag'],
  ['bibliotek', '2026-12-24', 'Juleaftensdag'],
  ['bibliotek', '2026-12-31', 'Nytårsaftensdag'],
];

const SEED_MARK = 'demo_seeded';

async function claimSeed(tx: Tx): Promise<boolean> {
  const result = await tx
    .insertInto('settings')
    .values({ key: SEED_MARK, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Seeds the demo municipality in one transaction; a second call (or a second process) does nothing. */
export async function seedDemo(db: Db): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction().execute(async (tx) => {
    if (!(await claimSeed(tx))) return false;
    const actor = { actorId: null, actorLabel: 'demo-seed', ip: null };
    const people = new Map<string, string>();
    for (const p of DEMO_PEOPLE) {
      const id = await org.insertPerson(tx, { name: p.name, email: p.email, jobRole: p.jobRole, leadershipLevel: p.leadershipLevel ?? null, title: p.title, phone: null, passwordHash });
      people.set(p.key, id);
      await audit(tx, { ...actor, action: 'person.created', objectType: 'person', objectId: id, details: { email: p.email } });
    }
    const units = new Map<string, string>();
    for (const u of UNITS) {
      const id = await org.insertUnit(tx, {
        parentId: u.parent ? units.get(u.parent)! : null,
        name: u.name,
        slug: u.slug,
        kind: u.kind,
        email: u.email ?? null,
        phone: u.phone ?? null,
        address: u.address ?? null,
        description: u.description ?? null,
        headId: u.head ? people.get(u.head)! : null,
        isPlatformOwner: u.platformOwner,
      });
      units.set(u.key, id);
      if (u.hours) await org.replaceWeeklyHours(tx, id, u.hours.map(([weekday, opens, closes]) => ({ weekday, opens, closes })));
      await audit(tx, { ...actor, action: 'unit.created', objectType: 'unit', objectId: id, details: { name: u.name } });
    }
    for (const [unit, date, note] of EXCEPTIONS) {
      await org.upsertOpeningException(tx, units.get(unit)!, { date, closed: true, opens: null, closes: null, note });
    }
    for (const p of DEMO_PEOPLE) await org.setPersonUnits(tx, people.get(p.key)!, p.units.map((k) => units.get(k)!));
    for (const g of GROUPS) {
      const id = await org.insertGroup(tx, {
        name: g.name,
        kind: g.kind,
        channel: g.channel ?? null,
        subsiteUnitId: g.subsite ? units.get(g.subsite)! : null,
        purpose: g.purpose ?? null,
        endsOn: g.endsOn ?? null,
      });
      for (const [key, role] of g.members) await org.setMember(tx, id, people.get(key)!, role);
      await audit(tx, { ...actor, action: 'group.created', objectType: 'group', objectId: id, details: { name: g.name } });
    }
    return true;
  });
  // The content services open their own transactions, so the content can only follow a committed organisation.
  if (seeded) {
    await seedDemoContent(db);
    await seedDemoBorgerdk(db);
    await seedDemoSites(db);
    await seedDemoFront(db);
    await seedDemoIntranet(db);
    await seedDemoSocial(db);
    await seedDemoInbox(db);
  }
  return seeded;
}

export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  const anyone = await db.selectFrom('people').select('id').limit(1).executeTakeFirst();
  if (anyone) return false;
  return seedDemo(db);
}
