// The tables of this part, added to the Database interface in src/platform/database.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ToolsDatabase {}
