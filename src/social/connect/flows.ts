import type { Actor } from '../../org/actor.ts';
import { accountFor } from '../accounts.ts';
import type { SocialContext } from '../context.ts';
import { type Network, NETWORK_LABELS, ProviderError } from '../providers/types.ts';
import { blueskySession, readBlueskySignIn } from './bluesky.ts';
import { connectWithTokens } from './connect-tokens.ts';
import { ConnectError, unreachable } from './errors.ts';
import { facebookAuthorizeUrl, facebookPageToken } from './facebook.ts';
import { mastodonApp, mastodonAuthorizeUrl, mastodonTokens } from './mastodon.ts';
import { randomToken, savePending, type SessionOf, sessionHash, takePending } from './pending.ts';
import { xAuthorizeUrl, xTokens } from './x.ts';

// Connecting an account through its network's own sign-in: start (a pending flow kept, the browser sent to the
// network) and finish (the network's answer checked against the pending flow, tokens fetched and stored through
// connectAccount). Bluesky, which has no such sign-in here, connects with an app password in one step.

export interface ConnectSettings {
  facebook: { appId: string; appSecret: string } | null;
  x: { clientId: string; clientSecret: string | null } | null;
  /** The callback's address without the network: `${redirectBase}/${network}`. */
  redirectBase: string;
}

/** Networks with a sign-in to send people to: Mastodon always (it registers itself), Facebook and X when configured. */
export function signInAvailable(settings: ConnectSettings, network: Network): boolean {
  if (network === 'mastodon') return true;
  if (network === 'facebook') return settings.facebook !== null;
  if (network === 'x') return settings.x !== null;
  return false;
}

export interface Who extends SessionOf {
  actor: Actor;
}

function resolve(ctx: SocialContext, apiBase: string, network: Network): string {
  try {
    return ctx.networks.resolve(apiBase).replace(/\/+$/, '');
  } catch (error) {
    if (error instanceof ProviderError) throw unreachable(NETWORK_LABELS[network]);
    throw error;
  }
}

/** Keeps a pending flow for the account and answers where to send the browser. */
export async function startConnect(ctx: SocialContext, settings: ConnectSettings, who: Who, accountId: string): Promise<string> {
  const account = await accountFor(ctx, who.actor, accountId);
  const label = NETWORK_LABELS[account.network];
  if (!signInAvailable(settings, account.network)) {
    throw new ConnectError('not_available', `Forbindelse gennem ${label}s eget login er ikke sat op i Mediehus. Indsæt en adgangsnøgle i stedet.`, accountId);
  }
  if (!ctx.secrets) throw new ConnectError('not_available', 'Mediehus har ingen nøgle til at gemme adgangsnøgler. Platformsejeren skal sætte MEDIEHUS_SECRET_KEY.', accountId);
  const apiBase = resolve(ctx, account.apiBase, account.network);
  const redirectUri = `${settings.redirectBase}/${account.network}`;
  const base = { accountId, network: account.network, personId: who.personId, session: sessionHash(who.sessionToken), apiBase, redirectUri };
  try {
    if (account.network === 'facebook') {
      const state = await savePending(ctx, base);
      return facebookAuthorizeUrl({ apiBase, app: settings.facebook!, redirectUri, state });
    }
    if (account.network === 'x') {
      const verifier = randomToken(48);
      const state = await savePending(ctx, { ...base, verifier });
      return xAuthorizeUrl({ apiBase, client: settings.x!, redirectUri, state, verifier });
    }
    const client = await mastodonApp(ctx, apiBase, redirectUri);
    const state = await savePending(ctx, { ...base, client });
    return mastodonAuthorizeUrl({ apiBase, clientId: client.id, redirectUri, state });
  } catch (error) {
    if (error instanceof ConnectError) error.accountId ??= accountId;
    throw error;
  }
}

/** What the network sent back: code and state, or error and state. */
export interface CallbackQuery {
  state?: unknown;
  code?: unknown;
  error?: unknown;
}

/** Any other error the network sends back means it did not accept what Mediehus asked for; its code is only repeated when it looks like one. */
const refusedRequest = (label: string, error: string) =>
  new ConnectError('configuration', `${label} afviste Mediehus’ forespørgsel${/^[a-z_]{1,64}$/.test(error) ? ` (fejlkode: ${error})` : ''}. Prøv igen; sker det igen, skal platformsejeren tjekke opsætningen af forbindelsen.`);

const declined = (label: string) => new ConnectError('declined', `Du gav ikke Mediehus adgang hos ${label}, så kontoen er ikke forbundet. Prøv igen, og vælg at give adgang, hvis kontoen skal forbindes.`);

/** Checks the state before anything else, then fetches the tokens and connects the account. Answers its id. */
export async function finishConnect(ctx: SocialContext, settings: ConnectSettings, who: Who, network: string, query: CallbackQuery): Promise<string> {
  const pending = await takePending(ctx, query.state, who);
  try {
    if (pending.network !== network) throw new ConnectError('expired', 'Svaret kom fra et andet netværk, end forbindelsen blev startet med. Start forfra fra kontoens side.');
    const account = await accountFor(ctx, who.actor, pending.accountId);
    const label = NETWORK_LABELS[account.network];
    if (typeof query.error === 'string' && query.error) throw query.error === 'access_denied' ? declined(label) : refusedRequest(label, query.error);
    if (typeof query.code !== 'string' || !query.code || query.code.length > 2000) throw new ConnectError('refused_code', `${label} sendte ikke en kode med tilbage. Prøv igen.`);
    if (resolve(ctx, account.apiBase, account.network) !== pending.apiBase) {
      throw new ConnectError('expired', 'Kontoens API-adresse blev ændret, mens du loggede ind. Start forfra fra kontoens side.');
    }
    const common = { apiBase: pending.apiBase, redirectUri: pending.redirectUri, code: query.code, timeoutMs: ctx.timeoutMs };
    if (account.network === 'facebook') {
      if (!settings.facebook) throw new ConnectError('not_available', 'Forbindelse gennem Facebooks eget login er ikke længere sat op i Mediehus.');
      const tokens = await facebookPageToken({ ...common, app: settings.facebook, page: { externalId: account.externalId, handle: account.handle, name: account.name } });
      await connectWithTokens(ctx, who.actor, account.id, tokens, { checkHandle: false });
    } else if (account.network === 'x') {
      if (!settings.x || !pending.verifier) throw new ConnectError('not_available', 'Forbindelse gennem X’ eget login er ikke længere sat op i Mediehus.');
      const tokens = await xTokens({ ...common, client: settings.x, verifier: pending.verifier });
      await connectWithTokens(ctx, who.actor, account.id, tokens, { checkHandle: true });
    } else if (account.network === 'mastodon' && pending.client) {
      const tokens = await mastodonTokens(ctx, { ...common, client: pending.client });
      await connectWithTokens(ctx, who.actor, account.id, tokens, { checkHandle: true });
    } else {
      throw new ConnectError('expired', 'Kontoen forbindes ikke gennem netværkets eget login. Start forfra fra kontoens side.');
    }
    return account.id;
  } catch (error) {
    if (error instanceof ConnectError) error.accountId ??= pending.accountId;
    throw error;
  }
}

/** Bluesky: handle and app password in, a session's tokens stored; the password is used for that one request only. */
export async function connectBluesky(ctx: SocialContext, actor: Actor, accountId: string, raw: { handle?: unknown; appPassword?: unknown }): Promise<void> {
  const account = await accountFor(ctx, actor, accountId);
  if (account.network !== 'bluesky') throw new ConnectError('not_available', 'Kun Bluesky-konti forbindes med en app-adgangskode.', accountId);
  const signIn = readBlueskySignIn(raw);
  const tokens = await blueskySession({ apiBase: resolve(ctx, account.apiBase, account.network), signIn, timeoutMs: ctx.timeoutMs });
  await connectWithTokens(ctx, actor, accountId, tokens, { checkHandle: true, how: 'app_password' });
}
