import type { Db } from '../../platform/database.ts';
import { newId } from '../../platform/ids.ts';

let seq = 0;

/** A citizen's question in the inbox with its deadline and, when given, the time of its first answer. */
export async function insertQuestion(db: Db, accountId: string, q: { author?: string; writtenAt: Date; answeredAt?: Date | null; dueAt: Date; text?: string }): Promise<string> {
  const id = newId();
  seq++;
  await db
    .insertInto('inbox_items')
    .values({
      id,
      account_id: accountId,
      external_id: `spoergsmaal-${seq}-${id}`,
      kind: 'comment',
      parent_external_id: null,
      root_external_id: null,
      social_post_id: null,
      author_name: q.author ?? `Borger ${seq}`,
      author_handle: null,
      text: q.text ?? 'Hvornår har I åbent?',
      url: null,
      written_at: q.writtenAt.toISOString(),
      received_at: q.writtenAt.toISOString(),
      categories: JSON.stringify(['question']),
      reasons: '[]',
      state: 'open',
      assigned_to: null,
      done_by: null,
      done_at: null,
      answered_at: q.answeredAt ? q.answeredAt.toISOString() : null,
      answer_due_at: q.dueAt.toISOString(),
      hidden: 0,
      deleted: 0,
      escalated_to: null,
      escalated_at: null,
    })
    .execute();
  return id;
}
