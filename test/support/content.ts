import type { Actor } from '../../src/org/actor.ts';
import { findPersonRowByEmail } from '../../src/org/store.ts';
import type { Db } from '../../src/platform/database.ts';
import { actorFor } from '../../src/signin/actors.ts';

/** The demo person as the services see them. */
export async function actorByEmail(db: Db, email: string): Promise<Actor> {
  const person = await findPersonRowByEmail(db, email);
  if (!person) throw new Error(`no demo person ${email}`);
  return actorFor(db, person, '127.0.0.1');
}

export async function unitId(db: Db, slug: string): Promise<string> {
  return (await db.selectFrom('units').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

/** A complete news item placed on the website, as a form would send it. */
export function newsInput(ownerUnitId: string, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Ny genbrugsplads åbner i Toftlund',
    summary: 'Fra 1. december kan du aflevere affald på den nye genbrugsplads.',
    body: 'Den nye genbrugsplads ligger på Industrivej 4.\n\nDer er åbent alle ugens dage.',
    ownerUnitId,
    contact: 'Teknik og Miljø, 74 92 92 92',
    topics: ['Affald'],
    language: 'da',
    reviewBy: '',
    images: [],
    placements: [{ channel: 'website', section: 'nyheder' }],
    fields: {},
    ...overrides,
  };
}
