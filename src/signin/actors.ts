import type { Actor } from '../org/actor.ts';
import { deriveCapabilities } from '../org/capabilities.ts';
import type { JobRole } from '../org/model.ts';
import { capabilityRowsOf, type CapabilityRows } from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import type { DbOrTx } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';

/** `rows` may be read beforehand, alongside the person, to save a round trip on every request. */
export async function actorFor(db: DbOrTx, person: PersonRow, ip: string | null, rows?: CapabilityRows): Promise<Actor> {
  const sources = { active: person.active === 1, jobRole: person.job_role as JobRole, ...(rows ?? (await capabilityRowsOf(db, person.id, localDate()))) };
  return {
    personId: person.id,
    name: person.name,
    email: person.email,
    jobRole: person.job_role as JobRole,
    unitIds: sources.unitIds,
    groupIds: sources.memberships.map((m) => m.groupId),
    capabilities: deriveCapabilities(sources),
    ip,
  };
}
