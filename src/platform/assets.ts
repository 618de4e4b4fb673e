import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// dkfds exports only its script; its folder is found from there (dist/js/dkfds.min.js).
export const dkfdsDist = path.resolve(path.dirname(require.resolve('dkfds')), '..');
export const dkfdsVersion: string = (JSON.parse(fs.readFileSync(path.join(dkfdsDist, '..', 'package.json'), 'utf8')) as { version: string }).version;
export const ownAssetsDir = path.join(projectRoot, 'assets');

export interface Asset {
  /** Hashed public name, e.g. "mediehus.3f2a9c1b.css". */
  file: string;
  path: string;
  type: string;
}

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon' };

/**
 * Our own assets get a content hash in their name so they can be cached for a year;
 * DKFDS's files are served under a path carrying its version, which changes whenever they do.
 */
export function loadAssets(dir = ownAssetsDir): { byName: Map<string, Asset>; byFile: Map<string, Asset>; url: (name: string) => string } {
  const byName = new Map<string, Asset>();
  const byFile = new Map<string, Asset>();
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (!fs.statSync(full).isFile()) continue;
    const ext = path.extname(name);
    const hash = createHash('sha256').update(fs.readFileSync(full)).digest('hex').slice(0, 10);
    const asset = { file: `${path.basename(name, ext)}.${hash}${ext}`, path: full, type: TYPES[ext] ?? 'application/octet-stream' };
    byName.set(name, asset);
    byFile.set(asset.file, asset);
  }
  const url = (name: string): string => {
    if (name.startsWith('dkfds/')) return `/assets/dkfds-${dkfdsVersion}/${name.slice('dkfds/'.length)}`;
    const asset = byName.get(name);
    if (!asset) throw new Error(`Unknown asset ${name}`);
    return `/assets/${asset.file}`;
  };
  return { byName, byFile, url };
}
