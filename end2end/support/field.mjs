// What the field tests do again and again: log in, get a phone ready for a dead zone,
// fill the capture forms, wait for the sync bar.
import assert from 'node:assert/strict';

import { controlled, hydrated } from './browser.mjs';
import { DEMO_PASSWORD } from './server.mjs';

export async function logIn(page, username, url) {
  await page.goto(`${url}/login`);
  await hydrated(page);
  await page.fill('#username', username);
  await page.fill('#password', DEMO_PASSWORD);
  await page.click('main button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=whoami]') !== null);
}

// Online once: the worker takes control, the phone registers, the field pages are kept.
export async function readyForTheField(page, { url, pages = ['/contacts', '/signals'] } = {}) {
  await page.goto(`${url}${pages[0]}`);
  await hydrated(page);
  await controlled(page);
  await page.waitForFunction(() => localStorage.getItem('wijkpost.device'));
  for (const p of [...pages.slice(1), pages[0]]) {
    await page.goto(`${url}${p}`);
    await hydrated(page);
  }
}

// The first choice of a select, or of a group of radio chips.
export async function firstOption(page, name) {
  const select = await page.$(`select[name=${name}]`);
  if (!select) return page.$eval(`input[type=radio][name=${name}]`, (r) => r.value);
  return select.evaluate((s) => [...s.options].find((o) => o.value)?.value);
}

export async function logContact(page, note) {
  const form = '[data-testid=contact-form]';
  await page.selectOption(`${form} select[name=neighbourhood_id]`, await firstOption(page, 'neighbourhood_id'));
  await page.click(`${form} label[for=mobility-bike]`);
  await page.click(`${form} label[for=kind-conversation]`);
  await page.click(`${form} label[for=reason-prevention]`);
  await page.click(`${form} label[for=outcome-informed]`);
  await page.fill(`${form} textarea[name=note]`, note);
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction(() => document.querySelector('[data-testid=form-success]')?.textContent.includes('toestel'));
  await page.waitForFunction(() => document.querySelector('textarea[name=note]').value === '');
}

// Fills the signal form (on /signals) and saves it; `gps`: tap "use my location" first.
export async function fillSignal(page, description, { gps = false, category = 'waste' } = {}) {
  const form = '[data-testid=signal-form]';
  await page.selectOption(`${form} select[name=neighbourhood_id]`, await firstOption(page, 'neighbourhood_id'));
  await page.click(`${form} label[for=category-${category}]`);
  await page.fill(`${form} textarea[name=description]`, description);
  if (gps) {
    await page.click(`${form} [data-testid=use-gps]`);
    await page.waitForSelector(`${form} [data-testid=gps-accuracy]`);
  }
  await page.click(`${form} button[type=submit]`);
}

export async function signalSaved(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=signal-form-success]')?.textContent.includes('toestel'));
}

export function pendingText(page) {
  return page.textContent('[data-testid=pending-count]');
}

export async function waitForAllSent(page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid=pending-count]')?.textContent.trim() === 'Alles verzonden',
    null,
    { timeout: 30_000 },
  );
}

// Everything sent and the round that sent it over (the team's signals pulled too):
// while a round runs the bar says "working", never "Bijgewerkt".
export async function waitForRoundDone(page) {
  await waitForAllSent(page);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sync-status]')?.textContent.startsWith('Bijgewerkt'),
    null,
    { timeout: 30_000 },
  );
}

export async function getJson(page, pathname, url) {
  const reply = await page.request.get(`${url}${pathname}`);
  assert.equal(reply.status(), 200, `${pathname}: ${await reply.text()}`);
  return reply.json();
}
