import { CATEGORIES, isCategory } from '../moderation/categories.ts';
import { maskCpr } from '../moderation/cpr.ts';
import { csvCell } from '../mustreads/csv.ts';
import { spreadsheetTime } from '../mustreads/model.ts';
import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { mayKeepRegistry, mayUse, rightsOf } from '../social/access.ts';
import { accountsFor } from '../social/accounts.ts';
import type { SocialContext } from '../social/context.ts';
import type { Account } from '../social/model.ts';
import { NETWORK_LABELS, type Network } from '../social/providers/types.ts';
import * as store from '../social/store.ts';
import { ACTION_LABELS, type RecordThread, type RemovalAction } from './moderation.ts';
import type { RemovalRecordRow } from './tables.ts';

// The removal records as editors, citizens and the archive read them (moderation.ts writes them): the pages and
// the CSV and JSON exports, every text CPR-masked on the way out.

type Ctx = Pick<SocialContext, 'db'>;

// Reading the records: only for the accounts the person may use, like the items themselves.

/** One record, if the person may use its account. */
export async function recordFor(ctx: Ctx, actor: Actor | null, recordId: string): Promise<RemovalRecordRow> {
  const record = await ctx.db.selectFrom('removal_records').selectAll().where('id', '=', recordId).executeTakeFirst();
  if (!record) throw new NotFoundError('Notatet findes ikke. Det kan være slettet, fordi opbevaringsperioden er udløbet.');
  const account = await store.findAccount(ctx.db, record.account_id);
  const rights = await rightsOf(ctx.db, actor);
  if (!account || !(mayUse(rights, account) || mayKeepRegistry(rights))) throw new ForbiddenError('Du er ikke redaktør for den konto, kommentaren kom til.');
  return record;
}

export interface RecordFilter {
  accountId?: string;
  /** YYYY-MM-DD, Copenhagen time, inclusive. */
  from?: Date;
  to?: Date;
  limit?: number;
}

/** The records of the person's accounts, newest first. */
export async function listRecords(ctx: Ctx, actor: Actor, filter: RecordFilter = {}): Promise<{ records: RemovalRecordRow[]; accounts: Account[] }> {
  const accounts = await accountsFor(ctx, actor);
  const ids = accounts.map((a) => a.id).filter((a) => !filter.accountId || a === filter.accountId);
  if (!ids.length) return { records: [], accounts };
  let q = ctx.db.selectFrom('removal_records').selectAll().where('account_id', 'in', ids);
  if (filter.from) q = q.where('decided_at', '>=', filter.from.toISOString());
  if (filter.to) q = q.where('decided_at', '<', filter.to.toISOString());
  const records = await q.orderBy('decided_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 10_000).execute();
  return { records, accounts };
}

/** Every field of a record, CPR numbers masked, for the pages and the exports. */
export interface ShownRecord {
  id: string;
  itemId: string;
  accountId: string;
  accountName: string;
  network: string;
  unitName: string;
  action: RemovalAction;
  actionLabel: string;
  text: string;
  authorName: string;
  authorHandle: string | null;
  writtenAt: string;
  networkUrl: string | null;
  thread: RecordThread;
  categories: { id: string; label: string }[];
  guideline: string;
  reason: string;
  decidedBy: string;
  decidedAt: string;
  carriedOutAt: string | null;
  undoneAt: string | null;
  undoneBy: string | null;
  keepUntil: string;
  state: string;
}

function parseThread(json: string): RecordThread {
  try {
    const t = JSON.parse(json) as Partial<RecordThread>;
    return { post: t.post ?? null, comments: t.comments ?? [], replies: t.replies ?? [] };
  } catch {
    return { post: null, comments: [], replies: [] };
  }
}

function stateOf(r: RemovalRecordRow): string {
  if (r.undone_at) return r.carried_out_at ? 'Vist igen' : 'Ikke gennemført; erstattet af en ny beslutning';
  if (!r.carried_out_at) return 'Ikke gennemført på netværket';
  return r.action === 'delete' ? 'Slettet på netværket' : 'Skjult på netværket';
}

/** The records in words, with names for the people and accounts, and every text CPR-masked. */
export async function showRecords(ctx: Ctx, records: RemovalRecordRow[], accounts?: Account[]): Promise<ShownRecord[]> {
  if (!records.length) return [];
  const byAccount = new Map((accounts ?? (await store.listAccounts(ctx.db, { includeInactive: true }))).map((a) => [a.id, a]));
  for (const r of records) {
    if (!byAccount.has(r.account_id)) {
      const a = await store.findAccount(ctx.db, r.account_id);
      if (a) byAccount.set(a.id, a);
    }
  }
  const personIds = [...new Set(records.flatMap((r) => [r.decided_by, r.undone_by]).filter((x): x is string => !!x))];
  const people = new Map((await ctx.db.selectFrom('people').select(['id', 'name']).where('id', 'in', personIds).execute()).map((p) => [p.id, p.name]));
  return records.map((r) => {
    const account = byAccount.get(r.account_id);
    const thread = parseThread(r.thread);
    let categories: string[] = [];
    try {
      categories = (JSON.parse(r.categories) as unknown[]).filter((c): c is string => typeof c === 'string');
    } catch {
      categories = [];
    }
    return {
      id: r.id,
      itemId: r.item_id,
      accountId: r.account_id,
      accountName: account?.name ?? '',
      network: account?.network ?? '',
      unitName: account?.unitName ?? '',
      action: r.action as RemovalAction,
      actionLabel: ACTION_LABELS[r.action as RemovalAction] ?? r.action,
      text: maskCpr(r.item_text),
      authorName: r.author_name,
      authorHandle: r.author_handle,
      writtenAt: r.written_at,
      networkUrl: r.network_url,
      thread: {
        post: thread.post ? { ...thread.post, text: maskCpr(thread.post.text) } : null,
        comments: thread.comments.map((c) => ({ ...c, text: maskCpr(c.text) })),
        replies: thread.replies.map((x) => ({ ...x, text: maskCpr(x.text) })),
      },
      categories: categories.map((c) => ({ id: c, label: isCategory(c) ? CATEGORIES[c].label : c })),
      guideline: r.guideline,
      reason: maskCpr(r.reason),
      decidedBy: people.get(r.decided_by) ?? '',
      decidedAt: r.decided_at,
      carriedOutAt: r.carried_out_at,
      undoneAt: r.undone_at,
      undoneBy: r.undone_by ? (people.get(r.undone_by) ?? '') : null,
      keepUntil: r.keep_until,
      state: stateOf(r),
    };
  });
}

/** Writes one audit entry for an export of records (they hold personal data). */
export async function auditExport(ctx: Ctx, actor: Actor, format: 'csv' | 'json', ids: string[]): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await audit(tx, { ...auditActor(actor), action: 'removal_record.exported', objectType: 'removal_record', objectId: null, details: { format, count: ids.length, ids: ids.slice(0, 1000) } });
  });
}

// Exports for journalising: the same fields in both, CPR numbers masked (showRecords did that).

export const CSV_COLUMNS = [
  'Notat-id',
  'Konto',
  'Netværk',
  'Handling',
  'Status',
  'Forfatter',
  'Forfatterens brugernavn',
  'Skrevet',
  'Tekst',
  'Link på netværket',
  'Tråd',
  'Kategorier',
  'Punkt i retningslinjerne',
  'Begrundelse',
  'Besluttet af',
  'Besluttet',
  'Gennemført på netværket',
  'Vist igen',
  'Vist igen af',
  'Opbevares til',
] as const;

/** The thread in plain lines, for a CSV cell. */
export function threadLines(thread: RecordThread): string {
  const lines: string[] = [];
  if (thread.post) lines.push(`Opslag${thread.post.sentAt ? ` (${spreadsheetTime(thread.post.sentAt)})` : ''}: ${thread.post.text}`);
  for (const c of thread.comments) lines.push(`${c.authorName}${c.authorHandle ? ` ${c.authorHandle}` : ''} (${spreadsheetTime(c.writtenAt)}): ${c.text}`);
  for (const r of thread.replies) lines.push(`Kommunens svar (${spreadsheetTime(r.sentAt)}): ${r.text}`);
  return lines.join('\n');
}

/** Semicolons, CRLF and UTF-8 with a byte order mark, as Danish Excel opens a file by a double click. */
export function recordsCsv(records: ShownRecord[]): string {
  const time = (iso: string | null) => (iso ? spreadsheetTime(iso) : '');
  const rows = [
    CSV_COLUMNS.join(';'),
    ...records.map((r) =>
      [
        r.id,
        r.accountName,
        NETWORK_LABELS[r.network as Network] ?? r.network,
        r.actionLabel,
        r.state,
        r.authorName,
        r.authorHandle ?? '',
        time(r.writtenAt),
        r.text,
        r.networkUrl ?? '',
        threadLines(r.thread),
        r.categories.map((c) => c.label).join(', '),
        r.guideline,
        r.reason,
        r.decidedBy,
        time(r.decidedAt),
        time(r.carriedOutAt),
        time(r.undoneAt),
        r.undoneBy ?? '',
        time(r.keepUntil),
      ]
        .map(csvCell)
        .join(';'),
    ),
  ];
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}

/** The same records as JSON, with English keys and ISO times, for the archive system. */
export function recordsJson(records: ShownRecord[], exportedAt = new Date()): string {
  return JSON.stringify(
    {
      exportedAt: exportedAt.toISOString(),
      note: 'CPR-numre er maskeret.',
      records: records.map((r) => ({
        id: r.id,
        account: { id: r.accountId, name: r.accountName, network: r.network, unit: r.unitName },
        action: r.action,
        state: r.state,
        author: { name: r.authorName, handle: r.authorHandle },
        writtenAt: r.writtenAt,
        text: r.text,
        networkUrl: r.networkUrl,
        thread: r.thread,
        categories: r.categories,
        guideline: r.guideline,
        reason: r.reason,
        decidedBy: r.decidedBy,
        decidedAt: r.decidedAt,
        carriedOutAt: r.carriedOutAt,
        undoneAt: r.undoneAt,
        undoneBy: r.undoneBy,
        keepUntil: r.keepUntil,
      })),
    },
    null,
    2,
  );
}
