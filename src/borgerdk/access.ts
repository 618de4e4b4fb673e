import type { Actor } from '../org/actor.ts';

/** borger.dk articles are part of the website: its editors import and refresh them. */
export const canManageBorgerdk = (actor: Actor | null): boolean => !!actor?.capabilities.has('website.edit');
