import type { FastifyInstance } from 'fastify';
import { ForbiddenError, ValidationError } from '../platform/errors.ts';
import type { Errors } from '../platform/forms.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { mayKeepRegistry, rightsOf } from '../social/access.ts';
import { accountsFor } from '../social/accounts.ts';
import { NO_ACCOUNT_MESSAGE } from '../social/routes.ts';

/** The inbox's own gate, for each plugin under /admin/indbakke: signed in, and with an account to use (or the registry). */
export function inboxGate(app: FastifyInstance): void {
  const ctx = app.ctx.social;
  app.addHook('onRequest', requireSignIn);
  app.addHook('onRequest', async (request) => {
    if (!request.actor) return;
    if (mayKeepRegistry(await rightsOf(ctx.db, request.actor))) return;
    if ((await accountsFor(ctx, request.actor)).length) return;
    throw new ForbiddenError(NO_ACCOUNT_MESSAGE);
  });
}

/** A service's refusal as the form's errors; anything else is not the person's mistake and goes on up. */
export function refusalOf(error: unknown): Errors {
  if (!(error instanceof ValidationError)) throw error;
  return Object.keys(error.fields).length ? error.fields : { _form: error.message };
}
