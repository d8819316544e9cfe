# Parcours IA — make help lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# Python 3.12, found without relying on the pyenv shim (its global may be another version).
PYTHON312 ?= $(shell for c in python3.12 "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12 \
	/usr/local/bin/python3.12 /usr/bin/python3.12; do \
	"$$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && { echo "$$c"; break; }; done)
PYTHON311 ?= $(shell for c in python3.11 "$$(pyenv root 2>/dev/null)"/versions/3.11*/bin/python3.11 \
	/usr/local/bin/python3.11 /usr/bin/python3.11; do \
	"$$c" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null && { echo "$$c"; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PARCOURS := $(VENV)/bin/parcours
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

help: ## this list
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): setup.py requirements/constraints.txt package.json package-lock.json
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found (set PYTHON312=/path/to/python3.12)"; exit 2; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24" -c requirements/constraints.txt
	$(PY) -m pip install -q -c requirements/constraints.txt -e ".[dev]"
	$(PY) -m compileall -q parcours xblocks >/dev/null  # an editable install compiles nothing
	npm ci --silent --no-audit --no-fund
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else echo "Install the Debian package chromium for the browser tests"; fi; }
	touch $(STAMP)

requirements: $(STAMP) ## create .venv and install everything (Python, npm, chromium)

build: $(STAMP) ## build every course in courses/ into build/
	$(PARCOURS) build courses -o build -f olx,scorm12,cc13

preview: $(STAMP) ## live preview of one course on http://127.0.0.1:8800 (COURSE=courses/exemple)
	$(PARCOURS) preview $(or $(COURSE),courses/exemple)

validate: $(STAMP) ## validate every course without writing anything
	$(PARCOURS) validate courses

test: $(STAMP) test-py311 ## run the whole test suite (browser tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP) ## the suite without the browser tests
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: $(STAMP) ## the browser tests only (headless Chromium)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

.venv311/.installed: requirements/py311.txt setup.py
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found (set PYTHON311=...)"; exit 2; }
	$(PYTHON311) -m venv .venv311
	.venv311/bin/pip install -q -r requirements/py311.txt
	.venv311/bin/pip install -q --no-deps -e .
	touch $@

test-py311: .venv311/.installed ## XBlock unit tests on Python 3.11 + XBlock 6.1.0
	.venv311/bin/python -m pytest -p no:cacheprovider -c tests/py311.ini --rootdir . tests/xblocks

quality: $(STAMP) ## lint
	$(VENV)/bin/ruff check parcours xblocks tests

docs: $(STAMP) ## regenerate docs/diagnostics.md from the diagnostic codes
	$(PY) -c "from parcours.diagnostics import codes_markdown; print(codes_markdown(), end='')" > docs/diagnostics.md

LOCALE := parcours/locale
translations: $(STAMP) ## bring the French catalogue of the messages up to date with the code, and compile it
	$(VENV)/bin/pybabel extract --no-default-keywords -k _ -k N_ --no-location --sort-output -c "Translators:" \
		--project parcours --copyright-holder "Parcours IA" -o $(LOCALE)/parcours.pot parcours
	$(VENV)/bin/pybabel update -i $(LOCALE)/parcours.pot -d $(LOCALE) -D parcours --ignore-pot-creation-date --ignore-obsolete
	rm $(LOCALE)/parcours.pot
	$(VENV)/bin/pybabel compile -d $(LOCALE) -D parcours --statistics

golden: $(STAMP) ## regenerate the golden outputs of the fixture courses
	$(PY) -m tests.golden

bench: $(STAMP) ## build a generated large course and print timings and memory
	@# byte-compiled first, as installing from a wheel does: start-up is measured as users get it
	$(PY) -m compileall -q parcours xblocks >/dev/null
	$(PY) -m tests.bench

serve: $(STAMP) ## the xblock-sdk workbench with the blocks' scenarios on http://127.0.0.1:8000
	$(PY) -m tests.support.workbench serve

clean: ## remove build outputs (keeps build/README.md)
	find build -mindepth 1 ! -name README.md -exec rm -rf {} +

.PHONY: help requirements build preview validate test test-fast test-browser test-py311 quality docs translations golden bench serve clean
