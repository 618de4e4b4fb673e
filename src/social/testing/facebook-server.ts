import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ContractAccount, ContractServer, CreatedPost, Fault } from './contract.ts';

// A stand-in for the Graph API as a Facebook page uses it: GET /me, POST /{page-id}/feed and /{page-id}/photos,
// GET /{page-id}/published_posts and /{page-id}/feed, GET and POST /{object-id}/comments, POST /{comment-id}
// (is_hidden) and DELETE /{object-id}. Answers have Graph's shapes: nodes with the requested fields, edges as
// { data, paging }, times as 2026-03-01T10:15:00+0000, errors as { error: { message, type, code, error_subcode,
// fbtrace_id } }. The token comes as "Authorization: Bearer …" or access_token. Throttling is error 80001 (the
// Pages business-use-case limit) with X-Business-Use-Case-Usage, whose estimated_time_to_regain_access is in
// whole minutes, so the advertised reset is rounded up to the minute. Written independently of the adapter.
//
// Facebook Login as a page editor uses it: GET /dialog/oauth is a consent screen that consents at once (or refuses,
// when told to) and sends the browser back to redirect_uri with code and state; GET /oauth/access_token exchanges
// the code (client_id, client_secret, redirect_uri, code) for a short-lived user token and that for a long-lived one
// (grant_type=fb_exchange_token); GET /me/accounts lists the pages the user manages with their page tokens, which
// then work for everything above. One person manages every page on the server.

const VERSION = 'v23.0';
const MAX_MESSAGE = 63_206;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

interface Page {
  account: ContractAccount;
  username: string;
}

interface FbPost {
  id: string;
  pageId: string;
  fromId: string;
  fromName: string;
  message: string;
  link: string | null;
  createdAt: Date;
  hidden: boolean;
}

interface FbComment {
  id: string;
  postId: string;
  parentId: string | null;
  fromId: string;
  fromName: string;
  message: string;
  createdAt: Date;
  hidden: boolean;
}

interface LimitState {
  limitedUntil: number;
  windowStart: number;
  windowCount: number;
}

class GraphError {
  constructor(
    readonly status: number,
    readonly body: { message: string; type: string; code: number; error_subcode?: number; is_transient?: boolean },
    readonly headers: Record<string, string> = {},
  ) {}
}

const fbTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+0000');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const traceId = () => Math.random().toString(36).slice(2, 13).padEnd(11, 'A');

const unsupported = (method: string, id: string) =>
  new GraphError(400, {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
const badParam = (message: string) => new GraphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100 });
const noPermission = () => new GraphError(403, { message: '(#200) The user hasn’t authorized the application to perform this action', type: 'OAuthException', code: 200 });

/** The top-level names in a Graph `fields` list, e.g. "id,from{id,name},message" → id, from, message. */
function fieldNames(fields: string | undefined, defaults: string[]): string[] {
  if (!fields) return defaults;
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of fields) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else if (depth === 0 && ch !== '}') current += ch;
  }
  names.push(current);
  return ['id', ...names.map((n) => n.trim().split('.')[0]!).filter((n) => n && n !== 'id')];
}

function pick(node: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (node[name] !== undefined) out[name] = node[name];
  return out;
}

interface ParsedRequest {
  method: string;
  segments: string[];
  params: Record<string, string>;
  files: Map<string, File>;
  token: string | null;
}

async function parseRequest(req: http.IncomingMessage, body: Buffer): Promise<ParsedRequest> {
  const url = new URL(req.url ?? '/', 'http://graph.local');
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const files = new Map<string, File>();
  const type = String(req.headers['content-type'] ?? '');
  if (body.length && type.includes('application/json')) {
    for (const [k, v] of Object.entries(JSON.parse(body.toString('utf8')) as Record<string, unknown>)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
  } else if (body.length && (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data'))) {
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form.entries()) {
      // Multipart encoding sends line breaks as CRLF; Graph keeps them as \n.
      if (typeof v === 'string') params[k] = type.includes('multipart/') ? v.replace(/\r\n/g, '\n') : v;
      else files.set(k, v);
    }
  }
  const auth = String(req.headers.authorization ?? '');
  const fromHeader = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth)?.[1] ?? null;
  const token = fromHeader ?? params.access_token ?? null;
  delete params.access_token;
  let segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0] && /^v\d+\.\d+$/.test(segments[0])) segments = segments.slice(1);
  return { method: req.method ?? 'GET', segments, params, files, token };
}

/** The contract server with the app Mediehus is registered as, for Facebook Login. */
export interface FacebookContractServer extends ContractServer {
  /** The app's id and secret (MEDIEHUS_FACEBOOK_APP_ID / _SECRET). */
  readonly app: { appId: string; appSecret: string };
  /** The next consent screen answers as if the person clicked "Not now" (error=access_denied). */
  refuseNextConsent(): void;
}

/** The person who signs in at the dialog; they manage every page. */
const PAGE_ADMIN = { id: '300000000000001', name: 'Sidens administrator' };
const CODE_MS = 10 * 60_000;
const SHORT_LIVED_S = 5400;
const LONG_LIVED_S = 60 * 24 * 3600;
const PAGE_TASKS = ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'];

const oauthError = (message: string, code: number, subcode?: number) => new GraphError(400, { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}) });

export async function startFacebookContractServer(): Promise<FacebookContractServer> {
  const pages = new Map<string, Page>();
  const posts = new Map<string, FbPost>();
  const comments = new Map<string, FbComment>();
  const created: CreatedPost[] = [];
  const deleted = new Set<string>();
  const faults: { accountId: string | null; fault: Fault }[] = [];
  const limits = new Map<string, LimitState>();
  const requests: { method: string; path: string; at: Date }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let standing: { max: number; windowMs: number } | null = null;
  let violations = 0;
  let seq = 0;
  const next = () => String(++seq);

  const app = { appId: String(1_000_000_000_000_000 + Math.floor(Math.random() * 1e12)), appSecret: randomBytes(16).toString('hex') };
  const codes = new Map<string, { redirectUri: string; scopes: Set<string>; expiresAt: number; used: boolean }>();
  const userTokens = new Map<string, { scopes: Set<string>; longLived: boolean }>();
  /** Page tokens handed out by /me/accounts, besides each page's own. */
  const pageTokens = new Map<string, string>();
  let refuseConsent = false;
  const newToken = () => `EAAG${randomBytes(24).toString('base64url')}`;

  const pageByToken = (token: string | null) => {
    if (token === null) return null;
    const issued = pageTokens.get(token);
    if (issued) return pages.get(issued) ?? null;
    return [...pages.values()].find((p) => p.account.accessToken === token) ?? null;
  };
  const limitOf = (pageId: string) => {
    let state = limits.get(pageId);
    if (!state) limits.set(pageId, (state = { limitedUntil: 0, windowStart: 0, windowCount: 0 }));
    return state;
  };

  /** Graph advertises whole minutes, so the page stays throttled until the rounded-up time it was told. */
  const throttle = (page: Page, resetAt: number, now: number): GraphError => {
    const state = limitOf(page.account.externalId);
    const minutes = Math.max(1, Math.ceil((resetAt - now) / 60_000));
    state.limitedUntil = Math.max(state.limitedUntil, now + minutes * 60_000);
    return throttled(page, state.limitedUntil, now);
  };
  const throttled = (page: Page, until: number, now: number): GraphError => {
    const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
    const usage = { [page.account.externalId]: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 14, estimated_time_to_regain_access: minutes }] };
    return new GraphError(
      400,
      {
        message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
        type: 'OAuthException',
        code: 80001,
        is_transient: true,
      },
      { 'x-business-use-case-usage': JSON.stringify(usage) },
    );
  };
  const expired = () => {
    const past = new Date(Date.now() - 3_600_000);
    return new GraphError(
      400,
      { message: `Error validating access token: Session has expired on ${past.toUTCString()}. The current time is ${new Date().toUTCString()}.`, type: 'OAuthException', code: 190, error_subcode: 463 },
      { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Error validating access token: Session has expired"' },
    );
  };

  /**
   * The gate for requests that create something (posts, photos, comments): throttling, then the next injected
   * fault, then the standing limit. Returns the error to answer with, or how long to hold a created answer.
   */
  const admit = (page: Page): { error: GraphError | null; hangMs: number } => {
    const now = Date.now();
    const state = limitOf(page.account.externalId);
    if (now < state.limitedUntil) {
      violations++;
      return { error: throttled(page, state.limitedUntil, now), hangMs: 0 };
    }
    const index = faults.findIndex((f) => f.accountId === null || f.accountId === page.account.externalId);
    const fault = index >= 0 ? faults.splice(index, 1)[0]!.fault : null;
    if (fault?.kind === 'server_error') {
      return { error: new GraphError(500, { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true }), hangMs: 0 };
    }
    if (fault?.kind === 'rate_limit') return { error: throttle(page, now + fault.resetInMs, now), hangMs: 0 };
    if (fault?.kind === 'expired_token') return { error: expired(), hangMs: 0 };
    if (fault?.kind === 'bad_content') return { error: new GraphError(400, { message: '(#506) Duplicate status message', type: 'OAuthException', code: 506, error_subcode: 1455006 }), hangMs: 0 };
    if (standing) {
      if (now >= state.windowStart + standing.windowMs) {
        state.windowStart = now;
        state.windowCount = 0;
      }
      state.windowCount++;
      if (state.windowCount > standing.max) return { error: throttle(page, state.windowStart + standing.windowMs, now), hangMs: 0 };
    }
    return { error: null, hangMs: fault?.kind === 'accept_then_hang' ? fault.hangMs : 0 };
  };

  const postNode = (p: FbPost): Record<string, unknown> => {
    const [, own] = p.id.split('_');
    return {
      id: p.id,
      message: p.message || undefined,
      link: p.link ?? undefined,
      created_time: fbTime(p.createdAt),
      from: { id: p.fromId, name: p.fromName },
      is_hidden: p.hidden,
      permalink_url: `https://www.facebook.com/${p.pageId}/posts/${own}`,
    };
  };
  const commentNode = (c: FbComment): Record<string, unknown> => {
    const post = posts.get(c.postId)!;
    const [, own] = post.id.split('_');
    const [, commentOwn] = c.id.split('_');
    return {
      id: c.id,
      message: c.message,
      created_time: fbTime(c.createdAt),
      from: { id: c.fromId, name: c.fromName },
      parent: c.parentId ? { id: c.parentId } : undefined,
      is_hidden: c.hidden,
      permalink_url: `https://www.facebook.com/${post.pageId}/posts/${own}?comment_id=${commentOwn}`,
    };
  };
  const edge = (nodes: Record<string, unknown>[], limitParam: string | undefined) => {
    const limit = Math.min(Math.max(Number(limitParam ?? 25) || 25, 1), 100);
    const data = nodes.slice(0, limit);
    const cursor = (n: Record<string, unknown> | undefined) => (n ? Buffer.from(String(n.id)).toString('base64url') : undefined);
    return { data, paging: data.length ? { cursors: { before: cursor(data[0]), after: cursor(data.at(-1)) } } : undefined };
  };
  const sinceOf = (raw: string | undefined): number | null => {
    if (!raw) return null;
    const n = Number(raw);
    return Number.isFinite(n) ? n : Math.floor(Date.parse(raw) / 1000);
  };

  const ownerPageOf = (id: string): string | null => {
    const post = posts.get(id);
    if (post) return post.pageId;
    const comment = comments.get(id);
    if (comment) return posts.get(comment.postId)?.pageId ?? null;
    return null;
  };

  function createPost(page: Page, message: string, link: string | null, imageAlts: string[]): FbPost {
    const post: FbPost = { id: `${page.account.externalId}_${next()}`, pageId: page.account.externalId, fromId: page.account.externalId, fromName: page.account.name, message, link, createdAt: new Date(), hidden: false };
    posts.set(post.id, post);
    created.push({ id: post.id, accountId: page.account.externalId, text: message, link, imageAlts, idempotencyKey: null, createdAt: post.createdAt, inReplyTo: null });
    return post;
  }

  function addComment(onId: string, from: { id: string; name: string }, message: string, at: Date): FbComment {
    const parent = comments.get(onId);
    const postId = parent ? parent.postId : onId;
    const [, postOwn] = postId.split('_');
    const comment: FbComment = { id: `${postOwn}_${next()}`, postId, parentId: parent ? parent.id : null, fromId: from.id, fromName: from.name, message, createdAt: at, hidden: false };
    comments.set(comment.id, comment);
    return comment;
  }

  type Answer = { status: number; body: unknown; hangMs?: number; redirect?: string; html?: string };

  /** Where the dialog sends the browser back: redirect_uri with the answer's parameters, and Facebook's `#_=_`. */
  const back = (redirectUri: string, params: Record<string, string>): Answer => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    target.hash = '_=_';
    return { status: 302, body: null, redirect: target.toString() };
  };

  /** The login dialog and the token endpoint: they take the app's credentials, not a token. */
  function oauthRoute(r: ParsedRequest): Answer | null {
    const path = r.segments.join('/');
    if (r.method === 'GET' && path === 'dialog/oauth') {
      const { client_id: clientId, redirect_uri: redirectUri = '', state, scope = '', response_type: responseType = 'code' } = r.params;
      if (clientId !== app.appId) return { status: 400, body: null, html: 'Invalid App ID: The provided app ID does not look like a valid app ID.' };
      if (!URL.canParse(redirectUri) || !/^https?:$/.test(new URL(redirectUri).protocol)) {
        return { status: 400, body: null, html: 'URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app’s Client OAuth Settings.' };
      }
      if (responseType !== 'code') return { status: 400, body: null, html: 'Invalid response_type' };
      const echo: Record<string, string> = state === undefined ? {} : { state };
      if (refuseConsent) {
        refuseConsent = false;
        return back(redirectUri, { error: 'access_denied', error_code: '200', error_description: 'Permissions error', error_reason: 'user_denied', ...echo });
      }
      const code = `AQ${randomBytes(32).toString('base64url')}`;
      codes.set(code, { redirectUri, scopes: new Set(scope.split(/[\s,]+/).filter(Boolean)), expiresAt: Date.now() + CODE_MS, used: false });
      return back(redirectUri, { code, ...echo });
    }
    if (path === 'oauth/access_token') {
      const p = r.params;
      if (p.client_id !== app.appId) throw oauthError('Error validating application. Invalid application ID.', 101);
      if (p.client_secret !== app.appSecret) throw oauthError('Error validating client secret.', 1);
      if (p.grant_type === 'fb_exchange_token') {
        const user = p.fb_exchange_token ? userTokens.get(p.fb_exchange_token) : undefined;
        if (!user) throw oauthError('Invalid OAuth access token - Cannot parse access token', 190);
        const token = newToken();
        userTokens.set(token, { scopes: user.scopes, longLived: true });
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: LONG_LIVED_S } };
      }
      const grant = p.code ? codes.get(p.code) : undefined;
      if (!grant) throw oauthError('Invalid verification code format.', 100, 36007);
      if (grant.used) throw oauthError('This authorization code has been used.', 100, 36009);
      if (Date.now() > grant.expiresAt) throw oauthError('This authorization code has expired.', 100, 36007);
      if (p.redirect_uri !== grant.redirectUri) {
        throw oauthError('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 100, 36008);
      }
      grant.used = true;
      const token = newToken();
      userTokens.set(token, { scopes: grant.scopes, longLived: false });
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: SHORT_LIVED_S } };
    }
    return null;
  }

  /** What a user token may read: the person and the pages they manage (only with pages_show_list, as Graph does). */
  function userRoute(r: ParsedRequest, user: { scopes: Set<string> }): Answer {
    const [id, edgeName, ...rest] = r.segments;
    if (r.method !== 'GET' || (id !== 'me' && id !== PAGE_ADMIN.id) || rest.length) throw unsupported(r.method, r.segments.join('/'));
    if (!edgeName) return { status: 200, body: pick({ id: PAGE_ADMIN.id, name: PAGE_ADMIN.name }, fieldNames(r.params.fields, ['id', 'name'])) };
    if (edgeName !== 'accounts') throw unsupported(r.method, r.segments.join('/'));
    const managed = user.scopes.has('pages_show_list') ? [...pages.values()] : [];
    const names = fieldNames(r.params.fields, ['access_token', 'category', 'category_list', 'name', 'tasks']);
    const nodes = managed.map((p) => {
      const token = newToken();
      pageTokens.set(token, p.account.externalId);
      const node = { id: p.account.externalId, name: p.account.name, username: p.username, access_token: token, category: 'Government organization', category_list: [{ id: '2235', name: 'Government Organization' }], tasks: PAGE_TASKS };
      return pick(node, names);
    });
    return { status: 200, body: edge(nodes, r.params.limit) };
  }

  async function route(r: ParsedRequest): Promise<Answer> {
    const oauth = oauthRoute(r);
    if (oauth) return oauth;
    if (!r.token) return { status: 400, body: { error: { message: 'An active access token must be used to query information about the current user.', type: 'OAuthException', code: 2500, fbtrace_id: traceId() } } };
    const user = userTokens.get(r.token);
    if (user) return userRoute(r, user);
    const page = pageByToken(r.token);
    if (!page) throw new GraphError(400, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 });
    const pageId = page.account.externalId;
    const [id, edgeName, ...rest] = r.segments;
    if (!id || rest.length) throw unsupported(r.method, r.segments.join('/'));
    const target = id === 'me' ? pageId : id;

    if (r.method === 'GET' && !edgeName) {
      if (target === pageId) return { status: 200, body: pick({ id: pageId, name: page.account.name, username: page.username }, fieldNames(r.params.fields, ['id', 'name'])) };
      const post = posts.get(target);
      if (post && !deleted.has(target)) return { status: 200, body: pick(postNode(post), fieldNames(r.params.fields, ['id', 'message', 'created_time'])) };
      const comment = comments.get(target);
      if (comment && !deleted.has(target)) return { status: 200, body: pick(commentNode(comment), fieldNames(r.params.fields, ['id', 'message', 'created_time', 'from'])) };
      throw unsupported('get', id);
    }

    if (r.method === 'POST' && (edgeName === 'feed' || edgeName === 'photos')) {
      if (target !== pageId) throw noPermission();
      const isPhoto = edgeName === 'photos';
      const message = (isPhoto ? r.params.caption ?? r.params.message : r.params.message) ?? '';
      const link = isPhoto ? null : r.params.link ?? null;
      const source = r.files.get('source');
      if (isPhoto) {
        if (!source && !r.params.url) throw new GraphError(400, { message: '(#324) Requires upload file', type: 'OAuthException', code: 324 });
        if (source && (!source.type.startsWith('image/') || source.size === 0 || source.size >= MAX_PHOTO_BYTES)) {
          throw new GraphError(400, { message: '(#324) Missing or invalid image file', type: 'OAuthException', code: 324 });
        }
      } else if (!message && !link) throw badParam('Cannot post an empty message');
      if ([...message].length > MAX_MESSAGE) throw badParam(`Param message must be at most ${MAX_MESSAGE} characters long`);
      const gate = admit(page);
      if (gate.error) throw gate.error;
      const post = createPost(page, message, link, isPhoto ? [r.params.alt_text_custom ?? ''] : []);
      const body = isPhoto ? { id: next(), post_id: post.id } : { id: post.id };
      return { status: 200, body, hangMs: gate.hangMs };
    }

    if (r.method === 'POST' && edgeName === 'comments') {
      const owner = ownerPageOf(target);
      if (!owner || deleted.has(target)) throw unsupported('post', id);
      if (owner !== pageId) throw noPermission();
      if (!r.params.message) throw badParam('Missing message or attachment');
      const gate = admit(page);
      if (gate.error) throw gate.error;
      const comment = addComment(target, { id: pageId, name: page.account.name }, r.params.message, new Date());
      created.push({ id: comment.id, accountId: pageId, text: comment.message, link: null, imageAlts: [], idempotencyKey: null, createdAt: comment.createdAt, inReplyTo: target });
      return { status: 200, body: { id: comment.id }, hangMs: gate.hangMs };
    }

    if (r.method === 'GET' && (edgeName === 'published_posts' || edgeName === 'feed')) {
      if (target !== pageId) throw noPermission();
      const since = sinceOf(r.params.since);
      const until = sinceOf(r.params.until);
      const list = [...posts.values()]
        .filter((p) => p.pageId === pageId && !deleted.has(p.id) && (edgeName === 'feed' || p.fromId === pageId))
        .filter((p) => (since === null || seconds(p.createdAt) >= since) && (until === null || seconds(p.createdAt) <= until))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(b.id.split('_')[1]) - Number(a.id.split('_')[1]));
      const names = fieldNames(r.params.fields, ['id', 'message', 'created_time']);
      return { status: 200, body: edge(list.map((p) => pick(postNode(p), names)), r.params.limit) };
    }

    if (r.method === 'GET' && edgeName === 'comments') {
      const owner = ownerPageOf(target);
      if (!owner || deleted.has(target)) throw unsupported('get', id);
      if (owner !== pageId) throw noPermission();
      const since = sinceOf(r.params.since);
      const stream = r.params.filter === 'stream';
      const isPost = posts.has(target);
      const list = [...comments.values()]
        .filter((c) => !deleted.has(c.id) && (isPost ? c.postId === target && (stream || c.parentId === null) : c.parentId === target))
        .filter((c) => since === null || seconds(c.createdAt) >= since)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id.split('_')[1]) - Number(b.id.split('_')[1]));
      if (r.params.order === 'reverse_chronological') list.reverse();
      const names = fieldNames(r.params.fields, ['id', 'message', 'created_time', 'from']);
      return { status: 200, body: edge(list.map((c) => pick(commentNode(c), names)), r.params.limit) };
    }

    if (r.method === 'POST' && !edgeName && r.params.is_hidden !== undefined) {
      const owner = ownerPageOf(target);
      if (!owner || deleted.has(target)) throw unsupported('post', id);
      if (owner !== pageId) throw noPermission();
      const hidden = r.params.is_hidden === 'true';
      const node = comments.get(target) ?? posts.get(target)!;
      node.hidden = hidden;
      return { status: 200, body: { success: true } };
    }

    if (r.method === 'DELETE' && !edgeName) {
      const owner = ownerPageOf(target);
      if (!owner || deleted.has(target)) throw unsupported('delete', id);
      if (owner !== pageId) throw noPermission();
      deleted.add(target);
      return { status: 200, body: { success: true } };
    }

    throw unsupported(r.method, r.segments.join('/'));
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: new Date() });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'facebook-api-version': VERSION, 'x-fb-trace-id': traceId(), ...headers });
        res.end(JSON.stringify(body));
      };
      parseRequest(req, Buffer.concat(chunks))
        .then(route)
        .then(
          (answer) => {
            if (answer.redirect) {
              res.writeHead(answer.status, { location: answer.redirect, 'content-type': 'text/html; charset=utf-8' });
              return res.end();
            }
            if (answer.html !== undefined) {
              res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
              return res.end(`<!DOCTYPE html><title>Facebook</title><p>${answer.html}</p>`);
            }
            if (!answer.hangMs) return send(answer.status, answer.body);
            const timer = setTimeout(() => {
              timers.delete(timer);
              send(answer.status, answer.body);
            }, answer.hangMs);
            timers.add(timer);
          },
          (error: unknown) => {
            if (error instanceof GraphError) return send(error.status, { error: { ...error.body, fbtrace_id: traceId() } }, error.headers);
            send(500, { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: traceId() } });
          },
        );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${VERSION}`;

  let citizens = 0;
  return {
    network: 'facebook',
    url,
    requests,
    app,
    refuseNextConsent() {
      refuseConsent = true;
    },
    createAccount(options = {}) {
      const externalId = String(100_000_000_000_000 + pages.size + 1);
      const username = (options.handle ?? `side${pages.size + 1}`).replace(/^@/, '');
      const account: ContractAccount = {
        network: 'facebook',
        externalId,
        handle: username,
        name: options.name ?? `Testside ${pages.size + 1}`,
        accessToken: `EAAG${Buffer.from(`${externalId}:${Math.random()}`).toString('base64url')}`,
        refreshToken: null,
        apiBase: url,
      };
      pages.set(externalId, { account, username });
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
      const page = pages.get(accountExternalId);
      if (!page) throw new Error(`No page ${accountExternalId}`);
      const from = { id: String(200_000_000_000_000 + ++citizens), name: item.authorName };
      const at = item.createdAt ?? new Date();
      if (item.postId === null) {
        const post: FbPost = { id: `${accountExternalId}_${next()}`, pageId: accountExternalId, fromId: from.id, fromName: from.name, message: item.text, link: null, createdAt: at, hidden: false };
        posts.set(post.id, post);
        return post.id;
      }
      if (ownerPageOf(item.postId) !== accountExternalId) throw new Error(`No post ${item.postId} on page ${accountExternalId}`);
      return addComment(item.postId, from, item.text, at).id;
    },
    hiddenIds: () => new Set([...comments.values(), ...posts.values()].filter((n) => n.hidden && !deleted.has(n.id)).map((n) => n.id)),
    deletedIds: () => new Set(deleted),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
