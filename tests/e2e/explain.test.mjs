// Explain: the engine's own parse tree, matches and reasons for a filter, errors underlined at
// their span, a PATCH stepped through with its RFC rules without changing anything, and a
// filter picked from the traffic.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, pageFetch, screenshot, storedTraffic, adminJson } from "../support/browser.mjs";

describe("the Explain panel", () => {
  const suite = useApp();

  it("explains filters and PATCHes from the server's engine", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/explain");
    const seeded = await pageFetch(page, "/_playground/seed", adminJson("POST", { users: 6, groups: 1 }));
    assert.ok(seeded.status < 300);
    const users = (await pageFetch(page, "/scim/v2/Users?count=10")).body.Resources;

    const filter = page.getByRole("form", { name: "Filter" }).getByLabel("Filter");
    await filter.fill(`userName eq "${users[0].userName}" or emails[type eq "work"]`);
    await page.getByRole("button", { name: "Explain filter" }).click();
    const tree = page.getByTestId("parse-tree");
    await tree.locator('li[data-kind="or"]').waitFor();
    assert.equal(await tree.locator('li[data-kind="compare"]').count(), 2, "userName eq and the value filter's type eq");
    assert.equal(await tree.locator('li[data-kind="valuePath"]').count(), 1);
    assert.match(await page.getByTestId("match-count").textContent(), /^\d+ of 6 match$/);
    const first = page.getByTestId("explained-resources").locator("li").first();
    assert.equal(await first.getAttribute("data-matched"), "true");
    await first.locator("summary").click();
    await first.locator(".explain-node--yes").first().waitFor();
    await screenshot(page, "explain-filter");

    await filter.fill('userName eq "x" and');
    await page.getByRole("button", { name: "Explain filter" }).click();
    await page.getByTestId("explain-error").waitFor();
    await filter.fill('nickNam eq "x"');
    await page.getByRole("button", { name: "Explain filter" }).click();
    await page.getByTestId("explain-error").locator(".expr-error").filter({ hasText: "nickNam" }).waitFor();

    await page.getByRole("tab", { name: "PATCH" }).click();
    await page.getByRole("form", { name: "PATCH" }).getByLabel("Resource id").fill(users[1].id);
    await page.getByRole("button", { name: "Step through" }).click();
    const steps = page.getByTestId("patch-steps").locator("> li");
    await steps.first().waitFor();
    assert.equal(await steps.count(), 3);
    assert.match(await steps.nth(0).getByTestId("rule").textContent(), /§3\.5\.2\.3 \(Replace\)/);
    assert.match(await steps.nth(1).getByTestId("rule").textContent(), /value filter/);
    // Each path in words, its value filter as a tree.
    assert.equal((await steps.nth(0).getByTestId("path").textContent()).trim(), "Path: attribute displayName");
    const path = steps.nth(1).getByTestId("path");
    assert.match(await path.textContent(), /^Path: attribute emails, the elements that match the filter below, sub-attribute display/);
    assert.equal(await path.locator('li[data-kind="compare"]').textContent(), 'compare: type eq "work"');
    assert.equal((await pageFetch(page, `/scim/v2/Users/${users[1].id}`)).body.displayName === "New Name", false, "a dry run stores nothing");
    await screenshot(page, "explain-patch");

    // A filter sent earlier, picked from the traffic log.
    await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent('userName pr')}`);
    // The worker stores traffic in batches; wait until this exchange is in the log.
    assert.ok((await storedTraffic(page, (r) => r.url.includes("filter=userName"))).found);
    await page.getByRole("tab", { name: "Filter" }).click();
    await page.getByRole("button", { name: "Pick from the traffic…" }).click();
    const recent = page.getByLabel("Recent filters, PATCHes and cursors");
    await recent.waitFor();
    const option = await recent.locator("option", { hasText: "GET filter userName pr" }).first().getAttribute("value");
    await recent.selectOption(option);
    await page.getByTestId("parse-tree").locator('li[data-kind="present"]').waitFor();
    assert.equal(await page.getByRole("form", { name: "Filter" }).getByLabel("Filter").inputValue(), "userName pr");

    // A PATCH sent earlier, picked from the traffic: stepped through against its own resource.
    const patched = await pageFetch(page, `/scim/v2/Users/${users[2].id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "nickName", value: "Picked" }, { op: "remove", path: "nickName" }] }),
    });
    assert.equal(patched.status, 200);
    assert.ok((await storedTraffic(page, (r) => r.method === "PATCH" && r.url.includes(users[2].id))).found);
    await page.getByRole("button", { name: "Pick from the traffic…" }).click();
    const patchOption = await recent.locator("option", { hasText: `PATCH /Users/${users[2].id}` }).first().getAttribute("value");
    await recent.selectOption(patchOption);
    const pickedSteps = page.getByTestId("patch-steps").locator("li");
    await pickedSteps.first().waitFor();
    assert.equal(await page.getByRole("form", { name: "PATCH" }).getByLabel("Resource id").inputValue(), users[2].id);
    assert.equal(await pickedSteps.count(), 2);
    assert.match(await pickedSteps.nth(0).getByTestId("rule").textContent(), /§3\.5\.2\.3 \(Replace\)/);
    assert.match(await pickedSteps.nth(1).getByTestId("rule").textContent(), /§3\.5\.2\.2 \(Remove\)/);
    await screenshot(page, "explain-patch-from-traffic");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("explains an RFC 9865 cursor picked from the traffic, and the place a deleted row keeps", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/explain");
    const seeded = await pageFetch(page, "/_playground/seed", adminJson("POST", { users: 4, groups: 0 }));
    assert.ok(seeded.status < 300);
    const first = await pageFetch(page, "/scim/v2/Users?cursor&count=2&sortBy=userName");
    assert.equal(first.status, 200);
    const last = first.body.Resources[1];
    const next = first.body.nextCursor;
    assert.match(next, /^[0-9a-f]+$/);
    const second = await pageFetch(page, `/scim/v2/Users?cursor=${next}&sortBy=userName`);
    assert.equal(second.status, 200);
    assert.ok((await storedTraffic(page, (r) => r.url.includes(`cursor=${next}`))).found);

    await page.getByRole("button", { name: "Pick from the traffic…" }).click();
    const recent = page.getByLabel("Recent filters, PATCHes and cursors");
    const option = await recent.locator("option", { hasText: "GET cursor" }).first().getAttribute("value");
    await recent.selectOption(option);
    const explained = page.getByTestId("cursor-explanation");
    await explained.waitFor();
    assert.equal(await page.getByRole("form", { name: "Cursor" }).getByLabel(/^Cursor/).inputValue(), next);
    const text = await explained.innerText();
    assert.ok(text.includes(`The 2 entries right after User ${last.id} (its sortBy value was "${last.userName.toLowerCase()}")`), text);
    assert.match(text, /is still on the server/);

    assert.equal((await pageFetch(page, `/scim/v2/Users/${last.id}`, { method: "DELETE" })).status, 204);
    await page.getByRole("button", { name: "Explain cursor" }).click();
    await explained.getByText(/has been deleted since/).waitFor();
    await screenshot(page, "explain-cursor");
    await page.getByRole("form", { name: "Cursor" }).getByLabel(/^Cursor/).fill("not-a-cursor");
    await page.getByRole("button", { name: "Explain cursor" }).click();
    await page.getByTestId("explain-error").getByText(/not one this server issued/).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
