import type { Actor } from '../org/actor.ts';

// Rights on content follow the channels an item is placed in (ADR 0005): a channel key is
// "website", "intranet", "app", "social" or "subsite:<unit-id>", and its capability is "<key>.edit" or "<key>.publish".

export const capabilityFor = (channelKey: string, right: 'edit' | 'publish'): string => `${channelKey}.${right}`;

export const canUseEditor = (actor: Actor | null): boolean => !!actor?.capabilities.has('admin.enter');

/** May the actor place content in this channel? */
export const canPlaceIn = (actor: Actor | null, channelKey: string): boolean => !!actor?.capabilities.has(capabilityFor(channelKey, 'edit'));

/** Editing needs the edit right in at least one of the item's channels; an item placed nowhere yet is open to every editor. */
export function canEditItem(actor: Actor | null, channelKeys: string[]): boolean {
  if (!canUseEditor(actor)) return false;
  return channelKeys.length === 0 || channelKeys.some((k) => canPlaceIn(actor, k));
}

/** Publishing puts the item in every one of its channels, so it needs the publish right in all of them. */
export function canPublishItem(actor: Actor | null, channelKeys: string[]): boolean {
  return !!actor && channelKeys.length > 0 && channelKeys.every((k) => actor.capabilities.has(capabilityFor(k, 'publish')));
}

/** Lists show what the actor may edit; the platform owner sees everything. */
export function seesAllContent(actor: Actor | null): boolean {
  return !!actor?.capabilities.has('org.admin');
}
