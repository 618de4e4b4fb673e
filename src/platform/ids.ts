import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** The current time as stored: ISO-8601 in UTC. */
export const nowIso = (): string => new Date().toISOString();
