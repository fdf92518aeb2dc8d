{% load static %}// The kiosk's service worker: the page, its script and style come from the cache when the
// network is down, so a kiosk restarted offline still takes feedback. The API is never
// cached: visits wait in the page's own outbox until they are delivered.
const CACHE = "cfmp-kiosk-{{ release|default:'1' }}";
const SHELL = [
  "{% url 'kiosk-app' %}",
  "{% static 'kiosk/kiosk.js' %}",
  "{% static 'kiosk/kiosk.css' %}",
  "{% static 'kiosk/icon.svg' %}",
  "{% url 'kiosk-manifest' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("{% url 'kiosk-app' %}api/")) {
    return;  // the API: the network or nothing
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (!response.ok) {  // a proxy's error page must not replace the working shell
          return caches.match(event.request).then((cached) => cached || response);
        }
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request))
  );
});
