import { z } from 'zod';
import { JOB_ROLES, type JobRole } from '../org/model.ts';

/** The topics editors choose from; an editor may also write a topic of their own. */
export const TOOL_TOPICS = [
  'Mail og kalender',
  'Løn, fravær og rejser',
  'Sager og dokumenter',
  'IT og support',
  'Ledelse og HR',
  'Børn og skole',
  'Dagpleje',
  'Bibliotek og kultur',
  'Hverdagen på arbejdspladsen',
] as const;

/** The select's value for "a topic of my own", written in the field beside it. */
export const OTHER_TOPIC = 'andet';

/** Who a tool is for, as the editor chose it: everyone, or some job roles and units (reaching their sub-units). */
export interface ToolAudience {
  everyone: boolean;
  roles: JobRole[];
  unitIds: string[];
}

export interface Tool {
  id: string;
  name: string;
  url: string;
  description: string;
  topic: string;
  audience: ToolAudience;
  active: boolean;
  updatedAt: string;
}

/** How a tool's name sorts in the audience index, so a reader's tools come out alphabetically. */
export const nameSortKey = (name: string): string => name.trim().toLocaleLowerCase('da');

/** Danish order, with æ, ø and å after z. */
export const byDanishName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name, 'da');

// ---- input: messages are Danish and name the field, since they are shown beside it ----

const httpsUrl = z
  .string()
  .trim()
  .min(1, 'Skriv adressen på værktøjet, fx https://outlook.office.com.')
  .max(500, 'Adressen må højst være 500 tegn.')
  .superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Skriv en hel adresse, der begynder med https://, fx https://outlook.office.com.' });
      return;
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'Adressen skal begynde med https://, så forbindelsen er sikker.' });
    else if (!url.hostname.includes('.') || url.username || url.password) ctx.addIssue({ code: 'custom', message: 'Skriv en hel adresse, der begynder med https://, fx https://outlook.office.com.' });
  });

const flag = z.string().transform((v) => v !== '' && v !== '0');

/** The tool form as it is posted: a topic from the list or of one's own, and the audience as checkboxes. */
export const toolInput = z
  .object({
    name: z.string().trim().min(1, 'Skriv værktøjets navn.').max(120, 'Navnet må højst være 120 tegn.'),
    url: httpsUrl,
    description: z.string().trim().max(300, 'Beskrivelsen må højst være 300 tegn.'),
    topic: z.string().trim().min(1, 'Vælg et emne.'),
    otherTopic: z.string().trim().max(60, 'Emnet må højst være 60 tegn.'),
    everyone: flag,
    roles: z.array(z.enum(JOB_ROLES, 'Vælg en rolle fra listen.')),
    unitIds: z.array(z.string().trim().min(1)),
  })
  .superRefine((t, ctx) => {
    if (t.topic === OTHER_TOPIC && !t.otherTopic) ctx.addIssue({ code: 'custom', path: ['otherTopic'], message: 'Skriv emnet, når du har valgt "Andet emne".' });
    if (t.topic !== OTHER_TOPIC && !(TOOL_TOPICS as readonly string[]).includes(t.topic)) ctx.addIssue({ code: 'custom', path: ['topic'], message: 'Vælg et emne fra listen.' });
    if (!t.everyone && !t.roles.length && !t.unitIds.length) {
      ctx.addIssue({ code: 'custom', path: ['everyone'], message: 'Vælg hvem værktøjet er til: alle, en eller flere roller eller en eller flere enheder.' });
    }
  })
  .transform((t) => ({
    name: t.name,
    url: t.url,
    description: t.description,
    topic: t.topic === OTHER_TOPIC ? t.otherTopic : t.topic,
    // "Everyone" reaches every reader, so roles and units beside it would say nothing more.
    audience: { everyone: t.everyone, roles: t.everyone ? [] : [...new Set(t.roles)], unitIds: t.everyone ? [] : [...new Set(t.unitIds)] } satisfies ToolAudience,
  }));
export type ToolInput = z.infer<typeof toolInput>;
