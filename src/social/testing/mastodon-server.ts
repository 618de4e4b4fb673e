import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ContractAccount, ContractServer, CreatedPost, Fault } from './contract.ts';

// A stand-in for a Mastodon instance's REST API (https://docs.joinmastodon.org/methods/) with the requests a
// publisher and an inbox make: verify_credentials, POST /api/v2/media, POST/GET/DELETE /api/v1/statuses,
// GET /api/v1/accounts/:id/statuses and GET /api/v1/notifications. Answers use the documented entity shapes
// (snake_case JSON), errors the `{"error": "..."}` body with Mastodon's status codes and Doorkeeper's token
// messages, and rate limits the X-RateLimit-* headers with an ISO 8601 reset time (microseconds, as rack-attack
// writes it). POST /api/v1/statuses honours Idempotency-Key for an hour per account. Written from the docs,
// independent of any client.
//
// Signing in through the instance as an app does (https://docs.joinmastodon.org/methods/apps/,
// https://docs.joinmastodon.org/methods/oauth/): POST /api/v1/apps registers an app and answers its client_id and
// client_secret; GET /oauth/authorize is a consent screen that consents at once as the signed-in person (or refuses,
// when told to) and sends the browser back to the registered redirect URI with code and state; POST /oauth/token
// exchanges the code for an access token (Doorkeeper's invalid_client and invalid_grant errors, PKCE when the
// authorisation asked for it). The tokens work for every request above.
//
// Blocking (https://docs.joinmastodon.org/methods/accounts/): GET /api/v1/accounts/lookup?acct= finds an account by
// user@domain (404 "Record not found" when the instance does not know it); POST /api/v1/accounts/:id/block and
// /unblock answer the Relationship and need the write:blocks scope (or write, or the old follow) — a token issued
// without it gets 403 "This action is outside the authorized scopes". Blocks also take injected faults, like posts.
// `blockedAuthors` shows whom an account blocks.

const MAX_CHARS = 500;
const URL_CHARS = 23;
const MAX_MEDIA = 4;
const IMAGE_LIMIT = 16 * 1024 * 1024;
const MAX_DESCRIPTION = 1500;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/heic', 'image/heif', 'image/avif']);
const IDEMPOTENCY_MS = 60 * 60 * 1000;

interface Account {
  id: string;
  username: string;
  /** username for local accounts, username@domain for remote ones. */
  acct: string;
  displayName: string;
  local: boolean;
  token: string | null;
  tokenState: 'valid' | 'expired' | 'revoked';
  createdAt: Date;
  url: string;
}

interface Media {
  id: string;
  accountId: string;
  description: string | null;
  mimeType: string;
  size: number;
  statusId: string | null;
}

interface Status {
  id: string;
  account: Account;
  text: string;
  content: string;
  createdAt: Date;
  inReplyToId: string | null;
  inReplyToAccountId: string | null;
  media: Media[];
  visibility: string;
  language: string | null;
  mentions: Account[];
  deleted: boolean;
}

interface Notification {
  id: string;
  recipientId: string;
  from: Account;
  statusId: string;
  createdAt: Date;
}

interface LimitState {
  windowStart: number;
  count: number;
  /** Until when post-creating requests are refused. */
  limitedUntil: number;
  /** The reset time last sent in a 429; requests before it are violations. */
  advertisedUntil: number;
}

interface Part {
  name: string;
  fileName: string | null;
  contentType: string | null;
  data: Buffer;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Mastodon writes the reset time with Ruby's iso8601(6): microseconds and a Z. */
const iso6 = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

const URL_PATTERN = /https?:\/\/[^\s<>"]+/gu;

function trimUrl(url: string): string {
  let out = url.replace(/[.,;:!?'"]+$/u, '');
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1);
  return out;
}

/** The status length as StatusLengthValidator counts it: graphemes, each URL as 23, a remote mention as @user. */
function countableLength(text: string): number {
  const withUrls = text.replace(URL_PATTERN, (m) => 'x'.repeat(URL_CHARS) + m.slice(trimUrl(m).length));
  const withMentions = withUrls.replace(/(^|[^\w/])@(\w+)@[\w.-]+\w/gu, '$1@$2');
  return [...new Intl.Segmenter('da', { granularity: 'grapheme' }).segment(withMentions)].length;
}

/** Plain text to the HTML Mastodon stores: paragraphs, line breaks and links with their invisible parts. */
function formatContent(text: string): string {
  const linkify = (line: string) => {
    let out = '';
    let last = 0;
    for (const m of line.matchAll(URL_PATTERN)) {
      const url = trimUrl(m[0]);
      out += escapeHtml(line.slice(last, m.index));
      const prefix = /^https?:\/\/(www\.)?/.exec(url)![0];
      const rest = url.slice(prefix.length);
      const shown = rest.slice(0, 30);
      const hidden = rest.slice(30);
      out +=
        `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
        `<span class="invisible">${escapeHtml(prefix)}</span><span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(shown)}</span>` +
        `<span class="invisible">${escapeHtml(hidden)}</span></a>`;
      last = m.index + url.length;
    }
    return out + escapeHtml(line.slice(last));
  };
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(linkify).join('<br />')}</p>`)
    .join('');
}

function parseMultipart(body: Buffer, contentType: string): Part[] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const from = start + delimiter.length;
    if (body.subarray(from, from + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, from);
    if (next === -1) break;
    const chunk = body.subarray(from + 2, next - 2); // without the CRLF after the delimiter and before the next
    const headerEnd = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '',
      fileName: /\bfilename="([^"]*)"/.exec(disposition)?.[1] ?? null,
      contentType: /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1]?.trim() ?? null,
      data: chunk.subarray(headerEnd + 4),
    });
    start = next;
  }
  return parts;
}

/** Form fields as Rails reads them: JSON, urlencoded or multipart; `name[]` collects into an array. */
function readParams(body: Buffer, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  }
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (key.endsWith('[]')) {
      const name = key.slice(0, -2);
      out[name] = [...((out[name] as unknown[] | undefined) ?? []), value];
    } else out[key] = value;
  };
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) put(k, v);
  }
  return out;
}

/** The contract server with the apps registered at it and a consent screen that can be steered. */
export interface MastodonContractServer extends ContractServer {
  /** Apps registered through POST /api/v1/apps, oldest first. */
  registeredApps(): { clientId: string; name: string; redirectUris: string[]; scopes: string[] }[];
  /** Who is signed in at the consent screen; the newest account unless told. */
  consentAs(accountExternalId: string): void;
  /** The next consent screen answers as if the person clicked "Deny" (error=access_denied). */
  refuseNextConsent(): void;
  /** Whom the account blocks, as @user@domain, in the order they were blocked. */
  blockedAuthors(accountExternalId: string): string[];
}

interface OAuthApp {
  id: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
  clientId: string;
  clientSecret: string;
}

const CODE_MS = 10 * 60_000;
const KNOWN_SCOPES = /^(read|write|push|follow|profile|(admin:)?(read|write)(:[a-z_]+)?)$/;
const INVALID_CLIENT = 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.';
const INVALID_GRANT = 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';
/** Scopes a broader scope covers: "write" covers "write:statuses". */
const covers = (granted: string[], wanted: string) => granted.includes(wanted) || granted.includes(wanted.split(':')[0]!);

export async function startMastodonContractServer(): Promise<MastodonContractServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const accounts = new Map<string, Account>();
  const statuses = new Map<string, Status>();
  const media = new Map<string, Media>();
  const notifications: Notification[] = [];
  const idempotency = new Map<string, { statusId: string; at: number }>();
  const created: CreatedPost[] = [];
  const deleted = new Set<string>();
  const faults = new Map<string, Fault[]>();
  const anyAccountFaults: Fault[] = [];
  const limits = new Map<string, LimitState>();
  let standingLimit: { max: number; windowMs: number } | null = null;
  let violations = 0;
  let sequence = 0;
  let base = '';
  let host = '';
  const requests: ContractServer['requests'] = [];
  const apps = new Map<string, OAuthApp>();
  const grants = new Map<string, { app: OAuthApp; accountId: string; redirectUri: string; scopes: string; challenge: string | null; method: string; expiresAt: number; used: boolean }>();
  /** Tokens issued at /oauth/token, besides each account's own. */
  const issuedTokens = new Map<string, string>();
  /** The scopes each issued token was granted; an account's own token may do everything. */
  const tokenScopes = new Map<string, string[]>();
  /** Blocks per blocking account id: the blocked accounts' ids, in order. */
  const blocks = new Map<string, string[]>();
  let consentUser: string | null = null;
  let refuseConsent = false;

  // Snowflake-like ids as Mastodon makes them: milliseconds shifted left 16 bits, plus a sequence.
  const nextId = () => ((BigInt(Date.now()) << 16n) + BigInt(sequence++ & 0xffff)).toString();
  const byIdDesc = (a: { id: string }, b: { id: string }) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

  const makeAccount = (username: string, displayName: string, domain: string | null, token: string | null): Account => {
    const account: Account = {
      id: nextId(),
      username,
      acct: domain ? `${username}@${domain}` : username,
      displayName,
      local: domain === null,
      token,
      tokenState: 'valid',
      createdAt: new Date(),
      url: domain ? `https://${domain}/@${username}` : `${base}/@${username}`,
    };
    accounts.set(account.id, account);
    return account;
  };

  const accountJson = (a: Account) => ({
    id: a.id,
    username: a.username,
    acct: a.acct,
    display_name: a.displayName,
    locked: false,
    bot: false,
    discoverable: true,
    group: false,
    created_at: a.createdAt.toISOString(),
    note: '',
    url: a.url,
    uri: a.local ? `${base}/users/${a.username}` : a.url.replace('/@', '/users/'),
    avatar: `${base}/avatars/original/missing.png`,
    avatar_static: `${base}/avatars/original/missing.png`,
    header: `${base}/headers/original/missing.png`,
    header_static: `${base}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: [...statuses.values()].filter((s) => s.account === a && !s.deleted).length,
    last_status_at: null,
    emojis: [],
    fields: [],
  });

  const mediaJson = (m: Media) => ({
    id: m.id,
    type: 'image',
    url: `${base}/system/media_attachments/files/${m.id}/original/image`,
    preview_url: `${base}/system/media_attachments/files/${m.id}/small/image`,
    remote_url: null,
    preview_remote_url: null,
    text_url: null,
    meta: { original: { width: 640, height: 480, size: '640x480', aspect: 640 / 480 } },
    description: m.description,
    blurhash: 'UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}',
  });

  const statusJson = (s: Status, withSource = false) => ({
    id: s.id,
    created_at: s.createdAt.toISOString(),
    in_reply_to_id: s.inReplyToId,
    in_reply_to_account_id: s.inReplyToAccountId,
    sensitive: false,
    spoiler_text: '',
    visibility: s.visibility,
    language: s.language,
    uri: s.account.local ? `${base}/users/${s.account.username}/statuses/${s.id}` : `${s.account.url.replace('/@', '/users/')}/statuses/${s.id}`,
    url: `${s.account.url}/${s.id}`,
    replies_count: [...statuses.values()].filter((r) => r.inReplyToId === s.id && !r.deleted).length,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    favourited: false,
    reblogged: false,
    muted: false,
    bookmarked: false,
    pinned: false,
    content: s.content,
    ...(withSource ? { text: s.text } : {}),
    filtered: [],
    reblog: null,
    application: s.account.local ? { name: 'Mediehus', website: null } : null,
    account: accountJson(s.account),
    media_attachments: s.media.map(mediaJson),
    mentions: s.mentions.map((m) => ({ id: m.id, username: m.username, url: m.url, acct: m.acct })),
    tags: [],
    emojis: [],
    card: null,
    poll: null,
  });

  const notificationJson = (n: Notification) => ({
    id: n.id,
    type: 'mention',
    group_key: `ungrouped-${n.id}`,
    created_at: n.createdAt.toISOString(),
    account: accountJson(n.from),
    status: statusJson(statuses.get(n.statusId)!),
  });

  const error = (status: number, message: string, headers: Record<string, string> = {}) => new HttpAnswer(status, { error: message }, headers);

  const relationshipJson = (from: Account, to: Account) => ({
    id: to.id,
    following: false,
    showing_reblogs: false,
    notifying: false,
    languages: null,
    followed_by: false,
    blocking: (blocks.get(from.id) ?? []).includes(to.id),
    blocked_by: (blocks.get(to.id) ?? []).includes(from.id),
    muting: false,
    muting_notifications: false,
    requested: false,
    requested_by: false,
    domain_blocking: false,
    endorsed: false,
    note: '',
  });

  const unauthorized = (description: string) =>
    error(401, description, { 'www-authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"` });

  function authenticate(req: http.IncomingMessage): Account | HttpAnswer {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? issuedTokens.get(token) : undefined;
    const account = token ? (issued ? accounts.get(issued) : [...accounts.values()].find((a) => a.token === token)) : undefined;
    if (!account) return unauthorized('The access token is invalid');
    if (account.tokenState === 'expired') return unauthorized('The access token expired');
    if (account.tokenState === 'revoked') return unauthorized('The access token was revoked');
    return account;
  }

  const limitState = (accountId: string) => {
    let state = limits.get(accountId);
    if (!state) limits.set(accountId, (state = { windowStart: 0, count: 0, limitedUntil: 0, advertisedUntil: 0 }));
    return state;
  };

  const rateLimitHeaders = (resetAt: number, remaining: number) => ({
    'x-ratelimit-limit': String(standingLimit?.max ?? 300),
    'x-ratelimit-remaining': String(Math.max(0, remaining)),
    'x-ratelimit-reset': iso6(resetAt),
  });

  const tooManyRequests = (state: LimitState) => {
    state.advertisedUntil = state.limitedUntil;
    return error(429, 'Too many requests', rateLimitHeaders(state.limitedUntil, 0));
  };

  /**
   * Everything a post-creating request passes before the controller, in rack-attack's place: an account still
   * limited, injected faults, the standing limit. Returns an answer to send instead, `hang` to create and hold the
   * answer, or headers for a success.
   */
  function gate(account: Account): HttpAnswer | { hangMs: number | null; headers: Record<string, string> } {
    const now = Date.now();
    const state = limitState(account.id);
    if (now < state.advertisedUntil) violations++;
    if (now < state.limitedUntil) return tooManyRequests(state);
    const fault = faults.get(account.id)?.shift() ?? anyAccountFaults.shift();
    if (fault?.kind === 'server_error') {
      return new HttpAnswer(500, '<!DOCTYPE html>\n<html><head><title>We\'re sorry, but something went wrong (500)</title></head><body><h1>We\'re sorry, but something went wrong.</h1></body></html>', {
        'content-type': 'text/html; charset=utf-8',
      });
    }
    if (fault?.kind === 'rate_limit') {
      state.limitedUntil = now + fault.resetInMs;
      return tooManyRequests(state);
    }
    if (fault?.kind === 'expired_token') {
      account.tokenState = 'expired';
      return unauthorized('The access token expired');
    }
    if (fault?.kind === 'bad_content') return error(422, 'Validation failed: Text character limit of 500 exceeded');
    let headers: Record<string, string> = {};
    if (standingLimit) {
      if (now >= state.windowStart + standingLimit.windowMs) {
        state.windowStart = now;
        state.count = 0;
      }
      state.count++;
      const resetAt = state.windowStart + standingLimit.windowMs;
      if (state.count > standingLimit.max) {
        state.limitedUntil = resetAt;
        return tooManyRequests(state);
      }
      headers = rateLimitHeaders(resetAt, standingLimit.max - state.count);
    }
    return { hangMs: fault?.kind === 'accept_then_hang' ? fault.hangMs : null, headers };
  }

  function uploadMedia(account: Account, req: http.IncomingMessage, body: Buffer): HttpAnswer {
    const parts = parseMultipart(body, req.headers['content-type'] ?? '');
    if (!parts) return error(422, 'Validation failed: File can\'t be blank');
    const file = parts.find((p) => p.name === 'file' && p.fileName !== null);
    const description = parts.find((p) => p.name === 'description')?.data.toString('utf8') ?? null;
    if (!file) return error(422, 'Validation failed: File can\'t be blank');
    if (!IMAGE_TYPES.has(file.contentType ?? '')) return error(422, 'Validation failed: File content type is invalid, File is invalid');
    if (file.data.length > IMAGE_LIMIT) return error(422, 'Validation failed: File file size must be less than 16 MB');
    if (description && description.length > MAX_DESCRIPTION) return error(422, `Validation failed: Description is too long (maximum is ${MAX_DESCRIPTION} characters)`);
    const m: Media = { id: nextId(), accountId: account.id, description, mimeType: file.contentType!, size: file.data.length, statusId: null };
    media.set(m.id, m);
    // Images are processed while the request waits, so the answer is 200 with a url (202 is for video and audio).
    return new HttpAnswer(200, mediaJson(m));
  }

  function createStatus(account: Account, req: http.IncomingMessage, body: Buffer): HttpAnswer {
    const params = readParams(body, req.headers['content-type'] ?? '');
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    if (idempotencyKey) {
      const seen = idempotency.get(`${account.id}:${idempotencyKey}`);
      if (seen && Date.now() - seen.at < IDEMPOTENCY_MS) return new HttpAnswer(200, statusJson(statuses.get(seen.statusId)!));
    }
    const text = typeof params.status === 'string' ? params.status : '';
    const mediaIds = Array.isArray(params.media_ids) ? params.media_ids.map(String) : [];
    const inReplyToId = typeof params.in_reply_to_id === 'string' && params.in_reply_to_id ? params.in_reply_to_id : null;
    const visibility = typeof params.visibility === 'string' ? params.visibility : 'public';
    if (!['public', 'unlisted', 'private', 'direct'].includes(visibility)) return error(422, `Validation failed: Visibility is not included in the list`);
    if (mediaIds.length > MAX_MEDIA) return error(422, `Cannot attach more than ${MAX_MEDIA} files`);
    const attached = mediaIds.map((id) => media.get(id));
    if (attached.some((m) => !m || m.accountId !== account.id || m.statusId !== null)) return error(422, 'Media attachment not found');
    if (!text.trim() && attached.length === 0) return error(422, 'Validation failed: Text can\'t be blank');
    if (countableLength(text) > MAX_CHARS) return error(422, `Validation failed: Text character limit of ${MAX_CHARS} exceeded`);
    const parent = inReplyToId ? statuses.get(inReplyToId) : null;
    if (inReplyToId && (!parent || parent.deleted)) return error(404, 'Record not found');
    const status: Status = {
      id: nextId(),
      account,
      text,
      content: formatContent(text),
      createdAt: new Date(),
      inReplyToId,
      inReplyToAccountId: parent?.account.id ?? null,
      media: attached as Media[],
      visibility,
      language: typeof params.language === 'string' ? params.language : null,
      mentions: [...accounts.values()].filter((a) => text.includes(`@${a.acct}`)),
      deleted: false,
    };
    for (const m of status.media) m.statusId = status.id;
    statuses.set(status.id, status);
    if (idempotencyKey) idempotency.set(`${account.id}:${idempotencyKey}`, { statusId: status.id, at: Date.now() });
    created.push({
      id: status.id,
      accountId: account.id,
      text,
      link: null,
      imageAlts: status.media.map((m) => m.description ?? ''),
      idempotencyKey,
      createdAt: status.createdAt,
      inReplyTo: inReplyToId,
    });
    return new HttpAnswer(200, statusJson(status));
  }

  /** Mastodon's id paging: newest first; min_id returns the page right after it, since_id the newest after it. */
  function page<T extends { id: string }>(items: T[], query: URLSearchParams, maxLimit: number): T[] {
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 20) || 20, 1), maxLimit);
    const maxId = query.get('max_id');
    const sinceId = query.get('since_id');
    const minId = query.get('min_id');
    let list = [...items].sort(byIdDesc);
    if (maxId) list = list.filter((i) => BigInt(i.id) < BigInt(maxId));
    if (sinceId) list = list.filter((i) => BigInt(i.id) > BigInt(sinceId));
    if (minId) return list.filter((i) => BigInt(i.id) > BigInt(minId)).slice(-limit);
    return list.slice(0, limit);
  }

  function linkHeader(path: string, query: URLSearchParams, items: { id: string }[]): Record<string, string> {
    if (items.length === 0) return {};
    const with_ = (key: string, id: string) => {
      const q = new URLSearchParams(query);
      for (const k of ['max_id', 'min_id', 'since_id']) q.delete(k);
      q.set(key, id);
      return `<${base}${path}?${q.toString()}>`;
    };
    return { link: `${with_('max_id', items[items.length - 1]!.id)}; rel="next", ${with_('min_id', items[0]!.id)}; rel="prev"` };
  }

  const htmlError = (status: number, message: string) =>
    new HttpAnswer(status, `<!DOCTYPE html><html><head><title>Mastodon</title></head><body><h1>An error has occurred</h1><p>${escapeHtml(message)}</p></body></html>`);
  const sendBack = (redirectUri: string, params: Record<string, string | null>) => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== null) target.searchParams.set(k, v);
    return new HttpAnswer(302, '', { location: target.toString() });
  };

  function registerApp(req: http.IncomingMessage, body: Buffer): HttpAnswer {
    const params = readParams(body, req.headers['content-type'] ?? '');
    const name = typeof params.client_name === 'string' ? params.client_name.trim() : '';
    const raw = params.redirect_uris;
    const redirectUris = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/\s+/) : []).filter(Boolean);
    const scopes = (typeof params.scopes === 'string' && params.scopes.trim() ? params.scopes.trim() : 'read').split(/\s+/);
    if (!name) return error(422, "Validation failed: Application name can't be blank");
    if (!redirectUris.length) return error(422, "Validation failed: Redirect URI can't be blank");
    if (redirectUris.some((u) => u !== 'urn:ietf:wg:oauth:2.0:oob' && (!URL.canParse(u) || new URL(u).hash))) return error(422, 'Validation failed: Redirect URI must be an absolute URI.');
    if (scopes.some((sc) => !KNOWN_SCOPES.test(sc))) return error(422, 'Validation failed: Scopes must be valid');
    const app: OAuthApp = {
      id: String(apps.size + 1),
      name,
      website: typeof params.website === 'string' && params.website ? params.website : null,
      redirectUris,
      scopes,
      clientId: randomBytes(32).toString('base64url'),
      clientSecret: randomBytes(32).toString('base64url'),
    };
    apps.set(app.clientId, app);
    return new HttpAnswer(200, {
      id: app.id,
      name: app.name,
      website: app.website,
      scopes: app.scopes,
      redirect_uri: app.redirectUris.join('\n'),
      redirect_uris: app.redirectUris,
      vapid_key: 'BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M=',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      client_secret_expires_at: 0,
    });
  }

  function authorize(url: URL): HttpAnswer {
    const q = url.searchParams;
    const app = apps.get(q.get('client_id') ?? '');
    if (!app) return htmlError(401, INVALID_CLIENT);
    const redirectUri = q.get('redirect_uri') ?? app.redirectUris[0]!;
    if (!app.redirectUris.includes(redirectUri)) return htmlError(400, 'The redirect uri included is not valid.');
    const state = q.get('state');
    if (q.get('response_type') !== 'code') return sendBack(redirectUri, { error: 'unsupported_response_type', error_description: 'The authorization server does not support this response type.', state });
    const scopes = (q.get('scope') ?? 'read').split(/[\s+]+/).filter(Boolean);
    if (scopes.some((sc) => !covers(app.scopes, sc))) return sendBack(redirectUri, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.', state });
    if (refuseConsent) {
      refuseConsent = false;
      return sendBack(redirectUri, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.', state });
    }
    const accountId = consentUser ?? [...accounts.values()].filter((a) => a.local).at(-1)?.id;
    if (!accountId) return htmlError(400, 'Nobody is signed in.');
    const code = randomBytes(32).toString('base64url');
    const challenge = q.get('code_challenge');
    grants.set(code, { app, accountId, redirectUri, scopes: scopes.join(' '), challenge, method: q.get('code_challenge_method') ?? 'plain', expiresAt: Date.now() + CODE_MS, used: false });
    return sendBack(redirectUri, { code, state });
  }

  function token(req: http.IncomingMessage, body: Buffer): HttpAnswer {
    const params = readParams(body, req.headers['content-type'] ?? '');
    const text = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : '');
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':', 2) : [];
    const app = apps.get(basicId ?? text('client_id'));
    if (!app || app.clientSecret !== (basicSecret ?? text('client_secret'))) return new HttpAnswer(401, { error: 'invalid_client', error_description: INVALID_CLIENT });
    if (text('grant_type') !== 'authorization_code') return new HttpAnswer(400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    const grant = grants.get(text('code'));
    const invalid = new HttpAnswer(400, { error: 'invalid_grant', error_description: INVALID_GRANT });
    if (!grant || grant.used || grant.app !== app || Date.now() > grant.expiresAt || text('redirect_uri') !== grant.redirectUri) return invalid;
    if (grant.challenge !== null) {
      const verifier = text('code_verifier');
      const computed = grant.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!verifier || computed !== grant.challenge) return invalid;
    }
    grant.used = true;
    const access = randomBytes(32).toString('base64url');
    issuedTokens.set(access, grant.accountId);
    tokenScopes.set(access, grant.scopes.split(' '));
    return new HttpAnswer(200, { access_token: access, token_type: 'Bearer', scope: grant.scopes, created_at: Math.floor(Date.now() / 1000) });
  }

  function route(req: http.IncomingMessage, body: Buffer): HttpAnswer | { hold: number; answer: HttpAnswer } {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/oauth/authorize') return authorize(url);
    if (method === 'POST' && path === '/oauth/token') return token(req, body);
    if (method === 'POST' && path === '/api/v1/apps') return registerApp(req, body);
    if (!path.startsWith('/api/')) return error(404, 'Record not found');
    const account = authenticate(req);
    if (account instanceof HttpAnswer) return account;

    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') {
      return new HttpAnswer(200, { ...accountJson(account), source: { privacy: 'public', sensitive: false, language: 'da', note: '', fields: [] } });
    }
    if (method === 'POST' && (path === '/api/v2/media' || path === '/api/v1/statuses')) {
      const passed = gate(account);
      if (passed instanceof HttpAnswer) return passed;
      const answer = path === '/api/v2/media' ? uploadMedia(account, req, body) : createStatus(account, req, body);
      const withHeaders = new HttpAnswer(answer.status, answer.body, { ...passed.headers, ...answer.headers });
      return passed.hangMs !== null ? { hold: passed.hangMs, answer: withHeaders } : withHeaders;
    }
    if (method === 'GET' && path === '/api/v1/accounts/lookup') {
      const acct = (url.searchParams.get('acct') ?? '').replace(/^@/, '');
      const local = acct.endsWith(`@${host}`) ? acct.slice(0, -host.length - 1) : acct;
      const found = [...accounts.values()].find((a) => a.acct.toLowerCase() === local.toLowerCase());
      return found ? new HttpAnswer(200, accountJson(found)) : error(404, 'Record not found');
    }
    const blockMatch = /^\/api\/v1\/accounts\/(\d+)\/(block|unblock)$/.exec(path);
    if (method === 'POST' && blockMatch) {
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const granted = tokenScopes.get(token);
      if (granted && !covers(granted, 'write:blocks') && !granted.includes('follow')) return error(403, 'This action is outside the authorized scopes');
      const passed = gate(account);
      if (passed instanceof HttpAnswer) return passed;
      const target = accounts.get(blockMatch[1]!);
      if (!target) return error(404, 'Record not found');
      const mine = (blocks.get(account.id) ?? []).filter((id) => id !== target.id);
      if (blockMatch[2] === 'block') mine.push(target.id);
      blocks.set(account.id, mine);
      return new HttpAnswer(200, relationshipJson(account, target), passed.headers);
    }
    const mediaMatch = /^\/api\/v1\/media\/(\d+)$/.exec(path);
    if (method === 'GET' && mediaMatch) {
      const m = media.get(mediaMatch[1]!);
      return m && m.accountId === account.id ? new HttpAnswer(200, mediaJson(m)) : error(404, 'Record not found');
    }
    const statusMatch = /^\/api\/v1\/statuses\/(\d+)$/.exec(path);
    if (statusMatch) {
      const s = statuses.get(statusMatch[1]!);
      if (!s || s.deleted) return error(404, 'Record not found');
      if (method === 'GET') return new HttpAnswer(200, statusJson(s));
      if (method === 'DELETE') {
        if (s.account !== account) return error(404, 'Record not found');
        s.deleted = true;
        deleted.add(s.id);
        return new HttpAnswer(200, statusJson(s, true));
      }
    }
    const accountStatuses = /^\/api\/v1\/accounts\/(\d+)\/statuses$/.exec(path);
    if (method === 'GET' && accountStatuses) {
      const owner = accounts.get(accountStatuses[1]!);
      if (!owner) return error(404, 'Record not found');
      const excludeReplies = url.searchParams.get('exclude_replies') === 'true';
      const list = page(
        [...statuses.values()].filter((s) => s.account === owner && !s.deleted && !(excludeReplies && s.inReplyToId)),
        url.searchParams,
        40,
      );
      return new HttpAnswer(200, list.map((s) => statusJson(s)), linkHeader(path, url.searchParams, list));
    }
    if (method === 'GET' && path === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]');
      const excluded = url.searchParams.getAll('exclude_types[]');
      const mine = notifications.filter(
        (n) => n.recipientId === account.id && !statuses.get(n.statusId)?.deleted && (types.length === 0 || types.includes('mention')) && !excluded.includes('mention'),
      );
      const list = page(mine, url.searchParams, 80);
      return new HttpAnswer(200, list.map(notificationJson), linkHeader(path, url.searchParams, list));
    }
    return error(404, 'Record not found');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: new Date() });
      const send = (answer: HttpAnswer) => {
        if (res.destroyed) return;
        const isText = typeof answer.body === 'string';
        res.writeHead(answer.status, { 'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8', ...answer.headers });
        res.end(isText ? answer.body : JSON.stringify(answer.body));
      };
      let result: ReturnType<typeof route>;
      try {
        result = route(req, Buffer.concat(chunks));
      } catch {
        result = error(400, 'Bad request');
      }
      if (result instanceof HttpAnswer) return send(result);
      const { hold, answer } = result;
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(answer);
      }, hold);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  host = `127.0.0.1:${port}`;
  let accountNumber = 0;
  let citizenNumber = 0;

  return {
    network: 'mastodon',
    url: base,
    requests,
    registeredApps: () => [...apps.values()].map((a) => ({ clientId: a.clientId, name: a.name, redirectUris: a.redirectUris, scopes: a.scopes })),
    consentAs(accountExternalId) {
      consentUser = accountExternalId;
    },
    refuseNextConsent() {
      refuseConsent = true;
    },
    blockedAuthors: (accountExternalId) => (blocks.get(accountExternalId) ?? []).map((id) => `@${accounts.get(id)!.acct}`),
    createAccount(options = {}): ContractAccount {
      accountNumber++;
      const username = (options.handle ?? `kommune${accountNumber}`).replace(/^@/, '').split('@')[0]!;
      const name = options.name ?? `Kommune ${accountNumber}`;
      const account = makeAccount(username, name, null, randomBytes(32).toString('base64url'));
      return {
        network: 'mastodon',
        externalId: account.id,
        handle: `@${username}@${host}`,
        name,
        accessToken: account.token!,
        refreshToken: null,
        apiBase: base,
      };
    },
    injectFaults(list, accountExternalId) {
      if (accountExternalId === undefined) anyAccountFaults.push(...list);
      else faults.set(accountExternalId, [...(faults.get(accountExternalId) ?? []), ...list]);
    },
    setRateLimit(limit) {
      standingLimit = limit;
      for (const state of limits.values()) {
        state.windowStart = 0;
        state.count = 0;
      }
    },
    rateLimitViolations: () => violations,
    createdPosts: (accountExternalId) => created.filter((p) => accountExternalId === undefined || p.accountId === accountExternalId),
    addIncoming(accountExternalId, item) {
      const recipient = accounts.get(accountExternalId);
      if (!recipient) throw new Error(`unknown account ${accountExternalId}`);
      const parent = item.postId ? statuses.get(item.postId) : null;
      if (item.postId && !parent) throw new Error(`unknown status ${item.postId}`);
      citizenNumber++;
      const [username, domain] = (item.authorHandle ?? `borger${citizenNumber}@borger.example`).replace(/^@/, '').split('@');
      const acct = `${username}@${domain ?? 'borger.example'}`;
      const author = [...accounts.values()].find((a) => a.acct === acct) ?? makeAccount(username!, item.authorName, domain ?? 'borger.example', null);
      const mention = `<span class="h-card" translate="no"><a href="${recipient.url}" class="u-url mention">@<span>${recipient.username}</span></a></span>`;
      const status: Status = {
        id: nextId(),
        account: author,
        text: item.text,
        content: `<p>${mention} ${formatContent(item.text).replace(/^<p>/, '')}`,
        createdAt: item.createdAt ?? new Date(),
        inReplyToId: parent?.id ?? null,
        inReplyToAccountId: parent?.account.id ?? null,
        media: [],
        visibility: 'public',
        language: 'da',
        mentions: [recipient],
        deleted: false,
      };
      statuses.set(status.id, status);
      notifications.push({ id: nextId(), recipientId: recipient.id, from: author, statusId: status.id, createdAt: status.createdAt });
      return status.id;
    },
    hiddenIds: () => new Set<string>(),
    deletedIds: () => new Set(deleted),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
