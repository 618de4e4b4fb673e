import { z } from 'zod';

export const UNIT_KINDS = ['municipality', 'administration', 'department', 'institution', 'council'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  municipality: 'Kommune',
  administration: 'Forvaltning',
  department: 'Afdeling',
  institution: 'Institution',
  council: 'Politisk udvalg/råd',
};

export const JOB_ROLES = ['employee', 'manager', 'politician'] as const;
export type JobRole = (typeof JOB_ROLES)[number];
export const JOB_ROLE_LABELS: Record<JobRole, string> = { employee: 'Medarbejder', manager: 'Leder', politician: 'Politiker' };

/** The Leadership Pipeline's levels, as used by Leder-GPS. */
export const LEADERSHIP_LEVELS = ['first_line', 'middle', 'function', 'top'] as const;
export type LeadershipLevel = (typeof LEADERSHIP_LEVELS)[number];
export const LEADERSHIP_LEVEL_LABELS: Record<LeadershipLevel, string> = {
  first_line: 'Leder af medarbejdere',
  middle: 'Leder af ledere',
  function: 'Leder af funktion',
  top: 'Topleder',
};

export const CHANNELS = ['website', 'intranet', 'social', 'app'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = { website: 'Hjemmeside', intranet: 'Intranet', social: 'Sociale medier', app: 'App' };

export const GROUP_KINDS = ['channel_editors', 'subsite_editors', 'ad_hoc'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export const GROUP_KIND_LABELS: Record<GroupKind, string> = {
  channel_editors: 'Redaktørgruppe for en kanal',
  subsite_editors: 'Redaktørgruppe for et subsite',
  ad_hoc: 'Ad hoc-gruppe',
};

export const MEMBER_ROLES = ['member', 'lead'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const MEMBER_ROLE_LABELS: Record<MemberRole, string> = { member: 'Medlem', lead: 'Tovholder' };

export const WEEKDAY_LABELS = ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'] as const;

export interface Unit {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  kind: UnitKind;
  email: string | null;
  phone: string | null;
  address: string | null;
  description: string | null;
  headId: string | null;
  isPlatformOwner: boolean;
  active: boolean;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  jobRole: JobRole;
  leadershipLevel: LeadershipLevel | null;
  title: string | null;
  phone: string | null;
  active: boolean;
  unitIds: string[];
}

export interface Group {
  id: string;
  name: string;
  kind: GroupKind;
  channel: Channel | null;
  subsiteUnitId: string | null;
  purpose: string | null;
  endsOn: string | null;
  active: boolean;
}

export interface Membership {
  groupId: string;
  personId: string;
  role: MemberRole;
}

export interface WeeklyHours {
  weekday: number;
  opens: string;
  closes: string;
}

export interface OpeningException {
  date: string;
  closed: boolean;
  opens: string | null;
  closes: string | null;
  note: string;
}

// ---- Input schemas: messages are Danish and name the field, since they are shown beside it. ----

const trimmed = (label: string, max = 200) =>
  z.string().trim().min(1, `Skriv ${label}.`).max(max, `${capitalise(label)} må højst være ${max} tegn.`);
const optional = (label: string, max = 500) =>
  z
    .string()
    .trim()
    .max(max, `${capitalise(label)} må højst være ${max} tegn.`)
    .transform((v) => (v === '' ? null : v));

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Skriv en e-mailadresse.')
  .pipe(z.email('Skriv en gyldig e-mailadresse, fx navn@kommune.dk.'));

const optionalEmail = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === '' || z.email().safeParse(v).success, 'Skriv en gyldig e-mailadresse, fx navn@kommune.dk.')
  .transform((v) => (v === '' ? null : v));

const optionalId = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v));

export const unitInput = z.object({
  name: trimmed('enhedens navn'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Skriv en kort adresse (slug), fx "biblioteket".')
    .max(80, 'Den korte adresse må højst være 80 tegn.')
    .regex(/^[a-z0-9æøå]+(-[a-z0-9æøå]+)*$/, 'Den korte adresse må kun indeholde små bogstaver, tal og bindestreger.'),
  kind: z.enum(UNIT_KINDS, 'Vælg en type.'),
  parentId: optionalId,
  email: optionalEmail,
  phone: optional('telefonnummeret', 40),
  address: optional('adressen', 300),
  description: optional('beskrivelsen', 2000),
  headId: optionalId,
});
export type UnitInput = z.infer<typeof unitInput>;

const time = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Skriv tiden som tt:mm, fx 08:00.');
export const weeklyHoursInput = z
  .object({ weekday: z.coerce.number().int().min(1).max(7), opens: time, closes: time })
  .refine((h) => h.opens < h.closes, { message: 'Lukketiden skal være efter åbningstiden.', path: ['closes'] });

export const openingExceptionInput = z
  .object({
    date: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Skriv datoen som åååå-mm-dd.'),
    closed: z.boolean(),
    opens: time.nullable(),
    closes: time.nullable(),
    note: z.string().trim().max(200, 'Bemærkningen må højst være 200 tegn.'),
  })
  .refine((e) => e.closed || (e.opens !== null && e.closes !== null), { message: 'Skriv åbnings- og lukketid, eller markér dagen som lukket.', path: ['opens'] });

export const personInput = z
  .object({
    name: trimmed('personens navn'),
    email: emailSchema,
    jobRole: z.enum(JOB_ROLES, 'Vælg en rolle.'),
    leadershipLevel: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v))
      .pipe(z.enum(LEADERSHIP_LEVELS, 'Vælg et ledelsesniveau.').nullable()),
    title: optional('stillingsbetegnelsen', 200),
    phone: optional('telefonnummeret', 40),
    unitIds: z.array(z.string().trim().min(1)).min(1, 'Vælg mindst én enhed.'),
  })
  .refine((p) => p.jobRole !== 'manager' || p.leadershipLevel !== null, { message: 'En leder skal have et ledelsesniveau.', path: ['leadershipLevel'] })
  .transform((p) => ({ ...p, leadershipLevel: p.jobRole === 'manager' ? p.leadershipLevel : null }));
export type PersonInput = z.infer<typeof personInput>;

export const groupInput = z
  .object({
    name: trimmed('gruppens navn'),
    kind: z.enum(GROUP_KINDS, 'Vælg en gruppetype.'),
    channel: z
      .string()
      .trim()
      .transform((v) => (v === '' ? null : v))
      .pipe(z.enum(CHANNELS, 'Vælg en kanal.').nullable()),
    subsiteUnitId: optionalId,
    purpose: optional('formålet', 2000),
    endsOn: z
      .string()
      .trim()
      .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Skriv slutdatoen som åååå-mm-dd.')
      .transform((v) => (v === '' ? null : v)),
  })
  .superRefine((g, ctx) => {
    if (g.kind === 'channel_editors' && !g.channel) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'Vælg den kanal gruppen redigerer.' });
    if (g.kind === 'subsite_editors' && !g.subsiteUnitId) ctx.addIssue({ code: 'custom', path: ['subsiteUnitId'], message: 'Vælg den institution hvis subsite gruppen redigerer.' });
    if (g.kind === 'ad_hoc' && !g.purpose) ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'Skriv ad hoc-gruppens formål.' });
    if (g.kind === 'ad_hoc' && !g.endsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'En ad hoc-gruppe skal have en slutdato.' });
  })
  .transform((g) => ({
    ...g,
    channel: g.kind === 'channel_editors' ? g.channel : null,
    subsiteUnitId: g.kind === 'subsite_editors' ? g.subsiteUnitId : null,
  }));
export type GroupInput = z.infer<typeof groupInput>;

/** Turns zod's issues into one Danish message per form field (the first one wins). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '_form');
    fields[key] ??= issue.message;
  }
  return fields;
}
