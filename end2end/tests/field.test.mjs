// In the field: a new release offered (never forced), the end-of-shift check at
// log-out, GPS accuracy, a partner's signal form, the team lead's review of what was
// synced (and a conflict settled), one page holding the queue, and "is it one of these?".
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import {
  fillSignal, firstOption, getJson, logContact, logIn, pendingText, readyForTheField, signalSaved, waitForAllSent,
  waitForRoundDone,
} from '../support/field.mjs';
import { ROOT, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// A spot on the Turnhoutsebaan, where every phone of these tests stands.
const SPOT = { latitude: 51.2135, longitude: 4.4375 };











// A port free just now: listen on port 0, note the port, close.
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function cacheNames(page) {
  return page.evaluate(async () => (await caches.keys()).sort());
}

test('a new release is offered, not forced, and taken on the person\'s say-so', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wijkpost-update-'));
  const site = path.join(dir, 'site');
  cpSync(path.join(ROOT, 'target/site'), site, { recursive: true });
  const oldVersion = readFileSync(path.join(site, 'pkg/version.txt'), 'utf8').trim();
  const newVersion = `${oldVersion.slice(0, 8)}new${randomUUID().slice(0, 5)}`;
  const port = await freePort();
  const options = { port, siteRoot: site, database: path.join(dir, 'db') };
  let first = await startServer(options);
  let second;
  const phone = await launch();
  const { page } = phone;
  try {
    await logIn(page, 'agent.borgerhout', first.url);
    await readyForTheField(page, { url: first.url });
    assert.ok((await cacheNames(page)).includes(`wijkpost-shell-${oldVersion}`), 'the old release is kept');

    // The release: same address, same data, a new bundle version.
    await first.stop();
    first = null;
    writeFileSync(path.join(site, 'pkg/version.txt'), `${newVersion}\n`);
    second = await startServer(options);
    assert.equal(second.url, `http://127.0.0.1:${port}`);

    await page.reload();
    await hydrated(page);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.waitForSelector('[data-testid=update-offer]', { timeout: 30_000 });
    // Offered only: the old worker still controls the page, the new one waits.
    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return {
        waiting: registration.waiting?.state ?? null,
        controllerIsActive: registration.active === navigator.serviceWorker.controller,
        notReloaded: window.notReloaded === true,
      };
    });
    assert.deepEqual(state, { waiting: 'installed', controllerIsActive: true, notReloaded: true });
    const before = await cacheNames(page);
    assert.ok(before.includes(`wijkpost-shell-${oldVersion}`), `the old release still runs: ${before}`);
    assert.ok(before.some((n) => n.startsWith(`wijkpost-pages-${oldVersion}-`)), `its offline pages too: ${before}`);
    // (The waiting worker has already kept the new release: it installed in the background.)
    assert.ok(before.includes(`wijkpost-shell-${newVersion}`), `the new release is ready: ${before}`);

    await Promise.all([
      page.waitForEvent('framenavigated', { timeout: 15_000 }),
      page.click('[data-testid=update-offer] button'),
    ]);
    await hydrated(page);
    assert.equal(await page.evaluate(() => window.notReloaded), undefined, 'the page reloaded');
    const shells = (await cacheNames(page)).filter((n) => n.startsWith('wijkpost-shell-'));
    assert.deepEqual(shells, [`wijkpost-shell-${newVersion}`], 'the new release runs; the old one is gone');
    assert.equal(await page.$('[data-testid=update-offer]'), null, 'nothing left to offer');
  } finally {
    await phone.close();
    await first?.stop();
    await second?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('log-out with unsent entries asks first; with everything sent it does not', async () => {
  const phone = await launch();
  const { page, context } = phone;
  const dialogs = [];
  let answer = 'dismiss';
  page.on('dialog', async (dialog) => {
    dialogs.push({ type: dialog.type(), message: dialog.message() });
    await (answer === 'dismiss' ? dialog.dismiss() : dialog.accept());
  });
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await readyForTheField(page, { url: server.url });
    await context.setOffline(true);
    const note = `end of shift ${randomUUID().slice(0, 8)}`;
    await logContact(page, note);
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-count]').textContent.includes('1 niet verzonden'));

    await page.click('[data-testid=log-out]');
    assert.equal(dialogs.length, 1, JSON.stringify(dialogs));
    assert.equal(dialogs[0].type, 'confirm');
    assert.match(dialogs[0].message, /^1 items? (is|zijn) nog niet verzonden/);
    // "No": still logged in, the entry still waits.
    assert.ok(await page.$('[data-testid=whoami]'), 'still logged in');
    assert.match(await pendingText(page), /1 niet verzonden/);
    await page.reload();
    await hydrated(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-count]')?.textContent.includes('1 niet verzonden'));
    assert.ok(await page.$('[data-testid=whoami]'), 'still logged in after a reload');

    await context.setOffline(false);
    await waitForAllSent(page);
    answer = 'accept';
    await page.click('[data-testid=log-out]');
    await page.waitForFunction(() => document.querySelector('[data-testid=whoami]') === null);
    assert.equal(dialogs.length, 1, `no question with everything sent: ${JSON.stringify(dialogs)}`);
    const me = await page.request.get(`${server.url}/api/v1/me`);
    assert.equal(me.status(), 401, 'logged out on the server too');
  } finally {
    await phone.close();
  }
});

test('GPS accuracy is shown, with a warning when it is poor', async () => {
  const phone = await launch({
    contextOptions: { geolocation: { ...SPOT, accuracy: 120 }, permissions: ['geolocation'] },
  });
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await page.goto(`${server.url}/signals`);
    await hydrated(page);
    const form = '[data-testid=signal-form]';
    await page.click(`${form} [data-testid=use-gps]`);
    await page.waitForSelector(`${form} [data-testid=gps-accuracy]`);
    assert.match(await page.textContent(`${form} [data-testid=gps-accuracy]`), /\b120 m\b/);
    assert.ok(await page.isVisible(`${form} [data-testid=gps-imprecise]`), 'a warning at 120 m');
    assert.equal(await page.inputValue(`${form} input[name=accuracy_m]`), '120');
    assert.equal(Number(await page.inputValue(`${form} input[name=lat]`)), SPOT.latitude);

    await context.setGeolocation({ ...SPOT, accuracy: 8 });
    await page.reload();
    await hydrated(page);
    await page.click(`${form} [data-testid=use-gps]`);
    await page.waitForSelector(`${form} [data-testid=gps-accuracy]`);
    assert.match(await page.textContent(`${form} [data-testid=gps-accuracy]`), /\b8 m\b/);
    assert.equal(await page.$(`${form} [data-testid=gps-imprecise]`), null, 'no warning at 8 m');
  } finally {
    await phone.close();
  }
});

test('a partner\'s signal form asks nothing about people, and works offline', async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'partner.jeugdwerk', server.url);
    await readyForTheField(page, { url: server.url, pages: ['/signals'] });
    const names = await page.$$eval('[data-testid=signal-form]', (forms) => forms.map((f) =>
      [...new Set([...f.elements].map((e) => e.name).filter(Boolean))].sort()));
    assert.deepEqual(names, [[
      'accuracy_m', 'category', 'description', 'lat', 'lon', 'neighbourhood_id', 'photo', 'street', 'urgency',
    ]], 'one signal form, with no field about a person');
    assert.equal(await page.$('[data-testid=contact-form]'), null, 'no contact form for a partner');

    await context.setOffline(true);
    await page.reload();
    await hydrated(page);
    const description = `partner offline ${randomUUID().slice(0, 8)}: kapotte straatverlichting`;
    await fillSignal(page, description, { category: await firstOption(page, 'category') });
    await signalSaved(page);
    assert.match(await pendingText(page), /1 niet verzonden/);

    await context.setOffline(false);
    await waitForAllSent(page);
    const signals = await getJson(page, '/api/v1/signals', server.url);
    assert.equal(signals.filter((s) => s.description === description).length, 1, 'on the server exactly once');
  } finally {
    await phone.close();
  }
});

// A phone of agent.borgerhout, registered through the API with the officer's session.
async function registerDevice(page, label) {
  const reply = await page.request.post(`${server.url}/api/v1/devices`, {
    data: { label }, headers: { origin: server.url },
  });
  assert.equal(reply.status(), 201, await reply.text());
  return reply.json();
}

async function push(page, device, mutations) {
  const reply = await page.request.post(`${server.url}/api/v1/sync/push`, {
    data: { protocol: 1, device_id: device.device_id, mutations },
    headers: { authorization: `Device ${device.credential}`, origin: server.url },
  });
  assert.equal(reply.status(), 200, await reply.text());
  return (await reply.json()).receipts;
}

// A signal's current version, from the sync feed (the list does not carry it).
async function signalVersion(page, device, id) {
  let cursor = '';
  for (;;) {
    const reply = await page.request.get(`${server.url}/api/v1/sync/pull?limit=500&cursor=${cursor}`, {
      headers: { authorization: `Device ${device.credential}` },
    });
    assert.equal(reply.status(), 200, await reply.text());
    const feed = await reply.json();
    const found = feed.changes.filter((c) => c.id === id).at(-1);
    if (found) return found.version;
    if (!feed.more) throw new Error(`signal ${id} not in the feed`);
    cursor = feed.cursor;
  }
}

test('the team lead sees what a phone synced, and settles a conflict', async () => {
  const officer = await launch();
  const lead = await launch();
  try {
    await logIn(officer.page, 'agent.borgerhout', server.url);
    await readyForTheField(officer.page, { url: server.url });
    const note = `team review ${randomUUID().slice(0, 8)}`;
    await logContact(officer.page, note);
    await waitForAllSent(officer.page);
    const [contact] = (await getJson(officer.page, '/api/v1/contacts', server.url)).filter((c) => c.note === note);
    assert.ok(contact, 'the contact is on the server');
    const { device_id: deviceId } = JSON.parse(await officer.page.evaluate(() => localStorage.getItem('wijkpost.device')));
    const devices = await getJson(officer.page, '/api/v1/devices', server.url);
    const phoneLabel = devices.find((d) => d.id === deviceId)?.label;
    assert.ok(phoneLabel, `this phone is registered: ${JSON.stringify(devices)}`);

    await logIn(lead.page, 'teamleider.borgerhout', server.url);
    await lead.page.goto(`${server.url}/team`);
    await hydrated(lead.page);
    const row = lead.page.locator(`[data-testid=synced] li[data-record="${contact.id}"]`);
    const text = (await row.textContent()).replace(/\s+/g, ' ');
    assert.match(text, /Gesprek|Conversation/i, text);
    assert.ok(text.includes('Yassine El Amrani'), `the author: ${text}`);
    assert.ok(text.includes(`Toestel: ${phoneLabel}`), `the device (${phoneLabel}): ${text}`);
    assert.match(text, /Gelogd \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d · Ontvangen \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d/, text);

    // Two phones of the officer change the same signal from the same version, offline.
    const signals = await getJson(officer.page, '/api/v1/signals', server.url);
    const me = await getJson(officer.page, '/api/v1/me', server.url);
    const signal = signals.find((s) => s.team_id === me.team_id && s.status === 'open');
    assert.ok(signal, 'an open signal of Borgerhout');
    const [a, b] = [await registerDevice(officer.page, 'Fiets-gsm'), await registerDevice(officer.page, 'Reserve-gsm')];
    const base = await signalVersion(officer.page, a, signal.id);
    const edit = (device, status) => ({
      id: randomUUID(), device_id: device.device_id, seq: 1, created_at: new Date(Date.now() - 600_000).toISOString(),
      body: { op: 'edit_signal', signal_id: signal.id, base_version: base, status },
    });
    const first = edit(a, 'in_progress');
    const second = edit(b, 'resolved');
    assert.equal((await push(officer.page, a, [first]))[0].outcome.outcome, 'applied');
    assert.equal((await push(officer.page, b, [second]))[0].outcome.outcome, 'conflict');

    await lead.page.reload();
    await hydrated(lead.page);
    const conflict = lead.page.locator(`[data-testid=conflicts] li[data-conflict="${second.id}"]`);
    const about = (await conflict.textContent()).replace(/\s+/g, ' ');
    assert.ok(about.includes('Reserve-gsm') && about.includes('Yassine El Amrani'), about);
    // The card names the signal as the officer's list does: category, place, date.
    await officer.page.goto(`${server.url}/signals`);
    await hydrated(officer.page);
    const listed = officer.page.locator(`[data-testid=signal-list] li[data-id="${signal.id}"]`);
    const category = (await listed.locator('.record-title').textContent()).split(' · ')[0].trim();
    const place = (await listed.locator('[data-testid=signal-place]').textContent()).trim();
    const when = (await listed.locator('.record-head time').textContent()).trim();
    const named = (await conflict.locator('[data-testid=conflict-signal]').textContent()).replace(/\s+/g, ' ');
    for (const part of [category, place, when]) assert.ok(part && named.includes(part), `"${part}" in "${named}"`);
    await conflict.getByRole('button', { name: 'Aanpassing van de telefoon toepassen' }).click();
    await lead.page.waitForFunction(
      (id) => document.querySelector(`[data-testid=conflicts] li[data-conflict="${id}"]`) === null,
      second.id,
    );
    const after = await getJson(officer.page, `/api/v1/signals/${signal.id}`, server.url);
    assert.equal(after.status, 'resolved', 'the phone\'s edit was applied');
  } finally {
    await officer.close();
    await lead.close();
  }
});

test('one page holds the queue; the next takes over when it closes', async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await page.goto(`${server.url}/contacts`);
    await hydrated(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-status]')?.textContent.startsWith('Bijgewerkt'));

    const second = await context.newPage();
    await second.goto(`${server.url}/contacts`);
    await hydrated(second);
    await second.waitForFunction(() => {
      const bar = document.querySelector('[data-testid=sync-bar]');
      return bar?.dataset.state === 'error'
        && bar.querySelector('[data-testid=sync-status]').textContent.includes('al open in een ander venster');
    }, null, { timeout: 10_000 }).catch(async (error) => {
      const bar = await second.$eval('[data-testid=sync-bar]', (b) => `${b.dataset.state}: ${b.textContent}`).catch(String);
      const first = await page.$eval('[data-testid=sync-bar]', (b) => `${b.dataset.state}: ${b.textContent}`).catch(String);
      throw new Error(`second page: ${bar}\nfirst page: ${first}\n${error.message}`);
    });
    // The first page is not disturbed.
    assert.equal(await page.getAttribute('[data-testid=sync-bar]', 'data-state'), 'ok');

    await page.close();
    await second.waitForFunction(() => {
      const bar = document.querySelector('[data-testid=sync-bar]');
      return bar?.dataset.state !== 'error'
        && !bar.querySelector('[data-testid=sync-status]').textContent.includes('al open in een ander venster');
    }, null, { timeout: 5_000 });
    const note = `after take-over ${randomUUID().slice(0, 8)}`;
    await logContact(second, note);
    await waitForAllSent(second);
    const contacts = await getJson(second, '/api/v1/contacts', server.url);
    assert.equal(contacts.filter((c) => c.note === note).length, 1, 'the second page now sends');
  } finally {
    await phone.close();
  }
});

test('a signal next to an open one of the same kind asks "is it one of these?"', async () => {
  const phone = await launch({
    contextOptions: { geolocation: { latitude: 51.2161, longitude: 4.4412, accuracy: 10 }, permissions: ['geolocation'] },
  });
  const { page } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await readyForTheField(page, { url: server.url, pages: ['/signals'] });
    const run = randomUUID().slice(0, 8);
    const [firstText, secondText, thirdText] = ['one', 'two', 'three'].map((n) => `sluikstort ${run} ${n}`);
    await fillSignal(page, firstText, { gps: true });
    await signalSaved(page);
    await waitForRoundDone(page);
    await page.reload();
    await hydrated(page);
    await waitForRoundDone(page);

    await fillSignal(page, secondText, { gps: true });
    await page.waitForSelector('[data-testid=duplicates]');
    const offered = await page.$$eval('[data-testid=duplicates] li', (items) => items.map((li) => li.textContent));
    assert.ok(offered.some((t) => t.includes(firstText)), `the first one is offered: ${offered}`);
    await page.click('[data-testid=duplicate-new]');
    await signalSaved(page);
    await waitForRoundDone(page);

    await fillSignal(page, thirdText, { gps: true });
    await page.waitForSelector('[data-testid=duplicates]');
    const offeredAgain = await page.$$eval('[data-testid=duplicates] li', (items) => items.map((li) => li.textContent));
    assert.ok(offeredAgain.some((t) => t.includes(firstText)), `${offeredAgain}`);
    assert.ok(offeredAgain.some((t) => t.includes(secondText)), `the second one too: ${offeredAgain}`);
    await page.click('[data-testid=duplicate-same]');
    await page.waitForSelector('[data-testid=duplicates]', { state: 'detached' });
    await page.waitForFunction(() => document.querySelector('[data-testid=signal-form-success]')?.textContent !== '');
    const said = await page.textContent('[data-testid=signal-form-success]');
    assert.match(said, /bestaande signaal/, said);
    assert.equal(await page.inputValue('textarea[name=description]'), '', 'the form is empty again');
    await waitForRoundDone(page);

    const signals = await getJson(page, '/api/v1/signals', server.url);
    const ours = (text) => signals.filter((s) => s.description === text);
    assert.equal(ours(firstText).length, 1);
    assert.equal(ours(secondText).length, 1, '"something else" files it anyway');
    // "The same" files the observation as another report linked to the one chosen
    // (the first offered is the nearest), not as an independent signal.
    const third = ours(thirdText);
    assert.equal(third.length, 1, 'the report is kept, not dropped');
    assert.ok([ours(firstText)[0].id, ours(secondText)[0].id].includes(third[0].duplicate_of), JSON.stringify(third[0]));
    const linkedTo = signals.find((s) => s.id === third[0].duplicate_of);
    assert.equal(linkedTo.linked_reports, 1, `the chosen signal counts the report: ${JSON.stringify(linkedTo)}`);
  } finally {
    await phone.close();
  }
});
