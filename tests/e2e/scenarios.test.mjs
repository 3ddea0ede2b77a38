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
});
