// Release builds of the app for a base path (`trunk build --release --public-url <base>`), as a
// user publishing it under that path makes them. Each takes about a second after the suite's
// own `trunk build --release`: scripts/build-split.sh reuses the split modules, which do not
// depend on the base.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./browser.mjs";

/// Builds the app for `base` into target/hosting/<name>/ and returns that folder.
export function buildFor(base, name) {
  const dist = join(ROOT, "target", "hosting", name);
  const run = spawnSync("trunk", ["build", "--release", "--public-url", base, "--dist", dist], { cwd: ROOT, encoding: "utf8" });
  assert.equal(run.status, 0, `trunk build --public-url ${base} failed:\n${run.stdout}\n${run.stderr}`);
  return dist;
}
