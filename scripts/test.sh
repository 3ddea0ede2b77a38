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

stage "1/9 format: cargo fmt --check"
cargo fmt --all -- --check

stage "2/9 purity: the pure crates have no browser dependencies"
bash scripts/check-purity.sh

stage "3/9 lint native: cargo clippy (scim, idp) -D warnings"
cargo clippy -p scim -p idp --all-targets -- -D warnings

stage "4/9 lint wasm32: cargo clippy (app, worker; pure crates as hosted) -D warnings"
cargo clippy --target wasm32-unknown-unknown -p scim-playground -p scim-sw --all-targets -- -D warnings
# The same two as scripts/build-split.sh builds them, with their split entry points.
cargo clippy --target wasm32-unknown-unknown -p scim-playground -p scim-sw -- --cfg playground_split -D warnings
cargo clippy --target wasm32-unknown-unknown -p scim -p idp --lib -- -D warnings

stage "5/9 native tests: cargo test (scim, idp)"
cargo test -p scim -p idp

stage "6/9 browser tests: wasm-bindgen-test in headless Chromium (page and service worker)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test -p scim-sw -p scim-playground --target wasm32-unknown-unknown

stage "7/9 release build: trunk build --release"
trunk build --release

stage "8/9 size budgets"
bash scripts/check-sizes.sh

# A test that hangs fails after three minutes with its name, instead of holding CI to its limit.
stage "9/9 end to end: Playwright in headless Chromium against dist/"
node --test --test-concurrency=1 --test-timeout=180000 tests/e2e/

printf '\n\033[1mall stages passed in %ss\033[0m\n' "$(( $(date +%s) - started ))"
