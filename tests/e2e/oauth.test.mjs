// The worker's OAuth 2.0 authorization server, as Okta's "Authenticate with the app" uses it:
// consent page → code → tokens → SCIM requests with the access token; refresh rotation,
// revocation and expiry all end in 401 for the old token.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../support/server.mjs";
import { DIST, launch, openApp, pageFetch, adminJson } from "../support/browser.mjs";

const CLIENT = { id: "okta-client", secret: "oauth-s3cret" };
const basic = "Basic " + Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64");

function form(fields) {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
    body: new URLSearchParams(fields).toString(),
  };
}

const bearer = (token) => ({ headers: { authorization: `Bearer ${token}` } });

describe("the OAuth 2.0 authorization server", () => {
  let server;
  let browser;
  let app;
  let callback;

  before(async () => {
    server = await startServer(DIST);
    browser = await launch();
    app = await openApp(browser, server.url);
    callback = `${server.url}/oauth-callback`;
    const settings = (await pageFetch(app.page, "/_playground/settings")).body;
    settings.auth = { method: "oauth", clientId: CLIENT.id, clientSecret: CLIENT.secret, tokens: [] };
    const saved = await pageFetch(app.page, "/_playground/settings", adminJson("PUT", settings));
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });

  after(async () => {
    await app?.context.close();
    await browser?.close();
    await server?.close();
  });

  async function authorize(decision) {
    const page = await app.context.newPage();
    const query = new URLSearchParams({ response_type: "code", client_id: CLIENT.id, redirect_uri: callback, state: "st4te" });
    await page.goto(`${server.url}/_playground/oauth/authorize?${query}`);
    await page.getByRole("heading", { name: "Authorize access" }).waitFor();
    // Only the redirect matters here: waiting for the callback page to "load" would also wait
    // for the whole app to start in that tab, which a loaded machine can stall.
    await Promise.all([
      page.waitForURL(/oauth-callback/, { waitUntil: "commit" }),
      page.getByRole("button", { name: decision }).click(),
    ]);
    const url = new URL(page.url());
    // The tab is closed without waiting: right after a redirect, Playwright's close can hang
    // for good (reproduced in 1 run of 4, with the app or even a static image as the callback,
    // and often even after the tab's load event). The context closes whatever is left.
    page.close().catch(() => {});
    return url.searchParams;
  }

  it("refuses SCIM requests without a token", async () => {
    const res = await pageFetch(app.page, "/scim/v2/Users");
    assert.equal(res.status, 401);
  });

  it("runs the authorization-code flow, refreshes with rotation, and revokes", async () => {
    const params = await authorize("Allow");
    assert.equal(params.get("state"), "st4te");
    const code = params.get("code");
    assert.ok(code);

    const tokens = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "authorization_code", code, redirect_uri: callback }));
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.token_type, "Bearer");
    assert.ok(tokens.body.refresh_token);
    assert.equal((await pageFetch(app.page, "/scim/v2/Users", bearer(tokens.body.access_token))).status, 200);

    const reused = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "authorization_code", code, redirect_uri: callback }));
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, "invalid_grant");

    const refreshed = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }));
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.access_token, tokens.body.access_token);
    const again = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "refresh_token", refresh_token: tokens.body.refresh_token }));
    assert.equal(again.status, 400, "a refresh token is single-use");

    const revoked = await pageFetch(app.page, "/_playground/oauth/revoke", form({ token: refreshed.body.access_token }));
    assert.equal(revoked.status, 200);
    const after = await pageFetch(app.page, "/scim/v2/Users", bearer(refreshed.body.access_token));
    assert.equal(after.status, 401);
    assert.equal(after.body.status, "401");
  });

  it("redirects with access_denied when the admin denies", async () => {
    const params = await authorize("Deny");
    assert.equal(params.get("error"), "access_denied");
    assert.equal(params.get("code"), null);
  });

  it("expires a client-credentials token", async () => {
    const short = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "client_credentials", expires_in: "1" }));
    assert.equal(short.status, 200);
    assert.equal(short.body.refresh_token, undefined);
    assert.equal((await pageFetch(app.page, "/scim/v2/Users", bearer(short.body.access_token))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await pageFetch(app.page, "/scim/v2/Users", bearer(short.body.access_token))).status, 401);
  });

  it("refuses a wrong client secret and an unknown grant type", async () => {
    const wrong = await pageFetch(app.page, "/_playground/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT.id, client_secret: "nope" }).toString(),
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, "invalid_client");
    const unknown = await pageFetch(app.page, "/_playground/oauth/token", form({ grant_type: "password" }));
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, "unsupported_grant_type");
  });

  it("escapes a hostile client_id on the consent page", async () => {
    const page = await app.context.newPage();
    const query = new URLSearchParams({ response_type: "code", client_id: "<img src=x onerror=alert(1)>", redirect_uri: callback });
    const response = await page.goto(`${server.url}/_playground/oauth/authorize?${query}`);
    assert.equal(response.status(), 400);
    assert.equal(await page.locator("img").count(), 0);
    await page.close();
  });
});
