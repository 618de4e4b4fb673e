import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isMediaId } from './media-markup.ts';

const TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg' };

/**
 * The image files, for every face and every channel, signed in or not: images in published content are public,
 * and an unpublished image is only found by someone who has its UUID. Nothing but a UUID and a rendition's own
 * name gets near the disk, so no address can reach outside the media folder.
 */
export async function mediaFileRoutes(app: FastifyInstance): Promise<void> {
  const root = path.join(app.ctx.config.dataDir, 'media');

  app.get<{ Params: { id: string; file: string } }>('/media/:id/:file', async (request, reply) => {
    const { id, file } = request.params;
    const match = /^\d+\.(webp|jpg)$/.exec(file);
    if (!isMediaId(id) || !match) return reply.callNotFound();
    const full = path.join(root, id.toLowerCase(), file);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(full);
    } catch {
      return reply.callNotFound();
    }
    if (!stat.isFile()) return reply.callNotFound();
    return (
      reply
        // A rendition is written once under its name and never changed, so it may be kept for a year.
        .header('cache-control', 'public, max-age=31536000, immutable')
        // Newsletters, subsites and partners embed the municipality's images from other origins.
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('content-length', stat.size)
        .header('last-modified', stat.mtime.toUTCString())
        .type(TYPES[match[1]!]!)
        .send(fs.createReadStream(full))
    );
  });
}
