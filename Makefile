# canus: `make run` validates the graph and answers a few questions; `make test` runs the suite.
# Both create .venv and install canus into it on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint bench serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# the page tests drive Debian's chromium (never `playwright install`); root installs it once
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium; fi
	touch $(STAMP)

run: $(STAMP)
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

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check --quiet src tests benchmarks
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/speed.py

serve: $(STAMP)
	$(BIN)/canus serve

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
