import type { Db } from '../platform/database.ts';
import { seedDemoColleagues } from './colleagues-seed.ts';
import { seedDemoIntranetNews } from './intranet-news-seed.ts';
import { seedDemoMustReads } from './mustreads-seed.ts';
import { seedDemoNotifications } from './notifications-seed.ts';
import { seedDemoPosts } from './posts-seed.ts';
import { seedDemoTools } from './tools-seed.ts';

/** TønderPortalen's demo: colleagues, tools, must-reads, posts with comments, and notification choices. */
export async function seedDemoIntranet(db: Db): Promise<void> {
  await seedDemoColleagues(db);
  await seedDemoIntranetNews(db);
  await seedDemoTools(db);
  await seedDemoMustReads(db);
  await seedDemoPosts(db);
  await seedDemoNotifications(db);
}
