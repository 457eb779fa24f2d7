# canus: `make run` validates the graph and answers a few questions; `make test` runs the suite.
# Both create .venv and install canus into it on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench serve vendor build clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# the page tests drive Debian's chromium (never `playwright install`); root installs it once
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium; fi
	@# the remote-store tests start Debian's Virtuoso (7.2) beside Oxigraph's server; root installs it once
	@if [ ! -x /usr/bin/virtuoso-t ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends virtuoso-opensource; fi
	touch $(STAMP)

# Browser libraries vendored into the site by `canus build` (npm, never a CDN): oxigraph's
# WebAssembly build for the query page. Skipped with a note when npm is not installed.
VENDOR := vendor/node_modules/.package-lock.json
$(VENDOR): vendor/package.json vendor/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix vendor --no-audit --no-fund --silent; \
	else echo "npm not found: the site's query page will not run SPARQL (install npm)"; fi

vendor: $(VENDOR)

run: $(STAMP) $(VENDOR)
	$(BIN)/canus validate
	@echo
	@echo "== When was the NORAD Agreement renewed, and what changed?"
	$(BIN)/canus query agreement-renewals --param agreement=id:norad-agreement-1958
	@echo
	@echo "== Which agencies take part in IBET?"
	$(BIN)/canus query agencies-in-program --param program=id:ibet
	@echo
	@echo "== Which operations does Canada run beside the United States?"
	$(BIN)/canus query operations-beside-us
	@echo
	@echo "== The release: every format, checksums and the static site (open dist/site/index.html)"
	$(BIN)/canus build --out dist

test: $(STAMP) $(VENDOR)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check --quiet src tests benchmarks
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/scale.py $(if $(SIZES),--sizes $(SIZES))

serve: $(STAMP)
	$(BIN)/canus serve

build: $(STAMP) $(VENDOR)
	$(BIN)/canus build --out dist

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache vendor/node_modules
