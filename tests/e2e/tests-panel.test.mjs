// The Tests panel: Okta's SPEC test, the CRUD flow and the discovery check all pass against the
// built-in server; with a wrong credential the failures say what was expected and what came back.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, pageFetch, postJson, USER_SCHEMA, screenshot, adminJson } from "../support/browser.mjs";

async function runAll(page) {
  await page.getByRole("button", { name: "Run all" }).click();
  await page.getByTestId("tests-summary").filter({ hasText: "Discovery and schema:" }).waitFor({ timeout: 60000 });
  return (await page.getByTestId("tests-summary").textContent()).trim();
}

describe("the Tests panel", () => {
  const suite = useApp();

  it("passes every suite against the built-in server, and explains the failures with a wrong credential", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/tests");
    // Okta's test needs the server to hold a user, and a server that requires a credential.
    assert.equal((await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName: "existing@example.com", name: { givenName: "Ex", familyName: "Isting" }, emails: [{ value: "existing@example.com", primary: true }], active: true }))).status, 201);
    const settings = (await pageFetch(page, "/_playground/settings")).body;
    settings.auth = { method: "bearer", token: "tests-token" };
    assert.equal((await pageFetch(page, "/_playground/settings", adminJson("PUT", settings))).status, 200);

    const summary = await runAll(page);
    // Okta's "within 600 ms" check times a real request; on a loaded CI machine it is the one
    // check allowed to miss, so the assertion below names every other failure.
    const failed = await page.locator('[data-check-passed="false"]').allTextContents();
    assert.deepEqual(failed.filter((f) => !f.includes("within 600 ms")), []);
    assert.match(summary, /^Okta SPEC test: 1[12]\/12 steps passed · Lifecycle CRUD flow: 9\/9 steps passed · Discovery and schema: 3\/3 steps passed$/);
    // Each step shows the request it sent (credential masked) and the response with its headers.
    const create = page.locator('[data-suite="spec"] .test-step', { hasText: "Create a user" }).first();
    await create.locator("summary", { hasText: "Create a user" }).click();
    await create.locator("summary", { hasText: /^Request$/ }).click();
    const sent = await create.getByTestId("step-request").textContent();
    assert.match(sent, /^POST http.*\/scim\/v2\/Users\n/);
    assert.match(sent, /Authorization: Bearer ••••••••/);
    assert.match(sent, /Content-Type: application\/json/);
    assert.match(sent, /"userName": "spec\.test\./);
    assert.doesNotMatch(sent, /tests-token/, "the credential never shows");
    await create.locator("summary", { hasText: /^Response$/ }).click();
    const received = await create.getByTestId("step-response").textContent();
    assert.match(received, /^201\n/);
    assert.match(received, /content-type: application\/scim\+json/i);
    assert.match(received, /location: .*\/Users\//i);
    await screenshot(page, "tests");

    await page.getByLabel("Use the credential the built-in server requires").uncheck();
    await page.getByLabel("Authorization header").fill("Bearer wrong");
    const failing = await runAll(page);
    assert.match(failing, /Okta SPEC test: [0-9]+\/12/);
    assert.doesNotMatch(failing, /12\/12/);
    const spec = page.locator('[data-suite="spec"]');
    const firstFailure = spec.locator('[data-check-passed="false"]').first();
    assert.match(await firstFailure.textContent(), /status is 200 — got 401/);
    // The step that sends a wrong credential on purpose passes either way.
    const refused = spec.locator(".test-step", { hasText: "List users with a wrong Authorization" });
    assert.equal(await refused.getAttribute("data-passed"), "true");
    await screenshot(page, "tests-failing");

    // One suite against a server given by its base URL (a trailing slash is fine) and a typed
    // credential: the same server, reached as an external one would be.
    await page.getByLabel("External SCIM server").check();
    await page.getByLabel("Base URL").fill(`${suite.server.url}/scim/v2/`);
    await page.getByLabel("Authorization header").fill("Bearer tests-token");
    await page.getByRole("button", { name: "Run Discovery and schema" }).click();
    await page.getByTestId("tests-summary").filter({ hasText: "Discovery and schema: 3/3 steps passed" }).waitFor({ timeout: 30000 });
    assert.doesNotMatch(await page.getByTestId("tests-summary").textContent(), /Okta|CRUD/, "only the suite asked for ran");
    assert.equal(await page.locator("[data-suite]").count(), 1);
    const discovered = page.locator('[data-suite="discovery"] .test-step').first();
    await discovered.locator("summary").first().click();
    await discovered.locator("summary", { hasText: /^Request$/ }).click();
    assert.match(await discovered.getByTestId("step-request").textContent(), new RegExp(`^GET ${suite.server.url}/scim/v2/ServiceProviderConfig\n`));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
