import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';

// Secrets kept in the database (the social accounts' tokens) are sealed with AES-256-GCM under a key that lives
// outside it, in configuration. A sealed value is "v1.<iv>.<tag>.<ciphertext>" in base64url; the id it belongs to
// is bound in as additional data, so a sealed token copied onto another row does not open.

const VERSION = 'v1';

export interface SecretBox {
  seal(plain: string, boundTo: string): string;
  open(sealed: string, boundTo: string): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return {
    seal(plain, boundTo) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed, boundTo) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The configured key (MEDIEHUS_SECRET_KEY), or in demo mode one made the first time and kept in <dataDir>/secret.key.
 * Outside demo mode there is no fallback: tokens are not stored without a key the operator controls.
 */
export async function loadSecretBox(config: Pick<Config, 'social' | 'demoMode' | 'dataDir'>): Promise<SecretBox | null> {
  if (config.social.secretKey) return secretBox(Buffer.from(config.social.secretKey, 'base64'));
  if (!config.demoMode) return null;
  const file = path.join(config.dataDir, 'secret.key');
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length !== 32) throw new ConfigError('MEDIEHUS_SECRET_KEY', `filen ${file} indeholder ikke en nøgle på 32 bytes`);
    return secretBox(key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(config.dataDir, { recursive: true });
  // "wx": two processes starting at once must not each write their own key.
  try {
    await writeFile(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return secretBox(key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return secretBox(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'));
  }
}
