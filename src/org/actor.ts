import type { JobRole } from './model.ts';

/** The person behind a request, with what they may do. Built once per request from the session. */
export interface Actor {
  personId: string;
  name: string;
  email: string;
  jobRole: JobRole;
  unitIds: string[];
  /** The groups that give rights today: active, and for an ad hoc group not past its end date. */
  groupIds: string[];
  capabilities: Set<string>;
  /** Where the request came from, for the audit log. */
  ip: string | null;
}

/** The command line and the demo seed act as the system. */
export const systemActor = (label = 'system'): Actor => ({
  personId: '',
  name: label,
  email: '',
  jobRole: 'employee',
  unitIds: [],
  groupIds: [],
  capabilities: new Set(['org.admin', 'groups.manage', 'audit.read']),
  ip: null,
});

export const auditActor = (actor: Actor) => ({ actorId: actor.personId || null, actorLabel: actor.email || actor.name, ip: actor.ip });
