import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskCpr } from '../moderation/cpr.ts';
import { type Errors, formOf, paramsOf, text, type Values } from '../platform/forms.ts';
import { createMailer } from '../platform/mail.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { escalateItem, escalationOf, escalationTargets, MAX_NOTE_LENGTH } from './escalation.ts';
import { itemPath } from './list-routes.ts';
import { inboxGate, refusalOf } from './route-gate.ts';
import { itemFor } from './service.ts';

// Sending an item on to a casework unit or the council's members: /admin/indbakke/:id/eskaler.

export async function escalationRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;
  // One mailer per app: through SMTP when MEDIEHUS_SMTP_URL is set, else to .eml files in the data folder.
  const mailer = createMailer(app.ctx.config, app.log);
  app.addHook('onClose', async () => mailer.close?.());
  inboxGate(app);

  app.get('/:id/eskaler', async (request, reply) => show(request, reply, paramsOf(request).id!, {}));

  app.post('/:id/eskaler', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    const values = { to: text(form, 'to'), note: text(form, 'note') };
    try {
      await escalateItem({ db: ctx.db, mailer }, request.actor!, id, values);
    } catch (error) {
      return show(request, reply.code(422), id, { values, errors: refusalOf(error) });
    }
    return reply.redirect(`${itemPath(id)}?sendt-videre=1`, 303);
  });

  async function show(request: FastifyRequest, reply: FastifyReply, id: string, form: { values?: Values; errors?: Errors }) {
    const { item, account } = await itemFor(ctx, request.actor, id);
    const [targets, earlier] = await Promise.all([escalationTargets(ctx), escalationOf(ctx, item)]);
    return reply.view('inbox/views/escalate.njk', {
      title: `Send henvendelsen fra ${item.author_name} videre`,
      socialMenu: true,
      item: { id: item.id, href: itemPath(item.id), authorName: item.author_name, authorHandle: item.author_handle, text: maskCpr(item.text), writtenAt: item.written_at, url: item.url },
      network: NETWORK_LABELS[account.network],
      accountName: account.name,
      targets: targets.map((t) => ({ value: t.value, text: t.text })),
      earlier,
      maxNote: MAX_NOTE_LENGTH,
      values: form.values ?? { to: '', note: '' },
      errors: form.errors ?? {},
    });
  }
}
