// An axe-core audit of every built panel, in the light and the dark theme and at a phone's
// width: no serious or critical violation (WCAG 2 A and AA rules), and no panel wider than the
// screen. The panels are audited with
// data in them (a provisioned person, an import, log events), since empty pages hide most of
// what could be wrong.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { useApp, openApp } from "../support/browser.mjs";
import { DirectoryPanel, ImportPanel } from "../support/okta.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");

/// The panels to audit: slug, and an optional step that fills or opens something first.
const PANELS = [
  ["directory"],
  ["app-data"],
  ["provisioning"],
  // To Okta draws the matching and sourcing diagrams.
  ["provisioning?tab=to-okta"],
  // With the push preview open (its summary; the requests when there are some).
  // (It stays open once opened, so only the first pass clicks.)
  ["mappings", async (page) => {
    const show = page.getByRole("button", { name: "Show the push" });
    await page.getByRole("button", { name: /^(Show|Hide) the push$/ }).waitFor();
    if (await show.isVisible()) await show.click();
    await page.getByTestId("push-preview-summary").waitFor();
  }],
  ["import"],
  ["system-log"],
  ["traffic"],
  ["console"],
  ["share"],
  ["explain"],
  ["tests"],
  ["scenarios"],
];

async function audit(page) {
  // Evaluated by the test harness, not added as a <script>: the page's Content-Security-Policy
  // forbids inline scripts, and the audit must see the page exactly as users get it.
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(await readFile(AXE, "utf8"));
  }
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  });
}

describe("accessibility", () => {
  const suite = useApp();

  it("every panel has no serious or critical axe violation in light and dark, wide and narrow", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    // Give the panels something to show: a provisioned person and an import.
    const dir = new DirectoryPanel(page);
    await dir.open();
    const [first] = await dir.logins();
    await dir.person(first);
    await dir.assign();
    const imp = new ImportPanel(page);
    await imp.open();
    await imp.importNow();

    const found = [];
    for (const [scheme, width] of [["light", 1280], ["dark", 1280], ["light", 360]]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      for (const [path, step] of PANELS) {
        const slug = path.split("?")[0];
        await page.goto(`${suite.server.url}/${path}`);
        await page.locator(`[data-panel="${slug}"]`).waitFor();
        if (step) await step(page);
        // Let lists that load from the server settle before auditing them.
        await page.waitForTimeout(300);
        for (const violation of await audit(page)) found.push(`${path} (${scheme}, ${width}px): ${violation}`);
        // Usable at a phone's width means no sideways scrolling of the page itself: a wide
        // table scrolls inside its own region.
        const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (pageWidth > width) found.push(`${path} (${scheme}, ${width}px): the page is ${pageWidth}px wide`);
      }
    }
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("the directory can be used with the keyboard alone", async () => {
    const { context, page } = await openApp(suite.browser, suite.server.url, "/directory");
    await page.locator("tr[data-login]").first().waitFor();
    // Tab to the first person's row and open it with Enter, then assign with Enter on the button.
    await page.locator("tr[data-login]").first().focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("person-title").waitFor();
    await page.getByRole("button", { name: "Assign app" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Unassign app" }).waitFor({ timeout: 30000 });
    await context.close();
  });
});
