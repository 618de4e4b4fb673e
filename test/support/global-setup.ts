import fs from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Browser tests are part of the suite: without Chromium the run fails and says how to get it. */
export default function setup(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium blev ikke fundet på ${CHROMIUM}. Browsertestene kræver Debians Chromium: ` +
        `kør "apt-get update && apt-get install -y chromium" (eller sæt CHROMIUM_PATH) og kør npm test igen.`,
    );
  }
}
