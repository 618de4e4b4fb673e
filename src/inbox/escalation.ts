import { maskCpr } from '../moderation/cpr.ts';
import type { Actor } from '../org/actor.ts';
import { auditActor } from '../org/actor.ts';
import { audit } from '../platform/audit/service.ts';
import type { DbOrTx } from '../platform/database.ts';
import { ValidationError } from '../platform/errors.ts';
import { nowIso } from '../platform/ids.ts';
import type { Mailer, Recipient } from '../platform/mail.ts';
import { showDateTime } from '../platform/time.ts';
import type { SocialContext } from '../social/context.ts';
import { NETWORK_LABELS } from '../social/providers/types.ts';
import { itemFor } from './service.ts';
import type { InboxItemRow } from './tables.ts';

// Sending an item on: to a unit of the organisation that handles cases (the editor does no casework on social media),
// or to the council's members when it is a question for the politicians. The recipients get an e-mail with the
// comment (CPR numbers masked), its link on the network and the editor's note; the item remembers where it went.
// The mail is sent first: when it cannot be, nothing is recorded and the editor is told.

type Ctx = Pick<SocialContext, 'db'>;

export interface EscalationContext extends Ctx {
  mailer: Mailer;
}

/** escalated_to for the council's members; a unit is `unit:<id>`. */
export const POLITICIANS = 'politicians';
export const POLITICIANS_LABEL = 'Byrådets medlemmer (politikerkontakt)';

/** The unit kinds that do casework: administrations, departments and institutions (not the council, not the whole municipality). */
const CASEWORK_KINDS = ['administration', 'department', 'institution'];

export const MAX_NOTE_LENGTH = 2000;

export interface EscalationTarget {
  value: string;
  text: string;
  email: string | null;
}

async function politicians(db: DbOrTx): Promise<{ name: string; email: string }[]> {
  return db.selectFrom('people').select(['name', 'email']).where('job_role', '=', 'politician').where('active', '=', 1).orderBy('name').execute();
}

/** The units that handle cases, then the council's members; a unit without an e-mail address says so. */
export async function escalationTargets(ctx: Ctx): Promise<EscalationTarget[]> {
  const units = await ctx.db.selectFrom('units').select(['id', 'name', 'email']).where('active', '=', 1).where('kind', 'in', CASEWORK_KINDS).orderBy('name').execute();
  const council = await politicians(ctx.db);
  return [
    ...units.map((u) => ({ value: `unit:${u.id}`, text: u.email ? u.name : `${u.name} (ingen e-mailadresse)`, email: u.email })),
    { value: POLITICIANS, text: `${POLITICIANS_LABEL}, ${council.length} ${council.length === 1 ? 'person' : 'personer'}`, email: null },
  ];
}

/** Where an item was sent, in words; null when it was not sent on. */
export async function escalationOf(ctx: Ctx, item: Pick<InboxItemRow, 'escalated_to' | 'escalated_at'>): Promise<{ to: string; at: string } | null> {
  if (!item.escalated_to || !item.escalated_at) return null;
  if (item.escalated_to === POLITICIANS) return { to: POLITICIANS_LABEL, at: item.escalated_at };
  const unitId = item.escalated_to.startsWith('unit:') ? item.escalated_to.slice('unit:'.length) : item.escalated_to;
  const unit = await ctx.db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst();
  return { to: unit?.name ?? 'en enhed, der ikke findes længere', at: item.escalated_at };
}

export interface EscalationInput {
  to: string;
  note: string;
}

async function recipientsOf(ctx: Ctx, to: string): Promise<{ name: string; recipients: Recipient[] }> {
  if (to === POLITICIANS) {
    const people = await politicians(ctx.db);
    if (!people.length) throw new ValidationError({ to: 'Der er ingen aktive politikere i organisationen at sende henvendelsen til. Vælg en enhed.' });
    return { name: POLITICIANS_LABEL, recipients: people.map((p) => ({ name: p.name, address: p.email })) };
  }
  const unitId = to.startsWith('unit:') ? to.slice('unit:'.length) : '';
  const unit = unitId
    ? await ctx.db.selectFrom('units').select(['id', 'name', 'email', 'kind']).where('id', '=', unitId).where('active', '=', 1).executeTakeFirst()
    : undefined;
  if (!unit || !CASEWORK_KINDS.includes(unit.kind)) throw new ValidationError({ to: 'Vælg en enhed eller byrådets medlemmer på listen' });
  if (!unit.email) {
    throw new ValidationError({ to: `${unit.name} har ingen e-mailadresse i organisationen, så henvendelsen kan ikke sendes dertil. Vælg en anden enhed, eller bed platformsejeren om at tilføje enhedens e-mailadresse.` });
  }
  return { name: unit.name, recipients: [{ name: unit.name, address: unit.email }] };
}

export function escalationMail(input: { item: InboxItemRow; accountName: string; network: string; toName: string; note: string; from: Actor }) {
  const { item, accountName, network, toName, note, from } = input;
  const author = item.author_handle ? `${item.author_name} (${item.author_handle})` : item.author_name;
  const lines = [
    `${from.name} fra redaktionen for ${accountName} har sendt en henvendelse fra kommunens sociale medier videre til ${toName}.`,
    '',
    'Note fra redaktøren:',
    maskCpr(note),
    '',
    `Henvendelsen, skrevet af ${author} ${showDateTime(item.written_at)} på ${accountName} (${network}):`,
    '',
    maskCpr(item.text),
    '',
    item.url ? `Se henvendelsen på ${network}: ${item.url}` : `Henvendelsen har intet link på ${network}.`,
    '',
    'CPR-numre er skjult i denne e-mail. Svar ikke borgeren med personlige oplysninger på de sociale medier; kontakt borgeren via de sikre kanaler (Digital Post eller telefon).',
    from.email ? `Spørgsmål til redaktionen: ${from.email}` : '',
  ];
  return { subject: `Henvendelse fra sociale medier sendt videre: ${item.author_name} på ${accountName}`, text: lines.join('\n').trimEnd() + '\n' };
}

/** Sends the item to a casework unit or the council's members by e-mail and records where it went. */
export async function escalateItem(ctx: EscalationContext, actor: Actor, id: string, raw: EscalationInput): Promise<{ toName: string }> {
  const { item, account } = await itemFor(ctx, actor, id);
  const to = raw.to.trim();
  const note = raw.note.trim();
  const errors: Record<string, string> = {};
  if (!to) errors.to = 'Vælg, hvem henvendelsen skal sendes videre til';
  if (!note) errors.note = 'Skriv en note til modtageren om, hvad de skal gøre';
  else if (note.length > MAX_NOTE_LENGTH) errors.note = `Noten må højst være ${MAX_NOTE_LENGTH} tegn`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const { name, recipients } = await recipientsOf(ctx, to);
  const network = NETWORK_LABELS[account.network];
  try {
    await ctx.mailer.send({ to: recipients, ...escalationMail({ item, accountName: account.name, network, toName: name, note, from: actor }) });
  } catch {
    throw new ValidationError({ _form: 'E-mailen kunne ikke sendes, så henvendelsen er ikke sendt videre. Prøv igen om lidt.' });
  }
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('inbox_items').set({ escalated_to: to, escalated_at: nowIso() }).where('id', '=', id).execute();
    await audit(tx, { ...auditActor(actor), action: 'inbox.escalated', objectType: 'inbox_item', objectId: id, details: { to, toName: name, recipients: recipients.length, previous: item.escalated_to } });
  });
  return { toName: name };
}
