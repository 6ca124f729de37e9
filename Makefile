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

.PHONY: book cjk-fonts test unit notebooks replica check-data browser-deps bench lighthouse mutation snapshot publish clean
.PHONY: lab lab-deps pdf pdf-deps launch-tree launch-branch i18n-sync i18n-status

$(INSTALLED): requirements.txt pyproject.toml tableaudit/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e ./tableaudit -e .
	@touch $@

# The Chinese edition's figures are drawn with Noto Sans CJK (Debian's fonts-noto-cjk; westgov/i18n.py).
cjk-fonts:
	@fc-list :lang=zh 2>/dev/null | grep -q "Noto Sans CJK" || \
	  ( $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk ) || \
	  echo "fonts-noto-cjk could not be installed: Chinese figure labels will lack glyphs"

book: $(INSTALLED) cjk-fonts
	$(BIN)/python -m westgov book

notebooks: $(INSTALLED)
	rm -rf $(NBDIR)
	$(BIN)/python -m westgov notebooks $(NBDIR)

# Browser tests need Debian's Chromium and ChromeDriver; install them when missing.
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver )

test: book notebooks browser-deps lab-deps pdf
	-@$(BIN)/python -m westgov.book.i18n status
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax --nbval-sanitize-with tests/nbval-sanitize.cfg tests $(NBDIR)

unit: $(INSTALLED)
	$(BIN)/python -m pytest -n $(JOBS) --ignore=tests/browser tests

check-data: $(INSTALLED)
	$(BIN)/python -m westgov check-data

replica: $(INSTALLED)
	$(BIN)/python -m westgov replica
	$(BIN)/python -m westgov checksums --update

# Lighthouse (pinned) from the npm registry into a project-local folder; runs on Debian's Chromium.
# A failed install does not stop `make bench`: its Lighthouse step then reports what is missing.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_DIR := _build/lighthouse-tool
LIGHTHOUSE := $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

$(LIGHTHOUSE):
	@command -v npm >/dev/null || ( $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm )
	mkdir -p $(LIGHTHOUSE_DIR)
	npm install --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION) || \
	  echo "lighthouse $(LIGHTHOUSE_VERSION) could not be installed; make bench will report it"

lighthouse: $(LIGHTHOUSE)

# BENCH_ARGS: e.g. "--only lighthouse --runs 1" (see .venv/bin/python -m westgov bench --help)
bench: $(INSTALLED) browser-deps
	-@$(MAKE) --no-print-directory $(LIGHTHOUSE)
	$(BIN)/python -m westgov bench $(BENCH_ARGS)

# The Chinese edition (zh/, issue 27): rewrite the code cells of zh/chapters from chapters/, and list
# the English sections changed since their translation.
i18n-sync: $(INSTALLED)
	$(BIN)/python -m westgov.book.i18n sync

i18n-status: $(INSTALLED)
	$(BIN)/python -m westgov.book.i18n status

# After a deliberate change of data or method: rebuild, then record every glued value of every
# chapter in tests/snapshots/glue.json and every printed cell output in tests/snapshots/outputs.json
# (tests/book/test_page_numbers.py compares the pages with them).
snapshot: book
	$(BIN)/python -m westgov.book.pagenumbers --write

# Mutation testing of westgov/ and tableaudit/ with the unit tests (mutmut, pinned in requirements-dev.txt; slow, not
# part of `make test`). MODULES narrows the run, e.g. `make mutation MODULES='tableaudit.sumstats*'`.
# Prints the score per module and the survivors; writes _build/mutation.json.
# SAMPLE='tableaudit.optimize 0.25' runs a seeded quarter of one module's mutants (after a first run has
# generated them; tools/mutation_sample.py), and the report gives the score's 95 % interval.
MODULES ?=
SAMPLE ?=
mutation: $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(if $(SAMPLE),names=$$($(BIN)/python tools/mutation_sample.py $(SAMPLE)) || exit 2; )$(BIN)/mutmut run $(MODULES) $(if $(SAMPLE),$$names) || true
	$(BIN)/python tools/mutation_report.py

# Push _build/html to the gh-pages branch of the `origin` remote (manual alternative to the workflow).
publish: book
	$(BIN)/ghp-import --no-jekyll --push --force _build/html

clean:
	rm -rf _build

# --- For students: JupyterLab, a PDF of the book, notebooks for the launch buttons -------------
# JupyterLab is not needed to build the book, so it is pinned apart, in requirements-lab.txt, and
# installed into .venv on demand (`make test` installs it too: a test starts it). The pinned book
# requirements constrain it, so installing it never changes a package the book is built with.
LAB_INSTALLED := $(VENV)/.lab-installed
$(LAB_INSTALLED): $(INSTALLED) requirements-lab.txt assets/jupyterlab-overrides.json
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.txt -r requirements-lab.txt
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp assets/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

lab-deps: $(LAB_INSTALLED)

# Opens JupyterLab on the repository; a chapter's .md opens as a notebook (jupytext).
lab: $(LAB_INSTALLED)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/chapters/preface.md \
	  $(if $(SUDO),,--allow-root)

# The PDF is Chromium's print of a single-page build with a print stylesheet (westgov/book/pdf.py);
# poppler-utils serves the PDF tests (pdftotext, pdffonts, pdftoppm).
# The typefaces of the PDF (westgov/book/pdf.css): Noto Sans, DejaVu Sans Mono, Noto Sans CJK and
# DejaVu Math TeX Gyre, all from Debian's font packages.
PDF_FONTS := fonts-noto-core fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra
pdf-deps: browser-deps
	@command -v pdftotext >/dev/null && fc-list :lang=zh | grep -q . && fc-list "Noto Sans" | grep -q . && \
	  fc-list "DejaVu Math TeX Gyre" | grep -q . && fc-list "DejaVu Sans Mono" | grep -q . || \
	  ( $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils $(PDF_FONTS) )

pdf: book pdf-deps
	$(BIN)/python -m westgov.book.pdf

# The content of the `notebooks` branch that the launch buttons open (see westgov/book/launch.py).
launch-tree: $(INSTALLED)
	$(BIN)/python -m westgov.book.launch _build/launch

launch-branch: launch-tree
	$(BIN)/ghp-import --no-jekyll --push --force --branch notebooks _build/launch
