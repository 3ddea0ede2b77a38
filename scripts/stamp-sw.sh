#!/bin/sh
# Trunk post_build hook (through post-build.sh, after build-split.sh): stamps sw.js (see
# public/sw.js) with the folder of the worker's modules, with a hash of the build, so a change to
# the worker's Rust alone still changes sw.js and the browser installs the update, and with the
# list of the app shell's files, which the worker caches so the app opens offline. The shell's
# paths are under the base (index.html's meta, written by build-split.sh from trunk's public URL).
set -eu
dir="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
worker=$(cd "$dir" && ls -d sw-* 2>/dev/null | head -1)
for file in "$worker/scim-sw_bg.wasm" "$worker/scim-sw.js" sw.js index.html 404.html; do
  if [ -z "$worker" ] || [ ! -f "$dir/$file" ]; then
    echo "stamp-sw: $dir/$file is missing (build-split.sh runs first)" >&2
    exit 1
  fi
done
# The shell: the page (index.html, and 404.html, the same page that loads from any depth) and everything it loads first, and the worker's modules, so a worker
# restarted offline still loads them; cached while the worker installs. Not sw.js itself.
# The panels' modules (in the page's folder) are listed apart: the worker caches them once it
# is in charge, so every panel opens offline without holding up a first visit.
base=$(sed -n 's#.*<meta name="scim-playground-base" content="\([^"]*\)".*#\1#p' "$dir/index.html")
case "$base" in
  /*/ | /) ;;
  *)
    echo "stamp-sw: index.html carries no base (build-split.sh writes it)" >&2
    exit 1
    ;;
esac
# 404.html is the app as it opens at any depth: the worker answers navigations with it when the
# network cannot (public/sw.js).
shell="\"$base\", \"${base}index.html\", \"${base}404.html\""
panels=''
for path in $(cd "$dir" && find . -type f | LC_ALL=C sort); do
  name=${path#./}
  case "$name" in
    sw.js | index.html | 404.html) ;;
    page-*/split_*.wasm | page-*/chunk_*.wasm) panels="$panels${panels:+, }\"$base$name\"" ;;
    *.js | *.wasm | *.css | *.webmanifest | *.png) shell="$shell, \"$base$name\"" ;;
  esac
done
# The hash covers every file of the build (sw.js is still the unstamped template here), so a
# change to anything the worker caches - the manifest and icons included - renames the cache and
# replaces it, instead of leaving an old copy to be served cache-first.
hash=$(find "$dir" -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-16)
sed -i "s/__SW_BUILD__/$hash/; s#__SW_SHELL__#[$shell]#; s#__SW_PANELS__#[$panels]#; s#__SW_DIR__#$worker#g" "$dir/sw.js"
echo "stamp-sw: sw.js build $hash, worker $worker, base $base"
