// The tables of this part, added to the Database interface in src/platform/database.ts.
import type { Selectable } from 'kysely';
import type { Timestamp } from '../platform/tables.ts';

/** An AuthnRequest sent to the identity provider, waiting for its one answer. */
export interface SamlRequestsTable {
  /** The request's SAML ID, which the answer names in InResponseTo. */
  id: string;
  /** Where to send the person after sign-in: a path on this site, or '' for the intranet. */
  next: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** Set when an answer spent the request; a second answer to it is a replay. */
  used_at: Timestamp | null;
}

/** An assertion already accepted, kept until its own expiry so it cannot be posted again. */
export interface SamlAssertionsTable {
  idp_entity_id: string;
  assertion_id: string;
  received_at: Timestamp;
  expires_at: Timestamp;
}

export interface SamlDatabase {
  saml_requests: SamlRequestsTable;
  saml_assertions: SamlAssertionsTable;
}

export type SamlRequestRow = Selectable<SamlRequestsTable>;
