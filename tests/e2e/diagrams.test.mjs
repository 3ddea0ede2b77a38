// The matching rule drawn as a flow and sourcing as transitions (#18): they follow the settings
// as they are edited ("Allow partial matches" adds the partial branch, "suspend" replaces
// "deactivate"), after an import each branch carries its count and
// a results row lights its own path, the diagram reads as text, and it exports as an SVG file
// that parses and a PNG image. "What if" plays an event for one person as a dry run (its path
// lit, Okta's requests and events listed, nothing sent), and the push preview shows the bodies
// the next push sends, compared with what Traffic then records.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useApp, openApp, pageFetch, postJson, screenshot, storedTraffic, USER_SCHEMA } from "../support/browser.mjs";
import { DirectoryPanel, ImportPanel, MappingsPanel, ProvisioningPanel, activityShows, serverUser } from "../support/okta.mjs";

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
    // Full screen, for a projector: the diagram grows to fill it, and the button leaves it.
    const drawn = async () => flow.locator("svg.dg").evaluate((svg) => svg.getBoundingClientRect().width);
    const inPage = await drawn();
    await flow.getByRole("button", { name: "Full screen" }).click();
    await page.waitForFunction(() => document.fullscreenElement?.dataset.testid === "diagram-matching-rule");
    await flow.getByRole("button", { name: "Leave full screen" }).waitFor();
    assert.ok((await drawn()) > inPage * 1.2, `drawn ${await drawn()} px wide in full screen, ${inPage} px in the page`);
    await flow.getByRole("button", { name: "Leave full screen" }).click();
    await page.waitForFunction(() => document.fullscreenElement === null);
    await flow.getByRole("button", { name: "Full screen" }).waitFor();
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
    // Choosing a line opens its mapping for editing: its expression field, focused.
    await line("givenName").locator("polyline.dg-hit").click({ force: true });
    assert.equal(await page.evaluate(() => document.activeElement?.id), "expression-to-app-givenName");
    // So does Enter on a box, for the keyboard.
    await node(graph, "app:familyName").focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "expression-to-app-familyName");
    await line("title").scrollIntoViewIfNeeded();
    await screenshot(page, "diagram-mappings");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("plays an event for one person as a dry run: its path lit, Okta's requests and events listed, nothing sent or changed", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const directory = new DirectoryPanel(page);
    const [login] = await directory.logins();
    await directory.person(login);
    await directory.assign();
    assert.equal((await serverUser(page, login)).active, true);
    // The worker stores exchanges in batches: wait for the last one before counting.
    assert.ok((await storedTraffic(page, (r) => r.method === "GET" && r.url.includes("filter=") && !r.client.startsWith("okta"))).found);
    const traffic = async () => (await pageFetch(page, "/_playground/traffic?limit=200")).body.records.length;
    const exchanges = await traffic();

    const prov = new ProvisioningPanel(page);
    await prov.open("To Okta");
    const card = page.getByTestId("what-if");
    const says = (text) => card.getByTestId("what-if-summary").filter({ hasText: text }).waitFor();
    const lifecycle = page.getByTestId("diagram-sourcing");
    const lit = async (id) => /dg-edge--lit/.test(await edge(lifecycle, `${id}-from`, `${id}-to`).getAttribute("class"));
    await card.locator('select[name="whatIfPerson"]').selectOption({ label: `${login} — ACTIVE` });
    await card.locator('select[name="whatIfEvent"]').selectOption("deactivated-in-app");
    await says("app sourcing is off");
    assert.ok(!(await lit("deactivate")));
    // The form's settings, before Save: the app sources Okta users, deactivating them.
    await prov.editToOkta();
    await page.locator('input[name="sourcing"]').check();
    await says("goes from Active (ACTIVE) to Deactivated (DEPROVISIONED)");
    assert.ok(await lit("deactivate"), "the path it takes is lit");
    assert.ok(!(await lit("suspend")));
    const requests = card.getByTestId("what-if-request");
    assert.equal(await requests.count(), 1);
    assert.match(await requests.first().locator(".request-list__line").textContent(), /^GET http.*\/scim\/v2\/Users\?startIndex=1&count=100$/);
    assert.match(await card.getByTestId("what-if-event").allTextContents().then((t) => t.join("\n")), /user\.lifecycle\.deactivate SUCCESS/);
    await page.locator('select[name="onDeactivated"]').selectOption("suspend");
    await says("to Suspended (SUSPENDED)");
    assert.ok(await lit("suspend"));
    assert.ok(!(await lit("deactivate")));
    // To App: unassigning sends the deactivation at once.
    await card.locator('select[name="whatIfEvent"]').selectOption("unassigned-in-okta");
    await says("deactivates the app account");
    assert.equal(await requests.count(), 1);
    assert.equal(await requests.first().getAttribute("data-method"), "PATCH");
    const patch = JSON.parse(await requests.first().getByTestId("request-body").textContent());
    assert.deepEqual(patch.Operations, [{ op: "replace", value: { active: false } }]);
    assert.ok(await lit("to-app"));
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "diagram-what-if");
    await page.getByRole("button", { name: "Cancel" }).click();

    // Nothing was sent, and nothing changed.
    assert.equal(await traffic(), exchanges, "the dry run sent no request");
    assert.equal((await serverUser(page, login)).active, true);
    await directory.open();
    await directory.person(login);
    assert.equal(await directory.status(), "ACTIVE");
    await page.getByRole("button", { name: "Unassign app" }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("previews the push for the chosen person: the bodies equal what the next push sends, the password masked", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const directory = new DirectoryPanel(page);
    const login = (await directory.logins())[1];
    const mappings = new MappingsPanel(page);
    await mappings.open();
    await page.getByLabel("Preview for").selectOption({ label: login });
    const card = page.getByTestId("push-preview");
    await card.getByRole("button", { name: "Show the push" }).click();
    await card.getByTestId("push-preview-summary").filter({ hasText: "Assigning them now" }).waitFor();
    const requests = card.getByTestId("push-preview-request");
    assert.deepEqual(await requests.evaluateAll((items) => items.map((i) => i.dataset.method)), ["GET", "POST"]);
    const bodyOf = async (i) => JSON.parse(await requests.nth(i).getByTestId("request-body").textContent());
    const created = await bodyOf(1);
    assert.equal(created.userName, login);
    if ("password" in created) assert.equal(created.password, "••••••••", "the password is masked");

    // The assignment sends that very body (Traffic masks the password the same way).
    await directory.open();
    await directory.person(login);
    await directory.assign();
    const post = await storedTraffic(page, (r) => r.method === "POST" && r.url.endsWith("/scim/v2/Users") && r.requestBody.includes(login));
    assert.ok(post.found, "the POST is in Traffic");
    assert.deepEqual(JSON.parse(post.found.requestBody), created);

    // A changed mapping: the preview follows it at once with the update, GET then PUT.
    await mappings.open();
    await mappings.type("title", '"Analyst " + user.lastName');
    await mappings.save("title");
    // Opened once, the preview stays open on the next visit.
    await card.getByTestId("push-preview-summary").filter({ hasText: "The next push of their profile" }).waitFor();
    assert.deepEqual(await requests.evaluateAll((items) => items.map((i) => i.dataset.method)), ["GET", "PUT"]);
    const put = await bodyOf(1);
    assert.match(put.title, /^Analyst /);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "push-preview");
    // The next push (an edit of an attribute the app does not get) sends exactly that body.
    await directory.open();
    await directory.person(login);
    await directory.setAttribute("title", "Ignored by the mapping");
    const sent = await storedTraffic(page, (r) => r.method === "PUT" && r.requestBody.includes("Analyst "));
    assert.ok(sent.found, "the PUT is in Traffic");
    assert.deepEqual(JSON.parse(sent.found.requestBody), put);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
