import { pictureFor, type Picture } from '../content/media-markup.ts';
import { parseContent } from '../content/service.ts';
import { ITEM_TYPE_LABELS, type Content, type ItemType } from '../content/types.ts';
import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx, Tx } from '../platform/database.ts';
import { ForbiddenError, ValidationError } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import { readSetting, writeSetting } from '../platform/settings-store.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { startHref } from '../site/selfservice-uses.ts';
import * as store from './front-slots-store.ts';
import { findSite, listSites, updateSite, type Site } from './store.ts';

// The front page's fixed slots (W2): deliberately few, so not every wish fits. Editors of a site fill and order
// them with its live items; when every slot is taken, placing one more means choosing which it replaces.

export const MAIN = 'main';
export const SLOT_COUNT_SETTING = 'site.frontSlots';
export const DEFAULT_SLOT_COUNT = 6;
export const MIN_SLOTS = 1;
export const MAX_SLOTS = 12;

/** One front page: the main website's, or a subsite's. */
export interface FrontPage {
  /** 'main' or the site's id, as stored in `front_slots.site_key`. */
  key: string;
  site: Site | null;
  /** The page's name in a sentence: "hjemmesidens forside", "forsiden af Tønder Distriktsskole". */
  name: string;
  slotCount: number;
  where: store.LiveChannel;
  adminPath: string;
}

function parseSlotCount(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= MIN_SLOTS && n <= MAX_SLOTS ? n : DEFAULT_SLOT_COUNT;
}

/** The front page of a site key, or undefined when no such site exists. */
export async function frontPageOf(db: DbOrTx, siteKey: string): Promise<FrontPage | undefined> {
  if (siteKey === MAIN) {
    return {
      key: MAIN,
      site: null,
      name: 'hjemmesidens forside',
      slotCount: parseSlotCount(await readSetting(db, SLOT_COUNT_SETTING)),
      where: { channel: 'website' },
      adminPath: '/admin/forside',
    };
  }
  const site = await findSite(db, siteKey);
  if (!site) return undefined;
  return {
    key: site.id,
    site,
    name: `forsiden af ${site.name}`,
    slotCount: site.slotCount,
    where: { channel: 'subsite', unitId: site.unitId },
    adminPath: `/admin/sites/${site.id}/forside`,
  };
}

// ---- access ----

/** The main front page is the website editors'; a subsite's is its own editors'. The platform owner may do both. */
export function canEditFrontPage(actor: Actor | null, page: Pick<FrontPage, 'site'>): boolean {
  if (!actor) return false;
  if (actor.capabilities.has('org.admin')) return true;
  return actor.capabilities.has(page.site ? `subsite:${page.site.unitId}.publish` : 'website.publish');
}

/** Before a subsite is looked up: may the person edit any subsite's front page at all? */
export function mayEditSomeSubsiteFront(actor: Actor | null): boolean {
  return !!actor && (actor.capabilities.has('org.admin') || [...actor.capabilities].some((c) => /^subsite:.+\.publish$/.test(c)));
}

/** The front pages the person may edit, for links on the admin start page. */
export async function editableFrontPages(db: DbOrTx, actor: Actor | null): Promise<{ text: string; href: string }[]> {
  if (!actor) return [];
  const pages: { text: string; href: string }[] = [];
  if (canEditFrontPage(actor, { site: null })) pages.push({ text: 'Hjemmesidens forside', href: '/admin/forside' });
  if (mayEditSomeSubsiteFront(actor)) {
    for (const site of await listSites(db)) {
      if (canEditFrontPage(actor, { site })) pages.push({ text: `Forsiden af ${site.name}`, href: `/admin/sites/${site.id}/forside` });
    }
  }
  return pages;
}

const REFUSED = 'Du kan ikke ændre denne forside. Forsiden redigeres af redaktørerne af hjemmesiden eller subsitet.';

// ---- reading, for editors ----

export interface EditorSlot {
  position: number;
  itemId: string;
  title: string;
  type: string;
  typeLabel: string;
  /** False when the item was unpublished or moved off the site since: readers do not see the slot. */
  live: boolean;
  placedAt: string;
}

const typeLabel = (type: string): string => ITEM_TYPE_LABELS[type as ItemType] ?? type;

/** The stored slots in order, with what editors need to know about each. */
export async function editorSlots(db: DbOrTx, page: FrontPage): Promise<EditorSlot[]> {
  const slots = await store.slotsOf(db, page.key);
  const ids = slots.map((s) => s.itemId);
  const [items, live] = await Promise.all([store.slotItems(db, ids), store.liveOn(db, page.where, ids)]);
  return slots.map((s) => {
    const item = items.get(s.itemId);
    const title = item?.liveContent ? parseContent(item.liveContent).title : (item?.title ?? '');
    return { position: s.position, itemId: s.itemId, title, type: item?.type ?? '', typeLabel: typeLabel(item?.type ?? ''), live: live.has(s.itemId), placedAt: s.placedAt };
  });
}

export interface Placeable {
  id: string;
  title: string;
  typeLabel: string;
  liveSince: string | null;
}

/** Live items of the page's site that are not on it yet, newest first; `more` tells the list was cut at `limit`. */
export async function placeableFor(db: DbOrTx, page: FrontPage, options: { q: string; limit: number }): Promise<{ items: Placeable[]; more: boolean }> {
  const exclude = (await store.slotsOf(db, page.key)).map((s) => s.itemId);
  const rows = await store.placeableItems(db, page.where, { q: options.q.trim(), exclude, limit: options.limit });
  return {
    items: rows.slice(0, options.limit).map((r) => ({ id: r.id, title: r.title, typeLabel: typeLabel(r.type), liveSince: r.liveSince })),
    more: rows.length > options.limit,
  };
}

// ---- writing ----

interface Change {
  action: string;
  details: Record<string, unknown>;
}

/** One change to one front page: access, a lock, the change, its audit entry and a new site generation in one transaction. */
async function change(db: Db, actor: Actor, siteKey: string, apply: (tx: Tx, page: FrontPage, slots: store.SlotRow[]) => Promise<Change | null>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const page = await frontPageOf(tx, siteKey);
    if (!page) throw new ValidationError({ _form: 'Forsiden findes ikke.' });
    if (!canEditFrontPage(actor, page)) throw new ForbiddenError(REFUSED);
    await store.lockFrontPage(tx, page.key);
    const done = await apply(tx, page, await store.slotsOf(tx, page.key));
    if (!done) return;
    await audit(tx, { ...auditActor(actor), action: done.action, objectType: 'front_page', objectId: page.key, details: done.details });
    await bumpSiteGeneration(tx);
  });
}

/** A slot named by the item in it, so a form sent after someone else reordered the page still means what its sender saw. */
function slotIndex(slots: store.SlotRow[], itemId: string, field: string): number {
  const i = slots.findIndex((s) => s.itemId === itemId);
  if (i < 0) throw new ValidationError({ [field]: 'Indholdet er ikke længere på forsiden. Nogen har ændret den, siden du åbnede siden. Se den nye forside, og prøv igen.' });
  return i;
}

async function titleOf(db: DbOrTx, itemId: string): Promise<string> {
  const item = (await store.slotItems(db, [itemId])).get(itemId);
  return item?.liveContent ? parseContent(item.liveContent).title : (item?.title ?? '');
}

export interface PlaceInput {
  itemId: string;
  /** The item whose slot the new one takes; required when every slot is taken. */
  replaces: string;
}

/** Puts a live item of the site on its front page: in the first free slot, or in place of the chosen one. */
export async function placeItem(db: Db, actor: Actor, siteKey: string, input: PlaceInput): Promise<{ position: number }> {
  let position = 0;
  await change(db, actor, siteKey, async (tx, page, slots) => {
    const itemId = input.itemId.trim();
    const replaces = input.replaces.trim();
    if (!itemId) throw new ValidationError({ itemId: 'Vælg det indhold, der skal på forsiden.' });
    if (!(await store.liveOn(tx, page.where, [itemId])).has(itemId)) {
      throw new ValidationError({ itemId: `Det valgte indhold er ikke udgivet på ${page.site ? page.site.name : 'hjemmesiden'}. Vælg indhold fra listen.` });
    }
    const already = slots.findIndex((s) => s.itemId === itemId);
    if (already >= 0) throw new ValidationError({ itemId: `Indholdet er allerede på forsiden, på plads ${already + 1}. Vælg noget andet.` });
    const filled = slots.slice(0, page.slotCount);
    const placed = { itemId, placedBy: actor.personId || null, placedAt: nowIso() };
    const title = await titleOf(tx, itemId);
    if (!replaces) {
      if (filled.length >= page.slotCount) {
        throw new ValidationError({
          replaces: `Alle ${page.slotCount} pladser på forsiden er optaget. Vælg under »Hvilken plads skal erstattes?«, hvilket indhold det nye skal erstatte.`,
        });
      }
      await store.rewriteSlots(tx, page.key, [...filled, placed]);
      position = filled.length + 1;
      return { action: 'front_page.placed', details: { itemId, title, position } };
    }
    const i = slotIndex(filled, replaces, 'replaces');
    const next: Omit<store.SlotRow, 'position'>[] = [...filled];
    next[i] = placed;
    await store.rewriteSlots(tx, page.key, next);
    position = i + 1;
    return { action: 'front_page.replaced', details: { itemId, title, position, replacedItemId: replaces, replacedTitle: await titleOf(tx, replaces) } };
  });
  return { position };
}

/** Moves a slot one place up or down. */
export async function moveSlot(db: Db, actor: Actor, siteKey: string, itemId: string, direction: 'up' | 'down'): Promise<void> {
  await change(db, actor, siteKey, async (tx, page, slots) => {
    const i = slotIndex(slots, itemId, '_form');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= slots.length) throw new ValidationError({ _form: direction === 'up' ? 'Indholdet er allerede øverst.' : 'Indholdet er allerede nederst.' });
    const next = [...slots];
    [next[i], next[j]] = [next[j]!, next[i]!];
    await store.rewriteSlots(tx, page.key, next);
    return { action: 'front_page.moved', details: { itemId, title: await titleOf(tx, itemId), from: i + 1, to: j + 1 } };
  });
}

/** Takes an item off the front page; the slots below move up. */
export async function removeSlot(db: Db, actor: Actor, siteKey: string, itemId: string): Promise<void> {
  await change(db, actor, siteKey, async (tx, page, slots) => {
    const i = slotIndex(slots, itemId, '_form');
    await store.rewriteSlots(tx, page.key, slots.filter((_, k) => k !== i));
    return { action: 'front_page.removed', details: { itemId, title: await titleOf(tx, itemId), position: i + 1 } };
  });
}

export interface SlotCountInput {
  count: string;
  /** The editor's yes to taking off the items that no longer fit. */
  confirmDrop: boolean;
}

/**
 * Changes how many slots the front page has. Fewer slots than are filled takes the lowest ones off the page,
 * which the editor must confirm having been told which they are.
 */
export async function setSlotCount(db: Db, actor: Actor, siteKey: string, input: SlotCountInput): Promise<void> {
  await change(db, actor, siteKey, async (tx, page, slots) => {
    const raw = input.count.trim();
    const count = Number(raw);
    if (!/^\d+$/.test(raw) || count < MIN_SLOTS || count > MAX_SLOTS) {
      throw new ValidationError({ count: `Skriv antallet af pladser som et helt tal fra ${MIN_SLOTS} til ${MAX_SLOTS}.` });
    }
    if (count === page.slotCount && slots.length <= count) return null;
    const dropped = slots.slice(count);
    if (dropped.length && !input.confirmDrop) {
      const titles = await Promise.all(dropped.map((s) => titleOf(tx, s.itemId)));
      throw new ValidationError({
        confirmDrop: `Med ${count} ${count === 1 ? 'plads' : 'pladser'} bliver ${titles.map((t) => `»${t}«`).join(', ')} taget af forsiden. Sæt kryds i »Tag det af forsiden, der ikke er plads til«, hvis det er i orden.`,
      });
    }
    if (dropped.length) await store.rewriteSlots(tx, page.key, slots.slice(0, count));
    if (page.site) await updateSite(tx, page.site.id, { slot_count: count, updated_at: nowIso() });
    else await writeSetting(tx, SLOT_COUNT_SETTING, String(count));
    return { action: 'front_page.slot_count_set', details: { from: page.slotCount, to: count, droppedItemIds: dropped.map((s) => s.itemId) } };
  });
}

// ---- reading, for readers ----

/** One filled slot as readers see it: the live edition only. */
export interface FrontSlotCard {
  position: number;
  itemId: string;
  type: string;
  typeLabel: string;
  slug: string;
  title: string;
  summary: string;
  language: Content['language'];
  href: string;
  /** The item's first image, when it has one; the card's title names the link, so the image's alt text is empty. */
  picture: Picture | null;
}

const CARD_IMAGE_SIZES = '(min-width: 992px) 360px, (min-width: 576px) 50vw, 100vw';

/**
 * The live items on a front page, in slot order. An item unpublished or moved off the site since it was placed
 * is left out here, so readers never see it; its slot stays for the editors to refill.
 */
export async function frontSlotsFor(db: DbOrTx, siteKey: string): Promise<FrontSlotCard[]> {
  const page = await frontPageOf(db, siteKey);
  if (!page) return [];
  const slots = (await store.slotsOf(db, page.key)).slice(0, page.slotCount);
  const ids = slots.map((s) => s.itemId);
  const [items, live, sections] = await Promise.all([store.slotItems(db, ids), store.liveOn(db, page.where, ids), page.site ? Promise.resolve(new Map<string, string[]>()) : store.websiteSectionsOf(db, ids)]);
  const shown = slots.flatMap((s) => {
    const item = items.get(s.itemId);
    return item?.liveContent && live.has(s.itemId) ? [{ slot: s, item, content: parseContent(item.liveContent) }] : [];
  });
  const media = await store.mediaFor(
    db,
    shown.flatMap(({ content }) => (content.images[0] ? [content.images[0].mediaId] : [])),
  );
  return shown.map(({ slot, item, content }) => {
    const image = content.images[0] && media.get(content.images[0].mediaId);
    return {
      position: slot.position,
      itemId: item.id,
      type: item.type,
      typeLabel: typeLabel(item.type),
      slug: item.slug,
      title: content.title,
      summary: content.summary,
      language: content.language,
      href: hrefFor(page, item, sections.get(item.id) ?? []),
      picture: image ? pictureFor(image, '', CARD_IMAGE_SIZES, { maxWidth: 1280 }) : null,
    };
  });
}

/** Where a card leads: a self-service entry starts its solution (and is counted); anything else opens its page. */
function hrefFor(page: FrontPage, item: store.SlotItemRow, sections: string[]): string {
  if (page.site) return `/${page.site.slug}/${item.slug}`;
  if (item.type === 'selfservice') return startHref(item.slug);
  return `/${sections[0] ?? 'borger'}/${item.slug}`;
}
