// A rate-limited external server (#22, item 5). Okta honours an integer Retry-After, and waits
// five minutes without one; a page cannot read a Retry-After that a server on another origin
// does not expose, so the playground waits seconds instead, says why, counts down, and lets the
// admin cancel the retry (then nothing more is sent).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { useApp, openApp, screenshot } from "../support/browser.mjs";
import { DirectoryPanel, ProvisioningPanel, settled } from "../support/okta.mjs";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM server on its own origin that allows the page's requests (CORS) but exposes no
/// response header, and answers the next `limited` requests with 429 and `Retry-After: 120`.
function rateLimitedServer() {
  const state = { limited: 0, hits: [] };
  const server = createServer((req, res) => {
    const cors = {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "*",
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      state.hits.push(`${req.method} ${req.url}`);
      const json = { ...cors, "content-type": "application/scim+json" };
      if (state.limited > 0) {
        state.limited -= 1;
        res.writeHead(429, { ...json, "retry-after": "120" });
        res.end(JSON.stringify({ schemas: [ERROR], status: "429", detail: "slow down" }));
      } else if (req.method === "GET") {
        res.writeHead(200, json);
        res.end(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] }));
      } else {
        res.writeHead(201, json);
        res.end(JSON.stringify({ ...JSON.parse(body || "{}"), id: `ext-${state.hits.length}` }));
      }
    });
  });
  return { server, state };
}

describe("a rate-limited external server", () => {
  const suite = useApp();
  const external = rateLimitedServer();
  let base;
  before(async () => {
    await new Promise((resolve) => external.server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${external.server.address().port}/scim/v2`;
  });
  after(() => new Promise((resolve) => external.server.close(resolve)));

  it("is retried within seconds when its Retry-After cannot be read, visibly, and the retry can be cancelled", async () => {
    const { context, page, errors } = await openApp(suite.browser, suite.server.url, "/");
    const prov = new ProvisioningPanel(page);
    await prov.editExternal(base);
    await prov.saveApi();

    const directory = new DirectoryPanel(page);
    await directory.open();
    const [first, second] = await directory.logins();
    await directory.person(first);
    external.state.limited = 1;
    const started = Date.now();
    await page.getByRole("button", { name: "Assign app" }).click();
    const wait = page.getByTestId("backoff");
    await wait.waitFor({ timeout: 10000 });
    assert.match(await wait.textContent(), /Rate limited: trying again in [1-5] s/);
    assert.match(await wait.textContent(), /Access-Control-Expose-Headers/);
    await screenshot(page, "rate-limit-backoff");
    assert.match(await settled(page), /Assigned/);
    const took = Date.now() - started;
    assert.ok(took < 30000, `retried within seconds, not Okta's five minutes (${took} ms)`);
    assert.deepEqual(external.state.hits.map((h) => h.split(" ")[0]), ["GET", "GET", "POST"], "the check, its retry, the create");

    // Cancelled: the wait ends and nothing more is sent.
    external.state.hits.length = 0;
    external.state.limited = 1;
    await directory.person(second);
    await page.getByRole("button", { name: "Assign app" }).click();
    await wait.waitFor({ timeout: 10000 });
    await wait.getByRole("button", { name: "Cancel the retry" }).click();
    assert.match(await settled(page), /cancelled/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(external.state.hits.map((h) => h.split(" ")[0]), ["GET"], "nothing is sent after the cancel");
    assert.deepEqual(errors, []);
    await context.close();
  });
});
