// The service worker's JavaScript shim. All SCIM logic is Rust (crates/sw); this file exists
// because a service worker only receives `fetch` events if its listeners are added while the
// script is first evaluated, and the wasm module loads asynchronously after that.
//
// BUILD is replaced by a hash of the worker's wasm at build time (scripts/stamp-sw.sh), so a
// change to the Rust alone still changes this file's bytes and the browser installs the update.
const BUILD = "__SW_BUILD__";

importScripts(`./scim-sw.js?v=${BUILD}`);

// Starts instantiating the wasm at once; every request waits on the same promise.
const ready = wasm_bindgen({ module_or_path: `./scim-sw_bg.wasm?v=${BUILD}` });

self.addEventListener("install", (event) => {
  event.waitUntil(ready.then(() => self.skipWaiting()));
});

// Claiming the open pages makes the very first page load controlled, without a reload.
self.addEventListener("activate", (event) => {
  event.waitUntil(ready.then(() => self.clients.claim()));
});

// Only same-origin requests under /scim/v2 (the SCIM server) and /_playground (its admin and
// OAuth endpoints) are the worker's; everything else goes to the network untouched.
function isServed(url) {
  const under = (prefix) => url.pathname === prefix || url.pathname.startsWith(prefix + "/");
  return url.origin === self.location.origin && (under("/scim/v2") || under("/_playground"));
}

self.addEventListener("fetch", (event) => {
  if (!isServed(new URL(event.request.url))) return;
  event.respondWith(ready.then(() => wasm_bindgen.handle(event.request)));
});
