// What a browser makes of the security headers: no page of any role breaks the
// Content-Security-Policy (every inline script carries the nonce, nothing else runs),
// and the pages the service worker keeps for offline use belong to one person and are
// fetched once, not on every page load (each fetch writes the access log).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { controlled, hydrated, launch } from '../support/browser.mjs';
import { logIn } from '../support/field.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// Collects every CSP violation a page reports, from the first script on.
async function watchPolicy(context) {
  const refused = [];
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy|Permissions-Policy/i.test(text)) refused.push(text);
  });
  return refused;
}

async function violations(page) {
  return page.evaluate(() => window.__violations ?? []);
}

for (const [username, pages] of [
  [null, ['/', '/login', '/password/no-such-link', '/no/such/page']],
  ['agent.borgerhout', ['/', '/contacts', '/signals', '/outbox', '/no/such/page']],
  ['teamleider.borgerhout', ['/', '/contacts', '/signals', '/team', '/outbox']],
  ['interventie.antwerpen', ['/', '/contacts', '/signals']],
  ['partner.jeugdwerk', ['/', '/signals', '/access-log']],
  ['stad.netheid', ['/', '/signals']],
  ['beheerder', ['/', '/admin']],
]) {
  test(`${username ?? 'a visitor'}: no page breaks the Content-Security-Policy`, async () => {
    const phone = await launch();
    const { page, context } = phone;
    try {
      const refused = await watchPolicy(context);
      if (username) await logIn(page, username, server.url);
      for (const path of pages) {
        const response = await page.goto(`${server.url}${path}`);
        assert.match(response.headers()['content-security-policy'] ?? '', /'nonce-[^']+'/, path);
        // Hydrating needs the nonced boot script and the WASM ('wasm-unsafe-eval').
        await hydrated(page);
        assert.deepEqual(await violations(page), [], `${path}: ${refused.join('\n')}`);
      }
      assert.deepEqual(refused, [], 'no refusal in the console');
    } finally {
      await phone.close();
    }
  });
}

test('an injected inline script does not run', async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await watchPolicy(context);
    await page.goto(`${server.url}/`);
    await hydrated(page);
    const ran = await page.evaluate(() => new Promise((resolve) => {
      window.__injected = false;
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.body.append(script);
      setTimeout(() => resolve(window.__injected), 200);
    }));
    assert.equal(ran, false, 'the policy stopped a script without the nonce');
    assert.ok((await violations(page)).some((v) => v.startsWith('script-src')), 'and the browser reported it');
  } finally {
    await phone.close();
  }
});

// The team's access log, as its lead reads it through the API.
async function accessLog() {
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'teamleider.borgerhout', password: DEMO_PASSWORD }),
    redirect: 'manual',
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const log = await fetch(`${server.url}/api/v1/access-log?limit=1000`, { headers: { cookie } });
  return log.json();
}

const countBy = (log, reader, purpose) => log.filter((e) => e.reader_id === reader && e.purpose === purpose).length;

// The person the page is logged in as.
async function me(page) {
  return (await (await page.request.get(`${server.url}/api/v1/me`)).json()).id;
}

// Waits until the worker keeps `paths` for `person`, and only for them.
async function kept(page, person, paths = ['/contacts', '/signals']) {
  await page.waitForFunction(async ({ person, paths }) => {
    const names = (await caches.keys()).filter((n) => n.startsWith('wijkpost-pages-'));
    if (names.length !== 1 || !names[0].endsWith(person)) return false;
    const cache = await caches.open(names[0]);
    return (await Promise.all(paths.map((p) => cache.match(p)))).every(Boolean);
  }, { person, paths }, { timeout: 30_000 });
}

test('page loads do not copy the field pages again: the access log gets one offline copy', async () => {
  const phone = await launch();
  const { page } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await controlled(page);
    const person = await me(page);
    await kept(page, person);
    // Every page load asks the worker to keep the pages; it has them already.
    await page.waitForTimeout(1000);
    const first = await accessLog();
    const copies = countBy(first, person, 'offline_copy');
    assert.ok(copies > 0, 'keeping the pages is logged, as an offline copy');
    for (const path of ['/', '/outbox', '/', '/outbox', '/']) {
      await page.goto(`${server.url}${path}`);
      await hydrated(page);
    }
    await page.waitForTimeout(2000);
    const later = await accessLog();
    assert.equal(countBy(later, person, 'offline_copy'), copies, 'no new copy per page load');
    for (const screen of ['contacts_page', 'signals_page']) {
      assert.equal(countBy(later, person, screen), countBy(first, person, screen), `nobody opened ${screen}`);
    }
  } finally {
    await phone.close();
  }
});

test("another person logging in on the phone does not get the first one's kept pages", async () => {
  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await controlled(page);
    const first = await me(page);
    await kept(page, first);
    const firstName = (await page.textContent('[data-testid=whoami]')).trim();

    // Without logging out first: the log-in page, the other person's name and password.
    // A partner: the police pages are refused to them, so nothing of theirs replaces
    // the officer's copies — those must go by themselves.
    await page.goto(`${server.url}/login`);
    await hydrated(page);
    await page.fill('#username', 'partner.jeugdwerk');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForFunction((name) => {
      const whoami = document.querySelector('[data-testid=whoami]')?.textContent.trim();
      return whoami && whoami !== name;
    }, firstName);
    const second = await me(page);
    assert.notEqual(second, first);
    await kept(page, second, ['/', '/signals']);

    await context.setOffline(true);
    for (const path of ['/contacts', '/signals', '/']) {
      await page.goto(`${server.url}${path}`);
      const whoami = await page.locator('[data-testid=whoami]').textContent({ timeout: 5000 }).catch(() => '');
      assert.ok(!whoami.includes(firstName), `${path} offline shows ${whoami}, not ${firstName}`);
      assert.equal(await page.$('[data-testid=contact-list]'), null, `${path} offline shows no police contact`);
    }
    await context.setOffline(false);

    // Logging out forgets the kept pages: offline, nothing of anyone's is shown.
    await page.goto(`${server.url}/`);
    await hydrated(page);
    await page.evaluate(() => fetch('/api/logout', { method: 'POST' }));
    await page.goto(`${server.url}/`);
    await hydrated(page);
    await page.waitForFunction(async () => (await caches.keys()).every((n) => !n.startsWith('wijkpost-pages-')), null, { timeout: 30_000 });
  } finally {
    await phone.close();
  }
});
