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

test('the contact form checks on the phone, saves on the phone and sends', async () => {
  const { page } = browser;
  await page.click('nav a[href="/contacts"]');
  await page.waitForSelector('.entry-form');
  await hydrated(page);
  await markPage(page);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(new URL(r.url()).pathname); });

  await page.fill('#field-note', 'Fietsers');
  assert.equal(await page.textContent('[data-testid=note-counter]'), '8 / 1000', 'typing updates the counter');

  // The server's own rules run on the phone: the refusal needs no network.
  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  await page.click('.entry-form button[type=submit]');
  await page.waitForSelector('#field-kind-error:not(:empty)');
  assert.equal(await page.textContent('#field-mobility-error'), 'Dit veld is verplicht.');
  assert.equal(await page.textContent('#field-neighbourhood_id-error'), '');
  assert.deepEqual(posts, [], 'nothing was sent for a refused entry');

  const note = `Met JavaScript ${Date.now()}`;
  await page.click('label[for=mobility-on_foot]');
  await page.click('label[for=kind-mediation]');
  await page.click('label[for=reason-neighbour_dispute]');
  await page.click('label[for=outcome-resolved_on_the_spot]');
  await page.fill('#field-note', note);
  await page.click('.entry-form button[type=submit]');
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('[data-testid=unsent-list] li')].some((li) => li.textContent.includes(n)),
    note,
  );
  assert.match(await page.textContent('[data-testid=form-success]'), /Opgeslagen op dit toestel/);
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('[data-testid=unsent-list] li[data-state=sent]')].some((li) => li.textContent.includes(n)),
    note,
  );
  assert.ok(posts.includes('/api/v1/sync/push'), `sent by the sync engine: ${posts}`);
  assert.ok(!posts.includes('/api/save_contact'), 'not by the plain form post');
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
