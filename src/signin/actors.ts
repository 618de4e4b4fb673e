import type { Actor } from '../org/actor.ts';
import { deriveCapabilities } from '../org/capabilities.ts';
import type { JobRole } from '../org/model.ts';
import { capabilitySources } from '../org/store.ts';
import type { PersonRow } from '../org/tables.ts';
import type { DbOrTx } from '../platform/database.ts';
import { localDate } from '../platform/time.ts';

export async function actorFor(db: DbOrTx, person: PersonRow, ip: string | null): Promise<Actor> {
  const sources = await capabilitySources(db, person, localDate());
  return {
    personId: person.id,
    name: person.name,
    email: person.email,
    jobRole: person.job_role as JobRole,
    unitIds: sources.unitIds,
    capabilities: deriveCapabilities(sources),
    ip,
  };
}
