# customer_health: everything a user needs goes through these targets.
# `make demo` and `make test` set up the virtualenv themselves.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR ?= $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

# Demo dataset size; override on the command line: make demo CUSTOMERS=5000
CUSTOMERS ?= 1000
SEED ?= 42
DIRT_RATE ?= 0.02
# Signal configuration of the demo data (JSON; see docs/raw_data.md#signal-configuration), e.g.
# make demo SIGNALS=scripts/chs/generator/signal_profiles/planted_support_surveys.json
SIGNALS ?=
# How the demo's raw data is delivered: native, or fivetran (Salesforce, Stripe, Zendesk and
# Segment as Fivetran lands them, read through the source adapters): make demo LAYOUT=fivetran
LAYOUT ?= native
# Each layout builds and publishes in its own folders, so its publication is compared with
# its own last one: data/<layout>/, build/<layout>/ (native keeps data/raw and build/).
ifeq ($(LAYOUT),native)
LAYOUT_DIRS :=
BUILD_DIR := build
else
LAYOUT_DIRS := --raw-dir data/$(LAYOUT)/raw --truth-dir data/$(LAYOUT)/truth \
	--database build/$(LAYOUT)/customer_health.duckdb --serving-dir build/$(LAYOUT)/serving \
	--report-dir build/$(LAYOUT)/validation
BUILD_DIR := build/$(LAYOUT)
endif
# The evidence report of the layout's build warehouse: build/report/index.html (native).
# Extra options of scripts/report.py, e.g. REPORT_ARGS="--horizon-weeks 8"
REPORT_ARGS ?=
REPORT := $(BIN)/python scripts/report.py --database $(BUILD_DIR)/customer_health.duckdb \
	--out $(BUILD_DIR)/report --calibration $(BUILD_DIR)/calibration/calibration.json $(REPORT_ARGS)
# Extra options of scripts/run_pipeline.py, e.g. PIPELINE_ARGS=--accept-distribution-change
PIPELINE_ARGS ?=
# Benchmark size: make benchmark BENCH_CUSTOMERS=100000
BENCH_CUSTOMERS ?= 20000

.PHONY: setup demo report chromium test lint format clean benchmark docs calibrate

$(STAMP): requirements.txt
	@test -n "$(PYTHON)" || { echo "error: no python3.11 or python3 on PATH; install Python 3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: $(PYTHON) is older than Python 3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet --requirement requirements.txt
	touch $(STAMP)

# A second virtualenv with a DuckDB 1.x client: the tests read the published file with it,
# as the DuckDB versions bundled by BI tools would.
READER_STAMP := .venv-reader/.installed
$(READER_STAMP): requirements-reader.txt $(STAMP)
	$(PYTHON) -m venv .venv-reader
	.venv-reader/bin/python -m pip install --quiet --upgrade "pip==25.3"
	.venv-reader/bin/python -m pip install --quiet --requirement requirements-reader.txt
	touch $(READER_STAMP)

# Copied once; a profiles.yml you edited is never overwritten.
profiles.yml: | profiles.example.yml
	cp profiles.example.yml profiles.yml

setup: $(STAMP) profiles.yml

demo: setup
	$(BIN)/python scripts/run_pipeline.py --customers $(CUSTOMERS) --seed $(SEED) --dirt-rate $(DIRT_RATE) --layout $(LAYOUT) $(if $(SIGNALS),--signals $(SIGNALS)) $(LAYOUT_DIRS) $(PIPELINE_ARGS)
	$(REPORT)

# Propose weights, bands and alert thresholds from the demo build's observed churn (never
# overwrites seeds/): make calibrate, then review build/calibration/ and copy to accept.
calibrate: setup
	$(BIN)/python scripts/calibrate.py --database $(BUILD_DIR)/customer_health.duckdb --out $(BUILD_DIR)/calibration

# The evidence report (static HTML, no server) of the last demo build; make demo writes it too.
report: setup
	$(REPORT)

# Headless Chromium, Debian's package: the evidence report's test opens the report in it.
# Installed with apt-get as root, or through sudo.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "error: no apt-get here: install Chromium and run make test CHROMIUM=/path/to/chromium"; exit 1; }
	@test -z "$(SUDO)" || command -v sudo >/dev/null || { echo "error: installing Chromium needs root or sudo: as root, run apt-get install -y chromium"; exit 1; }
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
	@test -x $(CHROMIUM) || { echo "error: apt-get installed chromium, but not as $(CHROMIUM): run make test CHROMIUM=/path/to/chromium"; exit 1; }

chromium: $(CHROMIUM)

lint: setup
	$(BIN)/ruff check scripts tests models
	$(BIN)/ruff format --check scripts tests models
	mkdir -p build && CHS_DUCKDB_PATH=build/sqlfluff.duckdb $(BIN)/sqlfluff lint models tests analyses
	$(BIN)/python scripts/lint_macros.py

format: setup
	$(BIN)/ruff format scripts tests models
	$(BIN)/ruff check --fix scripts tests models
	mkdir -p build && CHS_DUCKDB_PATH=build/sqlfluff.duckdb $(BIN)/sqlfluff fix models tests analyses

test: setup $(READER_STAMP) $(CHROMIUM) lint
	CHS_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest

benchmark: setup
	$(BIN)/python scripts/benchmark.py --customers $(BENCH_CUSTOMERS)

# Lineage and column docs of the demo warehouse: target/index.html (run make demo first).
docs: setup
	$(BIN)/dbt docs generate

clean:
	rm -rf target logs build data dbt_packages
