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
