import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import { audit } from '../platform/audit/service.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { mayKeepRegistry, mayUse, rightsOf } from './access.ts';
import type { SocialContext } from './context.ts';
import { accountInput, type Account, DEFAULT_API_BASES, tokenInput } from './model.ts';
import { ProviderError } from './providers/types.ts';
import { wakeSender } from './sender.ts';
import * as store from './store.ts';
import { sealTokens } from './tokens.ts';

// The registry of accounts (S6) and connecting them. Tokens go in sealed and never come back out to a page.

function parse<T>(schema: { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } }, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) throw new ValidationError(fieldErrors(result.error));
  return result.data;
}

/** The accounts a person may work with; social editors and the platform owner see all. */
export async function accountsFor(ctx: Pick<SocialContext, 'db'>, actor: Actor | null): Promise<Account[]> {
  const rights = await rightsOf(ctx.db, actor);
  if (!rights) return [];
  const all = await store.listAccounts(ctx.db, { includeInactive: rights.registry });
  return rights.registry ? all : all.filter((a) => mayUse(rights, a));
}

export async function accountFor(ctx: Pick<SocialContext, 'db'>, actor: Actor | null, id: string): Promise<Account> {
  const rights = await rightsOf(ctx.db, actor);
  const account = await store.findAccount(ctx.db, id);
  if (!account) throw new NotFoundError('Kontoen findes ikke.');
  if (!mayUse(rights, account) && !mayKeepRegistry(rights)) throw new ForbiddenError('Du er ikke redaktør for denne konto.');
  return account;
}

async function requireRegistry(ctx: Pick<SocialContext, 'db'>, actor: Actor | null): Promise<void> {
  if (!mayKeepRegistry(await rightsOf(ctx.db, actor))) throw new ForbiddenError('Kun redaktørgruppen for sociale medier kan ændre listen over konti.');
}

async function checkReferences(ctx: Pick<SocialContext, 'db'>, input: { unitId: string; editorGroupId: string; adviserGroupId: string | null }): Promise<void> {
  const problems: Record<string, string> = {};
  if (!(await ctx.db.selectFrom('units').select('id').where('id', '=', input.unitId).where('active', '=', 1).executeTakeFirst())) problems.unitId = 'Vælg en aktiv enhed';
  if (!(await ctx.db.selectFrom('groups').select('id').where('id', '=', input.editorGroupId).where('active', '=', 1).executeTakeFirst())) problems.editorGroupId = 'Vælg en aktiv gruppe';
  if (input.adviserGroupId && !(await ctx.db.selectFrom('groups').select('id').where('id', '=', input.adviserGroupId).where('active', '=', 1).executeTakeFirst())) problems.adviserGroupId = 'Vælg en aktiv gruppe';
  if (Object.keys(problems).length) throw new ValidationError(problems);
}

const normalHandle = (network: string, handle: string) => (network === 'facebook' ? handle.replace(/^@/, '') : handle.startsWith('@') ? handle : `@${handle}`);

export async function createAccount(ctx: Pick<SocialContext, 'db'>, actor: Actor, raw: unknown): Promise<string> {
  await requireRegistry(ctx, actor);
  const input = parse(accountInput, raw);
  await checkReferences(ctx, input);
  const handle = normalHandle(input.network, input.handle);
  if (await store.findAccountByHandle(ctx.db, input.network, handle)) throw new ValidationError({ handle: 'Kontoen findes allerede i listen' });
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    await store.insertAccount(tx, {
      id,
      network: input.network,
      handle,
      name: input.name,
      unit_id: input.unitId,
      editor_group_id: input.editorGroupId,
      adviser_group_id: input.adviserGroupId,
      requires_approval: input.requiresApproval ? 1 : 0,
      api_base: input.apiBase || DEFAULT_API_BASES[input.network],
    });
    await audit(tx, { ...auditActor(actor), action: 'social_account.created', objectType: 'social_account', objectId: id, details: { network: input.network, handle, name: input.name } });
  });
  return id;
}

export async function updateAccount(ctx: Pick<SocialContext, 'db'>, actor: Actor, id: string, raw: unknown): Promise<void> {
  await requireRegistry(ctx, actor);
  const current = await store.findAccount(ctx.db, id);
  if (!current) throw new NotFoundError('Kontoen findes ikke.');
  const input = parse(accountInput, { ...(raw as object), network: current.network });
  await checkReferences(ctx, input);
  const handle = normalHandle(current.network, input.handle);
  const clash = await store.findAccountByHandle(ctx.db, current.network, handle);
  if (clash && clash.id !== id) throw new ValidationError({ handle: 'En anden konto har allerede dette brugernavn' });
  const apiBase = input.apiBase || current.apiBase;
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateAccount(tx, id, {
      handle,
      name: input.name,
      unit_id: input.unitId,
      editor_group_id: input.editorGroupId,
      adviser_group_id: input.adviserGroupId,
      requires_approval: input.requiresApproval ? 1 : 0,
      api_base: apiBase,
      // A token is good for one place only.
      ...(apiBase !== current.apiBase ? { token_sealed: null, external_id: null, status: 'not_connected', status_note: null } : {}),
      updated_at: nowIso(),
    });
    await audit(tx, { ...auditActor(actor), action: 'social_account.updated', objectType: 'social_account', objectId: id, details: { handle, name: input.name, requiresApproval: input.requiresApproval } });
  });
}

export async function setAccountActive(ctx: Pick<SocialContext, 'db'>, actor: Actor, id: string, active: boolean): Promise<void> {
  await requireRegistry(ctx, actor);
  if (!(await store.findAccount(ctx.db, id))) throw new NotFoundError('Kontoen findes ikke.');
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateAccount(tx, id, { active: active ? 1 : 0, updated_at: nowIso() });
    await audit(tx, { ...auditActor(actor), action: active ? 'social_account.enabled' : 'social_account.disabled', objectType: 'social_account', objectId: id, details: {} });
  });
}

/**
 * Stores a token after asking the network whose it is: a pasted token that the network refuses, or that belongs to
 * another account than the one in the registry, is turned down with the reason, and nothing is stored.
 */
export async function connectAccount(ctx: SocialContext, actor: Actor, id: string, raw: unknown, how: 'pasted' | 'oauth' | 'app_password' = 'pasted'): Promise<void> {
  const account = await accountFor(ctx, actor, id);
  const tokens = parse(tokenInput, raw);
  if (!ctx.secrets) throw new ValidationError({ accessToken: 'Mediehus har ingen nøgle til at gemme adgangsnøgler. Platformsejeren skal sætte MEDIEHUS_SECRET_KEY.' });
  const provider = ctx.provider(account.network);
  let who: { externalId: string; handle: string; name: string };
  try {
    who = await provider.whoAmI(
      { network: account.network, externalId: account.externalId ?? '', handle: account.handle, apiBase: ctx.networks.resolve(account.apiBase), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      { timeoutMs: ctx.timeoutMs },
    );
  } catch (error) {
    const reason = error instanceof ProviderError && error.kind === 'reauthorize' ? 'Netværket godkendte ikke adgangsnøglen. Tjek, at den er kopieret helt, og at den ikke er udløbet.' : 'Netværket kunne ikke nås. Prøv igen om lidt.';
    throw new ValidationError({ accessToken: reason });
  }
  if (account.externalId && who.externalId !== account.externalId) throw new ValidationError({ accessToken: `Adgangsnøglen hører til en anden konto (${who.handle}) end ${account.handle}.` });
  const at = nowIso();
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateAccount(tx, id, {
      external_id: who.externalId,
      token_sealed: sealTokens(ctx, id, tokens),
      status: 'connected',
      status_note: null,
      connected_at: at,
      connected_by: actor.personId,
      rate_limited_until: null,
      updated_at: at,
    });
    // Posts that waited for the account go out now.
    await tx.updateTable('social_posts').set({ error_kind: null, last_error: null, updated_at: at }).where('account_id', '=', id).where('state', 'in', ['scheduled', 'sending']).where('error_kind', '=', 'reauthorize').execute();
    await audit(tx, { ...auditActor(actor), action: 'social_account.connected', objectType: 'social_account', objectId: id, details: { how, externalId: who.externalId } });
    await wakeSender(tx, id);
  });
}

export async function disconnectAccount(ctx: SocialContext, actor: Actor, id: string): Promise<void> {
  await accountFor(ctx, actor, id);
  await ctx.db.transaction().execute(async (tx) => {
    await store.updateAccount(tx, id, { token_sealed: null, status: 'not_connected', status_note: null, updated_at: nowIso() });
    await audit(tx, { ...auditActor(actor), action: 'social_account.disconnected', objectType: 'social_account', objectId: id, details: {} });
  });
}
