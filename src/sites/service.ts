import { auditActor, type Actor } from '../org/actor.ts';
import { fieldErrors } from '../org/model.ts';
import { findUnit } from '../org/store.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, Tx } from '../platform/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { newId, nowIso } from '../platform/ids.ts';
import { bumpSiteGeneration } from '../site/generation.ts';
import { canCreateSite, canEditSite } from './access.ts';
import { parseMenu, siteInput, type SiteInput } from './model.ts';
import * as store from './store.ts';

type Problems = Record<string, string>;

/** Form rules and database checks together, so a person sees every problem at once. */
async function validate(tx: Tx, raw: Record<string, unknown>, selfId: string | null): Promise<SiteInput> {
  const result = siteInput.safeParse(raw);
  const problems: Problems = result.success ? {} : fieldErrors(result.error);
  const fields = result.success ? result.data : null;
  const unitId = String(raw.unitId ?? '').trim();
  const slug = String(raw.slug ?? '').trim().toLowerCase();
  const host = String(raw.host ?? '').trim().toLowerCase();
  if (!problems.unitId && unitId) {
    const unit = await findUnit(tx, unitId);
    const taken = await store.siteOfUnit(tx, unitId);
    if (!unit || !unit.active) problems.unitId = 'Den valgte enhed findes ikke eller er deaktiveret.';
    else if (taken && taken.id !== selfId) problems.unitId = `${unit.name} har allerede et site: ${taken.name}.`;
  }
  if (!problems.slug && slug) {
    const clash = await store.siteBySlug(tx, slug);
    if (clash && clash.id !== selfId) problems.slug = `Adressen "${slug}" bruges allerede af ${clash.name}.`;
  }
  if (!problems.host && host) {
    const clash = await tx.selectFrom('sites').select(['id', 'name']).where('host', '=', host).executeTakeFirst();
    if (clash && clash.id !== selfId) problems.host = `Domænenavnet bruges allerede af ${clash.name}.`;
  }
  if (Object.keys(problems).length || !fields) throw new ValidationError(problems);
  return fields;
}

const log = (tx: Tx, actor: Actor, action: string, id: string, details: Record<string, unknown>) =>
  audit(tx, { ...auditActor(actor), action, objectType: 'site', objectId: id, details });

export async function createSite(db: Db, actor: Actor, raw: Record<string, unknown>): Promise<string> {
  const kind = raw.kind === 'independent' ? 'independent' : 'subsite';
  if (!canCreateSite(actor, kind)) throw new ForbiddenError(kind === 'independent' ? 'Kun platformsejeren kan oprette et selvstændigt website.' : undefined);
  return db.transaction().execute(async (tx) => {
    const f = await validate(tx, raw, null);
    const id = newId();
    const now = nowIso();
    await store.insertSite(tx, {
      id,
      kind: f.kind,
      unit_id: f.unitId,
      name: f.name,
      slug: f.slug,
      host: f.host || null,
      intro: f.intro,
      menu: JSON.stringify(parseMenu(f.menu).links),
      slot_count: f.slotCount,
      active: 1,
      created_by: actor.personId || null,
      created_at: now,
      updated_at: now,
    });
    await log(tx, actor, 'site.created', id, { kind: f.kind, name: f.name, slug: f.slug, host: f.host || null });
    await bumpSiteGeneration(tx);
    return id;
  });
}

/**
 * Changes a site. Its own editors may change the name, introduction, menu and number of front page slots;
 * the kind, unit, address and host name need the right to create such a site, and are kept otherwise.
 */
export async function updateSite(db: Db, actor: Actor, id: string, raw: Record<string, unknown>): Promise<void> {
  return db.transaction().execute(async (tx) => {
    const site = await store.findSite(tx, id);
    if (!site) throw new NotFoundError('Sitet findes ikke.');
    if (!canEditSite(actor, site)) throw new ForbiddenError();
    const structural = canCreateSite(actor, site.kind);
    const input = structural ? { ...raw, kind: site.kind } : { ...raw, kind: site.kind, unitId: site.unitId, slug: site.slug, host: site.host ?? '' };
    const f = await validate(tx, input, id);
    const changes = {
      unit_id: f.unitId,
      name: f.name,
      slug: f.slug,
      host: f.host || null,
      intro: f.intro,
      menu: JSON.stringify(parseMenu(f.menu).links),
      slot_count: f.slotCount,
      updated_at: nowIso(),
    };
    await store.updateSite(tx, id, changes);
    await log(tx, actor, 'site.updated', id, { name: f.name, slug: f.slug, host: f.host || null, menu: parseMenu(f.menu).links.length, slotCount: f.slotCount });
    await bumpSiteGeneration(tx);
  });
}

/** Closing a site takes it off the web at once; its content stays and comes back when it is opened again. */
export async function setSiteActive(db: Db, actor: Actor, id: string, active: boolean): Promise<void> {
  return db.transaction().execute(async (tx) => {
    const site = await store.findSite(tx, id);
    if (!site) throw new NotFoundError('Sitet findes ikke.');
    if (!canCreateSite(actor, site.kind)) throw new ForbiddenError();
    await store.updateSite(tx, id, { active: active ? 1 : 0, updated_at: nowIso() });
    await log(tx, actor, active ? 'site.opened' : 'site.closed', id, { name: site.name });
    await bumpSiteGeneration(tx);
  });
}
