import type { FastifyInstance } from 'fastify';
import { paramsOf, queryOf, text } from '../platform/forms.ts';
import { MUNICIPALITY_NAME } from '../platform/view-rendering.ts';
import { PUBLIC_CACHE } from './news-routes.ts';
import { linkedSelfService, recordSelfServiceUse, startTargetBySlug, type LinkedSelfService } from './selfservice-uses.ts';

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

function groupByLetter(entries: LinkedSelfService[]) {
  const groups = new Map<string, LinkedSelfService[]>();
  for (const e of entries) {
    const letter = letterOf(e.title);
    groups.set(letter, [...(groups.get(letter) ?? []), e]);
  }
  const order = (l: string) => (l === '#' ? DANISH_LETTERS.length : DANISH_LETTERS.indexOf(l));
  return [...groups.entries()].sort(([a], [b]) => order(a) - order(b)).map(([letter, items]) => ({ letter, anchor: anchorOf(letter), items }));
}

/** Crawlers and link previews follow links too; their visits are not readers starting a solution. */
const NOT_A_READER = /bot|crawl|spider|slurp|preview|fetch|monitor/i;

/** The self-service catalogue at /selvbetjening: live entries A–Z, each linking to its solution through a counted start. */
export async function selfServiceRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/selvbetjening', async (request, reply) => {
    const topic = text(queryOf(request), 'emne').trim();
    const all = await linkedSelfService(db);
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

  // The start of a solution: counted (one more today, nothing about the reader), then on to the solution itself.
  // A GET that sets no cookie and renders no form, so it needs no CSRF token; shared caches must not answer it.
  app.get('/selvbetjening/:slug/start', async (request, reply) => {
    const target = await startTargetBySlug(db, paramsOf(request).slug ?? '');
    if (!target) return reply.callNotFound();
    if (request.method === 'GET' && !NOT_A_READER.test(request.headers['user-agent'] ?? '')) await recordSelfServiceUse(db, target.itemId);
    reply.header('cache-control', 'no-store');
    return reply.redirect(target.targetUrl, 303);
  });
}
