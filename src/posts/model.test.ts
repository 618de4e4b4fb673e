import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../content/markdown.ts';
import { findMentions, linkMentions, postInput, timeAgo } from './model.ts';

const PEOPLE = [
  { id: 'p1', name: 'Anne Jensen' },
  { id: 'p2', name: 'Anne Jensen Holm' },
  { id: 'p3', name: 'Søren Ærø' },
  { id: 'p4', name: 'Peter Hansen' },
];

describe('mentions', () => {
  it('a mention is the longest name after the @, in any case', () => {
    const found = findMentions('Tak til @anne jensen holm og @PETER HANSEN!', PEOPLE);
    expect(found.map((m) => m.person.id)).toEqual(['p2', 'p4']);
  });

  it('a shorter name is chosen when the longer one does not follow', () => {
    expect(findMentions('Spørg @Anne Jensen, hun ved det.', PEOPLE).map((m) => m.person.id)).toEqual(['p1']);
  });

  it('Danish letters are matched without regard to case', () => {
    expect(findMentions('Hej @søren ærø.', PEOPLE).map((m) => m.person.id)).toEqual(['p3']);
  });

  it('an e-mail address and a name that runs on into a longer word are no mentions', () => {
    expect(findMentions('Skriv til anne@Anne Jensen.dk eller @Peter Hansens kontor', PEOPLE)).toEqual([]);
  });

  it('a name two people share mentions nobody', () => {
    expect(findMentions('@Peter Hansen', [...PEOPLE, { id: 'p5', name: 'Peter Hansen' }])).toEqual([]);
  });

  it('a mention becomes a link to the person, and the rest of the text is untouched', () => {
    const html = renderMarkdown(linkMentions('Tak til @anne jensen for *hjælpen*', [PEOPLE[0]!]));
    expect(html).toBe('<p>Tak til <a href="/intranet/personer/p1">@Anne Jensen</a> for <em>hjælpen</em></p>\n');
  });
});

describe('the post form', () => {
  it('a body over 5000 characters is refused with the count', () => {
    const result = postInput.safeParse({ body: 'a'.repeat(5001), everyone: true, unitIds: [], groupIds: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Opslaget må højst være 5000 tegn. Du har skrevet 5001.');
  });
});

describe('times', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  it.each([
    ['2026-12-01T11:59:30Z', 'lige nu'],
    ['2026-12-01T11:59:00Z', 'for 1 minut siden'],
    ['2026-12-01T11:55:00Z', 'for 5 minutter siden'],
    ['2026-12-01T09:00:00Z', 'for 3 timer siden'],
    ['2026-11-29T12:00:00Z', 'for 2 dage siden'],
    ['2026-11-01T12:00:00Z', '1. november 2026 kl. 13.00'],
  ])('%s is shown as "%s"', (at, shown) => {
    expect(timeAgo(at, now)).toBe(shown);
  });
});

describe('typed text', () => {
  it('Windows line ends become plain ones and control characters such as NUL become spaces', () => {
    const result = postInput.parse({ body: 'Linje 1\r\nLinje 2\u0000<script\u0000>', everyone: true, unitIds: [], groupIds: [] });
    expect(result.body).toBe('Linje 1\nLinje 2 <script >');
  });
});
