# Two commands on a fresh machine:  `make serve`  and  `make test`.
# Everything else here is what those two need, installed on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test test-python test-js lint-extension package bench schemas

serve: $(STAMP)
	$(BIN)/fairclick serve

test: $(STAMP) node_modules/.installed /usr/bin/chromium
	$(BIN)/python -m pytest
	npm test --silent

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium: the browser tests drive it through playwright-core (which cannot download its own).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

schemas: $(STAMP)
	$(BIN)/python -m shared_schema

lint-extension: node_modules/.installed
	node extension/tools/package.mjs --lint

package: node_modules/.installed
	node extension/tools/package.mjs

bench: $(STAMP)
	$(BIN)/python -m bench
