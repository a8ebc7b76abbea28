/* Simpul's service worker, served as /maintenance/sw.js (scope: the technician pages).

   Pages, their photos and Simpul's static files: network first, the copy kept on the phone when there is no
   network. The pages' script (offline.js) fills the same cache with the pages of my open orders on every visit,
   and queues what is done offline; writes (POST) never pass through here. */
"use strict";
var CACHE = "simpul-lapangan-v1";
// Simpul's STATIC_URL, from the page that registered the worker (sw.js?static=/static/).
var STATIC = new URL(self.location.href).searchParams.get("static") || "/static/";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  var url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.href !== self.location.href &&
    (url.href.indexOf(self.registration.scope) === 0 || url.pathname.indexOf(STATIC) === 0);
}

self.addEventListener("fetch", function (event) {
  if (!kept(event.request)) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(event.request).then(function (response) {
      // A login page after a redirect is no copy of the page asked for: keep only the page itself.
      if (response.ok && !response.redirected && response.type === "basic") {
        cache.put(event.request, response.clone());
      }
      return response;
    }, function (error) {
      return cache.match(event.request, {ignoreVary: true}).then(function (copy) {
        if (copy) return copy;
        throw error;
      });
    });
  }));
});
