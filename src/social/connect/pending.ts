import { createHash, randomBytes } from 'node:crypto';
import { readSetting, writeSetting } from '../../platform/settings-store.ts';
import type { SocialContext } from '../context.ts';
import type { Network } from '../providers/types.ts';
import { ConnectError, EXPIRED_MESSAGE } from './errors.ts';

// A sign-in at a network that has been started and not yet finished. It is kept in the settings table, sealed with
// the secret key, under a key derived from the state (so the state itself is not stored), bound to the person and
// their session, and taken at most once within ten minutes: the callback deletes it before it does anything else.

export const PENDING_MS = 10 * 60_000;
const PREFIX = 'social.connect.state.';

export interface Pending {
  accountId: string;
  network: Network;
  personId: string;
  /** SHA-256 of the session token: the flow ends in the browser session that started it. */
  session: string;
  /** The network's address when the flow started; a changed account is not connected to the old place. */
  apiBase: string;
  redirectUri: string;
  startedAt: number;
  /** X's PKCE code verifier. */
  verifier?: string;
  /** Mastodon: the app registered at the instance, as used for this flow. */
  client?: { id: string; secret: string };
}

export interface SessionOf {
  personId: string;
  sessionToken: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
const keyOf = (state: string) => `${PREFIX}${sha256(state)}`;
const expired = () => new ConnectError('expired', EXPIRED_MESSAGE);

/** A fresh random value: the state parameter, X's code verifier. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sessionHash = (sessionToken: string): string => sha256(sessionToken);

function box(ctx: Pick<SocialContext, 'secrets'>) {
  if (!ctx.secrets) throw new ConnectError('not_available', 'Mediehus har ingen nøgle til at gemme adgangsnøgler. Platformsejeren skal sætte MEDIEHUS_SECRET_KEY.');
  return ctx.secrets;
}

/** Pending sign-ins nobody came back from are removed when the next one starts. */
async function removeExpired(ctx: Pick<SocialContext, 'db'>, now: number): Promise<void> {
  const rows = await ctx.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', `${PREFIX}%`).execute();
  const old = rows.filter((r) => !(Number(r.value.split('.', 1)[0]) > now)).map((r) => r.key);
  if (old.length) await ctx.db.deleteFrom('settings').where('key', 'in', old).execute();
}

/** Keeps the flow and answers the state to send to the network. */
export async function savePending(ctx: Pick<SocialContext, 'db' | 'secrets'>, pending: Omit<Pending, 'startedAt'>, now = Date.now()): Promise<string> {
  const secrets = box(ctx);
  await removeExpired(ctx, now);
  const state = randomToken();
  const key = keyOf(state);
  // The expiry stays readable in front of the sealed part, so old entries can be removed without the key.
  await writeSetting(ctx.db, key, `${now + PENDING_MS}.${secrets.seal(JSON.stringify({ ...pending, startedAt: now }), key)}`);
  return state;
}

/**
 * The flow the state names, taken once: unknown, used, expired, or started by another person or session are all
 * refused alike. A state sent from another session is not used up, so it cannot spoil the real person's sign-in.
 */
export async function takePending(ctx: Pick<SocialContext, 'db' | 'secrets'>, state: unknown, who: SessionOf, now = Date.now()): Promise<Pending> {
  const secrets = box(ctx);
  if (typeof state !== 'string' || state.length < 16 || state.length > 200) throw expired();
  const key = keyOf(state);
  const value = await readSetting(ctx.db, key);
  if (!value) throw expired();
  const dot = value.indexOf('.');
  let pending: Pending;
  try {
    pending = JSON.parse(secrets.open(value.slice(dot + 1), key)) as Pending;
  } catch {
    throw expired();
  }
  if (pending.personId !== who.personId || pending.session !== sessionHash(who.sessionToken)) throw expired();
  // Whoever deletes the row is the one who may use it.
  const taken = await ctx.db.deleteFrom('settings').where('key', '=', key).where('value', '=', value).executeTakeFirst();
  if (Number(taken.numDeletedRows) !== 1) throw expired();
  if (!(Number(value.slice(0, dot)) > now)) throw expired();
  return pending;
}
