// Benchmark: how long a phone on a slow network waits, on its first visit, until a page
// is alive (hydrated). Prints medians; asserts nothing. Issue 10's target: ≤ 2.5 s.
//
//   cd end2end && npm run bench:hydration
//   (after scripts/build-site.sh --release; see README.md, "Benchmarks", for the baseline)
//
// Throttling through Chromium's DevTools protocol with Lighthouse's mobile numbers
// (its "mobileSlow4G" preset, which is DevTools' former "Fast 3G"): 562.5 ms request
// latency (150 ms RTT × 3.75), 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up, and the CPU
// 4× slower. Every run is a new browser context: empty HTTP cache, no service worker,
// no compiled WASM kept, as on a phone's first visit.
//
// Environment:
//   WIJKPOST_SITE_ROOT    the site to measure (default target/site-release, else target/site)
//   WIJKPOST_BIN          the server binary (default target/release/wijkpost, else debug)
//   WIJKPOST_BASELINE_SITE, WIJKPOST_BASELINE_BIN   a second build to measure in the same
//                         run (e.g. the bundle from before a change, with its own server)
//   RUNS                  runs per page and build (default 7)
import { existsSync } from 'node:fs';
import path from 'node:path';

import { launchBrowser, phone } from '../support/browser.mjs';
import { DEMO_PASSWORD, ROOT, startServer } from '../support/server.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const TARGET_MS = 2500;

// Lighthouse's `throttling.mobileSlow4G` (lighthouse-core/config/constants.js).
const NETWORK = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: (1.6 * 1024 * 0.9 * 1024) / 8,
  uploadThroughput: (750 * 0.9 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

const PAGES = [
  { name: '/login', path: '/login', username: null },
  { name: "officer's home", path: '/', username: 'agent.borgerhout' },
];

// Marks the moment the WASM marks the body as hydrated, on the page's own clock
// (milliseconds since the navigation started).
const WATCH_HYDRATION = () => {
  const seen = () => {
    if (document.body?.dataset.hydrated === 'true' && window.__hydratedAt === undefined) {
      window.__hydratedAt = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

const first = (...candidates) => candidates.find((p) => existsSync(p));

function builds() {
  const current = {
    name: 'now',
    siteRoot: process.env.WIJKPOST_SITE_ROOT ?? first(path.join(ROOT, 'target/site-release'), path.join(ROOT, 'target/site')),
    bin: process.env.WIJKPOST_BIN ?? first(path.join(ROOT, 'target/release/wijkpost'), path.join(ROOT, 'target/debug/wijkpost')),
  };
  const list = [current];
  if (process.env.WIJKPOST_BASELINE_SITE) {
    list.unshift({
      name: 'baseline',
      siteRoot: process.env.WIJKPOST_BASELINE_SITE,
      bin: process.env.WIJKPOST_BASELINE_BIN ?? current.bin,
    });
  }
  return list;
}

// One first visit: returns milliseconds to hydration and the bytes of WASM transferred.
async function firstVisit(browser, url, { path: pagePath, username }) {
  const context = await phone(browser);
  try {
    if (username) {
      // Logged in over HTTP: the page visit below is still the first, with an empty cache.
      const response = await context.request.post(`${url}/api/login`, {
        form: { username, password: DEMO_PASSWORD },
        headers: { origin: url }, // the server refuses a POST from elsewhere
      });
      if (!response.ok()) throw new Error(`log-in as ${username} failed: ${response.status()}`);
    }
    await context.addInitScript(WATCH_HYDRATION);
    const page = await context.newPage();
    page.on('crash', () => console.log(`the page crashed (${pagePath})`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${url}${pagePath}`);
    await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 120_000, polling: 50 });
    return await page.evaluate(() => ({
      hydrated: window.__hydratedAt,
      wasmBytes: performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('.wasm'))
        .reduce((sum, e) => sum + e.transferSize, 0),
    }));
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const browser = await launchBrowser();
const servers = [];
try {
  for (const build of builds()) {
    const server = await startServer({ siteRoot: build.siteRoot, bin: build.bin });
    servers.push({ ...build, server });
    console.log(`${build.name}: ${build.siteRoot} served by ${build.bin} at ${server.url}`);
  }
  console.log(`${RUNS} first visits per page and build; network ${NETWORK.latency} ms latency, ` +
    `${Math.round((NETWORK.downloadThroughput * 8) / 1024)} kbit/s down; CPU ${CPU_SLOWDOWN}× slower`);
  const results = new Map();
  // Builds take turns run by run, so a busy moment of the machine hits both alike.
  for (let run = 1; run <= RUNS; run += 1) {
    for (const page of PAGES) {
      for (const { name, server } of servers) {
        const r = await firstVisit(browser, server.url, page);
        const key = `${page.name}|${name}`;
        results.set(key, [...(results.get(key) ?? []), r]);
        console.log(`run ${run} ${page.name} (${name}): hydrated after ${seconds(r.hydrated)}, ` +
          `${Math.round(r.wasmBytes / 1024)} KiB of WASM transferred`);
      }
    }
  }
  console.log('\nmedians (first visit, fast 3G, 4× CPU):');
  for (const page of PAGES) {
    const line = servers.map(({ name }) => {
      const rs = results.get(`${page.name}|${name}`);
      return `${name} ${seconds(median(rs.map((r) => r.hydrated)))} (${Math.round(median(rs.map((r) => r.wasmBytes)) / 1024)} KiB WASM)`;
    });
    const now = median(results.get(`${page.name}|now`).map((r) => r.hydrated));
    const base = results.get(`${page.name}|baseline`);
    const ratio = base ? `, now/baseline ${(now / median(base.map((r) => r.hydrated))).toFixed(2)}` : '';
    console.log(`  ${page.name}: ${line.join(' · ')}${ratio}; target ≤ ${seconds(TARGET_MS)}: ${now <= TARGET_MS ? 'met' : 'NOT met'}`);
  }
} finally {
  await browser.close();
  for (const { server } of servers) await server.stop();
}
