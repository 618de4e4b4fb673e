import type { OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from '../signin/sessions.ts';
import { onSiteGenerationBump, readSiteGeneration } from './generation.ts';

// Rendered public pages kept in memory, compressed once, answered without touching the database or a template.
// A page is valid for one site generation (see generation.ts) and at most ENTRY_TTL_MS, since some pages change
// with the clock alone (today's opening status, coming events).

/**
 * What a reader's browser and a CDN in front may do with a public page. Browsers ask again every time (max-age=0),
 * which the ETag makes a 304 from memory; a shared cache may answer for 5 s without asking (s-maxage), so a
 * publish reaches every reader within seconds even through a CDN; and it may bridge an outage or a restart with
 * the copy it has (stale-if-error). No stale-while-revalidate: browsers honour it too, and would show the page
 * from before a publish once more. Pages that set their own public Cache-Control keep it.
 */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-if-error=86400';

const POLL_MS = 250;
const ENTRY_TTL_MS = 60_000;
// Time for this process's own transaction to commit after it bumped the generation; until the new generation is
// read (or this passes, after a rollback) pages are rendered fresh and not kept.
const BUMP_COMMIT_MS = 2_000;
const COMMIT_POLL_MS = 20;
const MAX_ENTRIES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;
// Smaller bodies are sent as they are, as @fastify/compress does.
const COMPRESS_THRESHOLD = 1024;

// Signed-in and form-handling areas, health checks and files with their own caching.
const NEVER = /^\/(admin|intranet|login|logout|healthz|readyz|assets|media)(\/|\?|$)/;
const CACHEABLE_TYPE = /^(text\/(html|plain|calendar)|application\/(xml|rss\+xml|atom\+xml))\b/;
// Headers that belong to one response, not to the page.
const PER_RESPONSE = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'etag', 'vary', 'date', 'connection', 'keep-alive', 'set-cookie', 'x-request-id', 'x-cache']);

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

type Encoding = 'br' | 'gzip' | 'identity';
type Compressed = Exclude<Encoding, 'identity'>;

// A first copy is made at once at the speed @fastify/compress works at; a page asked for again is then compressed
// as small as it gets, off the event loop. Pages read once (a rare search) never pay for the slow kind.
const QUICK = {
  br: (body: Buffer) => zlib.brotliCompressSync(body, brotliOptions(5, body.length)),
  gzip: (body: Buffer) => zlib.gzipSync(body, { level: 6 }),
};
const BEST = {
  br: (body: Buffer) => brotli(body, brotliOptions(11, body.length)),
  gzip: (body: Buffer) => gzip(body, { level: 9 }),
};

function brotliOptions(quality: number, size: number): zlib.BrotliOptions {
  return { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
}

export interface CachedPage {
  key: string;
  etag: string;
  /** The page's own headers (type, Cache-Control, security headers), without the per-response ones. */
  headers: OutgoingHttpHeaders;
  bodies: { identity: Buffer } & Partial<Record<Compressed, Buffer>>;
  /** Everything sent with each body, ready for writeHead. */
  sent: Partial<Record<Encoding, OutgoingHttpHeaders>>;
  notModified: OutgoingHttpHeaders;
  storedAt: number;
  bytes: number;
  polishing: boolean;
}

const OVERHEAD_BYTES = 2048;

export function newPage(key: string, body: Buffer, etag: string, headers: OutgoingHttpHeaders, now = Date.now()): CachedPage {
  const page: CachedPage = {
    key,
    etag,
    headers,
    bodies: { identity: body },
    sent: {},
    notModified: { etag, vary: 'accept-encoding', 'cache-control': headers['cache-control'], 'x-cache': 'HIT' },
    storedAt: now,
    bytes: body.length + OVERHEAD_BYTES,
    polishing: false,
  };
  page.sent.identity = sentHeaders(page, 'identity', body);
  return page;
}

function sentHeaders(page: CachedPage, encoding: Encoding, body: Buffer): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...page.headers, etag: page.etag, vary: 'accept-encoding', 'x-cache': 'HIT', 'content-length': body.length };
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  return headers;
}

/** Pages by host and URL, least recently used first out when there are too many or they take too much memory. */
export class PageStore {
  private pages = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(private limits: { maxEntries: number; maxBytes: number; ttlMs: number } = { maxEntries: MAX_ENTRIES, maxBytes: MAX_BYTES, ttlMs: ENTRY_TTL_MS }) {}

  get(key: string, now = Date.now()): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    this.pages.delete(key);
    if (now - page.storedAt > this.limits.ttlMs) {
      this.bytes -= page.bytes;
      return undefined;
    }
    this.pages.set(key, page);
    return page;
  }

  set(page: CachedPage): void {
    const old = this.pages.get(page.key);
    if (old) {
      this.pages.delete(page.key);
      this.bytes -= old.bytes;
    }
    this.pages.set(page.key, page);
    this.bytes += page.bytes;
    this.evict();
  }

  /** A kept page got another body: count it, and make room. */
  grow(page: CachedPage, delta: number): void {
    page.bytes += delta;
    if (this.pages.get(page.key) !== page) return;
    this.bytes += delta;
    this.evict();
  }

  private evict(): void {
    for (const [key, page] of this.pages) {
      if (this.pages.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.pages.delete(key);
      this.bytes -= page.bytes;
    }
  }

  clear(): void {
    this.pages.clear();
    this.bytes = 0;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.pages.size, bytes: this.bytes };
  }
}

/** The body and headers of a kept page in the encoding asked for, compressing it now if nobody asked before. */
function variant(store: PageStore, page: CachedPage, wanted: Encoding): [OutgoingHttpHeaders, Buffer] {
  const encoding = page.bodies.identity.length < COMPRESS_THRESHOLD ? 'identity' : wanted;
  if (encoding === 'identity') return [page.sent.identity!, page.bodies.identity];
  let body = page.bodies[encoding];
  if (!body) {
    body = QUICK[encoding](page.bodies.identity);
    setBody(store, page, encoding, body);
  }
  if (!page.polishing) {
    page.polishing = true;
    // Should it fail, the quick copy stays; the next reader tries again.
    polish(store, page).catch(() => (page.polishing = false));
  }
  return [page.sent[encoding]!, body];
}

function setBody(store: PageStore, page: CachedPage, encoding: Compressed, body: Buffer): void {
  const before = page.bodies[encoding]?.length ?? 0;
  page.bodies[encoding] = body;
  page.sent[encoding] = sentHeaders(page, encoding, body);
  store.grow(page, body.length - before);
}

async function polish(store: PageStore, page: CachedPage): Promise<void> {
  const [br, gz] = await Promise.all([BEST.br(page.bodies.identity), BEST.gzip(page.bodies.identity)]);
  setBody(store, page, 'br', br);
  setBody(store, page, 'gzip', gz);
}

const encodingChoices = new Map<string, Encoding>();

/** The encoding a client takes, br before gzip, honouring q=0; remembered per header value, which repeat a lot. */
export function preferredEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let choice = encodingChoices.get(header);
  if (choice) return choice;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name!.trim(), q === undefined ? 1 : Number(q));
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  choice = takes('br') ? 'br' : takes('gzip') ? 'gzip' : 'identity';
  if (encodingChoices.size > 200) encodingChoices.clear();
  encodingChoices.set(header, choice);
  return choice;
}

function matchesEtag(header: string, etag: string): boolean {
  if (header === etag || header === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === bare);
}

interface Pending {
  key: string;
  epoch: number;
}

/** A reader's GET of a public page; anyone with a session cookie is a signed-in person and gets their own page. */
function pageKey(request: FastifyRequest): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  if (request.cookies[SESSION_COOKIE] !== undefined) return null;
  if (NEVER.test(request.url) || request.routeOptions.config?.pageCache === false) return null;
  return `${request.host}${request.url}`;
}

export interface PageCacheOptions {
  pollMs?: number;
  store?: PageStore;
}

/**
 * The public pages' cache: serves a kept page with its ETag (304 when the browser has it) in the encoding the
 * reader takes, and keeps each new 200 page a reader gets unless it set a cookie or said it is private.
 * Registered before the other hooks that work per request, so a kept page skips them all.
 */
export const pageCache = fp(
  async (app: FastifyInstance, opts: PageCacheOptions) => {
    const store = opts.store ?? new PageStore();
    const pollMs = opts.pollMs ?? POLL_MS;
    let generation: string | null = null;
    // Raised whenever the kept pages are dropped; a page rendered in an older epoch may be out of date and is not kept.
    let epoch = 0;
    let freshUntil = 0;
    let bumps = 0;

    const drop = () => {
      epoch++;
      store.clear();
    };
    const usable = () => generation !== null && Date.now() >= freshUntil;

    const stopListening = onSiteGenerationBump((changed) => {
      // Another database in this process (tests run several apps) is another site.
      if (changed.getExecutor().adapter !== app.ctx.db.getExecutor().adapter) return;
      bumps++;
      drop();
      freshUntil = Date.now() + BUMP_COMMIT_MS;
      void watchForCommit();
    });

    let polling = false;
    async function poll(): Promise<void> {
      if (polling) return;
      polling = true;
      const bumpsBefore = bumps;
      try {
        const now = await readSiteGeneration(app.ctx.db);
        if (now !== generation) {
          if (generation !== null) drop();
          generation = now;
          // A bump while the number was read may belong to a transaction that has not committed yet.
          if (bumps === bumpsBefore) freshUntil = 0;
        }
      } catch (error) {
        // Without the number, changes made elsewhere cannot be seen: keep nothing until it can be read again.
        if (generation !== null) app.log.warn({ err: error }, 'page cache: could not read the site generation');
        generation = null;
        drop();
      } finally {
        polling = false;
      }
    }

    // After this process's own change, look often until its commit shows, so pages are kept again within moments.
    let watching = false;
    async function watchForCommit(): Promise<void> {
      if (watching) return;
      watching = true;
      try {
        while (freshUntil !== 0 && Date.now() < freshUntil && !closed) {
          await new Promise((resolve) => setTimeout(resolve, COMMIT_POLL_MS).unref());
          await poll();
        }
      } finally {
        watching = false;
      }
    }

    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await poll();
      timer = setInterval(() => void poll(), pollMs);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      closed = true;
      clearInterval(timer);
      stopListening();
    });

    app.decorateRequest('pageCache', null);

    app.addHook('onRequest', (request, reply, done) => {
      const key = pageKey(request);
      if (key === null || !usable()) return done();
      const page = store.get(key);
      if (!page) {
        request.pageCache = { key, epoch };
        return done();
      }
      // Sent here and now: no route, no template, no database. Fastify's own "request completed" log line is skipped.
      reply.hijack();
      const res = reply.raw;
      res.setHeader('x-request-id', request.id);
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && matchesEtag(ifNoneMatch, page.etag)) {
        res.writeHead(304, page.notModified).end();
        return;
      }
      const [headers, body] = variant(store, page, preferredEncoding(request.headers['accept-encoding']));
      res.writeHead(200, headers);
      res.end(request.method === 'HEAD' ? undefined : body);
    });

    // After @fastify/etag and @fastify/cookie, before @fastify/compress (a route hook, so it runs after this one):
    // the page as rendered, with its ETag and any cookie it sets.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const pending = request.pageCache;
      if (!pending || reply.statusCode !== 200) return payload;
      const type = String(reply.getHeader('content-type') ?? '');
      const cacheControl = String(reply.getHeader('cache-control') ?? 'no-cache');
      if (!CACHEABLE_TYPE.test(type) || !(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload;
      // "no-cache" is what a page rendered for a reader says unless it chose otherwise.
      if (cacheControl === 'no-cache') reply.header('cache-control', PUBLIC_PAGE_CACHE_CONTROL);
      else if (!/\bpublic\b/.test(cacheControl) || /\b(private|no-store)\b/.test(cacheControl)) return payload;
      reply.header('x-cache', 'MISS');
      const etag = reply.getHeader('etag');
      if (request.method !== 'GET' || reply.hasHeader('set-cookie') || typeof etag !== 'string' || pending.epoch !== epoch || !usable()) return payload;
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) if (!PER_RESPONSE.has(name) && value !== undefined) headers[name] = value;
      store.set(newPage(pending.key, Buffer.isBuffer(payload) ? payload : Buffer.from(payload), etag, headers));
      return payload;
    });
  },
  { name: 'page-cache', dependencies: ['@fastify/cookie', '@fastify/etag'] },
);

declare module 'fastify' {
  interface FastifyRequest {
    pageCache: Pending | null;
  }
  interface FastifyContextConfig {
    /** false for a public page whose content differs per request (a form with a CSRF token sets a cookie and is skipped anyway). */
    pageCache?: boolean;
  }
}
