// With JavaScript off the app is still whole: pages render on the server and the
// forms post, fail with a readable message, and save.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch({ javaScriptEnabled: false });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the public page renders on the server, in Dutch, without hydrating', async () => {
  const { page } = browser;
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.textContent('h1'), 'Je wijkagent en de politiekantoren');
  assert.match(await page.textContent('main'), /Bel 101/);
  assert.equal(await page.getAttribute('body', 'data-hydrated'), null, 'no script ran');
});

test('an officer logs in and saves a street contact with a plain form post', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/login`);
  await page.fill('#username', 'agent.borgerhout');
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('main button[type=submit]')]);
  assert.equal(await page.textContent('h1'), 'Jouw dienst');

  await page.goto(`${server.url}/contacts`);
  // Posted with "kind" left empty: the page comes back with the reason, not a 500.
  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  await page.click('label[for=mobility-on_foot]');
  await page.click('label[for=reason-acquaintance]');
  await page.click('label[for=outcome-informed]');
  const [refused] = await Promise.all([
    page.waitForNavigation(),
    page.click('.entry-form button[type=submit]'),
  ]);
  assert.ok(refused.status() < 500, `status ${refused.status()}`);
  assert.equal((await page.textContent('#field-kind-error')).trim(), 'Dit veld is verplicht.');
  assert.match(await page.textContent('[data-testid=form-error]'), /niet opgeslagen/);
  assert.equal(await page.getAttribute('#field-kind', 'aria-invalid'), 'true');

  const note = `Zonder JavaScript ${Date.now()}`;
  await page.goto(`${server.url}/contacts`);
  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  await page.click('label[for=mobility-bike]');
  await page.click('label[for=kind-conversation]');
  await page.click('label[for=reason-acquaintance]');
  await page.click('label[for=outcome-informed]');
  await page.fill('#field-note', note);
  await Promise.all([page.waitForNavigation(), page.click('.entry-form button[type=submit]')]);
  const list = await page.textContent('[data-testid=contact-list]');
  assert.ok(list.includes(note), 'the new contact is listed');
  assert.match(list, /Gesprek · Kennismaking → Geïnformeerd/);
  assert.equal((await page.textContent('[data-testid=form-success]')).trim(), 'Contact opgeslagen op de server.');
});

test('a signal filed with a plain form post: refused with the reason, then saved as a signal', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/signals`);
  const description = `Zonder JavaScript ${Date.now()}: kapotte lamp`;
  // Posted without a category: back with the reason, nothing saved, no "saved".
  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  await page.fill('#field-description', description);
  await Promise.all([page.waitForNavigation(), page.click('.entry-form button[type=submit]')]);
  assert.equal((await page.textContent('#field-category-error')).trim(), 'Dit veld is verplicht.');
  assert.match(await page.textContent('[data-testid=signal-form-error]'), /niet opgeslagen/);
  assert.equal((await page.textContent('[data-testid=signal-form-success]')).trim(), '');

  await page.selectOption('#field-neighbourhood_id', { index: 1 });
  await page.click('label[for=category-lighting]');
  await page.fill('#field-street', 'Kroonstraat');
  await page.fill('#field-description', description);
  const [saved] = await Promise.all([page.waitForNavigation(), page.click('.entry-form button[type=submit]')]);
  assert.ok(saved.status() < 400, `status ${saved.status()}`);
  const said = (await page.textContent('[data-testid=signal-form-success]')).trim();
  assert.equal(said, 'Signaal opgeslagen op de server.');
  assert.doesNotMatch(said, /contact/i, 'a signal is not a contact');
  assert.equal(await page.textContent('[data-testid=signal-form-error]'), '');
  const row = page.locator('[data-testid=signal-list] li', { hasText: description });
  assert.equal(await row.count(), 1, 'the new signal is listed once');
  assert.match(await row.textContent(), /Verlichting/);
  assert.match(await row.locator('[data-testid=signal-place]').textContent(), /Kroonstraat/);
});

test('an unknown address answers 404 with a way back', async () => {
  const { page } = browser;
  const response = await page.goto(`${server.url}/no/such/page`);
  assert.equal(response.status(), 404);
  assert.equal(await page.textContent('h1'), 'Pagina niet gevonden');
  assert.equal(await page.getAttribute('main a.button', 'href'), '/');
});
