# Two commands do everything on a fresh machine (see README.md):
#   make book   create .venv if missing, install the pinned requirements, execute and build the book
#   make test   unit tests, every chapter under nbval, and a strict (warnings = errors) book build
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NBDIR := _build/nbval
JOBS ?= 2

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: book test unit notebooks replica check-data browser-deps bench mutation snapshot publish clean

$(INSTALLED): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

book: $(INSTALLED)
	$(BIN)/python -m westgov book

notebooks: $(INSTALLED)
	rm -rf $(NBDIR)
	$(BIN)/python -m westgov notebooks $(NBDIR)

# Browser tests need Debian's Chromium and ChromeDriver; install them when missing.
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver )

test: book notebooks browser-deps
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax --nbval-sanitize-with tests/nbval-sanitize.cfg tests $(NBDIR)

unit: $(INSTALLED)
	$(BIN)/python -m pytest -n $(JOBS) --ignore=tests/browser tests

check-data: $(INSTALLED)
	$(BIN)/python -m westgov check-data

replica: $(INSTALLED)
	$(BIN)/python -m westgov replica
	$(BIN)/python -m westgov checksums --update

bench: $(INSTALLED)
	$(BIN)/python -m westgov bench

# After a deliberate change of data or method: rebuild, then record every glued value of every
# chapter in tests/snapshots/glue.json (tests/test_page_numbers.py compares the pages with it).
snapshot: book
	$(BIN)/python -m westgov.pagenumbers --write

# Mutation testing of westgov/ with the unit tests (mutmut, pinned in requirements-dev.txt; slow, not
# part of `make test`). MODULES narrows the run, e.g. `make mutation MODULES='westgov.stats*'`.
# Prints the score per module and the survivors; writes _build/mutation.json.
MODULES ?=
mutation: $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	-$(BIN)/mutmut run $(MODULES)
	$(BIN)/python tools/mutation_report.py

# Push _build/html to the gh-pages branch of the `origin` remote (manual alternative to the workflow).
publish: book
	$(BIN)/ghp-import --no-jekyll --push --force _build/html

clean:
	rm -rf _build
