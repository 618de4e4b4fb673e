import type { MailMessage } from '../platform/mail.ts';
import { type Frequency, FREQUENCY_LABELS, NOTIFICATION_KIND_LABELS, NOTIFICATION_KINDS, type NotificationKind, NOTIFICATIONS_PATH, PREFERENCES_PATH, safePath } from './model.ts';

/** One line of a mail: what happened, a line of text and where to read it. */
export interface MailEntry {
  kind: NotificationKind;
  title: string;
  text: string;
  /** A path on the intranet. */
  url: string;
}

export interface MailRecipient {
  name: string;
  email: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Titles and texts were typed by people; in a header or a list line they stay on one line. */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const shortened = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);

const INTRO: Record<Exclude<Frequency, 'off'>, string> = {
  now: 'Der er nyt til dig på TønderPortalen.',
  daily: 'Her er dagens nyt til dig fra TønderPortalen, samlet i én mail.',
  weekly: 'Her er ugens nyt til dig fra TønderPortalen, samlet i én mail.',
};

/**
 * The mail for one person: a single notification mailed at once, or a digest grouped by kind. Plain text and HTML
 * say the same; the HTML has no images or styles from elsewhere, and everything people typed is escaped.
 */
export function notificationMail(to: MailRecipient, entries: MailEntry[], frequency: Exclude<Frequency, 'off'>, baseUrl: string): MailMessage {
  const link = (path: string) => `${baseUrl}${safePath(path)}`;
  const groups = NOTIFICATION_KINDS.map((kind) => ({ kind, label: NOTIFICATION_KIND_LABELS[kind], entries: entries.filter((e) => e.kind === kind) })).filter((g) => g.entries.length);
  const n = entries.length;
  const subject = frequency === 'now' && n === 1 ? `TønderPortalen: ${shortened(oneLine(entries[0]!.title), 120)}` : `TønderPortalen: ${n} ${n === 1 ? 'ny' : 'nye'} til dig`;
  const kinds = groups.map((g) => `»${g.label}«`);
  const chosen = `${kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} og ${kinds.at(-1)}` : kinds[0]}: ${FREQUENCY_LABELS[frequency].toLowerCase()}`;
  const why = `Du får denne mail efter dine valg for ${chosen}.`;
  const change = 'Vælg selv, hvor ofte du får mail, eller slå dem fra';
  const all = 'Se alle dine notifikationer på TønderPortalen';
  const greeting = `Goddag ${oneLine(to.name)}`;

  const text = [
    greeting,
    '',
    INTRO[frequency],
    ...groups.flatMap((g) => [
      '',
      `${g.label} (${g.entries.length})`,
      '',
      ...g.entries.flatMap((e) => [`- ${oneLine(e.title)}`, ...(oneLine(e.text) ? [`  ${oneLine(e.text)}`] : []), `  ${link(e.url)}`]),
    ]),
    '',
    `${all}: ${link(NOTIFICATIONS_PATH)}`,
    '',
    why,
    `${change}: ${link(PREFERENCES_PATH)}`,
    '',
    'Venlig hilsen',
    'TønderPortalen',
  ].join('\n');

  const html = [
    '<!DOCTYPE html>',
    '<html lang="da">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body>',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(INTRO[frequency])}</p>`,
    ...groups.flatMap((g) => [
      `<h2>${escapeHtml(g.label)} (${g.entries.length})</h2>`,
      '<ul>',
      ...g.entries.map((e) => `<li><a href="${escapeHtml(link(e.url))}">${escapeHtml(oneLine(e.title))}</a>${oneLine(e.text) ? `<br>${escapeHtml(oneLine(e.text))}` : ''}</li>`),
      '</ul>',
    ]),
    `<p><a href="${escapeHtml(link(NOTIFICATIONS_PATH))}">${escapeHtml(all)}</a></p>`,
    `<p>${escapeHtml(why)} <a href="${escapeHtml(link(PREFERENCES_PATH))}">${escapeHtml(change)}</a>.</p>`,
    '<p>Venlig hilsen<br>TønderPortalen</p>',
    '</body>',
    '</html>',
  ].join('\n');

  return { to: { name: oneLine(to.name), address: to.email }, subject, text, html };
}
