import type { Actor } from '../org/actor.ts';
import type { Site, SiteKind } from './store.ts';

// Subsites are created by the platform owner and by the website's lead editors; an independent website,
// which leaves the main site's navigation behind, only by the platform owner (mission W4).

export const canCreateSite = (actor: Actor | null, kind: SiteKind): boolean =>
  !!actor && (actor.capabilities.has('sites.approve') || (kind === 'subsite' && actor.capabilities.has('website.lead')));

export const canListSites = (actor: Actor | null): boolean => canCreateSite(actor, 'subsite');

/** A site's own editors change its name, introduction and menu; its address and host name stay with whoever may create it. */
export const canEditSite = (actor: Actor | null, site: Site): boolean =>
  canCreateSite(actor, site.kind) || !!actor?.capabilities.has(`subsite:${site.unitId}.edit`);

export const canEditSiteAny = (actor: Actor | null): boolean =>
  !!actor && (canListSites(actor) || [...actor.capabilities].some((c) => c.startsWith('subsite:') && c.endsWith('.edit')));
