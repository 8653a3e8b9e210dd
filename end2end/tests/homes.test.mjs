// The role homes say something (issue 10): each role finds what it needs first on
// one screen, at 360 px. Data is made through the JSON API as the people themselves,
// then read back on the pages.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { getJson, logContact, logIn, readyForTheField } from '../support/field.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// Logging in without JavaScript: a plain form post, back on the home.
async function plainLogIn(page, username) {
  await page.goto(`${server.url}/login`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('main button[type=submit]')]);
}

// A session of `username` for the JSON API, outside any browser.
async function apiAs(username) {
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: DEMO_PASSWORD }),
    redirect: 'manual',
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const call = async (method, path, body) => {
    const reply = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await reply.text();
    assert.ok(reply.status < 300, `${method} ${path}: ${reply.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body), patch: (path, body) => call('PATCH', path, body) };
}

const texts = (page, selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.innerText.replace(/\s+/g, ' ').trim()));

test("an officer's home: the team's day page by page, what waits on the phone, open signals urgent first", async () => {
  const officer = await apiAs('agent.borgerhout');
  const lead = await apiAs('teamleider.borgerhout');
  const [known] = await officer.get('/contacts');
  const contact = (minutesAgo) => ({
    neighbourhood_id: known.neighbourhood_id, occurred_at: new Date(Date.now() - minutesAgo * 6_000).toISOString(),
    mobility: 'bike', kind: 'conversation', reason: 'prevention', outcome: 'informed',
  });
  // 55 of mine and 2 of the team lead's within the last few minutes: more than a page.
  for (let i = 0; i < 55; i += 1) await officer.post('/contacts', contact(i + 1));
  for (const i of [3, 30]) await lead.post('/contacts', contact(i));

  const phone = await launch();
  const { page, context } = phone;
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await page.goto(`${server.url}/`);
    await hydrated(page);
    const first = await page.$$eval('[data-testid=today] li', (lis) => lis.map((li) => ({ id: li.dataset.record, mine: li.dataset.mine, text: li.innerText })));
    assert.equal(first.length, 50, 'one page is 50 entries');
    assert.match(first[0].text, /^\d\d:\d\d · Contact · Gesprek/, first[0].text);
    assert.ok(first.some((e) => e.mine === 'true' && /Yassine El Amrani \(ik\)/.test(e.text)), 'my own, marked');
    assert.ok(first.some((e) => e.mine === 'false' && e.text.includes('Contact')), "the team lead's too");
    assert.match(await page.textContent('[data-testid=today-counts]'), /^50\+ vandaag, waarvan [1-9]\d* van mij$/);

    await Promise.all([page.waitForURL(/\?before=/), page.click('[data-testid=today-more]')]);
    await page.waitForFunction((firstId) => {
      const ids = [...document.querySelectorAll('[data-testid=today] li')].map((li) => li.dataset.record);
      return ids.length > 0 && !ids.includes(firstId);
    }, first[0].id);
    const second = await page.$$eval('[data-testid=today] li', (lis) => lis.map((li) => li.dataset.record));
    assert.ok(second.length >= 7, `the rest of the day: ${second.length}`);
    assert.deepEqual(second.filter((id) => first.some((e) => e.id === id)), [], 'no entry on both pages');

    // Open signals: high before normal before low.
    await page.goto(`${server.url}/`);
    await hydrated(page);
    const urgencies = await page.$$eval('[data-testid=open-signals] li', (lis) => lis.map((li) => li.dataset.urgency));
    assert.ok(urgencies.length > 0, 'Borgerhout has open signals');
    const rank = { high: 0, normal: 1, low: 2 };
    assert.deepEqual(urgencies, [...urgencies].sort((a, b) => rank[a] - rank[b]), urgencies.join(','));

    // Offline, a new contact waits on the phone, and the home says so.
    await readyForTheField(page, { url: server.url });
    await context.setOffline(true);
    const note = `wacht ${randomUUID().slice(0, 8)}`;
    await logContact(page, note);
    await page.click('header nav.nav a[href="/"]');
    await page.waitForFunction(() => document.querySelector('[data-testid=waiting-count]')?.textContent.includes('1 niet verzonden'));
    assert.match(await page.textContent('[data-testid=waiting]'), new RegExp(note));
    await context.setOffline(false);
  } finally {
    await phone.close();
  }
});

test('a partner finds the neighbourhood by name or by location, and sees what changed since the last visit', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  const { page } = browser;
  try {
    await plainLogIn(page, 'partner.jeugdwerk');
    assert.equal(await page.$('[data-testid=changed] li'), null, 'a first visit has nothing changed yet');

    // By name, without JavaScript: a GET form.
    await page.fill('#finder-wijk', 'zuren');
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=finder] button[type=submit]')]);
    assert.match(page.url(), /[?&]wijk=zuren/);
    assert.deepEqual(await texts(page, '[data-testid=finder-found] a'), ['Signaal melden in Zurenborg']);
    const href = await page.getAttribute('[data-testid=finder-found] a', 'href');
    const zurenborg = new URL(href, server.url).searchParams.get('neighbourhood');
    await page.fill('#finder-wijk', 'nergenshuizen');
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=finder] button[type=submit]')]);
    assert.equal(await page.textContent('[data-testid=finder-none]'), 'Geen wijk met die naam.');
    await page.goto(new URL(href, server.url).href);
    assert.equal(await page.$eval('select[name=neighbourhood_id]', (s) => s.value), zurenborg, 'the form starts in it');

    // The partner files a signal there; the team changes it; the home shows it on top.
    const partner = await apiAs('partner.jeugdwerk');
    const filed = await partner.post('/signals', {
      neighbourhood_id: zurenborg, category: 'youth', urgency: 'normal', description: 'Jongeren vragen een ontmoetingsplek.',
    });
    const lead = await apiAs('teamleider.antwerpen');
    await lead.patch(`/signals/${filed.id}`, { status: 'in_progress', feedback: 'Overleg met de jeugddienst gepland.' });
    await page.goto(`${server.url}/`);
    const changed = await texts(page, '[data-testid=changed] li');
    assert.equal(changed.length, 1, changed.join('\n'));
    assert.match(changed[0], /Gewijzigd \d\d-\d\d-\d{4} \d\d:\d\d/);
    assert.match(changed[0], /Jongeren · Normaal · In behandeling/);
    assert.match(changed[0], /Overleg met de jeugddienst gepland/);
    // A reload moments later keeps the list: the visit goes on.
    await page.reload();
    assert.equal((await texts(page, '[data-testid=changed] li')).length, 1);
  } finally {
    await browser.close();
  }

  // By location: "use my location" finds the polygon around the phone.
  for (const [where, expect] of [[{ latitude: 51.2075, longitude: 4.4295 }, 'found'], [{ latitude: 50.8466, longitude: 4.3528 }, 'outside']]) {
    const phone = await launch({ contextOptions: { geolocation: where, permissions: ['geolocation'] } });
    try {
      await logIn(phone.page, 'partner.jeugdwerk', server.url);
      await phone.page.goto(`${server.url}/`);
      await hydrated(phone.page);
      await phone.page.click('[data-testid=finder-locate]');
      if (expect === 'found') {
        await phone.page.waitForSelector('[data-testid=finder-found] a');
        assert.deepEqual(await texts(phone.page, '[data-testid=finder-found] a'), ['Signaal melden in Zurenborg']);
      } else {
        await phone.page.waitForSelector('[data-testid=finder-outside]');
        assert.equal(await phone.page.textContent('[data-testid=finder-outside]'), 'Deze plek ligt in geen enkele wijk.');
      }
    } finally {
      await phone.close();
    }
  }
});

test("a city service's home lists what was referred to it, overdue first", async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    await plainLogIn(browser.page, 'stad.netheid');
    assert.match(await browser.page.textContent('main'), /Over tijd: doorverwezen en al meer dan 14 dagen niet gewijzigd/);
    const rows = await browser.page.$$eval('[data-testid=referred] li', (lis) => lis.map((li) => ({
      overdue: li.querySelector('[data-testid=mark]') !== null, text: li.innerText,
    })));
    assert.ok(rows.length > 0, 'the demo refers signals to Netheid');
    assert.ok(rows.every((r) => !/Opgelost/.test(r.text)), 'only open ones');
    const firstOnTime = rows.findIndex((r) => !r.overdue);
    assert.ok(firstOnTime === -1 || rows.slice(firstOnTime).every((r) => !r.overdue), 'overdue ones first');
  } finally {
    await browser.close();
  }
});

test("an intervention officer's home: the team's urgent open signals and contacts without notes", async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    await plainLogIn(browser.page, 'interventie.antwerpen');
    const urgencies = await browser.page.$$eval('[data-testid=urgent-signals] li', (lis) => lis.map((li) => li.dataset.urgency));
    assert.ok(urgencies.length > 0 && urgencies.every((u) => u === 'high'), urgencies.join(','));
    assert.ok((await browser.page.$$('[data-testid=briefing-contacts] li')).length > 0);
    assert.equal(await browser.page.$('[data-testid=briefing-contacts] .record-note'), null, 'no notes');
  } finally {
    await browser.close();
  }
});

test("a team lead's home says what to decide; members, phones and the access log are pages of their own", async () => {
  const browser = await launch({ javaScriptEnabled: false });
  const { page } = browser;
  try {
    await plainLogIn(page, 'teamleider.borgerhout');
    assert.ok(await page.$('[data-testid=decide]'), 'what needs a decision');
    const urgent = await page.$$eval('[data-testid=decide-urgent] li', (lis) => lis.map((li) => li.dataset.urgency));
    assert.ok(urgent.every((u) => u === 'high'));
    assert.deepEqual(
      await page.$$eval('[data-testid=team-pages] a', (links) => links.map((a) => a.getAttribute('href'))),
      ['/team', '/team/members', '/team/phones', '/access-log'],
    );
    for (const [path, list] of [['/team/members', 'members'], ['/team/phones', 'devices'], ['/access-log', 'access-log']]) {
      const response = await page.goto(`${server.url}${path}`);
      assert.equal(response.status(), 200, path);
      assert.ok(await page.$(`[data-testid=${list}]`), `${path} lists ${list}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height < 6000, `${path} is ${height} px tall`);
    }
    assert.match(await page.textContent('[data-testid=access-log]'), /\S/, 'the team lead reads the team log');
    // Not for an officer: the policy gives them no access log.
    const officer = await launch({ javaScriptEnabled: false });
    try {
      await plainLogIn(officer.page, 'agent.borgerhout');
      assert.equal((await officer.page.goto(`${server.url}/access-log`)).status(), 403);
      assert.equal((await officer.page.goto(`${server.url}/team/members`)).status(), 403);
    } finally {
      await officer.close();
    }
  } finally {
    await browser.close();
  }
});

// Logs in on the hydrated log-in page, naming the phone (`null`: as it is filled in).
async function logInNamed(page, username, name) {
  if (name !== null) await page.fill('#device-name', name);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForSelector('[data-testid=whoami]');
}

test('a phone is named at log-in, keeps its one line when it logs in again, and revoking asks first', async () => {
  const phone = await launch();
  const lead = await launch();
  try {
    const { page } = phone;
    await page.goto(`${server.url}/login`);
    await hydrated(page);
    assert.equal(await page.inputValue('#device-name'), 'Linux · Chrome', 'the browser and system by default');
    await logInNamed(page, 'agent.borgerhout', 'Fiets-gsm 2');
    await page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
    const { device_id: deviceId } = JSON.parse(await page.evaluate(() => localStorage.getItem('wijkpost.device')));
    const mine = async () => (await getJson(page, '/api/v1/devices', server.url)).filter((d) => d.label === 'Fiets-gsm 2');
    assert.deepEqual((await mine()).map((d) => d.id), [deviceId]);

    // Log out and in again: the same device, under the same name.
    await page.click('header button[type=submit]');
    await page.waitForFunction(() => localStorage.getItem('wijkpost.device') === null);
    await page.goto(`${server.url}/login`);
    await hydrated(page);
    assert.equal(await page.inputValue('#device-name'), 'Fiets-gsm 2', 'the name given last time');
    await logInNamed(page, 'agent.borgerhout', null);
    await page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
    const again = JSON.parse(await page.evaluate(() => localStorage.getItem('wijkpost.device')));
    assert.equal(again.device_id, deviceId, 'the same device');
    assert.equal((await mine()).length, 1, 'one line, not two');

    await logIn(lead.page, 'teamleider.borgerhout', server.url);
    await lead.page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
    await lead.page.goto(`${server.url}/team/phones`);
    await hydrated(lead.page);
    const item = `[data-device="${deviceId}"]`;
    assert.match(await lead.page.innerText(item), /Fiets-gsm 2 · Yassine El Amrani/);
    assert.match(await lead.page.innerText(item), /Laatst verzonden: (nooit|\d\d-\d\d-\d{4} \d\d:\d\d)/);
    assert.equal(await lead.page.$eval('[data-this-phone=true]', (li) => li.querySelectorAll('[data-testid=this-phone]').length), 1, "the lead's own phone is marked");
    // A first tap only asks, naming the phone and whose it is; the second revokes.
    assert.equal(await lead.page.isVisible(`${item} button`), false, 'no revoke button before the question');
    await lead.page.click(`${item} summary`);
    assert.match(await lead.page.innerText(`${item} [data-testid=revoke-question]`), /^Toestel Fiets-gsm 2 van Yassine El Amrani intrekken\?/);
    await lead.page.waitForTimeout(300);
    assert.doesNotMatch(await lead.page.innerText(item), /Ingetrokken/, 'asking revokes nothing');
    await lead.page.click(`${item} button`);
    await lead.page.waitForFunction((sel) => document.querySelector(sel)?.innerText.includes('Ingetrokken'), item);
  } finally {
    await phone.close();
    await lead.close();
  }
});

test('admin: every missing field at once, an empty form after creating, a searchable list, a password page that says it is done', async () => {
  const plain = await launch({ javaScriptEnabled: false });
  const hydratedAdmin = await launch();
  const newcomer = await launch({ javaScriptEnabled: false });
  try {
    const { page } = plain;
    await plainLogIn(page, 'beheerder');
    await page.goto(`${server.url}/admin`);
    await Promise.all([page.waitForNavigation(), page.click('#new-user button[type=submit]')]);
    for (const field of ['username', 'display_name', 'role']) {
      assert.equal(await page.textContent(`#field-${field}-error`), 'Dit veld is verplicht.', field);
    }

    // The same on an account's own form.
    await Promise.all([page.waitForNavigation(), page.click('[data-account="agent.berchem"] a.button')]);
    await page.fill('#edit-display_name', '');
    await page.selectOption('#edit-role', '');
    await Promise.all([page.waitForNavigation(), page.click('[data-account="agent.berchem"] button.primary')]);
    for (const field of ['display_name', 'role']) {
      assert.equal(await page.textContent(`#edit-${field}-error`), 'Dit veld is verplicht.', field);
    }

    // Search without JavaScript: a GET form.
    await page.fill('#user-search', 'DEURNE');
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=user-search] button[type=submit]')]);
    const found = await page.$$eval('[data-testid=accounts] li[data-account]', (lis) => lis.map((li) => li.dataset.account));
    assert.deepEqual(found, ['agent.deurne']);
    assert.match(await page.textContent('[data-testid=users-found]'), /^1 van \d+ accounts$/);

    // On the hydrated page the form is empty again after an account is made; the
    // link is a whole address with a copy button.
    const a = hydratedAdmin.page;
    await logIn(a, 'beheerder', server.url);
    await a.goto(`${server.url}/admin`);
    await hydrated(a);
    await a.fill('#field-username', 'wijkagent.nieuw');
    await a.fill('#field-display_name', 'Nora Nieuw');
    await a.selectOption('#field-role', 'officer');
    await a.selectOption('#field-team_id', { label: 'Wijkteam Borgerhout' });
    await a.click('#new-user button[type=submit]');
    const link = await (await a.waitForSelector('#new-user [data-testid=password-link]')).textContent();
    assert.match(link, new RegExp(`^${server.url}/password/[0-9a-f]{64}$`));
    assert.equal(await a.inputValue('#field-username'), '');
    assert.equal(await a.inputValue('#field-display_name'), '');
    assert.equal(await a.inputValue('#field-role'), '');
    assert.ok(await a.isVisible('#new-user [data-testid=copy-link]'), 'a copy button');

    // The newcomer sets a password without JavaScript: the page says so, with log-in.
    await newcomer.page.goto(link);
    await newcomer.page.fill('#new-password', 'een lange zin als wachtwoord');
    await Promise.all([newcomer.page.waitForNavigation(), newcomer.page.click('main button[type=submit]')]);
    assert.equal(await newcomer.page.textContent('[data-testid=password-set]'), 'Je wachtwoord is ingesteld. Je kunt je nu aanmelden.');
    assert.equal(await newcomer.page.getAttribute('[data-testid=password-login]', 'href'), '/login');
    assert.equal(await newcomer.page.isVisible('#new-password'), false, 'the form is done');
  } finally {
    await plain.close();
    await hydratedAdmin.close();
    await newcomer.close();
  }
});
