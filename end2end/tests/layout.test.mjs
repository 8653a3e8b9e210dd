// Every page, for every role, in Dutch, English and French, on a 360 × 740 touch
// screen, with the longest things people type (a 200-character phone label, a long
// team and organisation name, a signal's text without a single space): no page wider
// than the screen, nothing fixed over the content at the top, middle or bottom of the
// page, every tap target at least 44 × 44 px; and on each, 101 and 112 as tap-to-call
// links, dates in words, no raw codes, French punctuation spacing. A failure names the
// page, the role, the language and the element.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { coveredContent, smallTargets, tooWide, wordFaults } from '../support/layout.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

const LANGUAGES = ['nl', 'en', 'fr'];
const LONG = {
  label: 'A'.repeat(200),
  team: `Wijkteam${'Borgerhoutnoord'.repeat(6)}`,
  org: `Vzw${'Jeugdwerkingsamenwerkingsverband'.repeat(4)}`,
  name: `Agent${'B'.repeat(75)}`, // display names hold 80 characters
  signal: 'Z'.repeat(600),
  street: `Turnhoutsebaan${'x'.repeat(100)}`,
  note: 'N'.repeat(600),
};
// The accounts made for the long strings (besides the demo ones in README.md).
const PASSWORD = 'lange-namen-passen-ook';

let server;
let browser;
let passwordPath = null;
let longSignal = null;

before(async () => {
  server = await startServer();
  browser = await launch();
  await makeLongStrings();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function logIn(username, password = DEMO_PASSWORD) {
  const { page, context } = browser;
  await context.clearCookies();
  await page.goto(`${server.url}/login`);
  await hydrated(page);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('main button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=whoami]') !== null);
}

async function api(method, path, data) {
  const reply = await browser.page.request.fetch(`${server.url}/api/v1${path}`, {
    method, data, headers: { origin: server.url },
  });
  const body = await reply.text();
  assert.ok(reply.ok(), `${method} ${path}: ${reply.status()} ${body}`);
  return body ? JSON.parse(body) : null;
}

// A new account with its password set through its one-time link.
async function account(form, { setPassword = true } = {}) {
  const made = await api('POST', '/users', form);
  if (setPassword) {
    const token = made.password_link.split('/').pop();
    await api('POST', `/password/${token}`, { password: PASSWORD });
  }
  return made;
}

// The long strings, made the way people make them: through the app's own API.
async function makeLongStrings() {
  await logIn('beheerder');
  const teams = await api('GET', '/teams');
  const borgerhout = teams.find((t) => t.name.includes('Borgerhout'));
  const longTeam = await api('POST', '/teams', { district_id: borgerhout.district_id, name: LONG.team });
  const longOrg = await api('POST', '/organisations', { name: LONG.org, kind: 'youth_work', district_id: null });
  const officer = { role: 'officer', team_id: borgerhout.id, org_id: null };
  await account({ username: 'lang.agent', display_name: LONG.name, ...officer });
  await account({ username: 'lang.leider', display_name: `Leider${'C'.repeat(74)}`, role: 'team_lead', team_id: longTeam.id, org_id: null });
  await account({ username: 'lang.partner', display_name: `Partner${'P'.repeat(73)}`, role: 'partner', team_id: null, org_id: longOrg.id });
  // A link left unused, so /password/<token> shows its form.
  const unused = await account({ username: 'lang.nieuw', display_name: `Nieuw${'N'.repeat(75)}`, ...officer }, { setPassword: false });
  passwordPath = new URL(unused.password_link, server.url).pathname;

  for (const username of ['agent.borgerhout', 'lang.agent']) {
    await logIn(username, username === 'lang.agent' ? PASSWORD : DEMO_PASSWORD);
    await api('POST', '/devices', { label: LONG.label });
    const hood = await browser.page.goto(`${server.url}/signals`).then(async () => {
      await hydrated(browser.page);
      return browser.page.$eval('select[name=neighbourhood_id]', (s) => [...s.options].find((o) => o.value)?.value);
    });
    const signal = await api('POST', '/signals', { neighbourhood_id: hood, category: 'waste', urgency: 'high', description: LONG.signal, street: LONG.street });
    longSignal ??= signal;
    await api('POST', '/contacts', {
      neighbourhood_id: hood, mobility: 'bike', kind: 'conversation', reason: 'youth', outcome: 'informed',
      note: LONG.note, street: LONG.street,
    });
  }
  await logIn('lang.partner', PASSWORD);
  await api('POST', '/devices', { label: LONG.label });
  // The team lead opens the contacts, so the access log has lines to show.
  await logIn('teamleider.borgerhout');
  await browser.page.goto(`${server.url}/contacts`);
  // … and reads one signal: a line of the log that names its record.
  await api('GET', `/signals/${longSignal.id}`);
  await logIn('partner.jeugdwerk');
}

function pages() {
  return ['/', '/login', '/contacts', '/signals', '/outbox', '/team', '/team/members', '/team/phones', '/access-log', '/admin', passwordPath, '/no/such/page'];
}

// Loads each page in each language as whoever is logged in now; returns every fault.
async function checkEveryPage(role) {
  const { page, context } = browser;
  const faults = [];
  for (const lang of LANGUAGES) {
    await context.addCookies([{ name: 'wijkpost_lang', value: lang, url: server.url }]);
    for (const path of pages()) {
      await page.goto(`${server.url}${path}`);
      await hydrated(page);
      assert.equal(await page.getAttribute('html', 'lang'), lang, `${path} in ${lang}`);
      const found = [
        ...await tooWide(page), ...await coveredContent(page), ...await smallTargets(page), ...await wordFaults(page, lang),
      ];
      faults.push(...found.map((f) => `${path} · ${role} · ${lang}: ${f}`));
    }
  }
  return faults;
}

const ROLES = [
  ['logged out', null],
  ['officer', 'agent.borgerhout'],
  ['officer with a long name', 'lang.agent'],
  ['team lead', 'teamleider.borgerhout'],
  ['team lead of a long-named team', 'lang.leider'],
  ['intervention officer', 'interventie.antwerpen'],
  ['partner', 'partner.jeugdwerk'],
  ['partner of a long-named organisation', 'lang.partner'],
  ['city service', 'stad.netheid'],
  ['admin', 'beheerder'],
];

for (const [role, username] of ROLES) {
  test(`every page fits a 360 px phone: ${role}`, async () => {
    if (username) {
      await logIn(username, username.startsWith('lang.') ? PASSWORD : DEMO_PASSWORD);
    } else {
      await browser.context.clearCookies();
    }
    const faults = await checkEveryPage(role);
    assert.deepEqual(faults, [], `${faults.length} layout faults:\n${faults.join('\n')}`);
  });
}

test('the checks fail where they should', async () => {
  const { page } = browser;
  await browser.context.clearCookies();
  await page.goto(`${server.url}/login`);
  await hydrated(page);
  await page.evaluate(() => {
    const wide = document.createElement('p');
    wide.textContent = 'W'.repeat(300);
    wide.style.overflowWrap = 'normal';
    document.querySelector('main').append(wide);
    const floating = document.createElement('button');
    floating.textContent = 'Afmelden';
    const title = document.querySelector('main h1').getBoundingClientRect();
    floating.style.cssText = `position:fixed;top:${title.top}px;left:${title.left}px;height:30px`;
    document.body.append(floating);
    const words = document.createElement('p');
    words.textContent = 'Dernier envoi : 01-12-2026 07:50 (signals_page)';
    document.querySelector('main').append(words);
    for (const call of document.querySelectorAll('a[href^="tel:"]')) call.remove();
  });
  assert.match((await tooWide(page)).join('\n'), /wide on a 360 px screen/);
  assert.match((await smallTargets(page)).join('\n'), /Afmelden/);
  const words = (await wordFaults(page, 'fr')).join('\n');
  for (const fault of [/no-break space: ".*envoi :"/, /numeric date: "01-12-2026"/, /raw code: "signals_page"/, /no tap-to-call link for 101/]) {
    assert.match(words, fault);
  }
  const covered = await coveredContent(page);
  assert.ok(covered.some((c) => c.includes('Afmelden')), covered.join('\n'));
});

test('the access log says what was read and on which screen, as cards on a phone', async () => {
  const { page, context } = browser;
  await logIn('teamleider.borgerhout');
  // A fresh line that names its record, on the log's first page (15 screens a page;
  // the page loads above wrote many lines since the one made at the start).
  await api('GET', `/signals/${longSignal.id}`);
  for (const [lang, kind, screen] of [['nl', 'Afval en sluikstort', 'Signalen (API)'], ['fr', 'Déchets', 'Signalements (API)']]) {
    await context.addCookies([{ name: 'wijkpost_lang', value: lang, url: server.url }]);
    await page.goto(`${server.url}/access-log`);
    await hydrated(page);
    const log = page.locator('[data-testid=access-log]');
    const named = (await log.locator('[data-testid=read-records] li').allTextContents()).join('\n');
    assert.match(named, new RegExp(`${kind.split(' ')[0]}.* · .+ · \\d{1,2} \\S+ \\d{4}, \\d\\d:\\d\\d`), named);
    assert.ok((await log.textContent()).includes(screen), `the screen by its name (${lang})`);
    const cells = await page.$$eval('[data-testid=access-log] tr:first-child td', (tds) => tds.map((td) => ({
      right: td.getBoundingClientRect().right,
      label: getComputedStyle(td, '::before').content,
    })));
    assert.equal(cells.length, 4);
    for (const cell of cells) {
      assert.ok(cell.right <= 360, `a cell ends inside the screen: ${cell.right}`);
      assert.notEqual(cell.label, 'none', 'each value under its column name');
    }
  }
});
