# Undersigned — the two commands a newcomer needs: `make run` and `make test`.
# Everything installs from the lock files in requirements/ into .venv.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter >= 3.12 found: pyenv's (reads .python-version), then the usual names.
PYTHON := $(shell for p in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3 python; do \
	[ -n "$$p" ] && command -v "$$p" >/dev/null 2>&1 && \
	"$$p" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && \
	{ command -v "$$p"; break; }; done)

.PHONY: run test test-faults test-replica cluster-test lint bench venv dev-venv clean help

help:
	@echo "make run    serve the demo at http://127.0.0.1:8000 (SQLite by default)"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff, mypy and import-linter"
	@echo "make test-faults  only the fault tests (own PostgreSQL and Redis; a few minutes)"
	@echo "make test-replica only the read-replica tests (own PostgreSQL primary + replica; < 1 min)"
	@echo "make cluster-test two app hosts in network namespaces behind a proxy (root; ~2 min)"
	@echo "make bench  surge benchmark against PostgreSQL (DATABASE_URL)"

$(BIN)/.installed-base: requirements/base.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Undersigned needs Python 3.12 or newer, and none was found."; \
	  echo "Install it (e.g. 'pyenv install 3.12' or your system's python3.12 package) and run make again."; \
	  exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(BIN)/.installed-dev: requirements/dev.lock $(BIN)/.installed-base
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@touch $@

# axe-core for the accessibility test, from package-lock.json; optional on a developer's
# machine (the test says loudly that it is skipped), required under CI.
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "!! npm not found: the accessibility test will be skipped (apt-get install npm)"; fi

venv: $(BIN)/.installed-base
dev-venv: $(BIN)/.installed-dev node_modules/.package-lock.json

# DEBUG defaults to on for the local demo (dev outbox, no SECRET_KEY needed); set DEBUG=false
# and a SECRET_KEY to try the production configuration.
run: venv
	DEBUG=$${DEBUG:-true} $(BIN)/undersigned migrate --no-input
	DEBUG=$${DEBUG:-true} $(BIN)/undersigned demo --signatures 20000
	DEBUG=$${DEBUG:-true} $(BIN)/undersigned serve --with-worker

test: dev-venv lint
	$(BIN)/python -m tests.check_system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Each starts its own PostgreSQL cluster and redis-server; make test runs them on PostgreSQL.
test-faults: dev-venv
	$(BIN)/python -m pytest -m fault tests/faults $(PYTEST_ARGS)

# A primary of their own and its pg_basebackup standby; make test runs them on PostgreSQL.
test-replica: dev-venv
	$(BIN)/python -m pytest -m replica tests/replica $(PYTEST_ARGS)

# Two app hosts and their workers, each in a network namespace of its own (ip netns: root),
# sharing their own PostgreSQL and Redis behind a small proxy (tests/cluster, docs/scaling.md).
cluster-test: dev-venv
	$(BIN)/python -m pytest -m cluster tests/cluster $(PYTEST_ARGS)

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy undersigned tests bench scripts
	$(BIN)/lint-imports

bench: dev-venv
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
