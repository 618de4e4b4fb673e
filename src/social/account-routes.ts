import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as org from '../org/store.ts';
import { indented, unitsInTreeOrder } from '../org/unit-tree.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { COMMON_NOTICES, type Errors, fieldsOf, formOf, noticeFor, paramsOf, pick, text, type Values } from '../platform/forms.ts';
import { mayKeepRegistry, mayUse, rightsOf } from './access.ts';
import { accountFor, connectAccount, createAccount, disconnectAccount, setAccountActive, updateAccount } from './accounts.ts';
import { GUIDELINES_PATH, GUIDELINES_TITLE, PROFILE_TEXT_LIMITS, profileText } from './guidelines.ts';
import { type Account, ACCOUNT_STATUS_LABELS, accountLabel, type AccountStatus } from './model.ts';
import { NETWORK_LABELS, NETWORKS } from './providers/types.ts';
import { accountPath } from './sender.ts';

// The registry of accounts (kept by the social media editor group and the platform owner) and each account's page,
// where its editors connect it by pasting a token. A stored token is never shown again, not even in part.

const NOTICES = {
  ...COMMON_NOTICES,
  oprettet: 'Kontoen er oprettet. Forbind den herunder, så der kan sendes opslag til den.',
  forbundet: 'Kontoen er forbundet. Planlagte opslag bliver sendt.',
  afbrudt: 'Forbindelsen er afbrudt, og adgangsnøglen er slettet. Planlagte opslag venter, til kontoen forbindes igen.',
};

const ACCOUNT_FIELDS = ['network', 'handle', 'name', 'unitId', 'editorGroupId', 'adviserGroupId', 'requiresApproval', 'apiBase'] as const;

const STATUS_BADGES: Record<AccountStatus, string> = { connected: 'success', not_connected: 'none', needs_reauth: 'error' };

/** An account as the overview's table shows it. */
export function accountRow(a: Account) {
  return {
    id: a.id,
    href: accountPath(a.id),
    name: a.name,
    handle: a.handle,
    network: a.network,
    networkLabel: NETWORK_LABELS[a.network],
    unitName: a.unitName,
    statusLabel: ACCOUNT_STATUS_LABELS[a.status] ?? a.status,
    statusBadge: STATUS_BADGES[a.status] ?? 'none',
    requiresApproval: a.requiresApproval,
    active: a.active,
  };
}

const accountValues = (a: Account): Values => ({
  network: a.network,
  handle: a.handle,
  name: a.name,
  unitId: a.unitId,
  editorGroupId: a.editorGroupId,
  adviserGroupId: a.adviserGroupId ?? '',
  requiresApproval: a.requiresApproval ? 'on' : '',
  apiBase: a.apiBase,
});

async function requireRegistry(request: FastifyRequest): Promise<void> {
  if (!mayKeepRegistry(await rightsOf(request.server.ctx.db, request.actor))) throw new ForbiddenError('Kun redaktørgruppen for sociale medier og platformsejeren kan ændre listen over konti.');
}

async function registryChoices(request: FastifyRequest) {
  const db = request.server.ctx.db;
  const [units, groups] = await Promise.all([org.listUnits(db), org.listGroups(db)]);
  return {
    networkOptions: NETWORKS.map((n) => ({ value: n, text: NETWORK_LABELS[n] })),
    unitOptions: unitsInTreeOrder(units).map((n) => ({ value: n.unit.id, text: indented(n.depth, n.unit.name) })),
    groupOptions: groups.map((g) => ({ value: g.id, text: g.name })),
  };
}

async function showRegistryForm(request: FastifyRequest, reply: FastifyReply, account: Account | null, values: Values, errors: Errors) {
  return reply.view('social/views/account-form.njk', {
    title: account ? `Ret ${accountLabel(account)}` : 'Tilføj konto',
    socialMenu: true,
    account: account && { id: account.id, label: accountLabel(account), networkLabel: NETWORK_LABELS[account.network], href: accountPath(account.id) },
    values,
    errors,
    ...(await registryChoices(request)),
  });
}

async function newAccountValues(request: FastifyRequest): Promise<Values> {
  // Kommunikationsafdelingen advises every unit's accounts, so its group is the adviser to begin with.
  const social = await request.server.ctx.db.selectFrom('groups').select('id').where('kind', '=', 'channel_editors').where('channel', '=', 'social').where('active', '=', 1).executeTakeFirst();
  return { network: '', handle: '', name: '', unitId: '', editorGroupId: '', adviserGroupId: social?.id ?? '', requiresApproval: '', apiBase: '' };
}

async function showAccount(request: FastifyRequest, reply: FastifyReply, id: string, connectErrors: Errors = {}) {
  const ctx = request.server.ctx.social;
  const account = await accountFor(ctx, request.actor, id);
  const rights = await rightsOf(ctx.db, request.actor);
  const profile = profileText(account.network, account.name, ctx.baseUrl);
  return reply.view('social/views/account.njk', {
    title: accountLabel(account),
    socialMenu: true,
    notice: Object.keys(connectErrors).length ? null : noticeFor(request, NOTICES),
    errors: connectErrors,
    account: {
      ...accountRow(account),
      label: accountLabel(account),
      network: account.network,
      status: account.status,
      editorGroupName: account.editorGroupName,
      adviserGroupName: account.adviserGroupName,
      apiBase: account.apiBase,
      statusNote: account.statusNote,
      connectedAt: account.connectedAt,
      connectedByName: account.connectedByName,
      rateLimitedUntil: account.rateLimitedUntil && Date.parse(account.rateLimitedUntil) > Date.now() ? account.rateLimitedUntil : null,
      // Whether a token is stored is told by the status alone; the token itself never reaches the page.
      connected: account.status !== 'not_connected',
    },
    mayKeepRegistry: mayKeepRegistry(rights),
    mayCompose: account.active && mayUse(rights, account),
    canStoreTokens: !!ctx.secrets,
    profile: { text: profile, limit: PROFILE_TEXT_LIMITS[account.network] },
    composeHref: `/admin/sociale-medier/opslag/nyt?konto=${encodeURIComponent(account.id)}`,
    calendarHref: `/admin/sociale-medier/kalender?konto=${encodeURIComponent(account.id)}`,
    guidelines: { href: GUIDELINES_PATH, url: `${ctx.baseUrl}${GUIDELINES_PATH}`, title: GUIDELINES_TITLE },
  });
}

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx.social;

  app.get('/konti/ny', async (request, reply) => {
    await requireRegistry(request);
    return showRegistryForm(request, reply, null, await newAccountValues(request), {});
  });

  app.post('/konti/ny', async (request, reply) => {
    const values = pick(formOf(request), ACCOUNT_FIELDS);
    try {
      const id = await createAccount(ctx, request.actor!, values);
      return reply.redirect(`${accountPath(id)}?oprettet=1`, 303);
    } catch (error) {
      return showRegistryForm(request, reply.code(422), null, values, fieldsOf(error));
    }
  });

  app.get('/konti/:id', async (request, reply) => showAccount(request, reply, paramsOf(request).id!));

  app.get('/konti/:id/rediger', async (request, reply) => {
    await requireRegistry(request);
    const account = await accountFor(ctx, request.actor, paramsOf(request).id!);
    return showRegistryForm(request, reply, account, accountValues(account), {});
  });

  app.post('/konti/:id/rediger', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const values = pick(formOf(request), ACCOUNT_FIELDS);
    try {
      await updateAccount(ctx, request.actor!, id, values);
      return reply.redirect(`${accountPath(id)}?gemt=1`, 303);
    } catch (error) {
      const errors = fieldsOf(error);
      const account = await accountFor(ctx, request.actor, id);
      return showRegistryForm(request, reply.code(422), account, { ...values, network: account.network }, errors);
    }
  });

  app.post('/konti/:id/forbind', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    const form = formOf(request);
    try {
      await connectAccount(ctx, request.actor!, id, { accessToken: text(form, 'accessToken'), refreshToken: text(form, 'refreshToken') });
      return reply.redirect(`${accountPath(id)}?forbundet=1`, 303);
    } catch (error) {
      // The pasted token is not put back in the form: it must not travel back to the browser.
      return showAccount(request, reply.code(422), id, fieldsOf(error));
    }
  });

  app.post('/konti/:id/afbryd', async (request, reply) => {
    const { id } = paramsOf(request) as { id: string };
    await disconnectAccount(ctx, request.actor!, id);
    return reply.redirect(`${accountPath(id)}?afbrudt=1`, 303);
  });

  for (const [path, active] of [['deaktiver', false], ['aktiver', true]] as const) {
    app.post(`/konti/:id/${path}`, async (request, reply) => {
      const { id } = paramsOf(request) as { id: string };
      await setAccountActive(ctx, request.actor!, id, active);
      return reply.redirect(`${accountPath(id)}?${active ? 'aktiveret' : 'deaktiveret'}=1`, 303);
    });
  }
}
