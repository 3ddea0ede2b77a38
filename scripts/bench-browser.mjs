#!/usr/bin/env node
// Benchmarks the SCIM server in the service worker, in headless Chromium, against floors
// measured in the same run: a bare JavaScript worker that answers every fetch with a fixed
// response (the cost of a page → worker round trip) and a bare one-record IndexedDB put with
// commit (the cost of durability). Prints a table; it asserts nothing (see README).
//
//   node scripts/bench-browser.mjs [--sizes 1000,10000] [--samples 200]
//
// Needs a release build in dist/ (trunk build --release); `make bench` does both.
import { createServer } from "node:http";
import { startServer } from "../tests/support/server.mjs";
import { DIST, launch, stopAllWorkers, waitForServer } from "../tests/support/browser.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const SIZES = option("--sizes", "1000,10000").split(",").map(Number);
const SAMPLES = Number(option("--samples", "200"));

// A second origin with a bare JS worker: its answers are the floor for a worker round trip.
const ECHO_PAGE = "<!doctype html><title>echo</title>";
const ECHO_SW = `
self.addEventListener("install", (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => {
  if (new URL(e.request.url).pathname.startsWith("/echo/"))
    e.respondWith(new Response('{"ok":true}', { headers: { "content-type": "application/scim+json" } }));
});`;

async function startEchoOrigin() {
  const server = createServer((req, res) => {
    const js = req.url.startsWith("/echo-sw.js");
    res.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" });
    res.end(js ? ECHO_SW : ECHO_PAGE);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
}

// Runs `count` requests built by `make(i)` one after another in the page; returns durations.
async function timeSequential(page, requests) {
  return page.evaluate(async (requests) => {
    const out = [];
    for (const [path, init] of requests) {
      const t0 = performance.now();
      const res = await fetch(path, init);
      await res.arrayBuffer();
      if (res.status >= 400) throw new Error(`${path}: ${res.status}`);
      out.push(performance.now() - t0);
    }
    return out;
  }, requests);
}

// Requests per second with `inFlight` requests outstanding at any time.
async function throughput(page, requests, inFlight) {
  return page.evaluate(async ({ requests, inFlight }) => {
    let next = 0;
    const t0 = performance.now();
    async function lane() {
      while (next < requests.length) {
        const [path, init] = requests[next++];
        const res = await fetch(path, init);
        await res.arrayBuffer();
      }
    }
    await Promise.all(Array.from({ length: inFlight }, lane));
    return (requests.length / (performance.now() - t0)) * 1000;
  }, { requests, inFlight });
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;
const rows = [];
function row(size, name, { p50, p95 }, floor, limit, note = "") {
  const ratio = floor ? p50 / floor : null;
  const verdict = limit == null ? "" : ratio != null ? (ratio <= limit ? "meets" : "MISSES") : p50 <= limit ? "meets" : "MISSES";
  rows.push([String(size), name, fmt(p50), fmt(p95), ratio ? `${ratio.toFixed(2)}x` : "", limit == null ? "" : floor ? `≤ ${limit}x` : `≤ ${limit} ms`, verdict, note]);
}

const browser = await launch();
const app = await startServer(DIST);
const echo = await startEchoOrigin();
try {
  // Floors.
  const echoContext = await browser.newContext();
  const echoPage = await echoContext.newPage();
  await echoPage.goto(echo.url + "/");
  await echoPage.evaluate(async () => {
    await navigator.serviceWorker.register("/echo-sw.js");
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
  });
  const echoReqs = Array.from({ length: SAMPLES }, (_, i) => [`/echo/${i}`, {}]);
  await timeSequential(echoPage, echoReqs.slice(0, 20));
  const echoFloor = stats(await timeSequential(echoPage, echoReqs));
  const putFloor = stats(await echoPage.evaluate(async (n) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("bench-floor", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("s");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out = [];
    for (let i = 0; i < n; i += 1) {
      const t0 = performance.now();
      await new Promise((resolve, reject) => {
        const tx = db.transaction("s", "readwrite");
        tx.objectStore("s").put(JSON.stringify({ i, userName: `u${i}@example.com` }), `k${i}`);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.commit();
      });
      out.push(performance.now() - t0);
    }
    return out;
  }, SAMPLES));
  const echoSeq = await throughput(echoPage, echoReqs, 1);
  const echoPar = await throughput(echoPage, echoReqs, 8);
  await echoContext.close();
  rows.push(["", "floor: bare JS worker echo", fmt(echoFloor.p50), fmt(echoFloor.p95), "", "", "", ""]);
  rows.push(["", "floor: echo throughput", `${echoSeq.toFixed(0)}/s seq`, `${echoPar.toFixed(0)}/s ×8`, `${(echoPar / echoSeq).toFixed(2)}x`, "", "", "what the transport allows"]);
  rows.push(["", "floor: IndexedDB put + commit", fmt(putFloor.p50), fmt(putFloor.p95), "", "", "", ""]);
  const writeFloor = echoFloor.p50 + putFloor.p50;

  for (const size of SIZES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url + "/");
    await waitForServer(page);
    const seeded = await page.evaluate(async (size) => {
      await fetch("/_playground/reset", { method: "POST" });
      const res = await fetch("/_playground/seed", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ users: size, groups: 0 }) });
      return res.json();
    }, size);
    if (seeded.added !== size) throw new Error(`seeding ${size} users added ${JSON.stringify(seeded)}`);
    const users = await page.evaluate(async () => {
      const res = await fetch("/scim/v2/Users?count=1000&attributes=userName");
      return (await res.json()).Resources.map((u) => [u.id, u.userName]);
    });
    const pick = (i) => users[(i * 7919) % users.length];
    const json = { "content-type": "application/scim+json" };
    const get = Array.from({ length: SAMPLES }, (_, i) => [`/scim/v2/Users/${pick(i)[0]}`, {}]);
    const eq = Array.from({ length: SAMPLES }, (_, i) => [`/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${pick(i)[1]}"`)}`, {}]);
    const pages = Array.from({ length: Math.min(SAMPLES, 50) }, (_, i) => [`/scim/v2/Users?startIndex=${1 + ((i * 100) % size)}&count=100`, {}]);
    // A client pages (Okta asks for 100 at a time); the second row returns every match at once.
    const co = Array.from({ length: 20 }, () => [`/scim/v2/Users?count=100&filter=${encodeURIComponent('emails.value co "lovelace"')}`, {}]);
    const coAll = Array.from({ length: 10 }, () => [`/scim/v2/Users?filter=${encodeURIComponent('emails.value co "lovelace"')}`, {}]);
    const posts = Array.from({ length: SAMPLES }, (_, i) => ["/scim/v2/Users", { method: "POST", headers: json, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `bench-${size}-${i}@example.com`, active: true }) }]);
    const patches = Array.from({ length: SAMPLES }, (_, i) => [`/scim/v2/Users/${pick(i)[0]}`, { method: "PATCH", headers: json, body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { title: `T${i}` } }] }) }]);

    await timeSequential(page, get.slice(0, 20));
    row(size, "GET /Users/{id}", stats(await timeSequential(page, get)), echoFloor.p50, 1.3);
    row(size, "GET userName eq", stats(await timeSequential(page, eq)), echoFloor.p50, 1.3);
    row(size, "GET page of 100", stats(await timeSequential(page, pages)), echoFloor.p50, 3);
    row(size, "GET emails.value co, count=100", stats(await timeSequential(page, co)), null, 15);
    row(size, "GET emails.value co, all matches", stats(await timeSequential(page, coAll)), null, null, `${Math.ceil(size / 30)} users rendered`);
    row(size, "POST /Users", stats(await timeSequential(page, posts)), writeFloor, 1.3, "floor = echo + put");
    row(size, "PATCH /Users/{id}", stats(await timeSequential(page, patches)), writeFloor, 1.3, "floor = echo + put");

    const sequential = await throughput(page, get, 1);
    const parallel = await throughput(page, get, 8);
    rows.push([String(size), "throughput GET by id", `${sequential.toFixed(0)}/s seq`, `${parallel.toFixed(0)}/s ×8`, `${(parallel / sequential).toFixed(2)}x`, "≥ 3x", parallel / sequential >= 3 ? "meets" : "MISSES", ""]);

    // Let the worker take its idle snapshot, as it would between a user's actions.
    await page.waitForTimeout(2500);
    const cold = [];
    for (let i = 0; i < 5; i += 1) {
      await stopAllWorkers(context, page);
      cold.push((await timeSequential(page, [get[i]]))[0]);
    }
    const split = await page.evaluate(async () => (await (await fetch("/_playground/status")).json()).coldStart);
    row(size, "cold start → first GET", stats(cold), null, 300,
      `open ${split.openMs.toFixed(0)} + read ${split.readMs.toFixed(0)} + load ${split.loadMs.toFixed(0)} ms (${split.resources} rows${split.fromSnapshot ? ", from the snapshot" : ", row by row"})`);
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  echo.close();
}

const header = ["users", "request", "p50", "p95", "vs floor", "target", "", "note"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
