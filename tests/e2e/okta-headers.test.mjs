// Okta's headers (#22, item 2): the simulator's requests go through the browser, which replaces
// Okta's User-Agent and adds headers of its own. The System Log shows each request's headers as
// Okta sends them; Traffic marks the ones the browser added and says what Okta sends instead.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useApp, openApp, screenshot } from "../support/browser.mjs";
import { DirectoryPanel, SystemLogPanel } from "../support/okta.mjs";

describe("Okta's headers", () => {
  const suite = useApp();

  it("the System Log shows Okta's User-Agent, and Traffic marks what the browser added", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/");
    const directory = new DirectoryPanel(page);
    await directory.open();
    await directory.person((await directory.logins())[0]);
    assert.match(await directory.assign(), /Assigned/);

    const log = new SystemLogPanel(page);
    await log.open();
    const push = page.locator('[data-testid="events"] li[data-type="application.provision.user.push"]').first();
    await push.locator("summary", { hasText: "Headers, as Okta sends them" }).click();
    const sent = await push.locator("dl.headers").textContent();
    assert.match(sent, /User-AgentOkta SCIM Client 1\.0\.0/);
    assert.match(sent, /Acceptapplication\/scim\+json; charset=utf-8/);

    await push.getByRole("link", { name: /View exchange #\d+ in Traffic/ }).click();
    await page.getByTestId("browser-headers-note").waitFor();
    const marked = await page.locator('.exchange__side[aria-label="Request"] dt[data-browser="true"]').allTextContents();
    assert.ok(marked.map((n) => n.toLowerCase()).includes("x-playground-client"), `the page's caller tag is marked: ${marked}`);
    const kept = await page.locator('.exchange__side[aria-label="Request"] dt[data-browser="false"]').allTextContents();
    assert.ok(kept.map((n) => n.toLowerCase()).includes("content-type"), `Okta's own headers are not marked: ${kept}`);
    await screenshot(page, "traffic-okta-headers");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
