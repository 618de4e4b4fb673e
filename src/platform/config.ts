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

/** SAML 2.0 sign-in (OIOSAML: KOMBIT's Context Handler, NemLog-in); see docs/saml.md. */
export interface SamlSettings {
  /** The identity provider's metadata: a file path or an http(s) address. Null when the provider is given outright. */
  idpMetadata: string | null;
  /** Given outright instead of metadata. */
  idp: { entityId: string; entryPoint: string; certFiles: string[] } | null;
  /** Picks one provider out of federation metadata with several; otherwise null. */
  idpEntityId: string | null;
  spEntityId: string;
  /** PEM files of Mediehus' signing key and certificate; null in demo mode, where a pair is made and kept in the data folder. */
  spKeyFile: string | null;
  spCertFile: string | null;
  /** Attribute names to read, first one present wins. */
  attributes: { email: string[]; name: string[]; persistentId: string[]; cvr: string[] };
  /** When not empty, only people of these organisations (CVR numbers) may sign in. */
  allowedCvr: string[];
  /** The level of assurance asked for (AuthnContextClassRef, comparison "minimum"), or null to leave it to the provider. */
  authnContext: string | null;
  /** Shown on the sign-in button. */
  label: string;
}

export const SAML_DEFAULT_ATTRIBUTES: SamlSettings['attributes'] = {
  // OIOSAML 3 names first, then the OIOSAML 2 (urn:oid / dk:gov) names that older setups still send.
  email: ['https://data.gov.dk/model/core/eid/email', 'urn:oid:0.9.2342.19200300.100.1.3'],
  name: ['https://data.gov.dk/model/core/eid/fullName', 'urn:oid:2.5.4.3'],
  persistentId: ['https://data.gov.dk/model/core/eid/professional/uuid/persistent'],
  cvr: ['https://data.gov.dk/model/core/eid/professional/cvr', 'dk:gov:saml:attribute:CvrNumberIdentifier'],
};
export const SAML_DEFAULT_AUTHN_CONTEXT = 'https://data.gov.dk/concept/core/nsis/loa/Substantial';
export const SAML_DEFAULT_LABEL = 'Log ind med medarbejdersignatur (KOMBIT/NemLog-in)';

/** Social media accounts (see src/social/CONTEXT.md). */
export interface SocialSettings {
  /** Base64 of 32 random bytes; seals the accounts' tokens. Demo mode makes one in the data folder when not given. */
  secretKey: string | null;
  /** How long one call to a network may take before it counts as timed out. */
  timeoutMs: number;
  /**
   * Facebook app for the "Forbind med Facebook" flow; without it, a page token is pasted. Its secret also checks the
   * signature of the app's webhooks, and `verifyToken` answers Facebook's check when the webhook is subscribed.
   */
  facebook: { appId: string; appSecret: string; verifyToken: string | null } | null;
  /** X (Twitter) OAuth 2.0 client for "Forbind med X"; without it, a user token is pasted. */
  x: { clientId: string; clientSecret: string | null } | null;
}

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
  saml: SamlSettings | null;
  /** Without SMTP, mails are written as .eml files to <dataDir>/mail/. */
  smtp: SmtpSettings | null;
  logLevel: string;
  runJobs: boolean;
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-*. */
  trustProxy: boolean;
  /** Where the footer's "Tilgængelighedserklæring" points: the built-in /was page or the municipality's own on was.digst.dk. */
  accessibilityUrl: string;
  borgerdk: BorgerdkSettings;
  social: SocialSettings;
  /** How many days a removal record (notat om en skjult eller slettet kommentar) is kept; default five years. */
  removalKeepDays: number;
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
  MEDIEHUS_SAML_ENTRY_POINT: z.url({ protocol: /^https?$/, error: 'skal være en http(s)-adresse' }),
  MEDIEHUS_SAML_SP_ENTITY_ID: z.string().regex(/^\S+$/, 'skal være et entity-id uden mellemrum, fx https://medier.kommune.dk/login/saml/metadata'),
  MEDIEHUS_SAML_CVR: z.string().regex(/^\d{8}(\s*,\s*\d{8})*$/, 'skal være et eller flere CVR-numre på 8 cifre, adskilt af komma'),
  MEDIEHUS_SAML_AUTHN_CONTEXT: z.string().regex(/^(none|\S+:\S+)$/, 'skal være en URI som https://data.gov.dk/concept/core/nsis/loa/Substantial eller none'),
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
  MEDIEHUS_SECRET_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'skal være 32 tilfældige bytes skrevet som base64, fx fra: openssl rand -base64 32'),
  MEDIEHUS_SOCIAL_TIMEOUT_MS: z.coerce.number().int().min(100, 'skal være mindst 100').max(300_000, 'må højst være 300000'),
  MEDIEHUS_REMOVAL_KEEP_DAYS: z.coerce.number().int().min(1, 'skal være mindst 1').max(36_500, 'må højst være 36500'),
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

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean);

/** Off unless a provider is named, by metadata or outright; files are read when the routes start, not here. */
function readSaml(env: NodeJS.ProcessEnv, cwd: string, baseUrl: string, notDemo: boolean): SamlSettings | null {
  const idpMetadata = read(env, 'MEDIEHUS_SAML_IDP_METADATA');
  const entryPoint = read(env, 'MEDIEHUS_SAML_ENTRY_POINT');
  if (!idpMetadata && !entryPoint) return null;
  if (idpMetadata && entryPoint) {
    throw new ConfigError('MEDIEHUS_SAML_ENTRY_POINT', 'angiv enten MEDIEHUS_SAML_IDP_METADATA eller MEDIEHUS_SAML_ENTRY_POINT og MEDIEHUS_SAML_IDP_CERT, ikke begge');
  }
  if (idpMetadata && /^https?:\/\//.test(idpMetadata) && !URL.canParse(idpMetadata)) {
    throw new ConfigError('MEDIEHUS_SAML_IDP_METADATA', `ugyldig værdi "${idpMetadata}" (skal være en fil eller en http(s)-adresse)`);
  }
  const file = (p: string) => path.resolve(cwd, p);
  const idpEntityId = read(env, 'MEDIEHUS_SAML_IDP_ENTITY_ID') ?? null;
  let idp: SamlSettings['idp'] = null;
  if (entryPoint) {
    const certFiles = list(read(env, 'MEDIEHUS_SAML_IDP_CERT')) ?? [];
    if (!certFiles.length) throw new ConfigError('MEDIEHUS_SAML_IDP_CERT', 'skal angives (stien til udbyderens certifikat i PEM) når MEDIEHUS_SAML_ENTRY_POINT er sat');
    if (!idpEntityId) throw new ConfigError('MEDIEHUS_SAML_IDP_ENTITY_ID', 'skal angives når MEDIEHUS_SAML_ENTRY_POINT er sat');
    idp = { entityId: idpEntityId, entryPoint, certFiles: certFiles.map(file) };
  }
  const spKeyFile = read(env, 'MEDIEHUS_SAML_SP_KEY');
  const spCertFile = read(env, 'MEDIEHUS_SAML_SP_CERT');
  if (Boolean(spKeyFile) !== Boolean(spCertFile)) {
    const missing = spKeyFile ? 'MEDIEHUS_SAML_SP_CERT' : 'MEDIEHUS_SAML_SP_KEY';
    throw new ConfigError(missing, 'skal angives sammen med ' + (spKeyFile ? 'MEDIEHUS_SAML_SP_KEY' : 'MEDIEHUS_SAML_SP_CERT'));
  }
  if (!spKeyFile && notDemo) {
    throw new ConfigError('MEDIEHUS_SAML_SP_KEY', 'skal angives (stien til Mediehus\' signeringsnøgle i PEM) når SAML er slået til uden for demo-tilstand');
  }
  const authnContext = read(env, 'MEDIEHUS_SAML_AUTHN_CONTEXT') ?? SAML_DEFAULT_AUTHN_CONTEXT;
  return {
    idpMetadata: idpMetadata ? (/^https?:\/\//.test(idpMetadata) ? idpMetadata : file(idpMetadata)) : null,
    idp,
    idpEntityId,
    spEntityId: read(env, 'MEDIEHUS_SAML_SP_ENTITY_ID') ?? `${baseUrl}/login/saml/metadata`,
    spKeyFile: spKeyFile ? file(spKeyFile) : null,
    spCertFile: spCertFile ? file(spCertFile) : null,
    attributes: {
      email: list(read(env, 'MEDIEHUS_SAML_ATTR_EMAIL')) ?? SAML_DEFAULT_ATTRIBUTES.email,
      name: list(read(env, 'MEDIEHUS_SAML_ATTR_NAME')) ?? SAML_DEFAULT_ATTRIBUTES.name,
      persistentId: list(read(env, 'MEDIEHUS_SAML_ATTR_PERSISTENT_ID')) ?? SAML_DEFAULT_ATTRIBUTES.persistentId,
      cvr: list(read(env, 'MEDIEHUS_SAML_ATTR_CVR')) ?? SAML_DEFAULT_ATTRIBUTES.cvr,
    },
    allowedCvr: list(read(env, 'MEDIEHUS_SAML_CVR')) ?? [],
    authnContext: authnContext === 'none' ? null : authnContext,
    label: read(env, 'MEDIEHUS_SAML_LABEL') ?? SAML_DEFAULT_LABEL,
  };
}

function readSocial(env: NodeJS.ProcessEnv): SocialSettings {
  const pair = (idName: string, secretName: string, secretRequired: boolean) => {
    const id = read(env, idName);
    const secret = read(env, secretName);
    if (!id && secret) throw new ConfigError(idName, `skal angives når ${secretName} er sat`);
    if (id && !secret && secretRequired) throw new ConfigError(secretName, `skal angives når ${idName} er sat`);
    return id ? { id, secret: secret ?? null } : null;
  };
  const facebook = pair('MEDIEHUS_FACEBOOK_APP_ID', 'MEDIEHUS_FACEBOOK_APP_SECRET', true);
  if (!facebook && read(env, 'MEDIEHUS_FACEBOOK_VERIFY_TOKEN')) throw new ConfigError('MEDIEHUS_FACEBOOK_APP_ID', 'skal angives når MEDIEHUS_FACEBOOK_VERIFY_TOKEN er sat');
  const x = pair('MEDIEHUS_X_CLIENT_ID', 'MEDIEHUS_X_CLIENT_SECRET', false);
  return {
    secretKey: read(env, 'MEDIEHUS_SECRET_KEY') ?? null,
    timeoutMs: Number(read(env, 'MEDIEHUS_SOCIAL_TIMEOUT_MS') ?? 30_000),
    facebook: facebook ? { appId: facebook.id, appSecret: facebook.secret!, verifyToken: read(env, 'MEDIEHUS_FACEBOOK_VERIFY_TOKEN') ?? null } : null,
    x: x ? { clientId: x.id, clientSecret: x.secret } : null,
  };
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

  const demo = read(env, 'MEDIEHUS_DEMO');
  const issuer = read(env, 'MEDIEHUS_OIDC_ISSUER');
  let oidc: OidcSettings | null = null;
  if (issuer) {
    const clientId = read(env, 'MEDIEHUS_OIDC_CLIENT_ID');
    const clientSecret = read(env, 'MEDIEHUS_OIDC_CLIENT_SECRET');
    if (!clientId) throw new ConfigError('MEDIEHUS_OIDC_CLIENT_ID', 'skal angives når MEDIEHUS_OIDC_ISSUER er sat');
    if (!clientSecret) throw new ConfigError('MEDIEHUS_OIDC_CLIENT_SECRET', 'skal angives når MEDIEHUS_OIDC_ISSUER er sat');
    oidc = { issuer, clientId, clientSecret, label: read(env, 'MEDIEHUS_OIDC_LABEL') ?? 'Log ind med virksomhedens login' };
  }

  const saml = readSaml(env, cwd, baseUrl, production || demo === 'false');

  const social = readSocial(env);

  const smtpUrl = readSmtpUrl(env);
  const mailFrom = read(env, 'MEDIEHUS_MAIL_FROM') ?? DEFAULT_MAIL_FROM;

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
    saml,
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
    social,
    removalKeepDays: Number(read(env, 'MEDIEHUS_REMOVAL_KEEP_DAYS') ?? 1825),
  };
}
