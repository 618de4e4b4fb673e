import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Errors, fieldsOf, formOf, noticeFor, pageNumber, pagination, paramsOf, pick, queryOf, queryString, text, type Values } from '../platform/forms.ts';
import { keepsRegistry } from '../social/access.ts';
import { accountLinks } from '../social/store.ts';
import { FREQUENCIES, FREQUENCY_LABELS, NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, NOTIFICATIONS_PATH, PREFERENCES_PATH } from './model.ts';
import * as service from './service.ts';

const NOTICES = {
  laest: 'Notifikationen er markeret som læst.',
  alle: 'Alle dine notifikationer er markeret som læst.',
};
const PREFERENCE_NOTICES = {
  gemt: 'Dine valg er gemt. De gælder fra næste mail.',
};

const KIND_HINTS = {
  news: 'Nyheder fra kommunen, der er sendt til dig, din rolle eller din enhed.',
  mention: 'Når en kollega nævner dig eller kommenterer dit opslag.',
  must_read: 'Indhold, du skal læse og bekræfte, at du har læst.',
  social: 'Når et opslag, du har skrevet til kommunens sociale medier, ikke kunne sendes, eller en konto skal forbindes igen.',
} as const;

/** The reader's notifications and their choice of how often they are mailed (I4), under /intranet. */
export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/notifikationer', async (request, reply) => {
    const page = await service.notificationPage(db, request.actor, pageNumber(queryOf(request)));
    return reply.view('notifications/views/list.njk', {
      title: 'Notifikationer',
      ...page,
      pager: pagination(page.page, page.totalPages, (n) => `${NOTIFICATIONS_PATH}${queryString({ side: n > 1 ? n : undefined })}`),
      notice: noticeFor(request, NOTICES),
    });
  });

  /** Back to the page the person was on, so marking one read does not lose their place. */
  const backToList = (reply: FastifyReply, request: FastifyRequest, flag: keyof typeof NOTICES) => {
    const side = Number.parseInt(text(formOf(request), 'side'), 10);
    return reply.redirect(`${NOTIFICATIONS_PATH}${queryString({ [flag]: 1, side: side > 1 ? side : undefined })}`, 303);
  };

  app.post('/notifikationer/laest', async (request, reply) => {
    await service.markAllRead(db, request.actor);
    return backToList(reply, request, 'alle');
  });

  app.post('/notifikationer/:id/laest', async (request, reply) => {
    await service.markRead(db, request.actor, paramsOf(request).id ?? '');
    return backToList(reply, request, 'laest');
  });

  /** "Dine opslag på sociale medier" is only for those who write to an account. */
  async function kindsFor(request: FastifyRequest) {
    const writesSocial = (await accountLinks(db, { all: keepsRegistry(request.actor), groupIds: request.viewer?.groupIds ?? [] })).length > 0;
    return NOTIFICATION_KINDS.filter((k) => k !== 'social' || writesSocial);
  }

  async function showPreferences(request: FastifyRequest, reply: FastifyReply, state: { values?: Values; errors?: Errors } = {}) {
    const errors = state.errors ?? {};
    const values = state.values ?? (await service.preferencesOf(db, request.actor));
    return reply.code(Object.keys(errors).length ? 422 : 200).view('notifications/views/preferences.njk', {
      title: 'Notifikationer på e-mail',
      kinds: (await kindsFor(request)).map((k) => ({ kind: k, label: NOTIFICATION_KIND_LABELS[k], hint: KIND_HINTS[k] })),
      frequencyOptions: FREQUENCIES.map((f) => ({ value: f, text: FREQUENCY_LABELS[f] })),
      values,
      errors,
      notice: Object.keys(errors).length ? null : noticeFor(request, PREFERENCE_NOTICES),
    });
  }

  app.get('/indstillinger/notifikationer', async (request, reply) => showPreferences(request, reply));

  app.post('/indstillinger/notifikationer', async (request, reply) => {
    // Kinds not on the form keep what they were.
    const values = { ...(await service.preferencesOf(db, request.actor)), ...pick(formOf(request), await kindsFor(request)) };
    try {
      await service.savePreferences(db, request.actor, values);
      return reply.redirect(`${PREFERENCES_PATH}?gemt=1`, 303);
    } catch (error) {
      return showPreferences(request, reply, { values, errors: fieldsOf(error) });
    }
  });
}
