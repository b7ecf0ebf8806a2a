/**
 * The service worker's source, generated at build time with the shell's file list. It caches the app
 * shell (code, styles, icons — never data) and serves navigations from the network, falling back to
 * the cached index.html offline. Requests to the API (/api, /auth, /fhir, /oauth2, /ws, …) are never
 * intercepted, so no health data ever reaches CacheStorage.
 */
export function serviceWorkerSource(version: string, shell: readonly string[]): string {
  return `/* Careline service worker ${version}: app shell only, never API responses. */
const CACHE = 'careline-shell-${version}';
const SHELL = ${JSON.stringify(shell)};
const CODE = /^\\/(assets|icons)\\//;
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('careline-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first so a deploy is picked up at once; the cached shell only when offline.
    event.respondWith(fetch(request).catch(() => caches.match('/').then((r) => r || Response.error())));
    return;
  }
  if (CODE.test(url.pathname)) {
    // Hashed, immutable files: cache first, and keep lazily loaded route chunks once fetched.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request).then((res) => {
        if (res.ok) { const copy = res.clone(); void caches.open(CACHE).then((c) => c.put(request, copy)); }
        return res;
      })),
    );
  }
});
`;
}
