import * as client from 'openid-client';
import { findPersonRowByEmail, findPersonRowByExternalId, setExternalId } from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import { audit } from '../platform/audit/service.ts';
import { ConfigError, type OidcSettings } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';

export const OIDC_SCOPE = 'openid email profile';
export const OIDC_CALLBACK_PATH = '/login/oidc/callback';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http is tolerated only for a provider on this machine (development and tests); anything else must be https. */
function allowsInsecure(issuer: URL): boolean {
  return issuer.protocol === 'http:' && LOCAL_HOSTS.has(issuer.hostname);
}

/** Fails at start-up rather than at the first sign-in when the issuer can never work. */
export function checkIssuer(issuer: string): void {
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && !allowsInsecure(url)) {
    throw new ConfigError('MEDIEHUS_OIDC_ISSUER', `skal bruge https (http er kun tilladt for localhost), fik "${issuer}"`);
  }
}

/** What the browser must bring back to the callback; kept in a signed cookie between the two requests. */
export interface OidcChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** Lower-cased, or null when the provider gave none. */
  email: string | null;
  /** False only when the provider says outright that the address is not verified. */
  emailVerified: boolean;
}

/** One provider: discovers it on first use and keeps the result, so a provider that is down does not stop the app from starting. */
export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(
    private readonly settings: OidcSettings,
    readonly redirectUri: string,
  ) {}

  private discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      this.configuration = discover(this.settings).catch((error: unknown) => {
        // A failed discovery is retried at the next sign-in instead of being remembered.
        this.configuration = null;
        throw error;
      });
    }
    return this.configuration;
  }

  async start(): Promise<{ url: URL; checks: OidcChecks }> {
    const configuration = await this.discover();
    const checks: OidcChecks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: OIDC_SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url, checks };
  }

  /** Redeems the code from the callback's query string and returns who the provider says signed in. */
  async finish(search: string, checks: OidcChecks): Promise<OidcIdentity> {
    const configuration = await this.discover();
    // Built from the configured address rather than the request, so the redirect_uri sent to the token endpoint
    // matches the registered one also behind a proxy.
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = search;
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');

    let email: unknown = claims.email;
    let verified: unknown = claims.email_verified;
    // Many providers put e-mail only in the userinfo response unless asked for it in the ID token.
    if (typeof email !== 'string' && configuration.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      email = info.email;
      verified = info.email_verified;
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null,
      // Some providers send the flag as a string, and corporate directories often leave it out although they own the addresses.
      emailVerified: verified !== false && verified !== 'false',
    };
  }
}

async function discover(settings: OidcSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  const insecure = allowsInsecure(issuer);
  const options = insecure ? { execute: [client.allowInsecureRequests] } : undefined;
  // client_secret_basic is the OpenID Connect default; client_secret_post only for providers that offer nothing else.
  const found = await client.discovery(issuer, settings.clientId, settings.clientSecret, client.ClientSecretBasic(settings.clientSecret), options);
  const methods = found.serverMetadata().token_endpoint_auth_methods_supported;
  if (!methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) return found;
  const configuration = new client.Configuration(found.serverMetadata(), settings.clientId, settings.clientSecret, client.ClientSecretPost(settings.clientSecret));
  if (insecure) client.allowInsecureRequests(configuration);
  return configuration;
}

export const externalIdOf = (identity: OidcIdentity): string => `${identity.issuer}|${identity.subject}`;

async function refuse(db: Db, ip: string | null, identity: OidcIdentity, reason: string, person: PersonRow | undefined, message: string): Promise<never> {
  await db.transaction().execute((tx) =>
    audit(tx, {
      actorId: person?.id ?? null,
      actorLabel: person?.email ?? identity.email ?? externalIdOf(identity),
      ip,
      action: 'signin.oidc_refused',
      objectType: 'person',
      objectId: person?.id ?? null,
      details: { reason, externalId: externalIdOf(identity), email: identity.email },
    }),
  );
  throw new AppError(403, 'oidc_refused', message);
}

/**
 * Finds the Mediehus person for a provider identity: by the persistent id first, then by e-mail, and remembers the
 * persistent id so a later change of e-mail at the provider does not lock the person out.
 */
export async function signInWithOidc(db: Db, identity: OidcIdentity, ip: string | null): Promise<PersonRow> {
  const externalId = externalIdOf(identity);
  const byId = await findPersonRowByExternalId(db, externalId);
  const usableEmail = identity.emailVerified ? identity.email : null;
  const person = byId ?? (usableEmail ? await findPersonRowByEmail(db, usableEmail) : undefined);

  if (!person) {
    const message = identity.email
      ? `Du har ikke en konto i Mediehus med e-mailadressen ${identity.email}. Kontakt din leder eller IT-supporten, hvis du skal have adgang.`
      : 'Du har ikke en konto i Mediehus, og login-tjenesten oplyste ingen e-mailadresse, vi kan finde dig med. Kontakt din leder eller IT-supporten, hvis du skal have adgang.';
    return refuse(db, ip, identity, identity.email && !usableEmail ? 'email_not_verified' : 'unknown', undefined, message);
  }
  // Another identity at the same provider claiming this person's address is more likely a stray or forged e-mail
  // than the same person; a different issuer means the provider was replaced, and the person is simply re-linked.
  if (!byId && person.external_id?.startsWith(`${identity.issuer}|`)) {
    const message = `Kontoen med e-mailadressen ${person.email} er allerede knyttet til et andet login. Kontakt IT-supporten.`;
    return refuse(db, ip, identity, 'linked_to_other_identity', person, message);
  }
  if (person.active !== 1) {
    return refuse(db, ip, identity, 'inactive', person, 'Din konto i Mediehus er deaktiveret. Kontakt din leder eller IT-supporten.');
  }

  await db.transaction().execute(async (tx) => {
    if (!byId) await setExternalId(tx, person.id, externalId);
    await audit(tx, {
      actorId: person.id,
      actorLabel: person.email,
      ip,
      action: 'signin.oidc',
      objectType: 'person',
      objectId: person.id,
      details: { externalId, matchedBy: byId ? 'external_id' : 'email', ...(!byId && person.external_id ? { replacedExternalId: person.external_id } : {}) },
    });
  });
  return person;
}
