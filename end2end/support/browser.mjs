// Debian's Chromium through playwright-core (npx playwright install cannot download here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A 360 px phone screen with touch, in the city's own time zone, as on its officers'
// phones: the forms' local times are read in it, and the server writes "now" in it.
const PHONE = {
  timezoneId: 'Europe/Brussels',
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
};

// A fresh profile on a 360 px phone screen, Dutch-speaking unless told otherwise.
// `contextOptions`: more of Playwright's context options (e.g. `geolocation` and
// `permissions`), laid over these defaults.
export async function launch({ javaScriptEnabled = true, locale = 'nl-BE', contextOptions = {} } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), 'wijkpost-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    javaScriptEnabled,
    locale,
    ...PHONE,
    ...contextOptions,
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

// One browser for many phones: `phone(browser)` opens a fresh context (its own cookies,
// cache and storage, like another phone) on it. For tests that load many pages and
// would otherwise start a browser per phone.
export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ARGS });
}

export async function phone(browser, { locale = 'nl-BE', contextOptions = {} } = {}) {
  return browser.newContext({ locale, ...PHONE, ...contextOptions });
}

// Waits until the WASM has taken over the server-rendered page.
export async function hydrated(page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

// Waits until the service worker controls the page. A page loaded before the worker
// was active is taken over by `clients.claim()`; should that not reach it (a busy
// machine), a reload does.
export async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const now = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!now) {
    await page.reload();
    await hydrated(page);
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}
