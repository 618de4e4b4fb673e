import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { feedComments, signatureIsValid, subscriptionChallenge } from './facebook-webhook.ts';

const SECRET = 'app-secret-for-tests';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const comment = (over: Record<string, unknown> = {}) => ({
  object: 'page',
  entry: [
    {
      id: '550000000000001',
      time: 1795000000,
      changes: [
        {
          field: 'feed',
          value: { from: { id: '10001', name: 'Jens Borger' }, item: 'comment', comment_id: '1_2', post_id: '550000000000001_1', verb: 'add', created_time: 1795000000, message: 'Hvornår åbner genbrugspladsen?', ...over },
        },
      ],
    },
  ],
});

describe('Facebook webhooks for the page feed', () => {
  it('answers Facebook’s subscription check with the challenge only when the verify token matches', () => {
    expect(subscriptionChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'hemmelig', 'hub.challenge': '1158201444' }, 'hemmelig')).toBe('1158201444');
    expect(subscriptionChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'forkert', 'hub.challenge': '1158201444' }, 'hemmelig')).toBeNull();
    expect(subscriptionChallenge({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'hemmelig', 'hub.challenge': '1' }, 'hemmelig')).toBeNull();
  });

  it('accepts a body signed with the app secret in X-Hub-Signature-256, and nothing else', () => {
    const body = JSON.stringify(comment());
    expect(signatureIsValid(Buffer.from(body), sign(body), SECRET)).toBe(true);
    expect(signatureIsValid(Buffer.from(body), sign(body, 'another-secret'), SECRET)).toBe(false);
    expect(signatureIsValid(Buffer.from(body + ' '), sign(body), SECRET)).toBe(false);
    expect(signatureIsValid(Buffer.from(body), undefined, SECRET)).toBe(false);
    expect(signatureIsValid(Buffer.from(body), sign(body).replace('sha256=', 'sha1='), SECRET)).toBe(false);
    expect(signatureIsValid(Buffer.from(body), 'sha256=abc', SECRET)).toBe(false);
  });

  it('reads a citizen’s comment as an inbox item under the page’s post', () => {
    expect(feedComments(comment())).toEqual([
      {
        pageId: '550000000000001',
        verb: 'add',
        item: {
          externalId: '1_2',
          parentExternalId: '550000000000001_1',
          rootExternalId: '550000000000001_1',
          authorName: 'Jens Borger',
          authorHandle: '10001',
          text: 'Hvornår åbner genbrugspladsen?',
          createdAt: new Date(1795000000 * 1000),
          url: 'https://www.facebook.com/1_2',
          hidden: false,
        },
      },
    ]);
  });

  it('a reply to a comment hangs under that comment; the page’s own comments and likes are left out', () => {
    expect(feedComments(comment({ parent_id: '1_1' }))[0]!.item.parentExternalId).toBe('1_1');
    expect(feedComments(comment({ from: { id: '550000000000001', name: 'Tønder Kommune' } }))).toEqual([]);
    expect(feedComments(comment({ item: 'reaction' }))).toEqual([]);
    expect(feedComments({ object: 'user', entry: [] })).toEqual([]);
  });
});
