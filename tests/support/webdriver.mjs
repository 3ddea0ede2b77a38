// A small W3C WebDriver (classic, HTTP + JSON) client: just the commands the cross-engine suite
// uses, for WebKitGTK's WebKitWebDriver. Written here rather than taken from npm because the
// protocol needs nothing but `fetch`, and the clients that speak it (webdriverio, selenium)
// bring dozens of packages and try to download drivers of their own, which these machines cannot.
import { writeFile } from "node:fs/promises";

export class WebDriverError extends Error {}

async function command(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ value: { error: `HTTP ${response.status}`, message: "" } }));
  if (!response.ok || answer.value?.error) {
    throw new WebDriverError(`${method} ${path}: ${answer.value?.error} ${answer.value?.message ?? ""}`.trim());
  }
  return answer.value;
}

/// Opens a session (for WebKitWebDriver: starts a browser) at the driver listening on `base`.
export async function newSession(base, capabilities) {
  const created = await command(base, "POST", "/session", { capabilities: { alwaysMatch: capabilities } });
  return new Session(base, created.sessionId, created.capabilities);
}

export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  cmd(method, path, body) {
    return command(this.base, method, `/session/${this.id}${path}`, body);
  }

  /// Navigates and waits for the page's load event (the session's page-load strategy).
  goto(url) {
    return this.cmd("POST", "/url", { url });
  }

  /// Runs `fn(arg)` in the page (it may be async) and returns its JSON-serializable result; an
  /// exception in the page is thrown here with the page's stack.
  async run(fn, arg = null) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve().then(() => (${fn})(arguments[0])).then(
        (value) => done({ value: value === undefined ? null : value }),
        (error) => done({ pageError: String(error) + (error && error.stack ? " at " + error.stack : "") }),
      );`;
    const result = await this.cmd("POST", "/execute/async", { script, args: [arg] });
    // Not "error": a value with that key reads as the protocol's own failure.
    if (result?.pageError) throw new WebDriverError(`in the page: ${result.pageError}`);
    return result?.value;
  }

  setTimeouts(timeouts) {
    return this.cmd("POST", "/timeouts", timeouts);
  }

  setWindowSize(width, height) {
    return this.cmd("POST", "/window/rect", { width, height });
  }

  async screenshot(path) {
    await writeFile(path, Buffer.from(await this.cmd("GET", "/screenshot"), "base64"));
  }

  close() {
    return this.cmd("DELETE", "");
  }
}
