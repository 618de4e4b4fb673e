import type { Actor } from '../org/actor.ts';

// Rules by name, so the routes' guard and the service ask the same question.

/** The tool directory is kept by the intranet's editors. */
export const canEditTools = (actor: Actor | null | undefined): boolean => !!actor?.capabilities.has('intranet.edit');
