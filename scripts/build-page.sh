#!/usr/bin/env bash
# Trunk post_build hook: builds the page's WebAssembly and splits it, so a first visit loads the
# shell and what the panels share, and each panel's own code is fetched when the panel first
# opens (issue #2's size budget; the split points are the `#[lazy]` functions in
# src/panels/mod.rs).
#
# Trunk cannot split a module (trunk-rs/trunk#1022), so the page is built here instead of by a
# `rel="rust"` link: cargo, linking with `--emit-relocs` (the relocations tell the splitter what
# refers to what; given to the final link only, so the dependencies stay as other builds left
# them), then wasm-split-cli (the splitter Leptos's `#[lazy]` is made for), then wasm-bindgen on
# the main module, then binaryen's -Oz on every module of a release build. Everything lands in `page-<hash>/` of the build,
# named after the main module's bytes, so a browser never mixes modules of two builds; the
# page's loader in index.html names `/__PAGE__/`, which is replaced here with that folder.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
profile="${TRUNK_PROFILE:-debug}"
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$root/target}"

release=()
out=debug
if [ "$profile" = release ]; then
  release=(--release)
  out=release
fi
started=$(date +%s)
cargo rustc --offline --locked --target wasm32-unknown-unknown -p scim-playground --bin scim-playground \
  "${release[@]}" -- -C link-arg=--emit-relocs
input="$target/wasm32-unknown-unknown/$out/scim-playground.wasm"

work="$target/page-split"
rm -rf "$work"
mkdir -p "$work"
wasm-split-cli "$input" "$work" --out-name scim-playground
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$work" --out-name scim-playground \
  "$work/scim-playground.wasm"
rm "$work/scim-playground.wasm"

if [ "$profile" = release ]; then
  # All modules in one process (npm's wasm-opt takes most of a second to start, per module).
  # Binaryen warns once per split module about a name subsection it does not know; the names
  # are dropped anyway.
  node "$root/scripts/optimize-wasm.mjs" "$work" 2> >(grep -v "unknown name subsection" >&2)
fi

hash=$(cat "$work"/*.wasm | sha256sum | cut -c1-16)
rm -rf "$dir"/page-*
mv "$work" "$dir/page-$hash"
if ! grep -q "/__PAGE__/" "$dir/index.html"; then
  echo "build-page: index.html has no /__PAGE__/ loader to point at page-$hash" >&2
  exit 1
fi
# The page's crate is declared in index.html only so that trunk does not build it as a default
# app; the declaration has no use in the served page.
sed -i -e "s#/__PAGE__/#/page-$hash/#g" -e "/data-trunk-skip/d" -e "/Declared so trunk knows/d" "$dir/index.html"
modules=$(ls "$dir/page-$hash"/*.wasm | wc -l)
echo "build-page: page-$hash, $modules modules, in $(($(date +%s) - started))s"
