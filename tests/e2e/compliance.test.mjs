// An independent compliance suite against the real browser path: scim2-tester (PyPI scim2-cli)
// talks HTTP to the bridge, the bridge replays each request as a fetch() in the page, and the
// service worker's engine answers from IndexedDB. Authentication is on, as a real deployment's.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startBridge } from "../../scripts/bridge.mjs";
import { ROOT } from "../support/browser.mjs";

const TOKEN = "compliance-s3cret";
const SCIM2 = join(ROOT, ".build", "venv", "bin", "scim2");

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("compliance through the bridge", () => {
  let bridge;

  before(async () => {
    bridge = await startBridge({ admin: true });
    const settings = await (await fetch(`${bridge.url}/_playground/settings`)).json();
    settings.auth = { method: "bearer", token: TOKEN };
    const put = await fetch(`${bridge.url}/_playground/settings`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(settings),
    });
    assert.equal(put.status, 200);
  });

  after(async () => {
    await bridge?.close();
  });

  it("refuses a request without the token, with a SCIM 401 and a challenge", async () => {
    const res = await fetch(`${bridge.url}/scim/v2/Users`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /Bearer/);
    const body = await res.json();
    assert.equal(body.status, "401");
  });

  it("passes every scim2-tester check", async () => {
    const { code, output } = await run(SCIM2, [
      "--url", `${bridge.url}/scim/v2`,
      "-h", `Authorization: Bearer ${TOKEN}`,
      "test",
    ]);
    const verdicts = output.split("\n").filter((line) => /^[A-Z]+ /.test(line));
    const passed = verdicts.filter((line) => line.startsWith("SUCCESS"));
    const failed = verdicts.filter((line) => !line.startsWith("SUCCESS") && !line.startsWith("SKIPPED"));
    console.log(`scim2-tester: ${passed.length} checks succeeded, ${failed.length} did not`);
    const details = output
      .split("\n")
      .filter((line, i, lines) => /^(ERROR|CRITICAL|WARNING)/.test(line) || /^(ERROR|CRITICAL|WARNING)/.test(lines[i - 1] ?? ""))
      .join("\n");
    assert.ok(passed.length > 100, `expected the full suite to run:\n${output.slice(-2000)}`);
    assert.deepEqual(failed, [], details);
    assert.equal(code, 0, output.slice(-2000));
  });
});
