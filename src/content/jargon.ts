import { auditActor, type Actor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { Db, DbOrTx } from '../platform/database.ts';
import { ForbiddenError, ValidationError } from '../platform/errors.ts';
import { readSetting, writeSetting } from '../platform/settings-store.ts';
import { DEFAULT_JARGON, type JargonEntry } from './plain-language.ts';

const KEY = 'plain_language.jargon';
const MAX_ENTRIES = 500;

/** The platform owner and the leads of the channel editor groups keep the list of words to avoid. */
export const canEditJargon = (actor: Actor | null): boolean =>
  !!actor && (actor.capabilities.has('org.admin') || [...actor.capabilities].some((c) => /^(website|intranet|social|app)\.lead$/.test(c)));

export async function loadJargon(db: DbOrTx): Promise<readonly JargonEntry[]> {
  const stored = await readSetting(db, KEY);
  return stored ? (JSON.parse(stored) as JargonEntry[]) : DEFAULT_JARGON;
}

/** One entry per line, "ord = i stedet"; a line that does not fit is named by its number. */
export function parseJargon(text: string): JargonEntry[] {
  const entries: JargonEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const [word, instead, ...rest] = line.split('=').map((part) => part.trim());
    if (!word || !instead || rest.length) problems.push(`Linje ${i + 1} skal have formen "ord = i stedet", fx "foranstaltning = tiltag".`);
    else if (word.length > 60 || instead.length > 120) problems.push(`Linje ${i + 1} er for lang.`);
    else entries.push({ word, instead });
  });
  if (entries.length > MAX_ENTRIES) problems.push(`Listen må højst have ${MAX_ENTRIES} ord.`);
  if (problems.length) throw new ValidationError({ jargon: problems.slice(0, 5).join(' ') });
  return entries;
}

export const formatJargon = (entries: readonly JargonEntry[]): string => entries.map((e) => `${e.word} = ${e.instead}`).join('\n');

export async function saveJargon(db: Db, actor: Actor, text: string): Promise<void> {
  if (!canEditJargon(actor)) throw new ForbiddenError('Listen over ord at undgå vedligeholdes af platformsejeren og redaktørgruppernes tovholdere.');
  const entries = parseJargon(text);
  await db.transaction().execute(async (tx) => {
    await writeSetting(tx, KEY, JSON.stringify(entries));
    await audit(tx, { ...auditActor(actor), action: 'settings.jargon_updated', objectType: 'settings', objectId: KEY, details: { entries: entries.length } });
  });
}
