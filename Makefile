# Mockri: `make run` starts the app with demo data, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL_DEFAULT := postgres://postgres@localhost:5432/mockri
# Database 15 of a local Redis: `make test` empties it.
REDIS_TEST_URL_DEFAULT := redis://127.0.0.1:6379/15

# uv: the one on PATH, else one installed into a throw-away virtualenv under var/ (system pip may
# refuse to install packages, PEP 668).
UV_BOOTSTRAP := var/tools/uv-venv
UV := $(or $(shell command -v uv 2>/dev/null),$(UV_BOOTSTRAP)/bin/uv)

# Python 3.12+: from PATH first, then pyenv's versions. Handed to uv as UV_PYTHON (the interpreter
# itself, not a pyenv shim, whose path uv would not match to .venv's); when none is found, uv
# fetches one itself (on machines with internet).
FOUND_PYTHON := $(shell \
	for candidate in python3.14 python3.13 python3.12 python3 \
		$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
		path=$$(command -v $$candidate 2>/dev/null) || continue; \
		$$path -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { $$path -c 'import sys; print(sys.executable)'; break; }; \
	done)
ifeq ($(origin UV_PYTHON),undefined)
ifneq ($(FOUND_PYTHON),)
export UV_PYTHON := $(FOUND_PYTHON)
endif
endif
export UV_PROJECT_ENVIRONMENT := .venv
RUN := $(UV) run --frozen

# The suite's passes run on pytest-xdist workers, one per core up to four (each worker gets its
# own test database; a file's tests stay on one worker, since some share a scratch database or
# server). `make test TEST_WORKERS=0` runs each pass in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
PYTEST := $(RUN) pytest -q $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)

.PHONY: help run test lint format sync

help:
	@echo "make run    set up everything and run Mockri with demo data (web + task worker)"
	@echo "make test   lint (ruff, mypy, missing migrations), then the whole test suite on SQLite (today and a year ahead), on"
	@echo "            PostgreSQL if one answers, and the shared-cache tests on Redis if one answers"

$(UV_BOOTSTRAP)/bin/uv:
	@echo "uv not found: installing it into $(UV_BOOTSTRAP)"
	@mkdir -p var/tools
	@python3 -m venv $(UV_BOOTSTRAP) && $(UV_BOOTSTRAP)/bin/pip install --quiet uv

sync: $(UV)
	@if [ -z "$$UV_PYTHON" ]; then echo "No Python 3.12+ found on PATH or in pyenv: uv will fetch one."; \
		else echo "Using Python $$UV_PYTHON"; fi
	@$(UV) sync --frozen --quiet

run: sync
	@mkdir -p var
	@$(RUN) python manage.py migrate --noinput -v0
	@$(RUN) python manage.py seed_demo
	@$(RUN) python manage.py tasks_maintain
	@echo
	@echo "Mockri is starting at http://$(HOST):$(PORT)/ with its task worker. Ctrl-C stops both."
	@echo
	@set -m; \
		$(RUN) python manage.py db_worker & worker=$$!; \
		$(RUN) python manage.py runserver $(HOST):$(PORT) & web=$$!; \
		trap 'kill -- -$$worker -$$web 2>/dev/null; wait' EXIT INT TERM; \
		wait -n

lint: sync
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	@mkdir -p var  # makemigrations opens the SQLite database under var/ (absent in a fresh clone)
	$(RUN) python manage.py makemigrations --check --dry-run

format: sync
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

# The suite runs on SQLite, then again with the clock a year ahead (a test that depends on today's
# date fails now, not on a future morning), then on PostgreSQL when TEST_DATABASE_URL is set or a
# server answers on localhost:5432. The tests of the shared cache (rate limits, slot pages) run on
# Redis too when TEST_REDIS_URL is set or a server answers on 127.0.0.1:6379.
test: lint
	@echo "== the suite on SQLite =="
	@$(PYTEST)
	@echo "== the suite on SQLite, the clock a year ahead =="
	@MOCKRI_TEST_CLOCK_OFFSET_DAYS=365 $(PYTEST)
	@ran="SQLite (today and a year ahead)"; \
	url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(RUN) python -c "import socket; socket.create_connection(('localhost', 5432), 1)" 2>/dev/null; then \
		url="$(PG_TEST_URL_DEFAULT)"; fi; \
	if [ -n "$$url" ]; then \
		echo "== the same suite on PostgreSQL ($$url) =="; \
		DATABASE_URL="$$url" $(PYTEST) || exit 1; \
		ran="$$ran, PostgreSQL"; \
		if command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ]; then \
			echo "== the same suite through PgBouncer in transaction mode, as behind Neon's pooler =="; \
			scripts/with-pgbouncer "$$url" $(PYTEST) --create-db --reuse-db || exit 1; \
			ran="$$ran, PostgreSQL through PgBouncer"; \
		else echo "pgbouncer is not installed: the pooled pass is skipped (apt-get install pgbouncer)."; fi; \
	else echo "No PostgreSQL server answered on localhost:5432 and TEST_DATABASE_URL is unset."; fi; \
	url="$${TEST_REDIS_URL:-}"; \
	if [ -z "$$url" ] && $(RUN) python -c "import socket; socket.create_connection(('127.0.0.1', 6379), 1)" 2>/dev/null; then \
		url="$(REDIS_TEST_URL_DEFAULT)"; fi; \
	if [ -n "$$url" ]; then \
		echo "== the shared-cache tests on Redis ($$url) =="; \
		REDIS_URL="$$url" $(RUN) pytest -q -m shared_cache || exit 1; \
		ran="$$ran, Redis (shared-cache tests)"; \
	else echo "No Redis answered on 127.0.0.1:6379 and TEST_REDIS_URL is unset."; fi; \
	echo "Tests passed on: $$ran"
