import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './errors.ts';

function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function layoutFor(url: string): string {
  if (url.startsWith('/admin')) return 'admin';
  if (url.startsWith('/intranet')) return 'intranet';
  return 'site';
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, code: string, title: string, message: string) {
  reply.code(status).header('cache-control', 'no-store');
  if (wantsJson(request)) return reply.send({ error: { code, message, requestId: request.id } });
  return reply.view('platform/views/error.njk', { status, title, message, layout: layoutFor(request.url) });
}

/** One error handler: people get a Danish page with a reference; stack traces stay in the log. */
export const errorPages = fp(
  async (app: FastifyInstance) => {
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, 404, 'not_found', 'Siden findes ikke', 'Vi kan ikke finde den side, du leder efter. Den kan være flyttet eller slettet. Tjek adressen, eller gå til forsiden.'),
    );

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        const titles: Record<number, string> = { 400: 'Der er en fejl i det indtastede', 403: 'Du har ikke adgang', 404: 'Siden findes ikke', 409: 'Der er en konflikt' };
        return send(request, reply, error.status, error.code, titles[error.status] ?? 'Der skete en fejl', error.message);
      }
      if (error.code?.startsWith('FST_CSRF')) {
        return send(request, reply, 403, 'csrf', 'Formularen er udløbet', 'Af sikkerhedshensyn kunne formularen ikke sendes. Gå tilbage, genindlæs siden og prøv igen.');
      }
      if (error.statusCode === 429) {
        return send(request, reply, 429, 'rate_limited', 'For mange forsøg', 'Du har prøvet for mange gange på kort tid. Vent et minut, og prøv igen.');
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return send(request, reply, error.statusCode, 'bad_request', 'Forespørgslen kunne ikke behandles', 'Forespørgslen var ikke gyldig. Gå tilbage og prøv igen.');
      }
      request.log.error({ err: error }, 'request failed');
      return send(request, reply, 500, 'internal', 'Der skete en fejl', `Der skete en uventet fejl hos os. Prøv igen om lidt. Oplys referencen ${request.id}, hvis du kontakter os.`);
    });
  },
  { name: 'error-pages', dependencies: ['view-rendering'] },
);
