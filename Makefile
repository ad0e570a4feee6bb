# planeval — run `make` or `make help` to list targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.planeval-installed
PARAMS ?= params/midterm-2023H1.yaml

## Show this help
help:
	@awk 'BEGIN {FS=":"} /^## /{desc=substr($$0,4); next} /^[a-zA-Z_-]+:/{ if (desc) printf "  \033[36m%-12s\033[0m %s\n", $$1, desc; desc="" }' $(MAKEFILE_LIST)

# The venv is (re)built only when pyproject.toml changes: no work when it is up to date.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name planeval --display-name "planeval (Python 3.11)" >/dev/null
	@touch $(STAMP)

## Create/update .venv with all dependencies and the Jupyter kernel "planeval"
venv: $(STAMP)

## Build the demo county's mid-term evaluation report (HTML, PDF, Word) under reports/
report: $(STAMP)
	$(BIN)/planeval run --params $(PARAMS)

## Run the test suite (unit, smoke, backtests, end-to-end)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Check a data pack: make check-data DATA=path/to/pack
check-data: $(STAMP)
	$(BIN)/planeval check-data $(or $(DATA),data/demo)

## Regenerate the embedded demo data pack (data/demo/) from its generator
demo-data: $(STAMP)
	$(BIN)/planeval make-demo data/demo

## Lint and format-check with ruff
lint: $(STAMP)
	$(BIN)/ruff check lib tests bench
	$(BIN)/ruff format --check lib tests bench

## Install JupyterLab into .venv and open it on notebooks/
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks/

## Run the benchmarks (bench/), results in bench/results/
bench: $(STAMP)
	$(BIN)/python bench/run.py

## Remove built reports and caches (keeps .venv)
clean:
	rm -rf reports .cache .pytest_cache .ruff_cache

.PHONY: help venv report test check-data demo-data lint lab bench clean
