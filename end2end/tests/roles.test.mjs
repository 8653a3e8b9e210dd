// Each role logs in and sees its own home and navigation; a partner who types the
// address of the police contacts gets a denial page, not the data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

async function logIn(page, username) {
  await page.goto(`${server.url}/login`);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('main button[type=submit]')]);
}

const navLinks = (page) => page.$$eval('header nav.nav a', (links) => links.map((a) => a.getAttribute('href')));

// Without JavaScript, so what is checked is what the server sends.
for (const [username, title, nav] of [
  ['agent.borgerhout', 'Jouw dienst', ['/', '/contacts', '/signals']],
  ['teamleider.borgerhout', 'Jouw wijkteam', ['/', '/contacts', '/signals', '/team']],
  ['interventie.antwerpen', 'Briefing interventie', ['/', '/contacts', '/signals']],
  ['partner.jeugdwerk', 'Signalen van jouw organisatie', ['/', '/signals', '/access-log']],
  ['stad.netheid', 'Signalen voor jouw dienst', ['/', '/signals']],
  ['beheerder', 'Beheer', ['/', '/admin']],
]) {
  test(`${username} sees their own home and navigation`, async () => {
    const browser = await launch({ javaScriptEnabled: false });
    try {
      await logIn(browser.page, username);
      assert.equal(await browser.page.textContent('h1'), title);
      assert.deepEqual(await navLinks(browser.page), nav);
    } finally {
      await browser.close();
    }
  });
}

// The policy, not the role, decides the screen: intervention officers read the team's
// contacts for the briefing, without the notes and without a form to log one.
test('an intervention officer reads the contacts without notes or a form', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    await logIn(browser.page, 'interventie.antwerpen');
    const response = await browser.page.goto(`${server.url}/contacts`);
    assert.equal(response.status(), 200);
    const items = await browser.page.$$('[data-testid=contact-list] li');
    assert.ok(items.length > 0, 'the team\'s contacts are listed');
    assert.equal(await browser.page.$('[data-testid=contact-list] .record-note'), null, 'no note is shown');
    assert.equal(await browser.page.$('main form'), null, 'no form to log a contact');
  } finally {
    await browser.close();
  }
});

test('a partner typing a police-contact address gets the denial page', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    await logIn(browser.page, 'partner.jeugdwerk');
    const response = await browser.page.goto(`${server.url}/contacts`);
    assert.equal(response.status(), 403);
    assert.match(await browser.page.textContent('[data-testid=refusal]'), /geen toegang/);
    assert.equal(await browser.page.$('[data-testid=contact-list]'), null, 'no contact is shown');
    const team = await browser.page.goto(`${server.url}/team`);
    assert.equal(team.status(), 403);
  } finally {
    await browser.close();
  }
});

test('a team lead sees the team, its phones and who read what', async () => {
  const browser = await launch({ javaScriptEnabled: false });
  try {
    // Reading the contacts page shows notes: that read must show up in the log.
    await logIn(browser.page, 'agent.borgerhout');
    await browser.page.goto(`${server.url}/contacts`);
    await browser.close();
    const lead = await launch({ javaScriptEnabled: false });
    try {
      await logIn(lead.page, 'teamleider.borgerhout');
      await lead.page.goto(`${server.url}/team`);
      assert.match(await lead.page.textContent('h1'), /Wijkteam Borgerhout/);
      // The access log is a page of its own, which the policy opens to the team lead.
      const page = await lead.page.goto(`${server.url}/access-log`);
      assert.equal(page.status(), 200);
      const log = await lead.page.textContent('[data-testid=access-log]');
      assert.match(log, /Yassine El Amrani/);
      assert.match(log, /\d+ contact(en)?: notitie/, 'one line per screen, counting the notes shown');
      assert.match(log, /Contacten/, 'the screen, by its name');
      assert.doesNotMatch(log, /_page|contacts_/, 'no raw codes');
    } finally {
      await lead.close();
    }
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
});
