import type { Actor } from '../org/actor.ts';

// Rules by name, one small function each. Who is asked to read a must-read is its audience
// (src/intranet/audience.ts); who may follow the acknowledgements is decided here.

/** The intranet's editors follow every must-read. */
export const followsAll = (actor: Actor | null | undefined): boolean => !!actor?.capabilities.has('intranet.edit');

/** The units whose heads and managers the person is: they follow the must-reads those units own. */
export const overviewUnits = (actor: Actor | null | undefined): string[] =>
  [...(actor?.capabilities ?? [])].flatMap((c) => {
    const m = /^unit:(.+)\.overview$/.exec(c);
    return m ? [m[1]!] : [];
  });

/** The author's overview: the item's authors, the intranet's editors, and the heads and managers of its owner unit. */
export const mayFollow = (actor: Actor | null | undefined, item: { ownerUnitId: string }, authored: boolean): boolean =>
  !!actor && (authored || followsAll(actor) || actor.capabilities.has(`unit:${item.ownerUnitId}.overview`));
