// A static file server for the release build in dist/, as a user's web server would serve it:
// known files as they are, any other path as index.html (the app routes on the client). It also
// answers /__e2e/network-probe itself and counts the hits, so a test can prove that a request
// reached the network instead of the service worker. Setting `stats.failServiceWorker` makes
// /sw.js answer 503, as a broken deployment would, to test how the page recovers; setting
// `stats.serviceWorkerBuild` serves /sw.js stamped with that build hash instead of the real one,
// as the next deployment would, to test that an update replaces the offline cache.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};

export async function startServer(root, port = 0) {
  const stats = { networkProbeHits: 0, failServiceWorker: false, serviceWorkerBuild: null };
  const server = createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url, "http://localhost");
    } catch {
      // `GET //` and other targets that are no URL: a 400, never an exception that stops us.
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("malformed request target");
      return;
    }
    if (url.pathname === "/__e2e/network-probe") {
      stats.networkProbeHits += 1;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("from the network");
      return;
    }
    if (url.pathname === "/sw.js" && stats.failServiceWorker) {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("service worker script unavailable");
      return;
    }
    if (url.pathname === "/sw.js" && stats.serviceWorkerBuild) {
      const text = await readFile(join(root, "sw.js"), "utf8");
      res.writeHead(200, { "content-type": TYPES[".js"], "cache-control": "no-cache" });
      res.end(text.replace(/const BUILD = "[^"]*";/, `const BUILD = "${stats.serviceWorkerBuild}";`));
      return;
    }
    let safe;
    try {
      safe = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
    } catch {
      // A path that is not valid percent-encoding (`/%ff`) is the client's mistake, not a crash.
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("malformed path");
      return;
    }
    let file = join(root, safe);
    try {
      if (!(await stat(file)).isFile()) file = join(root, "index.html");
    } catch {
      file = join(root, "index.html");
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address();
  return {
    url: `http://127.0.0.1:${bound}`,
    stats,
    // Drops open keep-alive connections too: a test that stops the server to take the network
    // away must not wait for the browser to let go of them.
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
