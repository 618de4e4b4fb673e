import fs from 'node:fs';
import staticFiles from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { dkfdsDist, dkfdsVersion, type loadAssets } from './assets.ts';

const YEAR = 'public, max-age=31536000, immutable';

export async function assetRoutes(app: FastifyInstance, opts: { assets: ReturnType<typeof loadAssets> }): Promise<void> {
  await app.register(staticFiles, {
    root: dkfdsDist,
    prefix: `/assets/dkfds-${dkfdsVersion}/`,
    allowedPath: (pathName) => /^\/(css|fonts|img|js)\//.test(pathName),
    cacheControl: false,
    setHeaders: (res) => res.setHeader('cache-control', YEAR),
    decorateReply: false,
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = opts.assets.byFile.get(request.params.file);
    if (!asset) return reply.callNotFound();
    return reply.header('cache-control', YEAR).type(asset.type).send(fs.createReadStream(asset.path));
  });
}
