import type { Actor } from '../../org/actor.ts';
import { ValidationError } from '../../platform/errors.ts';
import { accountFor, connectAccount } from '../accounts.ts';
import type { SocialContext } from '../context.ts';
import { NETWORK_LABELS } from '../providers/types.ts';
import type { Tokens } from '../tokens.ts';
import { ConnectError } from './errors.ts';

// Every sign-in ends here: the tokens go through connectAccount, which asks the network whose they are, seals and
// stores them and writes the audit entry. An account never connected before has no external id to compare with, so
// the signed-in name is compared with the registry's handle first: signing in as the wrong profile stores nothing.

/** "@toenderkommune@social.toender.dk" and "toenderkommune" name the same person; "@toender.dk" is "toender.dk". */
const userPart = (handle: string) => handle.trim().replace(/^@/, '').split('@')[0]!.toLowerCase();

export async function connectWithTokens(ctx: SocialContext, actor: Actor, accountId: string, tokens: Tokens, options: { checkHandle: boolean; how?: 'oauth' | 'app_password' }): Promise<void> {
  const account = await accountFor(ctx, actor, accountId);
  const label = NETWORK_LABELS[account.network];
  if (options.checkHandle && !account.externalId) {
    let who: { handle: string };
    try {
      who = await ctx.provider(account.network).whoAmI(
        { network: account.network, externalId: '', handle: account.handle, apiBase: ctx.networks.resolve(account.apiBase), accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
        { timeoutMs: ctx.timeoutMs },
      );
    } catch {
      throw new ConnectError('unreachable', `${label} bekræftede ikke, hvem du loggede ind som. Prøv igen om lidt.`, accountId);
    }
    if (userPart(who.handle) !== userPart(account.handle)) {
      throw new ConnectError('wrong_account', `Du loggede ind som ${who.handle} på ${label}, men kontoen i listen er ${account.handle}. Log ind som ${account.handle}, og prøv igen.`, accountId);
    }
  }
  try {
    // connectAccount reads a form: no refresh token is an absent field, not null.
    await connectAccount(ctx, actor, accountId, { accessToken: tokens.accessToken, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) }, options.how ?? 'oauth');
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.fields.accessToken) throw error;
    // connectAccount speaks to someone who pasted a token; here the token came from the sign-in itself.
    const said = error.fields.accessToken;
    if (/anden konto/.test(said)) throw new ConnectError('wrong_account', `${said} Log ind som ${account.handle}, og prøv igen.`, accountId);
    if (/MEDIEHUS_SECRET_KEY/.test(said)) throw new ConnectError('not_available', said, accountId);
    if (/godkendte ikke/.test(said)) throw new ConnectError('refused_code', `${label} godkendte ikke den adgang, vi fik ved login. Prøv igen.`, accountId);
    throw new ConnectError('unreachable', `${label} kunne ikke nås. Prøv igen om lidt.`, accountId);
  }
}
