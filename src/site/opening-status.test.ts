import { describe, expect, it } from 'vitest';
import type { OpeningException, WeeklyHours } from '../org/model.ts';
import { closingDaysBetween, closingDaysOf, dayPlan, localClock, showTime, statusOn } from './opening-status.ts';

// Borgerservice's demo hours: Monday to Wednesday 10–15, Thursday 10–17.30, Friday 10–13.
const borgerservice: WeeklyHours[] = [
  { weekday: 1, opens: '10:00', closes: '15:00' },
  { weekday: 2, opens: '10:00', closes: '15:00' },
  { weekday: 3, opens: '10:00', closes: '15:00' },
  { weekday: 4, opens: '10:00', closes: '17:30' },
  { weekday: 5, opens: '10:00', closes: '13:00' },
];
const holidays = closingDaysBetween('2026-01-01', '2027-12-31');
const closed = (date: string, note: string): OpeningException => ({ date, closed: true, opens: null, closes: null, note });
const changed = (date: string, opens: string, closes: string, note: string): OpeningException => ({ date, closed: false, opens, closes, note });
const status = (date: string, now: string, exceptions: OpeningException[] = [], weekly = borgerservice) => statusOn(date, now, weekly, exceptions, holidays);

describe('the opening status of a unit', () => {
  it('on an ordinary weekday it tells the hours before opening, when it closes while open, and when it opens next after closing', () => {
    expect(status('2026-11-30', '09:00')).toBe('Åbent i dag 10–15');
    expect(status('2026-11-30', '10:00')).toBe('Åbent nu – lukker kl. 15');
    expect(status('2026-11-30', '14:59')).toBe('Åbent nu – lukker kl. 15');
    expect(status('2026-11-30', '15:00')).toBe('Lukket nu – åbner i morgen kl. 10');
    expect(status('2026-12-03', '08:00')).toBe('Åbent i dag 10–17.30');
    expect(status('2026-12-03', '17:00')).toBe('Åbent nu – lukker kl. 17.30');
  });

  it('after closing on a Friday it opens on Monday, and a weekend day is closed all day', () => {
    expect(status('2026-11-27', '14:00')).toBe('Lukket nu – åbner mandag kl. 10');
    expect(status('2026-11-28', '11:00')).toBe('Lukket i dag – åbner mandag kl. 10');
  });

  it('a day with a break says when it opens again', () => {
    const split: WeeklyHours[] = [
      { weekday: 1, opens: '08:00', closes: '12:00' },
      { weekday: 1, opens: '13:00', closes: '15:30' },
    ];
    expect(status('2026-11-30', '07:00', [], split)).toBe('Åbent i dag 8–12 og 13–15.30');
    expect(status('2026-11-30', '12:30', [], split)).toBe('Lukket nu – åbner igen kl. 13');
    expect(status('2026-11-30', '16:00', [], split)).toBe('Lukket nu – åbner mandag 7. december kl. 8');
  });

  it('a dated exception closing the unit names the reason', () => {
    expect(status('2026-12-02', '11:00', [closed('2026-12-02', 'Personalemøde')])).toBe('Lukket i dag (Personalemøde) – åbner i morgen kl. 10');
    expect(status('2026-12-01', '16:00', [closed('2026-12-02', 'Personalemøde')])).toBe('Lukket nu – åbner torsdag kl. 10');
  });

  it('a dated exception changing the hours replaces the weekly hours that day', () => {
    const lillejuleaften = [changed('2026-12-23', '10:00', '12:30', 'Lillejuleaften')];
    expect(status('2026-12-23', '09:00', lillejuleaften)).toBe('Åbent i dag 10–12.30 (Lillejuleaften)');
    expect(status('2026-12-23', '12:00', lillejuleaften)).toBe('Åbent nu – lukker kl. 12.30');
    expect(status('2026-12-23', '13:00', lillejuleaften)).toBe('Lukket nu – åbner mandag kl. 10');
    expect(status('2026-12-22', '16:00', [changed('2026-12-23', '12:00', '14:00', '')])).toBe('Lukket nu – åbner i morgen kl. 12');
  });

  it('a public holiday such as Juledag is closed, and the next opening skips the other holidays', () => {
    expect(status('2026-12-25', '11:00')).toBe('Lukket i dag (Juledag) – åbner mandag kl. 10');
    expect(status('2026-04-02', '11:00')).toBe('Lukket i dag (Skærtorsdag) – åbner tirsdag kl. 10');
    expect(status('2026-05-14', '11:00')).toBe('Lukket i dag (Kristi Himmelfartsdag) – åbner i morgen kl. 10');
  });

  it('juleaftensdag, nytårsaftensdag and grundlovsdag are closed without any exception, across the new year too', () => {
    expect(status('2026-12-24', '11:00')).toBe('Lukket i dag (Juleaftensdag) – åbner mandag kl. 10');
    expect(status('2026-12-31', '11:00')).toBe('Lukket i dag (Nytårsaftensdag) – åbner mandag kl. 10');
    expect(status('2026-06-05', '11:00')).toBe('Lukket i dag (Grundlovsdag) – åbner mandag kl. 10');
  });

  it('a dated exception can open a unit on a customary closing day, keeping the day\'s name', () => {
    expect(status('2026-06-05', '09:00', [changed('2026-06-05', '10:00', '12:00', '')])).toBe('Åbent i dag 10–12 (Grundlovsdag)');
    expect(dayPlan('2026-12-24', borgerservice, [changed('2026-12-24', '09:00', '11:00', 'Juleåbent')], holidays)).toEqual({
      date: '2026-12-24',
      periods: [{ opens: '09:00', closes: '11:00' }],
      reason: 'Juleåbent',
      source: 'exception',
    });
  });

  it('a unit without weekly hours is simply closed', () => {
    expect(status('2026-11-30', '11:00', [], [])).toBe('Lukket i dag');
    expect(status('2026-11-30', '11:00', [], [{ weekday: 6, opens: '10:00', closes: '13:00' }])).toBe('Lukket i dag – åbner lørdag kl. 10');
  });

  it('the closing days are the Danish public holidays and the three customary ones, not the observances', () => {
    const names = closingDaysOf(2026).map((h) => `${h.date} ${h.name}`);
    expect(names).toContain('2026-12-25 Juledag');
    expect(names).toContain('2026-12-26 Anden Juledag');
    expect(names).toContain('2026-12-24 Juleaftensdag');
    expect(names).toContain('2026-12-31 Nytårsaftensdag');
    expect(names).toContain('2026-06-05 Grundlovsdag');
    expect(names).toContain('2026-01-01 Nytårsdag');
    expect(names.join()).not.toMatch(/Fastelavn|Mors Dag|1\. maj|Bededag/);
    expect(closingDaysBetween('2026-12-20', '2027-01-02').map((h) => h.date)).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01']);
  });

  it('on the days the clocks change, the status follows Copenhagen wall-clock time', () => {
    // 25 October 2026: at 03:00 summer time the clocks go back to 02:00, so 14:30 UTC is 15:30 in Copenhagen.
    const sunday: WeeklyHours[] = [{ weekday: 7, opens: '10:00', closes: '16:00' }];
    const autumn = localClock(new Date('2026-10-25T14:30:00Z'));
    expect(autumn).toEqual({ date: '2026-10-25', time: '15:30' });
    expect(statusOn(autumn.date, autumn.time, sunday, [], holidays)).toBe('Åbent nu – lukker kl. 16');
    expect(localClock(new Date('2026-10-25T00:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30' });
    expect(localClock(new Date('2026-10-25T01:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30' });

    // 29 March 2026: 02:00 becomes 03:00, so 08:30 UTC is already 10:30 and the unit is open.
    const spring = localClock(new Date('2026-03-29T08:30:00Z'));
    expect(spring).toEqual({ date: '2026-03-29', time: '10:30' });
    expect(statusOn(spring.date, spring.time, sunday, [], holidays)).toBe('Åbent nu – lukker kl. 16');
    expect(localClock(new Date('2026-03-29T00:59:00Z')).time).toBe('01:59');
    expect(localClock(new Date('2026-03-29T01:00:00Z')).time).toBe('03:00');
    // Just before midnight UTC on a winter evening is already the next day in Copenhagen.
    expect(localClock(new Date('2026-12-23T23:30:00Z'))).toEqual({ date: '2026-12-24', time: '00:30' });
  });

  it('times are written the Danish way', () => {
    expect(['10:00', '07:30', '17:30', '06:15', '00:00'].map(showTime)).toEqual(['10', '7.30', '17.30', '6.15', '0']);
  });
});
