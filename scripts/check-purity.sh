#!/usr/bin/env bash
# The pure crates must know nothing about the browser, so they build and test natively in
# seconds and stay usable from any host. Fails if one of them depends, even indirectly, on a
# browser binding crate.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for crate in scim idp secrets wire protocol; do
  found=$(cargo tree --offline -p "$crate" -e normal,build --prefix none --format '{p}' \
    | awk '{print $1}' | grep -xE 'web-sys|js-sys|wasm-bindgen|wasm-bindgen-futures|leptos|gloo-[a-z-]+|indexed_db_futures' \
    | sort -u || true)
  if [ -n "$found" ]; then
    echo "purity: crates/$crate depends on browser crates: $(echo $found)" >&2
    status=1
  else
    echo "purity: crates/$crate has no browser dependencies"
  fi
done
exit $status
