// The Traffic panel: exchanges appear live with masked secrets, filters narrow the list, the
// selected exchange shows request and response, and "copy as curl" replays through the bridge.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startServer } from "../support/server.mjs";
import { DIST, USER_SCHEMA, launch, openApp, pageFetch, postJson, screenshot } from "../support/browser.mjs";
import { startBridge } from "../../scripts/bridge.mjs";

const run = promisify(execFile);

describe("the Traffic panel", () => {
  let server;
  let browser;
  let bridge;

  before(async () => {
    server = await startServer(DIST);
    browser = await launch();
    bridge = await startBridge({ app: server.url });
  });

  after(async () => {
    await bridge?.close();
    await browser?.close();
    await server?.close();
  });

  it("shows exchanges live, masked, filterable, and copies a curl that replays through the bridge", async () => {
    const { context, page, errors } = await openApp(browser, server.url, "/traffic");
    await page.getByRole("heading", { name: "Traffic" }).waitFor();
    await page.getByText("No exchanges yet").or(page.locator("table")).first().waitFor();
    // The page's own health check (GET /ServiceProviderConfig when it starts) is not traffic:
    // once a server requires a token it would show as an unexplained 401.
    await page.getByText("SCIM server ready").waitFor();
    const start = await pageFetch(page, "/_playground/traffic?limit=200");
    assert.deepEqual(start.body.records.filter((r) => r.url.includes("/ServiceProviderConfig")), []);

    const created = await pageFetch(page, "/scim/v2/Users", {
      ...postJson({ schemas: [USER_SCHEMA], userName: "traffic@example.com" }),
      headers: { "content-type": "application/scim+json", authorization: "Bearer top-secret", "x-playground-client": "console" },
    });
    assert.equal(created.status, 201);
    await pageFetch(page, "/scim/v2/Nope");

    const rows = page.locator("tbody tr");
    await page.locator("tbody tr", { hasText: "/Users" }).first().waitFor();
    assert.ok((await rows.count()) >= 2);
    // At 1280 px every column of the list is in view — Status and ms above all — without
    // scrolling it sideways, a long path wrapping instead.
    await page.setViewportSize({ width: 1280, height: 800 });
    const fit = await page.locator(".traffic__list").evaluate((list) => {
      const box = list.getBoundingClientRect();
      const status = list.querySelector("tbody tr td:nth-child(5)").getBoundingClientRect();
      return { overflow: list.scrollWidth - list.clientWidth, statusRight: status.right, listRight: box.right };
    });
    assert.ok(fit.overflow <= 1, `the exchange list scrolls ${fit.overflow} px sideways at 1280 px`);
    assert.ok(fit.statusRight <= fit.listRight, "the Status column is in view");

    await page.getByLabel("Status").selectOption("4");
    await page.locator("tbody tr", { hasText: "/Nope" }).waitFor();
    assert.equal(await page.locator("tbody tr", { hasText: "/Users" }).count(), 0, "4xx filter hides the 201");
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Client").selectOption("console");
    assert.equal(await rows.count(), 1);
    // The latency chart draws even a single exchange (a line needs two points).
    const line = await page.locator("figure.chart polyline").getAttribute("points");
    assert.equal(line.trim().split(/\s+/).length, 2, `one exchange drawn as a level line: ${line}`);

    await rows.first().click();
    const request = page.getByRole("region", { name: "Request" });
    await request.waitFor();
    const requestText = await request.innerText();
    assert.match(requestText, /Bearer ••••••••/);
    assert.ok(!requestText.includes("top-secret"), "the secret is not shown");
    assert.match(await page.getByRole("region", { name: "Response" }).innerText(), /201/);
    await screenshot(page, "traffic");

    await page.getByLabel("Bridge URL").fill(bridge.url);
    await page.getByRole("button", { name: "Copy as curl" }).click();
    // The copied command needs the bridge running, and the page says how to start it.
    await page.getByText(/run `make bridge` in the project first/).waitFor();
    const curl = await page.getByTestId("curl").innerText();
    assert.ok(curl.startsWith("curl"), curl);
    assert.ok(curl.includes(`${bridge.url}/scim/v2/Users`), curl);
    // The bridge's browser has its own, empty server: the replayed POST creates the user there.
    const { stdout } = await run("bash", ["-c", curl.replace(/\\\n/g, " ")]);
    assert.match(stdout, /^HTTP\/1\.1 201/, stdout.slice(0, 300));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
