import type { Selectable } from 'kysely';
import type { Flag, Timestamp } from '../platform/tables.ts';

export interface ToolsTable {
  id: string;
  name: string;
  /** Always https://. */
  url: string;
  /** May be empty. */
  description: string;
  /** One of TOOL_TOPICS, or the editor's own words. */
  topic: string;
  /** JSON of the ToolAudience the editor chose; who actually sees the tool is in audience_entries. */
  audience: string;
  active: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ToolPinsTable {
  person_id: string;
  tool_id: string;
  /** The person's order: lowest first. */
  position: number;
  created_at: Timestamp;
}

/** The tables of this part, added to the Database interface in src/platform/database.ts. */
export interface ToolsDatabase {
  tools: ToolsTable;
  tool_pins: ToolPinsTable;
}

export type ToolRow = Selectable<ToolsTable>;
