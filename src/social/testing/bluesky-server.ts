import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ContractAccount, ContractServer, CreatedPost, Fault } from './contract.ts';

// A stand-in for a Bluesky PDS (with the AppView methods the PDS proxies) speaking XRPC as the lexicons define it
// (https://docs.bsky.app/docs/api/): sessions (getSession, refreshSession with rotating refresh JWTs),
// com.atproto.repo.{createRecord,putRecord,deleteRecord,getRecord,listRecords,uploadBlob},
// app.bsky.actor.getProfile, app.bsky.feed.getPosts and app.bsky.notification.listNotifications. Answers carry
// real CIDv1 strings (sha256; dag-cbor for records, raw for blobs), TID record keys and ISO datetimes, so a client
// validating responses against the lexicons accepts them. Errors use XRPC's `{"error", "message"}` body and the
// PDS's codes: 400 ExpiredToken / InvalidToken, 429 RateLimitExceeded with RateLimit-* headers whose reset is in
// epoch seconds (rounded up here, so the advertised time is never before the real one), 500 for a record key that
// already holds a record (the repository refuses to add a second value at a key). Written from the lexicons,
// independent of any client.
//
// Signing in with an app password: com.atproto.server.createSession takes { identifier (handle or DID), password }
// and answers a session whose access JWT has the app-password scope (com.atproto.appPass), or 401
// AuthenticationRequired "Invalid identifier or password". Only app passwords made with `appPassword` are accepted.
//
// Blocking: com.atproto.identity.resolveHandle answers a handle's DID (400 InvalidRequest "Unable to resolve handle"
// for one nobody has); a block is an app.bsky.graph.block record ({ subject: DID, createdAt }) made with createRecord
// (it takes injected faults, like posts) and removed with deleteRecord. `blockedAuthors` shows whom an account blocks.

const POST = 'app.bsky.feed.post';
const THREADGATE = 'app.bsky.feed.threadgate';
const BLOCK = 'app.bsky.graph.block';
const MAX_GRAPHEMES = 300;
const MAX_BYTES = 3000;
const MAX_IMAGE_BYTES = 1_000_000;
const BLOB_UPLOAD_LIMIT = 5_000_000;
const SESSION_SECRET = randomBytes(32);

interface Account {
  did: string;
  handle: string;
  displayName: string;
  /** One of the server's own accounts (has tokens), or a citizen writing replies. */
  local: boolean;
  accessTokens: Map<string, { expired: boolean }>;
  refreshToken: string | null;
  createdAt: Date;
}

interface StoredRecord {
  uri: string;
  did: string;
  collection: string;
  rkey: string;
  cid: string;
  value: Record<string, unknown>;
  indexedAt: Date;
}

interface Notification {
  recipient: string;
  uri: string;
  reason: 'reply' | 'mention';
  reasonSubject: string | null;
  indexedAt: Date;
  /** Arrival order, for notifications indexed in the same millisecond. */
  seq: number;
}

interface LimitState {
  windowStart: number;
  count: number;
  limitedUntil: number;
  advertisedUntil: number;
}

class XrpcAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const xrpcError = (status: number, error: string, message: string, headers: Record<string, string> = {}) => new XrpcAnswer(status, { error, message }, headers);

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** CIDv1, sha2-256, base32 multibase. Records are hashed over their JSON here, not their DAG-CBOR encoding. */
const cidOf = (codec: 0x71 | 0x55, bytes: Buffer) => `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), createHash('sha256').update(bytes).digest()]))}`;

const SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
let lastMicros = 0;
const clockId = BigInt(Math.floor(Math.random() * 1024));
/** A TID from the clock: microseconds since the epoch and a clock id, in base32-sortable. */
function nextTid(): string {
  lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
  let n = (BigInt(lastMicros) << 10n) | clockId;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = SORTABLE[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

const graphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;
const isDatetime = (v: unknown) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v));
const isRecordObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jwt(payload: Record<string, unknown>, typ: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ typ, alg: 'HS256' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', SESSION_SECRET).update(unsigned).digest('base64url')}`;
}

const randomDid = () => `did:plc:${base32(randomBytes(15)).slice(0, 24)}`;
const atUri = (did: string, collection: string, rkey: string) => `at://${did}/${collection}/${rkey}`;
function parseAtUri(uri: string): { did: string; collection: string; rkey: string } | null {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
  return m ? { did: m[1]!, collection: m[2]!, rkey: m[3]! } : null;
}

/** The contract server with app passwords for its accounts. */
export interface BlueskyContractServer extends ContractServer {
  /** Makes an app password for the account, as Settings → App passwords does (xxxx-xxxx-xxxx-xxxx). */
  appPassword(accountExternalId: string, name?: string): string;
  /** Whom the account blocks (its app.bsky.graph.block records' subjects), as @handle, oldest block first. */
  blockedAuthors(accountExternalId: string): string[];
}

/** Scopes an access JWT may carry: a full session's and an app password session's. */
const ACCESS_SCOPES = new Set(['com.atproto.access', 'com.atproto.appPass', 'com.atproto.appPassPrivileged']);

export async function startBlueskyContractServer(): Promise<BlueskyContractServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const accounts = new Map<string, Account>();
  const records = new Map<string, StoredRecord>();
  const blobs = new Map<string, { did: string; mimeType: string; size: number }>();
  const notifications: Notification[] = [];
  const created: CreatedPost[] = [];
  const deleted = new Set<string>();
  const faults = new Map<string, Fault[]>();
  const anyAccountFaults: Fault[] = [];
  const limits = new Map<string, LimitState>();
  let standingLimit: { max: number; windowMs: number } | null = null;
  let violations = 0;
  let base = '';
  const requests: ContractServer['requests'] = [];

  const accountFor = (actor: string) => accounts.get(actor) ?? [...accounts.values()].find((a) => a.handle === actor);

  /** App passwords per account DID: name → password. */
  const appPasswords = new Map<string, Map<string, string>>();

  const issueTokens = (account: Account, scope = 'com.atproto.access') => {
    const now = Math.floor(Date.now() / 1000);
    const accessJwt = jwt({ scope, sub: account.did, aud: 'did:web:pds.contract', iat: now, exp: now + 7200, jti: randomBytes(8).toString('hex') }, 'at+jwt');
    const refreshJwt = jwt({ scope: 'com.atproto.refresh', sub: account.did, aud: 'did:web:pds.contract', iat: now, exp: now + 90 * 86400, jti: randomBytes(16).toString('hex') }, 'refresh+jwt');
    account.accessTokens.set(accessJwt, { expired: false });
    account.refreshToken = refreshJwt;
    return { accessJwt, refreshJwt };
  };

  const didDoc = (a: Account) => ({
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: a.did,
    alsoKnownAs: [`at://${a.handle}`],
    verificationMethod: [{ id: `${a.did}#atproto`, type: 'Multikey', controller: a.did, publicKeyMultibase: 'zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF' }],
    service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: base }],
  });

  const sessionJson = (a: Account) => ({ handle: a.handle, did: a.did, didDoc: didDoc(a), email: `${a.handle.split('.')[0]}@kommune.example`, emailConfirmed: true, emailAuthFactor: false, active: true });

  const profileBasic = (a: Account) => ({ did: a.did, handle: a.handle, displayName: a.displayName, viewer: { muted: false, blockedBy: false }, labels: [], createdAt: a.createdAt.toISOString() });
  const profile = (a: Account) => ({ ...profileBasic(a), description: '', indexedAt: a.createdAt.toISOString() });
  const profileDetailed = (a: Account) => {
    const posts = [...records.values()].filter((r) => r.did === a.did && r.collection === POST).length;
    return { ...profile(a), followersCount: 0, followsCount: 0, postsCount: posts };
  };

  const limitState = (did: string) => {
    let state = limits.get(did);
    if (!state) limits.set(did, (state = { windowStart: 0, count: 0, limitedUntil: 0, advertisedUntil: 0 }));
    return state;
  };

  // Epoch seconds, rounded up: a client that waits until the advertised second is never early.
  const epochSecondsUp = (ms: number) => Math.ceil(ms / 1000);

  const rateLimitHeaders = (resetAtMs: number, remaining: number) => ({
    'ratelimit-limit': String(standingLimit?.max ?? 5000),
    'ratelimit-remaining': String(Math.max(0, remaining)),
    'ratelimit-reset': String(epochSecondsUp(resetAtMs)),
    'ratelimit-policy': `${standingLimit?.max ?? 5000};w=${Math.ceil((standingLimit?.windowMs ?? 3_600_000) / 1000)}`,
  });

  const tooManyRequests = (state: LimitState) => {
    // The account stays limited until the second the header names.
    state.limitedUntil = epochSecondsUp(state.limitedUntil) * 1000;
    state.advertisedUntil = state.limitedUntil;
    return xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', rateLimitHeaders(state.limitedUntil, 0));
  };

  /** What a post-creating request passes before its handler: a standing 429, injected faults, the standing limit. */
  function gate(account: Account, token: string, kind: 'record' | 'blob' | 'block'): XrpcAnswer | { hangMs: number | null; headers: Record<string, string> } {
    const now = Date.now();
    const state = limitState(account.did);
    if (now < state.advertisedUntil) violations++;
    if (now < state.limitedUntil) return tooManyRequests(state);
    const fault = faults.get(account.did)?.shift() ?? anyAccountFaults.shift();
    if (fault?.kind === 'server_error') return xrpcError(500, 'InternalServerError', 'Internal Server Error');
    if (fault?.kind === 'rate_limit') {
      state.limitedUntil = now + fault.resetInMs;
      return tooManyRequests(state);
    }
    if (fault?.kind === 'expired_token') {
      account.accessTokens.set(token, { expired: true });
      return xrpcError(400, 'ExpiredToken', 'Token has expired');
    }
    if (fault?.kind === 'bad_content') {
      if (kind === 'block') return xrpcError(400, 'InvalidRequest', `Invalid ${BLOCK} record: Record/subject must be a valid did`);
      return kind === 'blob'
        ? xrpcError(413, 'PayloadTooLarge', 'request entity too large')
        : xrpcError(400, 'InvalidRequest', `Invalid ${POST} record: Record/text must not be longer than ${MAX_GRAPHEMES} graphemes`);
    }
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

  /** The lexicon checks the PDS makes on a post before writing it. */
  function invalidPost(did: string, value: Record<string, unknown>): string | null {
    const prefix = `Invalid ${POST} record:`;
    if (typeof value.text !== 'string') return `${prefix} Record must have the property "text"`;
    if (graphemes(value.text) > MAX_GRAPHEMES) return `${prefix} Record/text must not be longer than ${MAX_GRAPHEMES} graphemes`;
    if (Buffer.byteLength(value.text) > MAX_BYTES) return `${prefix} Record/text must not be longer than ${MAX_BYTES} characters`;
    if (!isDatetime(value.createdAt)) return `${prefix} Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)`;
    if (value.langs !== undefined && (!Array.isArray(value.langs) || value.langs.length > 3)) return `${prefix} Record/langs must not have more than 3 elements`;
    if (value.reply !== undefined) {
      const reply = value.reply as Record<string, unknown>;
      for (const key of ['root', 'parent']) {
        const ref = reply?.[key] as Record<string, unknown> | undefined;
        if (!ref || typeof ref.uri !== 'string' || typeof ref.cid !== 'string') return `${prefix} Record/reply/${key} must be a strongRef`;
      }
    }
    if (value.facets !== undefined) {
      if (!Array.isArray(value.facets)) return `${prefix} Record/facets must be an array`;
      for (const [i, facet] of value.facets.entries()) {
        const index = (facet as Record<string, unknown>)?.index as Record<string, unknown> | undefined;
        if (!Number.isInteger(index?.byteStart) || !Number.isInteger(index?.byteEnd)) return `${prefix} Record/facets/${i}/index must have byteStart and byteEnd`;
      }
    }
    if (value.embed !== undefined) {
      const embed = value.embed as Record<string, unknown>;
      if (embed?.$type !== 'app.bsky.embed.images') return `${prefix} Record/embed $type must be one of the embed types`;
      const images = embed.images;
      if (!Array.isArray(images) || images.length === 0 || images.length > 4) return `${prefix} Record/embed/images must have between 1 and 4 elements`;
      for (const [i, image] of images.entries()) {
        const img = image as Record<string, unknown>;
        const blob = img?.image as Record<string, unknown> | undefined;
        const link = (blob?.ref as Record<string, unknown> | undefined)?.$link;
        if (typeof img?.alt !== 'string') return `${prefix} Record/embed/images/${i} must have the property "alt"`;
        if (blob?.$type !== 'blob' || typeof link !== 'string') return `${prefix} Record/embed/images/${i}/image should be a blob ref`;
        const stored = blobs.get(link);
        if (!stored || stored.did !== did) return `Could not find blob: ${link}`;
        if (!stored.mimeType.startsWith('image/')) return `${prefix} Record/embed/images/${i}/image mime type (${stored.mimeType}) does not match accepted types: image/*`;
        if (stored.size > MAX_IMAGE_BYTES) return `${prefix} Record/embed/images/${i}/image file too large (${stored.size} bytes). Maximum is ${MAX_IMAGE_BYTES} bytes.`;
      }
    }
    return null;
  }

  function invalidThreadgate(did: string, rkey: string, value: Record<string, unknown>): string | null {
    const prefix = `Invalid ${THREADGATE} record:`;
    const post = typeof value.post === 'string' ? parseAtUri(value.post) : null;
    if (!post || post.collection !== POST) return `${prefix} Record/post must be a valid at-uri`;
    if (post.did !== did || post.rkey !== rkey) return `${prefix} the threadgate must have the same record key as its post, in the same repository`;
    if (!isDatetime(value.createdAt)) return `${prefix} Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)`;
    const hidden = value.hiddenReplies;
    if (hidden !== undefined && (!Array.isArray(hidden) || hidden.length > 300 || hidden.some((h) => typeof h !== 'string' || !parseAtUri(h)))) {
      return `${prefix} Record/hiddenReplies must be at most 300 at-uris`;
    }
    return null;
  }

  function invalidBlock(value: Record<string, unknown>): string | null {
    const prefix = `Invalid ${BLOCK} record:`;
    if (typeof value.subject !== 'string' || !/^did:[a-z]+:[a-zA-Z0-9._:%-]+$/.test(value.subject)) return `${prefix} Record/subject must be a valid did`;
    if (!isDatetime(value.createdAt)) return `${prefix} Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)`;
    return null;
  }

  function storeRecord(did: string, collection: string, rkey: string, value: Record<string, unknown>): StoredRecord {
    const stored: StoredRecord = { uri: atUri(did, collection, rkey), did, collection, rkey, cid: cidOf(0x71, Buffer.from(JSON.stringify(value))), value, indexedAt: new Date() };
    records.set(stored.uri, stored);
    deleted.delete(stored.uri);
    return stored;
  }

  const writeAnswer = (stored: StoredRecord) =>
    new XrpcAnswer(200, { uri: stored.uri, cid: stored.cid, commit: { cid: cidOf(0x71, Buffer.from(`commit:${stored.uri}:${stored.cid}`)), rev: nextTid() }, validationStatus: 'valid' });

  function createRecord(account: Account, input: Record<string, unknown>): XrpcAnswer {
    const { collection, rkey, record } = input;
    if (typeof collection !== 'string' || !isRecordObject(record)) return xrpcError(400, 'InvalidRequest', 'Input must have the properties "repo", "collection" and "record"');
    if (record.$type !== collection) return xrpcError(400, 'InvalidRequest', `Invalid $type: must be lex:${collection}, got ${String(record.$type)}`);
    if (rkey !== undefined && (typeof rkey !== 'string' || (collection === POST && !TID_PATTERN.test(rkey)))) return xrpcError(400, 'InvalidRequest', `Invalid record key: ${String(rkey)}`);
    const key = (rkey as string | undefined) ?? nextTid();
    const problem = collection === POST ? invalidPost(account.did, record) : collection === THREADGATE ? invalidThreadgate(account.did, key, record) : collection === BLOCK ? invalidBlock(record) : null;
    if (problem) return xrpcError(400, 'InvalidRequest', problem);
    if (records.has(atUri(account.did, collection, key))) return xrpcError(500, 'InternalServerError', 'Internal Server Error');
    const stored = storeRecord(account.did, collection, key, record);
    if (collection === POST) {
      const embed = record.embed as { images?: { alt: string }[] } | undefined;
      const reply = record.reply as { parent: { uri: string } } | undefined;
      created.push({
        id: stored.uri,
        accountId: account.did,
        text: record.text as string,
        link: null,
        imageAlts: embed?.images?.map((i) => i.alt) ?? [],
        idempotencyKey: null,
        createdAt: stored.indexedAt,
        inReplyTo: reply?.parent.uri ?? null,
      });
    }
    return writeAnswer(stored);
  }

  function putRecord(account: Account, input: Record<string, unknown>): XrpcAnswer {
    const { collection, rkey, record, swapRecord } = input;
    if (typeof collection !== 'string' || typeof rkey !== 'string' || !isRecordObject(record)) return xrpcError(400, 'InvalidRequest', 'Input must have the properties "repo", "collection", "rkey" and "record"');
    if (record.$type !== collection) return xrpcError(400, 'InvalidRequest', `Invalid $type: must be lex:${collection}, got ${String(record.$type)}`);
    const current = records.get(atUri(account.did, collection, rkey));
    if (typeof swapRecord === 'string' && current?.cid !== swapRecord) return xrpcError(400, 'InvalidSwap', `Record was at ${current?.cid ?? 'null'}`);
    const problem = collection === POST ? invalidPost(account.did, record) : collection === THREADGATE ? invalidThreadgate(account.did, rkey, record) : null;
    if (problem) return xrpcError(400, 'InvalidRequest', problem);
    return writeAnswer(storeRecord(account.did, collection, rkey, record));
  }

  function deleteRecord(account: Account, input: Record<string, unknown>): XrpcAnswer {
    const { collection, rkey, swapRecord } = input;
    if (typeof collection !== 'string' || typeof rkey !== 'string') return xrpcError(400, 'InvalidRequest', 'Input must have the properties "repo", "collection" and "rkey"');
    const uri = atUri(account.did, collection, rkey);
    const current = records.get(uri);
    if (typeof swapRecord === 'string' && current?.cid !== swapRecord) return xrpcError(400, 'InvalidSwap', `Record was at ${current?.cid ?? 'null'}`);
    if (current) {
      records.delete(uri);
      deleted.add(uri);
    }
    return new XrpcAnswer(200, { commit: { cid: cidOf(0x71, Buffer.from(`delete:${uri}`)), rev: nextTid() } });
  }

  function uploadBlob(account: Account, req: http.IncomingMessage, body: Buffer): XrpcAnswer {
    if (body.length > BLOB_UPLOAD_LIMIT) return xrpcError(413, 'PayloadTooLarge', 'request entity too large');
    const mimeType = (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
    const cid = cidOf(0x55, body);
    blobs.set(cid, { did: account.did, mimeType, size: body.length });
    return new XrpcAnswer(200, { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: body.length } });
  }

  const postView = (r: StoredRecord) => ({
    uri: r.uri,
    cid: r.cid,
    author: profileBasic(accounts.get(r.did)!),
    record: r.value,
    replyCount: [...records.values()].filter((o) => (o.value.reply as { parent?: { uri?: string } } | undefined)?.parent?.uri === r.uri).length,
    repostCount: 0,
    likeCount: 0,
    quoteCount: 0,
    indexedAt: r.indexedAt.toISOString(),
    viewer: {},
    labels: [],
  });

  const notificationJson = (n: Notification) => {
    const r = records.get(n.uri)!;
    return {
      uri: r.uri,
      cid: r.cid,
      author: profile(accounts.get(r.did)!),
      reason: n.reason,
      ...(n.reasonSubject ? { reasonSubject: n.reasonSubject } : {}),
      record: r.value,
      isRead: false,
      indexedAt: n.indexedAt.toISOString(),
      labels: [],
    };
  };

  function listNotifications(account: Account, query: URLSearchParams): XrpcAnswer {
    const reasons = query.getAll('reasons');
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 100);
    const cursor = query.get('cursor');
    // Newest first; the cursor points back in time, at the last notification of the previous page.
    const order = (n: Notification) => `${String(n.indexedAt.getTime()).padStart(15, '0')}::${String(n.seq).padStart(9, '0')}`;
    let list = notifications
      .filter((n) => n.recipient === account.did && records.has(n.uri) && (reasons.length === 0 || reasons.includes(n.reason)))
      .sort((a, b) => (order(a) < order(b) ? 1 : -1));
    if (cursor) list = list.filter((n) => order(n) < cursor);
    const pageItems = list.slice(0, limit);
    const last = pageItems.at(-1);
    return new XrpcAnswer(200, { notifications: pageItems.map(notificationJson), ...(last && list.length > limit ? { cursor: order(last) } : {}), priority: false });
  }

  function listRecords(query: URLSearchParams): XrpcAnswer {
    const owner = accountFor(query.get('repo') ?? '');
    const collection = query.get('collection') ?? '';
    if (!owner) return xrpcError(400, 'InvalidRequest', `Could not find repo: ${query.get('repo')}`);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 50) || 50, 1), 100);
    const reverse = query.get('reverse') === 'true';
    const cursor = query.get('cursor');
    let list = [...records.values()].filter((r) => r.did === owner.did && r.collection === collection).sort((a, b) => (a.rkey < b.rkey ? 1 : -1));
    if (reverse) list.reverse();
    if (cursor) list = list.filter((r) => (reverse ? r.rkey > cursor : r.rkey < cursor));
    const pageItems = list.slice(0, limit);
    return new XrpcAnswer(200, {
      records: pageItems.map((r) => ({ uri: r.uri, cid: r.cid, value: r.value })),
      ...(pageItems.length === limit && list.length > limit ? { cursor: pageItems.at(-1)!.rkey } : {}),
    });
  }

  function authenticate(req: http.IncomingMessage, scope: 'access' | 'refresh'): { account: Account; token: string } | XrpcAnswer {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return xrpcError(401, 'AuthMissing', 'Authentication Required');
    const payload = (() => {
      try {
        return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scope?: string; sub?: string };
      } catch {
        return null;
      }
    })();
    const account = payload?.sub ? accounts.get(payload.sub) : undefined;
    if (!account || !payload) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    const fits = scope === 'access' ? ACCESS_SCOPES.has(payload.scope ?? '') : payload.scope === 'com.atproto.refresh';
    if (!fits) return xrpcError(400, 'InvalidToken', 'Bad token scope');
    if (scope === 'refresh') {
      return account.refreshToken === token ? { account, token } : xrpcError(400, 'ExpiredToken', 'Token has been revoked');
    }
    const state = account.accessTokens.get(token);
    if (!state) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
    if (state.expired) return xrpcError(400, 'ExpiredToken', 'Token has expired');
    return { account, token };
  }

  function createSession(req: http.IncomingMessage, body: Buffer): XrpcAnswer {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return xrpcError(400, 'InvalidRequest', 'Wrong request encoding (Content-Type): expected application/json');
    const input: unknown = JSON.parse(body.toString('utf8'));
    if (!isRecordObject(input)) return xrpcError(400, 'InvalidRequest', 'Input must be an object');
    if (typeof input.identifier !== 'string') return xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier"');
    if (typeof input.password !== 'string') return xrpcError(400, 'InvalidRequest', 'Input must have the property "password"');
    const account = accountFor(input.identifier.trim().replace(/^@/, '').toLowerCase());
    const known = account ? [...(appPasswords.get(account.did)?.values() ?? [])] : [];
    if (!account || !account.local || !known.includes(input.password)) return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
    const tokens = issueTokens(account, 'com.atproto.appPass');
    // An app password's session does not see the account's e-mail address.
    return new XrpcAnswer(200, { ...tokens, handle: account.handle, did: account.did, didDoc: didDoc(account), active: true });
  }

  function route(req: http.IncomingMessage, body: Buffer): XrpcAnswer | { hold: number; answer: XrpcAnswer } {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const nsid = /^\/xrpc\/([a-zA-Z0-9.-]+)$/.exec(url.pathname)?.[1];
    if (!nsid) return xrpcError(404, 'NotFound', 'Not Found');
    const query = url.searchParams;

    if (nsid === 'com.atproto.server.createSession' && method === 'POST') return createSession(req, body);

    if (nsid === 'com.atproto.server.refreshSession' && method === 'POST') {
      const auth = authenticate(req, 'refresh');
      if (auth instanceof XrpcAnswer) return auth;
      const tokens = issueTokens(auth.account);
      return new XrpcAnswer(200, { ...tokens, ...sessionJson(auth.account) });
    }

    const auth = authenticate(req, 'access');
    if (auth instanceof XrpcAnswer) return auth;
    const { account, token } = auth;
    let input: Record<string, unknown> = {};
    if (method === 'POST' && nsid !== 'com.atproto.repo.uploadBlob') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return xrpcError(400, 'InvalidRequest', 'Wrong request encoding (Content-Type): expected application/json');
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!isRecordObject(parsed)) return xrpcError(400, 'InvalidRequest', 'Input must be an object');
      input = parsed;
      if ('repo' in input && accountFor(String(input.repo))?.did !== account.did) return xrpcError(401, 'AuthRequired', 'Authentication Required');
    }

    switch (`${method} ${nsid}`) {
      case 'GET com.atproto.server.getSession':
        return new XrpcAnswer(200, sessionJson(account));
      case 'GET app.bsky.actor.getProfile': {
        const actor = accountFor(query.get('actor') ?? '');
        return actor ? new XrpcAnswer(200, profileDetailed(actor)) : xrpcError(400, 'InvalidRequest', 'Profile not found');
      }
      case 'POST com.atproto.repo.createRecord':
      case 'POST com.atproto.repo.uploadBlob': {
        const isBlob = nsid === 'com.atproto.repo.uploadBlob';
        const creatingPost = isBlob || input.collection === POST || input.collection === BLOCK;
        const passed = creatingPost ? gate(account, token, isBlob ? 'blob' : input.collection === BLOCK ? 'block' : 'record') : { hangMs: null, headers: {} };
        if (passed instanceof XrpcAnswer) return passed;
        const answer = isBlob ? uploadBlob(account, req, body) : createRecord(account, input);
        const withHeaders = new XrpcAnswer(answer.status, answer.body, { ...passed.headers, ...answer.headers });
        return passed.hangMs !== null ? { hold: passed.hangMs, answer: withHeaders } : withHeaders;
      }
      case 'GET com.atproto.identity.resolveHandle': {
        const handle = query.get('handle');
        if (!handle) return xrpcError(400, 'InvalidRequest', 'Error: Params must have the property "handle"');
        const found = accountFor(handle.toLowerCase());
        return found ? new XrpcAnswer(200, { did: found.did }) : xrpcError(400, 'InvalidRequest', 'Unable to resolve handle');
      }
      case 'POST com.atproto.repo.putRecord':
        return putRecord(account, input);
      case 'POST com.atproto.repo.deleteRecord':
        return deleteRecord(account, input);
      case 'GET com.atproto.repo.getRecord': {
        const owner = accountFor(query.get('repo') ?? '');
        const uri = atUri(owner?.did ?? query.get('repo') ?? '', query.get('collection') ?? '', query.get('rkey') ?? '');
        const stored = records.get(uri);
        if (!stored || (query.get('cid') && query.get('cid') !== stored.cid)) return xrpcError(400, 'RecordNotFound', `Could not locate record: ${uri}`);
        return new XrpcAnswer(200, { uri: stored.uri, cid: stored.cid, value: stored.value });
      }
      case 'GET com.atproto.repo.listRecords':
        return listRecords(query);
      case 'GET app.bsky.feed.getPosts': {
        const uris = query.getAll('uris');
        if (uris.length > 25) return xrpcError(400, 'InvalidRequest', 'uris must not have more than 25 elements');
        return new XrpcAnswer(200, { posts: uris.flatMap((u) => (records.has(u) ? [postView(records.get(u)!)] : [])) });
      }
      case 'GET app.bsky.notification.listNotifications':
        return listNotifications(account, query);
      default:
        return xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented');
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', at: new Date() });
      const send = (answer: XrpcAnswer) => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      };
      let result: ReturnType<typeof route>;
      try {
        result = route(req, Buffer.concat(chunks));
      } catch {
        result = xrpcError(400, 'InvalidRequest', 'Invalid request body');
      }
      if (result instanceof XrpcAnswer) return send(result);
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
  let accountNumber = 0;
  let citizenNumber = 0;

  const makeAccount = (handle: string, displayName: string, local: boolean): Account => {
    const account: Account = { did: randomDid(), handle, displayName, local, accessTokens: new Map(), refreshToken: null, createdAt: new Date() };
    accounts.set(account.did, account);
    return account;
  };
  const asHandle = (raw: string) => {
    const h = raw.replace(/^@/, '').toLowerCase();
    return h.includes('.') ? h : `${h}.bsky.social`;
  };

  return {
    network: 'bluesky',
    url: base,
    requests,
    appPassword(accountExternalId, name = 'Mediehus') {
      const account = accounts.get(accountExternalId);
      if (!account?.local) throw new Error(`unknown account ${accountExternalId}`);
      const chars = base32(randomBytes(10));
      const password = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4)).join('-');
      const own = appPasswords.get(account.did) ?? new Map<string, string>();
      own.set(name, password);
      appPasswords.set(account.did, own);
      return password;
    },
    createAccount(options = {}): ContractAccount {
      accountNumber++;
      const handle = asHandle(options.handle ?? `kommune${accountNumber}`);
      const name = options.name ?? `Kommune ${accountNumber}`;
      const account = makeAccount(handle, name, true);
      const tokens = issueTokens(account);
      return { network: 'bluesky', externalId: account.did, handle: `@${handle}`, name, accessToken: tokens.accessJwt, refreshToken: tokens.refreshJwt, apiBase: base };
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
      const parent = item.postId ? records.get(item.postId) : null;
      if (item.postId && !parent) throw new Error(`unknown post ${item.postId}`);
      citizenNumber++;
      const handle = asHandle(item.authorHandle ?? `borger${citizenNumber}`);
      const author = [...accounts.values()].find((a) => a.handle === handle) ?? makeAccount(handle, item.authorName, false);
      const createdAt = item.createdAt ?? new Date();
      let value: Record<string, unknown>;
      if (parent) {
        const parentRef = { uri: parent.uri, cid: parent.cid };
        const root = (parent.value.reply as { root?: { uri: string; cid: string } } | undefined)?.root ?? parentRef;
        value = { $type: POST, text: item.text, createdAt: createdAt.toISOString(), langs: ['da'], reply: { root, parent: parentRef } };
      } else {
        const mention = `@${recipient.handle}`;
        const text = `${mention} ${item.text}`;
        const facets = [{ index: { byteStart: 0, byteEnd: Buffer.byteLength(mention) }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: recipient.did }] }];
        value = { $type: POST, text, facets, createdAt: createdAt.toISOString(), langs: ['da'] };
      }
      const stored = storeRecord(author.did, POST, nextTid(), value);
      stored.indexedAt = new Date(Math.max(createdAt.getTime(), Date.now()));
      notifications.push({ recipient: recipient.did, uri: stored.uri, reason: parent ? 'reply' : 'mention', reasonSubject: parent?.uri ?? null, indexedAt: stored.indexedAt, seq: notifications.length });
      return stored.uri;
    },
    hiddenIds() {
      const hidden = new Set<string>();
      for (const r of records.values()) {
        if (r.collection === THREADGATE) for (const uri of (r.value.hiddenReplies as string[] | undefined) ?? []) hidden.add(uri);
      }
      return hidden;
    },
    deletedIds: () => new Set(deleted),
    blockedAuthors(accountExternalId) {
      return [...records.values()]
        .filter((r) => r.did === accountExternalId && r.collection === BLOCK)
        .sort((a, b) => a.indexedAt.getTime() - b.indexedAt.getTime() || (a.rkey < b.rkey ? -1 : 1))
        .map((r) => accounts.get(String(r.value.subject)))
        .flatMap((a) => (a ? [`@${a.handle}`] : []));
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
