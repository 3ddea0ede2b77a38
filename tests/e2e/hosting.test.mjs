// Public hosting: a release build made with `trunk build --release --public-url <base>` works on
// a static host with no single-page fallback (as GitHub Pages serves a project site), under its
// base and nowhere else; deep links, scenario links and share links open on a first visit and
// offline; two copies on one origin keep their data apart; a build served at the wrong place
// says so; and the build holds no root-absolute reference to its own files or routes.
//
// The builds (tests/support/builds.mjs) reuse the release build's modules, so each takes about a
// second once `trunk build --release` has run.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { launch, waitForServer, pageFetch, postJson, screenshot, until, USER_SCHEMA, SCIM_JSON } from "../support/browser.mjs";
import { startHost } from "../support/server.mjs";
import { buildFor } from "../support/builds.mjs";
import { startBridge } from "../../scripts/bridge.mjs";
import { DirectoryPanel } from "../support/okta.mjs";

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return out;
}

/// Opens `url` in a fresh profile; `errors` collects the page's own errors.
async function visit(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const response = await page.goto(url);
  return { context, page, errors, status: response?.status() };
}

describe("public hosting under a base path", () => {
  const env = {};
  before(async () => {
    // The same build under another base, as a user would make it (without the trailing slash,
    // which the build adds), and two copies for one origin.
    env.dist = buildFor("/scim-playground", "scim-playground");
    env.a = buildFor("/a/", "a");
    env.b = buildFor("/b/", "b");
    env.host = await startHost({ "/scim-playground/": env.dist, "/a/": env.a, "/b/": env.b, "/elsewhere/": env.dist });
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.host?.close();
  });

  it("works under its base on a host without fallback: worker, SCIM, Okta push, deep links, offline", async () => {
    const site = `${env.host.url}/scim-playground/`;
    const { context, page, errors } = await visit(env.browser, site);
    await waitForServer(page);
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { scope: registration.scope, script: navigator.serviceWorker.controller?.scriptURL };
    });
    assert.deepEqual(worker, { scope: site, script: `${site}sw.js` }, "the worker controls the base, from the base");
    const config = await pageFetch(page, "/scim-playground/scim/v2/ServiceProviderConfig");
    assert.equal(config.status, 200);
    assert.ok(config.contentType.startsWith(SCIM_JSON) && config.server, "the worker answers SCIM under the base");
    const root = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
    assert.equal(root.status, 404, "nothing answers SCIM at the origin's root");
    assert.equal(root.server, null);
    const asked = env.host.hits.length;
    const created = await pageFetch(page, "/scim-playground/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "hosted@example.com" }));
    assert.equal(created.status, 201);
    assert.ok(created.location.startsWith(`${site}scim/v2/Users/`), `meta.location is under the base: ${created.location}`);
    assert.equal(await page.getByTestId("base-url").textContent(), `${site}scim/v2`, "the Overview shows the base URL under the base");

    // Navigation stays under the base, and an Okta push reaches the server there.
    const directory = new DirectoryPanel(page);
    await directory.open();
    assert.equal(new URL(page.url()).pathname, "/scim-playground/directory");
    const login = (await directory.logins())[0];
    await directory.person(login);
    assert.match(await directory.assign(), /Assigned/);
    const pushed = await page.evaluate(
      async (filter) => (await (await fetch(`/scim-playground/scim/v2/Users?filter=${filter}`)).json()).totalResults,
      encodeURIComponent(`userName eq "${login}"`),
    );
    assert.equal(pushed, 1, "the Okta push reached the server under the base");
    const strays = env.host.hits.slice(asked).filter((p) => !p.startsWith("/scim-playground/"));
    assert.deepEqual(strays, [], "the app asked the host for nothing outside its base");

    // A share link made by the app starts with the deployed URL.
    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Share", exact: true }).click();
    const link = await page.getByTestId("share-link").inputValue();
    assert.ok(link.startsWith(`${site}share#config=`), `the share link is under the base: ${link.slice(0, 80)}`);
    // The link as a colleague would receive it after a change (the same configuration would
    // show no difference to apply).
    const shared = JSON.parse(inflateRawSync(Buffer.from(link.split("#config=")[1], "base64url")).toString("utf8"));
    shared.toApp.createUsers = !shared.toApp.createUsers;
    env.link = `${link.split("#config=")[0]}#config=${deflateRawSync(Buffer.from(JSON.stringify(shared))).toString("base64url")}`;

    // Offline, a deep link opens from the worker's cache.
    await until(page, async (base) => {
      const name = (await caches.keys()).find((k) => k.startsWith(`scim-playground-shell@${base}-`));
      return !!name && !!(await caches.match(`${base}404.html`, { cacheName: name }));
    }, "/scim-playground/", "the shell is cached under the base's name");
    await context.setOffline(true);
    await page.goto(`${site}scenarios?s=first-push`);
    await waitForServer(page);
    assert.equal(await page.locator('[data-scenario="first-push"]').getAttribute("aria-selected"), "true", "the lesson opens offline");
    await context.setOffline(false);
    // Once the worker is in charge, a path the host does not have still opens the app.
    const unknown = await page.goto(`${site}no/such/page`);
    assert.equal(unknown.status(), 200, "the worker answers an unknown path with the app");
    await page.getByRole("heading", { name: "No such page" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "start page" }).getAttribute("href"), "/scim-playground/");
    await screenshot(page, "hosting-not-found");
    assert.deepEqual(errors.filter((e) => !e.includes("Failed to fetch")), []);
    await context.close();
  });

  it("opens a scenario link and a share link on a first visit (the host's 404.html)", async () => {
    const site = `${env.host.url}/scim-playground/`;
    const lesson = await visit(env.browser, `${site}scenarios?s=first-push`);
    assert.equal(lesson.status, 404, "the host does not have the path: it answers with 404.html");
    await waitForServer(lesson.page);
    assert.equal(await lesson.page.locator('[data-scenario="first-push"]').getAttribute("aria-selected"), "true");
    await screenshot(lesson.page, "hosting-first-visit-lesson");
    assert.deepEqual(lesson.errors, []);
    await lesson.context.close();

    assert.ok(env.link, "the first test made a share link");
    const shared = await visit(env.browser, env.link);
    await waitForServer(shared.page);
    await shared.page.locator('[data-panel="share"]').waitFor();
    await shared.page.getByTestId("share-diff").locator('tr[data-path="toApp.createUsers"]').waitFor();
    await shared.page.getByRole("button", { name: "Apply this configuration" }).waitFor();
    await screenshot(shared.page, "hosting-first-visit-share");
    assert.deepEqual(shared.errors, []);
    await shared.context.close();

    // An unknown path several folders deep, on a first visit.
    const deep = await visit(env.browser, `${site}no/such/page`);
    await deep.page.getByRole("heading", { name: "No such page" }).waitFor();
    await deep.context.close();
  });

  it("keeps two copies on one origin apart: workers, data, caches, reset", async () => {
    const context = await env.browser.newContext();
    const a = await context.newPage();
    await a.goto(`${env.host.url}/a/directory`);
    await waitForServer(a);
    const b = await context.newPage();
    await b.goto(`${env.host.url}/b/directory`);
    await waitForServer(b);
    await a.locator("tr[data-login]").first().waitFor();
    await b.locator("tr[data-login]").first().waitFor();
    const made = await pageFetch(a, "/a/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "only-in-a@example.com" }));
    assert.equal(made.status, 201);
    const inB = await pageFetch(b, `/b/scim/v2/Users?filter=${encodeURIComponent('userName eq "only-in-a@example.com"')}`);
    assert.equal(inB.body.totalResults, 0, "a user created in /a/ is absent from /b/");
    const scopes = await a.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => new URL(r.scope).pathname).sort());
    assert.deepEqual(scopes, ["/a/", "/b/"], "one worker per copy");

    // Resetting /b/ (server and Okta org) leaves /a/'s data.
    const reset = await pageFetch(b, "/b/_playground/reset", { method: "POST" });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    const still = await pageFetch(a, `/a/scim/v2/Users?filter=${encodeURIComponent('userName eq "only-in-a@example.com"')}`);
    assert.equal(still.body.totalResults, 1, "a reset of /b/ leaves /a/'s users");
    const stores = await a.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
    for (const name of ["scim-playground@/a/", "scim-playground@/b/", "scim-playground-okta@/a/", "scim-playground-okta@/b/"]) {
      assert.ok(stores.includes(name), `${name} exists: ${stores}`);
    }
    const shells = await until(a, async () => {
      const names = await caches.keys();
      const both = ["/a/", "/b/"].every((base) => names.some((k) => k.startsWith(`scim-playground-shell@${base}-`)));
      return both && names.sort();
    }, null, "each copy has its own shell cache");
    assert.equal(shells.filter((k) => k.startsWith("scim-playground-shell")).length, 2, `one shell cache per copy: ${shells}`);
    await context.close();
  });

  it("says so when a build is opened at another place than the one it was built for", async () => {
    const { context, page } = await visit(env.browser, `${env.host.url}/elsewhere/`);
    const message = page.locator("[data-boot-message]");
    await message.filter({ hasText: "built to be served at /scim-playground/" }).waitFor();
    assert.match(await message.textContent(), /served at \/elsewhere\/.*--public-url \/elsewhere\//);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null, "no worker is registered in the wrong place");
    await screenshot(page, "hosting-wrong-place");
    await context.close();
  });

  it("is bridged for curl at the bridge's own /scim/v2, whatever base the build has", async () => {
    const bridge = await startBridge({ dist: env.dist });
    try {
      const config = await fetch(`${bridge.url}/scim/v2/ServiceProviderConfig`);
      assert.equal(config.status, 200);
      assert.match(config.headers.get("x-playground-server") ?? "", /^scim-sw\//);
      const created = await fetch(`${bridge.url}/scim/v2/Users`, postJson({ schemas: [USER_SCHEMA], userName: "bridged@example.com" }));
      assert.equal(created.status, 201);
      const body = await created.json();
      assert.equal(created.headers.get("location"), `${bridge.url}/scim/v2/Users/${body.id}`, "Location names the bridge, not the page's base");
      assert.equal(body.meta.location, created.headers.get("location"));
    } finally {
      await bridge.close();
    }
  });

  it("holds no root-absolute reference to its own files or routes", async () => {
    const own = /^\/(?!scim-playground\/)[^/"'`\s]*/;
    const found = [];
    for (const file of await files(env.dist)) {
      if (!/\.(html|js|css|webmanifest)$/.test(file)) continue;
      const text = await readFile(file, "utf8");
      // URLs in HTML attributes, CSS url(), and quoted strings in JavaScript that start with "/".
      const urls = [
        ...text.matchAll(/\b(?:href|src|content|action)="([^"]*)"/g),
        ...text.matchAll(/url\(\s*["']?([^"')]*)/g),
        ...text.matchAll(/(?:import|from)\s*\(?\s*["'`]([^"'`]*)["'`]/g),
        ...text.matchAll(/["'`](\/(?:scim\/v2|_playground|index\.html|boot\.js|sw\.js|manifest|icon-|page-|sw-)[^"'`]*)["'`]/g),
      ].map((m) => m[1]);
      for (const url of urls) if (own.test(url)) found.push(`${relative(env.dist, file)}: ${url}`);
    }
    assert.deepEqual(found, [], "every reference is under the base or relative");
  });
});
