import type { DbOrTx } from '../platform/database.ts';
import type { SamlRequestRow } from './saml-tables.ts';

export async function insertSamlRequest(db: DbOrTx, row: SamlRequestRow): Promise<void> {
  await db.insertInto('saml_requests').values(row).execute();
}

/** A request sent and not yet expired, answered or not: a second answer to it is a replay, not a stranger. */
export async function findLiveSamlRequest(db: DbOrTx, id: string, now: string): Promise<SamlRequestRow | undefined> {
  return db.selectFrom('saml_requests').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
}

/** Marks the request answered; false when it was already spent or has expired, so only one answer ever wins. */
export async function spendSamlRequest(db: DbOrTx, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('saml_requests')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Remembers an accepted assertion; false when it was seen before. */
export async function rememberSamlAssertion(
  db: DbOrTx,
  row: { idp_entity_id: string; assertion_id: string; received_at: string; expires_at: string },
): Promise<boolean> {
  const result = await db.insertInto('saml_assertions').values(row).onConflict((oc) => oc.columns(['idp_entity_id', 'assertion_id']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function deleteExpiredSaml(db: DbOrTx, now: string): Promise<void> {
  await db.deleteFrom('saml_requests').where('expires_at', '<=', now).execute();
  await db.deleteFrom('saml_assertions').where('expires_at', '<=', now).execute();
}
