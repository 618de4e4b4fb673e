import type { Actor } from '../org/actor.ts';
import type { DbOrTx } from '../platform/database.ts';
import type { Account } from './model.ts';
import { activeGroupIdsOf } from '../intranet/audience.ts';

// Who may do what with an account (S6): Kommunikationsafdelingen — the social media editor group — runs the common
// accounts, keeps the registry and advises every unit's accounts; a unit's own editor group maintains that unit's
// accounts. Where an account requires approval, someone from the social editor group (or the account's adviser
// group) other than the author approves.

export interface SocialRights {
  personId: string;
  /** Member of the social media editor group (capability social.edit). */
  socialEditor: boolean;
  /** May keep the registry: social editors and the platform owner. */
  registry: boolean;
  groupIds: Set<string>;
}

/** Social editors and the platform owner keep the registry and see every account. */
export const keepsRegistry = (actor: Actor | null): boolean => !!actor && (actor.capabilities.has('social.edit') || actor.capabilities.has('org.admin'));

export async function rightsOf(db: DbOrTx, actor: Actor | null): Promise<SocialRights | null> {
  if (!actor?.personId) return null;
  const socialEditor = actor.capabilities.has('social.edit');
  return { personId: actor.personId, socialEditor, registry: keepsRegistry(actor), groupIds: new Set(await activeGroupIdsOf(db, actor.personId)) };
}

/** Compose for it, see its calendar, connect it. */
export const mayUse = (r: SocialRights | null, a: Pick<Account, 'editorGroupId' | 'adviserGroupId'>): boolean =>
  !!r && (r.socialEditor || r.groupIds.has(a.editorGroupId) || (!!a.adviserGroupId && r.groupIds.has(a.adviserGroupId)));

/** Approve a post that waits for approval (not one's own: the service checks that). */
export const mayApprove = (r: SocialRights | null, a: Pick<Account, 'adviserGroupId'>): boolean =>
  !!r && (r.socialEditor || (!!a.adviserGroupId && r.groupIds.has(a.adviserGroupId)));

export const mayKeepRegistry = (r: SocialRights | null): boolean => !!r?.registry;
