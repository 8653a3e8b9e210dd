// Benchmark: how long a phone takes to send 10,000 queued entries once it is back
// online. Prints figures; asserts nothing. Run: `npm run bench` in end2end/ after
// scripts/build-site.sh (add --release and WIJKPOST_BIN=target/release/wijkpost for
// the figures that matter: the debug WASM is several times slower).
//
// The queue is written into the phone's IndexedDB in the outbox's own format (as if
// the officer had logged 10,000 contacts offline), then the app is opened: the
// engine loads the queue and sends it, 250 entries per push.
import { hydrated, launch } from '../support/browser.mjs';
import { logIn } from '../support/field.mjs';
import { startServer } from '../support/server.mjs';

const COUNT = Number(process.env.ENTRIES ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);

function queue(deviceId, neighbourhoodId, marker) {
  const now = Date.now();
  const items = [];
  for (let seq = 1; seq <= COUNT; seq += 1) {
    const id = crypto.randomUUID();
    items.push({
      mutation: {
        id,
        device_id: deviceId,
        seq,
        created_at: new Date(now - (COUNT - seq) * 1000).toISOString(),
        body: {
          op: 'create_contact',
          neighbourhood_id: neighbourhoodId,
          mobility: seq % 2 ? 'on_foot' : 'bike',
          kind: 'conversation',
          reason: 'prevention',
          outcome: 'informed',
          note: `${marker} ${seq}`,
        },
      },
      state: { state: 'pending' },
    });
  }
  return { device_id: deviceId, next_seq: COUNT + 1, items, needs_login: false, failures: 0 };
}

async function oneRun(server, run) {
  const phone = await launch();
  const { page } = phone;
  if (process.env.VERBOSE) {
    page.on('console', (m) => console.log('console:', m.text().slice(0, 300)));
    page.on('pageerror', (e) => console.log('page error:', page.url(), e.message.slice(0, 300)));
  }
  try {
    await logIn(page, 'agent.borgerhout', server.url);
    await page.goto(`${server.url}/contacts`);
    await hydrated(page);
    const grant = JSON.parse(await (await page.waitForFunction(() => localStorage.getItem('wijkpost.device'))).jsonValue());
    const neighbourhood = await page.$eval('select[name=neighbourhood_id]', (s) => [...s.options].find((o) => o.value).value);
    // A fresh device id: the one the page registered may already hold a receipt.
    const outbox = queue(crypto.randomUUID(), neighbourhood, `bench-${run}`);
    await page.goto(`${server.url}/outbox`);
    await page.evaluate(async ({ userId, json }) => {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(`wijkpost-${userId}`);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('state', 'readwrite');
        tx.objectStore('state').put(json, 'outbox');
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, { userId: grant.user_id, json: JSON.stringify(outbox) });

    const started = Date.now();
    await page.reload();
    await hydrated(page);
    const shown = Date.now();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=pending-count]')?.textContent.trim() === 'Alles verzonden',
      null,
      { timeout: 600_000, polling: 100 },
    );
    const done = Date.now();
    // The server holds each entry once: counted through the pull feed.
    let cursor = '';
    let arrived = 0;
    for (;;) {
      const page_ = await (await page.request.get(`${server.url}/api/v1/sync/pull?limit=500&cursor=${encodeURIComponent(cursor)}`)).json();
      arrived += page_.changes.filter((c) => c.kind === 'contact' && c.record?.note?.startsWith(`bench-${run} `)).length;
      cursor = page_.cursor;
      if (!page_.more) break;
    }
    return { total: done - started, hydrate: shown - started, sync: done - shown, arrived };
  } finally {
    await phone.close();
  }
}

// WIJKPOST_SITE_ROOT: a release bundle built elsewhere (the tests use target/site).
const siteRoot = process.env.WIJKPOST_SITE_ROOT;
const server = await startServer({ env: siteRoot ? { WIJKPOST_SITE_ROOT: siteRoot } : {} });
try {
  const results = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const r = await oneRun(server, run);
    results.push(r);
    console.log(`run ${run}: ${COUNT} entries sent in ${(r.sync / 1000).toFixed(2)} s after the page was live ` +
      `(${(r.total / 1000).toFixed(2)} s from reload; hydration ${(r.hydrate / 1000).toFixed(2)} s); on the server: ${r.arrived}`);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`median: ${(median(results.map((r) => r.total)) / 1000).toFixed(2)} s from reload to "Alles verzonden" ` +
    `for ${COUNT} queued entries (target ≤ 10 s); lost ${results.filter((r) => r.arrived !== COUNT).length} runs`);
} finally {
  await server.stop();
}
