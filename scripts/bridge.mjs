#!/usr/bin/env node
// The bridge: makes the playground's in-browser SCIM server reachable from outside the browser.
//
// It opens the built app in headless Chromium, then serves http://127.0.0.1:<port>/scim/v2 (and
// /_playground) by replaying each incoming HTTP request — method, path, query, headers, body —
// as a fetch() inside the page, where the service worker answers it exactly as it answers the
// app. curl, Postman or a compliance suite can then talk to the real thing.
//
//   node scripts/bridge.mjs [--port 8787] [--app http://127.0.0.1:8080] [--dist dist]
//
// Without --app it serves dist/ itself (a release build: `trunk build --release`).
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { startServer } from "../tests/support/server.mjs";
import { DIST, launch, waitForServer } from "../tests/support/browser.mjs";

// Headers that describe one HTTP hop, not the request; fetch() refuses or recomputes them.
const HOP_BY_HOP = new Set([
  "host", "connection", "content-length", "keep-alive", "transfer-encoding", "upgrade",
  "proxy-connection", "te", "trailer", "expect", "accept-encoding",
]);

function forwardable(url) {
  const under = (prefix) => url.pathname === prefix || url.pathname.startsWith(prefix + "/");
  return under("/scim/v2") || under("/_playground");
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/// Starts a bridge and resolves once the page's worker is ready.
export async function startBridge({ port = 0, app, dist = DIST } = {}) {
  const staticServer = app ? null : await startServer(dist);
  const appUrl = app ?? staticServer.url;
  const browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl + "/");
  await waitForServer(page);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://bridge");
    if (!forwardable(url)) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("The bridge forwards only /scim/v2 and /_playground.\n");
      return;
    }
    try {
      const body = await readBody(req);
      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      headers["x-playground-client"] ??= "external";
      const answer = await page.evaluate(
        async ({ path, method, headers, body }) => {
          const response = await fetch(path, {
            method,
            headers,
            body: body === null ? undefined : Uint8Array.from(atob(body), (c) => c.charCodeAt(0)),
          });
          const bytes = new Uint8Array(await response.arrayBuffer());
          let binary = "";
          for (const byte of bytes) binary += String.fromCharCode(byte);
          return { status: response.status, headers: [...response.headers], body: btoa(binary) };
        },
        {
          path: url.pathname + url.search,
          method: req.method,
          headers,
          body: req.method === "GET" || req.method === "HEAD" || body.length === 0 ? null : body.toString("base64"),
        },
      );
      const out = Buffer.from(answer.body, "base64");
      // Location headers name the page's origin; rewrite them to the bridge's so clients that
      // follow them stay on the bridge.
      const origin = new URL(appUrl).origin;
      const bridgeOrigin = `http://${req.headers.host}`;
      const responseHeaders = answer.headers
        .filter(([name]) => !HOP_BY_HOP.has(name))
        .map(([name, value]) => [name, name === "location" ? value.replace(origin, bridgeOrigin) : value]);
      res.writeHead(answer.status, Object.fromEntries(responseHeaders));
      const text = out.toString("utf8");
      res.end(responseHeaders.some(([n, v]) => n === "content-type" && v.includes("json"))
        ? text.replaceAll(origin, bridgeOrigin)
        : out);
    } catch (error) {
      res.writeHead(502, { "content-type": "application/scim+json" });
      res.end(JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "502",
        detail: `the bridge could not reach the page: ${error.message}`,
      }));
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    page,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await browser.close();
      await staticServer?.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const bridge = await startBridge({
    port: Number(option("--port", 8787)),
    app: option("--app", undefined),
    dist: option("--dist", DIST),
  });
  console.log(`SCIM Playground bridge: ${bridge.url}/scim/v2  (admin: ${bridge.url}/_playground)`);
  console.log(`try: curl -s ${bridge.url}/scim/v2/ServiceProviderConfig`);
  const stop = async () => {
    await bridge.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
