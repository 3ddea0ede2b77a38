// App data: the server's users page by page, search, and changes made "inside the app" —
// deactivate, edit the JSON and save with If-Match, delete — each checked against the server.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, pageFetch, screenshot } from "../support/browser.mjs";

describe("the App data panel", () => {
  const suite = useApp();

  it("pages, searches, deactivates, edits and deletes users inside the app", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    await page.getByRole("heading", { name: "App data" }).waitFor();
    await page.getByText("No users").waitFor();
    await page.getByLabel("Demo users").fill("30");
    await page.getByRole("button", { name: "Add demo data" }).click();
    await page.getByText("1–25 of 30").waitFor();
    assert.equal(await page.getByTestId("app-data-rows").locator("tbody tr").count(), 25);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("26–30 of 30").waitFor();

    await page.getByLabel("Search userName (contains)").fill("grace.lovelace");
    await page.getByText("1–1 of 1").waitFor();
    await page.getByTestId("app-data-rows").locator("tbody tr").first().click();
    await page.getByRole("button", { name: "Deactivate in the app" }).click();
    await page.getByRole("button", { name: "Reactivate in the app" }).waitFor();
    const list = await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent('userName eq "grace.lovelace@example.com"')}`);
    const grace = list.body.Resources[0];
    assert.equal(grace.active, false);

    const editor = page.getByLabel("Resource JSON");
    const edited = JSON.parse(await editor.inputValue());
    edited.title = "Rear Admiral";
    await editor.fill(JSON.stringify(edited, null, 2));
    await page.getByRole("button", { name: "Save (PUT)" }).click();
    await page.getByText("Saved.").waitFor();
    assert.equal((await pageFetch(page, `/scim/v2/Users/${grace.id}`)).body.title, "Rear Admiral");
    await screenshot(page, "app-data");

    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByText("Deleted.").waitFor();
    assert.equal((await pageFetch(page, `/scim/v2/Users/${grace.id}`)).status, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
