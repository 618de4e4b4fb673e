import type { z } from 'zod';
import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import * as org from '../org/store.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { enqueue } from '../platform/jobs/enqueue.ts';
import { recordEvent } from '../platform/outbox/publish.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { siteOfUnit } from '../sites/store.ts';
import { localInputToDate } from '../platform/time.ts';
import { canEditItem, canPlaceIn, canPublishItem, canUseEditor } from './access.ts';
import { markdownToPlainText } from './markdown.ts';
import { channelKeys, contentInput, publishProblems, slugify, TYPE_FIELDS } from './model.ts';
import * as store from './store.ts';
import type { ItemRow } from './tables.ts';
import { type Content, ITEM_TYPES, type Placement, type ItemState, type ItemType, UNPUBLISH_REASONS } from './types.ts';
import { refusal, stateAfter, stateAfterSave, type TransitionName, type WorkflowFacts } from './workflow.ts';

export const PUBLISH_SCHEDULED_JOB = 'content.publish_scheduled';
export const UNPUBLISH_SCHEDULED_JOB = 'content.unpublish_scheduled';

export interface SaveMeta {
  /** The revision the editor started from; saving on top of a newer one is refused. */
  baseRevision: number;
  changeNote: string;
  major: boolean;
}

/** Saving on top of someone else's newer revision: both versions go back to the editor. */
export class EditConflictError extends ConflictError {
  constructor(
    readonly theirs: { number: number; authorName: string | null; createdAt: string; content: Content },
    readonly mine: Content,
  ) {
    super('Nogen har gemt en nyere version, mens du redigerede. Se begge versioner, og gem igen med det, der skal stå.');
  }
}

/** `actor` null is the system: a scheduled job taking its step. */
const log = (tx: Tx, actor: Actor | null, action: string, itemId: string, details: Record<string, unknown> = {}) =>
  audit(tx, { ...(actor ? auditActor(actor) : { actorId: null, actorLabel: 'system', ip: null }), action, objectType: 'item', objectId: itemId, details });

export const parseContent = (json: string): Content => JSON.parse(json) as Content;

// ---- validation ----

/** Form rules, type rules and database references together, so every problem shows at once. */
async function validateContent(tx: Tx, type: ItemType, raw: unknown): Promise<Content> {
  const result = contentInput.safeParse(raw);
  const problems: Record<string, string> = result.success ? {} : fieldErrors(result.error);
  const rawFields = ((raw as { fields?: unknown } | null)?.fields ?? {}) as Record<string, unknown>;
  const typed = TYPE_FIELDS[type].safeParse(rawFields);
  if (!typed.success) for (const [k, v] of Object.entries(fieldErrors(typed.error as z.ZodError))) problems[`fields.${k}`] ??= v;
  if (result.success) {
    const c = result.data;
    if (!(await org.findUnit(tx, c.ownerUnitId))) problems.ownerUnitId ??= 'Den valgte enhed findes ikke.';
    for (const image of c.images) {
      const media = await tx.selectFrom('media').select('id').where('id', '=', image.mediaId).executeTakeFirst();
      if (!media) problems.images ??= 'Et af billederne findes ikke længere i mediearkivet.';
    }
    for (const p of c.placements) {
      // An institution may be given a subsite later; any other unit needs one already (an independent website).
      if (p.channel === 'subsite' && (await org.findUnit(tx, p.unitId))?.kind !== 'institution' && !(await siteOfUnit(tx, p.unitId))) problems.placements ??= 'Et af de valgte subsites findes ikke.';
      if (p.channel === 'intranet') {
        for (const u of p.unitIds) if (!(await org.findUnit(tx, u))) problems.placements ??= 'En af de valgte enheder findes ikke.';
        for (const g of p.groupIds) if (!(await org.findGroup(tx, g))) problems.placements ??= 'En af de valgte grupper findes ikke.';
      }
    }
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const c = result.data!;
  return { ...c, fields: typed.data as Record<string, unknown> };
}

/**
 * Adding, removing or changing a placement (another section, audience or text) needs the edit right in its channel;
 * placements in other channels travel along untouched.
 */
function checkPlacementRights(actor: Actor, before: Placement[], after: Placement[]): void {
  const byChannel = (placements: Placement[]) => {
    const map = new Map<string, string[]>();
    for (const p of placements) {
      const [key] = channelKeys([p]);
      map.set(key!, [...(map.get(key!) ?? []), JSON.stringify(p)].sort());
    }
    return map;
  };
  const was = byChannel(before);
  const is = byChannel(after);
  const changed = [...new Set([...was.keys(), ...is.keys()])].filter((k) => JSON.stringify(was.get(k) ?? []) !== JSON.stringify(is.get(k) ?? []));
  const refused = changed.filter((k) => !canPlaceIn(actor, k));
  if (refused.length) {
    throw new ValidationError({ placements: `Du har ikke ret til at ændre placeringer i: ${refused.join(', ')}. Spørg en redaktør for kanalen.` });
  }
}

async function uniqueSlug(tx: Tx, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(await store.slugsStartingWith(tx, base));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const searchText = (c: Content) => `${c.title} ${c.summary} ${markdownToPlainText(c.body)} ${c.topics.join(' ')}`.toLowerCase().slice(0, 20_000);

// ---- writing ----

export async function createItem(db: Db, actor: Actor, type: string, raw: unknown, changeNote = 'Oprettet'): Promise<{ id: string }> {
  if (!canUseEditor(actor)) throw new ForbiddenError();
  if (!(ITEM_TYPES as readonly string[]).includes(type)) throw new ValidationError({ type: 'Vælg en indholdstype.' });
  return db.transaction().execute(async (tx) => {
    const content = await validateContent(tx, type as ItemType, raw);
    const channels = channelKeys(content.placements);
    checkPlacementRights(actor, [], content.placements);
    const id = newId();
    const now = nowIso();
    await store.insertItem(tx, {
      id,
      type,
      slug: await uniqueSlug(tx, content.title),
      state: 'draft',
      placed: channels.length ? 1 : 0,
      owner_unit_id: content.ownerUnitId,
      title: content.title,
      summary: content.summary,
      search_text: searchText(content),
      latest_revision: 1,
      edition_start: 1,
      live_revision: null,
      last_live_revision: null,
      first_published_at: null,
      live_since: null,
      submitted_by: null,
      approved_by: null,
      review_comment: null,
      publish_at: null,
      unpublish_at: null,
      not_reviewed: 0,
      emergency_by: null,
      emergency_reason: null,
      unpublish_reason: null,
      unpublish_note: null,
      replaced_by: null,
      review_by: content.reviewBy,
      created_by: actor.personId || null,
      created_at: now,
      updated_by: actor.personId || null,
      updated_at: now,
    });
    await store.insertRevision(tx, { item_id: id, number: 1, author_id: actor.personId || null, created_at: now, change_note: changeNote.trim() || 'Oprettet', major: 1, content: JSON.stringify(content) });
    await store.replaceChannels(tx, id, channels);
    await log(tx, actor, 'item.created', id, { type, title: content.title });
    await recordEvent(tx, { type: 'item.created', objectType: 'item', objectId: id, payload: { type } });
    return { id };
  });
}

export async function saveItem(db: Db, actor: Actor, id: string, raw: unknown, meta: SaveMeta): Promise<{ revision: number }> {
  return db.transaction().execute(async (tx) => {
    const item = await requireItem(tx, id);
    const before = await store.channelsOf(tx, id);
    if (!canEditItem(actor, before)) throw new ForbiddenError('Du har ikke ret til at redigere dette indhold.');
    if (meta.baseRevision !== item.latest_revision) {
      const latest = (await store.findRevision(tx, id, item.latest_revision))!;
      const author = latest.author_id ? await org.findPersonRow(tx, latest.author_id) : undefined;
      const mine = await validateContent(tx, item.type as ItemType, raw).catch(() => raw as Content);
      throw new EditConflictError({ number: latest.number, authorName: author?.name ?? null, createdAt: latest.created_at, content: parseContent(latest.content) }, mine);
    }
    const content = await validateContent(tx, item.type as ItemType, raw);
    const channels = channelKeys(content.placements);
    const previous = parseContent((await store.findRevision(tx, id, item.latest_revision))!.content);
    checkPlacementRights(actor, previous.placements, content.placements);
    const number = item.latest_revision + 1;
    const now = nowIso();
    const state = stateAfterSave(item.state as ItemState);
    const newEdition = item.state === 'published' || item.state === 'archived';
    await store.insertRevision(tx, { item_id: id, number, author_id: actor.personId || null, created_at: now, change_note: meta.changeNote.trim(), major: meta.major ? 1 : 0, content: JSON.stringify(content) });
    await store.updateItem(tx, id, {
      state,
      title: content.title,
      summary: content.summary,
      search_text: searchText(content),
      owner_unit_id: content.ownerUnitId,
      review_by: content.reviewBy,
      latest_revision: number,
      placed: channels.length ? 1 : 0,
      edition_start: newEdition ? number : item.edition_start,
      // A change after approval needs a new approval; a planned publication is called off.
      ...(state !== item.state ? { approved_by: null, submitted_by: null, publish_at: null } : {}),
      updated_by: actor.personId || null,
      updated_at: now,
    });
    await store.replaceChannels(tx, id, channels);
    await log(tx, actor, 'item.saved', id, { revision: number, major: meta.major, changeNote: meta.changeNote.trim(), ...(state !== item.state ? { state } : {}) });
    return { revision: number };
  });
}

/** An old revision becomes the newest draft; nothing is overwritten. */
export async function restoreRevision(db: Db, actor: Actor, id: string, number: number, baseRevision: number): Promise<{ revision: number }> {
  const old = await store.findRevision(db, id, number);
  if (!old) throw new NotFoundError('Versionen findes ikke.');
  return saveItem(db, actor, id, parseContent(old.content), { baseRevision, changeNote: `Gendannet fra version ${number}`, major: true });
}

// ---- workflow ----

export interface TransitionArgs {
  comment?: string;
  reason?: string;
  note?: string;
  /** Local Copenhagen time, "2026-12-01T10:00". */
  at?: string;
  replacedBy?: string;
}

async function requireItem(tx: Tx, id: string): Promise<ItemRow> {
  const item = await store.findItem(tx, id);
  if (!item) throw new NotFoundError('Indholdet findes ikke.');
  return item;
}

export async function workflowFacts(tx: Tx | Db, actor: Actor | null, item: ItemRow): Promise<WorkflowFacts> {
  const channels = await store.channelsOf(tx, item.id);
  return {
    state: item.state as ItemState,
    hasLive: item.live_revision !== null,
    notReviewed: item.not_reviewed === 1,
    emergencyPublisherId: item.emergency_by,
    editionAuthors: await store.editionAuthors(tx, item.id, item.edition_start),
    actorId: actor ? actor.personId || null : null,
    canEdit: canEditItem(actor, channels),
    canPublish: canPublishItem(actor, channels),
  };
}

function futureInstant(field: string, local: string | undefined): Date {
  const at = local ? localInputToDate(local) : null;
  if (!at) throw new ValidationError({ [field]: 'Skriv dato og klokkeslæt.' });
  if (at.getTime() <= Date.now()) throw new ValidationError({ [field]: 'Tidspunktet skal ligge i fremtiden.' });
  return at;
}

/**
 * Takes one named step of the workflow. `actor` null is the system (scheduled jobs).
 * Every step writes its audit entry and its outbox event in the same transaction.
 */
export async function transition(db: Db, actor: Actor | null, id: string, name: TransitionName, args: TransitionArgs = {}): Promise<ItemState> {
  return db.transaction().execute(async (tx) => {
    const item = await requireItem(tx, id);
    const no = refusal(name, await workflowFacts(tx, actor, item));
    if (no) throw new AppError(no.status, no.status === 403 ? 'forbidden' : 'conflict', no.message);
    const now = nowIso();
    const by = actor?.personId || null;
    const next = stateAfter(name, item.state as ItemState);
    const changes: Parameters<typeof store.updateItem>[2] = { state: next, updated_at: now, updated_by: by ?? item.updated_by };
    const details: Record<string, unknown> = { from: item.state, to: next };

    switch (name) {
      case 'submit':
        changes.submitted_by = by;
        changes.review_comment = null;
        break;
      case 'approve':
        changes.approved_by = by;
        break;
      case 'send_back': {
        const comment = args.comment?.trim();
        if (!comment) throw new ValidationError({ comment: 'Skriv hvad der skal rettes, før du sender tilbage.' });
        changes.review_comment = comment;
        changes.submitted_by = null;
        details.comment = comment;
        break;
      }
      case 'schedule': {
        const at = futureInstant('at', args.at);
        await checkPublishable(tx, item);
        changes.publish_at = at.toISOString();
        details.at = changes.publish_at;
        await enqueue(tx, PUBLISH_SCHEDULED_JOB, { itemId: id, at: changes.publish_at }, { runAt: at, uniqueKey: `${PUBLISH_SCHEDULED_JOB}:${id}:${changes.publish_at}` });
        break;
      }
      case 'unschedule':
        changes.publish_at = null;
        break;
      case 'emergency_publish': {
        const reason = args.reason?.trim();
        if (!reason) throw new ValidationError({ reason: 'Skriv hvorfor indholdet skal udgives uden godkendelse.' });
        Object.assign(changes, { not_reviewed: 1, emergency_by: by, emergency_reason: reason });
        details.reason = reason;
        Object.assign(details, await goLive(tx, item, changes, now));
        break;
      }
      case 'publish':
      case 'publish_scheduled':
        Object.assign(details, await goLive(tx, item, changes, now));
        break;
      case 'mark_reviewed':
        Object.assign(changes, { not_reviewed: 0, emergency_reason: null });
        break;
      case 'schedule_unpublish': {
        const at = futureInstant('at', args.at);
        const reason = unpublishReason(args);
        Object.assign(changes, { unpublish_at: at.toISOString(), unpublish_reason: reason.reason, unpublish_note: reason.note, replaced_by: reason.replacedBy });
        details.at = changes.unpublish_at;
        await enqueue(tx, UNPUBLISH_SCHEDULED_JOB, { itemId: id, at: changes.unpublish_at }, { runAt: at, uniqueKey: `${UNPUBLISH_SCHEDULED_JOB}:${id}:${changes.unpublish_at}` });
        break;
      }
      case 'unpublish':
      case 'unpublish_scheduled': {
        const reason = name === 'unpublish' ? unpublishReason(args) : { reason: item.unpublish_reason ?? 'withdrawn', note: item.unpublish_note, replacedBy: item.replaced_by };
        if (reason.replacedBy) {
          const target = (await store.findItem(tx, reason.replacedBy)) ?? (await store.findItemBySlug(tx, reason.replacedBy));
          if (!target || target.live_revision === null || target.id === id) throw new ValidationError({ replacedBy: 'Vælg en anden, udgivet side, som indholdet er erstattet af.' });
          reason.replacedBy = target.id;
        }
        Object.assign(changes, { live_revision: null, last_live_revision: item.live_revision, live_since: null, unpublish_at: null, unpublish_reason: reason.reason, unpublish_note: reason.note, replaced_by: reason.replacedBy, not_reviewed: 0 });
        await store.replaceLive(tx, id, null, now);
        await bumpSiteGeneration(tx);
        Object.assign(details, reason);
        break;
      }
    }
    await store.updateItem(tx, id, changes);
    await log(tx, actor, `item.${name}`, id, details);
    await recordEvent(tx, { type: eventType(name), objectType: 'item', objectId: id, payload: details });
    return next;
  });
}

function eventType(name: TransitionName): string {
  if (name === 'publish' || name === 'publish_scheduled' || name === 'emergency_publish') return 'item.published';
  if (name === 'unpublish' || name === 'unpublish_scheduled') return 'item.unpublished';
  return `item.${name}`;
}

function unpublishReason(args: TransitionArgs): { reason: string; note: string | null; replacedBy: string | null } {
  const reason = args.reason ?? '';
  if (!(UNPUBLISH_REASONS as readonly string[]).includes(reason)) throw new ValidationError({ reason: 'Vælg hvorfor indholdet afpubliceres.' });
  const note = args.note?.trim() || null;
  if (reason === 'withdrawn' && !note) throw new ValidationError({ note: 'Skriv den forklaring, læserne skal se, når indholdet er trukket tilbage.' });
  const replacedBy = args.replacedBy?.trim() || null;
  if (reason === 'replaced' && !replacedBy) throw new ValidationError({ replacedBy: 'Vælg den side, der erstatter indholdet.' });
  return { reason, note, replacedBy: reason === 'replaced' ? replacedBy : null };
}

async function checkPublishable(tx: Tx, item: ItemRow): Promise<Content> {
  const content = parseContent((await store.findRevision(tx, item.id, item.latest_revision))!.content);
  const problems = publishProblems(item.type as ItemType, content);
  if (Object.keys(problems).length) throw new ValidationError(problems, 'Indholdet kan ikke udgives endnu. Ret det markerede og prøv igen.');
  return content;
}

/** The latest revision becomes the live edition, and the channels' view of it is rewritten. */
async function goLive(tx: Tx, item: ItemRow, changes: Parameters<typeof store.updateItem>[2], now: string): Promise<Record<string, unknown>> {
  const content = await checkPublishable(tx, item);
  Object.assign(changes, {
    live_revision: item.latest_revision,
    live_since: now,
    first_published_at: item.first_published_at ?? now,
    publish_at: null,
    submitted_by: null,
    approved_by: null,
    unpublish_reason: null,
    unpublish_note: null,
    replaced_by: null,
  });
  await store.replaceLive(tx, item.id, content, now);
  await bumpSiteGeneration(tx);
  const major = (await store.findRevision(tx, item.id, item.latest_revision))!.major === 1;
  return { revision: item.latest_revision, channels: channelKeys(content.placements), major };
}

/** The job behind a planned publication; it does nothing if the plan was changed or called off meanwhile. */
export async function runScheduled(db: Db, kind: 'publish' | 'unpublish', payload: { itemId: string; at: string }): Promise<void> {
  const item = await store.findItem(db, payload.itemId);
  const planned = kind === 'publish' ? item?.publish_at : item?.unpublish_at;
  if (!item || planned !== payload.at) return;
  await transition(db, null, item.id, kind === 'publish' ? 'publish_scheduled' : 'unpublish_scheduled');
}
