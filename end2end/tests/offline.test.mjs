// Offline capture, end to end: the app opens from the service worker without network,
// entries made in a dead zone are kept and shown as not sent, and once the network is
// back each reaches the server exactly once, photo included. Also: a server that
// fails (even after committing) and recovers, and Chromium's installability check.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { controlled, hydrated, launch } from '../support/browser.mjs';
import { firstOption, logContact, logIn, pendingText, readyForTheField, waitForAllSent } from '../support/field.mjs';
import { startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });





// A 2400×1800 JPEG made by the browser, with an EXIF block (holding a marker that
// stands for a GPS position) spliced in after the start-of-image marker.
async function photoWithExif(page) {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 2400; canvas.height = 1800;
    const g = canvas.getContext('2d');
    g.fillStyle = '#3a7'; g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = '#fff'; g.fillRect(300, 300, 900, 600);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  const jpeg = Buffer.from(bytes);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from('GPS 51.2194N 4.4025E WIJKPOST-SECRET', 'latin1')]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

// Width and height from a JPEG's start-of-frame marker.
function jpegSize(buffer) {
  for (let i = 2; i < buffer.length - 9;) {
    if (buffer[i] !== 0xff) { i += 1; continue; }
    const marker = buffer[i + 1];
    const length = buffer.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return { height: buffer.readUInt16BE(i + 5), width: buffer.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  return null;
}



test('three contacts and a signal with a photo made offline arrive exactly once', async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await readyForTheField(page, { url: server.url });

    await context.setOffline(true);
    await page.reload();
    await hydrated(page);
    assert.equal(await page.title(), 'Wijkpost', 'the page came from the service worker');
    const run = randomUUID().slice(0, 8);
    for (const n of [1, 2, 3]) await logContact(page, `offline ${run} contact ${n}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-count]').textContent.includes('3 niet verzonden'));

    await page.goto(`${server.url}/signals`);
    await hydrated(page);
    const form = '[data-testid=signal-form]';
    await page.selectOption(`${form} select[name=neighbourhood_id]`, await firstOption(page, 'neighbourhood_id'));
    await page.click(`${form} label[for=category-waste]`);
    await page.fill(`${form} textarea[name=description]`, `offline ${run} sluikstort`);
    await page.setInputFiles('#field-photo', { name: 'street.jpg', mimeType: 'image/jpeg', buffer: await photoWithExif(page) });
    await page.click(`${form} button[type=submit]`);
    await page.waitForFunction(() => document.querySelector('[data-testid=signal-form-success]')?.textContent.includes('toestel'));
    assert.match(await pendingText(page), /4 niet verzonden/);
    assert.match(await pendingText(page), /1 foto/);
    const unsent = await page.$$eval('[data-testid=unsent-list] li', (items) => items.length);
    assert.equal(unsent, 1, 'the new signal shows at once in the list, as not sent');

    await context.setOffline(false);
    await waitForAllSent(page);

    const contacts = await (await page.request.get(`${server.url}/api/v1/contacts`)).json();
    for (const n of [1, 2, 3]) {
      const copies = contacts.filter((c) => c.note === `offline ${run} contact ${n}`);
      assert.equal(copies.length, 1, `contact ${n} is on the server exactly once`);
    }
    const signals = await (await page.request.get(`${server.url}/api/v1/signals`)).json();
    const mine = signals.filter((s) => s.description === `offline ${run} sluikstort`);
    assert.equal(mine.length, 1, 'the signal is on the server exactly once');
    assert.equal(mine[0].photo?.complete, true, `its photo arrived: ${JSON.stringify(mine[0].photo)}`);
    const photo = await page.request.get(`${server.url}/api/v1/signals/${mine[0].id}/photo`);
    assert.equal(photo.status(), 200);
    const bytes = await photo.body();
    assert.ok(!bytes.includes(Buffer.from('WIJKPOST-SECRET')), 'no EXIF position left in the photo');
    assert.ok(!bytes.includes(Buffer.from('Exif\0')), 'no EXIF block at all');
    const size = jpegSize(bytes);
    assert.ok(size && Math.max(size.width, size.height) <= 1600, `downscaled: ${JSON.stringify(size)}`);
    assert.equal(size.width, 1600, 'proportions kept');
  } finally {
    await phone.close();
  }
});

test('a server that fails, even after storing, then recovers: everything arrives once', async () => {
  const phone = await launch();
  const { page } = phone;
  try {
    await logIn(page, 'agent.deurne', server.url);
    await readyForTheField(page, { url: server.url });
    let pushes = 0;
    // The first push is stored by the server, but the phone hears 500; the next two
    // fail outright; then the server is healthy again.
    await page.route('**/api/v1/sync/push', async (route) => {
      pushes += 1;
      if (pushes === 1) {
        await route.fetch();
        await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal","message":"boom","status":500}' });
      } else if (pushes <= 3) {
        await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal","message":"boom","status":500}' });
      } else {
        await route.continue();
      }
    });
    const run = randomUUID().slice(0, 8);
    await logContact(page, `flaky ${run} one`);
    await page.waitForFunction(() => document.querySelector('[data-sync-state], [data-testid=sync-bar]')?.dataset.state === 'error');
    await logContact(page, `flaky ${run} two`);
    assert.match(await pendingText(page), /niet verzonden/);
    await waitForAllSent(page);
    assert.ok(pushes >= 4, `the phone kept trying (${pushes} pushes)`);
    await page.unroute('**/api/v1/sync/push');
    const contacts = await (await page.request.get(`${server.url}/api/v1/contacts`)).json();
    for (const which of ['one', 'two']) {
      assert.equal(contacts.filter((c) => c.note === `flaky ${run} ${which}`).length, 1, `"${which}" arrived once`);
    }
  } finally {
    await phone.close();
  }
});

test('Chromium finds the app installable', async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await page.goto(`${server.url}/`);
    await hydrated(page);
    await controlled(page);
    const manifest = await (await page.request.get(`${server.url}/manifest.webmanifest`)).json();
    const sizes = manifest.icons.map((i) => `${i.sizes} ${i.purpose}`);
    assert.deepEqual(sizes, ['192x192 any', '512x512 any', '512x512 maskable']);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
  } finally {
    await phone.close();
  }
});
