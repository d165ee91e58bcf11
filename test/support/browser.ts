/**
 * Opens a page in Debian's headless chromium through playwright-core (no browser download: the executable is the
 * system's). Collects console errors, failed loads and every request that is not the page itself.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env['CTQ_CHROMIUM'] ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Test titles say what is missing when they skip. */
export const NEEDS_CHROMIUM = HAS_CHROMIUM ? '' : ` (skipped: no chromium at ${CHROMIUM}; apt-get install chromium)`;

export interface OpenedPage {
  readonly consoleErrors: readonly string[];
  readonly otherRequests: readonly string[];
  /** Runs a function in the page and returns its (serialisable) result. */
  evaluate<T>(fn: () => T): Promise<T>;
  screenshot(path: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openInChromium(file: string): Promise<OpenedPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const otherRequests: string[] = [];
  const url = `file://${file}`;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== url) otherRequests.push(request.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return {
    consoleErrors,
    otherRequests,
    evaluate: (fn) => page.evaluate(fn),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    close: () => browser.close(),
  };
}
