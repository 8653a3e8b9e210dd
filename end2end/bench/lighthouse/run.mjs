// Lighthouse's mobile performance score (its default mobile preset: a mid-range phone
// screen, simulated slow 4G and a 4× slower CPU) for /login and the officer's home,
// logged in through the session cookie. Prints each run and the median; asserts
// nothing. Issue 10's target: ≥ 95 on both.
//
//   (cd end2end/bench/lighthouse && npm ci && node run.mjs)
//   after scripts/build-site.sh --release; see README.md, "Benchmarks".
//
// Environment: WIJKPOST_SITE_ROOT, WIJKPOST_BIN (default: the release site and server),
// RUNS (default 3), CHROMIUM (default /usr/bin/chromium).
import { existsSync } from 'node:fs';
import path from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import { DEMO_PASSWORD, ROOT, startServer } from '../../support/server.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const TARGET = 95;
const first = (...candidates) => candidates.find((p) => existsSync(p));
const siteRoot = process.env.WIJKPOST_SITE_ROOT ?? first(path.join(ROOT, 'target/site-release'), path.join(ROOT, 'target/site'));
const bin = process.env.WIJKPOST_BIN ?? first(path.join(ROOT, 'target/release/wijkpost'), path.join(ROOT, 'target/debug/wijkpost'));

// The session cookie of a fresh log-in, for Lighthouse to send with every request.
async function sessionCookie(url, username) {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    // The server refuses a POST that does not say it comes from its own pages.
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username, password: DEMO_PASSWORD }),
    redirect: 'manual',
  });
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('wijkpost_session='));
  if (!cookie) throw new Error(`log-in as ${username} gave no session cookie (${response.status})`);
  return cookie;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A fresh browser (a new profile) for every run: nothing kept from the run before, not
// even a service worker or compiled WASM, as on a phone's first visit.
async function audit(url, headers) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic'],
  });
  try {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
      extraHeaders: headers,
    });
    return lhr;
  } finally {
    await chrome.kill();
  }
}

const server = await startServer({ siteRoot, bin });
try {
  console.log(`${siteRoot} served by ${bin}; Lighthouse mobile preset, ${RUNS} runs per page`);
  const pages = [
    { name: '/login', path: '/login', headers: {} },
    { name: "officer's home", path: '/', headers: { Cookie: await sessionCookie(server.url, 'agent.borgerhout') } },
  ];
  for (const page of pages) {
    const scores = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const lhr = await audit(`${server.url}${page.path}`, page.headers);
      const score = Math.round(lhr.categories.performance.score * 100);
      const ms = (id) => Math.round(lhr.audits[id].numericValue);
      // Which element was the largest paint: when it is painted only after the WASM
      // has run, LCP waits for the whole bundle.
      const lcpItems = lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items ?? [];
      const lcp = lcpItems.find((i) => i.node)?.node?.snippet ?? '?';
      scores.push(score);
      console.log(`run ${run} ${page.name}: performance ${score} (FCP ${ms('first-contentful-paint')} ms, ` +
        `LCP ${ms('largest-contentful-paint')} ms, TBT ${ms('total-blocking-time')} ms, ` +
        `CLS ${lhr.audits['cumulative-layout-shift'].numericValue.toFixed(3)}, SI ${ms('speed-index')} ms; LCP element ${lcp.slice(0, 80)})`);
    }
    const m = median(scores);
    console.log(`median ${page.name}: ${m} (runs ${scores.join(', ')}); target ≥ ${TARGET}: ${m >= TARGET ? 'met' : 'NOT met'}`);
  }
} finally {
  await server.stop();
}
