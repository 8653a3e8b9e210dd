// Debian's Chromium through playwright-core (npx playwright install cannot download here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A fresh profile on a 360 px phone screen, Dutch-speaking unless told otherwise.
export async function launch({ javaScriptEnabled = true, locale = 'nl-BE' } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'wijkpost-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    javaScriptEnabled,
    locale,
    // The city's own time zone, as on its officers' phones: the forms' local times are
    // read in it, and the server writes "now" in it.
    timezoneId: 'Europe/Brussels',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Waits until the WASM has taken over the server-rendered page.
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}
