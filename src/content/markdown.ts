import markdownIt, { type MarkdownIt, type MarkdownItOptions, type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown bodies written by editors, turned into HTML for pages and into plain text for summaries,
 * search and LIX. Raw HTML in the source is never passed through (`html: false`); the sanitiser behind
 * markdown-it is a second wall in case a markdown-it rule or plugin ever emits something unexpected.
 */

const markdownItOptions: MarkdownItOptions = {
  html: false,
  linkify: true,
  typographer: true,
  // Danish quotation marks: „dobbelte“ and ‚enkelte‘.
  quotes: '„“‚‘',
};
export const markdownOptions: Readonly<MarkdownItOptions> = Object.freeze(markdownItOptions);

const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

// The named entities that matter for hiding a scheme: its colon and the whitespace browsers skip.
const NAMED_ENTITIES: Record<string, string> = { colon: ':', tab: '\t', newline: '\n' };

function codePoint(n: number): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

/**
 * Decides whether a link or image address may be used: http, https, mailto, tel or a relative path.
 * It works on an allowlist rather than a list of bad schemes, so `javascript:` hidden behind entities,
 * percent-encoding, control characters, whitespace or odd case is refused without having to name it.
 */
export function isSafeUrl(url: string): boolean {
  let value = url;
  // Callers pass decoded values, but a value decoded once too few times must not slip through either;
  // encodings can also be nested (%2509 → %09 → tab), so decode until nothing changes.
  for (let i = 0; i < 5; i++) {
    const decoded = value
      .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&#x([0-9a-f]{1,6});?/gi, (_, hex: string) => codePoint(parseInt(hex, 16)))
      .replace(/&#([0-9]{1,7});?/g, (_, dec: string) => codePoint(parseInt(dec, 10)))
      .replace(/&(colon|tab|newline);/gi, (_, name: string) => NAMED_ENTITIES[name.toLowerCase()] ?? '');
    if (decoded === value) break;
    value = decoded;
  }
  // Browsers skip control characters and whitespace inside a scheme, and read `\` as `/`.
  value = value
    .replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]+/g, '')
    .replace(/\\/g, '/')
    .toLowerCase();
  // A network-path reference (//host) leaves the site without saying so; editors must write https://.
  if (value.startsWith('//')) return false;
  const colon = value.indexOf(':');
  if (colon === -1) return true;
  const pathStart = value.search(/[/?#]/);
  // A colon after the first / ? or # belongs to the path, query or fragment of a relative URL.
  if (pathStart !== -1 && pathStart < colon) return true;
  const scheme = value.slice(0, colon);
  return (ALLOWED_SCHEMES as readonly string[]).includes(scheme);
}

function isExternal(href: string): boolean {
  return /^\s*https?:/i.test(href);
}

const sanitizeHtmlOptions: sanitizeHtml.IOptions = {
  // h5 and h6 are kept so that `####` and `#####` stay headings after the one-level shift.
  allowedTags: ['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'a', 'strong', 'em', 'code', 'pre', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'img'],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    th: [{ name: 'scope', values: ['col', 'row', 'colgroup', 'rowgroup'] }],
    ol: ['start'],
  },
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      // rel is only ever what this filter sets.
      const rest = { ...attribs };
      delete rest.rel;
      if (rest.href !== undefined && !isSafeUrl(rest.href)) delete rest.href;
      if (rest.href !== undefined && isExternal(rest.href)) rest.rel = 'noopener';
      return { tagName, attribs: rest };
    },
    img: (tagName, attribs) => {
      const rest = { ...attribs };
      if (rest.src !== undefined && !isSafeUrl(rest.src)) delete rest.src;
      return { tagName, attribs: rest };
    },
  },
  // An image without a text alternative is invisible to screen-reader users, and one without a usable
  // address shows nothing; both are left out rather than published.
  exclusiveFilter: (frame) => frame.tag === 'img' && (!frame.attribs.alt?.trim() || !frame.attribs.src),
};
export const sanitizeOptions: Readonly<sanitizeHtml.IOptions> = Object.freeze(sanitizeHtmlOptions);

function createRenderer(): MarkdownIt {
  const md = markdownIt('default', markdownItOptions);
  // The sanitiser has no tag for struck-through text; dropping only the tag would publish deleted words
  // as if they were current ("~~kl. 10~~ kl. 11"), so `~~` is left as the editor typed it.
  md.disable('strikethrough');
  // Editors write addresses as "www.tonder.dk" or "borger.dk" far more often than with https://.
  md.linkify.set({ fuzzyLink: true });
  // Refused links and images stay as their literal Markdown, so the editor sees the problem in preview.
  md.validateLink = isSafeUrl;
  // The page template owns the only h1; a body's highest heading becomes h2, whether the editor typed `#` or `##`,
  // so no level is skipped below the page title.
  md.core.ruler.push('shift_headings', (state) => {
    const levels = state.tokens.filter((t) => t.type === 'heading_open').map((t) => Number(t.tag.slice(1)));
    const shift = levels.length ? 2 - Math.min(...levels) : 0;
    for (const token of state.tokens) {
      if (token.type === 'heading_open' || token.type === 'heading_close') {
        const level = Number(token.tag.slice(1));
        token.tag = `h${Math.min(6, level + shift)}`;
      }
      if (token.type === 'th_open') token.attrSet('scope', 'col');
    }
  });
  return md;
}

const md = createRenderer();

/** Safe HTML for a page body. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), sanitizeHtmlOptions);
}

function inlineText(token: Token): string {
  let text = '';
  for (const child of token.children ?? []) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
        text += child.content;
        break;
      case 'softbreak':
        text += ' ';
        break;
      case 'hardbreak':
        text += '\n';
        break;
      // Images are left out: their alt text describes a picture and is not part of the running prose.
      default:
        break;
    }
  }
  // Left-out images leave doubled spaces behind.
  return text.replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * The words of a body without markup, for summaries, search and LIX. Every block (paragraph, heading,
 * list item, table cell, code block) ends with a blank line, so a block end is also a sentence end;
 * lines wrapped inside a paragraph are joined. The result is text, not HTML: escape it before output.
 */
export function markdownToPlainText(source: string): string {
  const blocks: string[] = [];
  for (const token of md.parse(source, {})) {
    if (token.type === 'inline') {
      const text = inlineText(token);
      if (text) blocks.push(text);
    } else if (token.type === 'fence' || token.type === 'code_block') {
      const text = token.content.trim();
      if (text) blocks.push(text);
    }
  }
  return blocks.join('\n\n');
}
