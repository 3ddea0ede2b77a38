# The two commands of the README, and a few helpers. Each first installs whatever is missing
# (scripts/bootstrap.sh: quick when everything is present).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: serve test bootstrap

## serve: build the app and serve it on http://127.0.0.1:8080 (rebuilds on change)
serve: bootstrap
	@echo "Serving SCIM Playground on http://127.0.0.1:8080 (Ctrl-C to stop)"
	trunk serve

## test: every test — format, lint, native, browser (page + service worker), release build,
## size budgets, end to end
test: bootstrap
	bash scripts/test.sh

bootstrap:
	@bash scripts/bootstrap.sh
