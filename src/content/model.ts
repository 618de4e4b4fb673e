import { z } from 'zod';
import { JOB_ROLES, LEADERSHIP_LEVELS } from '../org/model.ts';
import { APP_SECTIONS, type Content, type ItemType, type Placement, WEBSITE_SECTIONS } from './types.ts';

// Messages are Danish and name the field: they are shown beside it.

const localDateTime = (label: string) => z.string().trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, `Skriv ${label} som dato og klokkeslæt.`);
const localDate = (label: string) => z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, `Skriv ${label} som åååå-mm-dd.`);
const webUrl = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `Skriv ${label}.`)
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), `${label[0]!.toUpperCase()}${label.slice(1)} skal være en webadresse, der begynder med https://.`);

/** Optional on pages: an article from borger.dk shown after the page's own text (src/borgerdk). A stored page without them has none. */
const borgerdkArticleId = z
  .preprocess((v) => (v === null || v === undefined ? '' : String(v).trim()), z.string().regex(/^(\d{1,10})?$/, 'Vælg artiklen fra borger.dk på listen.'))
  .transform((v) => (v === '' ? null : Number(v)))
  .optional();

export const TYPE_FIELDS: Record<ItemType, z.ZodType<Record<string, unknown>>> = {
  page: z.object({
    borgerdkArticleId,
    borgerdkMicroArticles: z.array(z.string().trim().regex(/^[\w-]{1,60}$/, 'Vælg mikroartiklerne på listen.')).max(100, 'Højst 100 mikroartikler.').optional(),
    textAfter: z.string().max(100_000, 'Teksten efter artiklen må højst være 100.000 tegn.').optional(),
  }),
  news: z.object({}),
  knowledge: z.object({}),
  event: z
    .object({
      startsAt: localDateTime('starttidspunktet'),
      endsAt: localDateTime('sluttidspunktet'),
      place: z.string().trim().min(1, 'Skriv hvor arrangementet foregår.').max(200, 'Stedet må højst være 200 tegn.'),
    })
    .refine((e) => e.endsAt >= e.startsAt, { message: 'Arrangementet skal slutte efter det begynder.', path: ['endsAt'] }),
  selfservice: z.object({
    targetUrl: webUrl('adressen på selvbetjeningen'),
    keywords: z.array(z.string().trim().min(1).max(50, 'Et søgeord må højst være 50 tegn.')).max(30, 'Højst 30 søgeord.'),
  }),
  campaign: z
    .object({
      startsOn: localDate('startdatoen'),
      endsOn: localDate('slutdatoen'),
      callToActionText: z.string().trim().max(60, 'Teksten på knappen må højst være 60 tegn.'),
      callToActionUrl: z.string().trim(),
    })
    .refine((c) => c.endsOn >= c.startsOn, { message: 'Kampagnen skal slutte samme dag eller efter den begynder.', path: ['endsOn'] })
    .refine((c) => (c.callToActionText === '') === (c.callToActionUrl === ''), { message: 'Skriv både knappens tekst og dens adresse, eller ingen af dem.', path: ['callToActionUrl'] })
    .refine((c) => c.callToActionUrl === '' || /^(https?:\/\/|\/)[^\s]*$/.test(c.callToActionUrl), { message: 'Knappens adresse skal begynde med https:// eller /.', path: ['callToActionUrl'] }),
  leader_module: z.object({
    leadershipLevel: z.enum(LEADERSHIP_LEVELS, 'Vælg det ledelsesniveau, modulet er til.'),
    steps: z.array(z.string().trim().min(1).max(500)).min(1, 'Skriv mindst ét trin (ét pr. linje).').max(30, 'Højst 30 trin.'),
    checklist: z.array(z.string().trim().min(1).max(300)).max(50, 'Højst 50 punkter på tjeklisten.'),
  }),
  alert: z.object({
    severity: z.enum(['info', 'warning', 'danger'], 'Vælg hvor alvorligt varslet er.'),
    area: z.string().trim().max(200, 'Området må højst være 200 tegn.'),
  }),
};

const placementSchema: z.ZodType<Placement> = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('website'), section: z.enum(Object.keys(WEBSITE_SECTIONS) as [keyof typeof WEBSITE_SECTIONS], 'Vælg et afsnit på hjemmesiden.') }),
  z.object({ channel: z.literal('subsite'), unitId: z.string().min(1) }),
  z.object({
    channel: z.literal('intranet'),
    everyone: z.boolean(),
    roles: z.array(z.enum(JOB_ROLES)),
    unitIds: z.array(z.string().min(1)),
    groupIds: z.array(z.string().min(1)),
    mustRead: z.boolean().optional(),
    remindAfterDays: z.number().int('Skriv et helt antal dage.').min(1, 'Påmindelsen kan tidligst gå ud efter 1 dag.').max(90, 'Påmindelsen skal gå ud inden for 90 dage.').nullable().optional(),
  }),
  z.object({ channel: z.literal('app'), section: z.enum(Object.keys(APP_SECTIONS) as [keyof typeof APP_SECTIONS], 'Vælg et afsnit i appen.') }),
  z.object({ channel: z.literal('social'), accountId: z.string().min(1), text: z.string().max(5000) }),
]);

export const contentInput = z
  .object({
    title: z.string().trim().min(1, 'Skriv en titel.').max(200, 'Titlen må højst være 200 tegn.'),
    summary: z.string().trim().max(400, 'Resuméet må højst være 400 tegn.'),
    body: z.string().max(100_000, 'Brødteksten må højst være 100.000 tegn.'),
    ownerUnitId: z.string().trim().min(1, 'Vælg den enhed, der ejer indholdet.'),
    contact: z.string().trim().max(300, 'Kontakten må højst være 300 tegn.'),
    topics: z.array(z.string().trim().min(1).max(50, 'Et emne må højst være 50 tegn.')).max(20, 'Højst 20 emner.'),
    language: z.enum(['da', 'en'], 'Vælg sprog.'),
    // A stored revision has null where a form has an empty field; both mean "no date".
    reviewBy: z
      .preprocess((v) => v ?? '', z.string().trim())
      .refine((v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v), 'Skriv datoen som åååå-mm-dd.')
      .transform((v) => (v === '' ? null : v)),
    images: z.array(z.object({ mediaId: z.string().min(1), alt: z.string().trim().max(300, 'En alternativ tekst må højst være 300 tegn.') })).max(20),
    placements: z.array(placementSchema),
    fields: z.record(z.string(), z.unknown()),
  })
  .superRefine((c, ctx) => {
    const intranet = c.placements.find((p) => p.channel === 'intranet');
    if (intranet && !intranet.everyone && !intranet.roles.length && !intranet.unitIds.length && !intranet.groupIds.length) {
      ctx.addIssue({ code: 'custom', path: ['placements'], message: 'Vælg hvem på intranettet der skal se indholdet: alle, roller, enheder eller grupper.' });
    }
  });

export type ContentInput = z.infer<typeof contentInput>;

/** What must hold before anything is published, beyond what a draft needs. */
export function publishProblems(type: ItemType, content: Content): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!content.summary.trim()) problems.summary = 'Skriv et resumé, før indholdet udgives.';
  if (content.placements.length === 0) problems.placements = 'Vælg mindst én kanal, før indholdet udgives.';
  if ((type === 'page' || type === 'news' || type === 'knowledge') && !content.body.trim()) problems.body = 'Skriv brødteksten, før indholdet udgives.';
  if (content.images.some((i) => !i.alt.trim())) problems.images = 'Alle billeder skal have en alternativ tekst, før indholdet udgives.';
  return problems;
}

/** A URL slug from a title: lower case, Danish letters spelled out, words joined by hyphens. */
export function slugify(title: string): string {
  const spelled = title.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa');
  const slug = spelled.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  return slug || 'indhold';
}

/** The channel keys an item's placements touch, as stored for filtering and checked for rights. */
export function channelKeys(placements: Placement[]): string[] {
  const keys = placements.map((p) => (p.channel === 'subsite' ? `subsite:${p.unitId}` : p.channel));
  return [...new Set(keys)].sort();
}
