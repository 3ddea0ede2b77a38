// Every guided scenario runs to its end: each step is done ("Do it" or "Next"), and each step
// that names a request is ticked off only when that request is seen in the live traffic.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, screenshot } from "../support/browser.mjs";

const SLUGS = ["first-push", "put-vs-patch", "deprovisioning", "import-matching", "safeguard", "okta-vs-entra", "paging"];

// What the paging lesson tells the learner after a step (by index), worked out from the
// server's answers: index paging loses a row to the delete, cursor paging does not.
const TOLD = {
  paging: {
    3: /Page 2 \(startIndex=5\): paging-06, paging-07, paging-08, paging-09\. Never shown, though still in the app: paging-05\./,
    6: /Page at nextCursor: paging-06, paging-07, paging-08, paging-09\. No row was skipped\./,
  },
};

describe("the Scenarios panel", () => {
  const suite = useApp();

  for (const slug of SLUGS) {
    it(`runs the ${slug} scenario to its end`, async () => {
      const { context, page, errors } = await openApp(suite.browser, suite.server.url, `/scenarios?s=${slug}`);
      await page.locator('[data-panel="scenarios"]').waitFor();
      assert.equal(await page.locator(`[data-scenario="${slug}"]`).getAttribute("aria-selected"), "true", "the link selects it");
      page.on("dialog", (dialog) => dialog.accept());
      await page.getByRole("button", { name: "Reset and start over" }).click();
      await page.getByTestId("activity").getByText("The Okta org was reset to the demo org.").waitFor();
      const steps = page.getByTestId("scenario-steps").locator("li");
      const count = await steps.count();
      for (let i = 0; i < count; i += 1) {
        const step = steps.nth(i);
        // A step whose request came with the previous step's (GET then POST) is already done,
        // or becomes done any moment: the state is read once, so that moment cannot fall
        // between a check and an assertion.
        const state = await step.getAttribute("data-state");
        if (state === "done") continue;
        assert.equal(state, "current", `step ${i + 1} is current`);
        const doIt = step.getByRole("button", { name: "Do it" });
        const next = step.getByRole("button", { name: "Next" });
        if (await doIt.count()) {
          await page.getByTestId("activity").locator(".status--busy").waitFor({ state: "detached", timeout: 30000 });
          await doIt.click();
        } else if (await next.count()) {
          await next.click();
        }
        await page.waitForFunction((el) => el.dataset.state === "done", await step.elementHandle(), { timeout: 30000 });
        const told = TOLD[slug]?.[i];
        if (told) await page.getByTestId("activity").getByText(told).waitFor({ timeout: 30000 });
      }
      await page.getByTestId("scenario-complete").waitFor();
      const expected = await page.getByTestId("scenario-steps").getByText("Expected:").count();
      assert.ok((await page.locator(".scenario-hit").count()) >= Math.min(expected, 1), "the expected requests are highlighted");
      if (slug === "first-push") await screenshot(page, "scenarios");
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it("is classroom-ready: presenter mode, exchanges that open, links to panels, progress kept, settings put back", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/scenarios?s=first-push");
    const steps = page.getByTestId("scenario-steps").locator("li");
    // A step that names a panel links to it.
    assert.equal(await steps.nth(0).getByRole("link", { name: "Open Directory ›" }).getAttribute("href"), "/directory");
    assert.equal(await steps.nth(2).getByRole("link", { name: "Open System Log ›" }).getAttribute("href"), "/system-log");

    // Presenter mode: one step at a time, in large type.
    await page.getByRole("button", { name: "Presenter mode" }).click();
    const visible = () => steps.evaluateAll((items) => items.filter((li) => li.offsetParent !== null).length);
    assert.equal(await visible(), 1, "only the current step shows");
    assert.match(await page.locator(".scenarios__count").textContent(), /Step 1 of 3/);
    await steps.nth(0).getByRole("button", { name: "Do it" }).click();
    await page.waitForFunction((el) => el.dataset.state === "done", await steps.nth(1).elementHandle(), { timeout: 30000 });
    assert.equal(await visible(), 1);
    assert.match(await page.locator(".scenarios__count").textContent(), /Step 3 of 3/);
    await screenshot(page, "scenarios-presenter");

    // A live exchange opens to show its bodies.
    const post = page.getByTestId("scenario-traffic").locator("li", { hasText: "POST /Users" }).first();
    await post.locator("summary").click();
    assert.match(await post.locator("pre").last().textContent(), /"userName"/, "the response body is shown");
    await page.getByRole("button", { name: "Leave presenter mode" }).click();

    // Following a step's link and coming back picks the lesson up where it was.
    await steps.nth(2).getByRole("link", { name: "Open System Log ›" }).click();
    await page.locator('[data-panel="system-log"]').waitFor();
    await page.goto(`${suite.server.url}/scenarios?s=first-push`);
    await page.locator('[data-panel="scenarios"]').waitFor();
    assert.equal(await steps.nth(2).getAttribute("data-state"), "current", "the lesson resumes at its third step");

    // A lesson that switches the client profile offers to put it back at its end.
    await page.getByRole("tab", { name: "The same change from Okta and from Entra ID" }).click();
    for (let i = 0; i < 3; i += 1) {
      const step = steps.nth(i);
      await page.getByTestId("activity").locator(".status--busy").waitFor({ state: "detached", timeout: 30000 });
      await step.getByRole("button", { name: "Do it" }).click();
      await page.waitForFunction((el) => el.dataset.state === "done", await step.elementHandle(), { timeout: 30000 });
    }
    const changed = page.getByTestId("scenario-changed");
    await changed.waitFor();
    assert.match(await changed.textContent(), /the client profile \(Okta \(OIN/);
    await changed.getByRole("button", { name: "Put them back" }).click();
    await page.getByTestId("activity").getByText("The settings the lesson changed are back as they were.").waitFor();
    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Provisioning", exact: true }).click();
    await page.getByRole("tab", { name: "API Integration" }).click();
    const client = await page.getByLabel("Client profile (how Okta talks)").evaluate((select) => select.selectedOptions[0].textContent);
    assert.match(client, /custom/i, `the client profile is back: ${client}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
