// Offline and install: after one visit the app opens with the network gone (the worker keeps
// the app shell and its own wasm in a cache named after the build) and still answers SCIM, and
// Chromium finds nothing that stops the app from being installed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, waitForServer, pageFetch, postJson, USER_SCHEMA, screenshot, stopAllWorkers, until } from "../support/browser.mjs";

describe("offline and install", () => {
  const suite = useApp();

  it("reloads and works offline after the first visit, and is installable", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    // The shell cache is filled while the worker installs; wait until it holds the page's wasm.
    await until(page, async () => {
      const keys = await caches.keys();
      const shell = keys.find((k) => k.startsWith("scim-playground-shell-"));
      if (!shell) return false;
      const entries = await (await caches.open(shell)).keys();
      // The panels' modules are cached once the worker is in charge (the Traffic panel's among them).
      return entries.some((r) => r.url.endsWith("_bg.wasm")) && entries.some((r) => r.url.endsWith("/index.html")) &&
        entries.some((r) => /\/split_[^/]*traffic[^/]*\.wasm$/.test(r.url));
    }, null, "the shell and the panels' modules are cached");
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
    // A worker started offline loads its module for the playground's endpoints from the cache.
    await stopAllWorkers(context, page);
    const status = await pageFetch(page, "/_playground/status");
    assert.equal(status.status, 200, "the playground's endpoints answer offline after a worker restart");
    assert.ok(status.body.users >= 1);
    // Another panel, by navigation, while still offline.
    await page.goto(`${suite.server.url}/traffic`);
    await page.locator('[data-panel="traffic"]').waitFor();
    await screenshot(page, "offline-traffic");
    await context.setOffline(false);
    assert.deepEqual(errors.filter((e) => !e.includes("net::ERR_INTERNET_DISCONNECTED")), []);
    await context.close();
  });

  it("caches only the app shell, under the build's name, and an update replaces that cache", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/tests");
    const build = (await (await fetch(`${suite.server.url}/sw.js`)).text()).match(/const BUILD = "([^"]+)";/)[1];
    const shell = () =>
      page.evaluate(async () => {
        const names = (await caches.keys()).filter((k) => k.startsWith("scim-playground-shell-"));
        const paths = names.length === 1 ? (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname) : [];
        return { names, paths };
      });
    const panelsCached = async (name) =>
      (await caches.has(name)) &&
      !!(await caches.match("/index.html", { cacheName: name })) &&
      (await (await caches.open(name)).keys()).some((r) => /\/split_[^/]*traffic[^/]*\.wasm$/.test(r.url));
    await until(page, panelsCached, `scim-playground-shell-${build}`, "the shell and the panels' modules are cached");

    // Requests outside the shell pass through untouched and are never stored.
    assert.equal((await pageFetch(page, "/__e2e/network-probe")).status, 200);
    assert.equal((await pageFetch(page, "/scim/v2/Users?count=1")).status, 200);
    const before = await shell();
    assert.deepEqual(before.names, [`scim-playground-shell-${build}`], "one cache, named after this build");
    assert.ok(before.paths.includes("/index.html") && before.paths.some((p) => p.endsWith("_bg.wasm")));
    // The page's and the worker's modules sit in the build's own folders (scripts/build-split.sh).
    const strays = before.paths.filter((p) => !/^\/(index\.html|404\.html|[^/]+\.(js|wasm|css|webmanifest|png)|(page|sw)-[0-9a-f]{16}\/[^/]+\.(js|wasm))?$/.test(p));
    assert.ok(before.paths.some((p) => /^\/page-[0-9a-f]{16}\/split_.*traffic.*\.wasm$/.test(p)), "every panel's module is cached");
    assert.ok(before.paths.some((p) => /^\/sw-[0-9a-f]{16}\/split_playground_admin\.wasm$/.test(p)), "the worker's module is cached");
    assert.deepEqual(strays, [], "nothing but the shell's files is cached");
    await context.setOffline(true);
    const probe = await page.evaluate(() => fetch("/__e2e/network-probe").then((r) => r.status, () => "failed"));
    assert.equal(probe, "failed", "an uncached path is not answered from the cache offline");
    await context.setOffline(false);

    // A shell file missing from the cache (say the network failed while the worker installed)
    // is stored again the next time it comes from the network.
    const css = before.paths.find((p) => p.endsWith(".css"));
    await page.evaluate(async ([name, path]) => (await caches.open(name)).delete(path), [before.names[0], css]);
    assert.equal((await pageFetch(page, css)).status, 200);
    await until(page, async ([name, path]) => !!(await caches.match(path, { cacheName: name })), [before.names[0], css], `${css} is cached again`);

    // The next deployment: sw.js stamped with another build. The browser installs it, it
    // caches the shell under the new name and drops the old cache when it takes over.
    suite.server.stats.serviceWorkerBuild = "e2e0next0build00";
    try {
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await until(page, async () => {
        const names = (await caches.keys()).filter((k) => k.startsWith("scim-playground-shell-"));
        return names.length === 1 && names[0] === "scim-playground-shell-e2e0next0build00";
      }, null, "the new build's worker has taken over");
      // The page asks the new worker for the panels' modules too.
      await until(page, panelsCached, "scim-playground-shell-e2e0next0build00", "the new worker has cached the panels' modules");
      const after = await shell();
      assert.ok(after.paths.includes("/index.html") && after.paths.some((p) => p.endsWith("_bg.wasm")), `the new cache holds the shell: ${JSON.stringify(after)}`);
      // The updated worker opens the app offline and answers SCIM.
      await context.setOffline(true);
      await page.reload();
      await waitForServer(page);
      await page.locator('[data-panel="tests"]').waitFor();
      assert.equal((await pageFetch(page, "/scim/v2/Users?count=1")).status, 200);
      await context.setOffline(false);
      // The old build's worker, gone, never brings its cache back.
      assert.deepEqual((await shell()).names, ["scim-playground-shell-e2e0next0build00"]);
    } finally {
      suite.server.stats.serviceWorkerBuild = null;
    }
    assert.deepEqual(errors.filter((e) => !e.includes("net::ERR_INTERNET_DISCONNECTED") && !e.includes("Failed to fetch")), []);
    await context.close();
  });
});
