// Wijkpost's service worker. Served by the server with the bundle's version filled in,
// so every release is a byte-different worker: the browser installs it in the
// background, and the page offers a reload (it never takes over by itself).
'use strict';
const VERSION = '__VERSION__';
const SHELL = `wijkpost-shell-${VERSION}`;
// The field pages as last seen online, for offline reloads. They show the person's
// own data, so the page asks for them to be forgotten at log-out.
const PAGES = `wijkpost-pages-${VERSION}`;
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

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    await shell.addAll(ASSETS);
    // Best effort: pages need a session, which the person may not have yet.
    await keepPages(await caches.open(PAGES));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => n !== SHELL && n !== PAGES).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  else if (event.data === 'warm') event.waitUntil(caches.open(PAGES).then(keepPages));
  else if (event.data === 'forget') event.waitUntil(caches.delete(PAGES));
});

async function keepPages(cache) {
  await Promise.all(FIELD_PAGES.map(async (path) => {
    try {
      const response = await fetch(path, { credentials: 'same-origin', redirect: 'manual' });
      if (keepable(response)) await cache.put(path, response);
    } catch (_) { /* offline: keep what we have */ }
  }));
}

// Only a whole page of a logged-in person: not a redirect to the log-in, not an error.
function keepable(response) {
  return response && response.ok && response.type === 'basic' && !response.redirected;
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
  const cache = await caches.open(PAGES);
  const fromNetwork = fetch(request).then(async (response) => {
    if (FIELD_PAGES.includes(url.pathname) && keepable(response)) {
      await cache.put(url.pathname, response.clone());
    }
    return response;
  });
  const kept = await cache.match(url.pathname);
  if (!kept) {
    return fromNetwork.catch(async () => (await cache.match('/')) || offlineNotice());
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
