import http from 'node:http';
import {
  ApiPartialResponseError,
  ApiRequestError,
  ApiResponseError,
  EUploadMimeType,
  type ITwitterApiClientPlugin,
  type TweetV2,
  TwitterApi,
  TwitterApiv2,
  type UserV2,
} from 'twitter-api-v2';
import { cleanMessage, epochSecondsHeader, requestJson, timeoutOf, unansweredError } from './http.ts';
import { X_MAX_WEIGHTED_LENGTH, xWeightedLength } from './x-text.ts';
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

// X through the twitter-api-v2 client and API v2 at `${apiBase}/2/`, as the user of an OAuth 2.0 user-context
// token. Images go up with the v2 chunked upload (initialize, append, finalize), get their alt text from
// POST /2/media/metadata and are attached as media.media_ids.

const LIMITS: NetworkLimits = {
  maxText: X_MAX_WEIGHTED_LENGTH,
  maxImages: 4,
  maxImageBytes: 5 * 1024 * 1024,
  imageTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
  maxAltText: 1000,
};

const UPLOAD_TYPES = new Set<string>(Object.values(EUploadMimeType));
/** Pages of 100 mentions read per call; X pages from the newest down, so a larger backlog loses its oldest. */
const MENTION_PAGES = 5;

/** Plain-http apiBase (the contract server) needs an http agent: the client always uses https.request. */
const plainAgent = new http.Agent({ keepAlive: false });

/** The v2 client pointed at the account's apiBase instead of https://api.x.com/2/. */
class XClient extends TwitterApiv2 {
  constructor(account: ProviderAccount, options?: CallOptions) {
    const timeoutMs = timeoutOf(options);
    // A fresh time limit for every request the client makes, covering the answer's body too.
    const timeLimit: ITwitterApiClientPlugin = {
      onBeforeRequest: ({ requestOptions }) => {
        requestOptions.signal = AbortSignal.timeout(timeoutMs);
      },
    };
    const plain = new URL(account.apiBase).protocol === 'http:';
    super(new TwitterApi(account.accessToken, { ...(plain ? { httpAgent: plainAgent } : {}), plugins: [timeLimit] }));
    this.setPrefix(`${account.apiBase.replace(/\/+$/, '')}/2/`);
  }
}

interface Problem {
  title?: string;
  detail?: string;
  type?: string;
  errors?: { message?: string; title?: string; detail?: string }[];
}

function problemText(data: unknown, status: number): string {
  const p = (data && typeof data === 'object' ? data : {}) as Problem;
  const first = p.errors?.[0];
  return p.detail ?? first?.detail ?? first?.message ?? p.title ?? `HTTP ${status}`;
}

/** Sorts what the client threw. The client's own error objects hold the request with its headers, so they are not kept. */
function xError(account: ProviderAccount, error: unknown, label: string, timeoutMs: number): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ApiResponseError) {
    const status = error.code;
    const said = cleanMessage(problemText(error.data, status), [account.accessToken, account.refreshToken]);
    const message = `${label}: ${said} (${status})`;
    if (status === 429) return new ProviderError('retry', message, { status, retryAt: epochSecondsHeader(error.headers['x-rate-limit-reset']) });
    if (status >= 500) return new ProviderError('retry', message, { status });
    if (status === 401) return new ProviderError('reauthorize', message, { status });
    if (status === 403) {
      // 403 is both "this content is not allowed" (duplicates, reply restrictions) and "this token may not".
      const refused = /duplicate|not allowed|too long|media/i.test(said);
      return new ProviderError(refused ? 'bad_content' : 'reauthorize', message, { status });
    }
    return new ProviderError('bad_content', message, { status });
  }
  if (error instanceof ApiRequestError) return unansweredError(label, error.requestError, timeoutMs);
  if (error instanceof ApiPartialResponseError) return new ProviderError('retry', `${label}: the answer was cut off`, { timedOut: true });
  return new ProviderError('retry', `${label}: ${error instanceof Error ? error.name : 'unexpected error'}`, { timedOut: true });
}

/** Takes the stored pair when it differs from the one in hand; true when it did. */
async function adoptStoredTokens(account: ProviderAccount): Promise<boolean> {
  const latest = await account.storedTokens?.();
  if (!latest || latest.refreshToken === account.refreshToken) return false;
  account.accessToken = latest.accessToken;
  account.refreshToken = latest.refreshToken;
  return true;
}

const canRenew = (account: ProviderAccount) => !!(account.refreshToken && account.oauthClient && account.onTokensRefreshed);

/**
 * Renews an expired access token at POST /2/oauth2/token (grant_type=refresh_token). X rotates the refresh token with
 * it and each is good once, so the new pair is stored before anything else happens. A refused renewal is another
 * call's renewal when the stored pair has changed meanwhile (that pair is used); otherwise the person revoked the
 * app or the refresh token is spent or too old, and the account must be connected again.
 */
async function renewTokens(account: ProviderAccount, options: CallOptions | undefined): Promise<void> {
  // Another call may have renewed since this one read the tokens: its pair is then the one to use.
  if (await adoptStoredTokens(account)) return;
  const client = account.oauthClient!;
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: account.refreshToken! });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  else form.set('client_id', client.clientId);
  const answer = await requestJson(`${account.apiBase.replace(/\/+$/, '')}/2/oauth2/token`, { method: 'POST', headers, body: form }, options, 'X token renewal');
  const body = answer.body as { access_token?: unknown; refresh_token?: unknown; error?: unknown } | null;
  if (answer.status === 200 && typeof body?.access_token === 'string') {
    // X sends a new refresh token with each renewal; should one be missing, the old one is kept rather than lost.
    const renewed = { accessToken: body.access_token, refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : (account.refreshToken ?? null) };
    await account.onTokensRefreshed!(renewed);
    // The same account object serves the rest of this operation (paging, uploads): it carries the new pair on.
    account.accessToken = renewed.accessToken;
    account.refreshToken = renewed.refreshToken;
    return;
  }
  const code = typeof body?.error === 'string' ? body.error : `HTTP ${answer.status}`;
  if (answer.status === 429 || answer.status >= 500) throw new ProviderError('retry', `X token renewal: ${code} (${answer.status})`, { status: answer.status });
  // Another call (the inbox's polling beside the sender) may have renewed with the same refresh token a moment ago;
  // its pair may take a moment to be stored.
  for (const waitMs of [0, 250, 1000]) {
    if (waitMs) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (await adoptStoredTokens(account)) return;
  }
  throw new ProviderError('reauthorize', `X token renewal: ${code} (${answer.status})`, { status: answer.status });
}

async function call<T>(account: ProviderAccount, options: CallOptions | undefined, label: string, work: (x: XClient) => Promise<T>): Promise<T> {
  try {
    return await work(new XClient(account, options));
  } catch (error) {
    const sorted = xError(account, error, label, timeoutOf(options));
    // X access tokens last two hours: a 401 with a refresh token at hand renews it and tries once more. The 401 means
    // the request was refused, not carried out, so trying it again cannot make a post twice.
    if (sorted.kind !== 'reauthorize' || sorted.status !== 401 || !canRenew(account)) throw sorted;
  }
  await renewTokens(account, options);
  try {
    return await work(new XClient(account, options));
  } catch (error) {
    throw xError(account, error, label, timeoutOf(options));
  }
}

const handleOf = (account: ProviderAccount) => account.handle.replace(/^@/, '');
const tweetUrl = (username: string, id: string) => `https://x.com/${username}/status/${id}`;
/** X takes times to the second: YYYY-MM-DDTHH:mm:ssZ. */
const xTime = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

async function whoAmI(account: ProviderAccount, options?: CallOptions) {
  const me = await call(account, options, 'X token check', (x) => x.me({ 'user.fields': ['username', 'name'] }));
  return { externalId: me.data.id, handle: `@${me.data.username}`, name: me.data.name };
}

async function publish(account: ProviderAccount, post: OutgoingPost, options?: CallOptions): Promise<PublishedPost> {
  return call(account, options, 'X post', async (x) => {
    let media: { media_ids: [string] } | undefined;
    if (post.image) {
      if (!UPLOAD_TYPES.has(post.image.mimeType)) throw new ProviderError('bad_content', `X post: images of type ${post.image.mimeType} are not accepted`);
      const mediaId = await x.uploadMedia(post.image.bytes, { media_type: post.image.mimeType as EUploadMimeType, media_category: 'tweet_image' });
      if (post.image.alt) await x.createMediaMetadata(mediaId, { alt_text: { text: post.image.alt } });
      media = { media_ids: [mediaId] };
    }
    const created = await x.tweet({ text: post.text, ...(media ? { media } : {}) });
    return { externalId: created.data.id, url: tweetUrl(handleOf(account), created.data.id) };
  });
}

async function recentPosts(account: ProviderAccount, query: { since: Date }, options?: CallOptions): Promise<RecentPost[]> {
  const timeline = await call(account, options, 'X recent posts', (x) =>
    x.userTimeline(account.externalId, { start_time: xTime(query.since), max_results: 100, 'tweet.fields': ['created_at'] }),
  );
  return timeline.tweets
    .map((t) => ({ externalId: t.id, text: t.text, url: tweetUrl(handleOf(account), t.id), createdAt: new Date(t.created_at ?? 0) }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

function incomingItem(tweet: TweetV2, users: Map<string, UserV2>): IncomingItem {
  const author = tweet.author_id ? users.get(tweet.author_id) : undefined;
  const parent = tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null;
  return {
    externalId: tweet.id,
    parentExternalId: parent,
    // The conversation's first post; only meaningful when this one answers something.
    rootExternalId: parent ? (tweet.conversation_id ?? null) : null,
    authorName: author?.name ?? author?.username ?? 'X-bruger',
    authorHandle: author ? `@${author.username}` : null,
    text: tweet.text,
    createdAt: new Date(tweet.created_at ?? 0),
    url: tweetUrl(author?.username ?? 'i/web', tweet.id),
    hidden: false,
  };
}

async function incoming(account: ProviderAccount, cursor: string | null, options?: CallOptions): Promise<IncomingPage> {
  return call(account, options, 'X mentions', async (x) => {
    const timeline = await x.userMentionTimeline(account.externalId, {
      max_results: 100,
      ...(cursor ? { since_id: cursor } : {}),
      expansions: ['author_id'],
      'tweet.fields': ['created_at', 'conversation_id', 'referenced_tweets', 'author_id'],
      'user.fields': ['name', 'username'],
    });
    let newest: string | null = timeline.meta.newest_id ?? null;
    for (let page = 1; page < MENTION_PAGES && !timeline.done; page++) await timeline.fetchNext();
    const users = new Map((timeline.includes.users ?? []).map((u) => [u.id, u]));
    const items = timeline.tweets.filter((t) => t.author_id !== account.externalId).map((t) => incomingItem(t, users));
    // Ids are time-ordered; compared as numbers since they outgrow doubles.
    items.sort((a, b) => (BigInt(a.externalId) < BigInt(b.externalId) ? -1 : 1));
    if (newest === null) newest = items.at(-1)?.externalId ?? null;
    return { items, cursor: newest ?? cursor };
  });
}

async function setHidden(account: ProviderAccount, item: { externalId: string }, hidden: boolean, options?: CallOptions): Promise<void> {
  await call(account, options, hidden ? 'X hide reply' : 'X unhide reply', (x) => x.hideReply(item.externalId, hidden));
}

async function deleteItem(account: ProviderAccount, externalId: string, options?: CallOptions): Promise<void> {
  await call(account, options, 'X delete', (x) => x.deleteTweet(externalId));
}

async function reply(account: ProviderAccount, toExternalId: string, text: string, options?: CallOptions): Promise<PublishedPost> {
  const created = await call(account, options, 'X reply', (x) => x.reply(text, toExternalId));
  return { externalId: created.data.id, url: tweetUrl(handleOf(account), created.data.id) };
}

export const xProvider: SocialProvider = {
  network: 'x',
  limits: LIMITS,
  honoursIdempotencyKey: false,
  countText: xWeightedLength,
  whoAmI,
  publish,
  recentPosts,
  incoming,
  setHidden,
  deleteItem,
  reply,
};
