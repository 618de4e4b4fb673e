import { describe, expect, it } from 'vitest';
import { acknowledgementsCsv, csvCell } from './csv.ts';
import { percent, reminderDueOn, sinceText } from './model.ts';

describe('the CSV export and the words of the must-read pages', () => {
  it('a cell that a spreadsheet would run as a formula is kept as text, and separators and quotes are quoted', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+45 74 92 92 92')).toBe("'+45 74 92 92 92");
    expect(csvCell('@hr')).toBe("'@hr");
    expect(csvCell('Dagplejen; område Syd')).toBe('"Dagplejen; område Syd"');
    expect(csvCell('Anne Jensen')).toBe('Anne Jensen');
  });

  it('the file starts with a byte order mark, has one row per person and Copenhagen times', () => {
    const csv = acknowledgementsCsv([
      { id: '1', name: 'Anne Jensen', email: 'anne@toender.dk', acknowledgedAt: '2026-11-27T09:15:00.000Z', unitNames: ['Dagplejen', 'Børn og Skole'] },
      { id: '2', name: 'Bo Berg', email: 'bo@toender.dk', acknowledgedAt: null, unitNames: [] },
    ]);
    expect(csv).toBe('\uFEFFNavn;E-mail;Enhed;Kvitteret;Tidspunkt\r\nAnne Jensen;anne@toender.dk;Dagplejen, Børn og Skole;Ja;2026-11-27 10:15\r\nBo Berg;bo@toender.dk;;Nej;\r\n');
  });

  it('how long ago is counted in Copenhagen days', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(sinceText('2026-11-27T00:30:00Z', now)).toBe('i dag');
    // 23:30 UTC on the 26th is already the 27th in Copenhagen.
    expect(sinceText('2026-11-26T23:30:00Z', now)).toBe('i dag');
    expect(sinceText('2026-11-26T12:00:00Z', now)).toBe('i går');
    expect(sinceText('2026-11-17T12:00:00Z', now)).toBe('for 10 dage siden');
    expect(sinceText('2026-08-01T12:00:00Z', now)).toBe('den 1. august 2026');
  });

  it('a reminder is due a whole number of local days after the announcement, and a share is never rounded up to everyone', () => {
    expect(reminderDueOn('2026-11-26T23:30:00Z', 7)).toBe('2026-12-04');
    expect(reminderDueOn('2026-11-26T12:00:00Z', 7)).toBe('2026-12-03');
    expect(percent(199, 200)).toBe(99);
    expect(percent(0, 0)).toBe(0);
    expect(percent(3, 6)).toBe(50);
  });
});
