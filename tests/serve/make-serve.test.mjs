// The README's first command, run as a newcomer runs it: `make serve` in this checkout (in CI, a
// fresh clone), until http://127.0.0.1:8080/ serves the app; then the app is opened in Chromium
// (the worker answers, an Okta panel renders), a source file is edited and exactly one rebuild
// is served to the open page, and Ctrl-C stops it with nothing left running.
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { ARTIFACTS, ROOT, launch, waitForServer, screenshot } from "../support/browser.mjs";

const URL = "http://127.0.0.1:8080/";
// A debug build from scratch: both programs compiled, split and bound. Generous, since CI's
// machine has two cores; a hang still fails instead of holding CI.
const FIRST_BUILD_MS = 15 * 60 * 1000;
const REBUILD_MS = 5 * 60 * 1000;
const EDITED = join(ROOT, "style", "base.css");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// Whether something accepts connections on 127.0.0.1:8080.
function portOpen() {
  return new Promise((resolve) => {
    const socket = connect(8080, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/// Whether any process of the group `pgid` is still alive.
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check, what, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting until ${what}`);
    await sleep(500);
  }
}

describe("make serve, as a newcomer runs it", () => {
  let serve;
  let log = "";
  let original;
  after(async () => {
    if (original !== undefined) await writeFile(EDITED, original);
    if (serve && groupAlive(serve.pid)) process.kill(-serve.pid, "SIGKILL");
  });

  it("serves the app, rebuilds once on an edit, and stops on Ctrl-C with nothing left running", { timeout: FIRST_BUILD_MS + REBUILD_MS + 120000 }, async () => {
    assert.equal(await portOpen(), false, "port 8080 must be free for make serve (something else is listening on it)");
    await mkdir(ARTIFACTS, { recursive: true });
    const file = createWriteStream(join(ARTIFACTS, "make-serve.log"));
    // Its own process group, as a terminal gives a command: Ctrl-C signals the whole group.
    serve = spawn("make", ["serve"], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((resolve) => serve.once("exit", (code, signal) => resolve({ code, signal })));
    let ended = null;
    exited.then((how) => (ended = how));
    for (const stream of [serve.stdout, serve.stderr]) {
      stream.on("data", (chunk) => {
        log += chunk;
        file.write(chunk);
      });
    }
    const tail = () => log.split("\n").slice(-25).join("\n");
    const builds = () => (log.match(/starting build/g) ?? []).length;
    const successes = () => (log.match(/✅ success/g) ?? []).length;

    // 1. Served, and only then announced.
    await until(async () => {
      if (ended) throw new Error(`make serve exited (${JSON.stringify(ended)}) before serving:\n${tail()}`);
      return log.includes("SCIM Playground is ready: open http://127.0.0.1:8080/");
    }, "make serve says the app is ready", FIRST_BUILD_MS).catch((error) => {
      throw new Error(`${error.message}\n--- make serve printed:\n${tail()}`);
    });
    assert.ok(await portOpen(), "the announced address answers");
    assert.equal(builds(), 1, `one build before serving:\n${tail()}`);

    // 2. The app works: the worker answers and an Okta panel renders.
    const browser = await launch();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await page.goto(`${URL}directory`);
      await waitForServer(page);
      await page.locator('[data-panel="directory"]').waitFor();
      await page.locator("tr[data-login]").first().waitFor({ timeout: 60000 });
      await screenshot(page, "make-serve-directory");

      // 3. An edit is rebuilt once and served: trunk's autoreload brings the open page the new
      // stylesheet.
      original = await readFile(EDITED, "utf8");
      const marker = `serve-check-${Date.now()}`;
      const before = { builds: builds(), successes: successes() };
      await page.evaluate(() => (window.__beforeEdit = true));
      // Saved the way most editors save (a new file, written outside the watched folders, renamed
      // over the old one): one change. An in-place write is a truncation and a write, which the
      // watcher can see as two changes 25 ms apart on a loaded machine, and trunk builds again
      // for a change seen during a build.
      const saved = join(ARTIFACTS, "make-serve-edit.css");
      await writeFile(saved, `${original}\n:root { --serve-check: "${marker}"; }\n`);
      await rename(saved, EDITED);
      await until(() => successes() > before.successes, "the edit is rebuilt", REBUILD_MS).catch((error) => {
        throw new Error(`${error.message}\n--- make serve printed:\n${tail()}`);
      });
      await until(
        async () =>
          page
            .evaluate(() => !window.__beforeEdit && getComputedStyle(document.documentElement).getPropertyValue("--serve-check"))
            .catch(() => false),
        "the open page reloads with the edited stylesheet",
        60000,
      );
      assert.match(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--serve-check")), new RegExp(marker));
      await waitForServer(page);
      // No build loop: nothing else starts in the next seconds.
      await sleep(8000);
      assert.equal(builds(), before.builds + 1, `exactly one rebuild after one edit:\n${tail()}`);
      assert.deepEqual(errors, []);
      await context.close();
    } finally {
      await browser.close();
      await writeFile(EDITED, original ?? (await readFile(EDITED, "utf8")));
      original = undefined;
    }

    // 4. Ctrl-C stops everything it started: make, the serve script, trunk and any build step.
    process.kill(-serve.pid, "SIGINT");
    await until(() => ended, "make serve exits after Ctrl-C", 30000);
    await until(() => !groupAlive(serve.pid), "every process make serve started has exited", 15000);
    assert.equal(await portOpen(), false, "port 8080 is free again");
    file.end();
  });
});
