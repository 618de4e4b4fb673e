import { createHash } from 'node:crypto';
import { requestJson } from '../providers/http.ts';
import { ProviderError } from '../providers/types.ts';
import type { Tokens } from '../tokens.ts';
import { authorizeBase } from './authorize-base.ts';
import { ConnectError, oauthErrorCode, unreachable } from './errors.ts';

// X's OAuth 2.0 Authorization Code Flow with PKCE
// (https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token): the consent screen on x.com with a
// S256 code challenge, then POST /2/oauth2/token with the code and its verifier. A confidential client authenticates
// with HTTP Basic, a public one names its client_id in the body. offline.access brings a refresh token.

/** What the adapter does: read and write posts, read the user, hide replies, upload images; offline.access to renew. */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'tweet.moderate.write', 'media.write'];

export interface XClientSettings {
  clientId: string;
  /** Null for a public client. */
  clientSecret: string | null;
}

export const codeChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export function xAuthorizeUrl(input: { apiBase: string; client: XClientSettings; redirectUri: string; state: string; verifier: string }): string {
  const url = new URL(`${authorizeBase('x', input.apiBase)}/i/oauth2/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.client.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', X_SCOPES.join(' '));
  url.searchParams.set('state', input.state);
  url.searchParams.set('code_challenge', codeChallenge(input.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

export async function xTokens(input: { apiBase: string; client: XClientSettings; redirectUri: string; code: string; verifier: string; timeoutMs: number }): Promise<Tokens> {
  const form = new URLSearchParams({ code: input.code, grant_type: 'authorization_code', redirect_uri: input.redirectUri, code_verifier: input.verifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (input.client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${input.client.clientId}:${input.client.clientSecret}`).toString('base64')}`;
  else form.set('client_id', input.client.clientId);
  let answer;
  try {
    answer = await requestJson(`${input.apiBase.replace(/\/+$/, '')}/2/oauth2/token`, { method: 'POST', headers, body: form }, { timeoutMs: input.timeoutMs }, 'X token');
  } catch (error) {
    if (error instanceof ProviderError) throw unreachable('X');
    throw error;
  }
  const body = answer.body as { access_token?: unknown; refresh_token?: unknown } | null;
  if (answer.status === 200 && typeof body?.access_token === 'string') {
    return { accessToken: body.access_token, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null };
  }
  if (answer.status === 401 || oauthErrorCode(body) === 'unauthorized_client' || oauthErrorCode(body) === 'invalid_client') {
    throw new ConnectError('configuration', 'X afviste Mediehus’ klient-id eller klient-hemmelighed. Platformsejeren skal tjekke MEDIEHUS_X_CLIENT_ID og MEDIEHUS_X_CLIENT_SECRET.');
  }
  if (answer.status === 400) {
    // X answers the same for an unknown, used or expired code, another redirect_uri and a verifier that does not fit.
    throw new ConnectError('refused_code', 'X godkendte ikke koden fra login. Den kan være udløbet, allerede brugt eller høre til et andet forsøg. Prøv igen.');
  }
  throw unreachable('X');
}
