import { createRestAPIClient, MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError, type mastodon } from 'masto';
import { AUTHOR_GONE, ProviderError, type IncomingItem, type OutgoingImage, type ProviderAccount, type RecentPost, type SocialProvider } from './types.ts';

// Mastodon through the `masto` client (https://docs.joinmastodon.org/methods/). Statuses are created with the
// publication's Idempotency-Key, which the instance honours for an hour, so a retried attempt cannot post twice.

const DEFAULT_TIMEOUT_MS = 30_000;
const URL_CHARS = 23;
const PAGE_SIZE = 40;
const MAX_PAGES = 5;

const clientFor = (account: ProviderAccount, timeoutMs: number): mastodon.rest.Client =>
  createRestAPIClient({ url: account.apiBase, accessToken: account.accessToken, timeout: timeoutMs });

const URL_PATTERN = /https?:\/\/[^\s<>"]+/gu;

/** A URL ends before trailing punctuation and before a closing parenthesis it did not open. */
function trimUrl(url: string): string {
  let out = url.replace(/[.,;:!?'"]+$/u, '');
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1);
  return out;
}

const graphemes = (text: string) => [...new Intl.Segmenter('da', { granularity: 'grapheme' }).segment(text)].length;

/** As Mastodon's StatusLengthValidator: graphemes, every link as 23, a remote mention only as its @username. */
export function countMastodonText(text: string): number {
  const links = text.replace(URL_PATTERN, (m) => 'x'.repeat(URL_CHARS) + m.slice(trimUrl(m).length));
  return graphemes(links.replace(/(^|[^\w/])@(\w+)@[\w.-]+\w/gu, '$1@$2'));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Status content is HTML; the inbox and the retry check want the text the author wrote. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .trim();
}

function resetTime(error: MastoHttpError): Date | null {
  const response = error.cause;
  const header = response instanceof Response ? response.headers.get('x-ratelimit-reset') : null;
  const at = header ? new Date(header) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** Sorts whatever went wrong into what the publisher does next. Never includes the token. */
function sortError(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof MastoHttpError) {
    const status = error.statusCode;
    const detail = error.message ? `: ${error.message}` : '';
    if (status === 429) return new ProviderError('retry', `Mastodon rate limit on ${what}`, { status, retryAt: resetTime(error), cause: error });
    if (status >= 500 || status === 408 || status === 409 || status === 425) return new ProviderError('retry', `Mastodon failed ${what} (${status})`, { status, cause: error });
    if (status === 401 || status === 403) return new ProviderError('reauthorize', `Mastodon refused the token for ${what}${detail}`, { status, cause: error });
    return new ProviderError('bad_content', `Mastodon refused ${what}${detail}`, { status, cause: error });
  }
  if (error instanceof MastoTimeoutError) return new ProviderError('retry', `Mastodon did not answer ${what} in time`, { timedOut: true, cause: error });
  if (error instanceof MastoUnexpectedError || error instanceof MastoDeserializeError) {
    // An answer that is not JSON: the instance or its proxy is down (an HTML error page).
    return new ProviderError('retry', `Mastodon gave an unreadable answer to ${what}`, { cause: error });
  }
  return new ProviderError('retry', `Mastodon could not be reached for ${what}`, { timedOut: true, cause: error });
}

async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw sortError(error, what);
  }
}

async function uploadImage(api: mastodon.rest.Client, image: OutgoingImage, timeoutMs: number): Promise<string> {
  const file = new File([new Uint8Array(image.bytes)], image.fileName, { type: image.mimeType });
  // Polling is done here, only when needed: images are usually processed before the upload returns.
  let media = await api.v2.media.create({ file, description: image.alt, skipPolling: true });
  const deadline = Date.now() + timeoutMs;
  while (!media.url) {
    if (Date.now() > deadline) throw new ProviderError('retry', 'Mastodon did not finish processing the image in time', { timedOut: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    media = await api.v1.media.$select(media.id).fetch();
  }
  return media.id;
}

const statusToRecent = (s: mastodon.v1.Status): RecentPost => ({
  externalId: s.id,
  text: htmlToText(s.content),
  url: s.url ?? null,
  createdAt: new Date(s.createdAt),
});

function mentionToItem(account: ProviderAccount, n: mastodon.v1.Notification): IncomingItem | null {
  const s = n.status;
  if (n.type !== 'mention' || !s) return null;
  return {
    externalId: s.id,
    parentExternalId: s.inReplyToId ?? null,
    // Mastodon names only the parent; when that is the account's own, the thread hangs under it.
    rootExternalId: s.inReplyToId && s.inReplyToAccountId === account.externalId ? s.inReplyToId : null,
    authorName: s.account.displayName || s.account.username,
    authorHandle: `@${s.account.acct}`,
    text: htmlToText(s.content),
    createdAt: new Date(s.createdAt),
    url: s.url ?? null,
    hidden: false,
  };
}

export const mastodonProvider: SocialProvider = {
  network: 'mastodon',
  limits: {
    maxText: 500,
    maxImages: 4,
    maxImageBytes: 16 * 1024 * 1024,
    imageTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
    maxAltText: 1500,
  },
  honoursIdempotencyKey: true,
  countText: countMastodonText,

  async whoAmI(account, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const me = await call('reading the account', () => api.v1.accounts.verifyCredentials());
    return { externalId: me.id, handle: `@${me.username}@${new URL(account.apiBase).host}`, name: me.displayName || me.username };
  },

  async publish(account, post, options) {
    const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const api = clientFor(account, timeoutMs);
    const mediaId = post.image ? await call('uploading the image', () => uploadImage(api, post.image!, timeoutMs)) : null;
    const meta = { requestInit: { headers: { 'Idempotency-Key': post.idempotencyKey } } };
    const base = { status: post.text, visibility: 'public', language: 'da' } as const;
    const status = await call('publishing', () => (mediaId ? api.v1.statuses.create({ ...base, mediaIds: [mediaId] }, meta) : api.v1.statuses.create(base, meta)));
    return { externalId: status.id, url: status.url ?? null };
  },

  async recentPosts(account, query, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const found: RecentPost[] = [];
    let maxId: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const statuses = await call('reading recent posts', async () => api.v1.accounts.$select(account.externalId).statuses.list({ limit: PAGE_SIZE, maxId, excludeReblogs: true }));
      for (const s of statuses) {
        if (new Date(s.createdAt) < query.since) return found;
        found.push(statusToRecent(s));
      }
      if (statuses.length < PAGE_SIZE) break;
      maxId = statuses[statuses.length - 1]!.id;
    }
    return found;
  },

  async incoming(account, cursor, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // min_id gives the notifications right after the cursor (newest first within the page).
    const list = await call('reading mentions', () => api.v1.notifications.fetch({ types: ['mention'], minId: cursor ?? undefined, limit: PAGE_SIZE }));
    const items = list.flatMap((n) => mentionToItem(account, n) ?? []).reverse();
    const newest = list.reduce<string | null>((max, n) => (max === null || BigInt(n.id) > BigInt(max) ? n.id : max), null);
    return { items, cursor: newest ?? cursor };
  },

  async setHidden() {
    throw new ProviderError('bad_content', 'Mastodon has no way to hide replies from other accounts');
  },

  async deleteItem(account, externalId, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await call('deleting a status', () => api.v1.statuses.$select(externalId).remove());
  },

  async reply(account, toExternalId, text, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const parent = await call('reading the status replied to', () => api.v1.statuses.$select(toExternalId).fetch());
    // Like Mastodon's own composer: name the author so the reply reaches them, and keep a private thread private.
    const author = parent.account.acct;
    const mentioned = parent.account.id === account.externalId || new RegExp(`(^|\\s)@${author.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`, 'i').test(text);
    const visibility = parent.visibility === 'direct' || parent.visibility === 'private' || parent.visibility === 'unlisted' ? parent.visibility : 'public';
    const status = await call('replying', () => api.v1.statuses.create({ status: mentioned ? text : `@${author} ${text}`, inReplyToId: toExternalId, visibility, language: 'da' }));
    return { externalId: status.id, url: status.url ?? null };
  },

  async blockAuthor(account, author, blocked, options) {
    const api = clientFor(account, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // The lookup takes user@domain (or user for the instance's own); needs read:accounts, blocking write:blocks.
    const acct = author.handle.trim().replace(/^@/, '');
    if (!acct) throw new ProviderError('bad_content', `Mastodon: ${AUTHOR_GONE} (no handle)`);
    const found = await call('looking up the author', async () => {
      try {
        return await api.v1.accounts.lookup({ acct });
      } catch (error) {
        if (error instanceof MastoHttpError && error.statusCode === 404) throw new ProviderError('bad_content', `Mastodon: ${AUTHOR_GONE}`, { status: 404, cause: error });
        throw error;
      }
    });
    const target = api.v1.accounts.$select(found.id);
    await call(blocked ? 'blocking the author' : 'unblocking the author', () => (blocked ? target.block() : target.unblock()));
  },
};
