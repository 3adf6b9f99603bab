# Byline — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export BYLINE_DATA_DIR ?= $(CURDIR)/var
# axe-core, the accessibility rules the browser tests run in Chromium (npm registry, pinned)
AXE_VERSION = 4.14.1
AXE_DIR     = .cache/axe

.PHONY: help venv demo serve test test-sqlite test-postgres test-browser lint format typecheck \
        screenshots bench browser axe translator clean fuzz test-long soak

help:  ## show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)  ## create .venv and install Byline with its dev tools

demo: $(STAMP)  ## build the demo site from the bundled sample outlets and serve it on :8000
	$(BIN)/byline demo

serve: $(STAMP)  ## serve the site over the existing database
	$(BIN)/byline serve

lint: $(STAMP)  ## ruff (lint and format check) and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP)  ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

browser:  ## install Debian's Chromium for the browser tests, when missing and we are root
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "note: Chromium is missing; browser tests will skip (apt-get install chromium)"; fi; }

translator:  ## install Apertium's Spanish-English pair (Debian) for copies across languages, when missing and we are root
	@test -f /usr/share/apertium/modes/spa-eng.mode || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apertium-eng-spa; \
	  else echo "note: Apertium is missing; copies in Spanish are judged by names and numbers only and the translation tests skip (apt-get install apertium-eng-spa)"; fi; }

axe:  ## install axe-core (pinned: AXE_VERSION) from the npm registry into .cache/axe, when missing
	@grep -qs '"version": "$(AXE_VERSION)"' $(AXE_DIR)/node_modules/axe-core/package.json || { \
	  if command -v npm >/dev/null 2>&1; then \
	    npm install --no-save --no-audit --no-fund --silent --prefix $(AXE_DIR) axe-core@$(AXE_VERSION); \
	  else echo "note: npm is missing; the accessibility checks will skip (apt-get install npm)"; fi; }

# The SQLite and PostgreSQL suites run side by side (each in its own temporary folders and
# databases; much of their time is spent waiting on subprocesses and servers). Their output
# interleaves line by line, each line marked with its suite ("[sqlite] ", "[postgres] "), so
# progress keeps showing. TEST_JOBS=1 runs them one after the other.
TEST_JOBS ?= 2

test: $(STAMP) lint browser axe translator  ## the whole suite: lint, then SQLite and PostgreSQL side by side, the browser included
	$(MAKE) --no-print-directory -j$(TEST_JOBS) test-sqlite test-postgres

# Each suite keeps what its processes write (WARC files, the secret key) in a data folder of
# its own, apart from the other suite and from the demo's var/.
# pipefail: a suite's status is pytest's, not that of the line marker after it.
test-sqlite: SHELL := /bin/bash
test-sqlite: .SHELLFLAGS := -o pipefail -c
test-sqlite: $(STAMP)  ## the whole suite on SQLite
	BYLINE_DATA_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q 2>&1 | sed -u 's/^/[sqlite] /'

test-postgres: SHELL := /bin/bash
test-postgres: .SHELLFLAGS := -o pipefail -c
test-postgres: $(STAMP)  ## the database tests again on PostgreSQL (PG_URL)
	BYLINE_DATA_DIR=$(CURDIR)/var/test-postgres BYLINE_TEST_POSTGRES=1 DATABASE_URL=$(PG_URL) \
	  $(BIN)/pytest -q -m "django_db or postgres" 2>&1 | sed -u 's/^/[postgres] /'

test-browser: $(STAMP) browser axe  ## the browser tests only (Chromium, axe-core, the keyboard)
	$(BIN)/pytest -q -m browser

FUZZ_RUNS ?= 50000
fuzz: $(STAMP)  ## fuzz every parser for longer: Hypothesis (seed printed), then atheris (FUZZ_RUNS each)
	BYLINE_FUZZ=long $(BIN)/pytest -q tests/fuzz
	@$(BIN)/pip install --quiet atheris || echo "note: atheris did not install; its run is skipped"
	$(BIN)/python tests/fuzz/atheris_targets.py all -atheris_runs=$(FUZZ_RUNS)

test-long: $(STAMP)  ## the long hostile, fuzz and crash runs (kill -9 20 times each, both engines)
	BYLINE_LONG=1 $(BIN)/pytest -q tests/hostile tests/fuzz tests/crash
	BYLINE_LONG=1 BYLINE_TEST_POSTGRES=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q tests/crash

soak: $(STAMP)  ## 15 minutes of the whole system under mixed load: figures and a plot
	$(BIN)/python bench/soak.py

screenshots: $(STAMP) browser  ## refresh docs/screenshots from a real Chromium
	BYLINE_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/site/test_browser.py -k screenshots

bench: $(STAMP)  ## the quality benchmarks, tuning and reporting halves (docs/evaluation.md)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/clustering.py
	$(BIN)/python bench/clustering_streams.py
	$(BIN)/python bench/real_stream.py
	$(BIN)/python bench/real_stream.py --squeeze 14
	$(BIN)/python bench/real_stream.py --truncate 150
	$(BIN)/python bench/undated.py
	$(BIN)/python bench/batch_stories.py
	$(BIN)/python bench/provenance.py
	$(BIN)/python bench/real_provenance.py
	$(BIN)/python bench/provenance_agreement.py
	$(BIN)/python bench/translation.py --seed 2

clean:  ## remove the virtualenv and local data
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
