import type { FastifyInstance } from 'fastify';
import { LEADERSHIP_LEVEL_LABELS, type LeadershipLevel } from '../org/model.ts';
import { queryOf, queryString, text } from '../platform/forms.ts';
import { COMPETENCE_TOPIC, hasTopic, leaderModulesByLevel, matchesText, topicsOf, visibleKnowledge } from './queries.ts';

const listed = (item: Awaited<ReturnType<typeof visibleKnowledge>>[number]) => ({
  href: item.href,
  title: item.content.title,
  summary: item.content.summary,
  topics: item.content.topics,
  language: item.content.language,
  publishedAt: item.firstPublishedAt,
});

/** Knowledge articles at /viden and competence development at /kompetence (I5), each for what the reader may see. */
export async function knowledgeRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  app.get('/viden', async (request, reply) => {
    const q = queryOf(request);
    const filter = { q: text(q, 'q').trim().slice(0, 200), emne: text(q, 'emne').trim().slice(0, 100) };
    const all = await visibleKnowledge(db, request.viewer!);
    const shown = all.filter((i) => (!filter.emne || hasTopic(i, filter.emne)) && (!filter.q || matchesText(i, filter.q)));
    return reply.view('knowledge/views/list.njk', {
      title: 'Viden',
      filter,
      filtered: !!(filter.q || filter.emne),
      articles: shown.map(listed),
      topics: topicsOf(all).map((t) => ({
        ...t,
        href: `/intranet/viden${queryString({ emne: t.topic, q: filter.q })}`,
        current: t.topic.toLocaleLowerCase('da') === filter.emne.toLocaleLowerCase('da'),
      })),
      allTopicsHref: `/intranet/viden${queryString({ q: filter.q })}`,
    });
  });

  app.get('/kompetence', async (request, reply) => {
    const viewer = request.viewer!;
    const isManager = viewer.jobRole === 'manager';
    const [articles, person] = await Promise.all([
      visibleKnowledge(db, viewer).then((all) => all.filter((i) => hasTopic(i, COMPETENCE_TOPIC))),
      isManager ? db.selectFrom('people').select('leadership_level').where('id', '=', viewer.personId).executeTakeFirst() : undefined,
    ]);
    const ownLevel = (person?.leadership_level ?? null) as LeadershipLevel | null;
    // Leder-GPS is for managers, whatever audience a module was given.
    const levels = isManager ? await leaderModulesByLevel(db, viewer, ownLevel) : [];
    return reply.view('knowledge/views/competence.njk', {
      title: 'Kompetenceudvikling',
      articles: articles.map(listed),
      isManager,
      levels: levels.map((g) => ({ ...g, label: LEADERSHIP_LEVEL_LABELS[g.level], modules: g.modules.map(listed) })),
      ownLevelLabel: ownLevel ? LEADERSHIP_LEVEL_LABELS[ownLevel] : null,
    });
  });
}
