import { createHash } from 'node:crypto';
import type { DbOrTx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { NOW_MAIL_JOB } from './delivery.ts';
import type { NewNotification } from './model.ts';
import { insertNotifications } from './store.ts';

/**
 * Tells people about something, in the transaction of the change that caused it. Whether and when it is mailed
 * follows each person's preference for the kind; it is always listed on the intranet. Repeating a call is harmless.
 */
export async function notify(tx: DbOrTx, n: NewNotification): Promise<void> {
  const personIds = [...new Set(n.personIds)].filter(Boolean);
  if (!personIds.length) return;
  await insertNotifications(tx, personIds, n, nowIso());
  await enqueueNowMail(tx, n.sourceKey, personIds);
}

/**
 * One job per call mails the source's notifications to those who want the kind at once. The key names the source and
 * the people, so a repeated call adds no job, while a later call for the same source that reaches someone new does.
 */
export function enqueueNowMail(tx: DbOrTx, sourceKey: string, personIds: string[] = []): Promise<string> {
  const who = createHash('sha256').update([...personIds].sort().join(',')).digest('hex').slice(0, 16);
  return enqueue(tx, NOW_MAIL_JOB, { sourceKey }, { uniqueKey: `${NOW_MAIL_JOB}:${sourceKey}:${who}` });
}
