import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { AppError } from '../platform/errors.ts';
import { checkIssuer, OIDC_CALLBACK_PATH, OidcClient, signInWithOidc, type OidcChecks } from './oidc.ts';
import { safeNext, signInBrowser } from './browser-session.ts';

export const OIDC_COOKIE = 'mh_oidc';
const COOKIE_PATH = '/login/oidc';
const PENDING_MS = 10 * 60 * 1000;

interface Pending extends OidcChecks {
  next: string;
  /** When the sign-in started; the cookie's Max-Age alone is up to the browser to honour. */
  at: number;
}

const EXPIRED =
  'Login-forsøget er udløbet eller blev startet i et andet vindue. Gå tilbage til login-siden, og prøv igen.';
const FAILED = 'Login kunne ikke gennemføres. Gå tilbage til login-siden, og prøv igen.';
const UNAVAILABLE = 'Login-tjenesten kan ikke nås lige nu. Prøv igen om lidt, eller log ind med e-mail og adgangskode.';

function providerErrorMessage(error: string): string {
  if (error === 'access_denied') {
    return 'Login blev afbrudt eller afvist hos login-tjenesten. Prøv igen, eller log ind med e-mail og adgangskode.';
  }
  const code = /^[a-z_]{1,64}$/.test(error) ? ` (fejlkode: ${error})` : '';
  return `Login-tjenesten kunne ikke logge dig ind${code}. Prøv igen, eller log ind med e-mail og adgangskode.`;
}

function readPending(request: FastifyRequest): Pending | null {
  const raw = request.cookies[OIDC_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const p = JSON.parse(unsigned.value) as Partial<Pending>;
    const strings = [p.state, p.nonce, p.codeVerifier, p.next].every((v) => typeof v === 'string');
    if (!strings || typeof p.at !== 'number' || Date.now() - p.at > PENDING_MS) return null;
    return p as Pending;
  } catch {
    return null;
  }
}

/** Protocol errors say "try again"; anything else means the provider could not be reached. Details go to the log only. */
function toAppError(request: FastifyRequest, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const protocol =
    error instanceof client.ClientError ||
    error instanceof client.ResponseBodyError ||
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.WWWAuthenticateChallengeError;
  request.log.warn({ err: error }, protocol ? 'OIDC sign-in failed' : 'OIDC provider unreachable');
  return protocol ? new AppError(400, 'oidc_failed', FAILED) : new AppError(502, 'oidc_unavailable', UNAVAILABLE);
}

/** Sign-in at an OpenID Connect provider: a corporate sign-on, or MitID through a broker. Registered only when configured. */
export async function oidcRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.ctx;
  if (!config.oidc) return;
  checkIssuer(config.oidc.issuer);
  const oidc = new OidcClient(config.oidc, `${config.baseUrl}${OIDC_CALLBACK_PATH}`);
  const cookieOptions = {
    path: COOKIE_PATH,
    httpOnly: true,
    // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
    sameSite: 'lax',
    secure: config.baseUrl.startsWith('https:'),
    signed: true,
  } as const;
  const rateLimit = { max: 30, timeWindow: '1 minute' };

  app.get<{ Querystring: { next?: string } }>('/login/oidc', { config: { rateLimit } }, async (request, reply) => {
    let started: Awaited<ReturnType<OidcClient['start']>>;
    try {
      started = await oidc.start();
    } catch (error) {
      throw toAppError(request, error);
    }
    const pending: Pending = { ...started.checks, next: safeNext(request.query.next), at: Date.now() };
    reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { ...cookieOptions, maxAge: PENDING_MS / 1000 });
    reply.header('cache-control', 'no-store');
    return reply.redirect(started.url.href, 303);
  });

  app.get<{ Querystring: { error?: string; state?: string } }>(OIDC_CALLBACK_PATH, { config: { rateLimit } }, async (request, reply) => {
    const pending = readPending(request);
    // One attempt per cookie, whatever the outcome.
    reply.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH });
    reply.header('cache-control', 'no-store');
    const { error, state } = request.query;
    if (typeof error === 'string' && error) throw new AppError(400, 'oidc_failed', providerErrorMessage(error));
    if (!pending) throw new AppError(400, 'oidc_failed', EXPIRED);
    if (state !== pending.state) throw new AppError(400, 'oidc_failed', FAILED);

    const at = request.url.indexOf('?');
    let identity;
    try {
      identity = await oidc.finish(at >= 0 ? request.url.slice(at) : '', pending);
    } catch (e) {
      throw toAppError(request, e);
    }
    const person = await signInWithOidc(db, identity, request.ip);
    await signInBrowser(request, reply, person.id, 'oidc');
    return reply.redirect(pending.next || '/intranet', 303);
  });
}
