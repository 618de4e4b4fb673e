import type { MediaRow } from './tables.ts';

export type RenditionFormat = 'webp' | 'jpeg';

/** One stored file of an image: `<dataDir>/media/<id>/<file>`, served at `/media/<id>/<file>`. */
export interface Rendition {
  width: number;
  height: number;
  format: RenditionFormat;
  /** "<width>.webp" or "<width>.jpg". */
  file: string;
  bytes: number;
}

/** What `pictureFor` needs: a media row as stored, or one whose renditions are already parsed. */
export type PictureSource = Pick<MediaRow, 'id'> & { renditions: string | Rendition[] };

export const RENDITION_TYPES: Record<RenditionFormat, string> = { webp: 'image/webp', jpeg: 'image/jpeg' };

export const mediaUrl = (id: string, file: string): string => `/media/${id}/${file}`;

/** Media ids are UUIDs; anything else in an address is refused before it reaches the database or the disk. */
export const isMediaId = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export function parseRenditions(renditions: string | Rendition[]): Rendition[] {
  if (Array.isArray(renditions)) return renditions;
  try {
    const parsed: unknown = JSON.parse(renditions);
    return Array.isArray(parsed) ? (parsed as Rendition[]) : [];
  } catch {
    return [];
  }
}

export interface Picture {
  /** One `<source>` per modern format, before the `<img>` that carries the JPEG fallback. */
  sources: { type: string; srcset: string; sizes: string }[];
  src: string;
  srcset: string;
  sizes: string;
  width: number;
  height: number;
  alt: string;
}

const srcsetOf = (id: string, renditions: Rendition[]) => renditions.map((r) => `${mediaUrl(id, r.file)} ${r.width}w`).join(', ');

/**
 * The data of a `<picture>` for a stored image: WebP first, JPEG for the rest, each with every width so the browser picks
 * by `sizes` and screen density. The alt text is the caller's: each use of an image describes it in its own context.
 * `maxWidth` leaves out larger renditions, e.g. for thumbnails. Returns null when the image has no files to show.
 *
 * In a template: `{% from "content/views/media-macros.njk" import picture %}{{ picture(pictureFor(media, alt, '100vw')) }}`.
 */
export function pictureFor(media: PictureSource, alt: string, sizes: string, options: { maxWidth?: number } = {}): Picture | null {
  const all = parseRenditions(media.renditions).filter((r) => !options.maxWidth || r.width <= options.maxWidth);
  const byWidth = (format: RenditionFormat) => all.filter((r) => r.format === format).sort((a, b) => a.width - b.width);
  const jpeg = byWidth('jpeg');
  const webp = byWidth('webp');
  const fallbacks = jpeg.length ? jpeg : webp;
  // The `src` is for browsers that ignore srcset; a middling width serves them on any screen.
  const fallback = fallbacks.find((r) => r.width >= 640) ?? fallbacks[fallbacks.length - 1];
  const largest = fallbacks[fallbacks.length - 1];
  if (!fallback || !largest) return null;
  return {
    sources: webp.length && jpeg.length ? [{ type: RENDITION_TYPES.webp, srcset: srcsetOf(media.id, webp), sizes }] : [],
    src: mediaUrl(media.id, fallback.file),
    srcset: srcsetOf(media.id, fallbacks),
    sizes,
    // The largest rendition's size gives the aspect ratio, so the page does not jump when the image arrives.
    width: largest.width,
    height: largest.height,
    alt,
  };
}

const oneDecimal = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 });

export const MB = 1024 * 1024;

/**
 * "2,3 MB", "340 kB". Rounded up, so a file just over a limit never reads as the limit itself.
 */
export function showBytes(bytes: number): string {
  if (bytes >= MB) return `${oneDecimal.format(Math.ceil((bytes / MB) * 10) / 10)} MB`;
  return `${Math.max(1, Math.ceil(bytes / 1024))} kB`;
}
