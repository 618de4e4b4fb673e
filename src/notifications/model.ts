/** What a person can be told about, each with its own preference (I4: fewer mass e-mails). */
export const NOTIFICATION_KINDS = ['news', 'mention', 'must_read', 'social'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  news: 'Nyheder til dig',
  mention: 'Når nogen nævner dig',
  must_read: 'Skal læses',
  social: 'Dine opslag på sociale medier',
};

export const FREQUENCIES = ['now', 'daily', 'weekly', 'off'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  now: 'Med det samme',
  daily: 'Samlet én gang om dagen',
  weekly: 'Samlet én gang om ugen',
  off: 'Ingen e-mail (kun på intranettet)',
};

/** Until a person chooses: mentions and must-reads at once, news gathered daily. */
export const DEFAULT_FREQUENCY: Record<NotificationKind, Frequency> = { news: 'daily', mention: 'now', must_read: 'now', social: 'now' };

export interface NewNotification {
  personIds: string[];
  kind: NotificationKind;
  /** The same person and key twice is one notification: "mention:<comment-id>", "must_read:<item-id>". */
  sourceKey: string;
  title: string;
  text: string;
  /** A path on the intranet. */
  url: string;
}

export const isKind = (value: string): value is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(value);
export const isFrequency = (value: string): value is Frequency => (FREQUENCIES as readonly string[]).includes(value);

/** The kinds a person without a stored choice gets at this frequency. */
export const kindsDefaultingTo = (frequency: Frequency): NotificationKind[] => NOTIFICATION_KINDS.filter((k) => DEFAULT_FREQUENCY[k] === frequency);

/** A person's choice per kind, defaults filled in. */
export type Preferences = Record<NotificationKind, Frequency>;

/** The frequencies a digest gathers; 'now' is mailed one by one and 'off' never. */
export type DigestFrequency = Extract<Frequency, 'daily' | 'weekly'>;

/** One notification as its reader sees it, on the intranet and in a mail. */
export interface Notification {
  id: string;
  kind: NotificationKind;
  title: string;
  text: string;
  url: string;
  createdAt: string;
  read: boolean;
}

/** The place on the intranet where each person chooses how often they are mailed. */
export const PREFERENCES_PATH = '/intranet/indstillinger/notifikationer';
export const NOTIFICATIONS_PATH = '/intranet/notifikationer';

/** A notification's url is a path on the intranet; anything else (a full address, "//host") falls back to the list. */
export const safePath = (url: string): string => (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : NOTIFICATIONS_PATH);
