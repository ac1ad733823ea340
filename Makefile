# Provider Portal — developer tasks.  `make run` starts the demo locally,
# `make test` runs the test-suite (what CI runs).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TRANSLATIONS := provider_portal/translations
PYTEST_ARGS ?=
# The tests run in two processes (pytest-xdist), each with a Redis and a PostgreSQL of its own:
# much of the suite waits (on workers killed and replaced, servers started, a browser), so on
# two cores a run takes 20-35 minutes instead of 40-70. TEST_PROCESSES=1 for one process.
TEST_PROCESSES ?= 2

.DEFAULT_GOAL := help
.PHONY: help venv install translations system-deps run test fuzz bench load lint clean

help:
	@echo "make run          install everything and start the portal on http://127.0.0.1:5000"
	@echo "make test         run the test-suite in two processes (TEST_PROCESSES=1 for one; PYTEST_ARGS='-k foo -x' to narrow it)"
	@echo "make fuzz         schemathesis against the live API and odd values on every page, far longer than make test's run"
	@echo "make lint         ruff check, ruff format --check and bandit (make test runs it first)"
	@echo "make bench        run the benchmarks"
	@echo "make load         50 provider sessions against gunicorn on PostgreSQL while 2 workers aggregate a month (LOAD_ARGS='--spawn-rate 10')"
	@echo "make system-deps  install the Debian packages (redis, postgresql, chromium, ...)"
	@echo "make install      create .venv and install the app with its dev extras"
	@echo "make clean        remove .venv, the local database and caches (keeps instance/ keys)"

venv install: $(STAMP) translations

# Re-install only when the packaging metadata changes.
$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(STAMP)
	@if compgen -G '$(TRANSLATIONS)/*/LC_MESSAGES/*.po' >/dev/null; then \
		$(VENV)/bin/pybabel compile --statistics -d $(TRANSLATIONS); \
	fi

system-deps:
	bash scripts/install-system-deps.sh

# From a terminal the script runs as its own foreground job (bash -m), so Ctrl-C reaches it
# alone: it stops everything in order and ends with status 0, and make has nothing to report.
run: system-deps install
	@if [ -t 0 ]; then bash -m -c 'bash scripts/run.sh'; else bash scripts/run.sh; fi

# The style is part of the build: lint runs first, so CI keeps it.
test: system-deps install lint
	$(PY) -m pytest $(if $(filter-out 1,$(TEST_PROCESSES)),-n $(TEST_PROCESSES)) $(PYTEST_ARGS)

# make test runs a few examples per API call and role, and a few odd query values on every page
# each role reaches; this runs many, with a new seed each time unless FUZZ_SEED is given (the
# seed is printed to run a failure again), and every odd value.
FUZZ_EXAMPLES ?= 200
fuzz: system-deps install
	@seed=$${FUZZ_SEED:-$$RANDOM}; echo "FUZZ_SEED=$$seed"; \
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SEED=$$seed $(PY) -m pytest tests/fuzz $(PYTEST_ARGS)

bench: install
	@if [ -d benchmarks ]; then \
		$(PY) -m benchmarks; \
	else \
		echo "No benchmarks yet (benchmarks/ does not exist)."; \
	fi

# Throwaway PostgreSQL and Redis on 127.0.0.1; prints p50/p95/p99 per kind of request, the error
# rate, the uploads against the reports stored, and the month's invoices (benchmarks/load.py).
load: system-deps install
	$(PY) -m benchmarks.load $(LOAD_ARGS)

LINTED := provider_portal contracts tests worker.py benchmarks

# bandit reads the code that runs (tests assert freely); each finding is fixed or justified in
# place with `# nosec <id> # why`.
SECURITY_LINTED := provider_portal contracts worker.py benchmarks

lint: install
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/bandit --quiet --recursive $(SECURITY_LINTED)

# Keeps instance/secret_key and instance/pseudonym_key: a new pseudonym key
# would stop the portal from recognising citizens.
clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info build dist
	rm -f instance/*.db instance/*.db-journal instance/*.db-wal instance/*.db-shm \
		instance/*.sqlite instance/*.sqlite3 instance/.demo-loaded instance/dump.rdb
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
