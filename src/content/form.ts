import type { JobRole } from '../org/model.ts';
import { type Form, type Values, list, text } from '../platform/forms.ts';
import type { AppSection, Content, ImageRef, ItemType, Placement, WebsiteSection } from './types.ts';

/**
 * The edit form's fields and the structured input `contentInput` expects, in both directions.
 * Field names are flat ("fields.startsAt", "images.0.alt") so a plain HTML form carries them, and so
 * a ValidationError's keys ("title", "fields.startsAt", "placements") name the field they belong to.
 */

/** Fields that carry several values (checkbox groups and kept social placements). */
export const LIST_FIELDS = ['subsites', 'intranetRoles', 'intranetUnits', 'intranetGroups', 'socialPlacements', 'socialAccounts'] as const;

/** The type fields each type's form shows, in the order they are shown. */
export const TYPE_FORM_FIELDS: Record<ItemType, readonly string[]> = {
  page: ['borgerdkArticleId', 'borgerdkMicroArticles', 'textAfter'],
  news: [],
  knowledge: [],
  event: ['startsAt', 'endsAt', 'place'],
  selfservice: ['targetUrl', 'keywords'],
  campaign: ['startsOn', 'endsOn', 'callToActionText', 'callToActionUrl'],
  leader_module: ['leadershipLevel', 'steps', 'checklist'],
  alert: ['severity', 'area'],
};

// Lists are typed as text: a comma-separated line for short words, one line each for sentences.
const COMMA_LISTS = new Set(['keywords']);
const LINE_LISTS = new Set(['steps', 'checklist']);
// Ticked as checkboxes, so they travel as a list of values.
const CHECKBOX_LISTS = new Set(['borgerdkMicroArticles']);
// Markdown, like the body.
const MARKDOWN_FIELDS = new Set(['textAfter']);

/** The form fields behind each channel, so a channel the person may not place in can travel as hidden inputs. */
export const CHANNEL_FORM_FIELDS = {
  website: ['website', 'websiteSection'],
  intranet: ['intranet', 'intranetEveryone', 'intranetRoles', 'intranetUnits', 'intranetGroups', 'intranetMustRead', 'intranetRemindAfterDays'],
  app: ['app', 'appSection'],
  social: ['socialPlacements'],
} as const;
export type FormChannel = keyof typeof CHANNEL_FORM_FIELDS;

/** A form always shows at least this many image rows; more when the item already has more images. */
export const IMAGE_ROWS = 3;

const checked = (form: Form, key: string): boolean => {
  const v = text(form, key);
  return v !== '' && v !== '0';
};

const commaList = (value: string): string[] => unique(value.split(',').map((s) => s.trim()).filter(Boolean));
const lineList = (value: string): string[] => value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
const unique = (values: string[]): string[] => [...new Set(values)];

/**
 * The must-read part of the intranet placement (src/mustreads). Left out when unset, so a placement saved before
 * must-reads existed reads back the same. Text that is no number comes back as a part of a day, which the schema
 * refuses with its own Danish message ("Skriv et helt antal dage.").
 */
function mustReadOf(form: Form): { mustRead?: true; remindAfterDays?: number } {
  const days = text(form, 'intranetRemindAfterDays').trim();
  const n = Number(days.replace(',', '.'));
  return {
    ...(checked(form, 'intranetMustRead') ? { mustRead: true as const } : {}),
    ...(days === '' ? {} : { remindAfterDays: Number.isFinite(n) ? n : 0.5 }),
  };
}

function imagesOf(form: Form): ImageRef[] {
  const rows = Object.keys(form)
    .map((k) => /^images\.(\d+)\.mediaId$/.exec(k)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return rows.map((n) => ({ mediaId: text(form, `images.${n}.mediaId`).trim(), alt: text(form, `images.${n}.alt`) })).filter((i) => i.mediaId !== '');
}

function socialPlacementsOf(form: Form): Placement[] {
  // A social editor's form shows a box and a text per account ("socialFields"); everyone else's carries them hidden.
  if (checked(form, 'socialFields')) {
    return unique(list(form, 'socialAccounts').filter(Boolean)).map((accountId) => ({ channel: 'social', accountId, text: text(form, `socialText.${accountId}`).trim() }));
  }
  const placements: Placement[] = [];
  for (const json of list(form, 'socialPlacements')) {
    try {
      const p = JSON.parse(json) as { channel?: unknown; accountId?: unknown; text?: unknown };
      if (p && p.channel === 'social' && typeof p.accountId === 'string' && typeof p.text === 'string') placements.push({ channel: 'social', accountId: p.accountId, text: p.text });
    } catch {
      // Social placements only ever come back from hidden inputs this app wrote; anything else is not one.
    }
  }
  return placements;
}

function placementsOf(form: Form): Placement[] {
  const placements: Placement[] = [];
  if (checked(form, 'website')) placements.push({ channel: 'website', section: text(form, 'websiteSection') as WebsiteSection });
  for (const unitId of unique(list(form, 'subsites').filter(Boolean))) placements.push({ channel: 'subsite', unitId });
  if (checked(form, 'intranet')) {
    placements.push({
      channel: 'intranet',
      everyone: checked(form, 'intranetEveryone'),
      roles: unique(list(form, 'intranetRoles').filter(Boolean)) as JobRole[],
      unitIds: unique(list(form, 'intranetUnits').filter(Boolean)),
      groupIds: unique(list(form, 'intranetGroups').filter(Boolean)),
      ...mustReadOf(form),
    });
  }
  if (checked(form, 'app')) placements.push({ channel: 'app', section: text(form, 'appSection') as AppSection });
  placements.push(...socialPlacementsOf(form));
  return placements;
}

function typeFieldsOf(form: Form, type: ItemType): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of TYPE_FORM_FIELDS[type]) {
    if (CHECKBOX_LISTS.has(name)) {
      fields[name] = unique(list(form, `fields.${name}`).filter(Boolean));
      continue;
    }
    const value = text(form, `fields.${name}`);
    fields[name] = COMMA_LISTS.has(name) ? commaList(value) : LINE_LISTS.has(name) ? lineList(value) : MARKDOWN_FIELDS.has(name) ? value.replace(/\r\n?/g, '\n') : value;
  }
  return fields;
}

/** The structured input for `contentInput` from a submitted edit form; validation is the service's. */
export function formToContentInput(form: Form, type: ItemType): Content {
  const reviewBy = text(form, 'reviewBy').trim();
  return {
    title: text(form, 'title'),
    summary: text(form, 'summary'),
    // Browsers send textarea line breaks as CRLF; stored Markdown uses LF.
    body: text(form, 'body').replace(/\r\n?/g, '\n'),
    ownerUnitId: text(form, 'ownerUnitId'),
    contact: text(form, 'contact'),
    topics: commaList(text(form, 'topics')),
    language: text(form, 'language') as Content['language'],
    reviewBy: reviewBy === '' ? null : reviewBy,
    images: imagesOf(form),
    placements: placementsOf(form),
    fields: typeFieldsOf(form, type),
  };
}

/** The edit form's values for a stored revision. */
export function contentToFormValues(content: Content): Values {
  const values: Values = {
    title: content.title,
    summary: content.summary,
    body: content.body,
    ownerUnitId: content.ownerUnitId,
    contact: content.contact,
    topics: content.topics.join(', '),
    language: content.language,
    reviewBy: content.reviewBy ?? '',
    website: '',
    websiteSection: '',
    subsites: [],
    intranet: '',
    intranetEveryone: '',
    intranetRoles: [],
    intranetUnits: [],
    intranetGroups: [],
    intranetMustRead: '',
    intranetRemindAfterDays: '',
    app: '',
    appSection: '',
    socialPlacements: [],
    socialAccounts: [],
  };
  for (const [name, value] of Object.entries(content.fields)) {
    if (CHECKBOX_LISTS.has(name)) {
      values[`fields.${name}`] = Array.isArray(value) ? value.map(String) : [];
      continue;
    }
    values[`fields.${name}`] = Array.isArray(value) ? value.map(String).join(LINE_LISTS.has(name) ? '\n' : ', ') : value === null || value === undefined ? '' : String(value);
  }
  content.images.forEach((image, i) => {
    values[`images.${i}.mediaId`] = image.mediaId;
    values[`images.${i}.alt`] = image.alt;
  });
  for (const p of content.placements) {
    switch (p.channel) {
      case 'website':
        values.website = '1';
        values.websiteSection = p.section;
        break;
      case 'subsite':
        (values.subsites as string[]).push(p.unitId);
        break;
      case 'intranet':
        values.intranet = '1';
        values.intranetEveryone = p.everyone ? '1' : '';
        values.intranetRoles = [...p.roles];
        values.intranetUnits = [...p.unitIds];
        values.intranetGroups = [...p.groupIds];
        values.intranetMustRead = p.mustRead ? '1' : '';
        values.intranetRemindAfterDays = p.remindAfterDays === null || p.remindAfterDays === undefined ? '' : String(p.remindAfterDays);
        break;
      case 'app':
        values.app = '1';
        values.appSection = p.section;
        break;
      case 'social':
        (values.socialPlacements as string[]).push(JSON.stringify({ channel: 'social', accountId: p.accountId, text: p.text }));
        (values.socialAccounts as string[]).push(p.accountId);
        values[`socialText.${p.accountId}`] = p.text;
        break;
    }
  }
  return values;
}

/** A submitted form as values to show again: one string per field, a list for the fields that carry several. */
export function formValues(form: Form): Values {
  const values: Values = {};
  for (const key of Object.keys(form)) {
    if (key === '_csrf' || key === 'preview') continue;
    values[key] = (LIST_FIELDS as readonly string[]).includes(key) || (key.startsWith('fields.') && CHECKBOX_LISTS.has(key.slice('fields.'.length))) ? list(form, key) : text(form, key);
  }
  for (const key of LIST_FIELDS) values[key] ??= [];
  return values;
}

/** How many image rows a form shows: at least IMAGE_ROWS, and one for every image already chosen. */
export function imageRowCount(values: Values): number {
  const indexes = Object.keys(values)
    .map((k) => /^images\.(\d+)\.mediaId$/.exec(k)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return Math.max(IMAGE_ROWS, ...indexes.map((n) => n + 1));
}

/** `values` with the fields of the given channels taken from `from`, so channels the person may not change stay as they are there. */
export function withChannelsFrom(values: Values, from: Values, channels: readonly FormChannel[]): Values {
  const merged: Values = { ...values };
  for (const channel of channels) for (const key of CHANNEL_FORM_FIELDS[channel]) merged[key] = from[key] ?? ((LIST_FIELDS as readonly string[]).includes(key) ? [] : '');
  return merged;
}
