# The README's two commands: `make report` and `make test`. Both create .venv if missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint docs bench examples-check readme readme-check notebooks lab explorer screenshots clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 found; install Python 3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)

# pip byte-compiles what it installs one file at a time; compileall -j 0 does the same on
# every core (about 20 s sooner on two). The compiled files matter where Python may not
# write them itself (PYTHONDONTWRITEBYTECODE): every process would compile its imports again.
# A file that does not compile is not an install error (pip skips it too): Python reports it
# if it is ever imported.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[dev,dask,lab,mining]'
	$(BIN)/python -m compileall -q -j 0 $(VENV)/lib || true
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/mcsim report --out reports

# The reports in headless Chromium (Debian's: apt-get install chromium): a screenshot of each
# page in reports/screenshots/ and checks of what the browser shows (no table cut off, no
# "-0", a bottom line, a link to the index, today's date). Builds the reports when missing.
screenshots: $(STAMP)
	$(BIN)/python benchmarks/screenshots.py --reports reports

lint: $(STAMP)
	$(BIN)/ruff check simlib tests benchmarks

# The manual (mkdocs.yml, docs/) as a site in site/: any warning fails, a broken link or a
# missing anchor included. (NO_MKDOCS_2_WARNING: no banner about MkDocs 2.0 from the theme.)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# Lint, the manual, the unit tests (--dist worksteal: a worker that runs out of tests takes
# half of the other's), then nbval over the committed notebooks (one notebook per worker:
# --dist loadfile).
test: lint docs
	$(BIN)/python -m pytest -n 2 --dist worksteal -q
	$(BIN)/python -m pytest -n 2 -q --dist loadfile --nbval-lax --nbval-current-env notebooks

# The inner loop (about two minutes): the unit tests without those marked slow (the long
# statistical checks, end-to-end runs and most of the hostile-input corpus); `make test` runs all.
.PHONY: test-fast
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist worksteal -q -m "not slow"

# Re-run every report notebook with its default parameters and save its outputs (commit them
# after a change that alters results: `make test` compares the cells marked
# NBVAL_CHECK_OUTPUT). The explorer's notebook (00) is committed without outputs.
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False \
		$(filter-out notebooks/00-explorer.ipynb,$(wildcard notebooks/[0-9]*.ipynb))

# Open the notebooks in JupyterLab (as root, e.g. in a container, Jupyter needs --allow-root).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# The what-if explorer as a web page (Voila, no code shown) for this machine only, at a free
# port (PORT=N for that one); SHARE=1 serves it to other machines too, behind a random token
# in the printed address. Ctrl-C stops it.
explorer: $(STAMP)
	$(BIN)/mcsim explore $(if $(PORT),--port $(PORT)) $(if $(SHARE),--share)

# Twelve figures side by side: run speed, memory, imports, engine ratio, planner, fit time,
# --uncertainty on compare and plan, calibrate --posterior, the governance frontier, the
# memory of eventlog at 100,000 replications (about 35 min; BENCH_EVENTLOG_REPLICATIONS=10000 for less),
# and the explorer's Run to its answer, in Python and as the served page (headless Chromium).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_runner.py

# Re-run the example commands of the README and of the manual (docs/*.md); each must print
# what its page shows (and say how long it took, for the pages' timings); then redraw the
# figures they show (docs/images/), the explorer's picture taken in headless Chromium.
examples-check: $(STAMP)
	$(BIN)/python benchmarks/readme_examples.py
	$(BIN)/python benchmarks/readme_figures.py
	$(BIN)/python benchmarks/explorer_screenshot.py

readme-check readme: examples-check

clean:
	rm -rf $(VENV) reports site .pytest_cache .ruff_cache .hypothesis
