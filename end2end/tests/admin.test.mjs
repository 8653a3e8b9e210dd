// The admin page: organisations, teams, roles, one-time links and phones, first with
// plain form posts (JavaScript off), then once more on the hydrated page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { hydrated, launch } from '../support/browser.mjs';
import { DEMO_PASSWORD, startServer } from '../support/server.mjs';

let server;
let admin;
before(async () => {
  server = await startServer();
  admin = await launch({ javaScriptEnabled: false });
  await logIn(admin.page, 'beheerder');
});
after(async () => {
  await admin?.close();
  await server?.stop();
});

async function logIn(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${server.url}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('main button[type=submit]')]);
}

// Submits a form with a plain post and waits for the page it leads back to.
async function post(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(button)]);
  assert.ok(response.status() < 400, `status ${response.status()}`);
}

// As a person reads it: innerText keeps the breaks between paragraphs.
const text = async (page, selector) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();
const account = (username) => `[data-account="${username}"]`;

test('an admin creates a partner organisation, with errors next to the fields first', async () => {
  const { page } = admin;
  await page.goto(`${server.url}/admin`);
  await post(page, '#organisations button[type=submit]');
  assert.match(page.url(), /#organisations$/, 'back at the form');
  assert.equal(await text(page, '#field-org_name-error'), 'Dit veld is verplicht.');
  assert.equal(await text(page, '#field-org_kind-error'), 'Dit veld is verplicht.');
  assert.equal(await page.getAttribute('#field-org_kind', 'aria-invalid'), 'true');
  assert.match(await page.getAttribute('#field-org_kind', 'aria-describedby'), /field-org_kind-error/);

  await page.fill('#field-org_name', 'Buurtwerk Kiel');
  await page.selectOption('#field-org_kind', 'youth_work');
  await page.selectOption('#field-org_district_id', { label: 'Antwerpen' });
  await post(page, '#organisations button[type=submit]');
  assert.match(await text(page, '#organisations [data-testid=notice]'), /Organisatie Buurtwerk Kiel aangemaakt/);
  assert.match(await text(page, '[data-testid=organisations]'), /Buurtwerk Kiel Jeugdwerk · Antwerpen/);
  // The new organisation can be chosen for an account at once.
  assert.ok(await page.$('#field-org_id option:text("Buurtwerk Kiel")'));
});

test('an admin creates a team in a district', async () => {
  const { page } = admin;
  await page.goto(`${server.url}/admin`);
  await page.fill('#field-team_name', 'Wijkteam Kiel');
  await post(page, '#teams button[type=submit]');
  assert.equal(await text(page, '#field-team_district_id-error'), 'Dit veld is verplicht.');

  await page.fill('#field-team_name', 'Wijkteam Kiel');
  await page.selectOption('#field-team_district_id', { label: 'Antwerpen' });
  await post(page, '#teams button[type=submit]');
  assert.match(await text(page, '#teams [data-testid=notice]'), /Team Wijkteam Kiel aangemaakt/);
  assert.match(await text(page, '[data-testid=teams]'), /Wijkteam Kiel · Antwerpen/);
});

test("an admin changes an officer's role and issues a one-time link", async () => {
  const { page } = admin;
  await page.goto(`${server.url}/admin`);
  assert.match(await text(page, `${account('agent.deurne')} [data-testid=account-summary]`), /Wijkagent · Wijkteam Deurne/);
  await Promise.all([page.waitForNavigation(), page.click(`${account('agent.deurne')} a.button`)]);
  assert.match(page.url(), /\?account=[0-9a-f-]{36}#account-/);

  // A partner needs an organisation and has no team: refused, with the reason under
  // each field (the same use case as the JSON API's).
  await page.selectOption('#edit-role', 'partner');
  await post(page, `${account('agent.deurne')} button.primary`);
  assert.equal(
    await text(page, '#edit-org_id-error'),
    'Een partner hoort bij een partnerorganisatie (geen stadsdienst): kies er een.',
  );
  assert.equal(
    await text(page, '#edit-team_id-error'),
    'Een partner hoort bij een organisatie, niet bij een team: laat het team leeg.',
  );
  assert.match(await text(page, `${account('agent.deurne')} [data-testid=account-summary]`), /Wijkagent/);

  await page.selectOption('#edit-role', 'intervention_officer');
  await post(page, `${account('agent.deurne')} button.primary`);
  assert.match(
    await text(page, `${account('agent.deurne')} [data-testid=account-summary]`),
    /agent\.deurne · Interventieagent · Wijkteam Deurne/,
  );
  assert.match(await text(page, `${account('agent.deurne')} [data-testid=notice]`), /Opgeslagen\. Lien Janssens werd afgemeld/);
  assert.equal(await page.$('#edit-org_id-error:not(:empty)'), null, 'the old error is gone');

  await post(page, `${account('agent.deurne')} [data-testid=account-editor] button:not(.primary)`);
  const link = await text(page, `${account('agent.deurne')} [data-testid=password-link]`);
  assert.equal(link, `${server.url}${new URL(link).pathname}`, 'a whole address, to paste into a message');
  assert.match(new URL(link).pathname, /^\/password\/[0-9a-f]{64}$/);
  // Shown once: the next visit no longer has it.
  await page.goto(`${server.url}/admin`);
  assert.equal(await page.$('[data-testid=password-link]'), null);
});

test('an admin sees every phone by team and revokes one', async () => {
  const officer = await launch();
  try {
    await officer.page.goto(`${server.url}/login`);
    await hydrated(officer.page);
    await officer.page.fill('#username', 'agent.borgerhout');
    await officer.page.fill('#password', DEMO_PASSWORD);
    await officer.page.click('main button[type=submit]');
    const grant = await officer.page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
    const { device_id: deviceId } = JSON.parse(await grant.jsonValue());

    const { page } = admin;
    await page.goto(`${server.url}/admin`);
    const item = `[data-device="${deviceId}"]`;
    assert.match(await text(page, item), /Yassine El Amrani/);
    assert.match(await text(page, item), /Laatst verzonden/);
    const group = await page.$eval(item, (li) => li.closest('ul').previousElementSibling.textContent);
    assert.equal(group, 'Wijkteam Borgerhout');
    assert.equal(await page.getAttribute(item, 'data-this-phone'), 'false', "the officer's phone is not the admin's");
    // Revoking asks first: a first tap opens the question, a second says yes.
    await page.click(`${item} summary`);
    assert.match(await text(page, `${item} [data-testid=revoke-question]`), /^Toestel .+ van Yassine El Amrani intrekken\?/);
    await post(page, `${item} button`);
    assert.match(page.url(), new RegExp(`#device-${deviceId}$`));
    assert.match(await text(page, item), /Ingetrokken/);
    assert.equal(await page.$(`${item} button`), null, 'nothing left to revoke');
  } finally {
    await officer.close();
  }
});

test('on the hydrated page an admin creates an account whose link sets its password', async () => {
  const browser = await launch();
  const newcomer = await launch();
  try {
    const { page } = browser;
    await page.goto(`${server.url}/login`);
    await hydrated(page);
    await page.fill('#username', 'beheerder');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForSelector('[data-testid=whoami]');
    await page.goto(`${server.url}/admin`);
    await hydrated(page);

    await page.fill('#field-username', 'agent.kiel');
    await page.fill('#field-display_name', 'Ann Kiel');
    await page.selectOption('#field-role', 'officer');
    await page.click('#new-user button[type=submit]');
    await page.waitForSelector('#field-team_id-error:not(:empty)');
    assert.equal(await text(page, '#field-team_id-error'), 'Een politieaccount hoort bij een wijkteam: kies er een.');
    assert.equal(await page.inputValue('#field-username'), 'agent.kiel', 'a refusal keeps what was typed');

    await page.selectOption('#field-team_id', { label: 'Wijkteam Kiel' });
    await page.click('#new-user button[type=submit]');
    const link = await (await page.waitForSelector('#new-user [data-testid=password-link]')).textContent();
    assert.match(link, new RegExp(`^${server.url}/password/[0-9a-f]{64}$`));
    await page.waitForSelector(`${account('agent.kiel')}`);
    assert.match(await text(page, `${account('agent.kiel')} [data-testid=account-summary]`), /Wijkagent · Wijkteam Kiel/);

    // Open the account, make Ann a team lead, all without leaving the page.
    await page.click(`${account('agent.kiel')} a.button`);
    await page.selectOption('#edit-role', 'team_lead');
    await page.click(`${account('agent.kiel')} button.primary`);
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent.includes('Teamleider'),
      `${account('agent.kiel')} [data-testid=account-summary]`,
    );

    await newcomer.page.goto(link);
    await hydrated(newcomer.page);
    await newcomer.page.fill('#new-password', 'een lange zin als wachtwoord');
    await newcomer.page.click('main button[type=submit]');
    await newcomer.page.waitForSelector('.form-success');
    await logIn(newcomer.page, 'agent.kiel', 'een lange zin als wachtwoord');
    assert.equal(await text(newcomer.page, 'h1'), 'Jouw wijkteam');
  } finally {
    await browser.close();
    await newcomer.close();
  }
});
