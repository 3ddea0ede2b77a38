#!/usr/bin/env bash
# Installs whatever the two commands need and is missing, and nothing else. Safe to run again:
# when everything is present it only checks versions (about a second).
#
# What it may install, with rough times on a 2-core machine:
#   rustup toolchain + wasm32 target (rust-toolchain.toml)  ~1 min
#   Debian chromium + chromium-driver                        ~30 s
#   Debian firefox-esr, webkit2gtk-driver, xvfb               ~30 s
#   trunk 0.21.14 (cargo install, from source)                ~10 min
#   wasm-bindgen-cli at the Cargo.lock version                ~2 min
#   wasm-split-cli (wasm_split_cli_support, pinned)           ~1 min
#   npm packages from package-lock.json (binaryen, playwright-core, puppeteer-core)  ~5 s
#   Python test tools from tests/requirements.txt into .build/venv   ~20 s
#
# With BOOTSTRAP=build it installs only what a release build needs (the Rust tools and npm
# packages, no browsers and no test tools): what a deployment, such as
# .github/workflows/pages.yml, runs before `trunk build --release --public-url …`.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION="0.21.14"
# The splitter of the page's panels (scripts/build-split.sh); it has no --version, so cargo's
# own record of what it installed is checked.
WASM_SPLIT_VERSION="0.2.4"
# wasm-bindgen's CLI must equal the crate version in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
started=$(date +%s)

if ! command -v rustup >/dev/null 2>&1; then
  say "rustup is missing: install it from your distribution or rustup.rs, then run this again" >&2
  exit 1
fi
# rust-toolchain.toml pins the compiler and names the wasm32 target; `rustup show active-toolchain`
# installs both if they are missing.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing the Rust toolchain and the wasm32 target (~1 min)"
  rustup show active-toolchain >/dev/null
  rustup target add wasm32-unknown-unknown
fi

tests=true
[ "${BOOTSTRAP:-}" = build ] && tests=false

if $tests && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  say "installing Debian chromium and chromium-driver (~30 s)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

# The other engines of the cross-engine suite (tests/engines/): Firefox ESR (driven over WebDriver
# BiDi, no geckodriver needed), WebKitGTK's WebDriver with its MiniBrowser, and Xvfb for it to
# draw into (WebKitGTK has no headless mode).
if $tests && { ! command -v firefox-esr >/dev/null 2>&1 || ! command -v WebKitWebDriver >/dev/null 2>&1 || ! command -v Xvfb >/dev/null 2>&1; }; then
  say "installing Debian firefox-esr, webkit2gtk-driver and xvfb (~30 s)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends firefox-esr webkit2gtk-driver xvfb
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION from source (~10 min; later trunk releases need a newer rustc)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~2 min)"
  # Not --locked: the CLI's own lockfile names a webpki-roots version the registry no longer has.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! grep -q "^\"wasm_split_cli_support $WASM_SPLIT_VERSION " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml" 2>/dev/null ||
  ! command -v wasm-split-cli >/dev/null 2>&1; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (~1 min)"
  cargo install --locked --force wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# npm records what it installed in node_modules/.package-lock.json; reinstall when the lockfile
# says something else.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s <(node -e 'const l=require("./package-lock.json");console.log(JSON.stringify(Object.fromEntries(Object.entries(l.packages).filter(([k])=>k).map(([k,v])=>[k,v.version]))))') <(node -e 'const l=require("./node_modules/.package-lock.json");console.log(JSON.stringify(Object.fromEntries(Object.entries(l.packages).filter(([k])=>k).map(([k,v])=>[k,v.version]))))'); then
  say "installing npm packages from package-lock.json (~5 s)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Python tools for the tests live in a venv inside the ignored .build/ folder, reinstalled when
# tests/requirements.txt changes.
want=$(sha256sum tests/requirements.txt | cut -c1-64)
if $tests && [ "$(cat .build/venv/.requirements.sha256 2>/dev/null)" != "$want" ]; then
  say "installing Python test tools into .build/venv (~20 s)"
  rm -rf .build/venv
  python3 -m venv .build/venv
  .build/venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
  echo "$want" > .build/venv/.requirements.sha256
fi

# Cargo's offline mode (trunk runs cargo with --offline) needs every crate downloaded first.
if ! cargo metadata --offline --format-version 1 >/dev/null 2>&1; then
  say "fetching crates"
  cargo fetch
fi

say "tools ready in $(( $(date +%s) - started )) s"
