import path from 'node:path';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { loadSecretBox, type SecretBox } from '../platform/secret-box.ts';
import { providerFor } from './providers/index.ts';
import { ProviderError, type Network, type SocialProvider } from './providers/types.ts';

/** What the social services need besides the database: the key for tokens, where the networks are, how long to wait. */
export interface SocialContext {
  db: Db;
  /** Null outside demo mode when MEDIEHUS_SECRET_KEY is not set: tokens cannot be stored then. */
  secrets: SecretBox | null;
  networks: NetworkDirectory;
  timeoutMs: number;
  /** The first wait after a failed attempt; it doubles with each attempt, up to 15 minutes. */
  retryBaseMs: number;
  /** The public address, for links to items in posts. */
  baseUrl: string;
  /** Where the media library keeps its files (<dataDir>/media). */
  mediaDir: string;
  /** The adapter per network; tests and the bench may wrap them. */
  provider(network: Network): SocialProvider;
  /** X's OAuth 2.0 client (MEDIEHUS_X_CLIENT_ID/_SECRET), to renew X access tokens; null when not set up. */
  xClient?: { clientId: string; clientSecret: string | null } | null;
}

/**
 * Resolves an account's api_base. "demo:<network>" means the demo networks that demo mode starts beside the server,
 * so a newcomer can publish in the showroom without reaching the real networks.
 */
export class NetworkDirectory {
  private readonly demo = new Map<string, string>();

  setDemo(network: Network, url: string): void {
    this.demo.set(network, url);
  }

  resolve(apiBase: string): string {
    if (!apiBase.startsWith('demo:')) return apiBase;
    const url = this.demo.get(apiBase.slice('demo:'.length));
    if (!url) throw new ProviderError('retry', `The demo network ${apiBase} is not running`);
    return url;
  }
}

export async function createSocialContext(db: Db, config: Config, networks = new NetworkDirectory()): Promise<SocialContext> {
  return { db, secrets: await loadSecretBox(config), networks, timeoutMs: config.social.timeoutMs, retryBaseMs: 5_000, baseUrl: config.baseUrl, mediaDir: path.join(config.dataDir, 'media'), provider: providerFor, xClient: config.social.x };
}
