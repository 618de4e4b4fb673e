// CPR numbers as citizens write them: DDMMYY-XXXX, also without the dash or with a space. The modulus-11 check is
// deliberately not made: numbers issued since 2007 need not pass it.
// The check that no digit or "+" comes before is made after the day is read: a look-behind at the start would
// be tried at every character of every comment.
export const CPR_PATTERN = String.raw`(?:0[1-9]|[12]\d|3[01])(?<![\d+]\d\d)(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)`;

const CPR = new RegExp(CPR_PATTERN, 'g');

/** "120385-1234" → "120385-****": wherever a comment is shown or kept, the last four digits are hidden. */
export function maskCpr(text: string): string {
  return text.replace(CPR, (cpr) => `${cpr.slice(0, -4)}****`);
}
