import type { Kysely, Transaction } from 'kysely';
import type { FrontSlotsTable, SelfserviceUsesTable, SitesTable } from '../sites/tables.ts';
import type { GroupMembersTable, GroupsTable, OpeningExceptionsTable, OpeningHoursTable, PeopleTable, PersonUnitsTable, UnitsTable } from '../org/tables.ts';
import type { ItemChannelsTable, ItemsTable, LiveAudiencesTable, LivePlacementsTable, MediaTable, RevisionsTable } from '../content/tables.ts';
import type { SearchEntriesTable, SearchWordFormsTable, SearchWordsTable } from '../search/tables.ts';
import type { SessionsTable } from '../signin/tables.ts';
import type { BorgerdkArticlesTable } from '../borgerdk/tables.ts';
import type { IntranetDatabase } from '../intranet/tables.ts';
import type { NotificationsDatabase } from '../notifications/tables.ts';
import type { PostsDatabase } from '../posts/tables.ts';
import type { MustReadsDatabase } from '../mustreads/tables.ts';
import type { ToolsDatabase } from '../tools/tables.ts';
import type { SamlDatabase } from '../signin/saml-tables.ts';
import type { SocialDatabase } from '../social/tables.ts';
import type { InboxDatabase } from '../inbox/tables.ts';
import type { AuditLogTable, JobsTable, OutboxTable, SettingsTable } from './tables.ts';

/** Every table. Later parts keep their tables in their own folder and are joined in here. */
export interface Database extends IntranetDatabase, NotificationsDatabase, PostsDatabase, MustReadsDatabase, ToolsDatabase, SamlDatabase, SocialDatabase, InboxDatabase {
  audit_log: AuditLogTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  settings: SettingsTable;
  units: UnitsTable;
  opening_hours: OpeningHoursTable;
  opening_exceptions: OpeningExceptionsTable;
  people: PeopleTable;
  person_units: PersonUnitsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  sessions: SessionsTable;
  items: ItemsTable;
  revisions: RevisionsTable;
  item_channels: ItemChannelsTable;
  live_placements: LivePlacementsTable;
  live_audiences: LiveAudiencesTable;
  media: MediaTable;
  sites: SitesTable;
  front_slots: FrontSlotsTable;
  selfservice_uses: SelfserviceUsesTable;
  search_entries: SearchEntriesTable;
  search_words: SearchWordsTable;
  search_word_forms: SearchWordFormsTable;
  borgerdk_articles: BorgerdkArticlesTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Functions that may run inside or outside a transaction take this. */
export type DbOrTx = Db | Tx;
