import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ArticleBox, ArticleParts, MicroArticle, SelfServiceLink } from './model.ts';
import { absoluteUrl, plainText, sanitizeDocument, sanitizePart } from './sanitize.ts';

// borger.dk's `Content` is HTML whose parts are marked by ids. The shape follows the clients that read it:
// ffwagency/borgerdk-php (src/BorgerDk/ArticleService/Resources/ArticleAbstract.php, used by OS2web's
// os2web_borgerdk) and skybrud/Skybrud.Integrations.BorgerDk (BorgerDkArticle.cs):
//
//   <div id="selvbetjeningslinks"><h3>…</h3><ul><li id="selfservicelink_<guid>"><a href="…" title="…">…</a></li></ul></div>
//   <div id="kernetekst">
//     <div class="microArticle" id="microArticle_<id>"><h2 class="mArticle">Heading</h2><div class="mArticle…"><div>text</div></div></div>
//   </div>
//   <div id="lovgivning"><h3>Lovgivning</h3><div><div>text</div></div></div>
//   <div id="anbefaler"><h3>…</h3><div><div>text</div></div></div>
//   <div id="byline"><div>Skrevet af …</div></div>
//
// Micro-article headings are h2, in newer articles sometimes h3.

const lastIdPart = (id: string | undefined): string => (id ? (id.split('_').pop() ?? '') : '').replace(/[^\w-]/g, '').slice(0, 60);

function selfServiceLinks($: CheerioAPI, base: string): SelfServiceLink[] {
  const links: SelfServiceLink[] = [];
  $('#selvbetjeningslinks li').each((i, li) => {
    const a = $(li).find('a[href]').first();
    if (!a.length) return;
    const safe = absoluteUrl(a.attr('href') ?? '', base);
    if (!safe || !/^https?:/.test(safe)) return;
    const label = plainText(a.html() ?? '');
    if (!label) return;
    links.push({ id: lastIdPart($(li).attr('id')) || String(i + 1), url: safe, label, title: plainText(a.attr('title') ?? '') });
  });
  return links;
}

/** The heading element of a part: its first h2 or h3, wherever the wrappers put it. */
const headingOf = ($part: Cheerio<Element>): Cheerio<Element> => $part.find('h2, h3').first();

/** The part's HTML without its heading. */
function bodyWithoutHeading($: CheerioAPI, $part: Cheerio<Element>, base: string): string {
  const copy = $part.clone();
  headingOf(copy).remove();
  return sanitizePart(copy.html() ?? '', base);
}

function microArticles($: CheerioAPI, base: string): MicroArticle[] {
  const nodes = $('#kernetekst').find('div.microArticle, div[id^="microArticle_"]');
  // A micro-article inside another (never seen, but cheap to rule out) would otherwise be shown twice.
  const outer = nodes.filter((_, el) => $(el).parents('div.microArticle, div[id^="microArticle_"]').length === 0);
  const seen = new Set<string>();
  const result: MicroArticle[] = [];
  outer.each((i, el) => {
    const $el = $(el);
    const heading = plainText(headingOf($el).html() ?? '');
    if (!heading) return;
    let id = lastIdPart($el.attr('id')) || `${i + 1}`;
    while (seen.has(id)) id = `${id}-${i + 1}`;
    seen.add(id);
    result.push({ id, heading, html: bodyWithoutHeading($, $el, base) });
  });
  return result;
}

function box($: CheerioAPI, selector: string, fallbackHeading: string, base: string): ArticleBox | null {
  const $box = $(selector).first() as Cheerio<Element>;
  if (!$box.length) return null;
  const html = bodyWithoutHeading($, $box, base);
  if (!html) return null;
  return { heading: plainText(headingOf($box).html() ?? '') || fallbackHeading, html };
}

/** The article's content as stored (sanitised) and its parts as shown. `base` is the article's own address on borger.dk. */
export function parseContent(content: string, base: string): { document: string; parts: ArticleParts } {
  const document = sanitizeDocument(content, base);
  const $ = cheerio.load(document, null, false);
  const byline = $('#byline').first();
  return {
    document,
    parts: {
      selfServiceLinks: selfServiceLinks($, base),
      microArticles: microArticles($, base),
      legislation: box($, '#lovgivning', 'Lovgivning', base),
      recommendation: box($, '#anbefaler', 'Borger.dk anbefaler', base),
      byline: byline.length ? plainText(byline.html() ?? '') || null : null,
    },
  };
}
