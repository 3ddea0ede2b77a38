#!/usr/bin/env bash
# Runs every test, in order, stopping at the first failing stage. Called by `make test` (after
# scripts/bootstrap.sh) and therefore by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

started=$(date +%s)
stage() {
  printf '\n\033[1m==> %s\033[0m  (%ss elapsed)\n' "$1" "$(( $(date +%s) - started ))"
}

stage "1/11 format: cargo fmt --check"
cargo fmt --all -- --check

stage "2/11 purity: the pure crates have no browser dependencies"
bash scripts/check-purity.sh

stage "3/11 lint native: cargo clippy (the pure crates and the relay) -D warnings"
cargo clippy -p scim -p idp -p secrets -p wire -p protocol -p scim-relay --all-targets -- -D warnings

stage "4/11 lint wasm32: cargo clippy (app, worker; pure crates as hosted) -D warnings"
cargo clippy --target wasm32-unknown-unknown -p scim-playground -p scim-sw --all-targets -- -D warnings
# The same two as scripts/build-split.sh builds them, with their split entry points.
cargo clippy --target wasm32-unknown-unknown -p scim-playground -p scim-sw -- --cfg playground_split -D warnings
cargo clippy --target wasm32-unknown-unknown -p scim -p idp --lib -- -D warnings

# The relay's tests also build its binary, which tests/e2e/relay.test.mjs starts.
stage "5/11 native tests: cargo test (the pure crates and the relay)"
cargo test -p scim -p idp -p secrets -p wire -p protocol -p scim-relay

stage "6/11 browser tests: wasm-bindgen-test in headless Chromium (page and service worker)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p scim-sw -p scim-playground --target wasm32-unknown-unknown

# The README's first command, as a newcomer runs it: served, opened in Chromium, rebuilt once
# after an edit, stopped with Ctrl-C. Before the release build, since trunk serve writes its
# debug build into dist/.
stage "7/11 make serve: served, works in Chromium, one rebuild per edit, Ctrl-C stops it all"
node --test --test-concurrency=1 tests/serve/

stage "8/11 release build: trunk build --release"
trunk build --release

stage "9/11 size budgets"
bash scripts/check-sizes.sh

# A test that hangs fails after three minutes with its name, instead of holding CI to its limit.
stage "10/11 end to end: Playwright in headless Chromium against dist/"
node --test --test-concurrency=1 --test-timeout=180000 tests/e2e/

# The same checks in each engine (tests/engines/): Firefox ESR over WebDriver BiDi, WebKitGTK's
# MiniBrowser over W3C WebDriver under Xvfb, both from Debian.
stage "11/11 every engine: the cross-engine suite in Firefox and WebKit against dist/"
node --test --test-concurrency=1 --test-timeout=300000 tests/engines/

printf '\n\033[1mall stages passed in %ss\033[0m\n' "$(( $(date +%s) - started ))"
