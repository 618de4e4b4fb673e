export const TIME_ZONE = 'Europe/Copenhagen';

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const shownFormat = new Intl.DateTimeFormat('da-DK', { timeZone: TIME_ZONE, dateStyle: 'long', timeStyle: 'short' });
const shownDate = new Intl.DateTimeFormat('da-DK', { timeZone: TIME_ZONE, dateStyle: 'long' });

/** Today's date in Copenhagen, YYYY-MM-DD. */
export const localDate = (at: Date = new Date()): string => dateFormat.format(at);

/** "26. november 2026 kl. 13.00" */
export const showDateTime = (iso: string | Date): string => shownFormat.format(typeof iso === 'string' ? new Date(iso) : iso);
export const showDate = (isoOrDate: string | Date): string => shownDate.format(typeof isoOrDate === 'string' ? new Date(isoOrDate.length === 10 ? `${isoOrDate}T12:00:00Z` : isoOrDate) : isoOrDate);

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** Copenhagen's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function offsetMinutes(at: number): number {
  const name = offsetFormat.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** A local Copenhagen time as typed in a form ("2026-12-01T10:00") to the instant it names. */
export function localInputToDate(local: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // The offset at the guessed instant may differ across a DST change; the second pass settles it.
  let at = asUtc - offsetMinutes(asUtc) * 60_000;
  at = asUtc - offsetMinutes(at) * 60_000;
  return new Date(at);
}

/** An instant as a form's datetime-local value in Copenhagen. */
export function dateToLocalInput(at: string | Date): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  const local = new Date(d.getTime() + offsetMinutes(d.getTime()) * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A calendar date ("2026-11-27") moved by whole days, with no time zone to trip over. */
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
