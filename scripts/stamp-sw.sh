#!/bin/sh
# Trunk post_build hook: stamps a hash of the worker's build into sw.js (see public/sw.js), so a
# change to the worker's Rust alone still changes sw.js and the browser installs the update.
set -eu
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
for file in scim-sw_bg.wasm scim-sw.js sw.js; do
  if [ ! -f "$dir/$file" ]; then
    echo "stamp-sw: $dir/$file is missing" >&2
    exit 1
  fi
done
hash=$(cat "$dir/scim-sw_bg.wasm" "$dir/scim-sw.js" | sha256sum | cut -c1-16)
sed -i "s/__SW_BUILD__/$hash/" "$dir/sw.js"
echo "stamp-sw: sw.js build $hash"
