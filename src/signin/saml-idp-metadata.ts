import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConfigError, type SamlSettings } from '../platform/config.ts';

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const METADATA_VARIABLE = 'MEDIEHUS_SAML_IDP_METADATA';
/** Providers roll their certificates by publishing the next one in the metadata ahead of time; a day is soon enough. */
const REFRESH_MS = 24 * 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;
/** After a failed refresh, the next sign-in does not wait for the address again until this has passed. */
const RETRY_MS = 5 * 60 * 1000;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What Mediehus needs to know of the identity provider. */
export interface IdpDescription {
  entityId: string;
  /** Where the AuthnRequest is sent (SingleSignOnService with the HTTP-Redirect binding). */
  entryPoint: string;
  /** Certificates the provider signs with, PEM; more than one while it rolls over to a new key. */
  certificates: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['EntityDescriptor', 'IDPSSODescriptor', 'KeyDescriptor', 'SingleSignOnService', 'X509Certificate', 'X509Data'].includes(name),
});

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value && typeof value === 'object' ? [value as Node] : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : value && typeof value === 'object' ? String((value as Node)['#text'] ?? '') : '');

export function pemOf(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

function fail(message: string): never {
  throw new ConfigError(METADATA_VARIABLE, message);
}

/**
 * Reads entity id, sign-in address and signing certificates from SAML metadata: one EntityDescriptor, or
 * federation metadata (EntitiesDescriptor) where `entityId` picks the provider when there are several.
 */
export function parseIdpMetadata(xml: string, entityId: string | null = null): IdpDescription {
  if (XMLValidator.validate(xml) !== true) fail('metadata er ikke gyldig XML');
  const doc = parser.parse(xml) as Node;
  const top = [...nodes(doc.EntityDescriptor), ...nodes((doc.EntitiesDescriptor as Node | undefined)?.EntityDescriptor)];
  const providers = top.filter((e) => nodes(e.IDPSSODescriptor).length > 0 && (!entityId || e['@entityID'] === entityId));
  if (providers.length === 0) fail(entityId ? `metadata beskriver ingen identitetsudbyder med entity-id ${entityId}` : 'metadata beskriver ingen identitetsudbyder (IDPSSODescriptor)');
  if (providers.length > 1) fail('metadata beskriver flere identitetsudbydere; vælg én med MEDIEHUS_SAML_IDP_ENTITY_ID');
  const provider = providers[0]!;
  const id = String(provider['@entityID'] ?? '');
  if (!id) fail('identitetsudbyderen i metadata har intet entityID');

  const descriptor = nodes(provider.IDPSSODescriptor)[0]!;
  const entryPoint = nodes(descriptor.SingleSignOnService).find((s) => s['@Binding'] === REDIRECT_BINDING)?.['@Location'];
  if (typeof entryPoint !== 'string' || !URL.canParse(entryPoint)) fail('metadata har ingen SingleSignOnService med HTTP-Redirect-binding');

  const certificates = nodes(descriptor.KeyDescriptor)
    // A key without "use" serves both signing and encryption.
    .filter((k) => k['@use'] === undefined || k['@use'] === 'signing')
    .flatMap((k) => nodes((k.KeyInfo as Node | undefined)?.X509Data).flatMap((d) => (d.X509Certificate as unknown[] | undefined) ?? []))
    .map((c) => text(c).replace(/\s+/g, ''))
    .filter(Boolean)
    .map(pemOf);
  if (certificates.length === 0) fail('metadata har intet signeringscertifikat (KeyDescriptor use="signing")');
  return { entityId: id, entryPoint, certificates: [...new Set(certificates)] };
}

function isAddress(source: string): boolean {
  return /^https?:\/\//.test(source);
}

/** http only for a provider on this machine (development and tests), as for OpenID Connect. */
export function checkMetadataAddress(source: string): void {
  if (!isAddress(source)) return;
  const url = new URL(source);
  if (url.protocol !== 'https:' && !LOCAL_HOSTS.has(url.hostname)) fail(`skal hentes over https (http er kun tilladt for localhost), fik "${source}"`);
}

async function fetchMetadata(address: string): Promise<string> {
  const response = await fetch(address, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
  if (!response.ok) throw new Error(`metadata answered ${response.status}`);
  return response.text();
}

async function readCertificates(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return await readFile(file, 'utf8');
      } catch {
        throw new ConfigError('MEDIEHUS_SAML_IDP_CERT', `kan ikke læse filen ${file}`);
      }
    }),
  );
}

/**
 * The identity provider as configured. Metadata from a file, and a provider given outright, are read at start, so a
 * mistake stops the start; metadata from an address is fetched at the first sign-in and again once a day, so a
 * provider that is down does not stop Mediehus, and a failed fetch keeps the last good copy.
 */
export class IdpSource {
  private current: { description: IdpDescription; at: number } | null = null;
  private loading: Promise<IdpDescription> | null = null;

  constructor(private readonly settings: SamlSettings) {}

  /** Reads what can be read at start; an address is only checked, not fetched. */
  async prepare(): Promise<void> {
    const { idpMetadata, idp, idpEntityId } = this.settings;
    if (idp) {
      const certificates = await readCertificates(idp.certFiles);
      this.current = { description: { entityId: idp.entityId, entryPoint: idp.entryPoint, certificates }, at: Infinity };
    } else if (idpMetadata && !isAddress(idpMetadata)) {
      let xml: string;
      try {
        xml = await readFile(idpMetadata, 'utf8');
      } catch {
        fail(`kan ikke læse filen ${idpMetadata}`);
      }
      this.current = { description: parseIdpMetadata(xml, idpEntityId), at: Infinity };
    } else if (idpMetadata) {
      checkMetadataAddress(idpMetadata);
    }
  }

  async get(): Promise<IdpDescription> {
    const current = this.current;
    if (current && Date.now() - current.at < REFRESH_MS) return current.description;
    const address = this.settings.idpMetadata!;
    this.loading ??= fetchMetadata(address)
      .then((xml) => {
        const description = parseIdpMetadata(xml, this.settings.idpEntityId);
        this.current = { description, at: Date.now() };
        return description;
      })
      .finally(() => {
        this.loading = null;
      });
    try {
      return await this.loading;
    } catch (error) {
      // Yesterday's metadata is better than none while the provider's address is down.
      if (current) {
        this.current = { description: current.description, at: Date.now() - REFRESH_MS + RETRY_MS };
        return current.description;
      }
      throw error;
    }
  }
}
