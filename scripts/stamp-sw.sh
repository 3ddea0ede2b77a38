#!/bin/sh
# Trunk post_build hook: stamps sw.js (see public/sw.js) with a hash of the build, so a change
# to the worker's Rust alone still changes sw.js and the browser installs the update, and with
# the list of the app shell's files, which the worker caches so the app opens offline.
set -eu
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
for file in scim-sw_bg.wasm scim-sw.js sw.js index.html; do
  if [ ! -f "$dir/$file" ]; then
    echo "stamp-sw: $dir/$file is missing" >&2
    exit 1
  fi
done
# The shell: the page and everything it loads, not the worker's own files (the browser keeps
# those with the worker) and not sw.js itself.
# The page's modules sit in a folder of their own (scripts/build-page.sh), every panel's
# included, so every panel opens offline.
shell='"/", "/index.html"'
for path in $(cd "$dir" && find . -type f | LC_ALL=C sort); do
  name=${path#./}
  case "$name" in
    sw.js | scim-sw.js | scim-sw_bg.wasm | index.html) ;;
    *.js | *.wasm | *.css | *.webmanifest | *.png) shell="$shell, \"/$name\"" ;;
  esac
done
# The hash covers every file of the build (sw.js is still the unstamped template here), so a
# change to anything the worker caches - the manifest and icons included - renames the cache and
# replaces it, instead of leaving an old copy to be served cache-first.
hash=$(find "$dir" -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
sed -i "s/__SW_BUILD__/$hash/; s#__SW_SHELL__#[$shell]#" "$dir/sw.js"
echo "stamp-sw: sw.js build $hash"
