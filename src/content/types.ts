import type { JobRole } from '../org/model.ts';

export const ITEM_TYPES = ['page', 'news', 'event', 'selfservice', 'campaign', 'knowledge', 'leader_module', 'alert'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];
export const ITEM_TYPE_LABELS: Record<ItemType, string> = {
  page: 'Side',
  news: 'Nyhed',
  event: 'Arrangement',
  selfservice: 'Selvbetjening',
  campaign: 'Kampagne',
  knowledge: 'Videnartikel',
  leader_module: 'Ledermodul (Leder-GPS)',
  alert: 'Varsel',
};

export const STATES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'archived'] as const;
export type ItemState = (typeof STATES)[number];
export const STATE_LABELS: Record<ItemState, string> = {
  draft: 'Kladde',
  in_review: 'Til godkendelse',
  approved: 'Godkendt',
  scheduled: 'Planlagt',
  published: 'Udgivet',
  archived: 'Arkiveret',
};

export const UNPUBLISH_REASONS = ['error', 'replaced', 'withdrawn'] as const;
export type UnpublishReason = (typeof UNPUBLISH_REASONS)[number];
export const UNPUBLISH_REASON_LABELS: Record<UnpublishReason, string> = {
  error: 'Udgivet ved en fejl',
  replaced: 'Erstattet af en anden side (viderestilling)',
  withdrawn: 'Trukket tilbage (siden bliver stående med en forklaring)',
};

/** Sections of the main website; subsites have their own front page. */
export const WEBSITE_SECTIONS = {
  borger: 'Borger',
  erhverv: 'Erhverv',
  politik: 'Politik og indflydelse',
  kommunen: 'Om kommunen',
  nyheder: 'Nyheder',
  arrangementer: 'Arrangementer',
} as const;
export type WebsiteSection = keyof typeof WEBSITE_SECTIONS;

export const APP_SECTIONS = { nyheder: 'Nyheder', arrangementer: 'Arrangementer', kampagner: 'Kampagner', 'leder-gps': 'Leder-GPS', genveje: 'Genveje' } as const;
export type AppSection = keyof typeof APP_SECTIONS;

/** Where an item appears. Social placements carry their own text per account. */
export type Placement =
  | { channel: 'website'; section: WebsiteSection }
  | { channel: 'subsite'; unitId: string }
  | {
      channel: 'intranet';
      everyone: boolean;
      roles: JobRole[];
      unitIds: string[];
      groupIds: string[];
      /** Readers in the audience are asked to acknowledge that they have read it (I4). */
      mustRead?: boolean;
      /** Days after publication before those who have not acknowledged are reminded; none means no reminder. */
      remindAfterDays?: number | null;
    }
  | { channel: 'app'; section: AppSection }
  | { channel: 'social'; accountId: string; text: string };

export type ChannelKey = Placement['channel'];

export interface ImageRef {
  mediaId: string;
  /** May be empty in a draft; an item whose image lacks alt text cannot be published. */
  alt: string;
}

/** The content of one revision: what every item has, plus the fields of its type. */
export interface Content {
  title: string;
  summary: string;
  body: string;
  ownerUnitId: string;
  contact: string;
  topics: string[];
  language: 'da' | 'en';
  reviewBy: string | null;
  images: ImageRef[];
  placements: Placement[];
  fields: Record<string, unknown>;
}

export const LANGUAGE_LABELS = { da: 'Dansk', en: 'Engelsk' } as const;
export const SEVERITY_LABELS = { info: 'Information', warning: 'Advarsel', danger: 'Fare' } as const;

/** Labels of the type fields, for the form and for the conflict page. */
export const TYPE_FIELD_LABELS: Record<string, string> = {
  startsAt: 'Starter',
  endsAt: 'Slutter',
  place: 'Sted',
  targetUrl: 'Adressen på selvbetjeningen',
  keywords: 'Søgeord',
  startsOn: 'Startdato',
  endsOn: 'Slutdato',
  callToActionText: 'Tekst på knappen',
  callToActionUrl: 'Knappens adresse',
  leadershipLevel: 'Ledelsesniveau',
  steps: 'Trin',
  checklist: 'Tjekliste',
  severity: 'Hvor alvorligt er varslet?',
  area: 'Område',
  borgerdkArticleId: 'Artikel fra borger.dk',
  borgerdkMicroArticles: 'Mikroartikler fra borger.dk',
  textAfter: 'Tekst efter artiklen',
};
