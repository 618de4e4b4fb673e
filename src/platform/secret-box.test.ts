import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { loadSecretBox, secretBox } from './secret-box.ts';

describe('secrets sealed at rest', () => {
  const box = secretBox(randomBytes(32));

  it('a sealed token opens again for the row it was sealed for, and its text is nowhere in the sealed form', () => {
    const token = 'EAAG-page-token-1234567890';
    const sealed = box.seal(token, 'social_account:a');
    expect(sealed).not.toContain(token);
    expect(sealed).not.toContain(Buffer.from(token).toString('base64'));
    expect(box.open(sealed, 'social_account:a')).toBe(token);
  });

  it('the same token sealed twice looks different each time', () => {
    expect(box.seal('samme', 'x')).not.toBe(box.seal('samme', 'x'));
  });

  it('a sealed token copied onto another row, changed by one character, or opened with another key does not open', () => {
    const sealed = box.seal('hemmelig', 'social_account:a');
    expect(() => box.open(sealed, 'social_account:b')).toThrow();
    const parts = sealed.split('.');
    const body = parts[3]!;
    parts[3] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    expect(() => box.open(parts.join('.'), 'social_account:a')).toThrow();
    expect(() => secretBox(randomBytes(32)).open(sealed, 'social_account:a')).toThrow();
  });

  it('MEDIEHUS_SECRET_KEY must be 32 bytes of base64, and the message says how to make one', () => {
    expect(() => loadConfig({ MEDIEHUS_SECRET_KEY: 'for-kort' })).toThrow(/MEDIEHUS_SECRET_KEY: .*openssl rand -base64 32/);
    expect(loadConfig({ MEDIEHUS_SECRET_KEY: randomBytes(32).toString('base64') }).social.secretKey).toBeTruthy();
  });

  it('outside demo mode there is no key unless one is configured; demo mode makes one and keeps it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-key-'));
    try {
      expect(await loadSecretBox({ social: { secretKey: null, timeoutMs: 1, facebook: null, x: null }, demoMode: false, dataDir })).toBeNull();
      const first = await loadSecretBox({ social: { secretKey: null, timeoutMs: 1, facebook: null, x: null }, demoMode: true, dataDir });
      const sealed = first!.seal('demo', 'k');
      const again = await loadSecretBox({ social: { secretKey: null, timeoutMs: 1, facebook: null, x: null }, demoMode: true, dataDir });
      expect(again!.open(sealed, 'k')).toBe('demo');
      expect(fs.statSync(path.join(dataDir, 'secret.key')).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
