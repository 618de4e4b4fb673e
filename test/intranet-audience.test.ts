import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../src/content/types.ts';
import { intranetHref } from '../src/intranet/items.ts';
import { localDate } from '../src/platform/time.ts';
import { startSession } from '../src/signin/sessions.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { dialects } from './support/databases.ts';

// For every person of the demo municipality and every intranet object (item, post, comment, tool): the object's
// page opens exactly for its audience, and no list, search hit or page ever shows it to anyone else.
// The expected answer is worked out here from the raw rows (placements, units, groups), independently of
// src/intranet/audience.ts, which is what is being tested.

interface Reader {
  id: string;
  name: string;
  role: string;
  units: Set<string>;
  groups: Set<string>;
  editor: boolean;
}
interface Target {
  everyone: boolean;
  roles: string[];
  unitIds: string[];
  groupIds: string[];
}
interface Thing {
  kind: 'item' | 'post' | 'comment' | 'tool';
  href: string | null;
  /** A text that only this object has, to look for in every page a reader gets. */
  marker: string;
  /** A few words to search for. */
  search: string | null;
  sees: (r: Reader) => boolean;
  /** Who may meet its title without opening it: the intranet's editors follow every must-read they manage. */
  named?: (r: Reader) => boolean;
}

function reaches(t: Target, r: Reader): boolean {
  return t.everyone || t.roles.includes(r.role) || t.unitIds.some((u) => r.units.has(u)) || t.groupIds.some((g) => r.groups.has(g));
}

async function readers(t: TestApp): Promise<Reader[]> {
  const units = await t.db.selectFrom('units').select(['id', 'parent_id']).where('active', '=', 1).execute();
  const parent = new Map(units.map((u) => [u.id, u.parent_id]));
  const people = await t.db.selectFrom('people').select(['id', 'name', 'job_role']).where('active', '=', 1).orderBy('email').execute();
  const placed = await t.db.selectFrom('person_units').select(['person_id', 'unit_id']).execute();
  const today = localDate();
  const members = await t.db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.person_id', 'groups.id', 'groups.kind', 'groups.channel', 'groups.active', 'groups.ends_on'])
    .execute();
  return people.map((p) => {
    const reach = new Set<string>();
    for (const row of placed.filter((x) => x.person_id === p.id)) for (let u: string | null | undefined = row.unit_id; u && parent.has(u); u = parent.get(u)) reach.add(u);
    const mine = members.filter((m) => m.person_id === p.id && m.active === 1 && (!m.ends_on || m.ends_on >= today));
    return {
      id: p.id,
      name: p.name,
      role: p.job_role,
      units: reach,
      groups: new Set(mine.map((m) => m.id)),
      editor: mine.some((m) => m.kind === 'channel_editors' && m.channel === 'intranet'),
    };
  });
}

async function things(t: TestApp): Promise<Thing[]> {
  const out: Thing[] = [];
  const items = await t.db
    .selectFrom('items')
    .innerJoin('revisions', (j) => j.onRef('revisions.item_id', '=', 'items.id').onRef('revisions.number', '=', 'items.live_revision'))
    .select(['items.type', 'items.slug', 'revisions.content'])
    .execute();
  for (const i of items) {
    const content = JSON.parse(i.content) as Content;
    const p = content.placements.find((x) => x.channel === 'intranet');
    if (!p || p.channel !== 'intranet') continue;
    out.push({ kind: 'item', href: intranetHref(i.type, i.slug), marker: content.title, search: content.title, sees: (r) => reaches(p, r), named: (r) => r.editor });
  }
  const posts = await t.db.selectFrom('posts').select(['id', 'author_id', 'body', 'audience', 'removed_at']).execute();
  const postSees = new Map<string, (r: Reader) => boolean>();
  for (const p of posts) {
    const a = JSON.parse(p.audience) as Partial<Target>;
    const target: Target = { everyone: !!a.everyone, roles: a.roles ?? [], unitIds: a.unitIds ?? [], groupIds: a.groupIds ?? [] };
    // A removed post stays readable by its author and the intranet's editors (with the reason), by nobody else.
    const sees = (r: Reader) => r.id === p.author_id || (!p.removed_at && reaches(target, r)) || (!!p.removed_at && r.editor && reaches(target, r));
    postSees.set(p.id, sees);
    out.push({ kind: 'post', href: `/intranet/opslag/${p.id}`, marker: markerOf(p.body), search: p.removed_at ? null : searchWords(p.body), sees });
  }
  const comments = await t.db.selectFrom('post_comments').select(['id', 'post_id', 'author_id', 'body', 'removed_at']).execute();
  for (const c of comments) {
    const post = postSees.get(c.post_id)!;
    out.push({ kind: 'comment', href: null, marker: markerOf(c.body), search: null, sees: (r) => post(r) && (!c.removed_at || r.id === c.author_id || r.editor) });
  }
  const tools = await t.db.selectFrom('tools').select(['name', 'url', 'audience', 'active']).execute();
  for (const tool of tools) {
    const a = JSON.parse(tool.audience) as Partial<Target>;
    const target: Target = { everyone: !!a.everyone, roles: a.roles ?? [], unitIds: a.unitIds ?? [], groupIds: a.groupIds ?? [] };
    out.push({ kind: 'tool', href: null, marker: tool.url, search: null, sees: (r) => tool.active === 1 && reaches(target, r) });
  }
  // A text two objects share proves nothing about either.
  const count = new Map<string, number>();
  for (const th of out) count.set(th.marker, (count.get(th.marker) ?? 0) + 1);
  return out.filter((th) => th.marker.length >= 12 && count.get(th.marker) === 1);
}

/** The first sentence-like run of a body, as the page shows it (Markdown marks and mentions left out). */
function markerOf(body: string): string {
  const plain = body.replace(/[*_#>`[\]()]/g, ' ').replace(/@/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.split(/[.!?\n]/)[0]!.split(' ').slice(0, 5).join(' ').trim();
}

function searchWords(body: string): string {
  return markerOf(body).split(' ').filter((w) => w.length > 3).slice(0, 3).join(' ');
}

const visibleText = (html: string) => {
  const $ = cheerio.load(html);
  $('script, style').remove();
  return `${$('body').text().replace(/\s+/g, ' ')} ${$('a[href]').map((_, a) => $(a).attr('href')).get().join(' ')}`;
};

const LISTS = ['/intranet', '/intranet/opslag', '/intranet/skal-laeses', '/intranet/vaerktoejer', '/intranet/viden', '/intranet/kompetence', '/intranet/notifikationer'];

describe.each(dialects)('nothing on the intranet reaches a person outside its audience (%s)', (dialect) => {
  let t: TestApp;
  let all: Reader[];
  let objects: Thing[];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    all = await readers(t);
    objects = await things(t);
  }, 120_000);
  afterAll(async () => t.close());

  async function as(app: FastifyInstance, reader: Reader) {
    const cookie = app.signCookie(await startSession(t.db, reader.id, { ip: null, userAgent: null, method: 'test' }));
    return (url: string) => app.inject({ method: 'GET', url, cookies: { mh_session: cookie } });
  }

  it('the demo has objects of every kind, each seen by some and hidden from others', () => {
    for (const kind of ['item', 'post', 'comment', 'tool'] as const) {
      const ofKind = objects.filter((o) => o.kind === kind);
      expect(ofKind.length, kind).toBeGreaterThan(2);
      expect(ofKind.some((o) => all.some((r) => !o.sees(r))), `${kind} hidden from someone`).toBe(true);
    }
    expect(all.length).toBeGreaterThan(9);
  });

  it('every page, list and search answer matches each person’s audience', async () => {
    const wrong: string[] = [];
    // People with the same role, units and groups who wrote nothing see the same: one of them stands for the rest.
    const authors = new Set((await t.db.selectFrom('posts').select('author_id').execute()).map((r) => r.author_id));
    for (const r of await t.db.selectFrom('post_comments').select('author_id').execute()) authors.add(r.author_id);
    const kinds = new Map<string, Reader>();
    for (const r of all) kinds.set(authors.has(r.id) ? r.id : [r.role, [...r.units].sort(), [...r.groups].sort(), r.editor].join('|'), r);
    for (const reader of kinds.values()) {
      const get = await as(t.app, reader);
      const seen: string[] = [];
      for (const url of LISTS) {
        const res = await get(url);
        if (res.statusCode !== 200) wrong.push(`${reader.name}: ${url} answered ${res.statusCode}`);
        seen.push(visibleText(res.body));
      }
      for (const o of objects) {
        if (o.href) {
          const res = await get(o.href);
          const expected = o.sees(reader) ? 200 : 404;
          if (res.statusCode !== expected) wrong.push(`${reader.name}: ${o.href} (${o.marker}) answered ${res.statusCode}, not ${expected}`);
          if (res.statusCode === 200) seen.push(visibleText(res.body));
        }
        if (o.search) {
          const res = await get(`/intranet/soeg?q=${encodeURIComponent(o.search)}`);
          // Only the hits: the page repeats the words searched for, which are this object's own.
          const $ = cheerio.load(res.body);
          const text = $('main section').map((_, s) => visibleText($.html(s))).get().join(' ').replace(`Ingen resultater for ${o.search}`, '');
          seen.push(text);
          if (o.kind === 'item' && o.sees(reader) && !text.includes(o.marker)) wrong.push(`${reader.name}: searching "${o.search}" did not find it`);
        }
      }
      const everything = seen.join('\n');
      for (const o of objects) {
        if (!o.sees(reader) && !o.named?.(reader) && everything.includes(o.marker)) wrong.push(`${reader.name} was shown ${o.kind} "${o.marker}"`);
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);
});
