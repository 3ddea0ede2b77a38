#!/usr/bin/env node
// The bridge: makes the playground's in-browser SCIM server reachable from outside the browser.
//
// It opens the built app in headless Chromium, then serves http://127.0.0.1:<port>/scim/v2 (and
// /_playground) by replaying each incoming HTTP request — method, path, query, headers, body —
// as a fetch() inside the page, where the service worker answers it exactly as it answers the
// app. curl, Postman or a compliance suite can then talk to the real thing.
//
//   node scripts/bridge.mjs [--port 8787] [--app http://127.0.0.1:8080] [--dist dist] [--admin]
//
// Without --app it serves dist/ itself (a release build: `trunk build --release`), under the base
// that build was made for (`--public-url`, read from its index.html). With --app, the app's URL
// names its base (`--app http://127.0.0.1:8080/scim-playground/`). Either way the bridge's own
// addresses stay /scim/v2 and /_playground: it forwards them to the app's, under its base.
//
// Anything that can reach the port can use it, web pages in the user's browser included, so
// (SECURITY.md, "The bridge"): it listens on 127.0.0.1 only; it answers only requests addressed
// to it by name (`Host: 127.0.0.1:<port>` or `localhost:<port>`, else 421), which defeats DNS
// rebinding; it refuses requests a browser sends from another site (an `Origin` other than its
// own, 403); it forwards the playground's own endpoints (`/_playground`: settings with their
// credentials, reset, import) only when started with --admin; and a malformed request gets a
// 400, never an exception that stops it.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startServer } from "../tests/support/server.mjs";
import { DIST, launch, waitForServer } from "../tests/support/browser.mjs";

// Headers that describe one HTTP hop, not the request; fetch() refuses or recomputes them.
const HOP_BY_HOP = new Set([
  "host", "connection", "content-length", "keep-alive", "transfer-encoding", "upgrade",
  "proxy-connection", "te", "trailer", "expect", "accept-encoding",
]);

const under = (url, prefix) => url.pathname === prefix || url.pathname.startsWith(prefix + "/");

function plain(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end(`${text}\n`);
}

/// Why the bridge will not forward `req` (status and reason), or null when it will.
export function refusal(req, port, admin) {
  const names = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!names.includes(String(req.headers.host ?? "").toLowerCase())) {
    return [421, `The bridge answers only requests addressed to ${names.join(" or ")}.`];
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !names.some((name) => origin === `http://${name}`)) {
    return [403, "The bridge refuses requests a browser sends from another site."];
  }
  let url;
  try {
    url = new URL(req.url, `http://${names[0]}`);
    decodeURIComponent(url.pathname);
  } catch {
    return [400, "Malformed request target."];
  }
  if (under(url, "/_playground") && !admin) {
    return [403, "The bridge forwards /_playground only when started with --admin (it holds the server's settings and credentials)."];
  }
  if (!under(url, "/scim/v2") && !under(url, "/_playground")) {
    return [404, "The bridge forwards only /scim/v2 (and /_playground with --admin)."];
  }
  return null;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/// The base a build in `dist` was made for (its index.html's meta; see crates/protocol/src/base.rs).
export function baseOf(dist) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  return html.match(/<meta name="scim-playground-base" content="([^"]*)"/)?.[1] ?? "/";
}

/// Starts a bridge and resolves once the page's worker is ready.
export async function startBridge({ port = 0, app, dist = DIST, admin = false } = {}) {
  const base = app ? new URL(app).pathname.replace(/\/?$/, "/") : baseOf(dist);
  const staticServer = app ? null : await startServer(dist, 0, { base });
  const appUrl = new URL(app ?? staticServer.url).origin;
  const browser = await launch();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl + base);
  await waitForServer(page);

  const server = createServer(async (req, res) => {
    const refused = refusal(req, server.address().port, admin);
    if (refused) {
      plain(res, ...refused);
      req.resume();
      return;
    }
    const url = new URL(req.url, "http://bridge");
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
          path: base + url.pathname.slice(1) + url.search,
          method: req.method,
          headers,
          body: req.method === "GET" || req.method === "HEAD" || body.length === 0 ? null : body.toString("base64"),
        },
      );
      const out = Buffer.from(answer.body, "base64");
      // Location headers name the page's origin and base; rewrite them to the bridge's so
      // clients that follow them stay on the bridge.
      const origin = appUrl + base.slice(0, -1);
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
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { "content-type": "application/scim+json" });
      res.end(JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "502",
        detail: `the bridge could not reach the page: ${error.message}`,
      }));
    }
  });
  // A client that breaks the protocol gets a 400 from node and the bridge carries on.
  server.on("clientError", (error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
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
    admin: args.includes("--admin"),
  });
  const admin = args.includes("--admin") ? `(admin: ${bridge.url}/_playground)` : "(/_playground: start with --admin to forward it)";
  console.log(`SCIM Playground bridge: ${bridge.url}/scim/v2  ${admin}`);
  console.log(`try: curl -s ${bridge.url}/scim/v2/ServiceProviderConfig`);
  const stop = async () => {
    await bridge.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
