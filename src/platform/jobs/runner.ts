import os from 'node:os';
import type { Db } from '../database.ts';
import { newId } from '../ids.ts';
import { dispatchEvents, type Subscriptions } from '../outbox/dispatcher.ts';
import type { JobRow } from '../tables.ts';
import { errorMessage, requestedRetryTime, retryDelayMs } from './retry.ts';
import { claimDueJobs, markDone, markFailed, markForRetry } from './store.ts';

export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobContext {
  job: JobRow;
  db: Db;
}

export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;

export interface JobRunnerOptions {
  db: Db;
  logger: JobLogger;
  workerId?: string;
  pollMs?: number;
  /** How long a claimed job is reserved; a job still running after this may be claimed and run again. */
  leaseMs?: number;
  /** Jobs claimed and run at once per round. */
  concurrency?: number;
  /** When given, start() also dispatches outbox events to these subscribers. */
  subscriptions?: Subscriptions;
}

export class JobRunner {
  readonly workerId: string;
  private readonly db: Db;
  private readonly logger: JobLogger;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly subscriptions: Subscriptions | undefined;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  private polling = false;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(options: JobRunnerOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${newId().slice(0, 8)}`;
    this.pollMs = options.pollMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 5 * 60 * 1000;
    this.concurrency = options.concurrency ?? 4;
    this.subscriptions = options.subscriptions;
  }

  register<P = unknown>(name: string, handler: JobHandler<P>): this {
    if (this.handlers.has(name)) throw new Error(`A handler for job "${name}" is already registered`);
    this.handlers.set(name, handler as JobHandler);
    return this;
  }

  /** Claims the jobs that are due (up to `concurrency`), runs them and records the outcome. Returns how many were claimed. */
  async runDue(): Promise<number> {
    const jobs = await claimDueJobs(this.db, { workerId: this.workerId, leaseMs: this.leaseMs, limit: this.concurrency });
    await Promise.all(jobs.map((job) => this.track(this.runOne(job))));
    return jobs.length;
  }

  start(): void {
    if (this.polling) return;
    this.polling = true;
    for (const name of this.subscriptions?.jobNames() ?? []) {
      if (!this.handlers.has(name)) this.logger.warn({ jobName: name }, 'outbox subscriber has no job handler');
    }
    this.schedule(0);
  }

  /** Stops polling and waits for the jobs already running to finish. */
  async stop(): Promise<void> {
    this.polling = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.round = this.poll().finally(() => (this.round = undefined));
    }, ms);
    // A runner must never keep the process alive on its own.
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    let busy = false;
    if (this.subscriptions) {
      try {
        busy = (await dispatchEvents(this.db, this.subscriptions)) > 0;
      } catch (error) {
        this.logger.error({ err: errorMessage(error) }, 'outbox dispatch failed');
      }
    }
    try {
      busy = (await this.runDue()) >= this.concurrency || busy;
    } catch (error) {
      this.logger.error({ err: errorMessage(error) }, 'claiming jobs failed');
    }
    // A full round suggests more work is waiting, so go again without the pause.
    if (this.polling) this.schedule(busy ? 0 : this.pollMs);
  }

  private track(run: Promise<void>): Promise<void> {
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }

  private async runOne(job: JobRow): Promise<void> {
    const meta = { jobId: job.id, jobName: job.name, attempt: job.attempts, maxAttempts: job.max_attempts };
    try {
      const handler = this.handlers.get(job.name);
      if (!handler) {
        await markFailed(this.db, job, `No handler is registered for job "${job.name}"`);
        this.logger.error(meta, 'job failed: no handler registered');
        return;
      }
      // Its worker died during the last allowed attempt; running it again would exceed the limit.
      if (job.attempts > job.max_attempts) {
        await markFailed(this.db, job, `Lease expired during the last attempt (${job.max_attempts} of ${job.max_attempts})`);
        this.logger.error(meta, 'job failed: lease expired during last attempt');
        return;
      }
      const started = Date.now();
      try {
        await handler(JSON.parse(job.payload) as unknown, { job, db: this.db });
      } catch (error) {
        await this.handleFailure(job, error, meta);
        return;
      }
      const kept = await markDone(this.db, job);
      if (kept) this.logger.info({ ...meta, ms: Date.now() - started }, 'job done');
      else this.logger.warn(meta, 'job finished after its lease was taken over');
    } catch (error) {
      // Recording the outcome failed (e.g. the database is away); the lease will run out and the job be retried.
      this.logger.error({ ...meta, err: errorMessage(error) }, 'could not record job outcome');
    }
  }

  private async handleFailure(job: JobRow, error: unknown, meta: Record<string, unknown>): Promise<void> {
    const message = errorMessage(error);
    if (job.attempts >= job.max_attempts) {
      if (await markFailed(this.db, job, message)) this.logger.error({ ...meta, err: message }, 'job failed after last attempt');
      else this.logger.warn({ ...meta, err: message }, 'job failed after its lease was taken over');
      return;
    }
    const now = new Date();
    const runAt = requestedRetryTime(error, now) ?? new Date(now.getTime() + retryDelayMs(job.attempts));
    if (await markForRetry(this.db, job, { runAt, error: message })) {
      this.logger.warn({ ...meta, err: message, retryAt: runAt.toISOString() }, 'job attempt failed; will retry');
    } else {
      this.logger.warn({ ...meta, err: message }, 'job failed after its lease was taken over');
    }
  }
}
