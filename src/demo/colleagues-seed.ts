import { systemActor } from '../org/actor.ts';
import type { JobRole, LeadershipLevel } from '../org/model.ts';
import * as org from '../org/service.ts';
import { findPersonRowByEmail, findUnitBySlug } from '../org/store.ts';
import type { Db } from '../platform/database.ts';

// The colleagues around the demo people, so the directory of people and units has someone to find: a head for most
// units and the staff of the daycare, the school, the library and the town hall. They have no password and cannot
// sign in. They are made through the organisation's service, so each has its audit entry as if the platform owner
// had typed them in.

interface DemoColleague {
  name: string;
  email: string;
  title: string;
  phone: string;
  /** Slug of their unit. */
  unit: string;
  jobRole?: JobRole;
  leadershipLevel?: LeadershipLevel;
  /** They are the unit's head. */
  heads?: boolean;
}

export const DEMO_COLLEAGUES: DemoColleague[] = [
  { name: 'Lars Thomsen', email: 'lath@toender.dk', title: 'Kommunaldirektør', phone: '74 92 90 01', unit: 'toender-kommune', jobRole: 'manager', leadershipLevel: 'top', heads: true },
  { name: 'Birthe Kjærgaard', email: 'bkja@toender.dk', title: 'Borgmester', phone: '74 92 90 02', unit: 'byraadet', jobRole: 'politician' },
  { name: 'Niels Ravnsbæk', email: 'nira@toender.dk', title: 'Byrådsmedlem', phone: '74 92 90 03', unit: 'byraadet', jobRole: 'politician' },
  { name: 'Henrik Madsen', email: 'hema@toender.dk', title: 'Økonomichef', phone: '74 92 91 10', unit: 'oekonomi-og-styring', jobRole: 'manager', leadershipLevel: 'function', heads: true },
  { name: 'Camilla Friis', email: 'cafr@toender.dk', title: 'Økonomikonsulent', phone: '74 92 91 12', unit: 'oekonomi-og-styring' },
  { name: 'Mads Bertelsen', email: 'mabe@toender.dk', title: 'Økonomikonsulent', phone: '74 92 91 13', unit: 'oekonomi-og-styring' },
  { name: 'Helle Andresen', email: 'hean@toender.dk', title: 'HR-konsulent', phone: '74 92 90 20', unit: 'sekretariat-it-og-hr' },
  { name: 'Tobias Lauridsen', email: 'tola@toender.dk', title: 'HR-konsulent', phone: '74 92 90 21', unit: 'sekretariat-it-og-hr' },
  { name: 'Kasper Møller', email: 'kamo@toender.dk', title: 'IT-supporter', phone: '74 92 90 30', unit: 'sekretariat-it-og-hr' },
  { name: 'Maja Poulsen', email: 'mapo@toender.dk', title: 'Kommunikationskonsulent', phone: '74 92 90 11', unit: 'kommunikation' },
  { name: 'Susanne Schmidt', email: 'susc@toender.dk', title: 'Borgerservicechef', phone: '74 92 92 10', unit: 'borgerservice', jobRole: 'manager', leadershipLevel: 'first_line', heads: true },
  { name: 'Ahmad Rahimi', email: 'ahra@toender.dk', title: 'Sagsbehandler', phone: '74 92 92 14', unit: 'borgerservice' },
  { name: 'Louise Petersen', email: 'lope@toender.dk', title: 'Sagsbehandler', phone: '74 92 92 15', unit: 'borgerservice' },
  { name: 'Jesper Nissen', email: 'jeni@toender.dk', title: 'Børne- og skolechef', phone: '74 92 80 00', unit: 'boern-og-skole', jobRole: 'manager', leadershipLevel: 'function', heads: true },
  { name: 'Birgitte Mortensen', email: 'bimo@toender.dk', title: 'Dagplejeleder', phone: '74 92 81 01', unit: 'dagplejen', jobRole: 'manager', leadershipLevel: 'first_line', heads: true },
  { name: 'Lene Clausen', email: 'lecl@toender.dk', title: 'Dagplejer', phone: '74 92 81 12', unit: 'dagplejen' },
  { name: 'Gitte Rasmussen', email: 'gira@toender.dk', title: 'Dagplejer', phone: '74 92 81 13', unit: 'dagplejen' },
  { name: 'Ulla Frederiksen', email: 'ulfr@toender.dk', title: 'Dagplejepædagog', phone: '74 92 81 05', unit: 'dagplejen' },
  { name: 'Morten Iversen', email: 'moiv@toender.dk', title: 'Skoleleder', phone: '74 92 85 01', unit: 'toender-distriktsskole', jobRole: 'manager', leadershipLevel: 'first_line', heads: true },
  { name: 'Signe Toft', email: 'sito@toender.dk', title: 'Skolelærer', phone: '74 92 85 20', unit: 'toender-distriktsskole' },
  { name: 'Anders Kristiansen', email: 'ankr@toender.dk', title: 'Skolelærer', phone: '74 92 85 21', unit: 'toender-distriktsskole' },
  { name: 'Julie Brodersen', email: 'jubr@toender.dk', title: 'Pædagog', phone: '74 92 85 30', unit: 'toender-distriktsskole' },
  { name: 'Pia Hald', email: 'piha@toender.dk', title: 'Dagtilbudsleder', phone: '74 92 86 21', unit: 'boernehuset-regnbuen', jobRole: 'manager', leadershipLevel: 'first_line', heads: true },
  { name: 'Emma Jakobsen', email: 'emja@toender.dk', title: 'Pædagog', phone: '74 92 86 25', unit: 'boernehuset-regnbuen' },
  { name: 'Rikke Sommer', email: 'riso@toender.dk', title: 'Biblioteksleder', phone: '74 92 89 01', unit: 'biblioteket', jobRole: 'manager', leadershipLevel: 'first_line', heads: true },
  { name: 'Ole Damgaard', email: 'olda@toender.dk', title: 'Bibliotekar', phone: '74 92 89 10', unit: 'biblioteket' },
  { name: 'Karina Vestergaard', email: 'kave@toender.dk', title: 'Bibliotekar', phone: '74 92 89 11', unit: 'biblioteket' },
  { name: 'Thomas Winther', email: 'thwi@toender.dk', title: 'Kulturkonsulent', phone: '74 92 88 10', unit: 'kultur-og-fritid' },
];

/** Lays the colleagues in once; a second call finds the first of them and does nothing. */
export async function seedDemoColleagues(db: Db): Promise<void> {
  if (await findPersonRowByEmail(db, DEMO_COLLEAGUES[0]!.email)) return;
  const actor = systemActor('demo-seed');
  for (const c of DEMO_COLLEAGUES) {
    const unit = await findUnitBySlug(db, c.unit);
    if (!unit) throw new Error(`Demo-enheden ${c.unit} mangler; læg demo-kommunen ind først.`);
    const jobRole = c.jobRole ?? 'employee';
    const id = await org.createPerson(db, actor, { name: c.name, email: c.email, jobRole, leadershipLevel: c.leadershipLevel ?? '', title: c.title, phone: c.phone, unitIds: [unit.id] });
    // A unit that already has a head (the demo's own managers) keeps them.
    if (c.heads && !unit.headId) {
      await org.updateUnit(db, actor, unit.id, { ...unit, parentId: unit.parentId ?? '', email: unit.email ?? '', phone: unit.phone ?? '', address: unit.address ?? '', description: unit.description ?? '', headId: id });
    }
  }
}
