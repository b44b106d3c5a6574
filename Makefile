# SteelWatch — two commands: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python ≥ 3.12: use one already on the machine (PATH or pyenv), else let uv fetch one.
PYTHON ?= $(shell for p in python3.12 python3.13 /root/.pyenv/versions/3.12*/bin/python3.12 \
	/root/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.1[23]; do \
	"$$p" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { command -v "$$p"; break; }; done)
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/steelwatch
DEMO_DATA ?= $(CURDIR)/data/demo
# The demo: 常州市, development mode (committed development keys, plain-HTTP cookies; never in production).
# Officials who may reveal identities or approve rewards enrol a TOTP second factor at their first login;
# `make demo DEMO_SECOND_FACTOR=off` skips it (allowed only in development mode).
DEMO_SECOND_FACTOR ?= required
DEMO_ENV := STEELWATCH_DATA_DIR=$(DEMO_DATA) STEELWATCH_REGION=320400 STEELWATCH_DEV=true \
	STEELWATCH_SECOND_FACTOR=$(DEMO_SECOND_FACTOR)

.PHONY: help install browser pdf demo demo-data serve test gates typecheck test-sqlite test-postgres test-faults postgres lint messages gettext bench clean

help:
	@echo "make demo   — install, build the demo city, serve it at http://127.0.0.1:8000 (another port: make demo PORT=8080)"
	@echo "make test   — the whole suite on SQLite, then on PostgreSQL (127.0.0.1:5432)"
	@echo "make lint   — ruff"
	@echo "make messages — refresh steelwatch/locale/en (.po) from the code and compile the .mo (needs GNU gettext)"
	@echo "make bench  — detection throughput, floor and pandas ratios, peak memory; 100,000-row ledger import; page latency at 100,000 enterprises"
	@echo "make test-faults — kill workers mid-job, restart a private PostgreSQL, tips beside a long import"

.tools/bin/uv:
	python3 -m venv .tools && .tools/bin/pip install --quiet uv

$(BIN)/steelwatch: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen $(if $(PYTHON),--python $(PYTHON),--python 3.12)
	@touch $@

install: $(BIN)/steelwatch

# Debian's Chromium for the browser tests (Playwright's own browser download does not work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; }

PORT ?= 8000

demo: install pdf
	$(DEMO_ENV) $(BIN)/steelwatch migrate --noinput
	$(DEMO_ENV) $(BIN)/steelwatch build-demo
	$(MAKE) --no-print-directory serve

serve:
	@echo "SteelWatch: http://127.0.0.1:$(PORT)  (gunicorn; Ctrl-C stops the server, the task worker and the hourly reminders)"
	$(DEMO_ENV) $(BIN)/steelwatch db_worker & worker=$$!; \
	( while true; do $(DEMO_ENV) $(BIN)/steelwatch run-reminders >/dev/null; sleep 3600; done ) & reminders=$$!; \
	trap "kill $$worker $$reminders 2>/dev/null" EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/steelwatch serve --bind 127.0.0.1:$(PORT) --workers 2 --threads 4

# Debian's Pango and the Noto CJK fonts for the red-header PDFs (WeasyPrint), and poppler's pdftotext for
# the tests that read them back.
pdf:
	@{ fc-list 2>/dev/null | grep -qi "Noto Serif CJK" && ldconfig -p | grep -q libpangoft2 && command -v pdftotext; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; fi; }

# GNU gettext for the i18n test that runs makemessages (the .mo is committed: the demo does not need it).
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; fi; }

test: install browser gettext pdf
	$(MAKE) --no-print-directory gates
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# The gates before the tests: lint and format, migrations in step with the models, the import contracts
# (.importlinter), mypy on its ratchet (.mypy-baseline). The OpenAPI diff and the schemathesis run are tests.
gates: lint typecheck
	@echo "== migrations match the models =="
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  env -u DATABASE_URL STEELWATCH_DEV=true STEELWATCH_DATA_DIR=$$tmp $(BIN)/steelwatch makemigrations --check --dry-run
	@echo "== import contracts =="
	$(BIN)/lint-imports --no-cache

typecheck: install
	@echo "== mypy (ratchet) =="
	$(BIN)/python .ci/mypy_ratchet.py

# pytest-xdist: one worker per core; every worker has its own test database and data folder (testenv.py),
# and the Spark tests share one worker (one JVM) through --dist loadgroup.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup --durations=12

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL STEELWATCH_DEV=true PYSPARK_PYTHON=$(CURDIR)/$(BIN)/python $(BIN)/pytest $(PYTEST_PARALLEL)

# On PostgreSQL, what depends on the database: not analytics/ (which never imports Django: .importlinter), not
# Spark, the API fuzz run or the browser tests (front end, CSP and layout; the same views are driven on PostgreSQL
# by the test-client tests). They run once, on SQLite — which keeps `make test` under 6 minutes on 2 cores.
test-postgres: postgres
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$(PG_URL) STEELWATCH_DEV=true PYSPARK_PYTHON=$(CURDIR)/$(BIN)/python $(BIN)/pytest $(PYTEST_PARALLEL) \
	  steelwatch -m "not spark and not fuzz and not browser"

# PostgreSQL must answer; under CI we try to start the machine's cluster, and fail rather than skip.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  if [ "$$CI" = true ]; then pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2; fi; \
	  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL does not answer at 127.0.0.1:5432"; exit 1; }; }

lint: install
	@echo "== ruff =="
	$(BIN)/ruff check .
	$(BIN)/ruff format --check steelwatch analytics bench conftest.py

# The English catalogue: msgids are the Chinese strings in the code and templates. After this, translate
# every new or changed entry in steelwatch/locale/en/LC_MESSAGES/django.po (no empty or fuzzy msgstr: the
# i18n tests check) and commit the .po and the compiled .mo (the demo and CI do not need gettext).
I18N_IGNORE := --ignore=.venv --ignore=.tools --ignore=data --ignore=node_modules --ignore=bench --ignore=docs

messages: install gettext
	STEELWATCH_DEV=true $(BIN)/steelwatch makemessages --locale=en --no-obsolete --add-location=file $(I18N_IGNORE)
	STEELWATCH_DEV=true $(BIN)/steelwatch compilemessages --locale=en $(I18N_IGNORE)

bench: install
	PYSPARK_PYTHON=$(CURDIR)/$(BIN)/python $(BIN)/python bench/bench_detect.py
	STEELWATCH_DEV=true BENCH_PG_URL=$${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/steelwatch_bench} $(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_pages.py

# Fault tests (steelwatch/core/tests/test_faults.py): real workers killed with SIGKILL, a private PostgreSQL
# cluster (initdb + pg_ctl in a temp folder, never the shared server) restarted under a worker. A few minutes.
test-faults: install
	env -u DATABASE_URL STEELWATCH_FAULT_TESTS=1 $(BIN)/pytest -m faults steelwatch/core/tests/test_faults.py

clean:
	rm -rf $(VENV) .tools data/demo .pytest_cache
