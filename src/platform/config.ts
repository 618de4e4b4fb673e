import path from 'node:path';
import { z } from 'zod';

export type DatabaseSettings =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string };

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the sign-in button, e.g. "Log ind med MitID". */
  label: string;
}

export interface SmtpSettings {
  /** smtp://user:password@host:587 or smtps://…; holds a password, so it is never logged as it stands. */
  url: string;
  /** The From header, e.g. "Mediehus <mediehus@toender.dk>". */
  from: string;
}

export const DEFAULT_MAIL_FROM = 'Mediehus <mediehus@toender.dk>';

/** borger.dk's article export web service (SOAP); see src/borgerdk/CONTEXT.md. */
export interface BorgerdkSettings {
  url: string;
  /** The municipality whose local texts borger.dk fills into its articles (Tønder: 550). */
  municipalityCode: number;
  /** How long one call may take before it counts as failed. */
  timeoutMs: number;
}

export const DEFAULT_BORGERDK_URL = 'https://www.borger.dk/WSArticleExport/v1/ArticleExport.svc';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseSettings;
  production: boolean;
  /** Demo passwords are accepted only when this is true. */
  demoMode: boolean;
  /** Public address used in links and as the OIDC redirect base. */
  baseUrl: string;
  /** Secret for signing cookies; generated and kept in the data folder when not given. */
  cookieSecret: string | null;
  oidc: OidcSettings | null;
  /** Without SMTP, mails are written as .eml files to <dataDir>/mail/. */
  smtp: SmtpSettings | null;
  logLevel: string;
  runJobs: boolean;
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-*. */
  trustProxy: boolean;
  /** Where the footer's "Tilgængelighedserklæring" points: the built-in /was page or the municipality's own on was.digst.dk. */
  accessibilityUrl: string;
  borgerdk: BorgerdkSettings;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce.number().int().min(0).max(65535);

const rules: Record<string, z.ZodType> = {
  PORT: port,
  HOST: z.string().min(1),
  DATABASE_URL: z.string().regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'skal begynde med postgres:// eller sqlite:'),
  MEDIEHUS_BASE_URL: z.url(),
  MEDIEHUS_OIDC_ISSUER: z.url(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  MEDIEHUS_COOKIE_SECRET: z.string().min(32, 'skal være mindst 32 tegn'),
  MEDIEHUS_RUN_JOBS: z.enum(['true', 'false']),
  MEDIEHUS_DEMO: z.enum(['true', 'false']),
  MEDIEHUS_TRUST_PROXY: z.enum(['true', 'false']),
  MEDIEHUS_ACCESSIBILITY_URL: z
    .string()
    // "//host" would be read by browsers as another site over any protocol, so a path must not start that way.
    .regex(/^(\/(?!\/)\S*|https:\/\/[^\s/]+(\/\S*)?)$/, 'skal være en sti som /was eller en https://-adresse'),
  MEDIEHUS_BORGERDK_URL: z.url({ protocol: /^https?$/, error: 'skal være en http(s)-adresse' }),
  MEDIEHUS_BORGERDK_MUNICIPALITY: z.string().regex(/^\d{1,4}$/, 'skal være en kommunekode, fx 550'),
  MEDIEHUS_BORGERDK_TIMEOUT_MS: z.coerce.number().int().min(100, 'skal være mindst 100').max(300_000, 'må højst være 300000'),
  MEDIEHUS_MAIL_FROM: z.string().regex(/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'skal være en e-mailadresse, evt. med navn: Navn <adresse@eksempel.dk>'),
};

/** The URL with its password replaced, for logs and error messages. */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(ikke en adresse)';
  }
}

// Checked on its own because the usual error message repeats the value, and this value holds a password.
function readSmtpUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.MEDIEHUS_SMTP_URL;
  if (value === undefined || value === '') return undefined;
  const example = 'skal være en adresse som smtp://bruger:adgangskode@vært:587';
  if (!URL.canParse(value)) throw new ConfigError('MEDIEHUS_SMTP_URL', `ugyldig værdi (${example})`);
  const u = new URL(value);
  // Without the smtp scheme the parts are not where a URL keeps its password, so nothing of the value is repeated.
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError('MEDIEHUS_SMTP_URL', 'ugyldig værdi (skal begynde med smtp:// eller smtps://)');
  if (!u.hostname) throw new ConfigError('MEDIEHUS_SMTP_URL', `ugyldig værdi "${withoutPassword(value)}" (mangler værtsnavn)`);
  return value;
}

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const rule = rules[name];
  if (rule) {
    const result = rule.safeParse(value);
    if (!result.success) {
      throw new ConfigError(name, `ugyldig værdi "${value}" (${result.error.issues[0]?.message ?? 'ugyldig'})`);
    }
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const production = env.NODE_ENV === 'production';
  const portValue = Number(read(env, 'PORT') ?? 3000);
  const host = read(env, 'HOST') ?? 'localhost';
  const dataDir = path.resolve(cwd, read(env, 'MEDIEHUS_DATA_DIR') ?? 'data');
  const url = read(env, 'DATABASE_URL');
  const database: DatabaseSettings =
    url && /^postgres/.test(url)
      ? { dialect: 'postgres', url }
      : { dialect: 'sqlite', file: url ? path.resolve(cwd, url.slice('sqlite:'.length)) : path.join(dataDir, 'mediehus.sqlite') };
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const baseUrl = (read(env, 'MEDIEHUS_BASE_URL') ?? `http://${shownHost}:${portValue}`).replace(/\/$/, '');

  const issuer = read(env, 'MEDIEHUS_OIDC_ISSUER');
  let oidc: OidcSettings | null = null;
  if (issuer) {
    const clientId = read(env, 'MEDIEHUS_OIDC_CLIENT_ID');
    const clientSecret = read(env, 'MEDIEHUS_OIDC_CLIENT_SECRET');
    if (!clientId) throw new ConfigError('MEDIEHUS_OIDC_CLIENT_ID', 'skal angives når MEDIEHUS_OIDC_ISSUER er sat');
    if (!clientSecret) throw new ConfigError('MEDIEHUS_OIDC_CLIENT_SECRET', 'skal angives når MEDIEHUS_OIDC_ISSUER er sat');
    oidc = { issuer, clientId, clientSecret, label: read(env, 'MEDIEHUS_OIDC_LABEL') ?? 'Log ind med virksomhedens login' };
  }

  const smtpUrl = readSmtpUrl(env);
  const mailFrom = read(env, 'MEDIEHUS_MAIL_FROM') ?? DEFAULT_MAIL_FROM;

  const demo = read(env, 'MEDIEHUS_DEMO');
  return {
    port: portValue,
    host,
    dataDir,
    database,
    production,
    demoMode: !production && demo !== 'false',
    baseUrl,
    cookieSecret: read(env, 'MEDIEHUS_COOKIE_SECRET') ?? null,
    oidc,
    smtp: smtpUrl ? { url: smtpUrl, from: mailFrom } : null,
    logLevel: read(env, 'LOG_LEVEL') ?? 'info',
    runJobs: read(env, 'MEDIEHUS_RUN_JOBS') !== 'false',
    trustProxy: read(env, 'MEDIEHUS_TRUST_PROXY') === 'true',
    accessibilityUrl: read(env, 'MEDIEHUS_ACCESSIBILITY_URL') ?? '/was',
    borgerdk: {
      url: read(env, 'MEDIEHUS_BORGERDK_URL') ?? DEFAULT_BORGERDK_URL,
      municipalityCode: Number(read(env, 'MEDIEHUS_BORGERDK_MUNICIPALITY') ?? 550),
      timeoutMs: Number(read(env, 'MEDIEHUS_BORGERDK_TIMEOUT_MS') ?? 20_000),
    },
  };
}
