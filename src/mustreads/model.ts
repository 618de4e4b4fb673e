import type { LiveIntranetItem } from '../intranet/items.ts';
import { addDays, dateToLocalInput, localDate, showDate } from '../platform/time.ts';

/** The reader's list; every path of this part starts here. */
export const MUST_READS_PATH = '/intranet/skal-laeses';
export const acknowledgePath = (itemId: string): string => `${MUST_READS_PATH}/${encodeURIComponent(itemId)}/kvitter`;
export const statusPath = (itemId: string): string => `${MUST_READS_PATH}/${encodeURIComponent(itemId)}/status`;

/** The notification that tells the audience, once per item. */
export const announcementKey = (itemId: string): string => `must_read:${itemId}`;
/** The notification of a reminder round. */
export const reminderKey = (itemId: string, round: number): string => `must_read_reminder:${itemId}:${round}`;

/** A live item its audience is asked to acknowledge, as this part needs it. */
export interface MustRead {
  id: string;
  type: LiveIntranetItem['type'];
  slug: string;
  href: string;
  title: string;
  summary: string;
  ownerUnitId: string;
  /** Days after the announcement before those who have not acknowledged are reminded; null: no reminder. */
  remindAfterDays: number | null;
  firstPublishedAt: string | null;
}

/** The must-read of a live item, or null when its intranet placement does not ask for acknowledgement. */
export function mustReadOf(item: LiveIntranetItem): MustRead | null {
  const placement = item.content.placements.find((p) => p.channel === 'intranet');
  if (!placement || placement.channel !== 'intranet' || !placement.mustRead) return null;
  return {
    id: item.id,
    type: item.type,
    slug: item.slug,
    href: item.href,
    title: item.content.title,
    summary: item.content.summary,
    ownerUnitId: item.content.ownerUnitId,
    remindAfterDays: placement.remindAfterDays ?? null,
    firstPublishedAt: item.firstPublishedAt,
  };
}

const DAY = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

/** "i dag", "i går", "for 12 dage siden" – counted in Copenhagen days, as a reader thinks of them. */
export function sinceText(iso: string, now: Date = new Date()): string {
  const days = daysBetween(localDate(new Date(iso)), localDate(now));
  if (days <= 0) return 'i dag';
  if (days === 1) return 'i går';
  if (days < 60) return `for ${days} dage siden`;
  return `den ${showDate(iso)}`;
}

/** The local date on which a reminder is due, counted from the day the audience was told. */
export const reminderDueOn = (announcedAt: string, days: number): string => addDays(localDate(new Date(announcedAt)), days);

/** Whole per cent, rounded down, so 99.6 % is never shown as everyone. */
export const percent = (part: number, whole: number): number => (whole > 0 ? Math.floor((part * 100) / whole) : 0);

/** "2026-11-27 10:15", Copenhagen time: what a spreadsheet reads as a time. */
export const spreadsheetTime = (iso: string): string => dateToLocalInput(iso).replace('T', ' ');
