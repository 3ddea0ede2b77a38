// The threat model's findings (SECURITY.md), each as an attacker would try it: another website
// submitting forms to the playground's endpoints and its OAuth consent, a share link that moves
// the import hook to another server, secrets kept by the Console or the traffic log, and the
// page's Content-Security-Policy.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { DIST, USER_SCHEMA, adminJson, launch, openApp, pageFetch, postJson, storedTraffic } from "../support/browser.mjs";
import { startServer } from "../support/server.mjs";
import { ImportPanel, ProvisioningPanel, activityShows, settled } from "../support/okta.mjs";

const decode = (fragment) => JSON.parse(inflateRawSync(Buffer.from(fragment, "base64url")).toString("utf8"));
const encode = (config) => deflateRawSync(Buffer.from(JSON.stringify(config))).toString("base64url");

/// A server on another origin (another port) that serves `pages[path]` as HTML and records every
/// request it receives; it answers CORS preflights so the app's requests to it go through.
async function otherOrigin(pages = {}) {
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const cors = {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "*",
        "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE",
      };
      if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
      if (pages[req.url]) return res.writeHead(200, { "content-type": "text/html" }).end(pages[req.url]);
      res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ commands: [] }));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
  };
}

/// An attacker's page: a form that submits itself to `action` as soon as it loads.
function autoForm(action, fields, enctype = "application/x-www-form-urlencoded") {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value='${value}'>`)
    .join("");
  return `<!doctype html><form method="post" action="${action}" enctype="${enctype}">${inputs}</form>
    <script>document.forms[0].submit()</script>`;
}

describe("security: what another website, a share link or a stored secret can do", () => {
  let app;
  let browser;
  before(async () => {
    app = await startServer(DIST);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("refuses another site's forms to /_playground and the OAuth consent, and changes nothing", async () => {
    const { context, page } = await openApp(browser, app.url, "/");
    const created = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "kept@example.com" }));
    assert.equal(created.status, 201);
    const settings = (await pageFetch(page, "/_playground/settings")).body;
    settings.auth = { method: "oauth", clientId: "okta", clientSecret: "s3cret", tokens: [] };
    assert.equal((await pageFetch(page, "/_playground/settings", adminJson("PUT", settings))).status, 200);

    // A text/plain form whose body is JSON: "{"x":"=" + the rest} – the classic trick.
    const replacement = JSON.stringify({ format: "scim-playground/server", version: 1, settings: { auth: { method: "basic", username: "attacker", password: "pw" } }, resources: [] });
    const attacker = await otherOrigin({
      "/reset": autoForm(`${app.url}/_playground/reset`, { x: "1" }),
      "/import": autoForm(`${app.url}/_playground/import`, { [replacement.slice(0, -1) + ',"pad":"']: '"}' }, "text/plain"),
      "/consent": autoForm(`${app.url}/_playground/oauth/authorize`, {
        client_id: "okta", redirect_uri: "https://attacker.example/cb", state: "s", decision: "allow",
      }),
    });
    try {
      const tab = await context.newPage();
      for (const [path, refusal] of [["/reset", /nothing was changed/], ["/import", /nothing was changed/], ["/consent", /nothing was granted/]]) {
        const landed = tab.waitForURL(`${app.url}/_playground/**`, { waitUntil: "load" });
        await tab.goto(`${attacker.url}${path}`);
        await landed;
        assert.match(await tab.content(), refusal, path);
        assert.ok(!tab.url().includes("attacker.example"), `${path} did not redirect to the attacker`);
      }
      await tab.close();
      const status = (await pageFetch(page, "/_playground/status")).body;
      assert.equal(status.users, 1, "the data is still there");
      const after = (await pageFetch(page, "/_playground/settings")).body;
      assert.equal(after.auth.method, "oauth", "the settings were not replaced");
    } finally {
      await attacker.close();
      await context.close();
    }
  });

  it("drops the hook's credential when a share link moves the hook to another server, and says so", async () => {
    const hookA = await otherOrigin();
    const hookB = await otherOrigin();
    const { context, page, errors } = await openApp(browser, app.url, "/provisioning");
    try {
      assert.equal((await pageFetch(page, "/_playground/seed", adminJson("POST", { users: 2, groups: 0 }))).status, 200);
      const prov = new ProvisioningPanel(page);
      await prov.open("To Okta");
      await prov.editToOkta();
      await page.locator('select[name="hookKind"]').selectOption("http");
      await page.locator('input[name="hookUrl"]').fill(`${hookA.url}/import`);
      await page.locator('input[name="hookAuthorization"]').fill("Bearer hook-secret");
      await prov.saveToOkta();

      // A link that changes only the hook's URL.
      await page.goto(`${app.url}/share`);
      const link = await page.getByTestId("share-link").inputValue();
      const config = decode(link.split("#config=")[1]);
      assert.equal(config.import.hook.url, `${hookA.url}/import`);
      assert.equal(JSON.stringify(config).includes("hook-secret"), false, "the link carries no secret");
      const moved = encode({ ...config, import: { ...config.import, hook: { kind: "http", url: `${hookB.url}/collect` } } });
      await page.goto("about:blank");
      await page.goto(`${app.url}/share#config=${moved}`);
      const warning = page.getByTestId("share-hook");
      await warning.waitFor();
      assert.match(await warning.textContent(), new RegExp(`Imports will send people's profiles to ${hookB.url}/collect`));
      assert.match(await page.getByTestId("share-hook-credential").textContent(), /credential is not sent there/);
      await page.getByRole("button", { name: "Apply this configuration" }).click();
      await activityShows(page, "The shared configuration was applied.");

      const imp = new ImportPanel(page);
      await imp.open();
      await imp.importNow();
      const calls = hookB.seen.filter((r) => r.method === "POST");
      assert.ok(calls.length > 0, "the import called the new hook");
      for (const call of calls) assert.equal(call.headers.authorization, undefined, "no credential went to the new server");
      assert.equal(hookA.seen.filter((r) => r.method === "POST").length, 0);

      // A hook on the playground's own origin is refused outright.
      const own = encode({ ...config, import: { ...config.import, hook: { kind: "http", url: `${app.url}/_playground/import` } } });
      await page.goto("about:blank");
      await page.goto(`${app.url}/share#config=${own}`);
      await page.getByTestId("share-error").waitFor();
      assert.match(await page.getByTestId("share-error").textContent(), /points at the playground itself/);
      assert.deepEqual(errors, []);
    } finally {
      await hookA.close();
      await hookB.close();
      await context.close();
    }
  });

  it("keeps no secret in the Console's history, the traffic log, HAR or the System Log", async () => {
    const { context, page } = await openApp(browser, app.url, "/console");
    try {
      await page.getByLabel("Template").selectOption({ label: "Users · Create a user" });
      await page.getByLabel(/^Headers/).fill("Content-Type: application/scim+json\nAuthorization: Bearer console-secret\nX-Api-Key: key-secret");
      await page.getByLabel("Body").fill(JSON.stringify({ schemas: [USER_SCHEMA], userName: "pw@example.com", password: "body-secret" }));
      await page.getByRole("button", { name: "Send" }).click();
      await page.getByTestId("console-status").filter({ hasText: "201" }).waitFor();
      const stored = await page.evaluate(() => localStorage.getItem("scim-playground.console.history"));
      for (const secret of ["console-secret", "key-secret", "body-secret"]) {
        assert.equal(stored.includes(secret), false, `${secret} in the Console's history: ${stored}`);
      }
      assert.match(stored, /Bearer ••••••••/);
      const { found } = await storedTraffic(page, (r) => r.method === "POST" && r.requestBody.includes("pw@example.com"));
      const record = JSON.stringify(found);
      for (const secret of ["console-secret", "key-secret", "body-secret"]) {
        assert.equal(record.includes(secret), false, `${secret} in the traffic log`);
      }
    } finally {
      await context.close();
    }
  });

  it("survives a trap: the request in flight gets a 500, the next ones are answered, and the data is intact", async () => {
    const { context, page } = await openApp(browser, app.url, "/");
    try {
      const kept = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "before@example.com" }));
      assert.equal(kept.status, 201);
      assert.equal((await pageFetch(page, "/_playground/status")).status, 200, "the worker's admin module is loaded");
      // A fault inside the instance, as a bug would cause: the browser's UUID generator, which a
      // create calls from inside the wasm, throws a RuntimeError (what a trap is) through it.
      const [worker] = context.serviceWorkers();
      await worker.evaluate(() => {
        const proto = Object.getPrototypeOf(self.crypto);
        self.__realRandomUUID = proto.randomUUID;
        proto.randomUUID = () => {
          throw new WebAssembly.RuntimeError("injected trap");
        };
      });
      const trapped = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "trap@example.com" }));
      assert.equal(trapped.status, 500, JSON.stringify(trapped.body));
      assert.match(trapped.body.detail, /stopped on an internal error .* started again/);
      await worker.evaluate(() => {
        Object.getPrototypeOf(self.crypto).randomUUID = self.__realRandomUUID;
      });
      // The next requests are answered by a new instance, cold from IndexedDB.
      const after = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "after@example.com" }));
      assert.equal(after.status, 201, JSON.stringify(after.body));
      assert.equal((await pageFetch(page, `/scim/v2/Users/${kept.body.id}`)).status, 200, "what was acknowledged before is there");
      const list = await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent('userName eq "trap@example.com"')}`);
      assert.equal(list.body.totalResults, 0, "the trapped request changed nothing");
      const status = await pageFetch(page, "/_playground/status");
      assert.equal(status.status, 200, "the admin module links to the new instance");
      assert.equal(status.body.users, 2);
    } finally {
      await context.close();
    }
  });

  it("refuses a body over the limit before reading it, for /_playground too", async () => {
    const { context, page } = await openApp(browser, app.url, "/");
    try {
      const huge = await page.evaluate(async () => {
        const body = new Uint8Array(65 * 1024 * 1024).fill(32);
        const response = await fetch("/_playground/import", { method: "POST", headers: { "content-type": "application/json" }, body });
        return { status: response.status, body: await response.json() };
      });
      assert.equal(huge.status, 413);
      assert.match(huge.body.detail, /at most 67108864, so it was not read/);
      const next = await pageFetch(page, "/scim/v2/ServiceProviderConfig");
      assert.equal(next.status, 200, "the worker keeps serving");
    } finally {
      await context.close();
    }
  });

  it("runs the page under a Content-Security-Policy that forbids inline scripts", async () => {
    const { context, page, errors } = await openApp(browser, app.url, "/traffic");
    try {
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.doesNotMatch(policy, /unsafe-inline/);
      const injected = await page.evaluate(async () => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.head.append(script);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return window.__injected === true;
      });
      assert.equal(injected, false, "an injected inline script does not run");
      const headers = (await page.goto(`${app.url}/directory`)).headers();
      assert.equal(headers["x-frame-options"], "DENY", "the worker's copy of the page cannot be framed");
      assert.equal(headers["x-content-type-options"], "nosniff");
      await page.locator('[data-panel="directory"]').waitFor();
      assert.deepEqual(errors.filter((e) => !/Content Security Policy|__injected/.test(e)), []);
    } finally {
      await context.close();
    }
  });
});
