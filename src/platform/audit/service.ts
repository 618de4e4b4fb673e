import type { Db, Tx } from '../database.ts';
import { nowIso } from '../ids.ts';
import { chainHash, GENESIS_HASH, type AuditEntryInput } from './model.ts';
import { entriesInOrder, insertEntry, lastEntry, lockChain, readHead, saveHead } from './store.ts';

/** Appends one entry to the hash-chained audit log, inside the caller's transaction. */
export async function audit(tx: Tx, entry: AuditEntryInput): Promise<void> {
  await lockChain(tx);
  const last = await lastEntry(tx);
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: nowIso(),
    actor_id: entry.actorId,
    actor_label: entry.actorLabel,
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId,
    ip: entry.ip,
    details: JSON.stringify(entry.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = chainHash(fields);
  await insertEntry(tx, { ...fields, hash });
  await saveHead(tx, `${fields.seq}:${hash}`);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry that does not fit the chain, with why. */
  problem: { seq: number; reason: string } | null;
}

export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await entriesInOrder(db, expectedSeq - 1, 1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, problem: { seq: expectedSeq, reason: `post nr. ${expectedSeq} mangler (slettet)` } };
      if (row.prev_hash !== prevHash) return { ok: false, checked, problem: { seq: row.seq, reason: 'kæden er brudt: forrige hash passer ikke' } };
      const { hash, ...fields } = row;
      if (chainHash(fields) !== hash) return { ok: false, checked, problem: { seq: row.seq, reason: 'posten er ændret efter den blev skrevet' } };
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
  }
  // The chain alone cannot show that its newest rows were cut off; the head kept beside it can.
  const head = await readHead(db);
  if (head && head !== `${expectedSeq - 1}:${prevHash}`) {
    const seq = Number(head.split(':')[0]);
    return { ok: false, checked, problem: { seq, reason: `post nr. ${seq} mangler (slettet fra enden af loggen)` } };
  }
  return { ok: true, checked, problem: null };
}
