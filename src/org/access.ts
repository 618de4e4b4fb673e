import type { Actor } from './actor.ts';

// Rules by name, one small function each, so a list and a single read are protected by the same rule.

export const canAdministerOrg = (actor: Actor | null): boolean => !!actor?.capabilities.has('org.admin');
export const canManageGroups = (actor: Actor | null): boolean => !!actor?.capabilities.has('groups.manage');
export const canEnterAdmin = (actor: Actor | null): boolean => !!actor?.capabilities.has('admin.enter');
export const canReadAudit = (actor: Actor | null): boolean => !!actor?.capabilities.has('audit.read');
export const canReadIntranet = (actor: Actor | null): boolean => !!actor?.capabilities.has('intranet.read');
