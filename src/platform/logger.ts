import pino from 'pino';

/** Secrets never reach the log: cookies, tokens and passwords are redacted wherever they appear. */
export const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
];

export function createLogger(level: string) {
  return pino({ level, redact: { paths: REDACT, censor: '[skjult]' } });
}
