import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ContractAccount, ContractServer, CreatedPost, Fault } from './contract.ts';

// A stand-in for X API v2 as an account with an OAuth 2.0 user-context token uses it: GET /2/users/me,
// POST /2/tweets (posts and replies), the chunked media upload (POST /2/media/upload/initialize,
// /2/media/upload/{id}/append, /2/media/upload/{id}/finalize), POST /2/media/metadata (alt text),
// GET /2/users/{id}/tweets and /2/users/{id}/mentions (since_id, start_time, pagination_token, expansions),
// PUT /2/tweets/{id}/hidden and DELETE /2/tweets/{id}. Answers are { data, includes, meta } and errors RFC 7807
// problems ({ title, detail, type, status }). 429s carry x-rate-limit-limit/-remaining/-reset, the reset in epoch
// seconds, rounded up, and the account stays limited until that advertised second. Written independently of the adapter.
//
// OAuth 2.0 Authorization Code with PKCE as X documents it: GET /i/oauth2/authorize is a consent screen that
// consents at once as the signed-in person (or refuses, when told to) and sends the browser back to redirect_uri
// with state and code; POST /2/oauth2/token exchanges the code (with code_verifier and the same redirect_uri) for an
// access token and, with offline.access, a refresh token, and renews them (grant_type=refresh_token). A confidential
// client authenticates with HTTP Basic, a public one names its client_id in the body. The tokens work for every
// request above.

const MAX_WEIGHT = 280;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_GIF_BYTES = 15 * 1024 * 1024;
const MAX_ALT_TEXT = 1000;
/** X's epoch for snowflake ids. */
const X_EPOCH = 1_288_834_974_657n;

interface XUser {
  id: string;
  username: string;
  name: string;
  account: ContractAccount | null;
}

interface Tweet {
  id: string;
  authorId: string;
  text: string;
  createdAt: Date;
  conversationId: string;
  inReplyTo: string | null;
  mentions: Set<string>;
  hidden: boolean;
}

interface Media {
  id: string;
  ownerId: string;
  type: string;
  totalBytes: number;
  received: number;
  finalized: boolean;
  alt: string | null;
}

interface LimitState {
  limitedUntil: number;
  windowStart: number;
  windowCount: number;
}

class Problem {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {}
}

const problem = (status: number, title: string, detail: string, type = 'about:blank', headers: Record<string, string> = {}) => new Problem(status, { title, detail, type, status }, headers);
const unauthorized = () => problem(401, 'Unauthorized', 'Unauthorized');
const invalid = (message: string) =>
  new Problem(400, { errors: [{ parameters: {}, message }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
const notFound = (id: string) =>
  new Problem(404, { errors: [{ value: id, detail: `Could not find tweet with id: [${id}].`, title: 'Not Found Error', resource_type: 'tweet', parameter: 'id', resource_id: id, type: 'https://api.twitter.com/2/problems/resource-not-found' }], title: 'Not Found Error', detail: `Could not find tweet with id: [${id}].`, type: 'https://api.twitter.com/2/problems/resource-not-found' });

/** X's weighted length, as the server checks it: links 23, emoji 2, U+0000–U+10FF and some punctuation 1, the rest 2. */
function weightedLength(text: string): number {
  const light = (c: number) => c <= 0x10ff || (c >= 0x2000 && c <= 0x200d) || (c >= 0x2010 && c <= 0x201f) || (c >= 0x2032 && c <= 0x2037);
  const withoutLinks = text.normalize('NFC').replace(/https?:\/\/\S+/g, 'x'.repeat(23));
  let weight = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(withoutLinks)) {
    if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(segment)) weight += 2;
    else for (const ch of segment) weight += light(ch.codePointAt(0)!) ? 1 : 2;
  }
  return weight;
}

/** Field values of a multipart body, kept as bytes (the client sends the media chunk without a filename). */
function multipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const parts = new Map<string, Buffer>();
  if (!match) return parts;
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = headerEnd >= 0 ? /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1] : undefined;
    if (name !== undefined) parts.set(name, part.subarray(headerEnd + 4));
    start = next;
  }
  return parts;
}

const list = (raw: string | null) => new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** The contract server with the OAuth 2.0 client Mediehus is registered as. */
export interface XContractServer extends ContractServer {
  /** MEDIEHUS_X_CLIENT_ID / _SECRET; the secret is only checked while the client is confidential. */
  readonly client: { clientId: string; clientSecret: string };
  /** Confidential (HTTP Basic at the token endpoint, the default) or public (client_id in the body). */
  setClientType(type: 'confidential' | 'public'): void;
  /** Who is signed in at the consent screen; the newest account unless told. */
  consentAs(accountExternalId: string): void;
  /** The next consent screen answers as if the person clicked "Cancel" (error=access_denied). */
  refuseNextConsent(): void;
  /** The token's two hours are up: X answers 401 to it from now on, and the refresh token must renew it. */
  expireAccessToken(token: string): void;
}

const CODE_MS = 30_000;
const ACCESS_S = 7200;
const invalidCode = () => new Problem(400, { error: 'invalid_request', error_description: 'Value passed for the authorization code was invalid.' });
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

export async function startXContractServer(): Promise<XContractServer> {
  const users = new Map<string, XUser>();
  const tweets = new Map<string, Tweet>();
  const media = new Map<string, Media>();
  const created: CreatedPost[] = [];
  const deleted = new Set<string>();
  const faults: { accountId: string | null; fault: Fault }[] = [];
  const limits = new Map<string, LimitState>();
  const requests: { method: string; path: string; at: Date }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let standing: { max: number; windowMs: number } | null = null;
  let violations = 0;
  let lastId = 0n;

  /** Snowflake-like ids: time-ordered, so since_id and start_time agree. */
  const nextId = (at = Date.now()) => {
    let id = (BigInt(at) - X_EPOCH) << 22n;
    if (id <= lastId) id = lastId + 1n;
    lastId = id;
    return id.toString();
  };
  const client = { clientId: randomBytes(24).toString('base64url'), clientSecret: randomBytes(36).toString('base64url') };
  let clientType: 'confidential' | 'public' = 'confidential';
  let consentUser: string | null = null;
  let refuseConsent = false;
  const grants = new Map<string, { userId: string; redirectUri: string; challenge: string; method: string; scope: string; expiresAt: number; used: boolean }>();
  /** Tokens issued at the token endpoint, besides each account's own. */
  const accessTokens = new Map<string, string>();
  const refreshTokens = new Map<string, { userId: string; scope: string }>();
  const expiredTokens = new Set<string>();

  const userByToken = (token: string | null) => {
    if (token === null || expiredTokens.has(token)) return null;
    const issued = accessTokens.get(token);
    if (issued) return users.get(issued) ?? null;
    return [...users.values()].find((u) => u.account && u.account.accessToken === token) ?? null;
  };
  const limitOf = (userId: string) => {
    let state = limits.get(userId);
    if (!state) limits.set(userId, (state = { limitedUntil: 0, windowStart: 0, windowCount: 0 }));
    return state;
  };
  /** x-rate-limit-reset is in epoch seconds: round up, and hold the account until the second it was told. */
  const advertised = (resetAt: number) => Math.ceil(resetAt / 1000) * 1000;
  const limitHeaders = (state: LimitState, remaining: number): Record<string, string> => ({
    'x-rate-limit-limit': String(standing?.max ?? 1),
    'x-rate-limit-remaining': String(Math.max(0, remaining)),
    'x-rate-limit-reset': String(Math.ceil(state.limitedUntil / 1000)),
  });
  const tooMany = (state: LimitState) => problem(429, 'Too Many Requests', 'Too Many Requests', 'about:blank', limitHeaders(state, 0));

  /**
   * The gate for requests that create something: a tweet (post or reply) or a media upload. Throttling first,
   * then the next injected fault, then (for tweets) the standing per-window limit.
   */
  const admit = (user: XUser, createsTweet: boolean): { hangMs: number; headers: Record<string, string> } => {
    const now = Date.now();
    const state = limitOf(user.id);
    if (now < state.limitedUntil) {
      violations++;
      throw tooMany(state);
    }
    const index = faults.findIndex((f) => (f.accountId === null || f.accountId === user.id) && (createsTweet || f.fault.kind !== 'accept_then_hang'));
    const fault = index >= 0 ? faults.splice(index, 1)[0]!.fault : null;
    if (fault?.kind === 'server_error') throw problem(500, 'Internal Server Error', 'Internal Server Error');
    if (fault?.kind === 'rate_limit') {
      state.limitedUntil = advertised(now + fault.resetInMs);
      throw tooMany(state);
    }
    if (fault?.kind === 'expired_token') throw unauthorized();
    if (fault?.kind === 'bad_content') throw problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    let headers: Record<string, string> = {};
    if (standing && createsTweet) {
      if (now >= state.windowStart + standing.windowMs) {
        state.windowStart = now;
        state.windowCount = 0;
      }
      state.windowCount++;
      const windowEnd = advertised(state.windowStart + standing.windowMs);
      if (state.windowCount > standing.max) {
        state.limitedUntil = windowEnd;
        throw tooMany(state);
      }
      headers = { 'x-rate-limit-limit': String(standing.max), 'x-rate-limit-remaining': String(standing.max - state.windowCount), 'x-rate-limit-reset': String(windowEnd / 1000) };
    }
    return { hangMs: fault?.kind === 'accept_then_hang' ? fault.hangMs : 0, headers };
  };

  const tweetJson = (t: Tweet, fields: Set<string>): Record<string, unknown> => {
    const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
    if (fields.has('created_at')) out.created_at = t.createdAt.toISOString();
    if (fields.has('author_id')) out.author_id = t.authorId;
    if (fields.has('conversation_id')) out.conversation_id = t.conversationId;
    if (fields.has('in_reply_to_user_id') && t.inReplyTo) out.in_reply_to_user_id = tweets.get(t.inReplyTo)?.authorId;
    if (fields.has('referenced_tweets') && t.inReplyTo) out.referenced_tweets = [{ type: 'replied_to', id: t.inReplyTo }];
    return out;
  };

  /** A timeline page, newest first: since_id/until_id, start_time/end_time, max_results 5–100 and pagination_token. */
  const timeline = (all: Tweet[], query: URLSearchParams) => {
    const max = Number(query.get('max_results') ?? 10);
    if (!Number.isInteger(max) || max < 5 || max > 100) throw invalid(`The \`max_results\` query parameter value [${query.get('max_results')}] is not between 5 and 100`);
    const start = query.get('start_time') ? Date.parse(query.get('start_time')!) : null;
    const end = query.get('end_time') ? Date.parse(query.get('end_time')!) : null;
    if (Number.isNaN(start) || Number.isNaN(end)) throw invalid('Invalid start_time or end_time');
    const since = query.get('since_id') ? BigInt(query.get('since_id')!) : null;
    const until = query.get('until_id') ? BigInt(query.get('until_id')!) : null;
    const token = query.get('pagination_token');
    const below = token ? BigInt(Buffer.from(token, 'base64url').toString('utf8')) : null;
    const matching = all
      .filter((t) => !deleted.has(t.id))
      .filter((t) => (start === null || t.createdAt.getTime() >= start) && (end === null || t.createdAt.getTime() <= end))
      .filter((t) => (since === null || BigInt(t.id) > since) && (until === null || BigInt(t.id) < until) && (below === null || BigInt(t.id) < below))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const page = matching.slice(0, max);
    const fields = list(query.get('tweet.fields'));
    const expansions = list(query.get('expansions'));
    const body: Record<string, unknown> = {};
    if (page.length) body.data = page.map((t) => tweetJson(t, fields));
    if (page.length && expansions.has('author_id')) {
      const authors = [...new Set(page.map((t) => t.authorId))].map((id) => users.get(id)!);
      body.includes = { users: authors.map((u) => ({ id: u.id, name: u.name, username: u.username })) };
    }
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) {
      meta.newest_id = page[0]!.id;
      meta.oldest_id = page.at(-1)!.id;
    }
    if (matching.length > page.length) meta.next_token = Buffer.from(page.at(-1)!.id).toString('base64url');
    body.meta = meta;
    return body;
  };

  function createTweet(author: XUser, text: string, inReplyTo: string | null, mediaIds: string[], at = new Date()): Tweet {
    const id = nextId(at.getTime());
    const parent = inReplyTo ? tweets.get(inReplyTo) : undefined;
    const mentions = new Set<string>();
    for (const u of users.values()) if (new RegExp(`@${u.username}\\b`, 'i').test(text)) mentions.add(u.id);
    if (parent) mentions.add(parent.authorId);
    mentions.delete(author.id);
    const tweet: Tweet = { id, authorId: author.id, text, createdAt: at, conversationId: parent ? parent.conversationId : id, inReplyTo, mentions, hidden: false };
    tweets.set(id, tweet);
    if (author.account) {
      created.push({ id, accountId: author.id, text, link: null, imageAlts: mediaIds.map((m) => media.get(m)?.alt ?? ''), idempotencyKey: null, createdAt: at, inReplyTo });
    }
    return tweet;
  }

  type Answer = { status: number; body: unknown; headers?: Record<string, string>; hangMs?: number };

  /** The consent screen's refusal: X shows a page of its own and does not go back to the app. */
  const consentPageError = () => ({ status: 400, body: '<!DOCTYPE html><title>X</title><p>Something went wrong. You weren’t able to give access to the App. Go back and try logging in again.</p>', headers: { 'content-type': 'text/html; charset=utf-8' } });

  function issueTokens(userId: string, scope: string): Record<string, unknown> {
    const access = randomBytes(40).toString('base64url');
    accessTokens.set(access, userId);
    const body: Record<string, unknown> = { token_type: 'bearer', expires_in: ACCESS_S, access_token: access, scope };
    if (scope.split(' ').includes('offline.access')) {
      const refresh = randomBytes(40).toString('base64url');
      refreshTokens.set(refresh, { userId, scope });
      body.refresh_token = refresh;
    }
    return body;
  }

  /** The consent screen and the token endpoint; they take the client's credentials, not a user token. */
  function oauthRoute(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): Answer | null {
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && path === '/i/oauth2/authorize') {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri') ?? '';
      const challenge = q.get('code_challenge') ?? '';
      const challengeMethod = q.get('code_challenge_method') ?? 'plain';
      if (q.get('client_id') !== client.clientId || q.get('response_type') !== 'code' || !URL.canParse(redirectUri)) return consentPageError();
      if (!challenge || !['S256', 'plain'].includes(challengeMethod) || !q.get('scope')) return consentPageError();
      const target = new URL(redirectUri);
      const state = q.get('state');
      if (refuseConsent) {
        refuseConsent = false;
        target.searchParams.set('error', 'access_denied');
        if (state !== null) target.searchParams.set('state', state);
        return { status: 302, body: '', headers: { location: target.toString() } };
      }
      const userId = consentUser ?? [...users.values()].filter((u) => u.account).at(-1)?.id;
      if (!userId) return consentPageError();
      const code = randomBytes(32).toString('base64url');
      grants.set(code, { userId, redirectUri, challenge, method: challengeMethod, scope: q.get('scope')!, expiresAt: Date.now() + CODE_MS, used: false });
      if (state !== null) target.searchParams.set('state', state);
      target.searchParams.set('code', code);
      return { status: 302, body: '', headers: { location: target.toString() } };
    }
    if (method === 'POST' && path === '/2/oauth2/token') {
      const form = new URLSearchParams(raw.toString('utf8'));
      const basic = /^Basic\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
      if (clientType === 'confidential') {
        const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':', 2) : [];
        if (id !== client.clientId || secret !== client.clientSecret) throw new Problem(401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
      } else if (form.get('client_id') !== client.clientId) {
        throw new Problem(400, { error: 'invalid_request', error_description: 'Missing required parameter [client_id].' });
      }
      const grantType = form.get('grant_type');
      if (grantType === 'refresh_token') {
        const known = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!known) throw new Problem(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
        refreshTokens.delete(form.get('refresh_token')!);
        return { status: 200, body: issueTokens(known.userId, known.scope) };
      }
      if (grantType !== 'authorization_code') throw new Problem(400, { error: 'invalid_request', error_description: 'Value passed for the grant_type was invalid.' });
      const verifier = form.get('code_verifier');
      if (!verifier) throw new Problem(400, { error: 'invalid_request', error_description: 'Missing required parameter [code_verifier].' });
      const grant = grants.get(form.get('code') ?? '');
      // X says the same for an unknown, used or expired code, another redirect_uri and a verifier that does not match.
      if (!grant || grant.used || Date.now() > grant.expiresAt || form.get('redirect_uri') !== grant.redirectUri) throw invalidCode();
      if ((grant.method === 'S256' ? s256(verifier) : verifier) !== grant.challenge) throw invalidCode();
      grant.used = true;
      return { status: 200, body: issueTokens(grant.userId, grant.scope) };
    }
    return null;
  }

  function route(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): Answer {
    const token = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1] ?? null;
    const user = userByToken(token);
    if (!user) throw unauthorized();
    const path = url.pathname.replace(/\/+$/, '');
    const json = (): Record<string, unknown> => {
      if (!raw.length) return {};
      try {
        return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw invalid('Request body is not valid JSON');
      }
    };
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === '/2/users/me') return { status: 200, body: { data: { id: user.id, name: user.name, username: user.username } } };

    if (method === 'POST' && path === '/2/tweets') {
      const body = json() as { text?: unknown; media?: { media_ids?: unknown }; reply?: { in_reply_to_tweet_id?: unknown } };
      const text = typeof body.text === 'string' ? body.text : '';
      const mediaIds = Array.isArray(body.media?.media_ids) ? body.media.media_ids.map(String) : [];
      const replyTo = body.reply?.in_reply_to_tweet_id === undefined ? null : String(body.reply.in_reply_to_tweet_id);
      if (!text && !mediaIds.length) throw invalid('Tweet needs to have either text, media or a poll');
      if (weightedLength(text) > MAX_WEIGHT) throw invalid('The text of your Tweet is too long.');
      if (mediaIds.length > 4 || mediaIds.some((id) => { const item = media.get(id); return !item || !item.finalized || item.ownerId !== user.id; })) throw invalid('Your media IDs are invalid.');
      if (replyTo && (!tweets.has(replyTo) || deleted.has(replyTo))) throw invalid('The Tweet you are replying to has been deleted or is not visible to you.');
      const duplicate = [...tweets.values()].some((t) => t.authorId === user.id && !deleted.has(t.id) && t.text === text && text !== '');
      const gate = admit(user, true);
      if (duplicate) throw problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
      const tweet = createTweet(user, text, replyTo, mediaIds);
      return { status: 201, body: { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }, headers: gate.headers, hangMs: gate.hangMs };
    }

    if (method === 'POST' && path === '/2/media/upload/initialize') {
      const body = json() as { media_type?: unknown; total_bytes?: unknown; media_category?: unknown };
      const type = String(body.media_type ?? '');
      const total = Number(body.total_bytes);
      if (!IMAGE_TYPES.has(type)) throw invalid(`media_type ${type} is not supported`);
      if (!Number.isInteger(total) || total <= 0 || total > (type === 'image/gif' ? MAX_GIF_BYTES : MAX_IMAGE_BYTES)) throw invalid('File size exceeds the limit for this media_category.');
      admit(user, false);
      const id = nextId();
      media.set(id, { id, ownerId: user.id, type, totalBytes: total, received: 0, finalized: false, alt: null });
      return { status: 200, body: { data: { id, media_key: `3_${id}`, expires_after_secs: 86_400 } } };
    }

    if (method === 'POST' && (m = /^\/2\/media\/upload\/(\d+)\/(append|finalize)$/.exec(path))) {
      const item = media.get(m[1]!);
      if (!item || item.ownerId !== user.id) throw invalid('Invalid media id');
      if (m[2] === 'append') {
        const parts = multipart(raw, String(headers['content-type'] ?? ''));
        const chunk = parts.get('media');
        if (!chunk || !parts.has('segment_index')) throw invalid('media and segment_index are required');
        item.received += chunk.length;
        if (item.received > item.totalBytes) throw invalid('Segments add up to more than total_bytes');
        return { status: 200, body: { data: { expires_at: Math.floor(Date.now() / 1000) + 86_400 } } };
      }
      if (item.received !== item.totalBytes) throw invalid(`File size mismatch: received ${item.received} of ${item.totalBytes} bytes`);
      item.finalized = true;
      return { status: 200, body: { data: { id: item.id, media_key: `3_${item.id}`, size: item.totalBytes, expires_after_secs: 86_400 } } };
    }

    if (method === 'POST' && path === '/2/media/metadata') {
      const body = json() as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } };
      const item = media.get(String(body.id ?? ''));
      if (!item || item.ownerId !== user.id) throw invalid('Invalid media id');
      const alt = body.metadata?.alt_text?.text;
      if (typeof alt !== 'string' || [...alt].length > MAX_ALT_TEXT) throw invalid(`alt_text must be a string of at most ${MAX_ALT_TEXT} characters`);
      item.alt = alt;
      return { status: 200, body: { data: { id: item.id, associated_metadata: { alt_text: { text: alt } } } } };
    }

    if (method === 'GET' && (m = /^\/2\/users\/(\d+)\/(tweets|mentions)$/.exec(path))) {
      if (!users.has(m[1]!)) throw notFound(m[1]!);
      const all = [...tweets.values()].filter((t) => (m![2] === 'tweets' ? t.authorId === m![1] : t.mentions.has(m![1]!)));
      return { status: 200, body: timeline(all, url.searchParams) };
    }

    if (method === 'PUT' && (m = /^\/2\/tweets\/(\d+)\/hidden$/.exec(path))) {
      const tweet = tweets.get(m[1]!);
      if (!tweet || deleted.has(tweet.id)) throw notFound(m[1]!);
      const root = tweets.get(tweet.conversationId);
      if (!tweet.inReplyTo || root?.authorId !== user.id) throw problem(403, 'Forbidden', 'You can only hide or unhide replies to conversations you started.');
      const body = json() as { hidden?: unknown };
      if (typeof body.hidden !== 'boolean') throw invalid('hidden must be true or false');
      tweet.hidden = body.hidden;
      return { status: 200, body: { data: { hidden: tweet.hidden } } };
    }

    if (method === 'DELETE' && (m = /^\/2\/tweets\/(\d+)$/.exec(path))) {
      const tweet = tweets.get(m[1]!);
      if (!tweet || deleted.has(tweet.id)) throw notFound(m[1]!);
      if (tweet.authorId !== user.id) throw problem(403, 'Forbidden', 'You are not allowed to delete a Tweet that is not yours.');
      deleted.add(tweet.id);
      return { status: 200, body: { data: { deleted: true } } };
    }

    throw new Problem(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: new Date() });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}, type = 'application/json; charset=utf-8') => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': type, ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      let answer: Answer;
      try {
        const method = req.method ?? 'GET';
        const target = new URL(req.url ?? '/', 'http://api.x.local');
        const raw = Buffer.concat(chunks);
        answer = oauthRoute(method, target, req.headers, raw) ?? route(method, target, req.headers, raw);
      } catch (error) {
        // The token endpoint answers OAuth's { error, error_description } as plain JSON; the API answers problems.
        if (error instanceof Problem) return send(error.status, error.body, error.headers, typeof error.body.error === 'string' ? 'application/json; charset=utf-8' : 'application/problem+json');
        return send(500, { title: 'Internal Server Error', detail: 'Internal Server Error', type: 'about:blank', status: 500 }, {}, 'application/problem+json');
      }
      if (!answer.hangMs) return send(answer.status, answer.body, answer.headers);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(answer.status, answer.body, answer.headers);
      }, answer.hangMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const addUser = (username: string, name: string, account: ContractAccount | null, id = nextId()): XUser => {
    const user: XUser = { id, username, name, account };
    users.set(id, user);
    return user;
  };

  return {
    network: 'x',
    url,
    requests,
    client,
    setClientType(type) {
      clientType = type;
    },
    consentAs(accountExternalId) {
      consentUser = accountExternalId;
    },
    refuseNextConsent() {
      refuseConsent = true;
    },
    expireAccessToken(token) {
      expiredTokens.add(token);
    },
    createAccount(options = {}) {
      const id = nextId();
      const username = (options.handle ?? `konto${users.size + 1}`).replace(/^@/, '');
      const account: ContractAccount = {
        network: 'x',
        externalId: id,
        handle: `@${username}`,
        name: options.name ?? `Testkonto ${users.size + 1}`,
        accessToken: Buffer.from(`x-access:${id}:${Math.random()}`).toString('base64url'),
        refreshToken: Buffer.from(`x-refresh:${id}:${Math.random()}`).toString('base64url'),
        apiBase: url,
      };
      addUser(username, account.name, account, id);
      // As if connected through the consent screen with offline.access: the refresh token renews the access token.
      refreshTokens.set(account.refreshToken!, { userId: id, scope: 'tweet.read tweet.write users.read offline.access tweet.moderate.write media.write' });
      return account;
    },
    injectFaults(list, accountExternalId) {
      for (const fault of list) faults.push({ accountId: accountExternalId ?? null, fault });
    },
    setRateLimit(limit) {
      standing = limit;
      for (const state of limits.values()) {
        state.windowStart = 0;
        state.windowCount = 0;
      }
    },
    rateLimitViolations: () => violations,
    createdPosts: (accountExternalId) => created.filter((p) => !accountExternalId || p.accountId === accountExternalId),
    addIncoming(accountExternalId, item) {
      const account = users.get(accountExternalId);
      if (!account?.account) throw new Error(`No account ${accountExternalId}`);
      if (item.postId !== null && !tweets.has(item.postId)) throw new Error(`No tweet ${item.postId}`);
      const username = (item.authorHandle ?? `borger${users.size + 1}`).replace(/^@/, '');
      const author = [...users.values()].find((u) => u.username === username) ?? addUser(username, item.authorName, null);
      // Replies on X begin with the @handle of the account answered.
      const text = new RegExp(`@${account.username}\\b`, 'i').test(item.text) ? item.text : `@${account.username} ${item.text}`;
      return createTweet(author, text, item.postId, [], item.createdAt ?? new Date()).id;
    },
    hiddenIds: () => new Set([...tweets.values()].filter((t) => t.hidden && !deleted.has(t.id)).map((t) => t.id)),
    deletedIds: () => new Set(deleted),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
