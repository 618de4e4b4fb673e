import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { type Errors, formOf, paramsOf, queryOf, text } from '../platform/forms.ts';
import { requireSignIn } from '../signin/request-actor.ts';
import { accountFor } from './accounts.ts';
import { authorizeBase } from './connect/authorize-base.ts';
import { ConnectError } from './connect/errors.ts';
import { type ConnectSettings, connectBluesky, finishConnect, signInAvailable, startConnect, type Who } from './connect/flows.ts';
import { type Account, accountLabel } from './model.ts';
import { NETWORK_LABELS } from './providers/types.ts';
import { accountPath } from './sender.ts';

// Connecting an account through the network's own sign-in (Facebook, X, Mastodon) or, for Bluesky, an app password:
// the page with the choices, the start that sends the browser to the network, and the callback it comes back to.
// Whatever goes wrong ends on a Danish page that says what happened and offers to try again; no token, code or stack
// trace reaches a page.

const RATE_LIMIT = { max: 30, timeWindow: '1 minute' };

interface ConnectPageOptions {
  errors?: Errors;
  handle?: string;
}

/** The person and the session the flow is bound to; the routes are behind sign-in, so both are there. */
function whoOf(request: FastifyRequest): Who {
  const actor = request.actor;
  if (!actor?.personId || !request.sessionToken) throw new ForbiddenError('Log ind for at forbinde en konto.');
  return { actor, personId: actor.personId, sessionToken: request.sessionToken };
}

/**
 * The page's Content-Security-Policy also lets its form lead to the network's consent screen: browsers hold a form's
 * redirect to form-action too, and the start answers with a redirect to the network.
 */
function allowConsentScreen(request: FastifyRequest, reply: FastifyReply, account: Account): void {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp !== 'string' || account.network === 'bluesky') return;
  let origin: string;
  try {
    origin = new URL(authorizeBase(account.network, request.server.ctx.social.networks.resolve(account.apiBase))).origin;
  } catch {
    return; // the demo network is not running: the start will say so
  }
  reply.header('content-security-policy', csp.replace(/form-action ([^;]*)/, (_, sources: string) => `form-action ${sources} ${origin}`));
}

export async function connectRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;
  const { config } = app.ctx;
  const settings: ConnectSettings = { facebook: config.social.facebook, x: config.social.x, redirectBase: `${config.baseUrl}${app.prefix}/forbind/retur` };

  // The parent context signs people in too; kept here so these routes never run without a session.
  app.addHook('onRequest', requireSignIn);

  async function showConnect(request: FastifyRequest, reply: FastifyReply, id: string, options: ConnectPageOptions = {}) {
    const account = await accountFor(ctx, request.actor, id);
    const label = NETWORK_LABELS[account.network];
    const href = accountPath(account.id);
    allowConsentScreen(request, reply, account);
    return reply.header('cache-control', 'no-store').view('social/views/connect.njk', {
      title: `Forbind ${accountLabel(account)}`,
      socialMenu: true,
      errors: options.errors ?? {},
      account: { id: account.id, href, label: accountLabel(account), network: account.network, networkLabel: label, handle: account.handle, connected: account.status !== 'not_connected', status: account.status },
      signIn: {
        available: signInAvailable(settings, account.network),
        action: `${href}/forbind/start`,
        button: `Forbind med ${label}`,
        settingNames: account.network === 'facebook' ? 'MEDIEHUS_FACEBOOK_APP_ID og MEDIEHUS_FACEBOOK_APP_SECRET' : 'MEDIEHUS_X_CLIENT_ID (og MEDIEHUS_X_CLIENT_SECRET)',
      },
      bluesky: { action: `${href}/forbind/bluesky`, handle: options.handle ?? account.handle.replace(/^@/, '') },
      canStoreTokens: !!ctx.secrets,
      pasteHref: `${href}#forbind`,
    });
  }

  /** The error page: what went wrong, and the way back to try again. */
  function showProblem(request: FastifyRequest, reply: FastifyReply, error: unknown) {
    if (!(error instanceof AppError)) request.log.error({ err: error }, 'connecting a social account failed');
    else if (error instanceof ConnectError && (error.problem === 'configuration' || error.problem === 'unreachable')) request.log.warn({ code: error.code }, 'connecting a social account failed');
    const appError = error instanceof AppError ? error : null;
    const accountId = error instanceof ConnectError ? error.accountId : null;
    const status = appError?.status ?? 500;
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .view('social/views/connect-error.njk', {
        title: 'Kontoen blev ikke forbundet',
        socialMenu: true,
        message: appError?.message ?? `Der skete en uventet fejl hos os, så kontoen blev ikke forbundet. Prøv igen om lidt. Oplys referencen ${request.id}, hvis du kontakter os.`,
        retryHref: accountId && !(error instanceof NotFoundError) ? `${accountPath(accountId)}/forbind` : null,
        accountHref: accountId ? accountPath(accountId) : null,
      });
  }

  app.get('/konti/:id/forbind', async (request, reply) => showConnect(request, reply, paramsOf(request).id!));

  app.post('/konti/:id/forbind/start', { config: { rateLimit: RATE_LIMIT } }, async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    try {
      const url = await startConnect(ctx, settings, whoOf(request), id);
      return reply.header('cache-control', 'no-store').redirect(url, 303);
    } catch (error) {
      // Not found and not allowed go to the usual error pages, like every other route.
      if (error instanceof NotFoundError || error instanceof ForbiddenError) throw error;
      if (error instanceof ConnectError) error.accountId ??= id;
      return showProblem(request, reply, error);
    }
  });

  app.get('/forbind/retur/:network', { config: { rateLimit: RATE_LIMIT } }, async (request, reply) => {
    const q = queryOf(request);
    try {
      const id = await finishConnect(ctx, settings, whoOf(request), paramsOf(request).network!, { state: text(q, 'state'), code: text(q, 'code'), error: text(q, 'error') });
      return reply.header('cache-control', 'no-store').redirect(`${accountPath(id)}?forbundet=1`, 303);
    } catch (error) {
      return showProblem(request, reply, error);
    }
  });

  app.post('/konti/:id/forbind/bluesky', { config: { rateLimit: RATE_LIMIT } }, async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    try {
      await connectBluesky(ctx, request.actor!, id, { handle: text(form, 'handle'), appPassword: text(form, 'appPassword') });
      return reply.redirect(`${accountPath(id)}?forbundet=1`, 303);
    } catch (error) {
      // The app password is never put back in the form.
      if (error instanceof ValidationError) return showConnect(request, reply.code(422), id, { errors: error.fields, handle: text(form, 'handle') });
      if (error instanceof ConnectError) {
        const problem: Errors = error.problem === 'wrong_account' ? { handle: error.message } : { appPassword: error.message };
        return showConnect(request, reply.code(422), id, { errors: problem, handle: text(form, 'handle') });
      }
      throw error;
    }
  });
}
