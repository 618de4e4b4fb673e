export const TIME_ZONE = 'Europe/Copenhagen';

const dateFormat = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const shownFormat = new Intl.DateTimeFormat('da-DK', { timeZone: TIME_ZONE, dateStyle: 'long', timeStyle: 'short' });
const shownDate = new Intl.DateTimeFormat('da-DK', { timeZone: TIME_ZONE, dateStyle: 'long' });

/** Today's date in Copenhagen, YYYY-MM-DD. */
export const localDate = (at: Date = new Date()): string => dateFormat.format(at);

/** "26. november 2026 kl. 13.00" */
export const showDateTime = (iso: string | Date): string => shownFormat.format(typeof iso === 'string' ? new Date(iso) : iso);
export const showDate = (isoOrDate: string | Date): string => shownDate.format(typeof isoOrDate === 'string' ? new Date(isoOrDate.length === 10 ? `${isoOrDate}T12:00:00Z` : isoOrDate) : isoOrDate);
