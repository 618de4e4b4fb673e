const BASE_MS = 10_000;
const CAP_MS = 60 * 60 * 1000;
const JITTER = 0.1;

/**
 * The wait before the next attempt after `attempt` failed: 10 s doubling up to an hour. Jitter is taken off
 * rather than added so the cap holds, and so jobs that failed together do not all come back at once.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - JITTER * random()));
}

/** A handler can ask for a particular retry time (e.g. from a Retry-After header) with `retryAfter`: a Date, or milliseconds from now. */
export function requestedRetryTime(error: unknown, now: Date): Date | null {
  if (typeof error !== 'object' || error === null || !('retryAfter' in error)) return null;
  const value = (error as { retryAfter: unknown }).retryAfter;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return new Date(now.getTime() + value);
  return null;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
