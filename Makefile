# The two commands of the README, and a few helpers. Each first installs whatever is missing
# (scripts/bootstrap.sh: quick when everything is present).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: serve test bootstrap bridge bench

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
