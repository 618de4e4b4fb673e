import type { Insertable, Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface UnitsTable {
  id: string;
  parent_id: string | null;
  name: string;
  slug: string;
  kind: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  description: string | null;
  head_id: string | null;
  is_platform_owner: Flag;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OpeningHoursTable {
  id: string;
  unit_id: string;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
  opens: string;
  closes: string;
}

export interface OpeningExceptionsTable {
  id: string;
  unit_id: string;
  /** Local date, YYYY-MM-DD, Europe/Copenhagen. */
  date: string;
  closed: Flag;
  opens: string | null;
  closes: string | null;
  note: string;
}

export interface PeopleTable {
  id: string;
  name: string;
  email: string;
  job_role: string;
  leadership_level: string | null;
  title: string | null;
  phone: string | null;
  active: Flag;
  password_hash: string | null;
  external_id: string | null;
  failed_signins: number;
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonUnitsTable {
  person_id: string;
  unit_id: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  kind: string;
  channel: string | null;
  subsite_unit_id: string | null;
  purpose: string | null;
  ends_on: string | null;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  role: string;
}

export type UnitRow = Selectable<UnitsTable>;
export type NewUnitRow = Insertable<UnitsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type GroupRow = Selectable<GroupsTable>;
