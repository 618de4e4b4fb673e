import sanitizeHtml from 'sanitize-html';
import { isSafeUrl } from '../content/markdown.ts';

// Imported HTML is someone else's: it is cut down to text, lists, links and tables before it is stored or shown,
// so no script, event handler, style or frame from the feed can reach a reader, and the strict CSP holds.

const TEXT_TAGS = ['p', 'br', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'b', 'i', 'abbr', 'sub', 'sup', 'blockquote', 'h3', 'h4'];
const TABLE_TAGS = ['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'];

/** borger.dk writes its own links as paths; on our site they must lead back to borger.dk. Null for a link that cannot be followed from here. */
export function absoluteUrl(href: string, base: string): string | null {
  const value = href.trim();
  if (!value || value.startsWith('#') || !isSafeUrl(value)) return null;
  try {
    const url = new URL(value, base);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.toString() : null;
  } catch {
    return null;
  }
}

function linkTransform(base: string): sanitizeHtml.Transformer {
  return (_tagName, attribs) => {
    const href = attribs.href === undefined ? null : absoluteUrl(attribs.href, base);
    // A link that cannot be followed from here is left as its text.
    if (!href) return { tagName: 'span', attribs: {} };
    return { tagName: 'a', attribs: { href, ...(attribs.title ? { title: attribs.title } : {}) } };
  };
}

/**
 * A part of an article as readers see it, inside a section that already has its h2:
 * headings inside it become h3 and h4, and the boxes and wrappers around the text go.
 */
export function sanitizePart(html: string, base: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...TEXT_TAGS, ...TABLE_TAGS],
    allowedAttributes: { a: ['href', 'title'], abbr: ['title'], th: ['scope', 'colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowProtocolRelative: false,
    transformTags: { h1: 'h3', h2: 'h3', h5: 'h4', h6: 'h4', a: linkTransform(base) },
    disallowedTagsMode: 'discard',
  }).trim();
}

/**
 * The whole content as stored: the same safe subset, plus the wrappers and ids that mark its parts,
 * so it can be split again later without asking borger.dk.
 */
export function sanitizeDocument(html: string, base: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...TEXT_TAGS, ...TABLE_TAGS, 'div', 'span', 'h1', 'h2', 'h5', 'h6', 'section'],
    allowedAttributes: { '*': ['id', 'class'], a: ['href', 'title', 'id', 'class'], abbr: ['title'], th: ['scope', 'colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowProtocolRelative: false,
    transformTags: { a: linkTransform(base) },
    disallowedTagsMode: 'discard',
  }).trim();
}

/** Plain text from a bit of HTML that should have none (titles, headings, the byline): tags dropped, entities decoded once. */
export function plainText(html: string): string {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const n = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
