// The matching rule drawn as a flow and sourcing as transitions (#18): they follow the settings
// as they are edited ("Allow partial matches" adds the partial branch, "suspend" replaces
// "deactivate"), after an import each branch carries its count and
// a results row lights its own path, the diagram reads as text, and it exports as an SVG file
// that parses and a PNG image.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useApp, openApp, pageFetch, postJson, screenshot, USER_SCHEMA } from "../support/browser.mjs";
import { DirectoryPanel, ImportPanel, MappingsPanel, ProvisioningPanel, activityShows } from "../support/okta.mjs";

const node = (diagram, id) => diagram.locator(`g[data-node="${id}"]`);
const edge = (diagram, from, to) => diagram.locator(`g[data-from="${from}"][data-to="${to}"]`);
const off = async (locator) => (await locator.getAttribute("class")).includes("--off");

describe("diagrams", () => {
  const suite = useApp();

  it("draws the matching rule as it is edited, counts an import's rows on it, and exports it", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const [login] = await new DirectoryPanel(page).logins();

    // To Okta: the partial branch is drawn greyed until "Allow partial matches" is ticked.
    const prov = new ProvisioningPanel(page);
    await prov.open("To Okta");
    const settings = page.getByTestId("diagram-matching-settings");
    assert.ok(await off(node(settings, "partial")), "partial matches are off by default");
    assert.ok(!(await off(edge(settings, "exact", "new-out"))), "without them, no exact match means new");
    await page.getByRole("button", { name: "Edit To Okta" }).click();
    await page.locator('input[name="allowPartial"]').check();
    assert.ok(!(await off(node(settings, "partial"))), "the branch is drawn at once, before Save");
    assert.ok(!(await off(edge(settings, "exact", "partial"))));
    assert.ok(await off(edge(settings, "exact", "new-out")));
    // Sourcing's transitions follow its settings the same way.
    const lifecycle = page.getByTestId("diagram-sourcing");
    const sourcing = page.locator('input[name="sourcing"]');
    await sourcing.uncheck();
    for (const id of ["deactivate", "suspend", "unsuspend", "reactivate"]) {
      assert.ok(await off(edge(lifecycle, `${id}-from`, `${id}-to`)), `${id}: app sourcing is off`);
    }
    await sourcing.check();
    await page.locator('select[name="onDeactivated"]').selectOption("suspend");
    assert.ok(await off(edge(lifecycle, "deactivate-from", "deactivate-to")));
    assert.ok(!(await off(edge(lifecycle, "suspend-from", "suspend-to"))));
    await page.locator('select[name="onDeactivated"]').selectOption("deactivate");
    assert.ok(!(await off(edge(lifecycle, "deactivate-from", "deactivate-to"))));
    assert.ok(await off(edge(lifecycle, "suspend-from", "suspend-to")));
    await lifecycle.scrollIntoViewIfNeeded();
    await screenshot(page, "diagram-sourcing");
    await page.getByRole("button", { name: "Save To Okta" }).click();
    await activityShows(page, "To Okta settings saved.");

    // Three app users: one is an Okta person's username (exact), two are nobody (new).
    for (const userName of [login, "diagram.one@example.com", "diagram.two@example.com"]) {
      const created = await pageFetch(page, "/scim/v2/Users", postJson({ schemas: [USER_SCHEMA], userName, name: { givenName: "Zed", familyName: `Zz${userName.length}` }, emails: [{ value: userName, primary: true }] }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const imports = new ImportPanel(page);
    await imports.open();
    await imports.importNow();
    const flow = page.getByTestId("diagram-matching-rule");
    const count = async (id) => Number(await node(flow, id).locator(".dg-count").textContent());
    const kinds = await page.locator("[data-testid=import-rows] tr[data-kind]").evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    const of = (kind) => kinds.filter((k) => k === kind).length;
    assert.equal(await count("start"), kinds.length);
    assert.equal(await count("exact-out"), of("Exact match"));
    assert.equal(await count("new-out"), of("New"));
    assert.equal(await count("partial-out"), of("Partial match"));
    assert.ok(of("Exact match") >= 1 && of("New") >= 2, kinds.join(", "));
    assert.match(await page.getByTestId("import-stats").textContent(), new RegExp(`^${kinds.length} users scanned / ${of("New")} new`));

    // A row lights its own path; the text says the same as the picture.
    await page.locator('[data-testid=import-rows] tr[data-kind="Exact match"]').first().hover();
    for (const id of ["start", "linked", "exact", "exact-out"]) {
      assert.match(await node(flow, id).getAttribute("class"), /dg-node--lit/, id);
    }
    assert.doesNotMatch(await node(flow, "new-out").getAttribute("class"), /dg-node--lit/);
    assert.match(await edge(flow, "exact", "exact-out").getAttribute("class"), /dg-edge--lit/);
    await screenshot(page, "diagram-matching");
    const text = await page.getByTestId("diagram-matching-rule-text").textContent();
    assert.match(text, /Exact match \(waits for your confirmation\): 1 in the last import/);
    assert.match(text, /Partial match\? \(First and last name equal an Okta user's\)/);

    // Exports: an SVG file with its colours written in, that parses; a PNG image.
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), flow.getByRole("button", { name: "Export SVG" }).click()]);
    assert.equal(svgDownload.suggestedFilename(), "matching-rule.svg");
    const svg = await readFile(await svgDownload.path(), "utf8");
    assert.match(svg, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /var\(--/, "the theme's colours are written in");
    assert.doesNotMatch(svg, /class="[^"]*--lit/, "the page's highlight is not exported");
    assert.doesNotMatch(svg, /light-dark\(/, "one theme's colours, not both");
    // Parsed in a blank page: the app's own Content-Security-Policy would refuse the file's
    // style, as it should for anything not from the app's own files.
    const blank = await context.newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return { error: doc.querySelector("parsererror")?.textContent ?? null, boxes: doc.querySelectorAll("g[data-node]").length };
    }, svg);
    assert.deepEqual(parsed, { error: null, boxes: 8 });
    await blank.close();
    // In the dark theme the file carries the dark colours.
    await page.getByRole("button", { name: "Switch to the dark theme" }).click();
    const [darkDownload] = await Promise.all([page.waitForEvent("download"), flow.getByRole("button", { name: "Export SVG" }).click()]);
    const dark = await readFile(await darkDownload.path(), "utf8");
    const textFill = (file) => /\.dg text \{\s*fill: ([^;]+);/.exec(file)?.[1];
    assert.ok(textFill(svg) && textFill(dark) && textFill(svg) !== textFill(dark), `${textFill(svg)} / ${textFill(dark)}`);
    await screenshot(page, "diagram-matching-dark");
    const [pngDownload] = await Promise.all([page.waitForEvent("download"), flow.getByRole("button", { name: "Export PNG" }).click()]);
    assert.equal(pngDownload.suggestedFilename(), "matching-rule.png");
    const png = await readFile(await pngDownload.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
    assert.ok(png.length > 10_000, `a picture, not an empty canvas: ${png.length} bytes`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("draws every mapping as a line with its value for the chosen person, dashed when create only, red when it fails", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/mappings");
    const mappings = new MappingsPanel(page);
    const graph = page.getByTestId("diagram-mappings");
    await node(graph, "okta:userName").waitFor();
    assert.equal(await node(graph, "okta:userName").locator(".dg-title").textContent(), "login");
    assert.equal(await node(graph, "okta:primaryEmailType").locator(".dg-title").textContent(), "expression");
    // The value each line sends for the person the previews are for.
    const line = (target) => edge(graph, `okta:${target}`, `app:${target}`);
    const givenName = await mappings.preview("givenName");
    assert.equal(`→ ${await line("givenName").locator(".dg-label").textContent()}`, givenName);
    assert.ok(await edge(graph, "app:givenName", "okta:givenName").count(), "the app → Okta mapping drawn back");

    // Create only: dashed. An expression that fails for this person: red, with the error.
    await mappings.row("title").getByRole("combobox").selectOption("create");
    await mappings.type("title", "Convert.toInt(user.firstName)");
    await mappings.save("title");
    await page.waitForFunction(() => document.querySelector('[data-testid="diagram-mappings"] g[data-from="okta:title"]')?.classList.contains("dg-edge--problem"));
    assert.match(await line("title").getAttribute("class"), /dg-edge--dashed/);
    assert.match(await line("title").locator("title").textContent(), /./, "the error is its tooltip");
    await line("title").scrollIntoViewIfNeeded();
    await screenshot(page, "diagram-mappings");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
