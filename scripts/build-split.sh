#!/usr/bin/env bash
# Trunk post_build hook (through post-build.sh): builds the page's and the service worker's
# WebAssembly, each split into a main module and modules fetched on demand.
#
# - The page is split at its panels (`split_panel!` in src/panels/mod.rs): a first visit loads
#   the shell and what the panels share, and each panel's own code arrives when it first opens.
# - The worker is split at the playground's own endpoints (`admin_entry` in crates/sw/src/lib.rs):
#   SCIM requests are answered by the main module, and `/_playground/...` (admin, Explain,
#   OAuth) loads its module the first time one is asked for.
# Both for issue #2's size budgets, which check the main modules.
#
# Trunk cannot split a module (trunk-rs/trunk#1022), so both are built here instead of by a
# `rel="rust"` link: cargo, with `--cfg playground_split` (the entry points become split points)
# and `--emit-relocs` at the final link (the relocations tell the splitter what refers to what;
# both given to the final crate only, so the dependencies stay as other builds left them), then
# wasm-split-cli (the splitter Leptos's `#[lazy]` is made for), then wasm-bindgen on the main
# module, then binaryen's -Oz on every module of a release build. Each program lands in a folder
# named after its modules' bytes (`page-<hash>/`, `sw-<hash>/`), so a browser never mixes modules
# of two builds: index.html and boot.js name `__PAGE__`, replaced here; sw.js names
# `__SW_DIR__`, replaced by stamp-sw.sh, which finds the folder.
#
# The base (`trunk build --public-url /scim-playground/`; `/` by default) is written into
# index.html here (its `/__BASE__/`), and a copy of index.html becomes 404.html, which static
# hosts (GitHub Pages, GitLab Pages, Netlify, S3) serve for any path they do not have: a deep link
# or a share link then opens the app at that address on a first visit.
#
# When a program's WebAssembly is the same as in an earlier build (only the base, the styles or
# index.html changed), its split, bound and optimized modules are taken from that build
# (target/wasm32-unknown-unknown/split-cache/): the modules do not depend on the base.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
profile="${TRUNK_PROFILE:-debug}"
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$root/target}/wasm32-unknown-unknown"

release=()
out=debug
if [ "$profile" = release ]; then
  release=(--release)
  out=release
fi
split_flags=(-- --cfg playground_split -C link-arg=--emit-relocs)

# The base: the path of trunk's public URL (which may be a full URL), ending in "/". Only plain
# path segments: it is written into HTML, JavaScript and sed expressions, and a relative base
# ("./") cannot work for an app whose routes are paths.
public_url="${TRUNK_PUBLIC_URL:-/}"
case "$public_url" in
  *://*) base="/${public_url#*://*/}"; [ "$base" = "/$public_url" ] && base=/ ;;
  *) base="$public_url" ;;
esac
case "$base" in */) ;; *) base="$base/" ;; esac
if ! [[ "$base" =~ ^/([A-Za-z0-9._~-]+/)*$ ]] || [[ "$base" =~ /\.\.?/ ]]; then
  echo "build-split: the public URL ${public_url@Q} must be a path from the root of the origin," \
    "made of letters, digits and . _ ~ - (e.g. --public-url /scim-playground/)" >&2
  exit 1
fi

# split <input wasm> <module name> <folder prefix> [wasm-bindgen flags…]: splits, binds and
# optimizes one program into "$dir/<prefix>-<hash>/" and prints that folder's name.
split() {
  local input=$1 name=$2 prefix=$3 work hash key cache
  shift 3
  # The same input, tools and flags give the same modules: reuse the last result for them.
  key=$( (cat "$input"; echo "$profile $* $(wasm-bindgen --version)") | sha256sum | cut -c1-16)
  cache="$target/split-cache/$prefix-$profile"
  if [ -f "$cache/$key" ]; then
    hash=$(cat "$cache/$key")
    rm -rf "$dir/$prefix"-*
    cp -r "$cache/$prefix-$hash" "$dir/"
    echo "$prefix-$hash"
    return
  fi
  work="$target/$prefix-split"
  rm -rf "$work"
  mkdir -p "$work"
  wasm-split-cli "$input" "$work" --out-name "$name" >&2
  wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$work" --out-name "$name" \
    "$@" "$work/$name.wasm" >&2
  rm "$work/$name.wasm"
  if [ "$profile" = release ]; then
    # All modules in one process (npm's wasm-opt takes most of a second to start, per module).
    # Binaryen warns once per split module about a name subsection it does not know; the names
    # are dropped anyway.
    node "$root/scripts/optimize-wasm.mjs" "$work" 2> >(grep -v "unknown name subsection" >&2) >&2
  fi
  hash=$(cat "$work"/*.wasm | sha256sum | cut -c1-16)
  rm -rf "$cache"
  mkdir -p "$cache"
  cp -r "$work" "$cache/$prefix-$hash"
  echo "$hash" >"$cache/$key"
  rm -rf "$dir/$prefix"-*
  mv "$work" "$dir/$prefix-$hash"
  echo "$prefix-$hash"
}

started=$(date +%s)
cargo rustc --offline --locked --target wasm32-unknown-unknown -p scim-playground --bin scim-playground \
  "${release[@]}" "${split_flags[@]}"
cargo rustc --offline --locked --target wasm32-unknown-unknown -p scim-sw --lib --crate-type cdylib \
  "${release[@]}" "${split_flags[@]}"

page=$(split "$target/$out/scim-playground.wasm" scim-playground page)
# The worker's glue can make a new instance of its module (`__wbg_reset_state`): sw.js does so
# when the instance traps, so one failing request never stops the server for good.
worker=$(split "$target/$out/scim_sw.wasm" scim-sw sw --experimental-reset-state-function)

# The worker's module loader fetches its split module with `fetch`, which from inside a service
# worker goes to the network: offline, a restarted worker could not load it. sw.js provides
# `self.playgroundFetch`, which answers from the worker's cache first.
loader="$dir/$worker/__wasm_split.js"
if ! grep -q "fetch(new URL(" "$loader"; then
  echo "build-split: $loader no longer fetches with fetch(new URL(...)); update this script" >&2
  exit 1
fi
sed -i "s/fetch(new URL(/self.playgroundFetch(new URL(/g" "$loader"
# After the worker's instance is replaced (sw.js, on a trap), the loader must link its split
# module to the new instance: it forgets the old instance's exports and the modules it loaded.
if ! grep -q "^let sharedImports = undefined;$" "$loader" || ! grep -q "let loadingModule = undefined;" "$loader"; then
  echo "build-split: $loader no longer caches as this script expects; update its reset" >&2
  exit 1
fi
sed -i -e 's/^let sharedImports = undefined;$/let sharedImports = undefined;\nconst resets = [];\nexport function __wasm_split_reset() { sharedImports = undefined; for (const reset of resets) reset(); }/' \
  -e 's/let loadingModule = undefined;/let loadingModule = undefined; resets.push(() => { loadingModule = undefined; });/' "$loader"

if ! grep -q "/__BASE__/__PAGE__/" "$dir/index.html" || ! grep -q '<script type="module" src="boot.js" data-boot>' "$dir/index.html"; then
  echo "build-split: index.html has no /__BASE__/__PAGE__/ preload or boot.js loader to point at $page" >&2
  exit 1
fi
# The page's crate is declared in index.html only so that trunk does not build it as a default
# app; the declaration has no use in the served page.
sed -i -e "s#/__BASE__/#$base#g" -e "s#__PAGE__#$page#g" -e "/data-trunk-skip/d" -e "/Declared so trunk knows/d" "$dir/index.html"
sed -i -e "s#__PAGE__#$page#g" "$dir/boot.js"
# A debug build is served by trunk serve, whose live reload is an inline script that the page's
# Content-Security-Policy forbids; only release builds carry the policy.
if [ "$profile" != release ]; then
  sed -i -e "/data-csp/d" "$dir/index.html"
fi
# 404.html is index.html served at any depth (/scim-playground/a/b), so it names its loader from
# the base rather than next to itself.
sed -e "s#<script type=\"module\" src=\"boot.js\" data-boot>#<script type=\"module\" src=\"${base}boot.js\" data-boot>#" \
  "$dir/index.html" >"$dir/404.html"
echo "build-split: base $base, $page ($(ls "$dir/$page"/*.wasm | wc -l) modules), $worker ($(ls "$dir/$worker"/*.wasm | wc -l) modules), in $(($(date +%s) - started))s"
