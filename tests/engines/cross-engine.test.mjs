// The same checks in every engine a user may open the app in: Firefox (Gecko) and WebKitGTK
// (WebKit, Safari's engine), against the release build in dist/. Chromium runs the full suite
// in tests/e2e/; this one covers what differs between engines: the module service worker taking
// control, every body that crosses between the worker's WebAssembly and the page read back
// byte for byte, IndexedDB across a reload, the Okta simulator pushing a person, a share link in
// a fresh profile, the offline cache, a build published under a path on a host without fallback,
// and every panel rendering at 1280 and 390 px (WebKitGTK's MiniBrowser: 447 px, the narrowest
// window it allows).
//
// ENGINES=firefox or ENGINES=webkit runs one engine (default: both).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { ARTIFACTS, DIST } from "../support/browser.mjs";
import { launchEngine } from "../support/engines.mjs";
import { startHost, startServer } from "../support/server.mjs";
import { buildFor } from "../support/builds.mjs";

const ENGINES = (process.env.ENGINES ?? "firefox,webkit").split(",").filter(Boolean);
const PANELS = ["directory", "app-data", "provisioning", "mappings", "import", "system-log", "traffic", "console", "tests", "share", "scenarios", "explain"];
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const SHOTS = join(ARTIFACTS, "screenshots", "engines");

const decode = (fragment) => JSON.parse(inflateRawSync(Buffer.from(fragment, "base64url")).toString("utf8"));
const encode = (config) => deflateRawSync(Buffer.from(JSON.stringify(config))).toString("base64url");

/// Polls `fn(arg)` in the page every 100 ms until it returns something truthy.
async function until(tab, fn, arg, what, timeout = 30000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await tab.run(fn, arg);
      if (value) return value;
    } catch (error) {
      // A navigation in progress destroys the page's context; try again.
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}${last ? ` (last error: ${last.message})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const serverReady = (tab) =>
  until(tab, () => document.querySelector('[data-testid="worker-status"]')?.textContent.includes("SCIM server ready"), null, "the badge says SCIM server ready");

const panelShown = (tab, slug) =>
  until(
    tab,
    (slug) => {
      const panel = document.querySelector(`[data-panel="${slug}"]`);
      return !!panel && !document.body.textContent.includes("This panel could not be loaded") && panel.textContent.trim().length > 40;
    },
    slug,
    `the ${slug} panel renders`,
  );

/// Sends a request from the page and returns its status, headers and body as text. The body is
/// read as bytes and decoded strictly, so a body the engine received damaged is an error here
/// rather than a quiet replacement character.
function send(tab, path, init = {}) {
  return tab.run(
    async ({ path, init }) => {
      const response = await fetch(path, init);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        server: response.headers.get("x-playground-server"),
        contentType: response.headers.get("content-type"),
        text: new TextDecoder("utf-8", { fatal: true }).decode(bytes),
      };
    },
    { path, init },
  );
}

const scimPost = (body) => ({ method: "POST", headers: { "content-type": "application/scim+json" }, body: JSON.stringify(body) });

/// Parses a body the worker sent; a damaged one fails with its first bytes shown.
function json(answer, what) {
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    assert.fail(`${what}: the body is not JSON (${error.message}); it starts ${JSON.stringify(answer.text.slice(0, 60))}`);
  }
}

/// Clicks the first element matching `selector` whose text includes `text` (any, when empty).
const click = (tab, selector, text = "") =>
  until(
    tab,
    ({ selector, text }) => {
      const element = [...document.querySelectorAll(selector)].find((e) => e.textContent.includes(text) && !e.disabled);
      element?.click();
      return !!element;
    },
    { selector, text },
    `${selector} "${text}" can be clicked`,
  );

for (const name of ENGINES) {
  describe(`in ${name}`, () => {
    let engine;
    let server;
    before(async () => {
      await mkdir(SHOTS, { recursive: true });
      server = await startServer(DIST);
      engine = await launchEngine(name);
      console.log(`# ${name}: ${engine.version}`);
    });
    after(async () => {
      await engine?.close();
      await server?.close();
    });

    it("the worker controls a first visit and every SCIM body round-trips intact, data surviving a reload", async () => {
      const tab = await engine.newTab();
      try {
        await tab.goto(`${server.url}/`);
        await serverReady(tab);
        assert.equal(await tab.run(() => !!navigator.serviceWorker.controller), true, "the worker controls the first visit");

        // Discovery: three documents, each parsed whole.
        for (const path of ["ServiceProviderConfig", "Schemas", "ResourceTypes"]) {
          const answer = await send(tab, `/scim/v2/${path}`);
          assert.equal(answer.status, 200, path);
          assert.match(answer.server ?? "", /^scim-sw\//, `${path} comes from the worker`);
          assert.match(answer.contentType, /^application\/scim\+json/);
          const body = json(answer, path);
          assert.ok(Array.isArray(body.schemas) || Array.isArray(body.Resources), `${path} is a SCIM document`);
        }

        // Create, read, PATCH, list with a filter: each body compared with what was sent.
        const sent = {
          schemas: [USER_SCHEMA],
          userName: `ada.${name}@example.com`,
          name: { givenName: "Ada", familyName: "Lovelace", formatted: "Ada Lovelace" },
          displayName: "Ada Lovelace — 数学者 🧮",
          emails: [{ value: `ada.${name}@example.com`, type: "work", primary: true }],
          active: true,
        };
        const created = await send(tab, "/scim/v2/Users", scimPost(sent));
        assert.equal(created.status, 201, created.text.slice(0, 200));
        const user = json(created, "POST /Users");
        for (const key of ["userName", "name", "displayName", "emails", "active"]) assert.deepEqual(user[key], sent[key], `POST echoes ${key}`);
        assert.deepEqual(user.schemas, [USER_SCHEMA]);

        const read = json(await send(tab, `/scim/v2/Users/${user.id}`), "GET /Users/{id}");
        assert.deepEqual(read, user, "GET returns what POST returned");

        const patched = await send(tab, `/scim/v2/Users/${user.id}`, {
          method: "PATCH",
          headers: { "content-type": "application/scim+json" },
          body: JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "replace", path: "name.givenName", value: "Augusta Ada" }],
          }),
        });
        assert.equal(patched.status, 200, patched.text.slice(0, 200));
        assert.deepEqual(json(patched, "PATCH").name, { ...sent.name, givenName: "Augusta Ada" });

        const filter = encodeURIComponent(`userName eq "${sent.userName}"`);
        const list = json(await send(tab, `/scim/v2/Users?filter=${filter}`), "GET /Users?filter");
        assert.equal(list.totalResults, 1);
        assert.equal(list.Resources[0].id, user.id);
        assert.equal(list.Resources[0].name.givenName, "Augusta Ada");

        // More than 64 KB each way, multi-byte characters included: byte-identical back.
        const big = Array.from({ length: 9000 }, (_, i) => `${i}é日🙂`).join("-");
        assert.ok(Buffer.byteLength(big) > 64 * 1024);
        const bigUser = await send(tab, "/scim/v2/Users", scimPost({ schemas: [USER_SCHEMA], userName: `big.${name}@example.com`, title: big }));
        assert.equal(bigUser.status, 201, bigUser.text.slice(0, 200));
        const bigBody = json(bigUser, "POST of a large body");
        assert.equal(bigBody.title, big, "a large value comes back byte for byte");
        const bigRead = await send(tab, `/scim/v2/Users/${bigBody.id}`);
        assert.equal(bigRead.text, bigUser.text, "the large user reads back byte-identical");

        // A reload: the worker may start from cold; IndexedDB kept everything.
        await tab.goto(`${server.url}/`);
        await serverReady(tab);
        const again = json(await send(tab, `/scim/v2/Users/${user.id}`), "GET after reload");
        assert.equal(again.name.givenName, "Augusta Ada", "the PATCH survived the reload");
        assert.equal(json(await send(tab, `/scim/v2/Users/${bigBody.id}`), "GET big after reload").title, big);
        assert.deepEqual(await tab.errors(), []);
      } finally {
        await tab.close();
      }
    });

    it("pushes a person from the Directory, and Traffic shows the POST", async () => {
      const tab = await engine.newTab();
      try {
        await tab.goto(`${server.url}/directory`);
        await serverReady(tab);
        await panelShown(tab, "directory");
        const login = await until(tab, () => document.querySelector("tr[data-login]")?.dataset.login, null, "the demo org's people are listed");
        await click(tab, `tr[data-login="${login}"]`);
        await until(tab, (login) => document.querySelector('[data-testid="person-title"]')?.textContent.includes(login), login, "the person opens");
        await click(tab, "button", "Assign app");
        await until(tab, () => /Assigned · synced/.test(document.querySelector('[data-testid="person-assignment"]')?.textContent ?? ""), null, "the assignment is pushed", 60000);
        await tab.screenshot(join(SHOTS, `${name}-directory-assigned.png`));

        await tab.goto(`${server.url}/traffic`);
        await panelShown(tab, "traffic");
        await until(tab, () => [...document.querySelectorAll("tbody tr")].some((row) => row.cells[2]?.textContent === "POST" && row.cells[3]?.textContent === "/Users"), null, "Traffic lists the POST to /Users");
        const records = json(await send(tab, "/_playground/traffic?limit=200"), "traffic").records;
        const post = records.find((r) => r.method === "POST" && new URL(r.url, server.url).pathname === "/scim/v2/Users" && /^okta #\d+$/.test(r.client));
        assert.ok(post, "the stored traffic has Okta's POST");
        const body = JSON.parse(post.requestBody);
        assert.equal(body.userName, login, "the POST carried the person pushed");
        assert.deepEqual(await tab.errors(), []);
      } finally {
        await tab.close();
      }
    });

    it("applies a share link in a fresh profile, only on confirmation", async () => {
      const a = await engine.newTab();
      let link;
      try {
        await a.goto(`${server.url}/share`);
        await serverReady(a);
        link = await until(a, () => document.querySelector('[data-testid="share-link"]')?.value, null, "the share link is made");
      } finally {
        await a.close();
      }
      const config = decode(link.split("#config=")[1]);
      assert.equal(config.toApp.createUsers, true);
      const changed = { ...config, toApp: { ...config.toApp, createUsers: false } };
      const b = await engine.newTab();
      try {
        await b.goto(`${server.url}/share#config=${encode(changed)}`);
        await serverReady(b);
        await until(b, () => !!document.querySelector('[data-testid="share-diff"] tr[data-path="toApp.createUsers"]'), null, "the diff shows the change");
        const before = decode((await b.run(() => document.querySelector('[data-testid="share-link"]').value)).split("#config=")[1]);
        assert.equal(before.toApp.createUsers, true, "nothing is applied before confirming");
        await click(b, "button", "Apply this configuration");
        await until(b, () => document.querySelector('[data-testid="activity"]')?.textContent.includes("The shared configuration was applied."), null, "the configuration is applied");
        const after = decode((await b.run(() => document.querySelector('[data-testid="share-link"]').value)).split("#config=")[1]);
        assert.equal(after.toApp.createUsers, false, "the fresh profile now has the shared setting");
        assert.deepEqual(await b.errors(), []);
      } finally {
        await b.close();
      }
    });

    it("reloads offline after the first visit", async () => {
      // A server of its own, stopped mid-test: the network is really gone.
      const own = await startServer(DIST);
      const tab = await engine.newTab();
      try {
        await tab.goto(`${own.url}/directory`);
        await serverReady(tab);
        await panelShown(tab, "directory");
        await until(
          tab,
          async () => {
            const name = (await caches.keys()).find((k) => k.startsWith("scim-playground-shell-"));
            if (!name) return false;
            const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
            return urls.some((u) => u.endsWith("/index.html")) && urls.some((u) => /\/split_[^/]*traffic[^/]*\.wasm$/.test(u));
          },
          null,
          "the shell and the panels' modules are cached",
        );
        await own.close();
        await tab.goto(`${own.url}/directory`);
        await serverReady(tab);
        await panelShown(tab, "directory");
        const created = await send(tab, "/scim/v2/Users", scimPost({ schemas: [USER_SCHEMA], userName: `offline.${name}@example.com` }));
        assert.equal(created.status, 201, "the SCIM server answers offline");
        await tab.goto(`${own.url}/traffic`);
        await panelShown(tab, "traffic");
        await tab.screenshot(join(SHOTS, `${name}-offline-traffic.png`));
      } finally {
        await tab.close();
        await own.close().catch(() => undefined);
      }
    });

    it("opens a lesson link on a first visit to a build published under a path, and answers SCIM there only", async () => {
      // As GitHub Pages serves a project site: no fallback, 404.html for unknown paths.
      const host = await startHost({ "/scim-playground/": buildFor("/scim-playground/", "scim-playground") });
      const tab = await engine.newTab();
      try {
        await tab.goto(`${host.url}/scim-playground/scenarios?s=first-push`);
        await serverReady(tab);
        await until(tab, () => document.querySelector('[data-scenario="first-push"]')?.getAttribute("aria-selected") === "true", null, "the lesson opens");
        const here = await send(tab, "/scim-playground/scim/v2/ServiceProviderConfig");
        assert.equal(here.status, 200);
        assert.match(here.server ?? "", /^scim-sw\//, "the worker answers under the base");
        assert.equal((await send(tab, "/scim/v2/ServiceProviderConfig")).status, 404, "nothing answers at the origin's root");
        assert.equal(await tab.run(() => navigator.serviceWorker.controller?.scriptURL), `${host.url}/scim-playground/sw.js`);
        await tab.screenshot(join(SHOTS, `${name}-hosted-lesson.png`));
        assert.deepEqual(await tab.errors(), []);
      } finally {
        await tab.close();
        await host.close();
      }
    });

    it("renders every panel without an error, at 1280 and 390 px (447 in WebKitGTK)", async () => {
      const tab = await engine.newTab();
      try {
        for (const [width, height] of [
          [1280, 800],
          [390, 844],
        ]) {
          const real = await tab.setSize(width, height);
          // WebKitGTK's MiniBrowser cannot be made narrower than 447 px (see engines.mjs).
          assert.ok(real === width || (name === "webkit" && width < 447 && real <= 447), `asked for ${width} px, got ${real}`);
          await tab.goto(`${server.url}/`);
          await serverReady(tab);
          await tab.screenshot(join(SHOTS, `${name}-${real}-overview.png`));
          for (const slug of PANELS) {
            // In-app navigation, as a user moves between panels (the error collector stays).
            await tab.run((slug) => {
              const link = document.querySelector(`a[href="/${slug}"]`);
              if (link) link.click();
              else history.pushState(null, "", `/${slug}`), dispatchEvent(new PopStateEvent("popstate"));
            }, slug);
            await panelShown(tab, slug);
            if (["directory", "traffic", "provisioning", "explain"].includes(slug)) await tab.screenshot(join(SHOTS, `${name}-${real}-${slug}.png`));
            const overflow = await tab.run(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 1, `${slug} at ${real} px is ${overflow} px wider than the screen`);
          }
          assert.deepEqual(await tab.errors(), [], `no error at ${real} px`);
        }
      } finally {
        await tab.close();
      }
    });
  });
}
