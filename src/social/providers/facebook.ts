import { cleanMessage, requestJson } from './http.ts';
import {
  type CallOptions,
  type IncomingItem,
  type IncomingPage,
  type NetworkLimits,
  type OutgoingPost,
  type ProviderAccount,
  ProviderError,
  type PublishedPost,
  type RecentPost,
  type SocialProvider,
} from './types.ts';

// Facebook pages through the Graph API (apiBase carries the version, e.g. https://graph.facebook.com/v23.0), with
// the page access token in the Authorization header so it never appears in a URL. Text posts go to
// POST /{page-id}/feed (message + link), a post with an image to POST /{page-id}/photos (caption + alt_text_custom).

const LIMITS: NetworkLimits = {
  maxText: 63_206,
  // One photo per POST /{page-id}/photos.
  maxImages: 1,
  // The Photo reference: static images under 10 MB.
  maxImageBytes: 10 * 1024 * 1024 - 1,
  imageTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/tiff', 'image/webp'],
  // Graph documents no limit for alt_text_custom; X's 1000 keeps one alt text usable everywhere.
  maxAltText: 1000,
};

/** Graph error codes for throttling: app, user, page, custom, and the Pages business-use-case codes. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const isBucRateLimit = (code: number) => code >= 80001 && code <= 80014;
/** 190 expired/invalid token, 102 session, 10 and 200–299 missing permission. */
const isAuthCode = (code: number) => code === 190 || code === 102 || code === 10 || (code >= 200 && code <= 299);
/** 1 unknown, 2 service unavailable: Graph says to retry. */
const TRANSIENT_CODES = new Set([1, 2]);

/** Recent feed posts whose comments the inbox reads. */
const FEED_POSTS_READ = 25;
const COMMENT_FIELDS = 'id,message,created_time,from{id,name},parent{id},is_hidden,permalink_url';
const FEED_FIELDS = 'id,message,created_time,from{id,name},is_hidden,permalink_url';

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean };
}

type Params = Record<string, string>;

function base(account: ProviderAccount): string {
  return account.apiBase.replace(/\/+$/, '');
}

async function graph<T>(account: ProviderAccount, method: 'GET' | 'POST' | 'DELETE', path: string, params: Params | FormData, options: CallOptions | undefined, label: string): Promise<T> {
  let url = `${base(account)}/${path}`;
  const init: RequestInit = { method, headers: { authorization: `Bearer ${account.accessToken}`, accept: 'application/json' } };
  if (params instanceof FormData) init.body = params;
  else if (method === 'POST') init.body = new URLSearchParams(params);
  else if (Object.keys(params).length) url += `?${new URLSearchParams(params).toString()}`;
  const answer = await requestJson(url, init, options, label);
  if (answer.status >= 200 && answer.status < 300 && !(answer.body as GraphErrorBody | null)?.error) return answer.body as T;
  throw graphError(account, answer.status, answer.headers, answer.body as GraphErrorBody | null, label);
}

/** Minutes until the page may call again, from X-Business-Use-Case-Usage (or X-Page-Usage), as a time. */
export function regainAccessAt(headers: Headers, now = Date.now()): Date | null {
  const minutes: number[] = [];
  const buc = parseJson(headers.get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        const value = (entry as { estimated_time_to_regain_access?: unknown }).estimated_time_to_regain_access;
        if (typeof value === 'number' && Number.isFinite(value)) minutes.push(value);
      }
    }
  }
  const page = parseJson(headers.get('x-page-usage')) as { estimated_time_to_regain_access?: unknown } | null;
  if (!minutes.length && typeof page?.estimated_time_to_regain_access === 'number') minutes.push(page.estimated_time_to_regain_access);
  if (!minutes.length) return null;
  return new Date(now + Math.max(...minutes) * 60_000);
}

function parseJson(raw: string | null): unknown {
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function graphError(account: ProviderAccount, status: number, headers: Headers, body: GraphErrorBody | null, label: string): ProviderError {
  const error = body?.error;
  const code = typeof error?.code === 'number' ? error.code : null;
  const said = cleanMessage(error?.message ?? `HTTP ${status}`, [account.accessToken, account.refreshToken]);
  const message = `${label}: ${said}${code === null ? '' : ` (code ${code})`}`;
  if (status === 429 || (code !== null && (RATE_LIMIT_CODES.has(code) || isBucRateLimit(code)))) {
    return new ProviderError('retry', message, { status, retryAt: regainAccessAt(headers) });
  }
  if (status >= 500 || error?.is_transient || (code !== null && TRANSIENT_CODES.has(code))) return new ProviderError('retry', message, { status });
  if ((code !== null && isAuthCode(code)) || status === 401 || status === 403) return new ProviderError('reauthorize', message, { status });
  return new ProviderError('bad_content', message, { status });
}

/** Graph writes times as 2026-03-01T10:15:00+0000. */
export function graphTime(value: string | undefined): Date {
  if (!value) return new Date(0);
  return new Date(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

function postUrl(pageId: string, postId: string): string {
  const [owner, own] = postId.includes('_') ? postId.split('_', 2) : [pageId, postId];
  return `https://www.facebook.com/${owner}/posts/${own}`;
}

async function whoAmI(account: ProviderAccount, options?: CallOptions) {
  const me = await graph<{ id: string; name?: string; username?: string }>(account, 'GET', 'me', { fields: 'id,name,username' }, options, 'Facebook token check');
  return { externalId: me.id, handle: me.username ?? me.id, name: me.name ?? me.username ?? me.id };
}

async function publish(account: ProviderAccount, post: OutgoingPost, options?: CallOptions): Promise<PublishedPost> {
  if (!post.image) {
    const params: Params = { message: post.text };
    if (post.link) params.link = post.link;
    const created = await graph<{ id: string }>(account, 'POST', `${account.externalId}/feed`, params, options, 'Facebook post');
    return { externalId: created.id, url: postUrl(account.externalId, created.id) };
  }
  // A photo post has no link field, so the link goes in the caption.
  const caption = post.link && !post.text.includes(post.link) ? `${post.text}\n\n${post.link}` : post.text;
  const form = new FormData();
  form.set('caption', caption);
  if (post.image.alt) form.set('alt_text_custom', post.image.alt);
  form.set('published', 'true');
  form.set('source', new Blob([new Uint8Array(post.image.bytes)], { type: post.image.mimeType }), post.image.fileName);
  const created = await graph<{ id: string; post_id?: string }>(account, 'POST', `${account.externalId}/photos`, form, options, 'Facebook photo post');
  const id = created.post_id ?? created.id;
  return { externalId: id, url: postUrl(account.externalId, id) };
}

interface GraphPost {
  id: string;
  message?: string;
  created_time?: string;
  permalink_url?: string;
  from?: { id: string; name?: string };
  is_hidden?: boolean;
}

interface GraphComment extends GraphPost {
  parent?: { id: string };
}

async function recentPosts(account: ProviderAccount, query: { since: Date }, options?: CallOptions): Promise<RecentPost[]> {
  const page = await graph<{ data?: GraphPost[] }>(
    account,
    'GET',
    `${account.externalId}/published_posts`,
    { since: String(unixSeconds(query.since)), fields: 'id,message,created_time,permalink_url', limit: '100' },
    options,
    'Facebook recent posts',
  );
  return (page.data ?? [])
    .map((p) => ({ externalId: p.id, text: p.message ?? '', url: p.permalink_url ?? postUrl(account.externalId, p.id), createdAt: graphTime(p.created_time) }))
    .filter((p) => p.createdAt.getTime() >= Math.floor(query.since.getTime() / 1000) * 1000)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/**
 * The cursor is "seconds:id,id": the newest creation second seen and the items already read in that second, so
 * `since` (inclusive, whole seconds) loses nothing that arrives later in the same second and repeats nothing.
 */
function readCursor(cursor: string | null): { since: number; seen: Set<string> } | null {
  if (!cursor) return null;
  const [seconds, ids = ''] = cursor.split(':', 2);
  const since = Number(seconds);
  if (!Number.isFinite(since)) return null;
  return { since, seen: new Set(ids.split(',').filter(Boolean)) };
}

function writeCursor(items: IncomingItem[], previous: string | null): string | null {
  const newest = items.at(-1);
  if (!newest) return previous;
  const second = unixSeconds(newest.createdAt);
  const old = readCursor(previous);
  const ids = items.filter((i) => unixSeconds(i.createdAt) === second).map((i) => i.externalId);
  if (old && old.since === second) ids.unshift(...old.seen);
  return `${second}:${[...new Set(ids)].join(',')}`;
}

async function incoming(account: ProviderAccount, cursor: string | null, options?: CallOptions): Promise<IncomingPage> {
  const from = readCursor(cursor);
  const feed = await graph<{ data?: GraphPost[] }>(account, 'GET', `${account.externalId}/feed`, { fields: FEED_FIELDS, limit: String(FEED_POSTS_READ) }, options, 'Facebook feed');
  const items: IncomingItem[] = [];
  const isNew = (id: string, at: Date) => !from || unixSeconds(at) > from.since || (unixSeconds(at) === from.since && !from.seen.has(id));

  for (const post of feed.data ?? []) {
    // A visitor's post on the page is itself something to answer.
    const byVisitor = post.from !== undefined && post.from.id !== account.externalId;
    const postAt = graphTime(post.created_time);
    if (byVisitor && isNew(post.id, postAt)) {
      items.push({
        externalId: post.id,
        parentExternalId: null,
        rootExternalId: null,
        authorName: post.from?.name ?? 'Facebook-bruger',
        authorHandle: null,
        text: post.message ?? '',
        createdAt: postAt,
        url: post.permalink_url ?? postUrl(account.externalId, post.id),
        hidden: post.is_hidden ?? false,
      });
    }
    const params: Params = { filter: 'stream', order: 'chronological', fields: COMMENT_FIELDS, limit: '100' };
    if (from) params.since = String(from.since);
    const comments = await graph<{ data?: GraphComment[] }>(account, 'GET', `${post.id}/comments`, params, options, 'Facebook comments');
    for (const c of comments.data ?? []) {
      const at = graphTime(c.created_time);
      if (!isNew(c.id, at) || c.from?.id === account.externalId) continue;
      items.push({
        externalId: c.id,
        parentExternalId: c.parent?.id ?? post.id,
        rootExternalId: post.id,
        authorName: c.from?.name ?? 'Facebook-bruger',
        authorHandle: null,
        text: c.message ?? '',
        createdAt: at,
        url: c.permalink_url ?? null,
        hidden: c.is_hidden ?? false,
      });
    }
  }
  items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.externalId.localeCompare(b.externalId));
  return { items, cursor: writeCursor(items, cursor) };
}

async function setHidden(account: ProviderAccount, item: { externalId: string }, hidden: boolean, options?: CallOptions): Promise<void> {
  await graph<{ success?: boolean }>(account, 'POST', item.externalId, { is_hidden: String(hidden) }, options, hidden ? 'Facebook hide comment' : 'Facebook unhide comment');
}

async function deleteItem(account: ProviderAccount, externalId: string, options?: CallOptions): Promise<void> {
  await graph<{ success?: boolean }>(account, 'DELETE', externalId, {}, options, 'Facebook delete');
}

async function reply(account: ProviderAccount, toExternalId: string, text: string, options?: CallOptions): Promise<PublishedPost> {
  const created = await graph<{ id: string }>(account, 'POST', `${toExternalId}/comments`, { message: text }, options, 'Facebook reply');
  return { externalId: created.id, url: null };
}

export const facebookProvider: SocialProvider = {
  network: 'facebook',
  limits: LIMITS,
  honoursIdempotencyKey: false,
  // Facebook counts characters, not UTF-16 units.
  countText: (text) => [...text].length,
  whoAmI,
  publish,
  recentPosts,
  incoming,
  setHidden,
  deleteItem,
  reply,
};
