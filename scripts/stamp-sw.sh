#!/bin/sh
# Trunk post_build hook (through post-build.sh, after build-split.sh): stamps sw.js (see
# public/sw.js) with the folder of the worker's modules, with a hash of the build, so a change to
# the worker's Rust alone still changes sw.js and the browser installs the update, and with the
# list of the app shell's files, which the worker caches so the app opens offline.
set -eu
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
worker=$(cd "$dir" && ls -d sw-* 2>/dev/null | head -1)
for file in "$worker/scim-sw_bg.wasm" "$worker/scim-sw.js" sw.js index.html; do
  if [ -z "$worker" ] || [ ! -f "$dir/$file" ]; then
    echo "stamp-sw: $dir/$file is missing (build-split.sh runs first)" >&2
    exit 1
  fi
done
# The shell: the page and everything it loads first, and the worker's modules, so a worker
# restarted offline still loads them; cached while the worker installs. Not sw.js itself.
# The panels' modules (in the page's folder) are listed apart: the worker caches them once it
# is in charge, so every panel opens offline without holding up a first visit.
shell='"/", "/index.html"'
panels=''
for path in $(cd "$dir" && find . -type f | LC_ALL=C sort); do
  name=${path#./}
  case "$name" in
    sw.js | index.html) ;;
    page-*/split_*.wasm | page-*/chunk_*.wasm) panels="$panels${panels:+, }\"/$name\"" ;;
    *.js | *.wasm | *.css | *.webmanifest | *.png) shell="$shell, \"/$name\"" ;;
  esac
done
# The hash covers every file of the build (sw.js is still the unstamped template here), so a
# change to anything the worker caches - the manifest and icons included - renames the cache and
# replaces it, instead of leaving an old copy to be served cache-first.
hash=$(find "$dir" -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
sed -i "s/__SW_BUILD__/$hash/; s#__SW_SHELL__#[$shell]#; s#__SW_PANELS__#[$panels]#; s#/__SW_DIR__/#/$worker/#g" "$dir/sw.js"
echo "stamp-sw: sw.js build $hash, worker $worker"
