import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import { COMMON_NOTICES, type Errors, fieldsOf, formOf, guard, noticeFor, pageNumber, pagination, paramsOf, queryOf, queryString, text, type Values } from '../platform/forms.ts';
import { canUseEditor } from './access.ts';
import { isMediaId, mediaUrl, parseRenditions, pictureFor, RENDITION_TYPES, showBytes } from './media-markup.ts';
import { deleteMedia, MAX_ALT_LENGTH, MAX_UPLOAD_BYTES, updateAlt, uploadImage } from './media-service.ts';
import * as store from './media-store.ts';
import type { MediaRow } from './tables.ts';

const PAGE_SIZE = 24;

const NOTICES = { ...COMMON_NOTICES, uploadet: 'Billedet er uploadet.', slettet: 'Billedet er slettet.', gemt: 'Den alternative tekst er gemt.' };

const FORMAT_LABELS: Record<string, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP', 'image/gif': 'GIF' };

/** The file field as the multipart hook leaves it on the body. */
interface ReceivedFile {
  filename: string;
  mimetype: string;
  data: Buffer;
  /** The full size sent; `data` stops at the upload limit, as nothing beyond it is kept. */
  size: number;
}

/**
 * Keeps the file in memory only up to the limit and counts the rest, so an oversized file is refused
 * with its real size without ever being held whole.
 */
async function receiveFile(part: MultipartFile): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_UPLOAD_BYTES) chunks.push(chunk);
  }
  const received: ReceivedFile = { filename: part.filename, mimetype: part.mimetype, data: size <= MAX_UPLOAD_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0), size };
  part.value = received;
}

function receivedFile(request: FastifyRequest): ReceivedFile | null {
  const value = (request.body as Record<string, unknown> | undefined)?.file;
  return value && typeof value === 'object' && 'data' in value ? (value as ReceivedFile) : null;
}

function mediaIdOf(request: FastifyRequest): string {
  const id = paramsOf(request).id ?? '';
  if (!isMediaId(id)) throw new NotFoundError('Billedet findes ikke.');
  return id;
}

const dimensions = (m: Pick<MediaRow, 'width' | 'height'>) => `${m.width} × ${m.height} pixel`;

async function showLibrary(request: FastifyRequest, reply: FastifyReply, state: { values?: Values; errors?: Errors } = {}) {
  const { db } = request.server.ctx;
  const page = pageNumber(queryOf(request));
  const { rows, total } = await store.listMediaWithUploaders(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const errors = state.errors ?? {};
  return reply.view('content/views/media.njk', {
    title: 'Medier',
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
    values: state.values ?? { alt: '' },
    errors,
    maxAltLength: MAX_ALT_LENGTH,
    maxUpload: showBytes(MAX_UPLOAD_BYTES),
    total,
    firstShown: rows.length ? (page - 1) * PAGE_SIZE + 1 : 0,
    lastShown: (page - 1) * PAGE_SIZE + rows.length,
    media: rows.map((m) => ({
      id: m.id,
      name: m.original_name,
      alt: m.alt,
      // The alt text stands beside the thumbnail, so the image itself is not described twice.
      thumbnail: pictureFor(m, '', '(min-width: 576px) 300px, 100vw', { maxWidth: 320 }),
      dimensions: dimensions(m),
      size: showBytes(m.bytes),
      format: FORMAT_LABELS[m.mime] ?? m.mime,
      uploadedAt: m.created_at,
      uploadedBy: m.uploader_name,
    })),
    pagination: pagination(page, Math.ceil(total / PAGE_SIZE), (n) => `/admin/medier${queryString({ side: n === 1 ? undefined : n })}`),
  });
}

async function showItem(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Values; errors?: Errors } = {}) {
  const { db } = request.server.ctx;
  const media = await store.findMediaWithUploader(db, id);
  if (!media) throw new NotFoundError('Billedet findes ikke.');
  const usedBy = await store.itemsUsingMedia(db, id);
  const errors = state.errors ?? {};
  return reply.view('content/views/media-item.njk', {
    title: media.original_name,
    notice: Object.keys(errors).length ? null : noticeFor(request, NOTICES),
    media: {
      id: media.id,
      name: media.original_name,
      alt: media.alt,
      dimensions: dimensions(media),
      size: showBytes(media.bytes),
      format: FORMAT_LABELS[media.mime] ?? media.mime,
      uploadedAt: media.created_at,
      uploadedBy: media.uploader_name,
    },
    preview: pictureFor(media, media.alt, '(min-width: 992px) 640px, 100vw'),
    renditions: parseRenditions(media.renditions).map((r) => ({
      ...r,
      url: mediaUrl(media.id, r.file),
      type: RENDITION_TYPES[r.format],
      formatLabel: r.format === 'webp' ? 'WebP' : 'JPEG',
      size: showBytes(r.bytes),
    })),
    usedByCount: usedBy.length,
    values: state.values ?? { alt: media.alt },
    errors,
    maxAltLength: MAX_ALT_LENGTH,
  });
}

/** The image library: upload, look through, describe and remove images that content uses. */
export async function mediaRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;
  // Before the body is read, so only editors can make the server take in a file.
  app.addHook('onRequest', guard(canUseEditor));

  // Registered here only, so multipart bodies are accepted by these routes and no others. The fields are on
  // request.body before the CSRF check runs (a preHandler), which reads `_csrf` from there as from any form.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile: receiveFile,
    throwFileSizeLimit: false,
    // The service enforces the real limit with a message; these only bound what one request may hold.
    limits: { files: 1, fields: 10, parts: 12, fieldSize: 16 * 1024, fileSize: 1024 * 1024 * 1024 },
  });

  app.get('/medier', async (request, reply) => showLibrary(request, reply));

  app.post('/medier', async (request, reply) => {
    const alt = text(formOf(request), 'alt');
    const file = receivedFile(request);
    try {
      await uploadImage(db, config, request.actor!, {
        filename: file?.filename ?? '',
        mime: file?.mimetype ?? '',
        data: file?.data ?? Buffer.alloc(0),
        size: file?.size,
        alt,
      });
      return reply.redirect('/admin/medier?uploadet=1', 303);
    } catch (error) {
      return showLibrary(request, reply.code(422), { values: { alt }, errors: fieldsOf(error) });
    }
  });

  app.get('/medier/:id', async (request, reply) => showItem(request, reply, mediaIdOf(request)));

  app.post('/medier/:id', async (request, reply) => {
    const id = mediaIdOf(request);
    const alt = text(formOf(request), 'alt');
    try {
      await updateAlt(db, request.actor!, id, alt);
      return reply.redirect(`/admin/medier/${id}?gemt=1`, 303);
    } catch (error) {
      return showItem(request, reply.code(422), id, { values: { alt }, errors: fieldsOf(error) });
    }
  });

  app.post('/medier/:id/slet', async (request, reply) => {
    const id = mediaIdOf(request);
    try {
      await deleteMedia(db, config, request.actor!, id);
      return reply.redirect('/admin/medier?slettet=1', 303);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return showItem(request, reply.code(409), id, { errors: { _form: error.message } });
    }
  });
}
