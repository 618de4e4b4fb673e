import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import type { Db } from './database.ts';
import { createDb } from './db.ts';
import { createLogger } from './logger.ts';
import { migrateToLatest } from './migrate.ts';
import { registerBorgerdkJobs, scheduleBorgerdkRefresh } from '../borgerdk/jobs.ts';
import { createBorgerdkClient } from '../borgerdk/client.ts';
import { registerContentJobs } from '../content/jobs.ts';
import { scheduleReviewReminders } from '../content/review-reminders.ts';
import { seedDemoIfEmpty } from '../demo/seed.ts';
import { registerHousekeeping, scheduleSessionCleanup } from './housekeeping.ts';
import { JobRunner } from './jobs/runner.ts';
import { registerIntranetJobs, scheduleIntranetJobs } from '../intranet/jobs.ts';
import { createMailer } from './mail.ts';
import { createSocialContext } from '../social/context.ts';
import { registerSocialJobs, scheduleSocialSweep } from '../social/jobs.ts';
import { registerInboxJobs, scheduleInboxJobs } from '../inbox/jobs.ts';
import { registerWeeklySummaryJob, scheduleWeeklySummary } from '../inbox/weekly-summary.ts';
import { startDemoNetworks } from '../social/demo-networks.ts';
import { Subscriptions } from './outbox/dispatcher.ts';

export interface Running {
  app: FastifyInstance;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, brings it up to date, fills it with the demo municipality on first start, and listens. */
export async function startServer(config: Config): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const db = createDb(config.database);
  const applied = await migrateToLatest(db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  if (config.demoMode) {
    const seeded = await seedDemoIfEmpty(db);
    if (seeded) logger.info('demo municipality seeded');
  }
  // In demo mode the four networks are small local stand-ins, so publishing can be tried without real accounts.
  const demoNetworks = config.demoMode ? await startDemoNetworks(db) : null;
  const social = await createSocialContext(db, config, demoNetworks?.directory);
  await demoNetworks?.connect(social);
  const app = await buildApp({ config, db, logger, social });
  await app.listen({ port: config.port, host: config.host });

  // Channels subscribe to outbox events here as they arrive; the runner also dispatches them.
  const subscriptions = new Subscriptions();
  const runner = new JobRunner({ db, logger: logger.child({ component: 'jobs' }), subscriptions });
  registerHousekeeping(runner);
  const mailer = createMailer(config, logger.child({ component: 'mail' }));
  registerContentJobs(runner, { mailer, baseUrl: config.baseUrl, logger: logger.child({ component: 'content' }) });
  registerBorgerdkJobs(runner, createBorgerdkClient(config.borgerdk));
  registerIntranetJobs(runner, subscriptions, { mailer, baseUrl: config.baseUrl, logger: logger.child({ component: 'intranet' }) });
  registerSocialJobs(runner, subscriptions, social, logger.child({ component: 'social' }));
  registerInboxJobs(runner, social, logger.child({ component: 'inbox' }));
  registerWeeklySummaryJob(runner, { mailer, baseUrl: config.baseUrl, logger: logger.child({ component: 'inbox' }) });
  if (config.runJobs) {
    await scheduleSessionCleanup(db);
    await scheduleReviewReminders(db);
    await scheduleBorgerdkRefresh(db);
    await scheduleIntranetJobs(db);
    await scheduleSocialSweep(db);
    await scheduleInboxJobs(db);
    await scheduleWeeklySummary(db);
    runner.start();
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  return {
    app,
    db,
    url,
    stop: async () => {
      await runner.stop();
      mailer.close?.();
      await app.close();
      await demoNetworks?.close();
      await db.destroy();
    },
  };
}
