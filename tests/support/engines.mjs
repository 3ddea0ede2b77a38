// The browsers of the cross-engine suite, each from Debian and driven over a standard protocol:
// Firefox ESR over WebDriver BiDi (puppeteer-core starts the system binary; nothing is
// downloaded), WebKitGTK's MiniBrowser over W3C WebDriver (WebKitWebDriver starts it; WebKitGTK
// has no headless mode, so it draws into an Xvfb display started here and stopped after).
//
// Both are wrapped in one small interface so the suite reads the same for each engine:
//   engine = await launchEngine("firefox" | "webkit")  → { name, version, newTab(), close() }
//   tab = await engine.newTab()   a fresh profile: no service worker, storage or cache
//   tab.goto(url), tab.run(fn, arg), tab.setSize(w, h) → the viewport's real width,
//   tab.screenshot(path), tab.errors(),
//   tab.close()
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";
import { newSession } from "./webdriver.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// Installed in the page after each navigation: keeps the page's uncaught errors, unhandled
/// rejections and console.error calls, which `tab.errors()` reads. (Classic WebDriver cannot run
/// a script before the page's own, so an error thrown while the page first loads is seen only
/// by its effect: the suite checks that the app rendered.)
function collectErrors() {
  if (window.__engineErrors) return;
  const errors = (window.__engineErrors = []);
  window.addEventListener("error", (event) => errors.push(`error: ${event.message}`));
  window.addEventListener("unhandledrejection", (event) => errors.push(`unhandled rejection: ${event.reason}`));
  const original = console.error;
  console.error = (...args) => {
    errors.push(`console.error: ${args.map(String).join(" ")}`);
    original.apply(console, args);
  };
}

export async function launchEngine(name) {
  if (name === "firefox") return launchFirefox();
  if (name === "webkit") return launchWebKit();
  throw new Error(`unknown engine ${name} (firefox or webkit)`);
}

async function launchFirefox() {
  const profile = await mkdtemp(join(tmpdir(), "engines-firefox-"));
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
    headless: true,
    userDataDir: profile,
    // The network is closed on these machines: no update, telemetry or remote-settings calls.
    extraPrefsFirefox: {
      "app.update.enabled": false,
      "browser.safebrowsing.update.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "toolkit.telemetry.enabled": false,
    },
  });
  const version = (await browser.version()).replace("firefox/", "Firefox ");
  return {
    name: "firefox",
    version,
    async newTab() {
      // A user context is a profile of its own: storage, caches and service workers apart.
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const loadErrors = [];
      page.on("pageerror", (error) => loadErrors.push(`error: ${error.message ?? error}`));
      return {
        async goto(url) {
          await page.goto(url, { waitUntil: "load" });
          await page.evaluate(collectErrors);
        },
        run: (fn, arg = null) => page.evaluate(fn, arg),
        async setSize(width, height) {
          await page.setViewport({ width, height });
          return page.evaluate(() => window.innerWidth);
        },
        screenshot: (path) => page.screenshot({ path }),
        async errors() {
          const inPage = await page.evaluate(() => window.__engineErrors ?? []).catch(() => []);
          return [...new Set([...loadErrors, ...inPage])];
        },
        close: () => context.close(),
      };
    },
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/// Starts Xvfb on a display it picks itself (-displayfd), so two runs never collide.
async function startXvfb() {
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1400x1000x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  xvfb.stderr.on("data", (chunk) => (stderr += chunk));
  const display = await new Promise((resolve, reject) => {
    let out = "";
    xvfb.stdio[3].on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`Xvfb did not start: ${stderr}`)), 20000);
  });
  return { display, stop: () => xvfb.kill() };
}

async function launchWebKit() {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = spawn(process.env.WEBKIT_WEBDRIVER ?? "WebKitWebDriver", [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb.display },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let driverLog = "";
  driver.stderr.on("data", (chunk) => (driverLog = (driverLog + chunk).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    const ready = await fetch(`${base}/status`).then((r) => r.ok, () => false);
    if (ready) break;
    if (attempt > 100) throw new Error(`WebKitWebDriver did not start: ${driverLog}`);
    await sleep(100);
  }
  const capabilities = {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": { args: ["--automation"] },
  };
  // The version comes with the first session.
  const probe = await newSession(base, capabilities);
  const version = `WebKitGTK ${probe.capabilities.browserVersion}`;
  await probe.close();
  return {
    name: "webkit",
    version,
    async newTab() {
      // Each session starts its own MiniBrowser with an ephemeral profile.
      const session = await newSession(base, capabilities);
      await session.setTimeouts({ script: 120000, pageLoad: 120000 });
      return {
        async goto(url) {
          await session.goto(url);
          await session.run(collectErrors);
        },
        run: (fn, arg = null) => session.run(fn, arg),
        async setSize(width, height) {
          // The window's outer size, grown by what its frame takes, so the page's viewport has
          // the asked size. MiniBrowser's toolbar keeps its window at least 447 px wide, so a
          // narrower viewport is not to be had: the returned width says what was.
          await session.setWindowSize(width, height);
          const inner = await session.run(() => [window.innerWidth, window.innerHeight]);
          await session.setWindowSize(width + Math.max(0, width - inner[0]), height + (height - inner[1]));
          return session.run(() => window.innerWidth);
        },
        screenshot: (path) => session.screenshot(path),
        errors: () => session.run(() => window.__engineErrors ?? []),
        close: () => session.close(),
      };
    },
    async close() {
      driver.kill();
      xvfb.stop();
    },
  };
}
