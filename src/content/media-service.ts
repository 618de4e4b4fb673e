import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { canUseEditor } from './access.ts';
import { MB, type Rendition, type RenditionFormat, showBytes } from './media-markup.ts';
import * as store from './media-store.ts';

export const MAX_UPLOAD_BYTES = 15 * MB;
export const MAX_ALT_LENGTH = 300;
/** Widths of the stored renditions; an image narrower than the largest also keeps its own width. */
export const RENDITION_WIDTHS = [320, 640, 1024, 1600] as const;
/**
 * A 15 MB PNG can unpack to gigabytes of pixels; 60 megapixels is more than any camera a municipality
 * uses and bounds the memory one upload may take.
 */
export const MAX_PIXELS = 60_000_000;

export const MESSAGES = {
  missingFile: 'Vælg en billedfil.',
  notImage: 'Filen er ikke et billede. Upload JPEG, PNG, WebP eller GIF.',
  unreadable: 'Billedet kunne ikke læses. Filen kan være beskadiget. Gem billedet igen, og prøv igen.',
  tooLarge: (bytes: number) => `Filen er for stor (${showBytes(bytes)}). Den må højst være ${showBytes(MAX_UPLOAD_BYTES)}.`,
  tooManyPixels: (w: number, h: number) => `Billedet er for stort (${w} × ${h} pixel). Det må højst være ${MAX_PIXELS / 1_000_000} megapixel.`,
  missingAlt: 'Skriv en alternativ tekst, der beskriver billedet for dem, der ikke kan se det.',
  longAlt: `Den alternative tekst må højst være ${MAX_ALT_LENGTH} tegn.`,
  inUse: (n: number) => `Billedet bruges i ${n} ${n === 1 ? 'indholdselement' : 'indholdselementer'} og kan ikke slettes.`,
} as const;

export interface UploadInput {
  filename: string;
  /** What the browser claimed. Not trusted: the format is read from the content. */
  mime: string;
  data: Buffer;
  /** The size sent, when `data` was cut short because the file was over the limit; defaults to `data.length`. */
  size?: number;
  alt: string;
}

type Format = 'jpeg' | 'png' | 'webp' | 'gif';
const FORMAT_MIME: Record<Format, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };
const EXTENSION: Record<RenditionFormat, string> = { webp: 'webp', jpeg: 'jpg' };

/**
 * The signature bytes of the accepted formats. Checked before sharp sees the file, so SVG (which can carry
 * script) and other formats never reach a decoder at all; sharp's own reading of the format must then agree.
 */
function signatureFormat(data: Buffer): Format | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) return 'gif';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

export function checkAlt(raw: string): { alt: string; problem: string | null } {
  const alt = raw.trim();
  if (!alt) return { alt, problem: MESSAGES.missingAlt };
  if (alt.length > MAX_ALT_LENGTH) return { alt, problem: MESSAGES.longAlt };
  return { alt, problem: null };
}

/** The name as the person's computer had it, without any folder and without control characters. */
function cleanName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return name || 'billede';
}

interface Inspected {
  format: Format;
  /** As shown, after the EXIF orientation is applied. */
  width: number;
  height: number;
}

/** Reads the header only; the pixels are decoded later, once per rendition pipeline. */
async function inspect(data: Buffer): Promise<Inspected | { problem: string }> {
  const signature = signatureFormat(data);
  if (!signature) return { problem: MESSAGES.notImage };
  let meta: sharp.Metadata;
  try {
    meta = await sharp(data).metadata();
  } catch {
    return { problem: MESSAGES.notImage };
  }
  if (meta.format !== signature) return { problem: MESSAGES.notImage };
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) return { problem: MESSAGES.unreadable };
  if (width * height > MAX_PIXELS) return { problem: MESSAGES.tooManyPixels(width, height) };
  return { format: signature, width, height };
}

export function renditionWidths(originalWidth: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w <= originalWidth);
  // The largest rendition stands in for the original, so an image between two steps keeps its full width.
  if (originalWidth < RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]! && !widths.includes(originalWidth)) widths.push(originalWidth);
  return widths;
}

const mediaRoot = (config: Config) => path.join(config.dataDir, 'media');
export const mediaDir = (config: Config, id: string) => path.join(mediaRoot(config), id);

/**
 * Every rendition, encoded in memory (a few MB at most). sharp writes no metadata unless asked: EXIF (with GPS),
 * XMP and ICC profiles are dropped and the pixels converted to sRGB; the orientation is applied to the pixels first.
 */
async function encodeRenditions(data: Buffer, widths: number[]): Promise<{ rendition: Rendition; data: Buffer }[]> {
  // The first frame of an animation; the limit makes sharp refuse a bomb that slipped past the header check.
  const decoded = sharp(data, { pages: 1, limitInputPixels: MAX_PIXELS }).autoOrient();
  const out: { rendition: Rendition; data: Buffer }[] = [];
  for (const width of widths) {
    for (const format of ['webp', 'jpeg'] as const) {
      const resized = decoded.clone().resize({ width, withoutEnlargement: true });
      // JPEG has no transparency; a transparent PNG or GIF is laid on white rather than black.
      const encoded = format === 'webp' ? resized.webp({ quality: 80 }) : resized.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true });
      const { data: bytes, info } = await encoded.toBuffer({ resolveWithObject: true });
      out.push({ rendition: { width: info.width, height: info.height, format, file: `${width}.${EXTENSION[format]}`, bytes: bytes.length }, data: bytes });
    }
  }
  return out;
}

/** Written into a folder of its own beside the final one and renamed into place, so a reader never finds half an image. */
async function writeFiles(config: Config, id: string, files: { rendition: Rendition; data: Buffer }[]): Promise<void> {
  const root = mediaRoot(config);
  await fs.mkdir(root, { recursive: true });
  const temporary = await fs.mkdtemp(path.join(root, `.upload-${id}-`));
  try {
    for (const f of files) await fs.writeFile(path.join(temporary, f.rendition.file), f.data);
    await fs.rename(temporary, mediaDir(config, id));
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

function requireEditor(actor: Actor): void {
  if (!canUseEditor(actor)) throw new ForbiddenError('Kun redaktører kan arbejde med mediearkivet.');
}

/**
 * Adds an image to the library: checks the file and the alt text (every problem at once), makes the renditions,
 * and records the row and its audit entry together. The uploaded file itself is not kept.
 */
export async function uploadImage(db: Db, config: Config, actor: Actor, input: UploadInput): Promise<{ id: string }> {
  requireEditor(actor);
  const problems: Record<string, string> = {};
  const { alt, problem: altProblem } = checkAlt(input.alt);
  let inspected: Inspected | null = null;
  const size = Math.max(input.size ?? 0, input.data.length);
  if (!size) problems.file = MESSAGES.missingFile;
  else if (size > MAX_UPLOAD_BYTES) problems.file = MESSAGES.tooLarge(size);
  else {
    const result = await inspect(input.data);
    if ('problem' in result) problems.file = result.problem;
    else inspected = result;
  }
  if (altProblem) problems.alt = altProblem;
  if (Object.keys(problems).length || !inspected) throw new ValidationError(problems);

  let files: { rendition: Rendition; data: Buffer }[];
  try {
    files = await encodeRenditions(input.data, renditionWidths(inspected.width));
  } catch {
    // The header was fine but the pixels were not: a truncated or damaged file.
    throw new ValidationError({ file: MESSAGES.unreadable });
  }
  const renditions = files.map((f) => f.rendition);
  const id = newId();
  await writeFiles(config, id, files);
  const largest = renditions[renditions.length - 1]!;
  const originalName = cleanName(input.filename);
  try {
    await db.transaction().execute(async (tx) => {
      await store.insertMedia(tx, {
        id,
        original_name: originalName,
        mime: FORMAT_MIME[inspected.format],
        bytes: input.data.length,
        width: largest.width,
        height: largest.height,
        alt,
        renditions: JSON.stringify(renditions),
        uploaded_by: actor.personId || null,
        created_at: nowIso(),
      });
      await audit(tx, {
        ...auditActor(actor),
        action: 'media.uploaded',
        objectType: 'media',
        objectId: id,
        details: { name: originalName, bytes: input.data.length, width: largest.width, height: largest.height },
      });
    });
  } catch (error) {
    await fs.rm(mediaDir(config, id), { recursive: true, force: true });
    throw error;
  }
  return { id };
}

export async function updateAlt(db: Db, actor: Actor, id: string, rawAlt: string): Promise<void> {
  requireEditor(actor);
  const { alt, problem } = checkAlt(rawAlt);
  await db.transaction().execute(async (tx) => {
    const media = await store.findMedia(tx, id);
    if (!media) throw new NotFoundError('Billedet findes ikke.');
    if (problem) throw new ValidationError({ alt: problem });
    if (media.alt === alt) return;
    await store.updateMediaAlt(tx, id, alt);
    await audit(tx, { ...auditActor(actor), action: 'media.alt_updated', objectType: 'media', objectId: id, details: { before: media.alt, after: alt } });
  });
}

/** Only an image no revision mentions may go; its files are removed once the row is gone. */
export async function deleteMedia(db: Db, config: Config, actor: Actor, id: string): Promise<void> {
  requireEditor(actor);
  await db.transaction().execute(async (tx) => {
    const media = await store.findMedia(tx, id);
    if (!media) throw new NotFoundError('Billedet findes ikke.');
    const users = await store.itemsUsingMedia(tx, id);
    if (users.length) throw new ConflictError(MESSAGES.inUse(users.length));
    await store.deleteMediaRow(tx, id);
    await audit(tx, { ...auditActor(actor), action: 'media.deleted', objectType: 'media', objectId: id, details: { name: media.original_name } });
  });
  // After the commit: a failed removal leaves unreachable files behind, never a row without its files.
  await fs.rm(mediaDir(config, id), { recursive: true, force: true });
}
