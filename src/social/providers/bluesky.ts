import { Agent, AtUri, CredentialSession, RichText, XRPCError, type AppBskyNotificationListNotifications, type AppBskyRichtextFacet } from '@atproto/api';
import { tidFromKey } from './bluesky-tid.ts';
import { AUTHOR_GONE, ProviderError, type IncomingItem, type OutgoingImage, type ProviderAccount, type RecentPost, type SocialProvider, type CallOptions } from './types.ts';

// Bluesky through `@atproto/api` against the account's PDS. The session is resumed from the stored JWTs without a
// refresh; when the PDS answers ExpiredToken the client refreshes with the refresh JWT, hands the new pair to
// `onTokensRefreshed` and repeats the request once. Posts are written at a record key derived from the
// publication's idempotency key, so every attempt targets the same record.

const DEFAULT_TIMEOUT_MS = 30_000;
const POST = 'app.bsky.feed.post';
const THREADGATE = 'app.bsky.feed.threadgate';
const BLOCK = 'app.bsky.graph.block';
const PAGE_SIZE = 50;
const MAX_PAGES = 5;
const AUTH_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthMissing', 'AuthRequired', 'AuthenticationRequired', 'AccountTakedown', 'AccountDeactivated']);

interface Session {
  agent: Agent;
  did: string;
}

interface ThreadgateValue {
  $type: string;
  post: string;
  createdAt: string;
  hiddenReplies?: string[];
  [key: string]: unknown;
}

interface PostValue {
  text?: unknown;
  createdAt?: unknown;
  reply?: { root?: { uri: string; cid: string }; parent?: { uri: string; cid: string } };
}

const bareHandle = (handle: string) => handle.replace(/^@/, '');
const postUrl = (handleOrDid: string, rkey: string) => `https://bsky.app/profile/${bareHandle(handleOrDid)}/post/${rkey}`;

/** Every request of a call gets the call's time limit, the session refresh included. */
function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (own) signals.push(own);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
}

function sortError(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof XRPCError) {
    const status = error.status;
    const code = error.error ?? '';
    if (status === 1) {
      const timedOut = error.cause instanceof Error && error.cause.name === 'TimeoutError';
      return new ProviderError('retry', timedOut ? `Bluesky did not answer ${what} in time` : `Bluesky could not be reached for ${what}`, { timedOut: true, cause: error });
    }
    if (status === 2) return new ProviderError('retry', `Bluesky gave an unreadable answer to ${what}`, { cause: error });
    if (status === 429) {
      const reset = Number(error.headers?.['ratelimit-reset']);
      return new ProviderError('retry', `Bluesky rate limit on ${what}`, { status, retryAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null, cause: error });
    }
    if (status >= 500) return new ProviderError('retry', `Bluesky failed ${what} (${status})`, { status, cause: error });
    // Someone changed the record between our read and our write (a threadgate edited elsewhere): read again later.
    if (code === 'InvalidSwap') return new ProviderError('retry', `Bluesky record changed during ${what}`, { status, cause: error });
    if (status === 401 || status === 403 || AUTH_ERRORS.has(code)) return new ProviderError('reauthorize', `Bluesky refused the session for ${what}: ${code || status}`, { status, cause: error });
    return new ProviderError('bad_content', `Bluesky refused ${what}: ${code ? `${code}: ` : ''}${error.message}`.slice(0, 300), { status, cause: error });
  }
  return new ProviderError('retry', `Bluesky could not be reached for ${what}`, { timedOut: true, cause: error });
}

/**
 * One call with the account's session. Refresh JWTs rotate and are good once: when another call (the inbox's polling
 * beside the sender) refreshed the session a moment ago, ours is refused; the pair it stored is then used instead.
 */
async function withSession<T>(account: ProviderAccount, options: CallOptions | undefined, what: string, run: (s: Session) => Promise<T>): Promise<T> {
  try {
    return await sessionCall(account, options, what, run);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.kind !== 'reauthorize') throw error;
    const latest = await account.storedTokens?.();
    if (!latest || latest.refreshToken === account.refreshToken) throw error;
    return sessionCall({ ...account, ...latest }, options, what, run);
  }
}

/** A session from the given tokens, errors sorted, and refreshed tokens stored before returning. */
async function sessionCall<T>(account: ProviderAccount, options: CallOptions | undefined, what: string, run: (s: Session) => Promise<T>): Promise<T> {
  const stored: Promise<void>[] = [];
  const manager = new CredentialSession(new URL(account.apiBase), timedFetch(options?.timeoutMs ?? DEFAULT_TIMEOUT_MS), (event, session) => {
    if (event === 'update' && session && account.onTokensRefreshed) {
      stored.push(account.onTokensRefreshed({ accessToken: session.accessJwt, refreshToken: session.refreshJwt }));
    }
  });
  manager.session = {
    did: account.externalId,
    handle: bareHandle(account.handle),
    accessJwt: account.accessToken,
    // Without a refresh JWT the client does not try to refresh and the expired answer comes back as it is.
    refreshJwt: account.refreshToken ?? '',
    active: true,
  };
  try {
    return await run({ agent: new Agent(manager), did: account.externalId });
  } catch (error) {
    throw sortError(error, what);
  } finally {
    await Promise.all(stored);
  }
}

const isNotFound = (error: unknown) => error instanceof XRPCError && (error.error === 'RecordNotFound' || (error.status === 400 && /Could not locate record/.test(error.message)));

async function getRecord(agent: Agent, repo: string, collection: string, rkey: string): Promise<{ uri: string; cid: string | undefined; value: Record<string, unknown> } | null> {
  try {
    const { data } = await agent.com.atproto.repo.getRecord({ repo, collection, rkey });
    return { uri: data.uri, cid: data.cid, value: data.value };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The author's DID from their handle; a handle that no longer resolves is an author gone. */
async function resolveAuthor(agent: Agent, handle: string): Promise<string> {
  const bare = bareHandle(handle.trim()).toLowerCase();
  if (!bare) throw new ProviderError('bad_content', `Bluesky: ${AUTHOR_GONE} (no handle)`);
  try {
    const { data } = await agent.com.atproto.identity.resolveHandle({ handle: bare });
    return data.did;
  } catch (error) {
    if (error instanceof XRPCError && error.status === 400 && !AUTH_ERRORS.has(error.error ?? '')) throw new ProviderError('bad_content', `Bluesky: ${AUTHOR_GONE} (${error.message})`.slice(0, 300), { status: 400, cause: error });
    throw error;
  }
}

/** The record keys of the account's block records for one subject (normally none or one). */
async function blockKeys(agent: Agent, did: string, subject: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES * 4; page++) {
    const { data } = await agent.com.atproto.repo.listRecords({ repo: did, collection: BLOCK, limit: 100, cursor });
    for (const r of data.records) if ((r.value as { subject?: unknown }).subject === subject) keys.push(new AtUri(r.uri).rkey);
    if (!data.cursor || data.records.length === 0) break;
    cursor = data.cursor;
  }
  return keys;
}

/** Links and hashtags become facets; mentions would need their handles resolved to DIDs, so they stay text. */
function facetsOf(text: string): AppBskyRichtextFacet.Main[] | undefined {
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const facets = rich.facets?.filter((f) => f.features.every((feature) => feature.$type !== 'app.bsky.richtext.facet#mention'));
  return facets?.length ? facets : undefined;
}

async function aspectRatio(bytes: Buffer): Promise<{ width: number; height: number } | undefined> {
  try {
    const { default: sharp } = await import('sharp');
    const { width, height } = await sharp(bytes).metadata();
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined; // optional in the lexicon; the app then shows the image uncropped at a default ratio
  }
}

async function imagesEmbed(agent: Agent, image: OutgoingImage) {
  const { data } = await agent.com.atproto.repo.uploadBlob(new Uint8Array(image.bytes), { encoding: image.mimeType });
  const ratio = await aspectRatio(image.bytes);
  return { $type: 'app.bsky.embed.images', images: [{ image: data.blob, alt: image.alt, ...(ratio ? { aspectRatio: ratio } : {}) }] };
}

function toRecent(account: ProviderAccount, uri: string, value: Record<string, unknown>): RecentPost | null {
  const post = value as PostValue;
  if (typeof post.text !== 'string' || typeof post.createdAt !== 'string') return null;
  return { externalId: uri, text: post.text, url: postUrl(account.handle || account.externalId, new AtUri(uri).rkey), createdAt: new Date(post.createdAt) };
}

/** Our own cursor: the newest indexedAt read and the notifications read at exactly that time. */
interface InboxCursor {
  at: number;
  uris: string[];
}
const readCursor = (cursor: string | null): InboxCursor | null => {
  if (!cursor) return null;
  const [at, uris] = cursor.split('|');
  const time = Date.parse(at ?? '');
  return Number.isNaN(time) ? null : { at: time, uris: uris ? uris.split(',') : [] };
};
const isNewer = (n: { indexedAt: string; uri: string }, cursor: InboxCursor | null) => {
  if (!cursor) return true;
  const at = Date.parse(n.indexedAt);
  return at > cursor.at || (at === cursor.at && !cursor.uris.includes(n.uri));
};

function toIncoming(did: string, n: AppBskyNotificationListNotifications.Notification, hidden: Set<string>): IncomingItem | null {
  const post = n.record as PostValue;
  if (typeof post.text !== 'string') return null;
  const root = post.reply?.root?.uri ?? null;
  return {
    externalId: n.uri,
    parentExternalId: post.reply?.parent?.uri ?? null,
    rootExternalId: root && new AtUri(root).host === did ? root : null,
    authorName: n.author.displayName || n.author.handle,
    authorHandle: `@${n.author.handle}`,
    text: post.text,
    createdAt: new Date(typeof post.createdAt === 'string' ? post.createdAt : n.indexedAt),
    url: postUrl(n.author.handle, new AtUri(n.uri).rkey),
    hidden: hidden.has(n.uri),
  };
}

export const blueskyProvider: SocialProvider = {
  network: 'bluesky',
  limits: {
    maxText: 300,
    maxImages: 4,
    maxImageBytes: 1_000_000,
    imageTypes: ['image/jpeg', 'image/png', 'image/webp'],
    maxAltText: 2000,
  },
  honoursIdempotencyKey: false,
  countText: (text) => new RichText({ text }).graphemeLength,

  whoAmI(account, options) {
    return withSession(account, options, 'reading the account', async ({ agent }) => {
      const { data: session } = await agent.com.atproto.server.getSession();
      const { data: profile } = await agent.app.bsky.actor.getProfile({ actor: session.did });
      return { externalId: session.did, handle: `@${session.handle}`, name: profile.displayName || session.handle };
    });
  },

  publish(account, post, options) {
    return withSession(account, options, 'publishing', async ({ agent, did }) => {
      const rkey = tidFromKey(post.idempotencyKey);
      const embed = post.image ? await imagesEmbed(agent, post.image) : undefined;
      const facets = facetsOf(post.text);
      const record = { $type: POST, text: post.text, ...(facets ? { facets } : {}), createdAt: new Date().toISOString(), langs: ['da'], ...(embed ? { embed } : {}) };
      const url = postUrl(account.handle || did, rkey);
      try {
        const { data } = await agent.com.atproto.repo.createRecord({ repo: did, collection: POST, rkey, record });
        return { externalId: data.uri, url };
      } catch (error) {
        // The PDS answers a key that already holds a record with a 500: an earlier attempt got through.
        if (error instanceof XRPCError && error.status >= 500) {
          const existing = await getRecord(agent, did, POST, rkey).catch(() => null);
          if (existing) return { externalId: existing.uri, url };
        }
        throw error;
      }
    });
  },

  recentPosts(account, query, options) {
    return withSession(account, options, 'reading recent posts', async ({ agent, did }) => {
      if (query.idempotencyKey) {
        // The key names the record exactly: it is there or the publication never got through.
        const found = await getRecord(agent, did, POST, tidFromKey(query.idempotencyKey));
        const recent = found && toRecent(account, found.uri, found.value);
        return recent ? [recent] : [];
      }
      // Record keys derived from idempotency keys do not sort by time, so read a few pages and sort here.
      const found: RecentPost[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data } = await agent.com.atproto.repo.listRecords({ repo: did, collection: POST, limit: 100, cursor });
        for (const r of data.records) {
          const recent = toRecent(account, r.uri, r.value);
          if (recent && recent.createdAt >= query.since) found.push(recent);
        }
        if (!data.cursor || data.records.length === 0) break;
        cursor = data.cursor;
      }
      return found.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    });
  },

  incoming(account, cursor, options) {
    return withSession(account, options, 'reading replies and mentions', async ({ agent, did }) => {
      const after = readCursor(cursor);
      const fresh: AppBskyNotificationListNotifications.Notification[] = [];
      // Bluesky's own cursor pages back in time, so read from the newest until the last one already seen.
      let page: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const { data } = await agent.app.bsky.notification.listNotifications({ reasons: ['reply', 'mention'], limit: PAGE_SIZE, cursor: page });
        const newer = data.notifications.filter((n) => isNewer(n, after));
        fresh.push(...newer.filter((n) => n.reason === 'reply' || n.reason === 'mention'));
        if (newer.length < data.notifications.length || !data.cursor || data.notifications.length === 0) break;
        page = data.cursor;
      }
      // Hidden replies live in the threadgate of the account's own root posts.
      const hidden = new Set<string>();
      const roots = new Set(fresh.map((n) => (n.record as PostValue).reply?.root?.uri).filter((u): u is string => !!u && new AtUri(u).host === did));
      for (const root of roots) {
        const gate = await getRecord(agent, did, THREADGATE, new AtUri(root).rkey);
        for (const uri of (gate?.value as ThreadgateValue | undefined)?.hiddenReplies ?? []) hidden.add(uri);
      }
      const items = fresh.flatMap((n) => toIncoming(did, n, hidden) ?? []).reverse();
      if (fresh.length === 0) return { items, cursor };
      const newestAt = Math.max(...fresh.map((n) => Date.parse(n.indexedAt)));
      const atNewest = fresh.filter((n) => Date.parse(n.indexedAt) === newestAt).map((n) => n.uri);
      const kept = after && after.at === newestAt ? after.uris : [];
      return { items, cursor: `${new Date(newestAt).toISOString()}|${[...kept, ...atNewest].join(',')}` };
    });
  },

  setHidden(account, item, hidden, options) {
    return withSession(account, options, hidden ? 'hiding a reply' : 'showing a reply', async ({ agent, did }) => {
      if (!item.rootExternalId) throw new ProviderError('bad_content', 'Bluesky hides a reply in its root post’s threadgate; the root is unknown');
      const root = new AtUri(item.rootExternalId);
      if (root.host !== did || root.collection !== POST) throw new ProviderError('bad_content', 'Bluesky can only hide replies in the account’s own threads');
      const existing = await getRecord(agent, did, THREADGATE, root.rkey);
      const gate = existing?.value as ThreadgateValue | undefined;
      const replies = new Set(gate?.hiddenReplies ?? []);
      if (replies.has(item.externalId) === hidden) return;
      if (hidden) replies.add(item.externalId);
      else replies.delete(item.externalId);
      const record: ThreadgateValue = { ...(gate ?? { $type: THREADGATE, post: root.toString(), createdAt: new Date().toISOString() }), hiddenReplies: [...replies] };
      await agent.com.atproto.repo.putRecord({ repo: did, collection: THREADGATE, rkey: root.rkey, record, ...(existing?.cid ? { swapRecord: existing.cid } : {}) });
    });
  },

  deleteItem(account, externalId, options) {
    return withSession(account, options, 'deleting a post', async ({ agent, did }) => {
      const uri = new AtUri(externalId);
      if (uri.host !== did) throw new ProviderError('bad_content', 'Bluesky can only delete the account’s own posts; hide the reply instead');
      await agent.com.atproto.repo.deleteRecord({ repo: did, collection: uri.collection, rkey: uri.rkey });
    });
  },

  reply(account, toExternalId, text, options) {
    return withSession(account, options, 'replying', async ({ agent, did }) => {
      const { data } = await agent.app.bsky.feed.getPosts({ uris: [toExternalId] });
      const parent = data.posts[0];
      if (!parent) throw new ProviderError('bad_content', 'the Bluesky post to reply to was not found');
      const parentRef = { uri: parent.uri, cid: parent.cid };
      const root = (parent.record as PostValue).reply?.root ?? parentRef;
      const facets = facetsOf(text);
      const record = { $type: POST, text, ...(facets ? { facets } : {}), createdAt: new Date().toISOString(), langs: ['da'], reply: { root, parent: parentRef } };
      const { data: made } = await agent.com.atproto.repo.createRecord({ repo: did, collection: POST, record });
      return { externalId: made.uri, url: postUrl(account.handle || did, new AtUri(made.uri).rkey) };
    });
  },

  blockAuthor(account, author, blocked, options) {
    // A block is an app.bsky.graph.block record in the account's own repository; unblocking deletes it. A block
    // already there is not made twice (a retried attempt may have got through).
    return withSession(account, options, blocked ? 'blocking the author' : 'unblocking the author', async ({ agent, did }) => {
      const subject = await resolveAuthor(agent, author.handle);
      const existing = await blockKeys(agent, did, subject);
      if (blocked) {
        if (existing.length) return;
        await agent.com.atproto.repo.createRecord({ repo: did, collection: BLOCK, record: { $type: BLOCK, subject, createdAt: new Date().toISOString() } });
        return;
      }
      for (const rkey of existing) await agent.com.atproto.repo.deleteRecord({ repo: did, collection: BLOCK, rkey });
    });
  },
};
