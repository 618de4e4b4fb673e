import fs from 'node:fs';
import path from 'node:path';
import * as sass from 'sass';
import { dkfdsDist, dkfdsVersion, ownAssetsDir } from './assets.ts';

export const COMPILED_DKFDS = path.join(ownAssetsDir, 'dkfds.css');
const PARTS = path.join(ownAssetsDir, 'scss', 'dkfds-parts.scss');

/**
 * Compiles the DKFDS parts Mediehus uses into assets/dkfds.css. Fonts and icons stay in DKFDS's own
 * folder, served under its version, so the compiled file points there.
 */
export function compileDkfds(): { bytes: number; ms: number } {
  const started = Date.now();
  const base = `/assets/dkfds-${dkfdsVersion}/`;
  const source =
    `@use 'variables' with ($font-path: "${base}fonts/IBMPlexSans/", $image-path: "${base}img/", $icons-folder-path: "${base}img/svg-icons/");\n` +
    fs.readFileSync(PARTS, 'utf8');
  const result = sass.compileString(source, {
    loadPaths: [path.join(dkfdsDist, 'scss')],
    style: 'compressed',
    quietDeps: true,
    logger: sass.Logger.silent,
  });
  // Written aside and renamed, so a process starting meanwhile never reads half a file.
  const temporary = `${COMPILED_DKFDS}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, result.css);
  fs.renameSync(temporary, COMPILED_DKFDS);
  return { bytes: result.css.length, ms: Date.now() - started };
}

/** `npm ci` compiles the styles (the prepare script); a checkout installed without scripts compiles them on first start. */
export function ensureStyles(): void {
  const stale = !fs.existsSync(COMPILED_DKFDS) || fs.statSync(COMPILED_DKFDS).mtimeMs < fs.statSync(PARTS).mtimeMs;
  if (stale) compileDkfds();
}
