// The service worker's JavaScript shim. All SCIM logic is Rust (crates/sw); this file exists
// because a service worker only receives `fetch` events if its listeners are added while the
// script is first evaluated, and the wasm module loads asynchronously after that.
//
// It is a module worker: the worker's WebAssembly is split (scripts/build-split.sh), the SCIM
// server in the main module and the playground's own endpoints in a module loaded on demand,
// and wasm-bindgen's glue for that is an ES module. SW_DIR is the build's folder of the worker.
//
// This file is served at the app's base (`/`, or `/scim-playground/` for a build made with
// `trunk build --public-url /scim-playground/`) and registered with the base as its scope, so
// the base is its own folder: every path below starts from it, and the cache's name carries it,
// so two copies of the app on one origin never share or drop each other's cache.
//
// BUILD is replaced by a hash of the build at build time (scripts/stamp-sw.sh), so a change to
// the Rust alone still changes this file's bytes and the browser installs the update. SHELL is
// replaced by the list of the app's own files (index.html, the page's and the worker's modules,
// css, the manifest and icons), which are kept in a cache named after BUILD so the app opens
// offline.
import init, { handle, __wbg_reset_state } from "./__SW_DIR__/scim-sw.js";
import { __wasm_split_reset } from "./__SW_DIR__/__wasm_split.js";

const BASE = new URL("./", self.location.href).pathname;
const BUILD = "__SW_BUILD__";
const SHELL = __SW_SHELL__;
// The panels' modules: served from the same cache, but fetched into it only once the worker is
// in charge and the page asks (see "cache-panels" below), so they do not hold up a first visit.
const PANELS = __SW_PANELS__;
// The copy at the root keeps the name it always had; another appends its base (the same rule as
// the worker's and the page's other names: protocol::base::scoped).
const FAMILY = BASE === "/" ? "scim-playground-shell-" : `scim-playground-shell@${BASE}-`;
const CACHE = `${FAMILY}${BUILD}`;
const WASM = `${BASE}__SW_DIR__/scim-sw_bg.wasm`;

// Reads go through caches.match with the cache's name, never caches.open: open creates the cache
// when it is missing, and a worker of an older build, still finishing a request after the new
// one has dropped its cache, would bring that cache back, empty, for good.
function fromCache(path) {
  return caches.match(path, { cacheName: CACHE });
}

// Stores a good network answer for a shell file, so a shell that could not be cached while
// installing (a flaky network) fills in on the next online visit. Only while this build's cache
// exists, for the same reason as above.
function keep(path, response) {
  if (!response.ok) return;
  const copy = response.clone();
  caches.has(CACHE).then((has) => has && caches.open(CACHE).then((cache) => cache.put(path, copy))).catch(() => undefined);
}

// The worker's own modules, from the shell cache when they are there: a worker restarted while the
// browser is offline could not fetch it otherwise (its own fetches do not pass through it).
function cachedFetch(path) {
  return fromCache(path).then(
    (hit) =>
      hit ||
      fetch(path).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(path, copy)).catch(() => undefined);
        }
        return response;
      }),
  );
}

// The worker's split module is fetched through this (build-split.sh points its loader here), so
// a worker restarted offline still loads it from the cache.
self.playgroundFetch = (url) => cachedFetch(new URL(url, self.location.href).pathname);

// Starts instantiating the wasm at once; every request waits on the same promise.
const ready = init({ module_or_path: cachedFetch(WASM) });

// Caching the shell is best effort: if it fails, the SCIM server still installs, and the app
// simply needs the network to open.
function cacheShell() {
  return caches
    .open(CACHE)
    .then((cache) => cache.addAll(SHELL))
    .catch(() => undefined);
}

self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([ready, cacheShell()]).then(() => self.skipWaiting()));
});

// Claiming the open pages makes the very first page load controlled, without a reload. Shell
// caches of earlier builds are dropped here, once this build is the one in charge.
self.addEventListener("activate", (event) => {
  const stale = caches
    .keys()
    .then((keys) =>
      Promise.all(keys.filter((k) => k.startsWith(FAMILY) && k !== CACHE).map((k) => caches.delete(k))),
    );
  event.waitUntil(Promise.all([ready, stale]).then(() => self.clients.claim()));
});

// Only same-origin requests under <base>scim/v2 (the SCIM server) and <base>_playground (its
// admin and OAuth endpoints) are the worker's to answer; everything else goes to the network
// untouched, except the app's own shell.
function isServed(url) {
  const under = (prefix) => url.pathname === prefix || url.pathname.startsWith(prefix + "/");
  return url.origin === self.location.origin && (under(`${BASE}scim/v2`) || under(`${BASE}_playground`));
}

// A page navigation or one of the shell's own files, on this origin.
function isShell(request, url) {
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  return request.mode === "navigate" || SHELL.includes(url.pathname) || PANELS.includes(url.pathname);
}

// Caches the panels' modules this build's cache lacks. The page asks once the worker controls
// it; `waitUntil` keeps the worker alive until they are all stored. A module that fails to come
// is fetched again when its panel opens online (see `keep`).
function cachePanels() {
  return caches.has(CACHE).then(
    (has) =>
      has &&
      caches.open(CACHE).then((cache) =>
        Promise.all(PANELS.map((path) => fromCache(path).then((hit) => hit || cache.add(path).catch(() => undefined)))),
      ),
  );
}

self.addEventListener("message", (event) => {
  if (event.data === "cache-panels") event.waitUntil(cachePanels());
});

// The app's pages carry the headers a static host may not send (SECURITY.md): never sniffed,
// never framed by another site. A redirect or a network error passes as it is.
function hardened(response) {
  if (response.type === "opaqueredirect" || response.type === "error") return response;
  const headers = new Headers(response.headers);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("X-Frame-Options", "DENY");
  headers.append("Content-Security-Policy", "frame-ancestors 'none'");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Navigations go to the network first, so a new build is seen at once, and fall back to the
// cached app (every panel is a route of the same page): offline, and when the host has no page
// at that address (a deep link on a host without 404.html). The fallback is 404.html, which is
// index.html loading its modules from the base, so it opens at any depth. The shell's files are
// hashed by name, so the cached copy is always right.
function fromShell(request, url) {
  if (request.mode === "navigate") {
    const shell = () => fromCache(`${BASE}404.html`);
    return fetch(request)
      .then(
        (response) => (response.ok || response.type === "opaqueredirect" ? response : shell().then((hit) => hit || response)),
        () => shell().then((hit) => hit || Response.error()),
      )
      .then(hardened);
  }
  return fromCache(url.pathname).then(
    (hit) =>
      hit ||
      fetch(request).then((response) => {
        keep(url.pathname, response);
        return response;
      }),
  );
}

// A trap (a bug that panics, memory exhausted) leaves the wasm instance unusable: its request
// queue and every request in it would wait forever. So each request in flight is known here,
// and a trap answers them all with a 500 and gives the server a new instance of the module, which
// starts cold from IndexedDB (every acknowledged write is there; nothing half-done is).
const inFlight = new Set();

function failure(detail) {
  const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "500", detail });
  return new Response(body, {
    status: 500,
    headers: { "Content-Type": "application/scim+json", "X-Playground-Server": "scim-sw", "X-Content-Type-Options": "nosniff" },
  });
}

function serve(request) {
  return new Promise((resolve) => {
    const answer = (response) => inFlight.delete(answer) && resolve(response);
    inFlight.add(answer);
    ready
      .then(() => handle(request))
      .then(answer, (error) => answer(failure(`the server could not answer: ${error}`)));
  });
}

function trapped(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return;
  console.error("scim-sw: the server's WebAssembly trapped; it starts again", error);
  try {
    __wbg_reset_state();
    __wasm_split_reset();
  } catch (reset) {
    console.error("scim-sw: the server could not start again", reset);
  }
  for (const answer of [...inFlight]) {
    answer(failure(`the server stopped on an internal error while this request was in its queue (${error.message}) and has started again; if the request changed data, check whether it was applied before sending it again`));
  }
}
self.addEventListener("error", (event) => trapped(event.error));
self.addEventListener("unhandledrejection", (event) => trapped(event.reason));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (isServed(url)) {
    event.respondWith(serve(event.request));
  } else if (isShell(event.request, url)) {
    event.respondWith(fromShell(event.request, url));
  }
});
