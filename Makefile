# The two commands of the README, and a few helpers. Each first installs whatever is missing
# (scripts/bootstrap.sh: quick when everything is present).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: serve test bootstrap bridge bench relay

## serve: build the app and serve it on http://127.0.0.1:8080 (rebuilds on change)
serve: bootstrap
	@bash scripts/serve.sh

## test: every test — format, lint, native, browser (page + service worker), release build,
## size budgets, end to end
test: bootstrap
	bash scripts/test.sh

## bridge: serve the in-browser SCIM server on http://127.0.0.1:8787/scim/v2 for curl, Postman
## or a compliance suite (builds the release app first); ADMIN=1 also forwards /_playground
bridge: bootstrap
	trunk build --release
	node scripts/bridge.mjs --port $(or $(PORT),8787) $(if $(ADMIN),--admin)

## relay: forward http://127.0.0.1:8788 to TARGET (your SCIM server's base URL), answering
## CORS for the app's pages only, so the Tests panel and Okta's API Integration can reach a
## server that does not allow the app's origin; PORT=… to change the port, ALLOW_ORIGIN=… (one
## or more origins, space-separated) for an app served elsewhere than make serve
relay:
	@if [ -z "$(TARGET)" ]; then echo "usage: make relay TARGET=<your SCIM base URL> [PORT=8788] [ALLOW_ORIGIN=<origin>]"; exit 2; fi
	cargo run --release -q -p scim-relay -- --target '$(TARGET)' --port $(or $(PORT),8788) $(foreach origin,$(ALLOW_ORIGIN),--allow-origin '$(origin)')

## bench: benchmark the server in the worker in headless Chromium against measured floors,
## the admin panels at 10k people (main-thread blocking), and the pure engines natively
bench: bootstrap
	trunk build --release
	node scripts/bench-browser.mjs
	node scripts/bench-ui.mjs
	cargo run --release -q -p scim --example bench
	cargo run --release -q -p idp --example bench

bootstrap:
	@bash scripts/bootstrap.sh
