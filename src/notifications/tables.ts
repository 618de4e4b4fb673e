import type { Timestamp } from '../platform/tables.ts';

export interface NotificationsTable {
  id: string;
  person_id: string;
  kind: string;
  source_key: string;
  title: string;
  text: string;
  /** A path on the intranet, e.g. /intranet/opslag/<id>. */
  url: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
  mailed_at: Timestamp | null;
}

export interface NotificationPreferencesTable {
  person_id: string;
  kind: string;
  frequency: string;
  updated_at: Timestamp;
}

export interface NotificationsDatabase {
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
}
