// Debian's chromium driven by playwright-core (no browser download), headless, with
// a fresh profile folder per run.
import * as fs from 'fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Flags known to work on these machines. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
}

export async function launchBrowser(executablePath: string, profileDir: string): Promise<Browser> {
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  // Playwright refuses --user-data-dir in args: the profile is the first argument.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
