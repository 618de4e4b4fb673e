import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseContent } from '../content/service.ts';
import { WEBSITE_SECTIONS, type WebsiteSection } from '../content/types.ts';
import type { DbOrTx } from '../platform/database.ts';
import { paramsOf } from '../platform/forms.ts';
import { renderLiveItem, renderWithdrawn } from './item-page.ts';
import * as queries from './queries.ts';

// A replacement may itself have been replaced; a short chain is followed, a loop is not.
const MAX_REDIRECT_HOPS = 5;

/**
 * Where the last live edition of an unpublished item was on the website. A draft placed on the website
 * but never published does not count, so an intranet item's withdrawal note never becomes public.
 */
async function formerWebsiteSections(db: DbOrTx, item: queries.PublicItem): Promise<{ sections: string[]; lastTitle: string | null }> {
  const json = item.lastLiveRevision === null ? undefined : await queries.revisionContent(db, item.id, item.lastLiveRevision);
  if (!json) return { sections: [], lastTitle: null };
  const content = parseContent(json);
  const sections = [...new Set(content.placements.flatMap((p) => (p.channel === 'website' ? [p.section] : [])))];
  return { sections, lastTitle: content.title };
}

/** Where an item is read on the website now: its live section, or where a replacement or withdrawal notice answers. */
async function publicUrl(db: DbOrTx, id: string, hops: number): Promise<string | null> {
  const item = await queries.itemById(db, id);
  if (!item) return null;
  if (item.liveRevision !== null) {
    const [section] = await queries.liveWebsiteSections(db, item.id);
    return section ? `/${section}/${item.slug}` : null;
  }
  if (item.unpublishReason === 'replaced' && item.replacedBy && hops > 0) return publicUrl(db, item.replacedBy, hops - 1);
  if (item.unpublishReason === 'withdrawn') {
    const [section] = (await formerWebsiteSections(db, item)).sections;
    return section ? `/${section}/${item.slug}` : null;
  }
  return null;
}

// The page a section's crumb leads to; sections without a list page of their own lead to the front page.
const SECTION_HOMES: Record<WebsiteSection, string | undefined> = {
  borger: '/selvbetjening',
  erhverv: undefined,
  politik: undefined,
  kommunen: undefined,
  nyheder: '/nyheder',
  arrangementer: '/arrangementer',
};

/** Live items on the public website, at /<section>/<slug>. Readers get the live edition only, and no cookie. */
export async function itemRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  async function show(reply: FastifyReply, section: WebsiteSection, slug: string) {
    const item = await queries.itemBySlug(db, slug);
    if (!item) return reply.callNotFound();
    const sectionCrumb = { text: WEBSITE_SECTIONS[section], href: SECTION_HOMES[section] };
    // A crumb without an address would read as the current page, so a section without a page of its own is left out.
    const crumbs = [{ text: 'Forside', href: '/' }, ...(sectionCrumb.href ? [sectionCrumb] : [])];

    if (item.liveRevision !== null) {
      const sections = await queries.liveWebsiteSections(db, item.id);
      if (!sections.includes(section)) {
        // Moved to another section in a later edition: old links keep working.
        return sections[0] ? reply.redirect(`/${sections[0]}/${item.slug}`, 301) : reply.callNotFound();
      }
      return renderLiveItem(db, reply, item, {
        crumbs,
        label: sectionCrumb.text,
        calendarHref: item.type === 'event' && section === 'arrangementer' ? `/arrangementer/${item.slug}/kalender.ics` : null,
      });
    }

    // Never published, or not from this section of the website: nothing was ever readable here.
    if (!item.firstPublishedAt) return reply.callNotFound();
    const former = await formerWebsiteSections(db, item);
    if (!former.sections.includes(section)) return reply.callNotFound();

    if (item.unpublishReason === 'replaced' && item.replacedBy) {
      const target = await publicUrl(db, item.replacedBy, MAX_REDIRECT_HOPS);
      return target ? reply.redirect(target, 301) : reply.callNotFound();
    }
    if (item.unpublishReason === 'withdrawn') {
      return renderWithdrawn(reply, former.lastTitle, item.unpublishNote, { crumbs, label: sectionCrumb.text });
    }
    // Published by mistake: as if it had never been there.
    return reply.callNotFound();
  }

  for (const section of Object.keys(WEBSITE_SECTIONS) as WebsiteSection[]) {
    app.get(`/${section}/:slug`, async (request, reply) => show(reply, section, paramsOf(request).slug!));
  }
}
