// Headless Debian Chromium for the end-to-end tests, launched the way that works on these
// machines (see ../shared/docs/toolchain.md): no sandbox as root, no background networking (the
// network is closed and Chromium would keep trying), a fresh profile per launch.
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "artifacts");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/// Opens the app in a fresh context and waits until the service worker controls the page and
/// has answered the page's own SCIM probe.
export async function openApp(browser, baseUrl, path = "/") {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (msg) => {
    // Chromium logs every 4xx/5xx fetch as "Failed to load resource"; tests make such requests
    // on purpose, so only other console errors count as the app's.
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) errors.push(msg.text());
  });
  await page.goto(baseUrl + path);
  await waitForServer(page);
  return { context, page, errors };
}

export async function waitForServer(page) {
  await page.getByTestId("worker-status").filter({ hasText: "SCIM server ready" }).waitFor({ timeout: 20000 });
}

/// Stops every service worker of the browser, as Chromium does to idle workers; the next
/// request starts the worker again from cold.
export async function stopAllWorkers(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}

/// Runs fetch() in the page and returns status, headers and the parsed (or raw) body.
export async function pageFetch(page, path, init = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, init);
      const text = await response.text();
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: keep the text so the assertion shows what came back.
      }
      return {
        status: response.status,
        contentType: response.headers.get("content-type"),
        location: response.headers.get("location"),
        etag: response.headers.get("etag"),
        server: response.headers.get("x-playground-server"),
        body,
      };
    },
    { path, init },
  );
}

export async function screenshot(page, name) {
  const dir = join(ARTIFACTS, "screenshots");
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

export const SCIM_JSON = "application/scim+json";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/// A fetch init that POSTs a SCIM JSON body.
export function postJson(body) {
  return { method: "POST", headers: { "content-type": SCIM_JSON }, body: JSON.stringify(body) };
}

/// A fetch init that sends `body` as JSON to one of the playground's own endpoints, which
/// refuse a body of any other type (crates/sw/src/guard.rs).
export function adminJson(method, body) {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/// The stored traffic record matching `predicate`, waiting for the worker's batched write (up
/// to two seconds); `undefined` if none appears.
export async function storedTraffic(page, predicate) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const log = await pageFetch(page, "/_playground/traffic?limit=200");
    const found = log.body.records.find(predicate);
    if (found) return { found, log: log.body };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { found: undefined, log: undefined };
}

/// Serves dist/ and launches Chromium for the enclosing `describe`, closing both after it.
/// Returns an object whose `server` and `browser` are set once the suite starts.
export function useApp() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer(DIST);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/// Evaluates `check(arg)` in the page every 100 ms until it resolves to something truthy, and
/// returns that. Use it for async checks (caches, IndexedDB): Playwright's waitForFunction takes
/// the promise an async predicate returns as a truthy value and resolves at once.
export async function until(page, check, arg, what, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(check, arg);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
