import type { FastifyInstance } from 'fastify';
import { editorRoutes } from './editor-routes.ts';
import { jargonRoutes } from './jargon-routes.ts';
import { listRoutes } from './list-routes.ts';
import { mediaRoutes } from './media-routes.ts';
import { reviewRoutes } from './review-routes.ts';

/** The editors' screens for content, inside the signed-in admin. */
export async function contentAdminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(listRoutes);
  await app.register(editorRoutes);
  await app.register(mediaRoutes);
  await app.register(reviewRoutes);
  await app.register(jargonRoutes);
}
