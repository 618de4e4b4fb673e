import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween } from './business-hours.ts';

// Times are Copenhagen's; November is UTC+1.
const cph = (local: string) => new Date(`${local}+01:00`);

describe('the clock on a question runs in business hours', () => {
  it('a question at 10:00 on a Tuesday is due four business hours later, at 14:00 the same day', () => {
    expect(addBusinessMinutes(cph('2026-11-24T10:00:00'), 240)).toEqual(cph('2026-11-24T14:00:00'));
  });

  it('a question on Friday evening is due on Monday, four hours after opening', () => {
    expect(addBusinessMinutes(cph('2026-11-27T19:30:00'), 240)).toEqual(cph('2026-11-30T12:00:00'));
  });

  it('the time left at closing carries over to the next working day', () => {
    // Thursday 14:00: one hour left until 15:00, three more on Friday from 8:00.
    expect(addBusinessMinutes(cph('2026-11-26T14:00:00'), 240)).toEqual(cph('2026-11-27T11:00:00'));
  });

  it('Christmas closes the clock: a question on 23 December is answered after the holidays', () => {
    // 23 December 2026 is a Wednesday; 24–26 are closed (customary and public), 27 is a Sunday.
    expect(addBusinessMinutes(cph('2026-12-23T14:30:00'), 60)).toEqual(cph('2026-12-28T08:30:00'));
  });

  it('an account’s own hours are used: a library open on Saturday 10–13', () => {
    const library = [{ weekday: 6, opens: '10:00', closes: '13:00' }];
    expect(addBusinessMinutes(cph('2026-11-27T19:30:00'), 60, library)).toEqual(cph('2026-11-28T11:00:00'));
  });

  it('counts only business minutes between a question and its answer', () => {
    expect(businessMinutesBetween(cph('2026-11-27T12:00:00'), cph('2026-11-30T09:00:00'))).toBe(120);
    expect(businessMinutesBetween(cph('2026-11-24T09:00:00'), cph('2026-11-24T09:45:00'))).toBe(45);
    expect(businessMinutesBetween(cph('2026-11-24T09:45:00'), cph('2026-11-24T09:00:00'))).toBe(0);
  });
});
