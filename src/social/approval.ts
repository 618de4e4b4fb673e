import { notify } from '../notifications/notify.ts';
import type { Tx } from '../platform/database.ts';
import { nowIso } from '../platform/ids.ts';
import { accountLabel, type Account } from './model.ts';
import { postPath } from './sender.ts';
import * as store from './store.ts';

/** Tells the social editor group and the account's adviser group that a post waits for them (not its author). */
export async function askForApproval(tx: Tx, account: Account, postId: string, author: { personId: string; name: string }): Promise<void> {
  const approvers = new Set<string>();
  const social = await tx.selectFrom('groups').select('id').where('kind', '=', 'channel_editors').where('channel', '=', 'social').where('active', '=', 1).execute();
  for (const g of social) for (const p of await store.activeMemberIds(tx, g.id)) approvers.add(p);
  if (account.adviserGroupId) for (const p of await store.activeMemberIds(tx, account.adviserGroupId)) approvers.add(p);
  approvers.delete(author.personId);
  await notify(tx, {
    personIds: [...approvers],
    kind: 'social',
    // Each round of approval is news to the approvers, also after an edit sent the post back.
    sourceKey: `social_approval:${postId}:${nowIso()}`,
    title: `Opslag til ${account.name} venter på godkendelse`,
    text: `${author.name} har skrevet et opslag til ${accountLabel(account)}.`,
    url: postPath(postId),
  });
}

