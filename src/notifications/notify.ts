import type { DbOrTx } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import type { NewNotification } from './model.ts';

/**
 * Tells people about something, in the transaction of the change that caused it. Whether and when it is mailed
 * follows each person's preference for the kind; it is always listed on the intranet. Repeating a call is harmless.
 */
export async function notify(tx: DbOrTx, n: NewNotification): Promise<void> {
  const personIds = [...new Set(n.personIds)].filter(Boolean);
  if (!personIds.length) return;
  const now = new Date().toISOString();
  for (let i = 0; i < personIds.length; i += 500) {
    const rows = personIds.slice(i, i + 500).map((person_id) => ({
      id: newId(),
      person_id,
      kind: n.kind,
      source_key: n.sourceKey,
      title: n.title,
      text: n.text,
      url: n.url,
      created_at: now,
      read_at: null,
      mailed_at: null,
    }));
    await tx.insertInto('notifications').values(rows).onConflict((oc) => oc.columns(['person_id', 'source_key']).doNothing()).execute();
  }
}
