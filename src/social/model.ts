import { z } from 'zod';
import { NETWORKS, type Network } from './providers/types.ts';

export const ACCOUNT_STATUSES = ['not_connected', 'connected', 'needs_reauth'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, string> = {
  not_connected: 'Ikke forbundet',
  connected: 'Forbundet',
  needs_reauth: 'Skal forbindes igen',
};

/**
 * A post's life. draft → awaiting_approval (the account requires approval) → scheduled → sending → sent; or failed
 * (after the last attempt, on refused content or a token that no longer works), or cancelled by an editor.
 * A failed post can be sent again; it goes back to scheduled.
 */
export const POST_STATES = ['draft', 'awaiting_approval', 'scheduled', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type PostState = (typeof POST_STATES)[number];
export const POST_STATE_LABELS: Record<PostState, string> = {
  draft: 'Kladde',
  awaiting_approval: 'Venter på godkendelse',
  scheduled: 'Planlagt',
  sending: 'Sendes',
  sent: 'Sendt',
  failed: 'Fejlet',
  cancelled: 'Annulleret',
};
/** DKFDS tag colours per state. */
export const POST_STATE_TONE: Record<PostState, 'neutral' | 'info' | 'success' | 'warning' | 'error'> = {
  draft: 'neutral',
  awaiting_approval: 'warning',
  scheduled: 'info',
  sending: 'info',
  sent: 'success',
  failed: 'error',
  cancelled: 'neutral',
};

export const ERROR_KINDS = ['retry', 'reauthorize', 'bad_content'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
export const ERROR_KIND_LABELS: Record<ErrorKind, string> = {
  retry: 'Netværket svarede ikke eller bad os vente; vi prøver igen',
  reauthorize: 'Kontoen skal forbindes igen',
  bad_content: 'Netværket afviste opslaget',
};

/** How many times a post is tried before it is marked failed and its author told. */
export const MAX_ATTEMPTS = 8;
/** The wait after a failed attempt: `baseMs` (5 s) doubling, at most 15 minutes (a 429's reset time overrides it). */
export function retryDelayMs(attempt: number, baseMs = 5_000): number {
  return Math.min(15 * 60_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface Account {
  id: string;
  network: Network;
  handle: string;
  name: string;
  unitId: string;
  unitName: string;
  editorGroupId: string;
  editorGroupName: string;
  adviserGroupId: string | null;
  adviserGroupName: string | null;
  requiresApproval: boolean;
  apiBase: string;
  externalId: string | null;
  status: AccountStatus;
  statusNote: string | null;
  connectedAt: string | null;
  connectedByName: string | null;
  rateLimitedUntil: string | null;
  active: boolean;
}

export const DEFAULT_API_BASES: Record<Network, string> = {
  facebook: 'https://graph.facebook.com/v23.0',
  x: 'https://api.x.com',
  mastodon: 'https://mastodon.social',
  bluesky: 'https://bsky.social',
};

const text = (max: number, label: string) => z.string().trim().max(max, `${label} må højst være ${max} tegn`);
const required = (max: number, label: string) => text(max, label).min(1, `Skriv ${label.toLowerCase()}`);

export const accountInput = z.object({
  network: z.enum(NETWORKS, { error: 'Vælg et netværk' }),
  handle: required(100, 'Brugernavnet').regex(/^@?[\w.\-@:]+$/u, 'Brugernavnet må kun indeholde bogstaver, tal, punktum, bindestreg og @'),
  name: required(120, 'Navnet'),
  unitId: z.string().min(1, 'Vælg den enhed, der ejer kontoen'),
  editorGroupId: z.string().min(1, 'Vælg redaktørgruppen'),
  adviserGroupId: z.string().optional().transform((v) => v || null),
  requiresApproval: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
  apiBase: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || '')
    .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v) || /^demo:(facebook|x|mastodon|bluesky)$/.test(v), 'Skriv adressen som https://…'),
});
export type AccountInput = z.infer<typeof accountInput>;

export const tokenInput = z.object({
  accessToken: z.string().trim().min(10, 'Indsæt adgangsnøglen (mindst 10 tegn)').max(4000, 'Adgangsnøglen er for lang'),
  refreshToken: z.string().trim().max(4000, 'Fornyelsesnøglen er for lang').optional().transform((v) => v || null),
});

/** Shown on a Danish page: "@tonderkommune på X". */
export const accountLabel = (a: Pick<Account, 'handle' | 'network' | 'name'>): string => `${a.name} (${a.network === 'facebook' ? a.handle : a.handle.startsWith('@') ? a.handle : '@' + a.handle})`;

export const isNetworkValue = (v: unknown): v is Network => typeof v === 'string' && (NETWORKS as readonly string[]).includes(v);
