import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('settings from the environment', () => {
  it('with nothing set, Mediehus runs on port 3000 with SQLite under ./data in demo mode', () => {
    const config = loadConfig({}, '/srv/mediehus');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ dialect: 'sqlite', file: '/srv/mediehus/data/mediehus.sqlite' });
    expect(config.demoMode).toBe(true);
    expect(config.baseUrl).toBe('http://localhost:3000');
  });

  it('a postgres:// DATABASE_URL switches to PostgreSQL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mediehus' });
    expect(config.database).toEqual({ dialect: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/mediehus' });
  });

  it('MEDIEHUS_DATA_DIR moves the SQLite file', () => {
    expect(loadConfig({ MEDIEHUS_DATA_DIR: '/var/lib/mediehus' }).database).toEqual({ dialect: 'sqlite', file: '/var/lib/mediehus/mediehus.sqlite' });
  });

  it.each([
    ['PORT', 'tre'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['MEDIEHUS_BASE_URL', 'ikke en adresse'],
    ['LOG_LEVEL', 'snakkesalig'],
    ['MEDIEHUS_ACCESSIBILITY_URL', 'was.digst.dk/123'],
    ['MEDIEHUS_ACCESSIBILITY_URL', 'http://was.digst.dk/123'],
  ])('a bad %s (%s) stops the start with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: ugyldig værdi`));
  });

  it('the accessibility statement is the built-in /was page unless a path or an https address is given', () => {
    expect(loadConfig({}).accessibilityUrl).toBe('/was');
    expect(loadConfig({ MEDIEHUS_ACCESSIBILITY_URL: 'https://was.digst.dk/app-toender-dk' }).accessibilityUrl).toBe('https://was.digst.dk/app-toender-dk');
    expect(loadConfig({ MEDIEHUS_ACCESSIBILITY_URL: '/om/tilgaengelighed' }).accessibilityUrl).toBe('/om/tilgaengelighed');
  });

  it('an OIDC issuer without a client id names the missing variable', () => {
    expect(() => loadConfig({ MEDIEHUS_OIDC_ISSUER: 'https://login.example.dk' })).toThrow(/^MEDIEHUS_OIDC_CLIENT_ID/);
  });

  it('production turns demo mode off', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoMode).toBe(false);
  });
});

describe('SAML settings', () => {
  const metadata = { MEDIEHUS_SAML_IDP_METADATA: 'https://idp.example/metadata' };

  it('SAML is off unless an identity provider is named', () => {
    expect(loadConfig({}).saml).toBeNull();
  });

  it('with only the provider’s metadata, the OIOSAML defaults apply and paths are read from the working folder', () => {
    const saml = loadConfig({ ...metadata, MEDIEHUS_BASE_URL: 'https://medier.toender.dk', MEDIEHUS_SAML_SP_KEY: 'saml/key.pem', MEDIEHUS_SAML_SP_CERT: 'saml/cert.pem' }, '/srv/mediehus').saml!;
    expect(saml).toMatchObject({
      idpMetadata: 'https://idp.example/metadata',
      idp: null,
      spEntityId: 'https://medier.toender.dk/login/saml/metadata',
      spKeyFile: '/srv/mediehus/saml/key.pem',
      spCertFile: '/srv/mediehus/saml/cert.pem',
      authnContext: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
      allowedCvr: [],
      label: 'Log ind med medarbejdersignatur (KOMBIT/NemLog-in)',
    });
    expect(saml.attributes.email[0]).toBe('https://data.gov.dk/model/core/eid/email');
    expect(saml.attributes.persistentId).toEqual(['https://data.gov.dk/model/core/eid/professional/uuid/persistent']);
    expect(loadConfig({ MEDIEHUS_SAML_IDP_METADATA: 'config/idp.xml' }, '/srv/mediehus').saml!.idpMetadata).toBe('/srv/mediehus/config/idp.xml');
  });

  it('attribute names, organisations, level of assurance and label can be set', () => {
    const saml = loadConfig({
      ...metadata,
      MEDIEHUS_SAML_ATTR_EMAIL: 'urn:oid:0.9.2342.19200300.100.1.3',
      MEDIEHUS_SAML_ATTR_PERSISTENT_ID: 'dk:gov:saml:attribute:RidNumberIdentifier, urn:oid:2.5.4.5',
      MEDIEHUS_SAML_CVR: '29189781, 12345678',
      MEDIEHUS_SAML_AUTHN_CONTEXT: 'none',
      MEDIEHUS_SAML_LABEL: 'Log ind med NemLog-in',
    }).saml!;
    expect(saml.attributes.email).toEqual(['urn:oid:0.9.2342.19200300.100.1.3']);
    expect(saml.attributes.persistentId).toEqual(['dk:gov:saml:attribute:RidNumberIdentifier', 'urn:oid:2.5.4.5']);
    expect(saml.allowedCvr).toEqual(['29189781', '12345678']);
    expect(saml.authnContext).toBeNull();
    expect(saml.label).toBe('Log ind med NemLog-in');
  });

  it.each([
    [{ MEDIEHUS_SAML_ENTRY_POINT: 'https://idp.example/sso' }, /^MEDIEHUS_SAML_IDP_CERT: skal angives/],
    [{ MEDIEHUS_SAML_ENTRY_POINT: 'https://idp.example/sso', MEDIEHUS_SAML_IDP_CERT: 'idp.pem' }, /^MEDIEHUS_SAML_IDP_ENTITY_ID: skal angives/],
    [{ ...metadata, MEDIEHUS_SAML_ENTRY_POINT: 'https://idp.example/sso' }, /^MEDIEHUS_SAML_ENTRY_POINT: angiv enten/],
    [{ ...metadata, MEDIEHUS_SAML_SP_KEY: 'key.pem' }, /^MEDIEHUS_SAML_SP_CERT: skal angives sammen med MEDIEHUS_SAML_SP_KEY/],
    [{ ...metadata, NODE_ENV: 'production' }, /^MEDIEHUS_SAML_SP_KEY: skal angives/],
    [{ ...metadata, MEDIEHUS_SAML_CVR: '2918978' }, /^MEDIEHUS_SAML_CVR: ugyldig værdi/],
    [{ MEDIEHUS_SAML_ENTRY_POINT: 'ftp://idp.example/sso' }, /^MEDIEHUS_SAML_ENTRY_POINT: ugyldig værdi/],
    [{ MEDIEHUS_SAML_IDP_METADATA: 'https://' }, /^MEDIEHUS_SAML_IDP_METADATA: ugyldig værdi/],
  ])('a missing or wrong SAML setting stops the start naming the variable (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('a provider given outright needs its entry point, certificate and entity id', () => {
    const saml = loadConfig(
      { MEDIEHUS_SAML_ENTRY_POINT: 'https://idp.example/sso', MEDIEHUS_SAML_IDP_CERT: 'a.pem,b.pem', MEDIEHUS_SAML_IDP_ENTITY_ID: 'https://idp.example' },
      '/srv/mediehus',
    ).saml!;
    expect(saml.idp).toEqual({ entityId: 'https://idp.example', entryPoint: 'https://idp.example/sso', certFiles: ['/srv/mediehus/a.pem', '/srv/mediehus/b.pem'] });
    expect(saml.idpMetadata).toBeNull();
  });
});
