// Service worker of the installable webmail (issue 9, "The app").
//
// It keeps ONLY two kinds of things on the phone: the static assets (style sheets, scripts,
// icons: the /static/ folder) and one offline page that holds no personal data. Every page of
// the citizen's space, messages, documents, the medical profile, the agenda, downloads and the
// professional interface always go to the network and are never stored: health data must not
// stay on a device's disk, where a lost phone or a shared browser would give it away.
"use strict";

var CACHE = "santemail-statique-v1";
var OFFLINE_PAGE = "/hors-ligne";
var PRECACHE = [
  "/static/app.css",
  "/static/app.js",
  "/static/icons/icon-192.png",
  OFFLINE_PAGE
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(PRECACHE); })
      .then(function () { return self.skipWaiting(); })
  );
});

// A new version removes the caches of the old ones.
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k !== CACHE; })
          .map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

// Our own static assets, and nothing else, may be stored.
function isStaticAsset(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // Forms and every other method: straight to the network, untouched.
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (isStaticAsset(url)) {
    // Stale-while-revalidate: the stored copy at once, refreshed from the network behind it.
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (stored) {
          var fresh = fetch(request).then(function (response) {
            if (response.ok && response.type === "basic") {
              cache.put(request, response.clone());
            }
            return response;
          });
          // Offline with a stored copy: the failed refresh is expected, not an error.
          fresh.catch(function () {});
          return stored || fresh;
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // Network only. Offline, the static offline page is shown: never a stored page of the
    // citizen, because none is ever stored.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(OFFLINE_PAGE).then(function (page) {
          return page || Response.error();
        });
      })
    );
  }
  // Anything else is not handled here: the browser fetches it as if there were no worker.
});
