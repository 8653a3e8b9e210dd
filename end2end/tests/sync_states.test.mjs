// The phone's harder moments: signed off by the team lead with entries still on it,
// and a signal's status changed in a dead zone.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { getJson, logContact, logIn, pendingText, readyForTheField, waitForAllSent } from '../support/field.mjs';
import { startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('a revoked phone keeps its entries, asks for a new log-in, then sends them once', async () => {
  const officer = await launch();
  const lead = await launch();
  try {
    const { page, context } = officer;
    await logIn(page, 'agent.antwerpen', server.url);
    await readyForTheField(page, { url: server.url });
    const { device_id: deviceId } = JSON.parse(await page.evaluate(() => localStorage.getItem('wijkpost.device')));
    const devices = await getJson(page, '/api/v1/devices', server.url);
    assert.deepEqual(devices.map((d) => d.id), [deviceId], 'one phone, however many pages it loaded');

    await context.setOffline(true);
    const note = `ingetrokken ${randomUUID().slice(0, 8)}`;
    await logContact(page, note);

    await logIn(lead.page, 'teamleider.antwerpen', server.url);
    await lead.page.goto(`${server.url}/team/phones`);
    await hydrated(lead.page);
    // Revoking asks first, naming the phone and its owner: a first tap opens the
    // question, a second says yes.
    await lead.page.click(`[data-device="${deviceId}"] summary`);
    const asked = await lead.page.textContent(`[data-device="${deviceId}"] [data-testid=revoke-question]`);
    assert.match(asked, /^Toestel .+ van .+ intrekken\?/);
    await lead.page.click(`[data-device="${deviceId}"] button`);
    await lead.page.waitForFunction((id) => document.querySelector(`[data-device="${id}"]`)?.textContent.includes('Ingetrokken'), deviceId);

    // Back online: the server refuses the phone; nothing is lost, the person is asked.
    await context.setOffline(false);
    await page.click('[data-testid=sync-bar] button');
    await page.waitForFunction(() => document.querySelector('[data-testid=sync-bar]')?.dataset.state === 'login');
    assert.match(await page.textContent('[data-testid=sync-status]'), /Log opnieuw in/);
    assert.match(await pendingText(page), /1 niet verzonden/);

    // Logging in again (revocation ended the session too) brings the same phone back.
    await logIn(page, 'agent.antwerpen', server.url);
    await waitForAllSent(page);
    const grant = JSON.parse(await page.evaluate(() => localStorage.getItem('wijkpost.device')));
    assert.equal(grant.device_id, deviceId, 'the same device, so its entries kept their numbers');
    const contacts = await getJson(page, '/api/v1/contacts', server.url);
    assert.equal(contacts.filter((c) => c.note === note).length, 1, 'sent exactly once');
  } finally {
    await officer.close();
    await lead.close();
  }
});

test("a signal's status changed offline is sent as an edit of the version the phone saw", async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.hoboken', server.url);
    await readyForTheField(page, { url: server.url, pages: ['/signals'] });
    await waitForAllSent(page);
    const signals = await getJson(page, '/api/v1/signals', server.url);
    // The demo data is drawn anew for every database: any signal not yet in progress.
    const open = signals.find((s) => s.status !== 'in_progress');
    assert.ok(open, `the demo team has a signal to change: ${signals.length}`);

    await context.setOffline(true);
    await page.reload();
    await hydrated(page);
    const item = `[data-testid=signal-list] li[data-id="${open.id}"]`;
    await page.click(`${item} [data-testid=status-change] summary`);
    await page.selectOption(`${item} select`, 'in_progress');
    await page.click(`${item} [data-testid=status-change] button`);
    await page.waitForFunction((sel) => document.querySelector(`${sel} [role=status]`)?.textContent.includes('toestel'), item);
    assert.match(await pendingText(page), /1 niet verzonden/);

    await context.setOffline(false);
    await waitForAllSent(page);
    const after = await getJson(page, `/api/v1/signals/${open.id}`, server.url);
    assert.equal(after.status, 'in_progress');
  } finally {
    await phone.close();
  }
});
