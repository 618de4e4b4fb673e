import type { Db } from '../platform/database.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedDemoMustReads(db: Db): Promise<void> {}
