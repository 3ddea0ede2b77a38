// Nothing lost in the browser (#23): the browser is asked to keep the app's data at the first
// change; "Back up everything" of a 1,200-person org with pushes and an import restores into a
// fresh profile, whose own backup is then the same file; a damaged backup is refused and
// changes nothing; a full storage (IndexedDB's QuotaExceededError) is named in the server's
// error, which changes nothing, and the server goes on serving; the traffic log stays within its
// bytes, and App data shows the space each part takes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { useApp, openApp, waitForServer, screenshot, pageFetch, postJson, USER_SCHEMA, stopAllWorkers } from "../support/browser.mjs";
import { DirectoryPanel, ImportPanel, activityShows } from "../support/okta.mjs";

/// Opens App data (through the navigation: a reload could come before the org is saved) and
/// backs up; returns the file's text.
async function backUp(page) {
  await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "App data", exact: true }).click();
  await page.locator('[data-panel="app-data"]').waitFor();
  const card = page.getByTestId("backup");
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Back up everything" }).click()]);
  await card.getByTestId("backup-message").filter({ hasText: "Backed up to" }).waitFor();
  return readFile(await download.path(), "utf8");
}

/// The file without what differs between any two backups: when each was made.
function comparable(text) {
  const backup = JSON.parse(text);
  delete backup.createdAt;
  delete backup.server.exportedAt;
  return JSON.stringify(backup);
}

async function chooseBackup(page, text, name) {
  const file = join(tmpdir(), name);
  await writeFile(file, text);
  await page.getByTestId("backup").locator('input[name="restore"]').setInputFiles(file);
}

describe("backups", () => {
  const suite = useApp();

  it("asks the browser to keep the data at the first change, and a backup restores into a fresh profile as the same file", async () => {
    const context = await suite.browser.newContext();
    // Counts the page's calls to navigator.storage.persist().
    await context.addInitScript(() => {
      window.__persistCalls = 0;
      const persist = StorageManager.prototype.persist;
      StorageManager.prototype.persist = function () {
        window.__persistCalls += 1;
        return persist.call(this);
      };
    });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/directory`);
    await waitForServer(page);
    const directory = new DirectoryPanel(page);
    // Demo people are active, so assigning them pushes them (generated people are staged).
    const [first, ...others] = await directory.logins();
    assert.equal(await page.evaluate(() => window.__persistCalls), 0, "not asked before anything changed");
    await directory.person(first);
    assert.match(await directory.assign(), /^Assigned /);
    await page.waitForFunction(() => window.__persistCalls === 1);

    // A 1,200-person org with pushes and an import.
    await directory.generate(1188);
    for (const login of others.slice(0, 3)) {
      await directory.person(login);
      assert.match(await directory.assign(), /^Assigned /);
    }
    const imports = new ImportPanel(page);
    await imports.open();
    await imports.importNow();
    const original = await backUp(page);
    const parsed = JSON.parse(original);
    assert.equal(parsed.format, "scim-playground-backup");
    assert.equal(parsed.secrets, false);
    assert.ok(Object.keys(parsed.okta.directory.users).length >= 1200, "every person is in it");
    assert.ok(parsed.okta.lastImport, "the import is in it");
    assert.equal(parsed.server.resources.filter((r) => r.resourceType === "User").length, 4, "the pushed users are in it");
    await screenshot(page, "backup");

    // A fresh profile: the restore shows what it replaces, and applies only when confirmed.
    const fresh = await openApp(suite.browser, suite.server.url, "/app-data");
    await chooseBackup(fresh.page, original, "backup.json");
    const preview = fresh.page.getByTestId("restore-preview");
    await preview.or(fresh.page.getByTestId("backup-message")).waitFor();
    assert.equal(await fresh.page.getByTestId("backup-message").count(), 0, await fresh.page.getByTestId("backup").textContent());
    const people = await preview.locator("tr", { hasText: "People" }).locator("td").allTextContents();
    assert.equal(Number(people[1]), Object.keys(parsed.okta.directory.users).length);
    await screenshot(fresh.page, "restore-preview");
    await preview.getByRole("button", { name: "Replace everything" }).click();
    await activityShows(fresh.page, "The backup was restored");
    const again = await backUp(fresh.page);
    assert.equal(comparable(again), comparable(original), "the fresh profile's backup is the same file");
    assert.deepEqual(fresh.errors, []);
    await fresh.context.close();
    await context.close();
  });

  it("refuses a damaged backup with its reason and changes nothing", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    const before = await backUp(page);
    for (const [name, text, says] of [
      ["truncated.json", before.slice(0, before.length / 2), /not JSON, or it is cut short/],
      ["future.json", JSON.stringify({ ...JSON.parse(before), version: 99 }), /version 99, made by a newer SCIM Playground/],
      ["other.json", JSON.stringify({ hello: "world" }), /not a SCIM Playground backup/],
    ]) {
      await chooseBackup(page, text, name);
      const message = page.getByTestId("backup-message");
      await message.filter({ hasText: "cannot be restored" }).waitFor();
      assert.match(await message.textContent(), says);
      assert.match(await message.textContent(), /nothing was changed/);
      assert.equal(await page.getByTestId("restore-preview").count(), 0);
    }
    assert.equal(comparable(await backUp(page)), comparable(before), "nothing changed");
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("names a full storage in the error, changes nothing, and keeps serving", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    const user = (name, extra = {}) => ({ schemas: [USER_SCHEMA], userName: name, ...extra });
    assert.equal((await pageFetch(page, "/scim/v2/Users", postJson(user("kept@example.com")))).status, 201);
    // A full storage, as IndexedDB reports it: its writes to the resources fail with a
    // QuotaExceededError. (Chromium's Storage.overrideQuotaForOrigin shows its override in
    // getUsageAndQuota, but Chromium 156 still let a service worker's IndexedDB write past it, so
    // the error is raised where the browser raises it instead.)
    const [worker] = context.serviceWorkers();
    const full = (on) =>
      worker.evaluate((on) => {
        const proto = IDBObjectStore.prototype;
        self.__realPut ??= proto.put;
        proto.put = on
          ? function (...args) {
              if (this.name === "resources") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
              return self.__realPut.apply(this, args);
            }
          : self.__realPut;
      }, on);
    await full(true);
    const big = user("big@example.com", { title: "x".repeat(400 * 1024) });
    const refused = await pageFetch(page, "/scim/v2/Users", postJson(big));
    assert.equal(refused.status, 500);
    assert.match(refused.body.detail, /nothing changed: this browser's storage for the app is full/);
    assert.match(refused.body.detail, /clearing the traffic log/);
    // The server goes on serving, and the refused user is not there.
    const found = await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent('userName eq "big@example.com"')}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.totalResults, 0);
    // With room again the same request is saved, and every acknowledged write survives a
    // worker restart and a reload.
    await full(false);
    assert.equal((await pageFetch(page, "/scim/v2/Users", postJson(big))).status, 201);
    await stopAllWorkers(context, page);
    await page.reload();
    await waitForServer(page);
    for (const name of ["kept@example.com", "big@example.com"]) {
      const list = await pageFetch(page, `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`);
      assert.equal(list.body.totalResults, 1, name);
    }
    assert.deepEqual(errors.filter((e) => !e.includes("could not record")), []);
    await context.close();
  });

  it("keeps the traffic log within 16 MB, oldest out first, and shows the space each part takes", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/app-data");
    // 70 exchanges of about 512 KB each (both bodies are cut at 256 KiB in the log): 36 MB of
    // records, over twice the bound.
    const sent = 70;
    await page.evaluate(
      async ({ sent, schema }) => {
        const title = "x".repeat(300 * 1024);
        for (let n = 0; n < sent; n += 1) {
          const body = JSON.stringify({ schemas: [schema], userName: `big${n}@example.com`, title });
          await fetch("/scim/v2/Users", { method: "POST", headers: { "content-type": "application/scim+json" }, body });
        }
      },
      { sent, schema: USER_SCHEMA },
    );
    // The log is stored in bursts: wait for the last exchange to be in it.
    const newest = async () => (await pageFetch(page, "/_playground/traffic?limit=1")).body.records[0]?.requestBody ?? "";
    for (let tries = 0; !(await newest()).includes(`big${sent - 1}@`); tries += 1) {
      assert.ok(tries < 100, "the last exchange reaches the log");
      await page.waitForTimeout(100);
    }
    const usage = (await pageFetch(page, "/_playground/usage")).body;
    assert.ok(usage.trafficBytes <= 16_000_000, `the log holds ${usage.trafficBytes} bytes`);
    assert.ok(usage.trafficBytes > 14_000_000, `the log is not emptied more than needed: ${usage.trafficBytes} bytes`);
    assert.ok(usage.trafficRecords < sent && usage.trafficRecords >= 25, `${usage.trafficRecords} exchanges kept`);
    // The oldest went: what is left is the newest, in order.
    const kept = (await pageFetch(page, "/_playground/traffic")).body.records;
    assert.equal(kept.length, usage.trafficRecords);
    const numbers = kept.map((r) => Number(/big(\d+)@/.exec(r.requestBody)?.[1]));
    assert.deepEqual(numbers, Array.from({ length: kept.length }, (_, i) => sent - kept.length + i));
    assert.ok(usage.serverBytes > sent * 300 * 1024, `the server's data is counted: ${usage.serverBytes} bytes`);

    // App data says where the space goes, and clearing the log frees its part.
    await page.reload();
    await page.locator('[data-panel="app-data"]').waitFor();
    const parts = page.getByTestId("storage-parts");
    const part = (key) => parts.locator(`tr[data-part="${key}"] td`);
    await part("traffic").filter({ hasText: "exchanges" }).waitFor();
    assert.match(await part("server").textContent(), /^about \d+\.\d MB \(users, groups and settings/);
    assert.match(await part("traffic").textContent(), /^about 1\d\.\d MB \(\d+ exchanges; it keeps the newest 5,000 exchanges, at most 16 MB of them\)$/);
    assert.match(await part("okta").textContent(), /^about \d+/);
    assert.match(await part("app").textContent(), /^about \d+(\.\d)? (KB|MB)$/);
    await screenshot(page, "storage-parts");
    await page.getByTestId("space-clear-traffic").click();
    await part("traffic").filter({ hasText: "nothing (0 exchanges" }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
