// With JavaScript on, the server-rendered page hydrates: log-in, navigation and the
// contact form work in place, without reloading the page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

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

// A value on `window` survives client-side navigation and dies with a reload.
const markPage = (page) => page.evaluate(() => { window.__sameDocument = true; });
const stillSamePage = (page) => page.evaluate(() => window.__sameDocument === true);

test('the page hydrates and logging in navigates without a reload', async () => {
  const { page } = browser;
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${server.url}/login`);
  await hydrated(page);
  await markPage(page);
  await page.fill('#username', 'agent.borgerhout');
  await page.fill('#password', 'wrong password');
  await page.click('main button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=login-error]')?.textContent.length > 0);
  assert.equal(await page.textContent('[data-testid=login-error]'), 'Gebruikersnaam of wachtwoord klopt niet.');

  await page.fill('#password', DEMO_PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Jouw dienst');
  assert.ok(await stillSamePage(page), 'logged in without a page reload');
  assert.match(await page.textContent('[data-testid=whoami]'), /Wijkagent/);
  assert.deepEqual(errors, []);
});

test('the contact form validates, saves and lists in place', async () => {
  const { page } = browser;
  await page.click('nav a[href="/contacts"]');
  await page.waitForSelector('.entry-form');
  await markPage(page);

  await page.fill('#field-note', 'Fietsers');
  assert.equal(await page.textContent('[data-testid=note-counter]'), '8 / 1000', 'typing updates the counter');

  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/save_contact')),
    page.click('.entry-form button[type=submit]'),
  ]);
  assert.equal(refused.status(), 422);
  await page.waitForSelector('#field-kind-error:not(:empty)');
  assert.equal(await page.textContent('#field-mobility-error'), 'Dit veld is verplicht.');
  assert.equal(await page.textContent('#field-neighbourhood_id-error'), '');

  const note = `Met JavaScript ${Date.now()}`;
  await page.click('label[for=mobility-on_foot]');
  await page.selectOption('#field-kind', 'mediation');
  await page.selectOption('#field-reason', 'neighbour_dispute');
  await page.selectOption('#field-outcome', 'resolved_on_the_spot');
  await page.fill('#field-note', note);
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/save_contact')),
    page.click('.entry-form button[type=submit]'),
  ]);
  assert.equal(saved.status(), 200);
  await page.waitForFunction((n) => document.querySelector('[data-testid=contact-list]')?.textContent.includes(n), note);
  assert.equal(await page.textContent('[data-testid=form-success]'), 'Contact opgeslagen.');
  assert.ok(await stillSamePage(page), 'saved without a page reload');
});

test('choosing English translates the page and is remembered', async () => {
  const { page } = browser;
  await page.click('.languages a[hreflang=en]');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await hydrated(page);
  assert.equal(await page.textContent('h1'), 'Street contacts');
  await page.goto(`${server.url}/`);
  assert.equal(await page.textContent('h1'), 'Your shift');
});
