// A static file server for the release build in dist/, as a user's web server would serve it:
// known files as they are, any other path as index.html (the app routes on the client). It also
// answers /__e2e/network-probe itself and counts the hits, so a test can prove that a request
// reached the network instead of the service worker. Setting `stats.failServiceWorker` makes
// /sw.js answer 503, as a broken deployment would, to test how the page recovers; setting
// `stats.serviceWorkerBuild` serves /sw.js stamped with that build hash instead of the real one,
// as the next deployment would, to test that an update replaces the offline cache.
//
// `startServer(root, port, { base })` serves a build made for a base (`trunk build --public-url`)
// under that base. `startHost(mounts)` is a static host the way GitHub Pages is one: builds under
// their bases, no fallback, and an unknown path answered 404 with its build's 404.html.
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

/// The file of `root` that `path` (relative to the build's base, with its leading "/") names, or
/// null when it is not a file there; a 400 answer is given for a malformed path.
async function fileOf(root, path, res) {
  let safe;
  try {
    safe = normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, "");
  } catch {
    // A path that is not valid percent-encoding (`/%ff`) is the client's mistake, not a crash.
    res.writeHead(400, { "content-type": "text/plain" });
    res.end("malformed path");
    return undefined;
  }
  const file = join(root, safe);
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

async function sendFile(res, file, status = 200) {
  try {
    const body = await readFile(file);
    res.writeHead(status, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
    });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error));
  }
}

/// `pathname` relative to `base` ("/scim-playground/x" → "/x"; the base without its slash →
/// ""), or null when it is outside.
function within(base, pathname) {
  const inner = base.replace(/\/$/, "");
  if (!pathname.startsWith(inner)) return null;
  const rest = pathname.slice(inner.length);
  return rest === "" || rest.startsWith("/") ? rest : null;
}

/// A static host without any fallback, as GitHub Pages is: `mounts` maps bases ("/a/") to build
/// folders. A known file is served; any other path under a base gets that build's 404.html with
/// status 404 (or a bare 404 without one); a path under no base is a bare 404.
export async function startHost(mounts, port = 0) {
  const hits = [];
  const server = createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url, "http://localhost");
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("malformed request target");
      return;
    }
    hits.push(url.pathname);
    for (const [base, root] of Object.entries(mounts)) {
      const rest = within(base, url.pathname);
      if (rest === null) continue;
      if (rest === "") {
        // As GitHub Pages does: the folder without its slash is redirected to the folder.
        res.writeHead(301, { location: base });
        res.end();
        return;
      }
      const file = await fileOf(root, rest.endsWith("/") ? rest + "index.html" : rest, res);
      if (file === undefined) return;
      if (file) return sendFile(res, file);
      const missing = join(root, "404.html");
      if (await stat(missing).then((s) => s.isFile(), () => false)) return sendFile(res, missing, 404);
      break;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("404: no such file on this host");
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

export async function startServer(root, port = 0, { base = "/" } = {}) {
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
    const inner = within(base, url.pathname);
    const path = inner === "" ? "/" : inner;
    if (path === null) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`this server serves the app under ${base}`);
      return;
    }
    if (path === "/sw.js" && stats.failServiceWorker) {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("service worker script unavailable");
      return;
    }
    if (path === "/sw.js" && stats.serviceWorkerBuild) {
      const text = await readFile(join(root, "sw.js"), "utf8");
      res.writeHead(200, { "content-type": TYPES[".js"], "cache-control": "no-cache" });
      res.end(text.replace(/const BUILD = "[^"]*";/, `const BUILD = "${stats.serviceWorkerBuild}";`));
      return;
    }
    const file = await fileOf(root, path, res);
    if (file === undefined) return;
    await sendFile(res, file ?? join(root, "index.html"));
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
