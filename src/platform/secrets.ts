import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { Db } from './database.ts';

/**
 * The cookie-signing secret: from configuration, or made once and kept in the database
 * so that every process sharing the database signs alike.
 */
export async function cookieSecret(db: Db, config: Config): Promise<string> {
  if (config.cookieSecret) return config.cookieSecret;
  const key = 'cookie_secret';
  await db
    .insertInto('settings')
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
