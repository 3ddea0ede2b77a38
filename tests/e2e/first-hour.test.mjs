// The first hour, as a new teacher or developer meets it (issue #16): the overview's two ways in,
// the navigation as a menu on a phone, a person's detail brought into view on a phone, To Okta's
// Edit in reach at the top of a long form with labels that say what ticking does, and the Import
// page naming the matching rule in force; App data's "New user", room for an expression, and the
// share diff in Okta's words.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { useApp, openApp, pageFetch, screenshot } from "../support/browser.mjs";
import { DirectoryPanel, MappingsPanel, ProvisioningPanel } from "../support/okta.mjs";

/// Whether `locator`'s box lies inside the viewport.
async function inView(page, locator) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  return !!box && box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width;
}

describe("the first hour", () => {
  const suite = useApp();

  it("the overview offers a lesson and a test of one's own server, each one click away", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/");
    const paths = page.getByTestId("paths");
    await paths.getByRole("heading", { name: "Teach a lesson" }).waitFor();
    await paths.getByRole("heading", { name: "Test my SCIM server" }).waitFor();
    assert.ok(await inView(page, paths.getByRole("link", { name: "Start the first lesson" })), "above the fold at 1280 px");
    await screenshot(page, "overview-paths");
    // The navigation starts with the same two panels.
    const first = await page.getByRole("navigation", { name: "Panels" }).getByRole("link").allTextContents();
    assert.deepEqual(first.slice(0, 2), ["Scenarios", "Tests"]);

    await paths.getByRole("link", { name: "Start the first lesson" }).click();
    await page.locator('[data-scenario="first-push"][aria-selected="true"]').waitFor();
    await page.goBack();
    await paths.getByRole("link", { name: "Run Okta's SPEC test" }).click();
    await page.locator('[data-panel="tests"]').waitFor();
    assert.equal(await page.getByLabel("External SCIM server").isChecked(), true, "the test starts on an external server");
    await page.getByLabel("Base URL").waitFor();
    await page.goBack();
    await paths.getByRole("link", { name: "Set up API Integration" }).click();
    await page.locator('[data-tab="api"][aria-selected="true"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("on a phone: the navigation is a menu, and a person's detail is brought into view", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/");
    await page.setViewportSize({ width: 390, height: 844 });
    const nav = page.getByRole("navigation", { name: "Panels" });
    const menu = page.getByRole("button", { name: "Panels" });
    assert.equal(await nav.isVisible(), false, "the navigation is folded away");
    assert.equal(await menu.getAttribute("aria-expanded"), "false");
    await screenshot(page, "phone-overview");
    await menu.click();
    assert.equal(await menu.getAttribute("aria-expanded"), "true");
    // Every panel is reachable, none off-screen.
    for (const name of ["Scenarios", "Tests", "Directory", "Traffic", "Explain"]) {
      assert.ok(await inView(page, nav.getByRole("link", { name, exact: true })), `${name} is on screen`);
    }
    await screenshot(page, "phone-menu");
    await nav.getByRole("link", { name: "Directory", exact: true }).click();
    await page.locator('[data-panel="directory"]').waitFor();
    assert.equal(await nav.isVisible(), false, "picking a panel closes the menu");

    const directory = new DirectoryPanel(page);
    const logins = await directory.logins();
    // Usernames wrap before their "@", never in the middle of a word ("…@example.co / m").
    const lines = await page.locator('[data-testid="people"] tbody tr .muted').evaluateAll((spans) =>
      spans.map((span) => {
        const range = document.createRange();
        const out = [""];
        let top = null;
        const walker = document.createTreeWalker(span, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let i = 0; i < node.length; i += 1) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const y = range.getBoundingClientRect().top;
            if (top !== null && Math.abs(y - top) > 2) out.push("");
            top = y;
            out[out.length - 1] += node.data[i];
          }
        }
        return out;
      }),
    );
    for (const parts of lines) {
      assert.ok(parts.length === 1 || (parts.length === 2 && parts[1].startsWith("@")), `wrapped as ${JSON.stringify(parts)}`);
    }
    await page.locator(`tr[data-login="${logins.at(-1)}"]`).click();
    const title = page.getByTestId("person-title");
    await title.filter({ hasText: logins.at(-1) }).waitFor();
    await page.waitForFunction(() => {
      const box = document.querySelector('[data-testid="person-title"]')?.getBoundingClientRect();
      return box && box.top >= 0 && box.bottom <= window.innerHeight;
    }, null, { timeout: 5000 });
    await screenshot(page, "phone-person");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("To Okta: Edit is at the top and stays in reach, and the Import page names the rule in force", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/");
    const prov = new ProvisioningPanel(page);
    await prov.open("To Okta");
    const form = page.getByRole("form", { name: "Provisioning to Okta" });
    const edit = page.getByRole("button", { name: "Edit To Okta" });
    const [editBox, formBox] = [await edit.boundingBox(), await form.boundingBox()];
    assert.ok(editBox.y - formBox.y < 80, "Edit sits at the top of the form");
    await edit.click();
    // Scrolled to the end of the long form, Save is still on screen.
    await form.getByRole("checkbox", { name: /^Allow partial matches/ }).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 4000);
    assert.ok(await inView(page, page.getByRole("button", { name: "Save To Okta" })), "Save stays in reach");
    const help = await form.locator("label", { hasText: "Confirm matched users" }).textContent();
    assert.match(help, /ticked, an import links exact matches itself; unticked, each waits for you/);
    await form.getByRole("checkbox", { name: /^Allow partial matches/ }).check();
    await form.getByRole("checkbox", { name: /^Confirm matched users/ }).check();
    await prov.saveToOkta();

    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Import", exact: true }).click();
    const rule = page.getByTestId("rule-in-force");
    await rule.waitFor();
    const text = await rule.textContent();
    assert.match(text, /Exact match when the app user's username, in the Okta username format, is an Okta username\./);
    assert.match(text, /Partial match when first and last name are equal/);
    assert.match(text, /exact matches are linked automatically; partial matches wait for your confirmation; new users wait for your confirmation/);
    await screenshot(page, "import-rule-in-force");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("smaller findings: App data makes a new user, expressions have room, the share diff names settings as Okta does", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    await page.getByRole("button", { name: "New user" }).click();
    const editor = page.getByLabel("Resource JSON");
    const template = JSON.parse(await editor.inputValue());
    assert.equal(template.userName, "new.user@example.com");
    await editor.fill(JSON.stringify({ ...template, userName: "made.in.app@example.com", emails: [{ value: "made.in.app@example.com", primary: true }] }));
    await page.getByRole("button", { name: "Create (POST)" }).click();
    await page.getByText("Created in the app.").waitFor();
    const made = await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent('userName eq "made.in.app@example.com"')}`);
    assert.equal(made.body.totalResults, 1, "the user is in the app");
    await page.getByRole("button", { name: "Save (PUT)" }).waitFor();

    const maps = new MappingsPanel(page);
    await maps.open();
    const input = page.getByLabel("Expression for appuser.title");
    const { width } = await input.boundingBox();
    assert.ok(width >= 560, `an expression field is ${Math.round(width)} px wide at 1280 px`);

    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Share", exact: true }).click();
    const link = await page.getByTestId("share-link").inputValue();
    const config = JSON.parse(inflateRawSync(Buffer.from(link.split("#config=")[1], "base64url")).toString("utf8"));
    config.toApp.createUsers = !config.toApp.createUsers;
    await page.goto("about:blank");
    await page.goto(`${link.split("#config=")[0]}#config=${deflateRawSync(Buffer.from(JSON.stringify(config))).toString("base64url")}`);
    const row = page.getByTestId("share-diff").locator('tr[data-path="toApp.createUsers"]');
    await row.waitFor();
    assert.equal((await row.locator("td").first().textContent()).trim(), "To App › Create Users");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("on a phone, the import's results are cards that read as sentences", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    await page.getByLabel("Demo users").fill("3");
    await page.getByRole("button", { name: "Add demo data" }).click();
    await page.getByText("Added up to 3 demo users.").waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${suite.server.url}/import`);
    await page.getByRole("button", { name: "Import Now" }).click();
    const rows = page.getByTestId("import-rows").locator("tbody tr");
    await rows.first().waitFor({ timeout: 30000 });
    const why = rows.first().locator('td[data-label="Why"]');
    const box = await why.boundingBox();
    assert.ok(box.width >= 300, `the reason has the card's width (${Math.round(box.width)} px), not a column a few letters wide`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow} px wider than the phone`);
    await screenshot(page, "phone-import");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
