// What a reader's browser and the validators make of the public pages: bytes over the wire on a first view,
// whether the page works without JavaScript, axe-core's WCAG 2.1 A/AA findings and the Nu HTML Checker's errors.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { root } from './processes.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VNU = path.join(root, 'node_modules/vnu-jar/build/dist/vnu.jar');
// The tags test/support/browser.ts expectAccessible checks.
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface Weight {
  bytes: number;
  resources: { url: string; type: string; bytes: number }[];
}

/** Everything the browser fetched for a first view with an empty cache, as sent over the network (headers included). */
export async function firstViewWeight(browser: Browser, url: string): Promise<Weight> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const seen = new Map<string, { url: string; type: string }>();
    const resources: Weight['resources'] = [];
    cdp.on('Network.responseReceived', (e) => seen.set(e.requestId, { url: e.response.url, type: e.type }));
    cdp.on('Network.loadingFinished', (e) => {
      const r = seen.get(e.requestId);
      if (r) resources.push({ ...r, bytes: e.encodedDataLength });
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    return { bytes: resources.reduce((s, r) => s + r.bytes, 0), resources };
  } finally {
    await context.close();
  }
}

/** The page loads with JavaScript off and shows its heading, menu and main content. */
export async function worksWithoutJavaScript(browser: Browser, url: string): Promise<boolean> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const res = await page.goto(url);
    const heading = await page.locator('main h1').first().isVisible();
    const menu = await page.locator('nav a').first().isVisible();
    return res?.status() === 200 && heading && menu;
  } finally {
    await context.close();
  }
}

export interface AxeFinding {
  id: string;
  help: string;
  targets: string[];
}

export async function axeFindings(browser: Browser, url: string): Promise<AxeFinding[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    return result.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  } finally {
    await context.close();
  }
}

export interface VnuMessage {
  type: string;
  subType?: string;
  message: string;
  extract?: string;
  lastLine?: number;
}

/** The Nu HTML Checker over each page's HTML, run once with the machine's Java; messages by page name. */
export async function vnuMessages(pages: Record<string, string>): Promise<Record<string, VnuMessage[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mediehus-bench-vnu-'));
  try {
    const files = Object.entries(pages).map(([name, html]) => {
      const file = path.join(dir, `${name}.html`);
      fs.writeFileSync(file, html);
      return file;
    });
    // vnu exits with 1 when it finds errors; the JSON is what counts.
    const { stdout } = await promisify(execFile)('java', ['-jar', VNU, '--format', 'json', '--stdout', '--exit-zero-always', ...files], { maxBuffer: 64 * 1024 * 1024 });
    const { messages } = JSON.parse(stdout) as { messages: (VnuMessage & { url?: string })[] };
    const byPage: Record<string, VnuMessage[]> = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
    for (const m of messages) {
      const name = m.url ? path.basename(decodeURIComponent(new URL(m.url).pathname), '.html') : '';
      (byPage[name] ??= []).push({ type: m.type, subType: m.subType, message: m.message, extract: m.extract, lastLine: m.lastLine });
    }
    return byPage;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
