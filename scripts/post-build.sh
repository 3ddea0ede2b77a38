#!/bin/sh
# Trunk post_build hook. Trunk runs the hooks of one stage at the same time, and the worker's
# stamp covers every file of the build, the page's modules included, so the two steps are one
# hook, in order.
set -eu
bash scripts/build-split.sh
sh scripts/stamp-sw.sh
