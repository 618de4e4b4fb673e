import type { Db } from '../platform/database.ts';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function seedDemoColleagues(db: Db): Promise<void> {}
