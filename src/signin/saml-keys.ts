import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type SamlSettings } from '../platform/config.ts';

/** Mediehus' own key pair for SAML: it signs the AuthnRequests and decrypts encrypted assertions. Never logged. */
export interface SpKeys {
  privateKey: string;
  certificate: string;
}

async function readPem(file: string, variable: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new ConfigError(variable, `kan ikke læse filen ${file}`);
  }
}

/** Fails at start when the files are not a matching key and certificate, naming the variable but never the contents. */
export function checkSpKeys(keys: SpKeys, source: { key: string; cert: string }): void {
  let key: KeyObject;
  try {
    key = createPrivateKey(keys.privateKey);
  } catch {
    throw new ConfigError(source.key, 'er ikke en privat nøgle i PEM');
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(keys.certificate);
  } catch {
    throw new ConfigError(source.cert, 'er ikke et certifikat i PEM');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(source.key, 'skal være en RSA-nøgle');
  if (!certificate.checkPrivateKey(key)) throw new ConfigError(source.cert, `passer ikke til nøglen i ${source.key}`);
}

/**
 * The configured key pair, or in demo mode one made the first time and kept in <dataDir>/saml/, so the metadata
 * a test provider was given stays valid across restarts.
 */
export async function loadSpKeys(settings: SamlSettings, dataDir: string): Promise<SpKeys> {
  if (settings.spKeyFile && settings.spCertFile) {
    const keys = { privateKey: await readPem(settings.spKeyFile, 'MEDIEHUS_SAML_SP_KEY'), certificate: await readPem(settings.spCertFile, 'MEDIEHUS_SAML_SP_CERT') };
    checkSpKeys(keys, { key: 'MEDIEHUS_SAML_SP_KEY', cert: 'MEDIEHUS_SAML_SP_CERT' });
    return keys;
  }
  const dir = path.join(dataDir, 'saml');
  const keyFile = path.join(dir, 'sp-key.pem');
  const certFile = path.join(dir, 'sp-cert.pem');
  try {
    const keys = { privateKey: await readFile(keyFile, 'utf8'), certificate: await readFile(certFile, 'utf8') };
    checkSpKeys(keys, { key: keyFile, cert: certFile });
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = makeSelfSignedPair('Mediehus SAML (demo)');
  await mkdir(dir, { recursive: true });
  await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
  await writeFile(certFile, keys.certificate);
  return keys;
}

// A self-signed certificate needs nothing more than DER and one signature, which node:crypto can do; a certificate
// library would be a dependency for the demo alone. Production uses the municipality's own (OCES) certificate.
function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length: number[] = [];
  for (let n = body.length; n > 0; n >>= 8) length.unshift(n & 0xff);
  const header = body.length < 0x80 ? [tag, body.length] : [tag, 0x80 | length.length, ...length];
  return Buffer.concat([Buffer.from(header), body]);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const n of rest) {
    const encoded = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) encoded.unshift((v & 0x7f) | 0x80);
    bytes.push(...encoded);
  }
  return der(0x06, Buffer.from(bytes));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050.
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

export function makeSelfSignedPair(commonName: string, years = 10): SpKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const sha256WithRsa = der(0x30, oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = der(0x30, der(0x31, der(0x30, oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    sha256WithRsa,
    name,
    der(0x30, time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = der(0x30, tbs, sha256WithRsa, der(0x03, Buffer.from([0]), signature));
  const lines = certificate.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`,
  };
}
