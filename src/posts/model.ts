import { z } from 'zod';
import type { Audience } from '../intranet/audience.ts';
import { showDateTime } from '../platform/time.ts';
import { withoutControlCharacters } from '../search/text.ts';

export const POST_MAX = 5000;
export const COMMENT_MAX = 2000;
export const REASON_MAX = 500;

/** The few ways to react to a post; one per person and post. */
export const REACTION_KINDS = ['like', 'thanks', 'celebrate', 'idea'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
export const REACTION_LABELS: Record<ReactionKind, string> = {
  like: 'Synes godt om',
  thanks: 'Tak',
  celebrate: 'Fejrer',
  idea: 'Godt tænkt',
};

/** Who a post is for, as the author chose it. Posts never target job roles: that is for editors' content. */
export type PostAudience = Pick<Audience, 'everyone' | 'unitIds' | 'groupIds'>;

export const toAudience = (a: PostAudience): Audience => ({ everyone: a.everyone, roles: [], unitIds: [...new Set(a.unitIds)], groupIds: [...new Set(a.groupIds)] });

export function parseAudience(json: string): PostAudience {
  const raw = JSON.parse(json) as Partial<PostAudience>;
  return { everyone: raw.everyone === true, unitIds: raw.unitIds ?? [], groupIds: raw.groupIds ?? [] };
}

export interface Removal {
  at: string;
  byName: string;
  reason: string;
}

// ---- Input schemas: messages are Danish and name the field, since they are shown beside it. ----

const tooLong = (what: string, max: number) => (issue: { input?: unknown }) =>
  `${what} må højst være ${max} tegn. Du har skrevet ${typeof issue.input === 'string' ? issue.input.length : 'for mange'}.`;

/** The shape of the ids this part makes and reads (UUIDs); anything else is no id and is not looked up. */
export const ID = /^[0-9A-Za-z-]{1,64}$/;

/** Text as typed, with Windows line ends made plain and control characters (PostgreSQL refuses NUL) made spaces. */
export const cleanText = (v: string): string => withoutControlCharacters(v.replace(/\r\n?/g, '\n'));
const typed = () => z.string().transform(cleanText).pipe(z.string().trim());

const ids = z.array(z.string().trim().regex(ID, 'Vælg på listen.')).max(200, 'Vælg højst 200.');

export const postInput = z.object({
  body: typed().pipe(z.string().min(1, 'Skriv dit opslag.').max(POST_MAX, { error: tooLong('Opslaget', POST_MAX) })),
  everyone: z.boolean(),
  unitIds: ids,
  groupIds: ids,
});
export type PostInput = z.infer<typeof postInput>;

export const commentInput = z.object({
  body: typed().pipe(z.string().min(1, 'Skriv din kommentar.').max(COMMENT_MAX, { error: tooLong('Kommentaren', COMMENT_MAX) })),
});

export const removalInput = z.object({
  reason: typed().pipe(z.string().min(1, 'Skriv en begrundelse. Forfatteren får den at se.').max(REASON_MAX, { error: tooLong('Begrundelsen', REASON_MAX) })),
});

export const reactionInput = z.object({ kind: z.enum(REACTION_KINDS, 'Vælg en reaktion.') });

// ---- Mentions ----

export interface Nameable {
  id: string;
  name: string;
}

export interface MentionMatch {
  /** Where the "@" is. */
  start: number;
  /** Just after the name. */
  end: number;
  person: Nameable;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const fold = (s: string) => s.toLocaleLowerCase('da');

/**
 * Finds "@Fornavn Efternavn" in a text: the longest active person's name that follows the "@", in any case.
 * The "@" must not follow a letter (so an e-mail address is no mention) and the name must end at a word's end.
 * A name two active people share is ambiguous and mentions nobody.
 */
export function findMentions(text: string, people: readonly Nameable[]): MentionMatch[] {
  if (!text.includes('@')) return [];
  const counts = new Map<string, number>();
  for (const p of people) counts.set(fold(p.name.trim()), (counts.get(fold(p.name.trim())) ?? 0) + 1);
  const candidates = people.filter((p) => p.name.trim() && counts.get(fold(p.name.trim())) === 1).sort((a, b) => b.name.trim().length - a.name.trim().length);
  const found: MentionMatch[] = [];
  for (let i = text.indexOf('@'); i !== -1; i = text.indexOf('@', i + 1)) {
    if (i > 0 && WORD_CHAR.test(text[i - 1]!)) continue;
    for (const person of candidates) {
      const name = person.name.trim();
      const end = i + 1 + name.length;
      if (fold(text.slice(i + 1, end)) !== fold(name)) continue;
      if (end < text.length && WORD_CHAR.test(text[end]!)) continue;
      found.push({ start: i, end, person });
      i = end - 1;
      break;
    }
  }
  return found;
}

const escapeMarkdown = (s: string) => s.replace(/[\\`*_[\]()<>#!|~]/g, (c) => `\\${c}`);

/** The body with each mention of these people turned into a Markdown link to the person's page. */
export function linkMentions(body: string, mentioned: readonly Nameable[]): string {
  if (!mentioned.length) return body;
  let out = '';
  let at = 0;
  for (const m of findMentions(body, mentioned)) {
    out += body.slice(at, m.start) + `[@${escapeMarkdown(m.person.name.trim())}](/intranet/personer/${encodeURIComponent(m.person.id)})`;
    at = m.end;
  }
  return out + body.slice(at);
}

// ---- Time ----

/** "for 5 minutter siden" for the last week, a Danish date and time before that. */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = Math.floor((now.getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'lige nu';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `for ${minutes} ${minutes === 1 ? 'minut' : 'minutter'} siden`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `for ${hours} ${hours === 1 ? 'time' : 'timer'} siden`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `for ${days} ${days === 1 ? 'dag' : 'dage'} siden`;
  return showDateTime(iso);
}
