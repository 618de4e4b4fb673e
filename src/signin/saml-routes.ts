import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { safeNext, signInBrowser } from './browser-session.ts';
import { IdpSource } from './saml-idp-metadata.ts';
import { loadSpKeys } from './saml-keys.ts';
import {
  auditRefusedResponse,
  IdpUnavailableError,
  SAML_ACS_PATH,
  SAML_METADATA_PATH,
  SAML_START_PATH,
  SamlResponseError,
  SamlServiceProvider,
  signInWithSaml,
  type SamlFailure,
} from './saml.ts';

const FAILED = 'Login kunne ikke gennemføres. Gå tilbage til login-siden, og prøv igen.';
const MESSAGES: Record<SamlFailure, string> = {
  invalid_response: FAILED,
  unknown_request: 'Login-forsøget er udløbet eller blev startet et andet sted. Gå tilbage til login-siden, og prøv igen.',
  replayed: 'Svaret fra login-tjenesten er allerede brugt og kan ikke bruges igen. Gå tilbage til login-siden, og prøv igen.',
  provider_status: 'Login blev afbrudt eller afvist hos login-tjenesten. Prøv igen, eller log ind med e-mail og adgangskode.',
  no_persistent_id: 'Login-tjenesten sendte ikke et fast id for dig, så vi kan ikke finde din konto. Kontakt IT-supporten.',
};
const UNAVAILABLE = 'Login-tjenesten kan ikke nås lige nu. Prøv igen om lidt, eller log ind med e-mail og adgangskode.';

function unavailable(request: FastifyRequest, error: unknown): AppError {
  request.log.warn({ err: error }, 'SAML identity provider metadata unavailable');
  return new AppError(502, 'saml_unavailable', UNAVAILABLE);
}

/**
 * Sign-in at a SAML identity provider (KOMBIT's Context Handler, NemLog-in). Registered only when configured;
 * the provider, the keys and the metadata are read at start, so a mistake stops the start with the variable named.
 */
export async function samlRoutes(app: FastifyInstance): Promise<void> {
  const { config, db } = app.ctx;
  const settings = config.saml;
  if (!settings) return;
  const idp = new IdpSource(settings);
  await idp.prepare();
  const keys = await loadSpKeys(settings, config.dataDir);
  const sp = new SamlServiceProvider(db, settings, keys, idp, `${config.baseUrl}${SAML_ACS_PATH}`);
  const metadata = sp.metadata();
  const rateLimit = { max: 30, timeWindow: '1 minute' };

  app.get<{ Querystring: { next?: string } }>(SAML_START_PATH, { config: { rateLimit } }, async (request, reply) => {
    let url: string;
    try {
      // The RelayState is the request id, signed like a cookie; where to go afterwards stays in the database.
      url = await sp.start(safeNext(request.query.next), (id) => app.signCookie(id));
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw unavailable(request, error.cause);
      throw error;
    }
    reply.header('cache-control', 'no-store');
    return reply.redirect(url, 303);
  });

  // The identity provider's page posts this form from its own site, so there is no CSRF token: the signed
  // assertion, answering a request of ours that is spent at once, is what makes the post trustworthy.
  app.post<{ Body: { SAMLResponse?: unknown; RelayState?: unknown } }>(SAML_ACS_PATH, { config: { csrf: false, rateLimit } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { SAMLResponse, RelayState } = request.body ?? {};
    if (typeof SAMLResponse !== 'string' || !SAMLResponse) throw new AppError(400, 'saml_failed', FAILED);
    let relayRequestId: string | null = null;
    if (typeof RelayState === 'string' && RelayState) {
      const unsigned = app.unsignCookie(RelayState);
      if (!unsigned.valid || !unsigned.value) {
        const error = new SamlResponseError('invalid_response', 'the RelayState is not one Mediehus signed');
        await auditRefusedResponse(db, request.ip, error);
        throw new AppError(400, 'saml_failed', FAILED);
      }
      relayRequestId = unsigned.value;
    }

    let accepted;
    try {
      accepted = await sp.finish(SAMLResponse, relayRequestId);
    } catch (error) {
      if (error instanceof IdpUnavailableError) throw unavailable(request, error.cause);
      if (!(error instanceof SamlResponseError)) throw error;
      request.log.warn({ reason: error.reason, detail: error.message }, 'SAML response refused');
      await auditRefusedResponse(db, request.ip, error);
      throw new AppError(400, 'saml_failed', MESSAGES[error.reason]);
    }
    const person = await signInWithSaml(db, accepted.identity, request.ip, settings.allowedCvr);
    await signInBrowser(request, reply, person.id, 'saml');
    return reply.redirect(accepted.next || '/intranet', 303);
  });

  app.get(SAML_METADATA_PATH, async (_request, reply) => {
    return reply.type('application/samlmetadata+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(metadata);
  });
}
