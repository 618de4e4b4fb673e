// One interface, one adapter per network. Adapters speak the network's documented HTTP API and sort every
// failure into one of three kinds the publisher acts on (see ProviderError).

export const NETWORKS = ['facebook', 'x', 'mastodon', 'bluesky'] as const;
export type Network = (typeof NETWORKS)[number];
export const NETWORK_LABELS: Record<Network, string> = { facebook: 'Facebook', x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky' };
export const isNetwork = (value: string): value is Network => (NETWORKS as readonly string[]).includes(value);

/** What a network accepts in one post; checked while composing and again before sending. */
export interface NetworkLimits {
  /** Characters as the network counts them (X counts every link as 23; Bluesky counts graphemes). */
  maxText: number;
  maxImages: number;
  maxImageBytes: number;
  imageTypes: string[];
  maxAltText: number;
}

/** An account as an adapter needs it: where to call, as whom, with which token (decrypted, never logged). */
export interface ProviderAccount {
  network: Network;
  /** Facebook page id, X user id, Mastodon account id, Bluesky DID. */
  externalId: string;
  /** @handle as shown to people. */
  handle: string;
  /**
   * Where the API lives: https://graph.facebook.com/v23.0, https://api.x.com, the Mastodon instance
   * (https://mastodon.social) or the Bluesky PDS (https://bsky.social). Tests point it at contract servers.
   */
  apiBase: string;
  /** The page/user access token; for Bluesky the session's access JWT. */
  accessToken: string;
  /** Bluesky's refresh JWT; X's OAuth 2.0 refresh token. */
  refreshToken?: string | null;
  /** Called when the adapter renewed the tokens (Bluesky's refreshSession, X's OAuth 2.0 refresh), so they can be stored. */
  onTokensRefreshed?: (tokens: { accessToken: string; refreshToken: string | null }) => Promise<void>;
  /** X: Mediehus' OAuth 2.0 client, with which an expired access token (they last two hours) is renewed. */
  oauthClient?: { clientId: string; clientSecret: string | null } | null;
  /** The tokens as stored now: another call may have renewed them meanwhile (X's refresh tokens are good once). */
  storedTokens?: () => Promise<{ accessToken: string; refreshToken: string | null } | null>;
}

export interface OutgoingImage {
  bytes: Buffer;
  mimeType: string;
  alt: string;
  fileName: string;
}

export interface OutgoingPost {
  /** The finished text, link included where the network has no separate link field. */
  text: string;
  /** The item on the website; Facebook sends it as `link`, the others have it in `text`. */
  link: string | null;
  image: OutgoingImage | null;
  /** Stable for one publication across all its attempts; Mastodon sends it as Idempotency-Key, Bluesky derives the record key from it. */
  idempotencyKey: string;
}

export interface PublishedPost {
  externalId: string;
  url: string | null;
}

/** One of the account's own recent posts, read before a retry to see whether an earlier attempt got through. */
export interface RecentPost {
  externalId: string;
  text: string;
  url: string | null;
  createdAt: Date;
}

/** A comment, reply or mention on one of the account's posts (read by the inbox). */
export interface IncomingItem {
  externalId: string;
  /** The post (or comment) it answers; null for a mention that answers nothing of ours. */
  parentExternalId: string | null;
  /** The account's own post the thread hangs under, when known. */
  rootExternalId: string | null;
  authorName: string;
  authorHandle: string | null;
  text: string;
  createdAt: Date;
  url: string | null;
  hidden: boolean;
}

export interface IncomingPage {
  items: IncomingItem[];
  /** Pass back as `cursor` next time (X since_id, Mastodon min_id, Facebook `since`, Bluesky notification cursor). */
  cursor: string | null;
}

export interface CallOptions {
  /** Abort the request after this long; the attempt then counts as timed out (retry later). */
  timeoutMs?: number;
}

export interface SocialProvider {
  readonly network: Network;
  readonly limits: NetworkLimits;
  /** Mastodon only: the network itself makes a repeated request with the same key a no-op. */
  readonly honoursIdempotencyKey: boolean;
  /** The text's length as the network counts it against `limits.maxText`. */
  countText(text: string): number;
  /** The account the token belongs to, to check a token when it is connected or pasted. */
  whoAmI(account: ProviderAccount, options?: CallOptions): Promise<{ externalId: string; handle: string; name: string }>;
  publish(account: ProviderAccount, post: OutgoingPost, options?: CallOptions): Promise<PublishedPost>;
  /**
   * The account's own posts created at or after `since`, newest first. Bluesky looks the record up by the key
   * derived from `idempotencyKey` when given, which answers exactly.
   */
  recentPosts(account: ProviderAccount, query: { since: Date; idempotencyKey?: string }, options?: CallOptions): Promise<RecentPost[]>;
  /** Comments, replies and mentions newer than the cursor, oldest first. */
  incoming(account: ProviderAccount, cursor: string | null, options?: CallOptions): Promise<IncomingPage>;
  /** Hide (true) or show again (false) a comment or reply. */
  setHidden(account: ProviderAccount, item: { externalId: string; rootExternalId: string | null }, hidden: boolean, options?: CallOptions): Promise<void>;
  deleteItem(account: ProviderAccount, externalId: string, options?: CallOptions): Promise<void>;
  reply(account: ProviderAccount, toExternalId: string, text: string, options?: CallOptions): Promise<PublishedPost>;
  /**
   * Blocks (true) or unblocks (false) an author as the account, where the network's API allows it (Mastodon,
   * Bluesky); Facebook and X have none. The author is known by handle as the inbox shows it (@user@instance,
   * @name.bsky.social). Both directions may be repeated. An author the network no longer knows is `bad_content` with
   * AUTHOR_GONE in the message.
   */
  blockAuthor?(account: ProviderAccount, author: { handle: string }, blocked: boolean, options?: CallOptions): Promise<void>;
}

/** In a ProviderError's message when the author to block is no longer on the network. */
export const AUTHOR_GONE = 'the author no longer exists';

/**
 * Every failure an adapter reports. `retry`: try again later (429 — `retryAt` from the network's reset header —,
 * 5xx, timeouts, network errors). `reauthorize`: the token is expired, revoked or lacks a permission; an editor must
 * connect the account again. `bad_content`: the network refused the post itself (too long, duplicate, bad image);
 * trying again cannot help. `timedOut` marks a request that may have reached the network.
 */
export type ProviderErrorKind = 'retry' | 'reauthorize' | 'bad_content';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status: number | null;
  /** When the network says it may be tried again (rate limits); null when it did not say. */
  readonly retryAt: Date | null;
  readonly timedOut: boolean;
  constructor(kind: ProviderErrorKind, message: string, options: { status?: number | null; retryAt?: Date | null; timedOut?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = options.status ?? null;
    this.retryAt = options.retryAt ?? null;
    this.timedOut = options.timedOut ?? false;
  }
}
