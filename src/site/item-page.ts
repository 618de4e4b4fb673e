import type { FastifyReply } from 'fastify';
import { borgerdkForItem } from '../borgerdk/page-view.ts';
import { renderMarkdown } from '../content/markdown.ts';
import { parseContent } from '../content/service.ts';
import type { Content } from '../content/types.ts';
import { findUnit } from '../org/store.ts';
import type { DbOrTx } from '../platform/database.ts';
import { telHref, unitHours } from './opening-hours-routes.ts';
import { localClock } from './opening-status.ts';
import * as queries from './queries.ts';

// How one live item is shown to readers, on the main site and on a subsite alike.

export interface Crumb {
  text: string;
  href?: string;
}

const localDay = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', dateStyle: 'long' });
const localTime = new Intl.DateTimeFormat('da-DK', { timeZone: 'UTC', timeStyle: 'short' });

/** An event's times are typed as Copenhagen wall-clock time ("2026-12-01T10:00") and shown as such. */
function wallClock(local: unknown): { day: string; time: string; iso: string } | null {
  const m = typeof local === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local) : null;
  if (!m) return null;
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  return { day: localDay.format(at), time: localTime.format(at), iso: local as string };
}

export function eventFacts(content: Content) {
  const starts = wallClock(content.fields.startsAt);
  const ends = wallClock(content.fields.endsAt);
  if (!starts) return null;
  const when = !ends ? `${starts.day} kl. ${starts.time}` : ends.day === starts.day ? `${starts.day} kl. ${starts.time}–${ends.time}` : `${starts.day} kl. ${starts.time} til ${ends.day} kl. ${ends.time}`;
  return { when, startsIso: starts.iso, place: typeof content.fields.place === 'string' ? content.fields.place : '' };
}

/** A unit's contact details and today's opening status, for a contact box; nothing for a unit closed down. */
export async function unitContact(db: DbOrTx, unitId: string) {
  const unit = await findUnit(db, unitId);
  if (!unit || !unit.active) return null;
  const { date: today, time: now } = localClock(new Date());
  const hours = await unitHours(db, unit, today, now);
  return {
    name: unit.name,
    slug: unit.slug,
    address: unit.address,
    phone: hours?.phone ?? (unit.phone ? { text: unit.phone, href: telHref(unit.phone) } : null),
    email: unit.email,
    status: hours?.status ?? null,
  };
}

/**
 * The contact box: the item's own contact line, and the owning unit's address, phone, e-mail and
 * today's opening status, so a reader need not look for how to get further.
 */
async function contactBox(db: DbOrTx, content: Content) {
  const unit = await unitContact(db, content.ownerUnitId);
  if (!unit) return content.contact ? { note: content.contact, unit: null } : null;
  return { note: content.contact, unit };
}

export interface ItemPageOptions {
  /** The trail above the title; the item's own title is added last. */
  crumbs: Crumb[];
  /** The label above the title, e.g. the section's name. */
  label: string;
  /** Where the event's calendar file is, when the page offers one. */
  calendarHref?: string | null;
  /** Layout to extend: the main site's or a subsite's. */
  extra?: Record<string, unknown>;
}

/** Renders the live edition of an item. */
export async function renderLiveItem(db: DbOrTx, reply: FastifyReply, item: queries.PublicItem, options: ItemPageOptions) {
  const content = parseContent((await queries.revisionContent(db, item.id, item.liveRevision!))!);
  return reply.view('site/views/item.njk', {
    title: content.title,
    description: content.summary,
    ogType: 'article',
    crumbs: [...options.crumbs, { text: content.title }],
    label: options.label,
    content,
    bodyHtml: renderMarkdown(content.body),
    event: item.type === 'event' ? eventFacts(content) : null,
    calendarHref: options.calendarHref ?? null,
    contact: await contactBox(db, content),
    borgerdk: await borgerdkForItem(db, content),
    updatedAt: item.liveSince,
    ...options.extra,
  });
}

/** The page left at the address of withdrawn content: 410, with the editors' explanation. */
export async function renderWithdrawn(reply: FastifyReply, lastTitle: string | null, note: string | null, options: ItemPageOptions) {
  const title = lastTitle ?? 'Indholdet er trukket tilbage';
  return reply.code(410).view('site/views/item.njk', {
    title,
    crumbs: [...options.crumbs, { text: title }],
    label: options.label,
    gone: { title: lastTitle, note },
    ...options.extra,
  });
}
