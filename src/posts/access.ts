import type { Actor } from '../org/actor.ts';

// Rules by name, one small function each. Who may read a post is its audience (src/intranet/audience.ts) plus the
// author; the rest is here.

/** Writing posts and comments and reacting: every active person. */
export const canPost = (actor: Actor | null | undefined): boolean => !!actor?.capabilities.has('intranet.post');

/** Removing someone's post or comment with a reason: the intranet's editors. */
export const canModerate = (actor: Actor | null | undefined): boolean => !!actor?.capabilities.has('intranet.edit');

/** Only the author changes or deletes their own post or comment. */
export const isAuthor = (actor: Actor | null | undefined, row: { author_id: string }): boolean => !!actor?.personId && actor.personId === row.author_id;
