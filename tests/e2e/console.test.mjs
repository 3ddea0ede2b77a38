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

  it("follows RFC 9865 cursors with Next and Previous page", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/console");
    await page.getByRole("heading", { name: "Console" }).waitFor();
    for (let i = 1; i <= 12; i += 1) {
      const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `cursor-${String(i).padStart(2, "0")}` });
      const created = await pageFetch(page, "/scim/v2/Users", { method: "POST", headers: { "Content-Type": "application/scim+json" }, body });
      assert.ok([201, 409].includes(created.status), JSON.stringify(created.body));
    }
    await page.getByLabel("Template").selectOption({ label: "Users · List users with a cursor (RFC 9865; follow nextCursor)" });
    await page.getByLabel(/^Path/).fill("/Users?cursor&count=5&sortBy=userName&filter=userName%20sw%20%22cursor-%22");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("console-status").filter({ hasText: "200" }).waitFor();
    const cursors = page.getByTestId("console-cursors");
    assert.equal(await cursors.getByRole("button", { name: "← Previous page" }).isDisabled(), true, "the first page has no previous page");
    assert.match(await page.getByRole("region", { name: "Response" }).innerText(), /"userName": "cursor-01"/);

    await cursors.getByRole("button", { name: "Next page →" }).click();
    await page.getByRole("region", { name: "Response" }).getByText('"userName": "cursor-06"').waitFor();
    assert.match(await page.getByLabel(/^Path/).inputValue(), /^\/Users\?cursor=[0-9a-f]+&count=5&sortBy=userName/);
    await cursors.getByRole("button", { name: "Next page →" }).click();
    await page.getByRole("region", { name: "Response" }).getByText('"userName": "cursor-11"').waitFor();
    assert.equal(await cursors.getByRole("button", { name: "Next page →" }).isDisabled(), true, "the last page has no next page");
    await cursors.getByRole("button", { name: "← Previous page" }).click();
    await page.getByRole("region", { name: "Response" }).getByText('"userName": "cursor-06"').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
