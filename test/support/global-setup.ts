import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests are part of the suite: without Chromium the run fails and says how to get it. */
export function checkChromium(executable: string): void {
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium blev ikke fundet på ${executable}. Browsertestene kræver Debians Chromium: ` +
        `kør "apt-get update && apt-get install -y chromium" (eller sæt CHROMIUM_PATH) og kør npm test igen.`,
    );
  }
}

export default function setup(): void {
  checkChromium(CHROMIUM);
}
