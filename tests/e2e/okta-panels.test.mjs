// The Okta admin panels, driven like the seed document's steps: enable provisioning with
// credentials (a wrong one fails Test API Credentials), assign → POST, rename → PUT or PATCH
// per app type, a mapping change pushed, unassign → active:false, an import with exact,
// partial and new matches confirmed by hand, a sourcing deactivation, and a safeguard trip
// and resume. Each step is checked on the server and in the traffic log, not only on screen.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, pageFetch, screenshot, storedTraffic, until, waitForServer, postJson, USER_SCHEMA } from "../support/browser.mjs";
import {
  DirectoryPanel,
  ImportPanel,
  MappingsPanel,
  ProvisioningPanel,
  SystemLogPanel,
  activityShows,
  serverUser,
} from "../support/okta.mjs";

/// Whether the Okta org's IndexedDB database holds at least `least` pieces (run in the page).
const savedPieces = (least) =>
  new Promise((resolve) => {
    const open = indexedDB.open("scim-playground-okta");
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("pieces")) return resolve(db.close() ?? false);
      const count = db.transaction("pieces").objectStore("pieces").count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result >= least);
      };
      count.onerror = () => resolve(false);
    };
  });

/// The path of a traffic record's URL.
const pathOf = (record) => new URL(record.url, "http://x").pathname;

describe("the Okta admin panels", () => {
  const suite = useApp();

  it("fails Test API Credentials with a wrong credential, passes with the right one, and saves it", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/provisioning");
    const prov = new ProvisioningPanel(page);
    await prov.open("API Integration");
    await prov.requireBearer("s3cret-token");

    await prov.editApi();
    await prov.setHeaderAuth("Bearer wrong");
    const failed = await prov.testCredentials();
    assert.match(failed, /Test API Credentials failed: the app answered 401/);
    const sent = await page.getByTestId("test-exchanges").textContent();
    assert.match(sent, /GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?startIndex=1&count=2 → 401/);

    await page.getByRole("button", { name: "Use these credentials in Okta" }).click();
    assert.equal(await page.getByLabel("Authorization header value").inputValue(), "Bearer s3cret-token");
    const passed = await prov.testCredentials();
    assert.match(passed, /verified successfully/);
    const both = await page.getByTestId("test-exchanges").textContent();
    assert.match(both, /Users\?startIndex=1&count=2 → 200/);
    assert.match(both, /Groups\?startIndex=1&count=100 → 200/);
    await prov.saveApi();
    await screenshot(page, "okta-provisioning-api");

    // The saved credential survives a reload (the org is kept in IndexedDB).
    await page.reload();
    await prov.open("API Integration");
    assert.equal(await page.getByLabel("Authorization header value").inputValue(), "Bearer s3cret-token");
    assert.equal(await page.getByLabel("Authentication Mode").inputValue(), "header");
    await prov.open("To App");
    await screenshot(page, "okta-provisioning-to-app");
    await prov.open("To Okta");
    await screenshot(page, "okta-provisioning-to-okta");

    // Each test request is in the System Log (the failed one too), under the playground's own
    // event type, marked as not Okta's.
    const log = new SystemLogPanel(page);
    await log.open();
    // The failed test stops at its first request: three in all.
    assert.deepEqual(await log.types(), Array(3).fill("playground.api_credentials.test"));
    const tests = page.locator('[data-testid=events] li[data-type="playground.api_credentials.test"]');
    assert.equal(await tests.filter({ hasText: "not an Okta event type" }).count(), 3);
    assert.equal(await tests.filter({ hasText: "FAILURE" }).count(), 1);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("pushes an assignment as POST, renames as GET then PUT for custom and catalog apps alike, pushes a new mapping, and deactivates on unassign", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const dir = new DirectoryPanel(page);
    await dir.open();
    const [jane] = await dir.logins();
    await dir.person(jane);
    assert.match(await dir.assign(), /^Assigned /);
    const created = await serverUser(page, jane);
    assert.equal(created.active, true);
    const post = await storedTraffic(page, (r) => r.method === "POST" && pathOf(r) === "/scim/v2/Users");
    assert.match(post.found.client, /^okta #\d+$/);
    assert.match(await page.getByTestId("person-assignment").textContent(), /Assigned · synced/);
    await screenshot(page, "okta-directory");

    // A password change stays in Okta while To App's Sync Password does not send Okta's.
    await page.getByLabel("New password").fill("Changed-pw-1");
    await page.getByRole("button", { name: "Set password" }).click();
    await activityShows(page, /Changed the password of .* \(not pushed: To App's Sync Password/);
    assert.equal(await page.getByLabel("New password").inputValue(), "", "the field does not keep the password");

    // A custom (AIW) app updates with GET then PUT.
    assert.match(await dir.setAttribute("firstName", "Renamed"), /^Saved /);
    const put = await storedTraffic(page, (r) => r.method === "PUT" && pathOf(r) === `/scim/v2/Users/${created.id}`);
    assert.ok(put.found, "a PUT of the whole user");
    assert.equal((await serverUser(page, jane)).name.givenName, "Renamed");

    // A catalog (OIN) app updates the same way: GET then PUT of the whole user (Okta's SCIM
    // 2.0 reference), so a change made inside the app to a mapped attribute is overwritten.
    const prov = new ProvisioningPanel(page);
    await prov.open("API Integration");
    await prov.editApi();
    await prov.setClient("Okta (OIN app)");
    await prov.saveApi();
    await dir.open();
    await dir.person(jane);
    await dir.setAttribute("lastName", "Overwritten");
    const put2 = await storedTraffic(page, (r) => r.method === "PUT" && pathOf(r) === `/scim/v2/Users/${created.id}` && r.requestBody.includes("Overwritten"));
    assert.ok(put2.found, "a PUT of the whole user for the OIN app too");
    const patch = await storedTraffic(page, (r) => r.method === "PATCH" && pathOf(r) === `/scim/v2/Users/${created.id}` && r.requestBody.includes("Overwritten"));
    assert.ok(!patch.found, "no PATCH carries a profile change");
    assert.equal((await serverUser(page, jane)).name.familyName, "Overwritten");

    // A mapping changed to an expression: the preview shows its value, a mistake is
    // underlined at its span, and the next push sends the new value.
    const maps = new MappingsPanel(page);
    await maps.open();
    await page.getByLabel("Preview for").selectOption({ label: jane });
    await maps.type("displayName", "user.firstName + ");
    await maps.row("displayName").getByRole("alert").waitFor();
    await maps.type("displayName", "user.frstName");
    await maps.row("displayName").locator(".expr-error").filter({ hasText: "frstName" }).waitFor();
    await maps.type("displayName", 'user.firstName + " " + user.lastName + " (via Okta)"');
    assert.equal(await maps.preview("displayName"), '→ "Renamed Overwritten (via Okta)"');
    assert.match(await maps.save("displayName"), /appuser\.displayName = /);
    await screenshot(page, "okta-mappings");
    await dir.open();
    await dir.person(jane);
    await dir.setAttribute("title", "Engineer");
    const pushed = await serverUser(page, jane);
    assert.equal(pushed.displayName, "Renamed Overwritten (via Okta)");
    assert.equal(pushed.title, "Engineer");

    // Unassigning deactivates the app account with a path-less PATCH.
    assert.match(await dir.unassign(), /^Unassigned /);
    assert.match(dir.asked, /^Unassign the app\? Okta deactivates this person's account in the app/, "unassigning is confirmed first");
    assert.equal((await serverUser(page, jane)).active, false);
    // A message belongs to its panel: on another panel it is gone.
    await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Console", exact: true }).click();
    await page.getByRole("heading", { name: "Console" }).waitFor();
    assert.equal((await page.getByTestId("activity").textContent()).trim(), "");
    await dir.open();

    const log = new SystemLogPanel(page);
    await log.open();
    const types = await log.types();
    for (const type of [
      "application.provision.user.push",
      "application.provision.user.push_profile",
      "application.provision.user.deactivate",
    ]) {
      assert.ok(types.includes(type), `${type} is logged: ${types}`);
    }
    await page.getByLabel("Outcome").selectOption("FAILURE");
    await page.getByText("No events").waitFor();
    await page.getByLabel("Outcome").selectOption("");
    await screenshot(page, "okta-system-log");
    const link = page.getByRole("link", { name: /^View exchange #\d+ in Traffic$/ }).first();
    const exchange = (await link.textContent()).match(/#(\d+)/)[1];
    await link.click();
    await page.locator('[data-panel="traffic"]').waitFor();
    assert.match(page.url(), /\/traffic\?client=okta%20%23\d+/);
    // The link opens that exchange, not just the list filtered to it.
    await page.getByRole("region", { name: "Request" }).waitFor();
    assert.equal(await page.locator('tbody tr[aria-selected="true"] td:nth-child(2)').textContent(), `okta #${exchange}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("gives a group's members the value of a Group-scoped attribute, pushed to the app, and refuses none for a User personal one", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/mappings");
    // A role per group, the classic group-level attribute: added in the Profile Editor.
    const editor = page.getByRole("form", { name: "Add an app attribute" });
    await editor.getByLabel("Variable name").fill("role");
    await editor.getByLabel("Display name").fill("Role");
    await editor.getByLabel("External name (SCIM path)").fill("roles[primary eq true].value");
    await editor.getByLabel("Group-assignable").check();
    await editor.getByRole("button", { name: "Add app attribute" }).click();
    await activityShows(page, "The app attribute role was added");

    const directory = new DirectoryPanel(page);
    await directory.open();
    const [member] = await directory.logins();
    await page.getByRole("tab", { name: "Groups" }).click();
    await page.getByLabel("New group name").fill("Admins");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.locator('tr[data-group="Admins"]').click();
    await page.getByLabel("Add member (username)").fill(member);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByTestId("group-members").getByText(member).waitFor();
    await page.getByRole("button", { name: "Assign app to group" }).click();
    await activityShows(page, "Assigned the app to Admins");
    assert.equal((await serverUser(page, member)).roles, undefined, "no role before the group has one");

    const values = page.getByTestId("group-values");
    // Only Group-scoped attributes are offered: the User personal ones (all of Okta's defaults) are not.
    assert.deepEqual(await values.locator("input:not([disabled])").evaluateAll((inputs) => inputs.map((i) => i.name)), ["role"]);
    await values.locator('input[name="role"]').fill("admin");
    await values.getByRole("button", { name: "Save values" }).click();
    await activityShows(page, "Saved the attribute values of the group Admins");
    assert.deepEqual((await serverUser(page, member)).roles, [{ value: "admin", primary: true }]);
    await screenshot(page, "group-values");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("imports exact, partial and new matches confirmed by hand, then sources a deactivation", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const dir = new DirectoryPanel(page);
    await dir.open();
    const people = await page.locator("tr[data-login]").evaluateAll((rows) =>
      rows.map((r) => ({ login: r.dataset.login, name: r.querySelector("strong").textContent.trim() })),
    );
    const exact = people[1];
    const partial = people[2];
    const [partialFirst, partialLast] = partial.name.split(" ");
    const appUser = (userName, givenName, familyName) =>
      postJson({ schemas: [USER_SCHEMA], userName, name: { givenName, familyName }, emails: [{ value: userName, primary: true }], active: true });
    // The app holds the exact match's username in capitals: Okta logins are case-insensitive,
    // so it still matches exactly.
    const exactInApp = exact.login.toUpperCase();
    assert.equal((await pageFetch(page, "/scim/v2/Users", appUser(exactInApp, "Exact", "Match"))).status, 201);
    assert.equal((await pageFetch(page, "/scim/v2/Users", appUser("someone.else@elsewhere.test", partialFirst, partialLast))).status, 201);
    assert.equal((await pageFetch(page, "/scim/v2/Users", appUser("new.person@example.org", "New", "Person"))).status, 201);

    const prov = new ProvisioningPanel(page);
    await prov.open("To Okta");
    await prov.editToOkta();
    await page.getByRole("checkbox", { name: /^Allow partial matches/ }).check();
    // Choosing "the following attribute matches" disables the other two criteria.
    await page.getByLabel("The following attribute matches").check();
    assert.equal(await page.getByRole("checkbox", { name: /^Email matches/ }).isDisabled(), true);
    await page.getByLabel("The following attribute matches").uncheck();
    assert.equal(await page.getByRole("checkbox", { name: /^Email matches/ }).isDisabled(), false);
    await prov.saveToOkta();

    const imp = new ImportPanel(page);
    await imp.open();
    assert.match(await imp.importNow(), /Import finished: 3 users scanned \/ 1 new \/ 2 matched/);
    assert.equal(await imp.kind(exactInApp), "Exact match");
    assert.equal(await imp.kind("someone.else@elsewhere.test"), "Partial match");
    assert.equal(await imp.kind("new.person@example.org"), "New");
    await imp.decide(exactInApp, "exact");
    await imp.decide("someone.else@elsewhere.test", "exact");
    await imp.decide("new.person@example.org", "new");
    await screenshot(page, "okta-import");
    assert.match(await imp.confirmAll(), /Confirmed 3 assignment/);
    for (const username of [exactInApp, "someone.else@elsewhere.test", "new.person@example.org"]) {
      assert.equal(await imp.row(username).locator("td").last().textContent(), "Done");
    }
    await dir.open();
    await dir.person("new.person@example.org");
    await dir.person(exact.login);
    assert.match(await page.getByTestId("person-assignment").textContent(), /Assigned/);

    // Sourcing: the app deactivates the exact match; the next import deactivates the person.
    await prov.open("To Okta");
    await prov.editToOkta();
    await page.getByLabel(/^Allow .* to source Okta users/).check();
    await page.getByLabel("When a user is deactivated in the app").selectOption("deactivate");
    await prov.saveToOkta();
    // With sourcing on, the next import updates the linked person from the app's names, and
    // the row says what changes, before and after.
    await imp.open();
    await imp.importNow();
    await page.getByLabel("Show").selectOption("updated");
    const updated = imp.row(exactInApp);
    assert.equal(await updated.getAttribute("data-kind"), "Updated");
    const why = await updated.locator("td").nth(3).textContent();
    assert.match(why, /lastName: ".+" → "Match"/);
    assert.ok(why.includes(`login: "${exact.login}" → "${exactInApp}"`), why);
    await page.getByLabel("Show").selectOption("all");
    const linked = await serverUser(page, exact.login);
    const off = await pageFetch(page, `/scim/v2/Users/${linked.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] }),
    });
    assert.equal(off.status, 200);
    await imp.open();
    await imp.importNow();
    assert.equal(await imp.kind(exactInApp), "Deactivated in app");
    await dir.open();
    // Sourcing made the app's email, in capitals, the person's login (the username format is
    // the email): the update row said so, before and after.
    await dir.person(exactInApp);
    assert.equal(await dir.status(), "DEPROVISIONED");
    // Its app account is inactive, and the person's page says so rather than "synced".
    assert.equal(await page.getByTestId("person-assignment").textContent(), "Assigned · app account inactive");
    assert.deepEqual(errors, []);
    await context.close();
  });

  // The safeguard's percentage is "the maximum … that can be left unassigned while still
  // allowing the import to proceed": exactly 20 % proceeds, anything more pauses.
  async function importAfterDeleting(suite, deleted) {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const dir = new DirectoryPanel(page);
    await dir.open();
    assert.match(await dir.generate(110, { assign: true }), /Generated 110 people and assigned the app/);
    const list = await pageFetch(page, `/scim/v2/Users?startIndex=1&count=${deleted}`);
    assert.equal(list.body.totalResults, 110);
    for (const user of list.body.Resources) {
      assert.equal((await pageFetch(page, `/scim/v2/Users/${user.id}`, { method: "DELETE" })).status, 204);
    }
    const prov = new ProvisioningPanel(page);
    await prov.open("To Okta");
    await prov.editToOkta();
    assert.match(await page.locator("fieldset", { hasText: "Import Safeguards" }).textContent(), /more than this share .* exactly this share proceeds/);
    await page.getByLabel(/^Allow .* to source Okta users/).check();
    await prov.saveToOkta();
    const imp = new ImportPanel(page);
    await imp.open();
    const said = await imp.importNow();
    return { context, page, errors, imp, said, removed: list.body.Resources.map((r) => r.userName) };
  }

  it("lets an import that would unassign exactly 20 % proceed", async () => {
    const { context, page, errors, imp } = await importAfterDeleting(suite, 22);
    assert.match(await imp.stats(), /88 users scanned .* 22 removed/);
    assert.equal(await page.getByTestId("safeguard").count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("pauses an import that would unassign 21 % at the app-level safeguard and applies it on resume", async () => {
    const { context, page, errors, imp, said, removed } = await importAfterDeleting(suite, 23);
    const banner = page.getByTestId("safeguard");
    await banner.getByText("App-level import safeguard").waitFor();
    // Held means held: no "finished", and every removed row names its person and says so.
    assert.match(said, /^Import held by the app-level safeguard, nothing applied/);
    await page.getByLabel("Show").selectOption("removed");
    const row = imp.row(removed[0]);
    assert.equal(await row.getAttribute("data-kind"), "Removed from app");
    assert.equal(await row.locator("td").last().textContent(), "Held: not applied");
    assert.match(await banner.textContent(), /this import would unassign 23 of 110 assigned users, more than 20 %/);
    await screenshot(page, "okta-import-safeguard");
    // The System Log's roadblock says the same thing in the same words.
    const log = new SystemLogPanel(page);
    await log.open();
    await page.locator('[data-testid=events] li[data-type="system.import.roadblock"]')
      .filter({ hasText: "this import would unassign 23 of 110 assigned users, more than 20 %" }).waitFor();
    await imp.open();
    await page.getByLabel("Show").selectOption("removed");
    await banner.getByRole("button", { name: "Resume import" }).click();
    await activityShows(page, /Import resumed/);
    assert.equal(await banner.count(), 0);
    assert.match(await imp.stats(), /87 users scanned .* 23 removed/);
    assert.equal(await imp.row(removed[0]).locator("td").last().textContent(), "Done");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("keeps a large org across a reload: people, assignments and the System Log", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/directory");
    const dir = new DirectoryPanel(page);
    await dir.open();
    await dir.generate(1200, { assign: true });
    const range = page.getByText(/^1–\d+ of [\d,]+$/);
    const before = await range.textContent();
    assert.match(before, /of 12\d\d$/, "the demo people and the 1,200 generated");
    const assigned = await page.locator("tr[data-login]").filter({ hasText: "Assigned" }).last().getAttribute("data-login");
    // The org is saved after the job as a head and pieces of 250: users, app users and push
    // events take five each. The reload reads every piece back.
    await until(page, savedPieces, 15, "the org is saved in pieces");
    await page.reload();
    await dir.open();
    assert.equal(await range.textContent(), before);
    await dir.person(assigned);
    assert.match(await page.getByTestId("person-assignment").textContent(), /Assigned · synced/);
    const log = new SystemLogPanel(page);
    await log.open();
    assert.ok((await log.types()).includes("application.provision.user.push"), "the push events came back");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shares one org between two tabs: each shows the other's change, and neither undoes it", async () => {
    const a = await openApp(suite.browser, suite.server.url, "/directory");
    const b = await a.context.newPage();
    await b.goto(suite.server.url + "/directory");
    await waitForServer(b);
    const people = (page) => page.getByText(/^1–\d+ of [\d,]+$/);
    await people(b).waitFor();
    const before = Number((await people(b).textContent()).split(" of ")[1]);

    assert.match(await new DirectoryPanel(a.page).generate(3), /Generated 3 people/);
    await activityShows(b, /changed in another tab/);
    assert.equal(await people(b).textContent(), `1–${before + 3} of ${before + 3}`);

    // B's own change starts from A's org, so A's three people are kept.
    assert.match(await new DirectoryPanel(b).generate(2), /Generated 2 people/);
    await activityShows(a.page, /changed in another tab/);
    assert.equal(await people(a.page).textContent(), `1–${before + 5} of ${before + 5}`);
    await a.page.reload();
    await people(a.page).waitFor();
    assert.equal(await people(a.page).textContent(), `1–${before + 5} of ${before + 5}`);
    assert.deepEqual(a.errors, []);
    await a.context.close();
  });
});
