import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { dialects } from '../../test/support/databases.ts';
import { newId } from '../platform/ids.ts';
import { insertAccount } from '../social/store.ts';

// Facebook's webhook: only a delivery signed with the app secret over its exact bytes gets into the inbox; the
// subscription check echoes the challenge only for our verify token. No session and no CSRF token are involved.

const APP_SECRET = 'webhook-app-secret-0123456789';
const VERIFY_TOKEN = 'tonder-verify-token';
const PAGE_ID = '104857600000001';

const sign = (body: string | Buffer, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function delivery(commentId: string, message: string, pageId = PAGE_ID, verb = 'add') {
  return {
    object: 'page',
    entry: [
      {
        id: pageId,
        time: Math.floor(Date.now() / 1000),
        changes: [
          {
            field: 'feed',
            value: { item: 'comment', verb, comment_id: commentId, post_id: `${pageId}_900`, parent_id: `${pageId}_900`, message, created_time: Math.floor(Date.now() / 1000), from: { id: '777000111', name: 'Mette Jensen' } },
          },
        ],
      },
    ],
  };
}

describe.each(dialects)('the Facebook webhook (%s)', (dialect) => {
  let t: TestApp;
  let accountId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect, { MEDIEHUS_FACEBOOK_APP_ID: '1234567890', MEDIEHUS_FACEBOOK_APP_SECRET: APP_SECRET, MEDIEHUS_FACEBOOK_VERIFY_TOKEN: VERIFY_TOKEN });
    const unit = await t.db.selectFrom('units').select('id').where('slug', '=', 'kommunikation').executeTakeFirstOrThrow();
    const group = await t.db.selectFrom('groups').select('id').where('channel', '=', 'social').executeTakeFirstOrThrow();
    accountId = newId();
    await insertAccount(t.db, {
      id: accountId, network: 'facebook', handle: 'tonderkommune-webhook', name: 'Tønder Kommune (webhook)', unit_id: unit.id, editor_group_id: group.id,
      adviser_group_id: null, requires_approval: 0, api_base: 'https://graph.facebook.com/v23.0', external_id: PAGE_ID, status: 'connected',
    });
  });
  afterAll(async () => t?.close());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/webhooks/facebook', payload: body, headers: { 'content-type': 'application/json', ...headers } });
  const stored = (externalId: string) => t.db.selectFrom('inbox_items').selectAll().where('account_id', '=', accountId).where('external_id', '=', externalId).execute();

  it('a signed comment is stored in the page’s inbox, classified, and answered with 200 at once', async () => {
    const body = JSON.stringify(delivery(`${PAGE_ID}_900_1`, 'Hvornår bliver der saltet på Ribe Landevej?'));
    const res = await post(body, { 'x-hub-signature-256': sign(body) });
    expect(res.statusCode).toBe(200);
    const rows = await stored(`${PAGE_ID}_900_1`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'comment', author_name: 'Mette Jensen', text: 'Hvornår bliver der saltet på Ribe Landevej?', root_external_id: `${PAGE_ID}_900` });
    expect(JSON.parse(rows[0]!.categories)).toEqual(['question']);
  });

  it('the signature is checked over the bytes as sent, so spacing Facebook chose does not matter', async () => {
    const body = Buffer.from(JSON.stringify(delivery(`${PAGE_ID}_900_2`, 'Flot arbejde med cykelstien, tak!'), null, 2), 'utf8');
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).statusCode).toBe(200);
    expect(await stored(`${PAGE_ID}_900_2`)).toHaveLength(1);
  });

  it('the same delivery twice gives one row', async () => {
    const body = JSON.stringify(delivery(`${PAGE_ID}_900_3`, 'Tak for svaret.'));
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).statusCode).toBe(200);
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).statusCode).toBe(200);
    expect(await stored(`${PAGE_ID}_900_3`)).toHaveLength(1);
  });

  it('a wrong, missing or foreign signature is refused with a bare 403, and nothing is stored', async () => {
    const body = JSON.stringify(delivery(`${PAGE_ID}_900_4`, 'Køb billige solbriller nu!'));
    const attempts = [
      await post(body, { 'x-hub-signature-256': sign(body, 'a-different-secret') }),
      await post(body),
      await post(body, { 'x-hub-signature-256': sign(`${body} `) }),
      await post(body, { 'x-hub-signature-256': sign(body).replace('sha256=', 'sha1=') }),
      await post(body, { 'x-hub-signature-256': 'sha256=' }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toBe('');
    }
    expect(await stored(`${PAGE_ID}_900_4`)).toHaveLength(0);
  });

  it('a form post from a browser is refused, CSRF token or not', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/facebook', payload: 'object=page', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(403);
  });

  it('comments on pages we do not know, and removals, store nothing', async () => {
    const unknown = JSON.stringify(delivery('999_1', 'Hej', '999'));
    expect((await post(unknown, { 'x-hub-signature-256': sign(unknown) })).statusCode).toBe(200);
    const removal = JSON.stringify(delivery(`${PAGE_ID}_900_5`, '', PAGE_ID, 'remove'));
    expect((await post(removal, { 'x-hub-signature-256': sign(removal) })).statusCode).toBe(200);
    expect(await t.db.selectFrom('inbox_items').select('id').where('external_id', 'in', ['999_1', `${PAGE_ID}_900_5`]).execute()).toEqual([]);
  });

  it('a signed body that is not JSON is a 400 and stores nothing', async () => {
    const body = '{"object": "page", ';
    expect((await post(body, { 'x-hub-signature-256': sign(body) })).statusCode).toBe(400);
  });

  it('the subscription check echoes the challenge for our verify token and refuses any other', async () => {
    const ok = await t.app.inject({ method: 'GET', url: `/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.headers['cache-control']).toBe('no-store');
    const wrong = await t.app.inject({ method: 'GET', url: '/webhooks/facebook?hub.mode=subscribe&hub.verify_token=gaet&hub.challenge=1158201444' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toBe('');
    const noMode = await t.app.inject({ method: 'GET', url: `/webhooks/facebook?hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(noMode.statusCode).toBe(403);
  });
});

describe('the Facebook webhook without a Facebook app configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialects[0]!);
  });
  afterAll(async () => t?.close());

  it('refuses every delivery and every subscription check', async () => {
    const body = JSON.stringify(delivery('1_1', 'Hej'));
    expect((await t.app.inject({ method: 'POST', url: '/webhooks/facebook', payload: body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/webhooks/facebook?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1' })).statusCode).toBe(403);
  });
});
