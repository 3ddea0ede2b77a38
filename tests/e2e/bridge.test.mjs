// The bridge is reachable by anything on the machine, web pages in the user's browser included:
// malformed requests get a 400 and it keeps serving, a foreign Host (DNS rebinding) gets 421, a
// browser's cross-site request 403, and /_playground is forwarded only when asked for.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { startBridge } from "../../scripts/bridge.mjs";

/// Sends `head` as it is, byte for byte, and returns the status line's code.
function raw(url, head) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(head));
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk;
      const status = answer.match(/^HTTP\/1\.1 (\d{3})/);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on("error", reject);
    setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(head)}`)), 10000);
  });
}

describe("the bridge", () => {
  let bridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(async () => {
    await bridge?.close();
  });

  it("answers malformed requests with 400 and keeps serving", async () => {
    const host = new URL(bridge.url).host;
    assert.equal(await raw(bridge.url, `GET // HTTP/1.1\r\nHost: ${host}\r\n\r\n`), 400);
    assert.equal(await raw(bridge.url, `GET /scim/v2/%ff HTTP/1.1\r\nHost: ${host}\r\n\r\n`), 400);
    assert.equal(await raw(bridge.url, `GET http://[bad HTTP/1.1\r\nHost: ${host}\r\n\r\n`), 400);
    assert.equal(await raw(bridge.url, "NOT A REQUEST\r\n\r\n"), 400);
    const ok = await fetch(`${bridge.url}/scim/v2/ServiceProviderConfig`);
    assert.equal(ok.status, 200, "still serving after malformed requests");
  });

  it("answers only its own name (421), refuses other sites' browsers (403) and keeps /_playground closed", async () => {
    const { port } = new URL(bridge.url);
    assert.equal(await raw(bridge.url, `GET /scim/v2/Users HTTP/1.1\r\nHost: attacker.example:${port}\r\n\r\n`), 421);
    // No Host at all: node's parser refuses it before the bridge sees it.
    assert.ok([400, 421].includes(await raw(bridge.url, `GET /scim/v2/Users HTTP/1.1\r\n\r\n`)), "no Host at all");
    assert.equal((await fetch(`http://localhost:${port}/scim/v2/Users`)).status, 200, "localhost is its name too");
    const crossSite = await fetch(`${bridge.url}/scim/v2/Users`, { headers: { origin: "https://attacker.example" } });
    assert.equal(crossSite.status, 403);
    const settings = await fetch(`${bridge.url}/_playground/settings`);
    assert.equal(settings.status, 403, "no credentials through the bridge unless started with --admin");
    assert.match(await settings.text(), /--admin/);
    const reset = await fetch(`${bridge.url}/_playground/reset`, { method: "POST" });
    assert.equal(reset.status, 403);
  });
});
