// The page's WebAssembly is split at its panels (scripts/build-split.sh): a first visit loads the
// shell's module only, each panel's module arrives when the panel first opens, and a module
// that cannot be fetched is an error on that panel, not the end of the page.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, waitForServer } from "../support/browser.mjs";

const wasmName = (url) => new URL(url).pathname.split("/").pop();

describe("the page split at its panels", () => {
  const suite = useApp();

  it("loads the shell's module first, and a panel's module when the panel opens", async () => {
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    // Only the page's own requests: the service worker also fetches every module, to cache it.
    const fetched = [];
    page.on("request", (request) => {
      if (request.url().endsWith(".wasm") && request.frame() === page.mainFrame()) fetched.push(wasmName(request.url()));
    });
    await page.goto(`${suite.server.url}/`);
    await waitForServer(page);
    await page.getByRole("heading", { name: "SCIM Playground" }).waitFor();
    assert.ok(fetched.includes("scim-playground_bg.wasm"), "the shell's module is loaded");
    assert.deepEqual(
      fetched.filter((name) => name.startsWith("split_")),
      [],
      "no panel's module is fetched before a panel opens",
    );

    await page.locator('a[href="/traffic"]').first().click();
    await page.locator('[data-panel="traffic"]').waitFor();
    const traffic = fetched.filter((name) => name.startsWith("split_"));
    assert.equal(traffic.length, 1, `one panel module for Traffic, got ${traffic}`);
    assert.match(traffic[0], /traffic/);

    // The Okta simulator comes with the first panel that needs it, and works.
    await page.locator('a[href="/directory"]').first().click();
    await page.locator('[data-panel="directory"]').waitFor();
    await page.locator("tr[data-login]").first().waitFor();
    assert.ok(fetched.includes("split_okta_panels.wasm"), "the Okta panels' module, with the simulator");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shows a panel whose module cannot be fetched as an error, and the rest keeps working", async () => {
    // No service worker here, so the failed fetch is not answered from its cache.
    const context = await suite.browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await context.route(/\/split_[^/]*console[^/]*\.wasm$/, (route) => route.abort("internetdisconnected"));
    await page.goto(`${suite.server.url}/console`);
    await page.getByRole("heading", { name: "This panel could not be loaded" }).waitFor();
    assert.ok(await page.getByRole("button", { name: "Reload" }).isVisible());

    // The page is still alive: another panel opens.
    await page.locator('a[href="/explain"]').first().click();
    await page.locator('[data-panel="explain"]').waitFor();
    assert.deepEqual(errors, [], "no panic, no uncaught error");
    await context.close();
  });
});
