import { describe, expect, it } from 'vitest';
import { contentToFormValues, formToContentInput, formValues, imageRowCount, withChannelsFrom } from './form.ts';
import { contentInput, TYPE_FIELDS } from './model.ts';
import type { Content } from './types.ts';

const base: Content = {
  title: 'Sommerkoncert i Tønder',
  summary: 'Gratis koncert på torvet.',
  body: '# Program\n\nMusik hele aftenen.',
  ownerUnitId: 'unit-kultur',
  contact: 'Kultur og Fritid',
  topics: ['Musik', 'Sommer'],
  language: 'da',
  reviewBy: '2027-01-31',
  images: [
    { mediaId: 'media-1', alt: 'Scenen på torvet' },
    { mediaId: 'media-2', alt: '' },
  ],
  placements: [
    { channel: 'website', section: 'arrangementer' },
    { channel: 'subsite', unitId: 'unit-skole' },
    { channel: 'intranet', everyone: false, roles: ['manager'], unitIds: ['unit-kultur'], groupIds: ['group-1'] },
    { channel: 'app', section: 'arrangementer' },
    { channel: 'social', accountId: 'facebook', text: 'Kom til koncert "i aften" – det er gratis' },
  ],
  fields: { startsAt: '2026-07-01T19:00', endsAt: '2026-07-01T22:00', place: 'Torvet' },
};

describe('the edit form and the content it stands for', () => {
  it('a stored revision shown in the form and sent back is the same content', () => {
    const values = contentToFormValues(base);
    expect(formToContentInput(values, 'event')).toEqual(base);
  });

  it('a round trip through the form passes the schemas the service checks', () => {
    const raw = formToContentInput(contentToFormValues(base), 'event');
    expect(contentInput.safeParse(raw).success).toBe(true);
    expect(TYPE_FIELDS.event.safeParse(raw.fields).success).toBe(true);
  });

  it('topics and keywords are comma separated, steps and checklist one per line, blank ones dropped', () => {
    const raw = formToContentInput({ topics: ' Affald,, Genbrug ,Affald', 'fields.targetUrl': 'https://www.borger.dk', 'fields.keywords': 'pas, kørekort , ' }, 'selfservice');
    expect(raw.topics).toEqual(['Affald', 'Genbrug']);
    expect(raw.fields).toEqual({ targetUrl: 'https://www.borger.dk', keywords: ['pas', 'kørekort'] });
    const leader = formToContentInput({ 'fields.leadershipLevel': 'middle', 'fields.steps': 'Forbered samtalen\r\n\r\n  Hold samtalen  \nFølg op', 'fields.checklist': '' }, 'leader_module');
    expect(leader.fields).toEqual({ leadershipLevel: 'middle', steps: ['Forbered samtalen', 'Hold samtalen', 'Følg op'], checklist: [] });
    expect(contentToFormValues({ ...base, fields: leader.fields })['fields.steps']).toBe('Forbered samtalen\nHold samtalen\nFølg op');
    expect(contentToFormValues({ ...base, fields: { keywords: ['pas', 'kørekort'] } })['fields.keywords']).toBe('pas, kørekort');
  });

  it('only the fields of the item type are read', () => {
    const raw = formToContentInput({ 'fields.place': 'Torvet', 'fields.severity': 'danger' }, 'alert');
    expect(raw.fields).toEqual({ severity: 'danger', area: '' });
    expect(formToContentInput({ 'fields.place': 'Torvet' }, 'news').fields).toEqual({});
  });

  it('empty image rows are ignored and rows keep their order', () => {
    const raw = formToContentInput(
      { 'images.2.mediaId': 'c', 'images.2.alt': 'Tredje', 'images.0.mediaId': 'a', 'images.0.alt': 'Første', 'images.1.mediaId': '', 'images.1.alt': 'Uden billede', 'images.10.mediaId': 'k', 'images.10.alt': '' },
      'news',
    );
    expect(raw.images).toEqual([
      { mediaId: 'a', alt: 'Første' },
      { mediaId: 'c', alt: 'Tredje' },
      { mediaId: 'k', alt: '' },
    ]);
  });

  it('a channel counts only when its box is ticked, and an empty review date is no date', () => {
    const raw = formToContentInput({ website: '', websiteSection: 'borger', app: '0', appSection: 'nyheder', intranet: '1', intranetEveryone: '1', reviewBy: ' ' }, 'page');
    expect(raw.placements).toEqual([{ channel: 'intranet', everyone: true, roles: [], unitIds: [], groupIds: [] }]);
    expect(raw.reviewBy).toBeNull();
  });

  it('a single checked box arrives as a string and several as a list; repeats count once', () => {
    expect(formToContentInput({ subsites: 'unit-skole' }, 'page').placements).toEqual([{ channel: 'subsite', unitId: 'unit-skole' }]);
    expect(formToContentInput({ subsites: ['a', 'b', 'a', ''] }, 'page').placements).toEqual([
      { channel: 'subsite', unitId: 'a' },
      { channel: 'subsite', unitId: 'b' },
    ]);
  });

  it('social placements come back from their hidden inputs; anything that is not one is left out', () => {
    const kept = JSON.stringify({ channel: 'social', accountId: 'instagram', text: 'Se her' });
    const raw = formToContentInput({ socialPlacements: [kept, '{"channel":"website","section":"borger"}', 'ikke json', '{"channel":"social","accountId":7,"text":""}'] }, 'news');
    expect(raw.placements).toEqual([{ channel: 'social', accountId: 'instagram', text: 'Se her' }]);
  });

  it('line breaks typed in a browser are stored as LF', () => {
    expect(formToContentInput({ body: 'Et\r\nto\r\rtre' }, 'page').body).toBe('Et\nto\n\ntre');
  });

  it('a submitted form shown again keeps every typed value, lists as lists, without the CSRF token', () => {
    const values = formValues({ _csrf: 'x', preview: '1', title: ['Første', 'Anden'], subsites: 'a', intranetRoles: ['employee', 'manager'] });
    expect(values).toEqual({
      title: 'Første',
      subsites: ['a'],
      intranetRoles: ['employee', 'manager'],
      intranetUnits: [],
      intranetGroups: [],
      socialPlacements: [],
      socialAccounts: [],
    });
  });

  it('the form shows at least three image rows, and one for every image already chosen', () => {
    expect(imageRowCount(contentToFormValues({ ...base, images: [] }))).toBe(3);
    expect(imageRowCount(contentToFormValues({ ...base, images: Array.from({ length: 5 }, (_, i) => ({ mediaId: `m${i}`, alt: '' })) }))).toBe(5);
  });

  it('channels the person may not change are taken from the other version', () => {
    const mine = contentToFormValues({ ...base, placements: [{ channel: 'website', section: 'borger' }] });
    const theirs = contentToFormValues(base);
    const merged = withChannelsFrom(mine, theirs, ['app', 'social']);
    expect(formToContentInput(merged, 'event').placements).toEqual([
      { channel: 'website', section: 'borger' },
      { channel: 'app', section: 'arrangementer' },
      base.placements[4],
    ]);
  });
});
