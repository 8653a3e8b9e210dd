// A phone that logs in gets a device identity; the team lead sees it and can revoke it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch } from '../support/browser.mjs';
import { logIn } from '../support/field.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('logging in registers the phone, and the team lead can revoke it', async () => {
  const officer = await launch();
  const lead = await launch({ javaScriptEnabled: false });
  try {
    await logIn(officer.page, 'agent.borgerhout', server.url);
    const grant = await officer.page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
    const { device_id: deviceId, credential } = JSON.parse(await grant.jsonValue());
    assert.match(credential, new RegExp(`^${deviceId}\\.[0-9a-f]{64}$`));

    await lead.page.goto(`${server.url}/login`);
    await lead.page.fill('#username', 'teamleider.borgerhout');
    await lead.page.fill('#password', DEMO_PASSWORD);
    await Promise.all([lead.page.waitForURL(`${server.url}/`), lead.page.click('main button[type=submit]')]);
    await lead.page.goto(`${server.url}/team/phones`);
    const item = `[data-device="${deviceId}"]`;
    assert.match(await lead.page.textContent(item), /Linux · Chrome · Yassine El Amrani/);
    await lead.page.click(`${item} summary`);
    await Promise.all([lead.page.waitForNavigation(), lead.page.click(`${item} button`)]);
    assert.match(await lead.page.textContent(item), /Ingetrokken/);

    // Logging out forgets the credential on the phone.
    await officer.page.click('header button[type=submit]');
    await officer.page.waitForFunction(() => localStorage.getItem('wijkpost.device') === null);
  } finally {
    await officer.close();
    await lead.close();
  }
});
