import type { FastifyInstance } from 'fastify';
import { queryOf, text } from '../platform/forms.ts';
import { MUNICIPALITY_NAME } from '../platform/view-rendering.ts';
import { PUBLIC_CACHE } from './news-routes.ts';
import { liveSelfService, type SelfServiceEntry } from './selfservice-queries.ts';

/** Letters as Danish readers expect them; anything else (a digit, a quote) is filed under "#". */
const DANISH_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ';

/** Anchors must be plain ASCII to be safe in every URL; Æ, Ø and Å get their usual Danish spellings. */
const anchorOf = (letter: string): string => `bogstav-${({ Æ: 'ae', Ø: 'oe', Å: 'aa', '#': 'andet' } as Record<string, string>)[letter] ?? letter.toLowerCase()}`;

function letterOf(title: string): string {
  const first = title.trim().charAt(0).toLocaleUpperCase('da');
  if (first === 'Ä') return 'Æ';
  if (first === 'Ö') return 'Ø';
  return DANISH_LETTERS.includes(first) && first !== '' ? first : '#';
}

function groupByLetter(entries: SelfServiceEntry[]) {
  const groups = new Map<string, SelfServiceEntry[]>();
  for (const e of entries) {
    const letter = letterOf(e.title);
    groups.set(letter, [...(groups.get(letter) ?? []), e]);
  }
  const order = (l: string) => (l === '#' ? DANISH_LETTERS.length : DANISH_LETTERS.indexOf(l));
  return [...groups.entries()].sort(([a], [b]) => order(a) - order(b)).map(([letter, items]) => ({ letter, anchor: anchorOf(letter), items }));
}

/** The self-service catalogue at /selvbetjening: live entries A–Z, each linking straight to its solution. */
export async function selfServiceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/selvbetjening', async (request, reply) => {
    const topic = text(queryOf(request), 'emne').trim();
    const all = await liveSelfService(db);
    const topics = [...new Set(all.flatMap((e) => e.topics))]
      .sort((a, b) => a.localeCompare(b, 'da'))
      .map((t) => ({ text: t, href: `/selvbetjening?emne=${encodeURIComponent(t)}`, current: t === topic }));
    const shown = topic ? all.filter((e) => e.topics.includes(topic)) : all;
    if (!request.actor) reply.header('cache-control', PUBLIC_CACHE);
    return reply.view('site/views/selfservice.njk', {
      title: topic ? `Selvbetjening: ${topic}` : 'Selvbetjening',
      description: `Digitale selvbetjeninger hos ${MUNICIPALITY_NAME} fra A til Å`,
      topic,
      topics,
      groups: groupByLetter(shown),
    });
  });
}
