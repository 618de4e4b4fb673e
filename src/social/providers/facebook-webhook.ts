import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingItem } from './types.ts';

// Facebook's webhooks for a page's `feed` field. Facebook first checks the endpoint with a GET carrying
// hub.mode=subscribe, hub.verify_token and hub.challenge; then it POSTs changes as JSON, signed with the app secret
// in X-Hub-Signature-256 ("sha256=<hex HMAC of the raw body>"). Anything unsigned or signed otherwise is refused.

/** The challenge to echo when the verify token matches; null otherwise. */
export function subscriptionChallenge(query: Record<string, unknown>, verifyToken: string): string | null {
  if (query['hub.mode'] !== 'subscribe' || typeof query['hub.challenge'] !== 'string') return null;
  const given = query['hub.verify_token'];
  if (typeof given !== 'string' || !sameSecret(given, verifyToken)) return null;
  return query['hub.challenge'];
}

/** Whether the raw body was signed with the app secret, compared in constant time. */
export function signatureIsValid(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest('hex');
  return sameSecret(header.slice('sha256='.length).toLowerCase(), expected);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

interface FeedValue {
  item?: string;
  verb?: string;
  comment_id?: string;
  post_id?: string;
  parent_id?: string;
  message?: string;
  created_time?: number;
  from?: { id?: string; name?: string };
}

export interface FeedChange {
  /** The page the change belongs to. */
  pageId: string;
  /** "add" and "edited" carry an item; "remove" and "hide" only say which. */
  verb: string;
  item: IncomingItem;
}

/**
 * The comments in a webhook body, as inbox items. The page's own comments are left out (they are the page's
 * answers), and so are changes to anything but comments (likes, shares, the page's own posts).
 */
export function feedComments(body: unknown): FeedChange[] {
  const changes: FeedChange[] = [];
  const b = body as { object?: string; entry?: { id?: string; changes?: { field?: string; value?: FeedValue }[] }[] };
  if (b?.object !== 'page' || !Array.isArray(b.entry)) return changes;
  for (const entry of b.entry) {
    const pageId = String(entry.id ?? '');
    for (const change of entry.changes ?? []) {
      const v = change.value;
      if (change.field !== 'feed' || v?.item !== 'comment' || !v.comment_id || !v.post_id) continue;
      if (v.from?.id && v.from.id === pageId) continue;
      const parent = v.parent_id ?? v.post_id;
      changes.push({
        pageId,
        verb: v.verb ?? 'add',
        item: {
          externalId: v.comment_id,
          parentExternalId: parent,
          rootExternalId: v.post_id,
          authorName: v.from?.name ?? 'Ukendt',
          authorHandle: v.from?.id ?? null,
          text: v.message ?? '',
          createdAt: new Date((v.created_time ?? Math.floor(Date.now() / 1000)) * 1000),
          url: `https://www.facebook.com/${v.comment_id}`,
          hidden: v.verb === 'hide',
        },
      });
    }
  }
  return changes;
}
