// For the tests: a small unit tree of its own whose people and counts are known, apart from the demo's.
import { createItem, transition } from '../../content/service.ts';
import type { Placement } from '../../content/types.ts';
import { viewerOf } from '../../intranet/audience.ts';
import { systemActor } from '../../org/actor.ts';
import * as org from '../../org/service.ts';
import { findPersonRowByEmail } from '../../org/store.ts';
import type { Db } from '../../platform/database.ts';
import { actorFor } from '../../signin/actors.ts';
import { acknowledge } from '../service.ts';

/**
 * Forsyning with Vandværket and Renseanlægget below it, and Havnen beside it. Aase Aagaard leads Forsyning; Frida
 * Friis works in both plants, so she counts in each of them but once in the totals; Gert Gregersen leads Havnen.
 */
export const FORSYNING_PEOPLE = {
  aase: { name: 'Aase Aagaard', email: 'aase@forsyning.test', units: ['forsyning'], manager: true },
  bo: { name: 'Bo Berg', email: 'bo@forsyning.test', units: ['vandvaerket'] },
  carl: { name: 'Carl Carlsen', email: 'carl@forsyning.test', units: ['vandvaerket'] },
  dorte: { name: 'Dorte Dam', email: 'dorte@forsyning.test', units: ['renseanlaegget'] },
  erik: { name: 'Erik Eskildsen', email: 'erik@forsyning.test', units: ['renseanlaegget'] },
  frida: { name: 'Frida Friis', email: 'frida@forsyning.test', units: ['vandvaerket', 'renseanlaegget'] },
  // A manager of another unit, outside the audience.
  gert: { name: 'Gert Gregersen', email: 'gert@forsyning.test', units: ['havnen'], manager: true },
} as const;
export type ForsyningKey = keyof typeof FORSYNING_PEOPLE;

export interface Forsyning {
  units: Record<'forsyning' | 'vandvaerket' | 'renseanlaegget' | 'havnen', string>;
  people: Record<ForsyningKey, string>;
}

export async function seedForsyning(db: Db): Promise<Forsyning> {
  const actor = systemActor('test');
  const kommune = (await db.selectFrom('units').select('id').where('slug', '=', 'toender-kommune').executeTakeFirstOrThrow()).id;
  const unit = (name: string, slug: string, parentId: string) => org.createUnit(db, actor, { name, slug, kind: 'department', parentId, email: '', phone: '', address: '', description: '', headId: '' });
  const forsyning = await unit('Forsyning', 'forsyning', kommune);
  const units = {
    forsyning,
    vandvaerket: await unit('Vandværket', 'vandvaerket', forsyning),
    renseanlaegget: await unit('Renseanlægget', 'renseanlaegget', forsyning),
    havnen: await unit('Havnen', 'havnen', kommune),
  };
  const people = {} as Record<ForsyningKey, string>;
  for (const [key, p] of Object.entries(FORSYNING_PEOPLE) as [ForsyningKey, (typeof FORSYNING_PEOPLE)[ForsyningKey]][]) {
    const manager = 'manager' in p && p.manager;
    people[key] = await org.createPerson(db, actor, {
      name: p.name,
      email: p.email,
      jobRole: manager ? 'manager' : 'employee',
      leadershipLevel: manager ? 'first_line' : '',
      title: '',
      phone: '',
      unitIds: p.units.map((u) => units[u]),
    });
  }
  return { units, people };
}

/** A must-read written by the intranet editor, approved and published by the website editor. Returns its id. */
export async function publishMustRead(
  db: Db,
  options: { title: string; ownerUnitId: string; audience: Partial<Pick<Extract<Placement, { channel: 'intranet' }>, 'everyone' | 'roles' | 'unitIds'>>; remindAfterDays?: number | null; mustRead?: boolean },
): Promise<string> {
  const author = await actorFor(db, (await findPersonRowByEmail(db, 'intra@demo.mediehus.dk'))!, null);
  const approver = await actorFor(db, (await findPersonRowByEmail(db, 'web@demo.mediehus.dk'))!, null);
  const { id } = await createItem(db, author, 'news', {
    title: options.title,
    summary: 'Læs de nye regler, før du går på arbejde næste gang.',
    body: 'Reglerne gælder fra mandag.\n\nSpørg din leder, hvis noget er uklart.',
    ownerUnitId: options.ownerUnitId,
    contact: '',
    topics: [],
    language: 'da',
    reviewBy: null,
    images: [],
    placements: [
      {
        channel: 'intranet',
        everyone: options.audience.everyone ?? false,
        roles: options.audience.roles ?? [],
        unitIds: options.audience.unitIds ?? [],
        groupIds: [],
        ...(options.mustRead === false ? {} : { mustRead: true }),
        ...(options.remindAfterDays ? { remindAfterDays: options.remindAfterDays } : {}),
      },
    ],
    fields: {},
  });
  await transition(db, author, id, 'submit');
  await transition(db, approver, id, 'approve');
  await transition(db, approver, id, 'publish');
  return id;
}

/** The person acknowledges through the service, as the button does. */
export async function acknowledgeAs(db: Db, personId: string, itemId: string): Promise<void> {
  const person = (await db.selectFrom('people').select('email').where('id', '=', personId).executeTakeFirstOrThrow()).email;
  const row = (await findPersonRowByEmail(db, person))!;
  await acknowledge(db, await actorFor(db, row, '127.0.0.1'), await viewerOf(db, personId), itemId);
}
