// WCAG 2.1 AA, as far as a machine can tell: axe-core in Chromium on every main page,
// on a 360 px phone screen, for the public and for each role. Any violation fails.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { launch } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function violations(page) {
  // Evaluated by the test driver: an injected <script> tag is (rightly) refused by the
  // page's Content-Security-Policy.
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

async function check(path) {
  const { page } = browser;
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  assert.deepEqual(await violations(page), [], `accessibility of ${path}`);
}

async function logIn(username) {
  const { page, context } = browser;
  await context.clearCookies();
  await page.goto(`${server.url}/login`);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForSelector('[data-testid=whoami]');
}

test('public pages', async () => {
  for (const path of ['/', '/login', '/no/such/page']) await check(path);
});

test('an officer\'s pages, including a form showing its errors', async () => {
  await logIn('agent.borgerhout');
  for (const path of ['/', '/signals', '/contacts']) await check(path);
  const { page } = browser;
  await page.click('.entry-form button[type=submit]');
  await page.waitForSelector('#field-kind-error:not(:empty)');
  assert.deepEqual(await violations(page), [], 'the contact form with errors shown');
});

test('a team lead\'s, a partner\'s and an admin\'s pages', async () => {
  await logIn('teamleider.borgerhout');
  await check('/team');
  await logIn('partner.jeugdwerk');
  for (const path of ['/', '/signals', '/access-log', '/contacts']) await check(path);
  await logIn('beheerder');
  await check('/admin');
});
