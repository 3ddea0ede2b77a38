#!/usr/bin/env bash
# `make serve`: trunk serve (a debug build, rebuilt when a source changes; Trunk.toml says what is
# watched), and the address to open printed once the app is really served. Trunk opens its port
# only after the first build, which takes minutes in a fresh clone, so a banner printed before
# it would send a newcomer to a page that does not answer yet.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
url="http://127.0.0.1:8080/"

# Waits until the app's page is served (its title is in index.html), then says where to go.
# It stops by itself once it has spoken, and the trap ends it when trunk stops first.
announce() {
  until node -e 'fetch(process.argv[1]).then(r => r.text()).then(t => process.exit(t.includes("<title>SCIM Playground</title>") ? 0 : 1), () => process.exit(1))' "$url" 2>/dev/null; do
    sleep 1
  done
  printf '\n\033[1mserve: SCIM Playground is ready: open %s in your browser (Ctrl-C to stop)\033[0m\n\n' "$url"
}
announce &
announcer=$!
trap 'kill "$announcer" 2>/dev/null || true' EXIT

echo "serve: building the app (a few minutes the first time), then serving it on $url"
# Not exec: the trap must still run when trunk stops. Trunk stays in the foreground, so Ctrl-C
# (SIGINT to the whole foreground group) reaches it and every build step it started.
trunk serve "$@"
