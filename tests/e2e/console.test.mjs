// The Console: a template sent to the built-in server, the {id} of the created user reused,
// invalid JSON refused before sending, the history kept, and the exchange in Traffic.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, pageFetch, screenshot, storedTraffic } from "../support/browser.mjs";

describe("the Console panel", () => {
  const suite = useApp();

  it("sends templates, reuses the created id, refuses bad JSON and keeps a history", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/console");
    await page.getByRole("heading", { name: "Console" }).waitFor();
    await page.getByLabel("Template").selectOption({ label: "Users · Create a user" });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("console-status").filter({ hasText: "201" }).waitFor();
    const created = await page.getByRole("region", { name: "Response" }).innerText();
    const id = created.match(/"id": "([0-9a-f-]{36})"/)?.[1];
    assert.ok(id, created);

    await page.getByLabel("Template").selectOption({ label: "Okta · Deactivate (path-less PATCH)" });
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("console-status").filter({ hasText: "200" }).waitFor();
    const user = await pageFetch(page, `/scim/v2/Users/${id}`);
    assert.equal(user.body.active, false, "the PATCH went to the created user");

    await page.getByLabel("Body").fill('{"schemas": [}');
    assert.match(await page.locator("#body-problem").innerText(), /Not JSON: .*line 1 column/);
    assert.equal(await page.getByRole("button", { name: "Send" }).isDisabled(), true);

    const history = page.locator(".history li");
    assert.equal(await history.count(), 2);
    assert.match(await history.first().innerText(), /PATCH \/Users\/\{id\} → 200/);
    await screenshot(page, "console");

    const { found } = await storedTraffic(page, (r) => r.client === "console" && r.method === "PATCH");
    assert.ok(found, "the Console's PATCH is in the traffic log");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
