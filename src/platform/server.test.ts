import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_COLLEAGUES } from '../demo/colleagues-seed.ts';
import { DEMO_PEOPLE } from '../demo/seed.ts';
import { loadConfig } from './config.ts';
import { removeItem } from '../inbox/moderation.ts';
import { replyToItem } from '../inbox/service.ts';
import { findPersonRowByEmail } from '../org/store.ts';
import { actorFor } from '../signin/actors.ts';
import { newId } from './ids.ts';
import { startServer } from './server.ts';

describe('starting Mediehus on an empty data folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MEDIEHUS_DATA_DIR: dir, LOG_LEVEL: 'silent', MEDIEHUS_RUN_JOBS: 'false' });

  it('creates the database, seeds the demo municipality and serves the front page', async () => {
    const running = await startServer(config);
    try {
      expect(fs.existsSync(path.join(dir, 'mediehus.sqlite'))).toBe(true);
      const res = await fetch(running.url.replace('localhost', '127.0.0.1') + '/');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Velkommen til Tønder Kommune');
    } finally {
      await running.stop();
    }
  });

  it('a second start reuses the data and seeds nothing twice', async () => {
    const running = await startServer(config);
    try {
      const people = await running.db.selectFrom('people').select('id').execute();
      const units = await running.db.selectFrom('units').select('id').execute();
      expect(people).toHaveLength(DEMO_PEOPLE.length + DEMO_COLLEAGUES.length);
      expect(units).toHaveLength(12);
    } finally {
      await running.stop();
    }
  });

  it('after a restart the demo comments are on the demo networks again: an editor answers one and hides another', async () => {
    // A post sent on the demo Facebook page since the last start shifts the ids the restarted demo network hands out.
    const before = await startServer(config);
    try {
      const page = await before.db.selectFrom('social_accounts').select(['id']).where('network', '=', 'facebook').where('api_base', 'like', 'demo:%').orderBy('name').executeTakeFirstOrThrow();
      const template = await before.db.selectFrom('social_posts').selectAll().where('state', '=', 'sent').executeTakeFirstOrThrow();
      await before.db
        .insertInto('social_posts')
        .values({ ...template, id: newId(), batch_id: newId(), account_id: page.id, text: 'Et opslag sendt siden sidste start.', external_id: 'sendt-siden', sent_at: '2026-01-01T08:00:00.000Z' })
        .execute();
    } finally {
      await before.stop();
    }
    const running = await startServer(config);
    try {
      const db = running.db;
      const sofie = await actorFor(db, (await findPersonRowByEmail(db, 'some@demo.mediehus.dk'))!, null);
      const onFacebook = (author: string) =>
        db
          .selectFrom('inbox_items as i')
          .innerJoin('social_accounts as a', 'a.id', 'i.account_id')
          .select('i.id')
          .where('a.network', '=', 'facebook')
          .where('i.author_name', '=', author)
          .where('i.hidden', '=', 0)
          .executeTakeFirstOrThrow();
      const question = await onFacebook('Karin Lund');
      await replyToItem(running.app.ctx.social, sofie, question.id, { text: 'Borgerservice har åbent torsdag kl. 10–17.' });
      expect((await db.selectFrom('inbox_items').select('answered_at').where('id', '=', question.id).executeTakeFirstOrThrow()).answered_at).not.toBeNull();
      const rude = await onFacebook('Lone Kristensen');
      const removed = await removeItem(running.app.ctx.social, sofie, rude.id, { action: 'hide', guideline: 'kraenkende', reason: 'Prøvet i demoen.' });
      expect(removed).toMatchObject({ carriedOut: true, message: null });
    } finally {
      await running.stop();
    }
  });
});
