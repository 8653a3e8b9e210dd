// Wijkpost's service worker. Served by the server with the bundle's version filled in,
// so every release is a byte-different worker: the browser installs it in the
// background, and the page offers a reload (it never takes over by itself).
'use strict';
const VERSION = '__VERSION__';
const SHELL = `wijkpost-shell-${VERSION}`;
// The field pages as last seen online, for offline reloads. They show one person's
// data, so they are kept per person (`wijkpost-pages-<version>-<person>`, the person
// named by the page) and dropped at log-out, when another person logs in on this
// phone, and when the session has ended (a page answered "log in first").
const PAGES = 'wijkpost-pages-';
const pagesOf = (person) => `${PAGES}${VERSION}-${person}`;
const ASSETS = [
  `/pkg/wijkpost.js?v=${VERSION}`,
  `/pkg/wijkpost_bg.wasm?v=${VERSION}`,
  `/pkg/wijkpost.css?v=${VERSION}`,
  '/manifest.webmanifest',
  '/favicon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
];
const FIELD_PAGES = ['/', '/contacts', '/signals', '/outbox'];
// A page load waits this long for the network before the kept copy is shown: a
// phone with one bar of signal should not stare at a white screen.
const NETWORK_WAIT_MS = 4000;
// A kept page is fetched again (when a page asks) once it is older than this. Pages
// the person opens are kept as they are shown, so most copies stay fresh that way.
const KEPT_FOR_MS = 60 * 60 * 1000;
// Sent with the worker's own page fetches: the server records those reads in the
// access log as an offline copy, not as a screen someone opened
// (app/src/server/mod.rs, `read_purpose`).
const OFFLINE_COPY = { 'X-Wijkpost-Purpose': 'offline-copy' };
const PERSON = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((shell) => shell.addAll(ASSETS)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    const current = (n) => n === SHELL || n.startsWith(`${PAGES}${VERSION}-`);
    await Promise.all(names.filter((n) => !current(n)).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const message = typeof event.data === 'string' ? event.data : '';
  if (message === 'skip-waiting') self.skipWaiting();
  else if (message === 'forget') event.waitUntil(forgetPages());
  else if (message.startsWith('keep:') && PERSON.test(message.slice(5))) event.waitUntil(keepPagesOnce(message.slice(5)));
});

// Every page cache but `except`.
async function forgetPages(except) {
  const names = (await caches.keys()).filter((n) => n.startsWith(PAGES) && n !== except);
  await Promise.all(names.map((n) => caches.delete(n)));
}

// The pages of the person last named by a page, if any.
async function currentPages() {
  const names = (await caches.keys()).filter((n) => n.startsWith(`${PAGES}${VERSION}-`));
  return names.length === 1 ? caches.open(names[0]) : null;
}

// Several pages loading at once ask once.
let keeping = null;
function keepPagesOnce(person) {
  keeping ??= keepPages(person).finally(() => { keeping = null; });
  return keeping;
}

// Keeps the field pages `person` has no fresh copy of; those kept already are not
// fetched again, so page loads do not each read (and log) the person's data.
async function keepPages(person) {
  const name = pagesOf(person);
  await forgetPages(name);
  const cache = await caches.open(name);
  for (const path of FIELD_PAGES) {
    if (fresh(await cache.match(path))) continue;
    try {
      const response = await fetch(path, { credentials: 'same-origin', redirect: 'manual', headers: OFFLINE_COPY });
      if (sessionEnded(response)) return forgetPages();
      if (keepable(response)) await cache.put(path, response);
    } catch (_) { /* offline: keep what we have */ }
  }
}

function fresh(kept) {
  const at = kept && Date.parse(kept.headers.get('date'));
  return Boolean(at) && Date.now() - at < KEPT_FOR_MS;
}

// Only a whole page of a logged-in person: not a redirect to the log-in, not an error.
function keepable(response) {
  return response && response.ok && response.type === 'basic' && !response.redirected;
}

// The server answers a field page with 401 once nobody is logged in.
function sessionEnded(response) {
  return response && response.status === 401;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The API and server functions always go to the network: the outbox handles offline.
  if (url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request, url));
  } else {
    event.respondWith(asset(request));
  }
});

async function page(request, url) {
  const cache = await currentPages();
  const fromNetwork = fetch(request).then(async (response) => {
    if (!FIELD_PAGES.includes(url.pathname)) return response;
    if (sessionEnded(response)) await forgetPages();
    else if (cache && keepable(response)) await cache.put(url.pathname, response.clone());
    return response;
  });
  const kept = cache && (await cache.match(url.pathname));
  if (!kept) {
    return fromNetwork.catch(async () => (cache && (await cache.match('/'))) || offlineNotice());
  }
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), NETWORK_WAIT_MS));
  try {
    return (await Promise.race([fromNetwork, timeout])) || kept;
  } catch (_) {
    return kept;
  }
}

async function asset(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.open(SHELL);
    return (await shell.match(request, { ignoreSearch: true })) || Promise.reject(error);
  }
}

function offlineNotice() {
  const html = '<!doctype html><html lang="nl"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Wijkpost</title>' +
    '<body style="font-family:sans-serif;padding:1rem"><h1>Geen verbinding</h1>' +
    '<p>Deze pagina was nog niet op dit toestel bewaard. Open Wijkpost opnieuw zodra er verbinding is.</p></body></html>';
  return new Response(html, { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
