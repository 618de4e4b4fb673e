import { randomBytes } from 'node:crypto';
import { generateServiceProviderMetadata, SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { findPersonRowByEmail, findPersonRowByExternalId, setExternalId } from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import { audit } from '../platform/audit/service.ts';
import type { SamlSettings } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { AppError } from '../platform/errors.ts';
import type { IdpDescription, IdpSource } from './saml-idp-metadata.ts';
import type { SpKeys } from './saml-keys.ts';
import { deleteExpiredSaml, findLiveSamlRequest, insertSamlRequest, rememberSamlAssertion, spendSamlRequest } from './saml-store.ts';

export const SAML_START_PATH = '/login/saml';
export const SAML_ACS_PATH = '/login/saml/acs';
export const SAML_METADATA_PATH = '/login/saml/metadata';
export const NAMEID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const NAMEID_TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** How long the person has at the identity provider before the request is no longer answered. */
export const SAML_REQUEST_TTL_MS = 10 * 60 * 1000;
/** Clocks at the provider and here may disagree this much. */
const CLOCK_SKEW_MS = 60 * 1000;
/** An assertion without its own expiry is remembered this long against replay. */
const ASSERTION_MEMORY_MS = 60 * 60 * 1000;

/** Who the identity provider says signed in, read from a validated assertion. */
export interface SamlIdentity {
  idpEntityId: string;
  /** The persistent id: the configured attribute (OIOSAML: professional/uuid/persistent), else the NameID. */
  subject: string;
  /** Lower-cased, or null when the provider sent none. */
  email: string | null;
  name: string | null;
  cvr: string | null;
}

/** Why a response was not taken, before any person is looked at. The routes turn it into a Danish page. */
export type SamlFailure = 'invalid_response' | 'unknown_request' | 'replayed' | 'provider_status' | 'no_persistent_id';

export class SamlResponseError extends Error {
  constructor(
    readonly reason: SamlFailure,
    detail: string,
  ) {
    super(detail);
    this.name = 'SamlResponseError';
  }
}

/** The identity provider's metadata could not be fetched; nothing is wrong with the person's attempt. */
export class IdpUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the identity provider metadata could not be read', { cause });
    this.name = 'IdpUnavailableError';
  }
}

export interface AcceptedResponse {
  identity: SamlIdentity;
  /** Where the person was going when sign-in started. */
  next: string;
}

type Attributes = Record<string, unknown>;

function firstValue(attributes: Attributes, names: readonly string[]): string | null {
  for (const name of names) {
    const raw = attributes[name];
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  }
  return null;
}

/** The attributes of a validated assertion, mapped by the configured names (OIOSAML 3 first, then OIOSAML 2). */
export function identityOf(profile: Profile, idpEntityId: string, names: SamlSettings['attributes']): SamlIdentity {
  const attributes = (profile.attributes ?? {}) as Attributes;
  // A transient NameID is new at every sign-in, so it can only serve when the persistent id comes as an attribute.
  const nameId = profile.nameID && profile.nameIDFormat !== NAMEID_TRANSIENT ? profile.nameID : null;
  const subject = firstValue(attributes, names.persistentId) ?? nameId;
  if (!subject) throw new SamlResponseError('no_persistent_id', 'the assertion has neither a persistent id attribute nor a persistent NameID');
  const email = firstValue(attributes, names.email);
  return {
    idpEntityId,
    subject,
    email: email ? email.toLowerCase() : null,
    name: firstValue(attributes, names.name),
    cvr: firstValue(attributes, names.cvr),
  };
}

export const samlExternalIdOf = (identity: Pick<SamlIdentity, 'idpEntityId' | 'subject'>): string => `saml|${identity.idpEntityId}|${identity.subject}`;

interface AssertionFacts {
  id: string;
  expiresAt: string;
  recipients: string[];
}

/** The few things node-saml does not check itself, read from the assertion it verified. */
function factsOf(profile: Profile): AssertionFacts {
  // node-saml hands over the signed assertion parsed by xml2js: elements are arrays, attributes sit under "$".
  type X = { $?: Record<string, string> } & Record<string, unknown>;
  const assertion = (profile.getAssertion?.() as { Assertion?: X } | undefined)?.Assertion;
  const id = assertion?.$?.ID;
  if (!id) throw new SamlResponseError('invalid_response', 'the assertion has no ID');
  const conditions = (assertion.Conditions as X[] | undefined)?.[0];
  const confirmations = ((assertion.Subject as X[] | undefined)?.[0]?.SubjectConfirmation as X[] | undefined) ?? [];
  const recipients = confirmations
    .map((c) => (c.SubjectConfirmationData as X[] | undefined)?.[0]?.$?.Recipient)
    .filter((r): r is string => typeof r === 'string');
  const notOnOrAfter = conditions?.$?.NotOnOrAfter;
  const expiry = notOnOrAfter && !Number.isNaN(Date.parse(notOnOrAfter)) ? Date.parse(notOnOrAfter) + CLOCK_SKEW_MS : Date.now() + ASSERTION_MEMORY_MS;
  return { id, expiresAt: new Date(expiry).toISOString(), recipients };
}

function failureOf(error: unknown): SamlResponseError {
  if (error instanceof SamlResponseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SamlStatusError) return new SamlResponseError('provider_status', message);
  if (/InResponseTo/.test(message)) return new SamlResponseError('unknown_request', message);
  return new SamlResponseError('invalid_response', message);
}

/**
 * Mediehus as a SAML service provider (OIOSAML profile): signed AuthnRequests by HTTP-Redirect, answers by
 * HTTP-POST with signed (and possibly encrypted) assertions, NameID persistent. node-saml does the XML security;
 * this class keeps the requests and assertions in the database, so any process can take the answer, once.
 */
export class SamlServiceProvider {
  /** node-saml asks here whether the request an answer names was sent; spending it is done by finish(), atomically. */
  private readonly requests: CacheProvider;

  constructor(
    private readonly db: Db,
    private readonly settings: SamlSettings,
    private readonly keys: SpKeys,
    private readonly idp: IdpSource,
    readonly acsUrl: string,
  ) {
    this.requests = {
      saveAsync: async (key, value) => ({ value, createdAt: Date.now() }),
      getAsync: async (key) => (await findLiveSamlRequest(this.db, key, new Date().toISOString()))?.created_at ?? null,
      removeAsync: async () => null,
    };
  }

  private async provider(): Promise<IdpDescription> {
    try {
      return await this.idp.get();
    } catch (error) {
      throw new IdpUnavailableError(error);
    }
  }

  private client(idp: IdpDescription, requestId?: string): SAML {
    const { authnContext } = this.settings;
    return new SAML({
      entryPoint: idp.entryPoint,
      idpCert: idp.certificates,
      idpIssuer: idp.entityId,
      issuer: this.settings.spEntityId,
      audience: this.settings.spEntityId,
      callbackUrl: this.acsUrl,
      privateKey: this.keys.privateKey,
      publicCert: this.keys.certificate,
      decryptionPvk: this.keys.privateKey,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: SHA256_DIGEST,
      identifierFormat: NAMEID_PERSISTENT,
      wantAssertionsSigned: true,
      // OIOSAML requires the assertion to be signed; a signature on the response around it is optional.
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
      cacheProvider: this.requests,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      disableRequestedAuthnContext: !authnContext,
      authnContext: authnContext ? [authnContext] : undefined,
      racComparison: 'minimum',
      ...(requestId ? { generateUniqueId: () => requestId } : {}),
    });
  }

  /** The service provider's metadata, for the identity provider's administrators. */
  metadata(): string {
    return generateServiceProviderMetadata({
      issuer: this.settings.spEntityId,
      callbackUrl: this.acsUrl,
      identifierFormat: NAMEID_PERSISTENT,
      wantAssertionsSigned: true,
      privateKey: this.keys.privateKey,
      publicCerts: this.keys.certificate,
      decryptionPvk: this.keys.privateKey,
      decryptionCert: this.keys.certificate,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: SHA256_DIGEST,
      signMetadata: true,
    });
  }

  /**
   * Remembers a new request and returns the address at the identity provider with the signed AuthnRequest.
   * `relayStateOf` makes the RelayState from the request id (the routes sign it).
   */
  async start(next: string, relayStateOf: (requestId: string) => string): Promise<string> {
    const idp = await this.provider();
    // An XML name (not starting with a digit) and short, so the signed RelayState stays within SAML's 80 bytes.
    const id = `_${randomBytes(16).toString('hex')}`;
    const now = new Date();
    await deleteExpiredSaml(this.db, now.toISOString());
    await insertSamlRequest(this.db, { id, next, created_at: now.toISOString(), expires_at: new Date(now.getTime() + SAML_REQUEST_TTL_MS).toISOString(), used_at: null });
    return this.client(idp, id).getAuthorizeUrlAsync(relayStateOf(id), undefined, {});
  }

  /**
   * Validates an answer posted to the ACS (signature, time, audience, issuer, recipient, InResponseTo), spends its
   * request and remembers its assertion, so neither can be used again, and reads who signed in.
   * `relayRequestId` is the request the RelayState named, when it came back valid.
   */
  async finish(samlResponse: string, relayRequestId: string | null): Promise<AcceptedResponse> {
    const idp = await this.provider();
    let profile: Profile | null;
    try {
      ({ profile } = await this.client(idp).validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (error) {
      throw failureOf(error);
    }
    if (!profile) throw new SamlResponseError('invalid_response', 'the response carries no assertion');
    if (profile.issuer !== idp.entityId) throw new SamlResponseError('invalid_response', `the assertion was issued by ${String(profile.issuer)}, not ${idp.entityId}`);
    const requestId = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null;
    if (!requestId) throw new SamlResponseError('unknown_request', 'the response answers no request');
    if (relayRequestId !== null && relayRequestId !== requestId) throw new SamlResponseError('invalid_response', 'RelayState names another request than InResponseTo');
    const facts = factsOf(profile);
    if (facts.recipients.length && !facts.recipients.includes(this.acsUrl)) {
      throw new SamlResponseError('invalid_response', `the assertion is meant for ${facts.recipients.join(', ')}`);
    }
    const identity = identityOf(profile, idp.entityId, this.settings.attributes);

    const now = new Date().toISOString();
    const request = await findLiveSamlRequest(this.db, requestId, now);
    if (!request) throw new SamlResponseError('unknown_request', `request ${requestId} has expired`);
    // Two posts of one answer may both get this far; the conditional update lets only one of them through.
    if (!(await spendSamlRequest(this.db, requestId, now))) throw new SamlResponseError('replayed', `request ${requestId} was already answered`);
    const fresh = await rememberSamlAssertion(this.db, { idp_entity_id: idp.entityId, assertion_id: facts.id, received_at: now, expires_at: facts.expiresAt });
    if (!fresh) throw new SamlResponseError('replayed', `assertion ${facts.id} was seen before`);
    return { identity, next: request.next };
  }
}

/** Writes the refusal of a response that never reached a person. Details are for support; nothing in them is secret. */
export async function auditRefusedResponse(db: Db, ip: string | null, error: SamlResponseError): Promise<void> {
  await db.transaction().execute((tx) =>
    audit(tx, {
      actorId: null,
      actorLabel: 'ukendt (SAML-svar)',
      ip,
      action: 'signin.saml_refused',
      objectType: 'person',
      objectId: null,
      details: { reason: error.reason, detail: error.message.slice(0, 300) },
    }),
  );
}

async function refuse(db: Db, ip: string | null, identity: SamlIdentity, reason: string, person: PersonRow | undefined, message: string): Promise<never> {
  await db.transaction().execute((tx) =>
    audit(tx, {
      actorId: person?.id ?? null,
      actorLabel: person?.email ?? identity.email ?? samlExternalIdOf(identity),
      ip,
      action: 'signin.saml_refused',
      objectType: 'person',
      objectId: person?.id ?? null,
      details: { reason, externalId: samlExternalIdOf(identity), email: identity.email, name: identity.name, cvr: identity.cvr },
    }),
  );
  throw new AppError(403, 'saml_refused', message);
}

/**
 * Finds the Mediehus person for a SAML identity: by the persistent id first, then by e-mail the first time, and
 * remembers the persistent id so a later change of e-mail at the provider does not lock the person out.
 */
export async function signInWithSaml(db: Db, identity: SamlIdentity, ip: string | null, allowedCvr: readonly string[]): Promise<PersonRow> {
  // NemLog-in vouches for employees of every Danish organisation; only the municipality's own may match by e-mail.
  if (allowedCvr.length && (!identity.cvr || !allowedCvr.includes(identity.cvr))) {
    const message = identity.cvr
      ? `Du er logget ind som medarbejder i en anden organisation (CVR ${identity.cvr}). Log ind med din medarbejderidentitet fra kommunen.`
      : 'Login-tjenesten oplyste ikke, hvilken organisation du er ansat i. Kontakt IT-supporten.';
    return refuse(db, ip, identity, 'other_organisation', undefined, message);
  }
  const externalId = samlExternalIdOf(identity);
  const byId = await findPersonRowByExternalId(db, externalId);
  const person = byId ?? (identity.email ? await findPersonRowByEmail(db, identity.email) : undefined);

  if (!person) {
    const who = identity.name ? `${identity.name}, du` : 'Du';
    const message = identity.email
      ? `${who} har ikke en konto i Mediehus med e-mailadressen ${identity.email}. Kontakt din leder eller IT-supporten, hvis du skal have adgang.`
      : `${who} har ikke en konto i Mediehus, og login-tjenesten oplyste ingen e-mailadresse, vi kan finde dig med. Kontakt din leder eller IT-supporten, hvis du skal have adgang.`;
    return refuse(db, ip, identity, 'unknown', undefined, message);
  }
  // Another identity at the same provider claiming this person's address is more likely a stray e-mail than the same
  // person; an id from another provider (or from OpenID Connect) means the sign-in was replaced, and she is re-linked.
  if (!byId && person.external_id?.startsWith(`saml|${identity.idpEntityId}|`)) {
    return refuse(db, ip, identity, 'linked_to_other_identity', person, `Kontoen med e-mailadressen ${person.email} er allerede knyttet til et andet login. Kontakt IT-supporten.`);
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
      action: 'signin.saml',
      objectType: 'person',
      objectId: person.id,
      details: {
        externalId,
        matchedBy: byId ? 'external_id' : 'email',
        ...(identity.cvr ? { cvr: identity.cvr } : {}),
        ...(!byId && person.external_id ? { replacedExternalId: person.external_id } : {}),
      },
    });
  });
  return person;
}
