import { notifyNewsAudience } from '../notifications/news.ts';
import { savePreferences } from '../notifications/service.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import type { Db } from '../platform/database.ts';
import { actorFor } from '../signin/actors.ts';

// Fewer mass e-mails (I4): the demo's employee wants news once a week and mentions at once, the manager wants
// everything gathered in the morning mail. The targeted news already published tells its audiences, as the job
// behind 'item.published' would, so Anne Jensen's and Peter Hansen's notification pages are not empty.

const CHOICES = [
  { email: 'medarbejder@demo.mediehus.dk', choice: { news: 'weekly', mention: 'now', must_read: 'now', social: 'now' } },
  { email: 'leder@demo.mediehus.dk', choice: { news: 'daily', mention: 'daily', must_read: 'daily', social: 'now' } },
];

export async function seedDemoNotifications(db: Db): Promise<void> {
  for (const { email, choice } of CHOICES) {
    const person = await findPersonRowByEmail(db, email);
    if (!person) continue;
    if (await db.selectFrom('notification_preferences').select('kind').where('person_id', '=', person.id).executeTakeFirst()) continue;
    await savePreferences(db, await actorFor(db, person, null), choice);
  }
  const news = await db
    .selectFrom('items')
    .select('id')
    .where('type', '=', 'news')
    .where('live_revision', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('audience_entries').select('object_id').whereRef('audience_entries.object_id', '=', 'items.id').where('audience_entries.object_type', '=', 'item')))
    .orderBy('first_published_at')
    .execute();
  // Each notifies once; a second seed finds them there.
  for (const { id } of news) await notifyNewsAudience(db, id);
}
