import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { recordSelfServiceUse } from '../site/selfservice-uses.ts';
import { actorFor } from '../signin/actors.ts';
import { MAIN, placeItem } from '../sites/front-slots-service.ts';

// The main front page of the demo: its six slots filled by the web editor through the same service as the admin
// screen (so the audit log shows it), and a month of self-service starts so "most used" has something to rank.

/** Titles of live demo items, in slot order: self-service and communication first (W2). */
const SLOTS = ['Flytning', 'Ny genbrugsplads åbner i Toftlund', 'Få gratis vaccine mod influenza', 'Borgermøde om cykelstier', 'Skolestart', 'Affald'];

/** Starts per self-service entry over the last 30 days; the front page ranks by these. */
const USES: [string, number][] = [
  ['Flytning', 184],
  ['Affaldskalender', 142],
  ['Sygesikring', 97],
  ['Pas', 76],
  ['Ansøg om pladsanvisning', 38],
  ['Byggeansøgning via Byg og Miljø', 21],
];

const DAYS = 30;
const DAY_MS = 86_400_000;

/** A live item on the website with this title; a self-service entry is preferred when a page has the same title. */
async function liveWebsiteItem(db: Db, title: string, type?: string): Promise<string | undefined> {
  let q = db
    .selectFrom('items')
    .select(['items.id', 'items.type'])
    .where('items.title', '=', title)
    .where('items.live_revision', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('live_placements').select('live_placements.item_id').whereRef('live_placements.item_id', '=', 'items.id').where('live_placements.channel', '=', 'website')));
  if (type) q = q.where('items.type', '=', type);
  const rows = await q.execute();
  return (rows.find((r) => r.type === 'selfservice') ?? rows[0])?.id;
}

/**
 * Fills the demo's main front page and records self-service starts. Runs after the demo content is in; does
 * nothing if the front page already has slots or anything has been started, so a second run changes nothing.
 */
export async function seedDemoFront(db: Db, now = new Date()): Promise<boolean> {
  const [slot, use] = await Promise.all([
    db.selectFrom('front_slots').select('item_id').where('site_key', '=', MAIN).limit(1).executeTakeFirst(),
    db.selectFrom('selfservice_uses').select('item_id').limit(1).executeTakeFirst(),
  ]);
  if (slot || use) return false;

  const person = await findPersonRowByEmail(db, 'web@demo.mediehus.dk');
  if (!person) throw new Error('Demo-personen web@demo.mediehus.dk mangler; læg demo-kommunen ind først.');
  const web = await actorFor(db, person, null);
  for (const title of SLOTS) {
    const id = await liveWebsiteItem(db, title);
    if (id) await placeItem(db, web, MAIN, { itemId: id, replaces: '' });
  }

  const entries: [string, number][] = [];
  for (const [title, total] of USES) {
    const id = await liveWebsiteItem(db, title, 'selfservice');
    if (id) entries.push([id, total]);
  }
  await db.transaction().execute(async (tx) => {
    for (const [id, total] of entries) {
      // Spread over the month, busier on some days than others, the same on every run.
      for (let d = 0; d < DAYS; d++) {
        const share = Math.floor(total / DAYS) + (d < total % DAYS ? 1 : 0);
        if (share > 0) await recordSelfServiceUse(tx, id, new Date(now.getTime() - d * DAY_MS), share);
      }
    }
  });
  return true;
}
