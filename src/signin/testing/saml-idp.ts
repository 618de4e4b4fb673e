// A SAML 2.0 identity provider for tests, speaking the OIOSAML profile as KOMBIT's Context Handler and NemLog-in do:
// it publishes metadata, takes signed AuthnRequests by HTTP-Redirect (and checks their signature with the
// certificate from the service provider's metadata), and answers through the browser by HTTP-POST with a signed,
// optionally encrypted, assertion. Tests can also bend the answer (unsigned, wrong key, expired, wrong audience …).
import { createCipheriv, createPublicKey, publicEncrypt, randomBytes, randomUUID, constants as cryptoConstants, verify } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export interface KeyPair {
  privateKey: string;
  certificate: string;
}

/** A fresh RSA key and self-signed certificate; nothing of it is ever written to the repository. */
export async function makeKeyPair(commonName: string): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256' });
  return { privateKey: pems.private, certificate: pems.cert };
}

/** The pair as PEM files in a temporary folder, as an operator would give them to Mediehus. */
export function writeKeyFiles(pair: KeyPair): { keyFile: string; certFile: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-saml-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  fs.writeFileSync(keyFile, pair.privateKey, { mode: 0o600 });
  fs.writeFileSync(certFile, pair.certificate);
  return { keyFile, certFile, dir };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const base64Body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

export interface IdpUser {
  /** The persistent NameID. */
  nameId: string;
  /** Attribute name → value, e.g. OIOSAML 3's https://data.gov.dk/model/core/eid/email. */
  attributes: Record<string, string>;
  /** Shown on the provider's sign-in page. */
  label: string;
}

/** An AuthnRequest as the provider received and checked it. */
export interface ReceivedRequest {
  id: string;
  issuer: string;
  destination: string;
  acsUrl: string;
  protocolBinding: string;
  nameIdFormat: string | null;
  authnContext: string[];
  relayState: string | null;
  sigAlg: string;
  xml: string;
}

export interface ResponseOptions {
  /** Which signature the answer carries: on the assertion (OIOSAML's rule), none, or one made with a key Mediehus does not trust. */
  signing?: 'assertion' | 'none' | 'other-key';
  /** Encrypt the assertion for the service provider, as NemLog-in does. */
  encrypt?: boolean;
  audience?: string;
  issuer?: string;
  recipient?: string;
  /** Moves every time in the answer this far into the past. */
  ageMs?: number;
  /** A status other than Success, e.g. urn:oasis:names:tc:SAML:2.0:status:AuthnFailed; the answer then has no assertion. */
  status?: string;
  /** Changes the XML after it was signed. */
  tamper?: (xml: string) => string;
  /** Attributes to use instead of the user's. */
  attributes?: Record<string, string>;
}

export interface PostedAnswer {
  acsUrl: string;
  SAMLResponse: string;
  RelayState: string;
}

export interface TestIdp {
  entityId: string;
  metadataUrl: string;
  ssoUrl: string;
  certificate: string;
  users: Map<string, IdpUser>;
  /** Every AuthnRequest that reached the provider, newest last. */
  received: ReceivedRequest[];
  /** Reads the service provider's metadata: its entity id, ACS address and signing certificate. */
  trust(spMetadataXml: string): void;
  /** What GET /sso does with the redirect: checks the signature and the request, or throws. */
  receive(redirectUrl: string): ReceivedRequest;
  /** The form the provider's page posts back to the service provider, for the given user. */
  answer(request: Pick<ReceivedRequest, 'id' | 'relayState'>, login: string, options?: ResponseOptions): PostedAnswer;
  close(): Promise<void>;
}

interface TrustedSp {
  entityId: string;
  acsUrl: string;
  certificates: string[];
  encryptionCertificate: string | null;
}

function parseSpMetadata(xml: string): TrustedSp {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const entity = doc.getElementsByTagNameNS(NS.md, 'EntityDescriptor')[0];
  const sp = doc.getElementsByTagNameNS(NS.md, 'SPSSODescriptor')[0];
  if (!entity || !sp) throw new Error('not SP metadata');
  const acs = sp.getElementsByTagNameNS(NS.md, 'AssertionConsumerService')[0];
  const keys = Array.from(sp.getElementsByTagNameNS(NS.md, 'KeyDescriptor'));
  const certOf = (use: string) =>
    keys
      .filter((k) => !k.getAttribute('use') || k.getAttribute('use') === use)
      .map((k) => k.getElementsByTagNameNS(NS.ds, 'X509Certificate')[0]?.textContent ?? '')
      .filter(Boolean)
      .map((b) => `-----BEGIN CERTIFICATE-----\n${b.replace(/\s+/g, '').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
  return {
    entityId: entity.getAttribute('entityID') ?? '',
    acsUrl: acs?.getAttribute('Location') ?? '',
    certificates: certOf('signing'),
    encryptionCertificate: certOf('encryption')[0] ?? null,
  };
}

/** The bytes the HTTP-Redirect binding signs: the parameters exactly as they appear in the query string. */
function signedOctets(query: string): { octets: string; params: URLSearchParams } {
  const raw = new Map(query.split('&').map((part) => [part.split('=')[0]!, part] as const));
  const octets = ['SAMLRequest', 'RelayState', 'SigAlg']
    .map((name) => raw.get(name))
    .filter((p): p is string => Boolean(p))
    .join('&');
  return { octets, params: new URLSearchParams(query) };
}

function readBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head><body><main><h1>${escapeXml(title)}</h1>${body}</main></body></html>`;

export async function startSamlIdp(users: Record<string, IdpUser>): Promise<TestIdp> {
  const signing = await makeKeyPair('Test-IdP (OIOSAML)');
  const stranger = await makeKeyPair('Fremmed nøgle');
  let sp: TrustedSp | null = null;
  const pending = new Map<string, ReceivedRequest>();
  const received: ReceivedRequest[] = [];
  const userMap = new Map(Object.entries(users));

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Test-IdP afviste forespørgslen: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const entityId = `${base}/idp`;
  const ssoUrl = `${base}/sso`;

  const metadata = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${escapeXml(entityId)}">`,
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="${NS.samlp}">`,
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64Body(signing.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    `<md:NameIDFormat>${PERSISTENT}</md:NameIDFormat>`,
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(base)}/sso-post"/>`,
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(ssoUrl)}"/>`,
    `</md:IDPSSODescriptor>`,
    `</md:EntityDescriptor>`,
  ].join('\n');

  function receive(redirectUrl: string): ReceivedRequest {
    if (!sp) throw new Error('the service provider’s metadata has not been read');
    const url = new URL(redirectUrl);
    if (`${url.origin}${url.pathname}` !== ssoUrl) throw new Error(`sent to ${url.origin}${url.pathname}, not ${ssoUrl}`);
    const { octets, params } = signedOctets(url.search.slice(1));
    const samlRequest = params.get('SAMLRequest');
    const signature = params.get('Signature');
    const sigAlg = params.get('SigAlg');
    if (!samlRequest) throw new Error('no SAMLRequest');
    if (!signature || !sigAlg) throw new Error('the AuthnRequest is not signed');
    if (sigAlg !== RSA_SHA256) throw new Error(`unexpected SigAlg ${sigAlg}`);
    const valid = sp.certificates.some((cert) => verify('sha256', Buffer.from(octets), createPublicKey(cert), Buffer.from(signature, 'base64')));
    if (!valid) throw new Error('the AuthnRequest signature does not verify with the service provider’s certificate');

    const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const request = doc.documentElement;
    if (!request || request.localName !== 'AuthnRequest' || request.namespaceURI !== NS.samlp) throw new Error('not an AuthnRequest');
    const issuer = request.getElementsByTagNameNS(NS.saml, 'Issuer')[0]?.textContent ?? '';
    const policy = request.getElementsByTagNameNS(NS.samlp, 'NameIDPolicy')[0];
    const found: ReceivedRequest = {
      id: request.getAttribute('ID') ?? '',
      issuer,
      destination: request.getAttribute('Destination') ?? '',
      acsUrl: request.getAttribute('AssertionConsumerServiceURL') ?? '',
      protocolBinding: request.getAttribute('ProtocolBinding') ?? '',
      nameIdFormat: policy?.getAttribute('Format') ?? null,
      authnContext: Array.from(request.getElementsByTagNameNS(NS.saml, 'AuthnContextClassRef')).map((e) => e.textContent ?? ''),
      relayState: params.get('RelayState'),
      sigAlg,
      xml,
    };
    if (!found.id) throw new Error('the AuthnRequest has no ID');
    if (issuer !== sp.entityId) throw new Error(`unknown service provider ${issuer}`);
    if (found.acsUrl && found.acsUrl !== sp.acsUrl) throw new Error(`ACS ${found.acsUrl} is not the one in the metadata`);
    received.push(found);
    return found;
  }

  function sign(xml: string, key: KeyPair): string {
    const sig = new SignedXml({ privateKey: key.privateKey, publicCert: key.certificate, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
    sig.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    });
    // Schema order: the signature follows the assertion's Issuer.
    sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
    return sig.getSignedXml();
  }

  /** XML Encryption as NemLog-in uses it: AES-256-GCM for the assertion, RSA-OAEP for the key. */
  function encrypt(assertionXml: string, certificate: string): string {
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([iv, cipher.update(assertionXml, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const wrapped = publicEncrypt({ key: createPublicKey(certificate), padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key);
    return [
      `<saml:EncryptedAssertion xmlns:saml="${NS.saml}">`,
      `<xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element">`,
      `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes256-gcm"/>`,
      `<ds:KeyInfo xmlns:ds="${NS.ds}"><xenc:EncryptedKey>`,
      `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"><ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/></xenc:EncryptionMethod>`,
      `<xenc:CipherData><xenc:CipherValue>${wrapped.toString('base64')}</xenc:CipherValue></xenc:CipherData>`,
      `</xenc:EncryptedKey></ds:KeyInfo>`,
      `<xenc:CipherData><xenc:CipherValue>${data.toString('base64')}</xenc:CipherValue></xenc:CipherData>`,
      `</xenc:EncryptedData></saml:EncryptedAssertion>`,
    ].join('');
  }

  function answer(request: Pick<ReceivedRequest, 'id' | 'relayState'>, login: string, options: ResponseOptions = {}): PostedAnswer {
    if (!sp) throw new Error('the service provider’s metadata has not been read');
    const user = userMap.get(login);
    if (!user) throw new Error(`no test user ${login}`);
    const now = Date.now() - (options.ageMs ?? 0);
    const at = (ms: number) => new Date(now + ms).toISOString();
    const issuer = escapeXml(options.issuer ?? entityId);
    const responseStart = `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${at(0)}" Destination="${escapeXml(sp.acsUrl)}" InResponseTo="${escapeXml(request.id)}"><saml:Issuer>${issuer}</saml:Issuer>`;
    if (options.status && options.status !== SUCCESS) {
      const xml = `${responseStart}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="${escapeXml(options.status)}"/></samlp:StatusCode><samlp:StatusMessage>Brugeren afbrød login</samlp:StatusMessage></samlp:Status></samlp:Response>`;
      return { acsUrl: sp.acsUrl, SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: request.relayState ?? '' };
    }
    const attributes = Object.entries(options.attributes ?? user.attributes)
      .map(([name, value]) => `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`)
      .join('');
    const assertion = [
      `<saml:Assertion xmlns:saml="${NS.saml}" ID="_${randomUUID()}" Version="2.0" IssueInstant="${at(0)}">`,
      `<saml:Issuer>${issuer}</saml:Issuer>`,
      `<saml:Subject><saml:NameID Format="${PERSISTENT}">${escapeXml(user.nameId)}</saml:NameID>`,
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${escapeXml(request.id)}" NotOnOrAfter="${at(5 * 60_000)}" Recipient="${escapeXml(options.recipient ?? sp.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>`,
      `<saml:Conditions NotBefore="${at(-60_000)}" NotOnOrAfter="${at(5 * 60_000)}"><saml:AudienceRestriction><saml:Audience>${escapeXml(options.audience ?? sp.entityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`,
      `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="_${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>https://data.gov.dk/concept/core/nsis/loa/Substantial</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`,
      `</saml:Assertion>`,
    ].join('');
    const signing_ = options.signing ?? 'assertion';
    let signedAssertion = signing_ === 'none' ? assertion : sign(assertion, signing_ === 'other-key' ? stranger : signing);
    if (options.encrypt) {
      if (!sp.encryptionCertificate) throw new Error('the service provider has no encryption certificate');
      // Encrypt exactly the signed element, as it will be verified after decryption.
      const element = new DOMParser().parseFromString(signedAssertion, 'text/xml').documentElement!;
      signedAssertion = encrypt(new XMLSerializer().serializeToString(element), sp.encryptionCertificate);
    }
    let xml = `${responseStart}<samlp:Status><samlp:StatusCode Value="${SUCCESS}"/></samlp:Status>${signedAssertion}</samlp:Response>`;
    if (options.tamper) xml = options.tamper(xml);
    return { acsUrl: sp.acsUrl, SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: request.relayState ?? '' };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'GET' && url.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadata);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/sso') {
      const request = receive(`${base}${req.url}`);
      const key = randomUUID();
      pending.set(key, request);
      const buttons = [...userMap.entries()]
        .map(([login, user]) => `<p><button type="submit" name="user" value="${escapeXml(login)}">Log ind som ${escapeXml(user.label)}</button></p>`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Test-IdP: vælg bruger', `<form method="post" action="/sso/login"><input type="hidden" name="request" value="${key}">${buttons}</form>`));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/sso/login') {
      const form = await readBody(req);
      const request = pending.get(form.get('request') ?? '');
      if (!request) throw new Error('unknown sign-in');
      pending.delete(form.get('request') ?? '');
      const posted = answer(request, form.get('user') ?? '');
      // A real provider posts this form by script; here a person presses the button, so no script is needed.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        page(
          'Test-IdP: du er logget ind',
          `<form method="post" action="${escapeXml(posted.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${posted.SAMLResponse}"><input type="hidden" name="RelayState" value="${escapeXml(posted.RelayState)}"><button type="submit">Fortsæt til Mediehus</button></form>`,
        ),
      );
      return;
    }
    res.writeHead(404).end();
  }

  return {
    entityId,
    metadataUrl: `${base}/metadata`,
    ssoUrl,
    certificate: signing.certificate,
    users: userMap,
    received,
    trust: (xml) => {
      sp = parseSpMetadata(xml);
    },
    receive,
    answer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
