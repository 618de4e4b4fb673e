import type { JobLogger } from '../../src/platform/jobs/runner.ts';

export interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

/** A job logger that keeps its lines, so a test can read what a job said. */
export function memoryLogger(): JobLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
