import type { Network } from '../providers/types.ts';

// What every network's contract server offers the tests and the bench. Each server speaks its network's documented
// HTTP API (request and answer shapes, status codes, error bodies and rate-limit headers) and can be told to
// misbehave, so publishing and the inbox can be tested against every way the real network fails.

/**
 * One injected fault, taken by the next request that creates a post (or uploads media / replies) for the account.
 * `server_error`: 500 (or the network's 5xx body). `rate_limit`: 429 (Facebook: its rate-limit error code) with the
 * network's reset header `resetInMs` ahead; the account stays limited until then. `expired_token`: the network's
 * expired-token answer. `bad_content`: the network's answer for a post it refuses. `accept_then_hang`: the post is
 * created (it counts in createdPosts) but the answer is held back for `hangMs`, so the client times out.
 */
export type Fault =
  | { kind: 'server_error' }
  | { kind: 'rate_limit'; resetInMs: number }
  | { kind: 'expired_token' }
  | { kind: 'bad_content' }
  | { kind: 'accept_then_hang'; hangMs: number };

export interface ContractAccount {
  network: Network;
  externalId: string;
  handle: string;
  name: string;
  accessToken: string;
  refreshToken: string | null;
  /** The apiBase an adapter should be given for this account. */
  apiBase: string;
}

export interface CreatedPost {
  id: string;
  accountId: string;
  text: string;
  /** Facebook's link parameter; null elsewhere. */
  link: string | null;
  /** Alt texts of attached images, in order. */
  imageAlts: string[];
  idempotencyKey: string | null;
  createdAt: Date;
  /** Set when this was a reply to another post or comment. */
  inReplyTo: string | null;
}

export interface ContractServer {
  readonly network: Network;
  /** The apiBase for adapters (e.g. http://127.0.0.1:PORT/v23.0 for Facebook). */
  readonly url: string;
  createAccount(options?: { handle?: string; name?: string }): ContractAccount;
  /** Faults for the account's next post-creating requests, taken in order; without an account, for any account. */
  injectFaults(faults: Fault[], accountExternalId?: string): void;
  /**
   * A standing rate limit per account: at most `max` post-creating requests per `windowMs`; the next one gets the
   * network's 429 with its reset header. Null turns it off.
   */
  setRateLimit(limit: { max: number; windowMs: number } | null): void;
  /** Post-creating requests that arrived while their account was limited, after it had been told so (should be 0). */
  rateLimitViolations(): number;
  /** Every post the server created (including those whose answer was lost), optionally for one account. */
  createdPosts(accountExternalId?: string): CreatedPost[];
  /** Adds a comment, reply or mention from a citizen to one of the account's posts (or a mention when postId is null). */
  addIncoming(accountExternalId: string, item: { postId: string | null; authorName: string; authorHandle?: string; text: string; createdAt?: Date }): string;
  hiddenIds(): Set<string>;
  deletedIds(): Set<string>;
  /** Every request received: method, path (with query) and time. */
  readonly requests: { method: string; path: string; at: Date }[];
  close(): Promise<void>;
}
