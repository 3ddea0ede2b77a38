#!/usr/bin/env bash
# Size budgets for the release build in dist/, gzipped as a server would send them. Sizes are
# deterministic for a given source, so this is a real test: it fails when a budget is exceeded,
# and prints both figures every run so growth is visible in the log.
set -euo pipefail
cd "$(dirname "$0")/.."
# The foundation set 400 KB for the page when it was the shell and a few panels (251 KB). The
# Okta simulator (crates/idp: expression language, import, hooks, share encoding, the test
# runner's suites) and twelve full panels measured 716.4 KB even with Leptos's erase_components
# (718 KB -> 618 KB for the same code; opt-level "s" measured 833 KB, worse than "z"); reading the
# saved org through a JSON value, so serde's readers are compiled once, took it to 704.8 KB.
# Saving and reading the org in pieces (idp::saved), which ended a 300-550 ms freeze when a
# page with a 10k org opens and a 100 ms one after every job, added 4.3 KB: 709.5 KB. Applying
# and confirming an import's rows in steps (importing 10k blocked for 96 ms; confirming 10k rows
# ran as one step) added 1.9 KB: 711.4 KB. Two tabs sharing one org (each reads what the other
# saved, instead of silently undoing it with its own older copy) added 1.2 KB: 712.6 KB. Explain
# showing a PATCH path in words with its value filter as a tree (it was raw JSON) added 0.7 KB:
# 713.3 KB. A review of the two-tab sharing found four races (a tab's unsaved job thrown away
# for another tab's org, a missed second save, saves missed while loading, a job on the
# placeholder org before loading); fixing them added 0.5 KB: 713.8 KB. The budget
# sits just above the measured size, so any growth fails here and has to be argued for; issue
# #2's 400 KB is not met and stays open (the largest parts: the panels' view code, idp, Leptos's
# reactive and rendering code, serde's typed readers of the saved org).
PAGE_BUDGET=714000
# The foundation set 200 KB for a worker with a minimal server. Hosting the complete engine
# (every RFC 7643 attribute with its description, the filter and PATCH languages, Bulk, OAuth)
# measured 244 KB. Removing duplicated code without changing behaviour (one JSON reader type, a
# hand-written Auth deserializer, one serializer for the settings, a small base64 decoder)
# brought it to 230.6 KB. The Explain panel's dry runs (the filter explainer and a PATCH taken
# one operation at a time, served by /_playground/explain) added 10.0 KB: 240.7 KB. The budget
# sits just above that, so any growth fails here and has to be argued for. Issue #2's goal is still 200 KB; most of what remains is the engine itself,
# the schema text /Schemas serves, and serde's typed reading of settings and exports, whose exact
# error messages the admin endpoints return.
WORKER_BUDGET=241500

gz() { gzip -9 -c "$1" | wc -c; }
page=$(ls dist/scim-playground-*_bg.wasm 2>/dev/null | head -1)
worker=dist/scim-sw_bg.wasm
if [ -z "$page" ] || [ ! -f "$worker" ]; then
  echo "sizes: dist/ has no release build (run trunk build --release)" >&2
  exit 1
fi
status=0
check() {
  local label=$1 file=$2 budget=$3 size raw
  size=$(gz "$file"); raw=$(wc -c <"$file")
  printf 'sizes: %-6s wasm %7d bytes gzipped (%d raw), budget %d: ' "$label" "$size" "$raw" "$budget"
  if [ "$size" -le "$budget" ]; then echo ok; else echo OVER; status=1; fi
}
check page "$page" $PAGE_BUDGET
check worker "$worker" $WORKER_BUDGET
exit $status
