# planeval — run `make` or `make help` to list targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.planeval-installed
#> PARAMS=FILE    parameter file for report (default params/midterm-2023H1.yaml)
PARAMS ?= params/midterm-2023H1.yaml
#> DATA=DIR       data pack for check-data (default data/demo)
DATA   ?= data/demo
#> COUNTY=县名    for init: make init COUNTY=青山县 [DIR=青山县]
COUNTY ?=
#> TEST_JOBS=N    test processes for make test (default 2; 0: all in one process)
TEST_JOBS ?= 2
DIR    ?=
LAB_STAMP := $(VENV)/.planeval-lab
# Jupyter refuses to start as root unless told; containers and WSL often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

## Show this help
help:
	@c=""; r=""; if [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; then c=$$'\033[36m'; r=$$'\033[0m'; fi; \
	awk -v c="$$c" -v r="$$r" 'BEGIN {FS=":"} \
	  /^## /{desc=substr($$0,4); next} \
	  /^#> /{vars[++n]=substr($$0,4); next} \
	  /^[a-zA-Z_-]+:/{ if (desc) printf "  %s%-12s%s %s\n", c, $$1, r, desc; desc="" } \
	  END { print "\nVariables (e.g. make report PARAMS=青山县/评估参数.yaml):"; \
	        for (i = 1; i <= n; i++) print "  " vars[i] }' $(MAKEFILE_LIST)

# The venv is (re)built only when pyproject.toml changes: no work when it is up to date.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name planeval --display-name "planeval (Python 3.11)" >/dev/null
	@touch $(STAMP)

## Create/update .venv with all dependencies and the Jupyter kernel "planeval"
venv: $(STAMP)

## Build a report (HTML, PDF, Word) under reports/: the demo county's mid-term, or PARAMS=
report: $(STAMP)
	$(BIN)/planeval run --params "$(PARAMS)"

## Run the test suite (unit, smoke, backtests, end-to-end), TEST_JOBS processes at once
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_JOBS) --dist loadfile

## Start one county's folder (template, parameter file, notes): make init COUNTY=青山县
init: $(STAMP)
	@test -n "$(COUNTY)" || { echo "请写出县名：make init COUNTY=青山县 [DIR=目录]"; exit 2; }
	$(BIN)/planeval init "$(COUNTY)" $(if $(DIR),"$(DIR)")

## Check a data pack: make check-data DATA=path/to/pack
check-data: $(STAMP)
	$(BIN)/planeval check-data "$(DATA)"

## Regenerate the embedded demo data pack (data/demo/) from its generator
demo-data: $(STAMP)
	$(BIN)/planeval make-demo data/demo

## Lint and format-check with ruff
lint: $(STAMP)
	$(BIN)/ruff check lib tests bench
	$(BIN)/ruff format --check lib tests bench

# JupyterLab is installed once (the lab extra), not on every `make lab`.
$(LAB_STAMP): $(STAMP)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	@touch $@

## Open JupyterLab on notebooks/ (installs it into .venv the first time)
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

## Remove outputs from notebooks/*.ipynb before a commit (or: pre-commit install)
strip: $(STAMP)
	$(BIN)/python -m planeval.report.stripout notebooks/*.ipynb

## Run the benchmarks (bench/), results in bench/results/
bench: $(STAMP)
	$(BIN)/python bench/run.py

## Remove built reports and caches (keeps .venv)
clean:
	rm -rf reports .cache .pytest_cache .ruff_cache

.PHONY: help venv init report test check-data demo-data lint lab strip bench clean
