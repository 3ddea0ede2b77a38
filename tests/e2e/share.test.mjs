// Share by URL: a link made in one browser profile carries the configuration to a fresh one,
// where it is shown as a diff and applied only on confirmation; damaged, oversized,
// unknown-version and hostile links show an error and change nothing.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { useApp, openApp, screenshot } from "../support/browser.mjs";
import { MappingsPanel, ProvisioningPanel, activityShows } from "../support/okta.mjs";

const decode = (fragment) => JSON.parse(inflateRawSync(Buffer.from(fragment, "base64url")).toString("utf8"));
const encode = (config) => deflateRawSync(Buffer.from(JSON.stringify(config))).toString("base64url");

async function openShare(page, url) {
  // A fresh document each time: a link differing only in its fragment would otherwise be a
  // same-document navigation that the page never reloads for.
  await page.goto("about:blank");
  await page.goto(url);
  await page.locator('[data-panel="share"]').waitFor();
}

describe("the Share panel", () => {
  const suite = useApp();

  it("carries the configuration to a fresh profile, shows the diff, and applies it only on confirmation", async () => {
    const a = await openApp(suite.browser, suite.server.url, "/provisioning");
    const prov = new ProvisioningPanel(a.page);
    await prov.open("To App");
    await a.page.getByRole("button", { name: "Edit To App" }).click();
    await a.page.getByLabel("Create Users").uncheck();
    await a.page.getByRole("button", { name: "Save To App" }).click();
    await activityShows(a.page, "To App settings saved.");
    const maps = new MappingsPanel(a.page);
    await maps.open();
    await maps.type("title", 'user.title + " (shared)"');
    await maps.save("title");
    await openShare(a.page, `${suite.server.url}/share`);
    const link = await a.page.getByTestId("share-link").inputValue();
    assert.match(link, /\/share#config=[A-Za-z0-9_-]+$/);
    assert.equal(await a.page.getByTestId("share-length").textContent(), `${link.length} characters`);
    const config = decode(link.split("#config=")[1]);
    assert.equal(config.toApp.createUsers, false);
    assert.equal(typeof config.authMethod, "string", "only the method travels, never credentials");
    assert.equal(JSON.stringify(config).includes("Bearer"), false, "no secrets travel");
    await screenshot(a.page, "share");

    const b = await openApp(suite.browser, suite.server.url, "/");
    await openShare(b.page, link.replace(/^https?:\/\/[^/]+/, suite.server.url));
    const diff = b.page.getByTestId("share-diff");
    await diff.locator('tr[data-path="toApp.createUsers"]').waitFor();
    await diff.locator('tr[data-path="mappings.toApp.title.expression"]').waitFor();
    await screenshot(b.page, "share-incoming");
    // Nothing is applied yet: the fresh profile still creates users.
    const before = decode((await b.page.getByTestId("share-link").inputValue()).split("#config=")[1]);
    assert.equal(before.toApp.createUsers, true);
    await b.page.getByRole("button", { name: "Apply this configuration" }).click();
    await activityShows(b.page, "The shared configuration was applied.");
    assert.equal(new URL(b.page.url()).hash, "", "the fragment is cleared after applying");
    const after = decode((await b.page.getByTestId("share-link").inputValue()).split("#config=")[1]);
    assert.deepEqual(after, config);
    const provB = new ProvisioningPanel(b.page);
    await provB.open("To App");
    assert.equal(await b.page.getByLabel("Create Users").isChecked(), false);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await a.context.close();
    await b.context.close();
  });

  it("refuses damaged, oversized, unknown-version and hostile links and changes nothing", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/share");
    const original = await page.getByTestId("share-link").inputValue();
    const config = decode(original.split("#config=")[1]);
    const cases = [
      ["a script in a field", encode({ ...config, appLabel: "<script>window.pwned = 1</script>" }), /app label is not plain text/],
      // 2,000,000 characters: just under Chromium's 2 MiB limit on a URL, far over ours.
      ["a 2 MB link", "A".repeat(2_000_000), /longer than/],
      ["an unknown version", encode({ version: 99 }), /version 99, newer than this playground/],
      ["damaged text", "%%%not-base64%%%", /not base64url/],
      ["a javascript: hook", encode({ ...config, import: { ...config.import, hook: { kind: "http", url: "javascript:alert(1)" } } }), /hook's URL must be an absolute http/],
    ];
    for (const [label, fragment, message] of cases) {
      await openShare(page, `${suite.server.url}/share#config=${fragment}`);
      const error = page.getByTestId("share-error");
      await error.waitFor();
      assert.match(await error.textContent(), message, label);
      assert.equal(await page.getByRole("button", { name: "Apply this configuration" }).count(), 0, label);
      assert.equal(await page.getByTestId("share-link").inputValue(), original, `${label} changed nothing`);
      assert.equal(await page.evaluate(() => window.pwned), undefined, label);
    }
    await screenshot(page, "share-error");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
