// Offline and install: after one visit the app opens with the network gone (the worker keeps
// the app shell and its own wasm in a cache named after the build) and still answers SCIM, and
// Chromium finds nothing that stops the app from being installed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, waitForServer, pageFetch, postJson, USER_SCHEMA, screenshot } from "../support/browser.mjs";

describe("offline and install", () => {
  const suite = useApp();

  it("reloads and works offline after the first visit, and is installable", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    // The shell cache is filled while the worker installs; wait until it holds the page's wasm.
    await page.waitForFunction(async () => {
      const keys = await caches.keys();
      const shell = keys.find((k) => k.startsWith("scim-playground-shell-"));
      if (!shell) return false;
      const entries = await (await caches.open(shell)).keys();
      return entries.some((r) => r.url.endsWith("_bg.wasm")) && entries.some((r) => r.url.endsWith("/index.html"));
    });
    const manifest = await pageFetch(page, "/manifest.webmanifest");
    assert.equal(manifest.status, 200);
    assert.equal(manifest.body.display, "standalone");
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    // Playwright's contexts are incognito profiles, where nothing can be installed; every other
    // reason (no manifest, no icons, no fetch handler, not standalone) would be listed too.
    const reasons = installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito");
    assert.deepEqual(reasons, [], "Chromium sees an installable app");
    await cdp.detach();

    await context.setOffline(true);
    await page.reload();
    await waitForServer(page);
    await page.locator('[data-panel="directory"]').waitFor();
    await page.locator("tr[data-login]").first().waitFor();
    const created = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "offline@example.com" }));
    assert.equal(created.status, 201, "the SCIM server answers offline");
    // Another panel, by navigation, while still offline.
    await page.goto(`${suite.server.url}/traffic`);
    await page.locator('[data-panel="traffic"]').waitFor();
    await screenshot(page, "offline-traffic");
    await context.setOffline(false);
    assert.deepEqual(errors.filter((e) => !e.includes("net::ERR_INTERNET_DISCONNECTED")), []);
    await context.close();
  });
});
