import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/platform/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { Db } from '../../src/platform/database.ts';
import type { Dialect } from '../../src/platform/db.ts';
import { createSeededDatabase, type TestDatabase } from './databases.ts';

/** Seals social accounts' tokens in tests (32 bytes, base64). */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The whole app on a fresh database of the given dialect, with the demo municipality in it. */
export async function createTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { beforeReady?: (app: FastifyInstance) => void; logger?: FastifyBaseLogger } = {},
): Promise<TestApp> {
  const database = await createSeededDatabase(dialect);
  const config: Config = { ...loadConfig({ MEDIEHUS_COOKIE_SECRET: 'test-secret-test-secret-test-secret-1234', MEDIEHUS_SECRET_KEY: TEST_SECRET_KEY, ...env }), database: database.settings };
  const app = await buildApp({ config, db: database.db, logger: options.logger });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    db: database.db,
    config,
    database,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

/** A browser-like client for app.inject: keeps cookies and fills in the CSRF token of the page it last saw. */
export class Browser {
  private jar = new Map<string, string>();
  private csrf = '';

  constructor(private app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  get cookies(): Map<string, string> {
    return this.jar;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.jar) });
    this.keep(res);
    return res;
  }

  /** Posts a form as a browser would, with the CSRF token from the last page (unless one is given). */
  async post(url: string, form: Record<string, string | string[]> = {}, options: { csrf?: string | null } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token) body.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: Object.fromEntries(this.jar),
    });
    this.keep(res);
    return res;
  }

  /** Signs in through the /login form. */
  async signIn(email: string, password = 'demo'): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`sign-in as ${email} failed: ${res.statusCode}`);
    return res;
  }
}

export const DEMO = {
  owner: 'ejer@demo.mediehus.dk',
  web: 'web@demo.mediehus.dk',
  intranet: 'intra@demo.mediehus.dk',
  social: 'some@demo.mediehus.dk',
  app: 'app@demo.mediehus.dk',
  school: 'skole@demo.mediehus.dk',
  manager: 'leder@demo.mediehus.dk',
  employee: 'medarbejder@demo.mediehus.dk',
  politician: 'politiker@demo.mediehus.dk',
} as const;
