import type { AudiencePerson } from './store.ts';
import { spreadsheetTime } from './model.ts';

export const CSV_COLUMNS = ['Navn', 'E-mail', 'Enhed', 'Kvitteret', 'Tidspunkt'] as const;

/**
 * One cell. A cell that a spreadsheet would take for a formula (=, +, -, @) gets a leading apostrophe, so a name
 * typed into the HR system can never run as one; a cell with the separator, a quote or a line break is quoted.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The acknowledgements as Danish Excel opens them by a double click: semicolons between cells, CRLF between rows,
 * and UTF-8 with a byte order mark so æ, ø and å come out right.
 */
export function acknowledgementsCsv(people: AudiencePerson[]): string {
  const rows = [
    CSV_COLUMNS.join(';'),
    ...people.map((p) => [p.name, p.email, p.unitNames.join(', '), p.acknowledgedAt ? 'Ja' : 'Nej', p.acknowledgedAt ? spreadsheetTime(p.acknowledgedAt) : ''].map(csvCell).join(';')),
  ];
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
