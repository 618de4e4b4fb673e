import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorByEmail, newsInput, unitId } from '../../test/support/content.ts';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/support/databases.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Actor } from '../org/actor.ts';
import type { AppError } from '../platform/errors.ts';
import { dateToLocalInput } from '../platform/time.ts';
import { createItem, saveItem, transition, type TransitionArgs } from './service.ts';
import { TRANSITIONS, type TransitionName } from './workflow.ts';

// Every transition from every state, by the author, by another editor of the channel and by an editor of another channel.
// The expectations are written out by hand from the table in CONTEXT.md.

type Situation = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'published' | 'emergency' | 'pending_draft' | 'archived';
type Who = 'author' | 'colleague' | 'outsider' | 'system';
type Outcome = 'ok' | 403 | 409;

const SITUATIONS: Situation[] = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'emergency', 'pending_draft', 'archived'];
const LIVE: Situation[] = ['published', 'emergency', 'pending_draft'];

function expected(name: TransitionName, s: Situation, who: Who): Outcome {
  const inState = (states: Situation[]) => states.includes(s);
  const rights = (outcome: Outcome = 'ok'): Outcome => (who === 'outsider' || who === 'system' ? 403 : outcome);
  switch (name) {
    case 'submit':
      return inState(['draft', 'pending_draft']) ? rights() : 409;
    case 'approve':
    case 'send_back':
      return inState(['in_review']) ? (who === 'colleague' ? 'ok' : 403) : 409;
    case 'publish':
    case 'schedule':
      return inState(['approved']) ? rights() : 409;
    case 'unschedule':
      return inState(['scheduled']) ? rights() : 409;
    case 'emergency_publish':
      return inState(['draft', 'in_review', 'approved', 'pending_draft']) ? rights() : 409;
    case 'mark_reviewed':
      if (!inState(LIVE)) return 409;
      if (who === 'outsider' || who === 'system') return 403;
      if (s !== 'emergency') return 409;
      return who === 'author' ? 403 : 'ok';
    case 'unpublish':
    case 'schedule_unpublish':
      return inState(LIVE) ? rights() : 409;
    case 'publish_scheduled':
      return inState(['scheduled']) ? (who === 'system' ? 'ok' : 403) : 409;
    case 'unpublish_scheduled':
      return inState(LIVE) ? (who === 'system' ? 'ok' : 403) : 409;
  }
}

const inAWeek = () => dateToLocalInput(new Date(Date.now() + 7 * 24 * 3600 * 1000));
const ARGS: Partial<Record<TransitionName, TransitionArgs>> = {
  send_back: { comment: 'Ret overskriften.' },
  schedule: { at: inAWeek() },
  emergency_publish: { reason: 'Vejen er spærret.' },
  unpublish: { reason: 'error' },
  schedule_unpublish: { at: inAWeek(), reason: 'error' },
};

describe.each(dialects)('every transition from every state (%s)', (dialect) => {
  let t: TestDatabase;
  let people: Record<Exclude<Who, 'system'>, Actor>;
  let kom: string;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    await seedDemo(t.db);
    people = { author: await actorByEmail(t.db, 'web@demo.mediehus.dk'), colleague: await actorByEmail(t.db, 'intra@demo.mediehus.dk'), outsider: await actorByEmail(t.db, 'some@demo.mediehus.dk') };
    kom = await unitId(t.db, 'kommunikation');
  });
  afterAll(async () => t.destroy());

  /** An item written by the author and brought to the situation by the steps people take. */
  async function itemIn(s: Situation): Promise<string> {
    const { author, colleague } = people;
    const { id } = await createItem(t.db, author, 'news', newsInput(kom));
    const step = (who: Actor, name: TransitionName, args: TransitionArgs = {}) => transition(t.db, who, id, name, args);
    if (s === 'draft') return id;
    if (s === 'emergency') return (await step(author, 'emergency_publish', { reason: 'Hastesag' }), id);
    await step(author, 'submit');
    if (s === 'in_review') return id;
    await step(colleague, 'approve');
    if (s === 'approved') return id;
    if (s === 'scheduled') return (await step(colleague, 'schedule', { at: inAWeek() }), id);
    await step(colleague, 'publish');
    if (s === 'published') return id;
    if (s === 'archived') return (await step(colleague, 'unpublish', { reason: 'error' }), id);
    await saveItem(t.db, author, id, newsInput(kom, { title: 'Ny udgave' }), { baseRevision: 1, changeNote: 'Ny udgave', major: true });
    return id;
  }

  const names = Object.keys(TRANSITIONS) as TransitionName[];
  it.each(names)('%s is allowed or refused exactly as the table says', async (name) => {
    const wrong: string[] = [];
    for (const s of SITUATIONS) {
      for (const who of ['author', 'colleague', 'outsider', 'system'] as Who[]) {
        const id = await itemIn(s);
        const actor = who === 'system' ? null : people[who];
        const outcome: Outcome = await transition(t.db, actor, id, name, ARGS[name] ?? {}).then(
          () => 'ok' as const,
          (e: AppError) => e.status as Outcome,
        );
        const want = expected(name, s, who);
        if (outcome !== want) wrong.push(`${name} from ${s} by ${who}: got ${outcome}, expected ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
