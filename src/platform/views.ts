import path from 'node:path';
import nunjucks from 'nunjucks';
import { dkfdsDist, projectRoot } from './assets.ts';
import { showDate, showDateTime } from './time.ts';

/** One Nunjucks environment for every face: templates are named from src/ ("admin/views/units.njk"). */
export function createViews(assetUrl: (name: string) => string): nunjucks.Environment {
  // Our overrides of single DKFDS templates come before DKFDS's own.
  const searchPaths = [path.join(projectRoot, 'src'), path.join(projectRoot, 'src/platform/views/dkfds-overrides'), path.join(dkfdsDist, '..', 'src')];
  const loader = new nunjucks.FileSystemLoader(searchPaths, {
    noCache: process.env.NODE_ENV === 'development',
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  env.addGlobal('asset', assetUrl);
  env.addFilter('datetime', (v: string | null | undefined) => (v ? showDateTime(v) : ''));
  env.addFilter('date', (v: string | null | undefined) => (v ? showDate(v) : ''));
  return env;
}
