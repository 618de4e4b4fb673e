import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from './global-setup.ts';

/** Debian's Chromium, headless, without the sandbox (containers) and without calls home that slow or break test runs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}
