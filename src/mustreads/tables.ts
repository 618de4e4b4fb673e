import type { Timestamp } from '../platform/tables.ts';

/** A reader's "I have read and understood" for one must-read; one per item and person, never changed after. */
export interface AcknowledgementsTable {
  item_id: string;
  person_id: string;
  acknowledged_at: Timestamp;
}

/** The item's audience was told it must read it; written once, by the first fan-out. */
export interface MustReadAnnouncementsTable {
  item_id: string;
  announced_at: Timestamp;
  /** How many people were told. */
  people: number;
}

/** One reminder round of an item, written in the transaction that notifies, so a round goes out once. */
export interface MustReadRemindersTable {
  item_id: string;
  round: number;
  sent_at: Timestamp;
  /** How many who had not acknowledged were reminded. */
  people: number;
}

// The tables of this part, added to the Database interface in src/platform/database.ts.
export interface MustReadsDatabase {
  acknowledgements: AcknowledgementsTable;
  must_read_announcements: MustReadAnnouncementsTable;
  must_read_reminders: MustReadRemindersTable;
}
