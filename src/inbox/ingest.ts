import type { Category } from '../moderation/categories.ts';
import { classify } from '../moderation/classify.ts';
import type { Rule } from '../moderation/rules.ts';
import type { DbOrTx } from '../platform/database.ts';
import { newId } from '../platform/ids.ts';
import type { IncomingItem } from '../social/providers/types.ts';
import { addBusinessMinutes, ANSWER_WITHIN_MINUTES, parseBusinessHours } from './business-hours.ts';

// Comments, replies and mentions come in by webhook and by polling, often both. Each is stored once per account
// (the unique key on account and the network's id), classified by the guidelines' rules on arrival, and given a
// deadline when it asks a question.

/** Rows per insert: well inside both databases' limits on bound parameters. */
const INSERT_CHUNK = 200;

export interface IngestAccount {
  id: string;
  business_hours: string | null;
}

export interface IngestResult {
  added: number;
  known: number;
  /** The ids of the new rows, in the order given. */
  ids: string[];
}

export function kindOf(item: IncomingItem): 'comment' | 'reply' | 'mention' {
  if (!item.parentExternalId) return 'mention';
  return !item.rootExternalId || item.parentExternalId === item.rootExternalId ? 'comment' : 'reply';
}

/**
 * Some networks name only the parent of a reply to a citizen's comment (Mastodon's in_reply_to_id); its thread's
 * root is then the parent's root, from the inbox or from earlier in the same batch.
 */
async function withThreadRoots(db: DbOrTx, accountId: string, items: IncomingItem[]): Promise<IncomingItem[]> {
  const parents = [...new Set(items.filter((i) => !i.rootExternalId && i.parentExternalId).map((i) => i.parentExternalId!))];
  if (!parents.length) return items;
  const known = new Map(
    (await db.selectFrom('inbox_items').select(['external_id', 'root_external_id']).where('account_id', '=', accountId).where('external_id', 'in', parents).execute()).map((r) => [r.external_id, r.root_external_id]),
  );
  return items.map((item) => {
    const parentRoot = !item.rootExternalId && item.parentExternalId ? known.get(item.parentExternalId) : null;
    const resolved = parentRoot ? { ...item, rootExternalId: parentRoot } : item;
    known.set(item.externalId, resolved.rootExternalId ?? resolved.parentExternalId);
    return resolved;
  });
}

/** Stores the items not yet known, classified; a repeat (webhook and poll both) changes nothing. */
export async function ingestItems(db: DbOrTx, account: IngestAccount, items: IncomingItem[], options: { rules?: readonly Rule[]; now?: Date } = {}): Promise<IngestResult> {
  const result: IngestResult = { added: 0, known: 0, ids: [] };
  if (!items.length) return result;
  const now = options.now ?? new Date();
  const received = now.toISOString();
  const hours = parseBusinessHours(account.business_hours);
  const rooted = await withThreadRoots(db, account.id, items);
  const roots = [...new Set(rooted.map((i) => i.rootExternalId ?? i.parentExternalId).filter((x): x is string => !!x))];
  const ours = roots.length
    ? new Map((await db.selectFrom('social_posts').select(['id', 'external_id']).where('account_id', '=', account.id).where('external_id', 'in', roots).execute()).map((p) => [p.external_id!, p.id]))
    : new Map<string, string>();
  const rows = rooted.map((item) => {
    const { categories, reasons } = classify(item.text, options.rules);
    const root = item.rootExternalId ?? item.parentExternalId;
    return {
      categories,
      row: {
        id: newId(),
        account_id: account.id,
        external_id: item.externalId,
        kind: kindOf(item),
        parent_external_id: item.parentExternalId,
        root_external_id: root,
        social_post_id: (root && ours.get(root)) ?? null,
        author_name: item.authorName,
        author_handle: item.authorHandle,
        text: item.text,
        url: item.url,
        written_at: item.createdAt.toISOString(),
        received_at: received,
        categories: JSON.stringify(categories),
        reasons: JSON.stringify(reasons),
        state: 'open',
        assigned_to: null,
        done_by: null,
        done_at: null,
        answered_at: null,
        answer_due_at: categories.includes('question') ? addBusinessMinutes(item.createdAt > now ? now : item.createdAt, ANSWER_WITHIN_MINUTES, hours).toISOString() : null,
        hidden: item.hidden ? 1 : 0,
        deleted: 0,
        escalated_to: null,
        escalated_at: null,
      },
    };
  });
  // A page at a time: one insert for the items, one for their category rows. The conflict clause keeps a repeat
  // (also one racing in from a webhook) out, and RETURNING names exactly the rows that went in.
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const inserted = new Set(
      (
        await db
          .insertInto('inbox_items')
          .values(chunk.map((c) => c.row))
          .onConflict((oc) => oc.columns(['account_id', 'external_id']).doNothing())
          .returning('id')
          .execute()
      ).map((r) => r.id),
    );
    const added = chunk.filter((c) => inserted.has(c.row.id));
    const categoryRows = added.flatMap((c) => c.categories.map((category: Category) => ({ item_id: c.row.id, category, account_id: account.id, state: 'open', received_at: received })));
    if (categoryRows.length) await db.insertInto('inbox_item_categories').values(categoryRows).execute();
    result.added += added.length;
    result.known += chunk.length - added.length;
    result.ids.push(...added.map((c) => c.row.id));
  }
  return result;
}
