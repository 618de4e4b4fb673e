import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../platform/config.ts';

describe('the borger.dk settings', () => {
  it('default to borger.dk’s own article export, Tønder’s municipality code and 20 seconds', () => {
    expect(loadConfig({}).borgerdk).toEqual({ url: 'https://www.borger.dk/WSArticleExport/v1/ArticleExport.svc', municipalityCode: 550, timeoutMs: 20_000 });
  });

  it('can point at another service, another municipality and another time limit', () => {
    expect(loadConfig({ MEDIEHUS_BORGERDK_URL: 'http://127.0.0.1:8080/ArticleExport.svc', MEDIEHUS_BORGERDK_MUNICIPALITY: '101', MEDIEHUS_BORGERDK_TIMEOUT_MS: '5000' }).borgerdk).toEqual({
      url: 'http://127.0.0.1:8080/ArticleExport.svc',
      municipalityCode: 101,
      timeoutMs: 5000,
    });
  });

  it.each([
    ['MEDIEHUS_BORGERDK_URL', 'ftp://borger.dk/export'],
    ['MEDIEHUS_BORGERDK_MUNICIPALITY', 'Tønder'],
    ['MEDIEHUS_BORGERDK_TIMEOUT_MS', '10'],
  ])('a bad %s (%s) stops the start with an error naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: ugyldig værdi`));
  });
});
