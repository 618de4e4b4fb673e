import { requestJson } from '../providers/http.ts';
import { ProviderError } from '../providers/types.ts';
import type { Tokens } from '../tokens.ts';
import { authorizeBase } from './authorize-base.ts';
import { ConnectError, unreachable } from './errors.ts';

// Facebook Login for a page (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow and
// https://developers.facebook.com/docs/pages-api/getting-started): the login dialog asks for the page permissions,
// the code comes back and is exchanged for a user token, that for a long-lived one, and /me/accounts hands out the
// page's own token. The page token is what is stored; the user tokens are dropped.

export const FACEBOOK_SCOPES = ['pages_manage_posts', 'pages_read_engagement', 'pages_manage_engagement', 'pages_show_list'];

export interface FacebookApp {
  appId: string;
  appSecret: string;
}

export function facebookAuthorizeUrl(input: { apiBase: string; app: FacebookApp; redirectUri: string; state: string }): string {
  const url = new URL(`${authorizeBase('facebook', input.apiBase)}/dialog/oauth`);
  url.searchParams.set('client_id', input.app.appId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', input.state);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', FACEBOOK_SCOPES.join(','));
  return url.toString();
}

interface GraphError {
  error?: { code?: number; error_subcode?: number; type?: string };
}

type GraphAnswer<T> = { ok: true; body: T } | { ok: false; status: number; error: GraphError['error'] };

async function graphGet<T>(url: URL, token: string | null, timeoutMs: number, label: string): Promise<GraphAnswer<T>> {
  try {
    const answer = await requestJson(url.toString(), { method: 'GET', headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } }, { timeoutMs }, label);
    const error = (answer.body as GraphError | null)?.error;
    if (answer.status >= 200 && answer.status < 300 && !error) return { ok: true, body: answer.body as T };
    return { ok: false, status: answer.status, error };
  } catch (error) {
    if (error instanceof ProviderError) throw unreachable('Facebook');
    throw error;
  }
}

/** Sorts a refused token exchange: Mediehus' app settings, the return address, or the code itself. */
function exchangeRefused(status: number, error: GraphError['error'], redirectUri: string): ConnectError {
  const code = error?.code;
  // 2 service unavailable, 4 and 17 throttling: Graph says to try later.
  if (status >= 500 || code === 2 || code === 4 || code === 17) return unreachable('Facebook');
  if (code === 101 || code === 1) {
    return new ConnectError('configuration', 'Facebook afviste Mediehus’ app-id eller app-hemmelighed. Platformsejeren skal tjekke MEDIEHUS_FACEBOOK_APP_ID og MEDIEHUS_FACEBOOK_APP_SECRET.');
  }
  if (code === 100 && error?.error_subcode === 36008) {
    return new ConnectError('configuration', `Facebook godkendte ikke adressen, Mediehus bad om at komme tilbage til. Platformsejeren skal tilføje ${redirectUri} under “Valid OAuth Redirect URIs” i Facebook-appen.`);
  }
  return new ConnectError('refused_code', 'Facebook godkendte ikke koden fra login. Den kan være udløbet eller allerede brugt. Prøv igen.');
}

interface ManagedPage {
  id: string;
  name?: string;
  username?: string;
  access_token?: string;
}

interface PageList {
  data?: ManagedPage[];
  paging?: { next?: string };
}

export async function facebookPageToken(input: {
  apiBase: string;
  app: FacebookApp;
  redirectUri: string;
  code: string;
  /** The page in the registry: its id once connected, else its username (or id) as the handle. */
  page: { externalId: string | null; handle: string; name: string };
  timeoutMs: number;
}): Promise<Tokens> {
  const graph = input.apiBase.replace(/\/+$/, '');
  const exchange = new URL(`${graph}/oauth/access_token`);
  exchange.searchParams.set('client_id', input.app.appId);
  exchange.searchParams.set('redirect_uri', input.redirectUri);
  exchange.searchParams.set('client_secret', input.app.appSecret);
  exchange.searchParams.set('code', input.code);
  const short = await graphGet<{ access_token?: string }>(exchange, null, input.timeoutMs, 'Facebook code exchange');
  if (!short.ok) throw exchangeRefused(short.status, short.error, input.redirectUri);
  if (!short.body.access_token) throw unreachable('Facebook');

  // A page token got through a long-lived user token does not expire.
  const longLived = new URL(`${graph}/oauth/access_token`);
  longLived.searchParams.set('grant_type', 'fb_exchange_token');
  longLived.searchParams.set('client_id', input.app.appId);
  longLived.searchParams.set('client_secret', input.app.appSecret);
  longLived.searchParams.set('fb_exchange_token', short.body.access_token);
  const long = await graphGet<{ access_token?: string }>(longLived, null, input.timeoutMs, 'Facebook long-lived token');
  if (!long.ok) throw exchangeRefused(long.status, long.error, input.redirectUri);
  if (!long.body.access_token) throw unreachable('Facebook');

  const wanted = (p: ManagedPage) =>
    input.page.externalId ? p.id === input.page.externalId : p.id === input.page.handle || p.username?.toLowerCase() === input.page.handle.replace(/^@/, '').toLowerCase();
  let next: URL | null = new URL(`${graph}/me/accounts`);
  next.searchParams.set('fields', 'id,name,username,access_token');
  next.searchParams.set('limit', '100');
  let seen = 0;
  // A person may manage many pages; follow the pages of the list, but never to another host.
  for (let round = 0; next && round < 10; round++) {
    const list: GraphAnswer<PageList> = await graphGet<PageList>(next, long.body.access_token, input.timeoutMs, 'Facebook pages');
    if (!list.ok) throw list.status >= 500 ? unreachable('Facebook') : new ConnectError('declined', 'Facebook gav ikke Mediehus lov til at se de sider, du administrerer. Prøv igen, og giv adgang til siden, når Facebook spørger.');
    const pages = list.body.data ?? [];
    seen += pages.length;
    const page = pages.find(wanted);
    if (page?.access_token) return { accessToken: page.access_token, refreshToken: null };
    const more: string | undefined = list.body.paging?.next;
    next = more && URL.canParse(more) && new URL(more).origin === new URL(graph).origin ? new URL(more) : null;
  }
  if (!seen) {
    throw new ConnectError('declined', 'Facebook gav ikke Mediehus adgang til nogen sider. Prøv igen, og vælg siden, når Facebook spørger, hvilke sider Mediehus må bruge.');
  }
  throw new ConnectError(
    'wrong_account',
    `Den Facebook-bruger, du loggede ind som, administrerer ikke siden ${input.page.name} (${input.page.handle}), eller siden blev ikke valgt. Log ind som en af sidens administratorer, vælg siden, og prøv igen.`,
  );
}
