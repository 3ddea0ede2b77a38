// The engine in the worker, end to end: durability across worker stops and reloads, no lost
// updates between pages, bad input answered with SCIM errors without killing the worker, a
// storage failure reported instead of a hang, and the traffic log.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  SCIM_JSON, USER_SCHEMA as USER, useApp, openApp, pageFetch, postJson as post, stopAllWorkers, storedTraffic, waitForServer, adminJson } from "../support/browser.mjs";

describe("the SCIM server in the worker", () => {
  const suite = useApp();

  it("keeps every acknowledged write through worker stops and reloads, none twice", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const acknowledged = [];
    for (let i = 0; i < 30; i += 1) {
      if (i === 10 || i === 20) await stopAllWorkers(context, page);
      if (i === 15) {
        await page.reload();
        await waitForServer(page);
      }
      const res = await pageFetch(page, "/scim/v2/Users", post({ schemas: [USER], userName: `durable${i}@example.com` }));
      if (res.status === 201) acknowledged.push(res.body.id);
    }
    assert.equal(acknowledged.length, 30, "every write was answered");
    await stopAllWorkers(context, page);
    const list = await pageFetch(page, "/scim/v2/Users?filter=userName%20sw%20%22durable%22&count=100");
    assert.equal(list.status, 200);
    const ids = list.body.Resources.map((u) => u.id);
    assert.equal(new Set(ids).size, ids.length, "no user twice");
    assert.deepEqual([...ids].sort(), [...acknowledged].sort());
    await context.close();
  });

  it("lets exactly one of two pages win a conditional update (If-Match)", async () => {
    const a = await openApp(suite.browser, suite.server.url);
    const created = await pageFetch(a.page, "/scim/v2/Users", post({ schemas: [USER], userName: "contended@example.com" }));
    assert.equal(created.status, 201);
    const { id } = created.body;
    const etag = created.etag;
    assert.ok(etag, "POST returns an ETag");
    const b = await a.context.newPage();
    await b.goto(suite.server.url + "/");
    await waitForServer(b);
    const replace = (page, title) =>
      pageFetch(page, `/scim/v2/Users/${id}`, {
        method: "PUT",
        headers: { "content-type": SCIM_JSON, "if-match": etag },
        body: JSON.stringify({ schemas: [USER], userName: "contended@example.com", title }),
      });
    const [first, second] = await Promise.all([replace(a.page, "from A"), replace(b, "from B")]);
    const statuses = [first.status, second.status].sort();
    assert.deepEqual(statuses, [200, 412]);
    const loser = first.status === 412 ? first : second;
    assert.equal(loser.body.status, "412");
    const final = await pageFetch(a.page, `/scim/v2/Users/${id}`);
    const winner = first.status === 200 ? "from A" : "from B";
    assert.equal(final.body.title, winner, "the loser's change was not applied");
    await a.context.close();
  });

  it("answers hostile input with SCIM errors and keeps serving", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const cases = [
      ["malformed JSON", "/scim/v2/Users", { method: "POST", headers: { "content-type": SCIM_JSON }, body: "{\"userName\": " }, 400],
      ["a 5 MB body", "/scim/v2/Users", post({ schemas: [USER], userName: "big@example.com", title: "x".repeat(5 * 1024 * 1024) }), 413],
      ["deeply nested JSON", "/scim/v2/Users", { method: "POST", headers: { "content-type": SCIM_JSON }, body: "[".repeat(100000) + "]".repeat(100000) }, 400],
      ["an absurd filter", `/scim/v2/Users?filter=${encodeURIComponent("(".repeat(5000) + "userName eq \"a\"" + ")".repeat(5000))}`, {}, 400],
      ["a filter that is not a filter", `/scim/v2/Users?filter=${encodeURIComponent("userName equals 'a'")}`, {}, 400],
    ];
    for (const [label, path, init, status] of cases) {
      const res = await pageFetch(page, path, init);
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`);
      assert.equal(res.body.status, String(status), label);
      assert.deepEqual(res.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"], label);
      const next = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
      assert.equal(next.status, 200, `the worker still answers after ${label}`);
    }
    await context.close();
  });

  it("reports a database it cannot open as a clear 503, not a hang, and recovers", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    await stopAllWorkers(context, page);
    // A database left at a newer schema version (as a newer build would leave it) cannot be
    // opened by this build: the cold worker must say so.
    await page.evaluate(() => new Promise((resolve, reject) => {
      const request = indexedDB.open("scim-playground", 99);
      request.onsuccess = () => { request.result.close(); resolve(); };
      request.onerror = () => reject(request.error);
    }));
    const res = await pageFetch(page, "/scim/v2/Users");
    assert.equal(res.status, 503);
    assert.equal(res.body.status, "503");
    assert.match(res.body.detail, /storage is unavailable/);
    await page.evaluate(() => new Promise((resolve) => {
      const request = indexedDB.deleteDatabase("scim-playground");
      request.onsuccess = request.onerror = () => resolve();
    }));
    const recovered = await pageFetch(page, "/scim/v2/Users");
    assert.equal(recovered.status, 200);
    await context.close();
  });

  it("records each exchange with the client and a masked credential, and broadcasts it", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    await page.evaluate(() => {
      window.__heard = [];
      const channel = new BroadcastChannel("scim-playground");
      channel.onmessage = (event) => window.__heard.push(JSON.parse(event.data));
    });
    const res = await pageFetch(page, "/scim/v2/Users?count=1", {
      headers: { authorization: "Bearer very-secret-token", "x-playground-client": "console" },
    });
    assert.equal(res.status, 200);
    await page.waitForFunction(() => window.__heard.some((m) => m.record.url.endsWith("/Users?count=1")));
    const heard = await page.evaluate(() => window.__heard.find((m) => m.record.url.endsWith("/Users?count=1")));
    assert.equal(heard.type, "traffic");
    assert.equal(heard.record.client, "console");
    assert.equal(heard.record.status, 200);
    assert.equal(heard.record.profile, "okta");
    const auth = heard.record.requestHeaders.find(([name]) => name === "authorization");
    assert.deepEqual(auth, ["authorization", "Bearer ••••••••"]);
    const { found: stored, log } = await storedTraffic(page, (r) => r.url.endsWith("/Users?count=1"));
    assert.ok(stored, "the record is stored");
    assert.ok(!JSON.stringify(log).includes("very-secret-token"), "the secret is not stored");
    await context.close();
  });

  it("keeps its settings with the data across a worker stop", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    const settings = (await pageFetch(page, "/_playground/settings")).body;
    settings.profile = "strict";
    settings.auth = { method: "basic", username: "okta", password: "pa55" };
    assert.equal((await pageFetch(page, "/_playground/settings", adminJson("PUT", settings))).status, 200);
    await stopAllWorkers(context, page);
    const after = (await pageFetch(page, "/_playground/settings")).body;
    assert.equal(after.profile, "strict");
    assert.deepEqual(after.auth, { method: "basic", username: "okta", password: "pa55" });
    const denied = await pageFetch(page, "/scim/v2/Users");
    assert.equal(denied.status, 401);
    const allowed = await pageFetch(page, "/scim/v2/Users", { headers: { authorization: "Basic " + btoa("okta:pa55") } });
    assert.equal(allowed.status, 200);
    await context.close();
  });

  it("exports everything and refuses a bad import without changing anything", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url);
    await pageFetch(page, "/scim/v2/Users", post({ schemas: [USER], userName: "exported@example.com" }));
    const exported = await pageFetch(page, "/_playground/export");
    assert.equal(exported.status, 200);
    assert.equal(exported.body.format, "scim-playground/server");
    const count = exported.body.resources.length;
    const broken = structuredClone(exported.body);
    broken.resources.push({ resourceType: "User", id: "x", data: { id: "y" } });
    const refused = await pageFetch(page, "/_playground/import", adminJson("POST", broken));
    assert.equal(refused.status, 400);
    const after = await pageFetch(page, "/_playground/export");
    assert.equal(after.body.resources.length, count, "nothing changed");
    const restored = await pageFetch(page, "/_playground/import", adminJson("POST", exported.body));
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    await context.close();
  });
});
