import type { DbOrTx } from '../platform/database.ts';
import { readSetting, writeSetting } from '../platform/settings-store.ts';

// One number that changes whenever anything a reader of the public sites could see changes: an item goes
// live or is taken down, a front page slot, a site's menu. Caches of rendered pages are valid for one
// generation; every process watches the number, so a change made in one process reaches all of them.

const KEY = 'site.generation';

// Other processes learn of a change by polling; this process is told at once, so its own page cache steps
// aside before the transaction commits and the next page read after the commit is already fresh.
const bumpListeners = new Set<(tx: DbOrTx) => void>();

/** Called in this process whenever it bumps the generation (before the commit); returns the way to stop listening. */
export function onSiteGenerationBump(listener: (tx: DbOrTx) => void): () => void {
  bumpListeners.add(listener);
  return () => bumpListeners.delete(listener);
}

/** Call in the same transaction as the change itself. */
export async function bumpSiteGeneration(tx: DbOrTx): Promise<void> {
  await writeSetting(tx, KEY, `${Date.now()}-${Math.random().toString(36).slice(2, 10)}`);
  for (const listener of bumpListeners) listener(tx);
}

export async function readSiteGeneration(db: DbOrTx): Promise<string> {
  return (await readSetting(db, KEY)) ?? 'initial';
}
