// The spine, end to end in Chromium: the Rust service worker controls the first load, answers
// SCIM from IndexedDB durably, and leaves every other request to the network.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  SCIM_JSON, USER_SCHEMA, useApp, openApp, pageFetch, postJson, screenshot, stopAllWorkers, waitForServer,
} from "../support/browser.mjs";

function newUser(userName) {
  return postJson({ schemas: [USER_SCHEMA], userName, name: { givenName: "Ada", familyName: "Lovelace" }, active: true });
}

describe("the service worker spine", () => {
  const suite = useApp();

  it("controls the very first page load, without a reload", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url);
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    assert.equal(controlled, true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("answers ServiceProviderConfig from the Rust worker with the SCIM content type", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const res = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
    assert.equal(res.status, 200);
    assert.ok(res.contentType.startsWith(SCIM_JSON), res.contentType);
    assert.deepEqual(res.body.schemas, ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]);
    assert.match(res.server, /^scim-sw\//);
    assert.equal(res.body.meta.location, `${suite.server.url}/scim/v2/ServiceProviderConfig`);
    await context.close();
  });

  it("keeps a POSTed user across a page reload and a forced worker stop", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const created = await pageFetch(page, "/scim/v2/Users", newUser("ada@example.com"));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.contentType.startsWith(SCIM_JSON));
    const id = created.body.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(created.location, `${suite.server.url}/scim/v2/Users/${id}`);

    await page.reload();
    await waitForServer(page);
    let read = await pageFetch(page, `/scim/v2/Users/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.userName, "ada@example.com");

    await stopAllWorkers(context, page);
    read = await pageFetch(page, `/scim/v2/Users/${id}`);
    assert.equal(read.status, 200, "the restarted worker reads the user back from IndexedDB");
    assert.equal(read.body.name.familyName, "Lovelace");

    const list = await pageFetch(page, "/scim/v2/Users");
    assert.equal(list.status, 200);
    assert.equal(list.body.totalResults, 1);
    assert.equal(list.body.Resources[0].id, id);
    await context.close();
  });

  it("refuses a second user with the same userName in another case", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    assert.equal((await pageFetch(page, "/scim/v2/Users", newUser("grace@example.com"))).status, 201);
    const again = await pageFetch(page, "/scim/v2/Users", newUser("GRACE@example.com"));
    assert.equal(again.status, 409);
    assert.equal(again.body.status, "409");
    assert.equal(again.body.scimType, "uniqueness");
    await context.close();
  });

  it("answers malformed JSON with a SCIM 400 and keeps serving", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const bad = await pageFetch(page, "/scim/v2/Users", {
      method: "POST",
      headers: { "content-type": SCIM_JSON },
      body: "{not json",
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status, "400");
    assert.equal(bad.body.scimType, "invalidSyntax");
    const next = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
    assert.equal(next.status, 200);
    await context.close();
  });

  it("answers an unknown path under the prefix with a SCIM 404 Error", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const res = await pageFetch(page, "/scim/v2/Nonsense");
    assert.equal(res.status, 404);
    assert.ok(res.contentType.startsWith(SCIM_JSON), res.contentType);
    assert.deepEqual(res.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
    assert.equal(res.body.status, "404");
    assert.match(res.body.detail, /Nonsense/);
    await context.close();
  });

  it("lets a non-SCIM request reach the network", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const before = suite.server.stats.networkProbeHits;
    const res = await pageFetch(page, "/__e2e/network-probe");
    assert.equal(res.status, 200);
    assert.equal(res.body, "from the network");
    assert.equal(suite.server.stats.networkProbeHits, before + 1);
    await context.close();
  });

  it("says so when the worker cannot start, and recovers on request", async () => {
    suite.server.stats.failServiceWorker = true;
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(suite.server.url + "/");
      await page.getByTestId("worker-status").filter({ hasText: "SCIM server unavailable" }).waitFor({ timeout: 20000 });
      const alert = page.getByRole("alert");
      assert.match(await alert.innerText(), /not available[\s\S]*sw\.js/);
      suite.server.stats.failServiceWorker = false;
      await alert.getByRole("button", { name: "Try again" }).click();
      await waitForServer(page);
      assert.equal(await page.getByRole("alert").count(), 0);
      const res = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
      assert.equal(res.status, 200);
    } finally {
      suite.server.stats.failServiceWorker = false;
      await context.close();
    }
  });

  it("renders the shell with every panel in the navigation", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const nav = page.getByRole("navigation", { name: "Panels" });
    for (const name of ["Directory", "App data", "Provisioning", "Mappings", "Import", "System Log",
      "Traffic", "Console", "Tests", "Share", "Scenarios"]) {
      assert.equal(await nav.getByRole("link", { name, exact: true }).count(), 1, name);
    }
    await screenshot(page, "shell-overview");
    // Every panel in the navigation opens its own page (none is a "not built yet" placeholder).
    await nav.getByRole("link", { name: "Share", exact: true }).click();
    await page.locator('[data-panel="share"]').getByRole("heading", { name: "Share" }).waitFor();
    assert.equal(await page.getByText("Not built yet").count(), 0);
    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, "shell-narrow");
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.getByRole("button", { name: "Switch to the dark theme" }).click();
    assert.equal(await background(), "rgb(18, 21, 27)");
    await screenshot(page, "shell-dark");
    await page.getByRole("button", { name: "Switch to the light theme" }).click();
    assert.equal(await background(), "rgb(247, 248, 250)");
    await context.close();
  });
});
