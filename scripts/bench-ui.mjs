// The admin panels at scale, in headless Chromium against dist/: how long the main thread is
// blocked (the browser's "long tasks", over 50 ms) while the Okta simulator generates 10,000
// people, assigns one of them (a job on a copy of the whole org, then a save to IndexedDB),
// searches them, imports 10,000 app users, confirms the rows awaiting confirmation, and
// reloads. The panels' target is no block over 100 ms. Prints figures; asserts nothing.
import { launch, openApp, pageFetch, DIST, adminJson } from "../tests/support/browser.mjs";
import { startServer } from "../tests/support/server.mjs";

const server = await startServer(DIST);
const browser = await launch();
const { context, page } = await openApp(browser, server.url, "/directory");
const observe = () =>
  page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push(Math.round(e.duration));
    }).observe({ type: "longtask" });
  });
const settle = () => page.getByTestId("activity").locator(".status--busy").waitFor({ state: "detached", timeout: 600000 });
const rows = [];
async function measure(label, work) {
  await page.evaluate(() => (window.__long = []));
  const started = Date.now();
  await work();
  const elapsed = Date.now() - started;
  await page.waitForTimeout(1500); // the save to IndexedDB after the queue drains
  const long = await page.evaluate(() => window.__long);
  rows.push([label, elapsed, long.length, Math.max(0, ...long)]);
}

await observe();
await measure("generate 10,000 people", async () => {
  await page.getByLabel("How many").fill("10000");
  await page.getByRole("button", { name: "Generate people" }).click();
  await settle();
});
await measure("assign one person (10k org)", async () => {
  await page.locator("tr[data-login]").first().click();
  await page.getByRole("button", { name: "Assign app" }).click();
  await settle();
});
await measure("search 10,000 people", async () => {
  await page.getByTestId("people-search").fill("smith");
  await page.waitForTimeout(200);
});
const seeded = await pageFetch(page, "/_playground/seed", adminJson("POST", { users: 10000, groups: 0 }));
if (seeded.status >= 300) throw new Error(`seeding failed: ${seeded.status}`);
await page.getByRole("navigation", { name: "Panels" }).getByRole("link", { name: "Import", exact: true }).click();
await measure("import 10,000 app users", async () => {
  await page.getByRole("button", { name: "Import Now" }).click();
  await settle();
});
await measure("confirm every awaiting row of that import", async () => {
  await page.getByRole("button", { name: "Select all awaiting" }).click();
  await page.getByRole("button", { name: /^Confirm Assignments/ }).click();
  await settle();
});
await measure("reload with the 10k org", async () => {
  await page.reload();
  await observe();
  await page.getByTestId("import-stats").waitFor({ timeout: 60000 });
});

console.log("| workload | elapsed ms | long tasks | longest ms |");
console.log("|---|---|---|---|");
for (const [label, elapsed, count, longest] of rows) console.log(`| ${label} | ${elapsed} | ${count} | ${longest} |`);
await context.close();
await browser.close();
await server.close();
