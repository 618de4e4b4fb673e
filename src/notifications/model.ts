/** What a person can be told about, each with its own preference (I4: fewer mass e-mails). */
export const NOTIFICATION_KINDS = ['news', 'mention', 'must_read'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  news: 'Nyheder til dig',
  mention: 'Når nogen nævner dig',
  must_read: 'Skal læses',
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
export const DEFAULT_FREQUENCY: Record<NotificationKind, Frequency> = { news: 'daily', mention: 'now', must_read: 'now' };

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
