import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { LightMyRequestResponse } from 'fastify';
import type { Browser as Chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { Browser, createTestApp, DEMO, type TestApp } from '../../test/support/app.ts';
import { expectAccessible, launchChromium } from '../../test/support/browser.ts';
import { dialects } from '../../test/support/databases.ts';
import { loadConfig, SAML_DEFAULT_LABEL } from '../platform/config.ts';
import { IdpSource, parseIdpMetadata } from './saml-idp-metadata.ts';
import { loadSpKeys } from './saml-keys.ts';
import { signInWithSaml, type SamlIdentity } from './saml.ts';
import { makeKeyPair, startSamlIdp, writeKeyFiles, type IdpUser, type ResponseOptions, type TestIdp } from './testing/saml-idp.ts';

const A = {
  email: 'https://data.gov.dk/model/core/eid/email',
  name: 'https://data.gov.dk/model/core/eid/fullName',
  uuid: 'https://data.gov.dk/model/core/eid/professional/uuid/persistent',
  cvr: 'https://data.gov.dk/model/core/eid/professional/cvr',
  spec: 'https://data.gov.dk/model/core/specVersion',
};
const TOENDER_CVR = '29189781';

/** Employees as KOMBIT's Context Handler describes them in OIOSAML 3. */
function employee(label: string, email: string, uuid: string): IdpUser {
  return {
    label,
    nameId: `https://data.gov.dk/model/core/eid/professional/uuid/${uuid}`,
    attributes: { [A.spec]: 'OIO-SAML-3.0', [A.uuid]: `urn:uuid:${uuid}`, [A.email]: email, [A.name]: label, [A.cvr]: TOENDER_CVR },
  };
}

const USERS = {
  peter: employee('Peter Hansen', 'Leder@Demo.Mediehus.dk', '3f6b4f0e-1d7c-4c55-9c35-000000000001'),
  jonas: employee('Jonas Holm', DEMO.web, '3f6b4f0e-1d7c-4c55-9c35-000000000002'),
  ukendt: employee('Ukendt Medarbejder', 'ukendt@toender.dk', '3f6b4f0e-1d7c-4c55-9c35-000000000003'),
  anne: employee('Anne Jensen', DEMO.employee, '3f6b4f0e-1d7c-4c55-9c35-000000000004'),
  rasmus: employee('Rasmus Berg', DEMO.app, '3f6b4f0e-1d7c-4c55-9c35-000000000005'),
  karen: employee('Karen Lund', DEMO.school, '3f6b4f0e-1d7c-4c55-9c35-000000000006'),
  sofie: employee('Sofie Nielsen', DEMO.social, '3f6b4f0e-1d7c-4c55-9c35-000000000007'),
  hans: employee('Hans Christensen', DEMO.politician, '3f6b4f0e-1d7c-4c55-9c35-000000000008'),
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const expectDanishErrorPage = (res: LightMyRequestResponse, status: number, text: string) => {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('text/html');
  expect(res.body).toContain(text);
  expect(res.body).not.toMatch(/Error|\bat .+:\d+:\d+/);
  expect(res.cookies.map((c) => c.name)).not.toContain('mh_session');
};

describe.each(dialects)('signing in with SAML (%s)', (dialect) => {
  let idp: TestIdp;
  let t: TestApp;
  let chromium: Chromium;
  let appUrl: string;
  let spCertificate: string;
  let spFiles: { keyFile: string; certFile: string };
  const tempDirs: string[] = [];

  beforeAll(async () => {
    idp = await startSamlIdp(USERS);
    const sp = await makeKeyPair('Mediehus (test)');
    spCertificate = sp.certificate;
    const files = writeKeyFiles(sp);
    spFiles = files;
    tempDirs.push(files.dir);
    appUrl = `http://127.0.0.1:${await freePort()}`;
    t = await createTestApp(dialect, {
      MEDIEHUS_BASE_URL: appUrl,
      MEDIEHUS_SAML_IDP_METADATA: idp.metadataUrl,
      MEDIEHUS_SAML_SP_KEY: files.keyFile,
      MEDIEHUS_SAML_SP_CERT: files.certFile,
    });
    // As the provider's administrators do: they load Mediehus' metadata, and with it its certificate.
    idp.trust((await t.app.inject({ method: 'GET', url: '/login/saml/metadata' })).body);
    await t.app.listen({ port: Number(new URL(appUrl).port), host: '127.0.0.1' });
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await t?.close();
    await idp?.close();
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const externalIdOf = async (email: string) =>
    (await t.db.selectFrom('people').select('external_id').where('email', '=', email).executeTakeFirstOrThrow()).external_id;

  const lastAudit = async (action: string) => {
    const row = await t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
  };
  const auditCount = async (action: string) => (await t.db.selectFrom('audit_log').select('seq').where('action', '=', action).execute()).length;

  const samlIdOf = (login: keyof typeof USERS) => `saml|${idp.entityId}|${USERS[login].attributes[A.uuid]}`;

  /** A browser that asks Mediehus to sign in and follows the redirect to the provider, which checks the request. */
  async function startSignIn(next = '/intranet') {
    const browser = new Browser(t.app);
    const res = await browser.get(`/login/saml?next=${encodeURIComponent(next)}`);
    expect(res.statusCode).toBe(303);
    return { browser, request: idp.receive(String(res.headers.location)), start: res };
  }

  /** The provider's page posting its answer to Mediehus, as the browser does. */
  async function signInAs(login: keyof typeof USERS, options: ResponseOptions = {}, next = '/intranet') {
    const { browser, request } = await startSignIn(next);
    const answer = idp.answer(request, login, options);
    const res = await browser.post('/login/saml/acs', { SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState }, { csrf: null });
    return { browser, res, answer, request };
  }

  it('a manager on his way to the intranet signs in at the identity provider and lands on the intranet front page', async () => {
    const context = await chromium.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${appUrl}/intranet`);
      expect(page.url()).toBe(`${appUrl}/login?next=%2Fintranet`);
      await expectAccessible(page, 'login-med-saml');
      await page.getByRole('link', { name: SAML_DEFAULT_LABEL }).click();
      await page.waitForURL((url) => url.href.startsWith(idp.ssoUrl));
      await page.getByRole('button', { name: 'Log ind som Peter Hansen' }).click();
      const acs = page.waitForResponse((response) => response.url() === `${appUrl}/login/saml/acs`);
      await page.getByRole('button', { name: 'Fortsæt til Mediehus' }).click();
      expect((await acs).status()).toBe(303);
      await page.waitForURL(`${appUrl}/intranet`);
      expect(await page.locator('h1').textContent()).toContain('Goddag, Peter Hansen');
      expect((await context.cookies(appUrl)).map((c) => c.name)).toContain('mh_session');
    } finally {
      await context.close();
    }
    expect(await externalIdOf(DEMO.manager)).toBe(samlIdOf('peter'));
    const entry = await lastAudit('signin.saml');
    expect(entry.actor_label).toBe(DEMO.manager);
    expect(entry.details).toMatchObject({ matchedBy: 'email', externalId: samlIdOf('peter'), cvr: TOENDER_CVR });
    const session = await t.db.selectFrom('sessions').select('method').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(session.method).toBe('saml');
  });

  it('the AuthnRequest is signed with RSA-SHA256, asks for a persistent NameID at NSIS level Substantial and carries only a signed reference', async () => {
    const { request } = await startSignIn('/intranet/nyheder');
    // idp.receive has already checked the redirect signature with the certificate from Mediehus' metadata.
    expect(request.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(request).toMatchObject({
      issuer: `${appUrl}/login/saml/metadata`,
      destination: idp.ssoUrl,
      acsUrl: `${appUrl}/login/saml/acs`,
      protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      authnContext: ['https://data.gov.dk/concept/core/nsis/loa/Substantial'],
    });
    expect(request.relayState).not.toContain('nyheder');
    expect(Buffer.byteLength(request.relayState!)).toBeLessThanOrEqual(80);
    const stored = await t.db.selectFrom('saml_requests').selectAll().where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ next: '/intranet/nyheder', used_at: null });
    expect(Date.parse(stored.expires_at) - Date.parse(stored.created_at)).toBe(10 * 60 * 1000);
  });

  it('after sign-in the person is sent to the page she asked for, never to another site', async () => {
    const { res } = await signInAs('karen', {}, '/intranet/nyheder');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/intranet/nyheder');

    const offsite = await signInAs('karen', {}, '//evil.example/');
    expect(offsite.res.headers.location).toBe('/intranet');
  });

  it('a first sign-in finds the person by e-mail, and later ones by the persistent id, also after the e-mail changed at the provider', async () => {
    const first = await signInAs('jonas');
    expect(first.res.statusCode).toBe(303);
    expect(await externalIdOf(DEMO.web)).toBe(samlIdOf('jonas'));
    expect((await lastAudit('signin.saml')).details).toMatchObject({ matchedBy: 'email' });

    const changed = { ...USERS.jonas.attributes, [A.email]: 'jonas.holm@privat.example' };
    const second = await signInAs('jonas', { attributes: changed });
    expect(second.res.statusCode).toBe(303);
    const home = await second.browser.get('/intranet');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Goddag, Jonas Holm');
    expect((await lastAudit('signin.saml')).details).toMatchObject({ matchedBy: 'external_id', externalId: samlIdOf('jonas') });
  });

  it('an encrypted assertion, as NemLog-in sends it, is decrypted with Mediehus’ key and accepted', async () => {
    const { res, browser } = await signInAs('rasmus', { encrypt: true });
    expect(res.statusCode, res.body).toBe(303);
    expect((await browser.get('/intranet')).body).toContain('Goddag, Rasmus Berg');
  });

  it.each([
    ['an unsigned assertion', { signing: 'none' }],
    ['an assertion signed with a key the provider’s metadata does not name', { signing: 'other-key' }],
    ['an assertion changed after it was signed', { tamper: (xml: string) => xml.replace('Leder@Demo.Mediehus.dk', DEMO.owner) }],
    ['an expired assertion', { ageMs: 30 * 60 * 1000 }],
    ['an assertion meant for another service', { audience: 'https://andet-system.toender.dk/saml' }],
    ['an assertion from another identity provider', { issuer: 'https://falsk-idp.example/' }],
    ['an assertion meant to be posted elsewhere', { recipient: 'https://andet-system.toender.dk/acs' }],
  ] satisfies [string, ResponseOptions][])('%s is refused with a Danish page and an audit line, and nobody is signed in', async (_name, options) => {
    const before = await auditCount('signin.saml');
    const { res } = await signInAs('peter', options);
    expectDanishErrorPage(res, 400, 'Login kunne ikke gennemføres');
    expect(await auditCount('signin.saml')).toBe(before);
    const entry = await lastAudit('signin.saml_refused');
    expect(entry.actor_id).toBeNull();
    expect(entry.details).toMatchObject({ reason: 'invalid_response' });
  });

  it('a response posted a second time is refused, even from another browser', async () => {
    const { res, answer } = await signInAs('sofie');
    expect(res.statusCode).toBe(303);

    const again = await new Browser(t.app).post('/login/saml/acs', { SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState }, { csrf: null });
    expectDanishErrorPage(again, 400, 'allerede brugt');
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'replayed', detail: expect.stringContaining('already answered') });

    // The assertion's id is a second lock: even were the request open again, the same assertion is not taken twice.
    const assertionId = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(Buffer.from(answer.SAMLResponse, 'base64').toString())![1]!;
    expect(await t.db.selectFrom('saml_assertions').select('assertion_id').where('assertion_id', '=', assertionId).execute()).toHaveLength(1);
    await t.db.updateTable('saml_requests').set({ used_at: null }).execute();
    const reopened = await new Browser(t.app).post('/login/saml/acs', { SAMLResponse: answer.SAMLResponse, RelayState: answer.RelayState }, { csrf: null });
    expectDanishErrorPage(reopened, 400, 'allerede brugt');
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'replayed', detail: expect.stringContaining('seen before') });
  });

  it('an answer to a request Mediehus never sent, or without RelayState signed by Mediehus, is refused', async () => {
    const stranger = idp.answer({ id: '_ikke-sendt-af-mediehus', relayState: null }, 'peter');
    const res = await new Browser(t.app).post('/login/saml/acs', { SAMLResponse: stranger.SAMLResponse }, { csrf: null });
    expectDanishErrorPage(res, 400, 'Login-forsøget er udløbet');
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'unknown_request' });

    const { browser, request } = await startSignIn();
    const answer = idp.answer(request, 'peter');
    const forged = await browser.post('/login/saml/acs', { SAMLResponse: answer.SAMLResponse, RelayState: `${request.id}.forfalsket` }, { csrf: null });
    expectDanishErrorPage(forged, 400, 'Login kunne ikke gennemføres');
  });

  it('a sign-in cancelled at the provider gives a Danish page', async () => {
    const { res } = await signInAs('peter', { status: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed' });
    expectDanishErrorPage(res, 400, 'Login blev afbrudt eller afvist hos login-tjenesten');
  });

  it('a person without an account in Mediehus is turned away with a Danish explanation naming the e-mail, and it is audited', async () => {
    const { res } = await signInAs('ukendt');
    expectDanishErrorPage(res, 403, 'Ukendt Medarbejder, du har ikke en konto i Mediehus med e-mailadressen ukendt@toender.dk');
    const entry = await lastAudit('signin.saml_refused');
    expect(entry.actor_id).toBeNull();
    expect(entry.actor_label).toBe('ukendt@toender.dk');
    expect(entry.details).toMatchObject({ reason: 'unknown', email: 'ukendt@toender.dk', externalId: samlIdOf('ukendt') });
  });

  it('a disabled person is refused although the provider vouches for her, and her account is not linked', async () => {
    await t.db.updateTable('people').set({ active: 0 }).where('email', '=', DEMO.employee).execute();
    const { res } = await signInAs('anne');
    expectDanishErrorPage(res, 403, 'Din konto i Mediehus er deaktiveret');
    expect(await externalIdOf(DEMO.employee)).toBeNull();
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'inactive' });
  });

  it('only the configured organisations may sign in, and an e-mail already linked to another identity at the provider is refused', async () => {
    const identity = (subject: string, email: string, cvr: string | null = TOENDER_CVR): SamlIdentity => ({ idpEntityId: idp.entityId, subject, email, name: null, cvr });

    await expect(signInWithSaml(t.db, identity('urn:uuid:fremmed', DEMO.politician, '12345678'), '127.0.0.1', [TOENDER_CVR])).rejects.toThrow('en anden organisation (CVR 12345678)');
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'other_organisation', cvr: '12345678' });
    expect(await externalIdOf(DEMO.politician)).toBeNull();
    const hans = await signInWithSaml(t.db, identity('urn:uuid:hans', DEMO.politician), '127.0.0.1', [TOENDER_CVR]);
    expect(hans.email).toBe(DEMO.politician);

    await t.db.updateTable('people').set({ external_id: `saml|${idp.entityId}|urn:uuid:line` }).where('email', '=', DEMO.intranet).execute();
    await expect(signInWithSaml(t.db, identity('urn:uuid:en-anden', DEMO.intranet), '127.0.0.1', [])).rejects.toThrow('allerede knyttet til et andet login');
    expect((await lastAudit('signin.saml_refused')).details).toMatchObject({ reason: 'linked_to_other_identity' });

    // A person who signed in with OpenID Connect before is re-linked when the municipality moves to SAML.
    await t.db.updateTable('people').set({ external_id: 'https://login.microsoftonline.com/x/v2.0|abc' }).where('email', '=', DEMO.owner).execute();
    await signInWithSaml(t.db, identity('urn:uuid:mette', DEMO.owner), '127.0.0.1', []);
    expect(await externalIdOf(DEMO.owner)).toBe(`saml|${idp.entityId}|urn:uuid:mette`);
  });

  it('the metadata is well-formed XML with the ACS address, the signing certificate, persistent NameID and signed requests and assertions', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login/saml/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/samlmetadata+xml');
    const errors: string[] = [];
    const doc = new DOMParser({ errorHandler: (level: string, message: unknown) => errors.push(`${level}: ${String(message)}`) }).parseFromString(res.body, 'text/xml');
    expect(errors).toEqual([]);
    const md = 'urn:oasis:names:tc:SAML:2.0:metadata';
    const root = doc.documentElement!;
    expect(root.localName).toBe('EntityDescriptor');
    expect(root.getAttribute('entityID')).toBe(`${appUrl}/login/saml/metadata`);
    const sp = doc.getElementsByTagNameNS(md, 'SPSSODescriptor')[0]!;
    expect(sp.getAttribute('AuthnRequestsSigned')).toBe('true');
    expect(sp.getAttribute('WantAssertionsSigned')).toBe('true');
    expect(doc.getElementsByTagNameNS(md, 'NameIDFormat')[0]?.textContent).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    const acs = doc.getElementsByTagNameNS(md, 'AssertionConsumerService')[0]!;
    expect(acs.getAttribute('Location')).toBe(`${appUrl}/login/saml/acs`);
    expect(acs.getAttribute('Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    const uses = Array.from(doc.getElementsByTagNameNS(md, 'KeyDescriptor')).map((k) => [
      k.getAttribute('use'),
      k.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]?.textContent?.replace(/\s+/g, ''),
    ]);
    const certBody = spCertificate.replace(/-----[^-]+-----|\s+/g, '');
    expect(uses).toEqual(expect.arrayContaining([['signing', certBody], ['encryption', certBody]]));
    expect(new X509Certificate(spCertificate).subject).toContain('Mediehus (test)');

    // Signed with the same key, so the provider can trust the file it is given.
    const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
    const check = new SignedXml({ publicCert: spCertificate });
    check.loadSignature(signature);
    expect(check.checkSignature(res.body)).toBe(true);
    expect(res.body).not.toContain('PRIVATE KEY');
  });

  it('the sign-in page shows the SAML button with the way back, and without SAML configured it does not', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/login?next=%2Fintranet%2Fviden' });
    expect(res.body).toContain(SAML_DEFAULT_LABEL);
    expect(res.body).toContain('href="/login/saml?next=%2Fintranet%2Fviden"');

    const plain = await createTestApp(dialect);
    try {
      const page = await plain.app.inject({ method: 'GET', url: '/login' });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('/login/saml');
      expect(page.body).not.toContain('medarbejdersignatur');
      expect((await plain.app.inject({ method: 'GET', url: '/login/saml/metadata' })).statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('when the provider’s metadata cannot be fetched, Mediehus still starts and the person gets a Danish page', async () => {
    const down = await createTestApp(dialect, {
      MEDIEHUS_SAML_IDP_METADATA: `http://127.0.0.1:${await freePort()}/metadata`,
      MEDIEHUS_SAML_SP_KEY: spFiles.keyFile,
      MEDIEHUS_SAML_SP_CERT: spFiles.certFile,
    });
    try {
      const res = await down.app.inject({ method: 'GET', url: '/login/saml' });
      expectDanishErrorPage(res, 502, 'Login-tjenesten kan ikke nås lige nu');
      expect((await down.app.inject({ method: 'GET', url: '/login/saml/metadata' })).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('reading the identity provider and the service provider keys', () => {
  const federation = (cert: string) => `<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <md:EntityDescriptor entityID="https://saml.adgangsstyring.stoettesystemerne.dk">
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
        ${cert}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/redirect"/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>
  <md:EntityDescriptor entityID="https://sp.example"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
</md:EntitiesDescriptor>`;

  it('metadata gives the entity id, the redirect sign-in address and only the signing certificates', async () => {
    const pair = await makeKeyPair('KOMBIT test');
    const body = pair.certificate.replace(/-----[^-]+-----|\s+/g, '');
    const idp = parseIdpMetadata(federation(body));
    expect(idp.entityId).toBe('https://saml.adgangsstyring.stoettesystemerne.dk');
    expect(idp.entryPoint).toBe('https://idp.example/redirect');
    expect(idp.certificates).toHaveLength(1);
    expect(new X509Certificate(idp.certificates[0]!).subject).toContain('KOMBIT test');
  });

  it('metadata without a redirect sign-in address, or that is not XML, names the variable', () => {
    expect(() => parseIdpMetadata('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor/></md:EntityDescriptor>')).toThrow(
      /^MEDIEHUS_SAML_IDP_METADATA: metadata har ingen SingleSignOnService/,
    );
    expect(() => parseIdpMetadata('<ikke xml')).toThrow(/^MEDIEHUS_SAML_IDP_METADATA: metadata er ikke gyldig XML/);
  });

  it('a provider given outright by entry point and certificate file is read at start', async () => {
    const pair = await makeKeyPair('Context Handler');
    const files = writeKeyFiles(pair);
    try {
      const config = loadConfig({
        MEDIEHUS_SAML_ENTRY_POINT: 'https://n2adgangsstyring.stoettesystemerne.dk/runtime/saml2/issue.idp',
        MEDIEHUS_SAML_IDP_CERT: files.certFile,
        MEDIEHUS_SAML_IDP_ENTITY_ID: 'https://saml.n2adgangsstyring.stoettesystemerne.dk/runtime',
      });
      const source = new IdpSource(config.saml!);
      await source.prepare();
      expect(await source.get()).toEqual({
        entityId: 'https://saml.n2adgangsstyring.stoettesystemerne.dk/runtime',
        entryPoint: 'https://n2adgangsstyring.stoettesystemerne.dk/runtime/saml2/issue.idp',
        certificates: [pair.certificate],
      });

      const missing = new IdpSource({ ...config.saml!, idp: { ...config.saml!.idp!, certFiles: ['/findes/ikke.pem'] } });
      await expect(missing.prepare()).rejects.toThrow(/^MEDIEHUS_SAML_IDP_CERT: kan ikke læse filen/);
    } finally {
      fs.rmSync(files.dir, { recursive: true, force: true });
    }
  });

  it('metadata from a file is read at start, and an address must be https unless it is this machine', async () => {
    const pair = await makeKeyPair('NemLog-in test');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-saml-md-'));
    try {
      const file = path.join(dir, 'idp.xml');
      fs.writeFileSync(file, federation(pair.certificate.replace(/-----[^-]+-----|\s+/g, '')));
      const fromFile = new IdpSource(loadConfig({ MEDIEHUS_SAML_IDP_METADATA: file }).saml!);
      await fromFile.prepare();
      expect((await fromFile.get()).entryPoint).toBe('https://idp.example/redirect');

      await expect(new IdpSource(loadConfig({ MEDIEHUS_SAML_IDP_METADATA: 'http://idp.example/metadata' }).saml!).prepare()).rejects.toThrow(/skal hentes over https/);
      await expect(new IdpSource(loadConfig({ MEDIEHUS_SAML_IDP_METADATA: path.join(dir, 'mangler.xml') }).saml!).prepare()).rejects.toThrow(/kan ikke læse filen/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in demo mode without keys a key pair is made once in the data folder and kept', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-saml-demo-'));
    try {
      const settings = loadConfig({ MEDIEHUS_SAML_IDP_METADATA: 'https://idp.example/metadata' }).saml!;
      const first = await loadSpKeys(settings, dataDir);
      const certificate = new X509Certificate(first.certificate);
      expect(certificate.subject).toBe('CN=Mediehus SAML (demo)');
      expect(certificate.verify(certificate.publicKey)).toBe(true);
      expect(fs.statSync(path.join(dataDir, 'saml', 'sp-key.pem')).mode & 0o077).toBe(0);
      expect(await loadSpKeys(settings, dataDir)).toEqual(first);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a key and a certificate that do not belong together stop the start with the variable named', async () => {
    const a = writeKeyFiles(await makeKeyPair('A'));
    const b = writeKeyFiles(await makeKeyPair('B'));
    try {
      const settings = loadConfig({ MEDIEHUS_SAML_IDP_METADATA: 'https://idp.example/metadata', MEDIEHUS_SAML_SP_KEY: a.keyFile, MEDIEHUS_SAML_SP_CERT: b.certFile }).saml!;
      await expect(loadSpKeys(settings, os.tmpdir())).rejects.toThrow(/^MEDIEHUS_SAML_SP_CERT: passer ikke til nøglen i MEDIEHUS_SAML_SP_KEY/);
    } finally {
      fs.rmSync(a.dir, { recursive: true, force: true });
      fs.rmSync(b.dir, { recursive: true, force: true });
    }
  });
});
