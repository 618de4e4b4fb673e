import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { type Errors, fieldsOf, flagged, formOf, noticeFor, paramsOf, queryOf, text, type Values } from '../platform/forms.ts';
import * as service from './front-slots-service.ts';

/** How many live items the add form lists at once; the filter box finds the rest. */
const LIST_LIMIT = 25;

const NOTICES = {
  placeret: 'Indholdet er sat på forsiden.',
  erstattet: 'Indholdet har erstattet det, der stod på pladsen.',
  flyttet: 'Rækkefølgen er ændret.',
  fjernet: 'Indholdet er taget af forsiden.',
  antal: 'Antallet af pladser er gemt.',
};

/**
 * The front page's slots in the admin: /admin/forside for the main website, /admin/sites/:siteId/forside for a
 * subsite. Every button is a small form, so the page works without JavaScript.
 */
export async function frontSlotsRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  /** The front page the address names, once the person is known to be allowed to edit it. */
  async function pageOf(request: FastifyRequest): Promise<service.FrontPage> {
    const siteId = paramsOf(request).siteId;
    let page: service.FrontPage | undefined;
    if (siteId === undefined) page = await service.frontPageOf(db, service.MAIN);
    else {
      // Refused before the lookup, so nobody without a subsite learns which site ids exist.
      if (!service.mayEditSomeSubsiteFront(request.actor)) throw new ForbiddenError('Forsiden af et subsite redigeres af subsitets egne redaktører.');
      page = siteId === service.MAIN ? undefined : await service.frontPageOf(db, siteId);
      if (!page) throw new NotFoundError('Subsitet findes ikke.');
    }
    if (!page || !service.canEditFrontPage(request.actor, page)) {
      throw new ForbiddenError(page?.site ? 'Forsiden af et subsite redigeres af subsitets egne redaktører.' : 'Hjemmesidens forside redigeres af redaktørgruppen for hjemmesiden.');
    }
    return page;
  }

  async function show(request: FastifyRequest, reply: FastifyReply, page: service.FrontPage, state: { values?: Values; errors?: Errors; q?: string } = {}) {
    const q = state.q ?? text(queryOf(request), 'q').trim();
    const [slots, placeable] = await Promise.all([service.editorSlots(db, page), service.placeableFor(db, page, { q, limit: LIST_LIMIT })]);
    const errors = state.errors ?? {};
    const values = { count: String(page.slotCount), ...state.values };
    const rows = Array.from({ length: Math.max(page.slotCount, slots.length) }, (_, i) => ({ number: i + 1, slot: slots[i] ?? null }));
    return reply.code(Object.keys(errors).length ? 422 : 200).view('sites/views/front-slots.njk', {
      title: page.site ? `Forsiden af ${page.site.name}` : 'Hjemmesidens forside',
      page,
      rows,
      slots,
      full: slots.length >= page.slotCount,
      placeable,
      listLimit: LIST_LIMIT,
      q,
      values,
      errors,
      askConfirmDrop: !!errors.confirmDrop || flagged(text(values, 'confirmDrop')),
      noticeText: noticeFor(request, NOTICES),
    });
  }

  /** After a change: back to the page with its notice, so a reload repeats nothing. */
  const done = (reply: FastifyReply, page: service.FrontPage, flag: keyof typeof NOTICES, anchor = 'pladser') => reply.redirect(`${page.adminPath}?${flag}=1#${anchor}`, 303);

  for (const base of ['/forside', '/sites/:siteId/forside']) {
    app.get(base, async (request, reply) => show(request, reply, await pageOf(request)));

    app.post(`${base}/placer`, async (request, reply) => {
      const page = await pageOf(request);
      const form = formOf(request);
      const values = { itemId: text(form, 'itemId'), replaces: text(form, 'replaces') };
      try {
        const { position } = await service.placeItem(db, request.actor!, page.key, values);
        return done(reply, page, values.replaces ? 'erstattet' : 'placeret', `plads-${position}`);
      } catch (error) {
        return show(request, reply, page, { values, errors: fieldsOf(error), q: text(form, 'q').trim() });
      }
    });

    app.post(`${base}/flyt`, async (request, reply) => {
      const page = await pageOf(request);
      const form = formOf(request);
      const itemId = text(form, 'itemId');
      try {
        await service.moveSlot(db, request.actor!, page.key, itemId, text(form, 'direction') === 'ned' ? 'down' : 'up');
        return done(reply, page, 'flyttet');
      } catch (error) {
        return show(request, reply, page, { errors: fieldsOf(error) });
      }
    });

    app.post(`${base}/fjern`, async (request, reply) => {
      const page = await pageOf(request);
      try {
        await service.removeSlot(db, request.actor!, page.key, text(formOf(request), 'itemId'));
        return done(reply, page, 'fjernet');
      } catch (error) {
        return show(request, reply, page, { errors: fieldsOf(error) });
      }
    });

    app.post(`${base}/pladser`, async (request, reply) => {
      const page = await pageOf(request);
      const form = formOf(request);
      const values = { count: text(form, 'count'), confirmDrop: text(form, 'confirmDrop') };
      try {
        await service.setSlotCount(db, request.actor!, page.key, { count: values.count, confirmDrop: flagged(values.confirmDrop) });
        return done(reply, page, 'antal', 'antal-pladser');
      } catch (error) {
        return show(request, reply, page, { values, errors: fieldsOf(error) });
      }
    });
  }
}
