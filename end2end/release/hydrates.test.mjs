// The optimised bundle (what scripts/run.sh serves) brings every page alive: wasm-opt
// has broken hydration of a single page before while the debug bundle was fine.
// Run by scripts/test.sh with WIJKPOST_SITE_ROOT pointing at the release site.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { logIn } from '../support/field.mjs';
import { startServer } from '../support/server.mjs';

const PAGES = {
  'agent.borgerhout': ['/', '/contacts', '/signals', '/outbox'],
  'teamleider.borgerhout': ['/team', '/contacts', '/signals', '/outbox'],
  'partner.jeugdwerk': ['/signals', '/access-log', '/outbox'],
  beheerder: ['/admin', '/'],
};

let server;
before(async () => {
  const siteRoot = process.env.WIJKPOST_SITE_ROOT;
  assert.ok(siteRoot, 'WIJKPOST_SITE_ROOT names the release site');
  server = await startServer({ env: { WIJKPOST_SITE_ROOT: siteRoot } });
});
after(async () => { await server?.stop(); });

test('public pages hydrate in the release bundle', async () => {
  const phone = await launch();
  const errors = [];
  phone.page.on('pageerror', (e) => errors.push(e.message));
  try {
    for (const path of ['/', '/login', '/no-such-page']) {
      await phone.page.goto(`${server.url}${path}`);
      await hydrated(phone.page);
    }
    assert.deepEqual(errors, []);
  } finally {
    await phone.close();
  }
});

for (const [username, pages] of Object.entries(PAGES)) {
  test(`${username}'s pages hydrate in the release bundle`, async () => {
    const phone = await launch();
    const errors = [];
    phone.page.on('pageerror', (e) => errors.push(`${phone.page.url()}: ${e.message}`));
    try {
      await logIn(phone.page, username, server.url);
      for (const path of pages) {
        await phone.page.goto(`${server.url}${path}`);
        await hydrated(phone.page);
      }
      assert.deepEqual(errors, []);
    } finally {
      await phone.close();
    }
  });
}
