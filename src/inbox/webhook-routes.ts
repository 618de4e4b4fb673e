import type { FastifyInstance, FastifyReply } from 'fastify';
import { feedComments, signatureIsValid, subscriptionChallenge, type FeedChange } from '../social/providers/facebook-webhook.ts';
import { ingestItems } from './ingest.ts';
import { activeRules } from './rules-store.ts';

// Facebook calls these, not a person: there is no session to use and no CSRF token to send, so the signature over
// the raw body (X-Hub-Signature-256, the app secret) is what lets a delivery in. Anything else gets a bare 403.
// The JSON parser in this plugin keeps the body's bytes, since the signature is over them and not over a re-encoding.

const MAX_BODY_BYTES = 1024 * 1024;
/** Facebook batches changes, but a page's feed is not a firehose; this only stops a flood. */
const POST_RATE_LIMIT = { max: 600, timeWindow: '1 minute' };
const GET_RATE_LIMIT = { max: 30, timeWindow: '1 minute' };

function refuse(reply: FastifyReply): FastifyReply {
  return reply.code(403).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('');
}

/** Webhooks from the networks, under /webhooks: public, no session, each checked by its network's signature. */
export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

  // Facebook's check when the webhook is subscribed: echo the challenge if the verify token is ours.
  app.get('/facebook', { config: { rateLimit: GET_RATE_LIMIT, pageCache: false } }, async (request, reply) => {
    const verifyToken = app.ctx.config.social.facebook?.verifyToken;
    const challenge = verifyToken ? subscriptionChallenge(request.query as Record<string, unknown>, verifyToken) : null;
    if (challenge === null || challenge.length > 512) return refuse(reply);
    return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(challenge);
  });

  app.post('/facebook', { config: { csrf: false, rateLimit: POST_RATE_LIMIT } }, async (request, reply) => {
    const appSecret = app.ctx.config.social.facebook?.appSecret;
    const raw = request.body;
    const header = request.headers['x-hub-signature-256'];
    if (!appSecret || !Buffer.isBuffer(raw) || typeof header !== 'string' || !signatureIsValid(raw, header, appSecret)) return refuse(reply);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).header('cache-control', 'no-store').send('');
    }
    const added = await ingestChanges(app, feedComments(body));
    if (added) request.log.info({ added }, 'inbox items received by webhook');
    return reply.code(200).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
  });
}

/** New and edited comments go into the inbox of the page's account; pages we do not know are passed over. */
async function ingestChanges(app: FastifyInstance, changes: FeedChange[]): Promise<number> {
  const wanted = changes.filter((c) => c.verb === 'add' || c.verb === 'edited');
  if (!wanted.length) return 0;
  const db = app.ctx.db;
  const pageIds = [...new Set(wanted.map((c) => c.pageId))];
  const accounts = await db
    .selectFrom('social_accounts')
    .select(['id', 'external_id', 'business_hours'])
    .where('network', '=', 'facebook')
    .where('active', '=', 1)
    .where('external_id', 'in', pageIds)
    .execute();
  if (!accounts.length) return 0;
  const rules = await activeRules(db);
  let added = 0;
  for (const account of accounts) {
    const items = wanted.filter((c) => c.pageId === account.external_id).map((c) => c.item);
    const result = await db.transaction().execute((tx) => ingestItems(tx, account, items, { rules }));
    added += result.added;
  }
  return added;
}
