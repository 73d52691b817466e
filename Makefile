# The two commands: `make run` (the product with demo data) and `make test` (lint and suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Every target here is development: the production settings plus the demo data and benchmarks
# (config.dev_settings). A production site runs with config.settings, manage.py's default.
export DJANGO_SETTINGS_MODULE ?= config.dev_settings

.PHONY: run test cluster-check lint format messages compilemessages migrate seed clean bench loadtest eval-themes bench-themes check-deploy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; the stamp files remember what was installed.
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

# The complaint grouping as it runs with its optional models (make eval-themes, make bench-themes).
$(VENV)/.installed-themes: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[themes]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run $(VENV)/.installed-themes

# The .mo files are committed so a plain checkout speaks Hungarian and Polish; rebuild them
# whenever gettext is at hand so they never lag behind the .po files.
compilemessages: $(VENV)/.installed-run
	@if command -v msgfmt >/dev/null; then \
		DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv' --verbosity 0; \
	else echo "msgfmt (gettext) not found: using the committed .mo files"; fi

run: export DEBUG ?= 1
# The web server and the worker both read them: links in emails follow the address served.
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: $(VENV)/.installed-run compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo
	@echo "Helpdesk is running at http://$(HOST):$(PORT)/  (staff sign in: http://$(HOST):$(PORT)/accounts/login/)"
	@echo "Demo logins are the 'login <role> <username> <password>' lines above. Ctrl-C stops web and worker."
	@echo
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) manage.py qcluster & \
	$(PY) manage.py runserver $(HOST):$(PORT) & \
	wait

# With DATABASE_URL on PostgreSQL (as in CI) everything but the browser journeys runs there, and
# the journeys run on SQLite, the database of `make run`: every page is proven on PostgreSQL by
# the HTTP tests (tests/security/test_permission_matrix.py opens every URL as every role) and on
# SQLite by the journeys and tests/sites' walk, each journey once. The two sessions run at the
# same time: a journey mostly waits for Chromium and its live server, time the other session's
# workers use (docs/performance.md). The journeys' report is printed after the other's.
# Every journey is in tests/browser (tests/conftest.py refuses one elsewhere), so only that folder
# is collected for them. Compiled modules and pytest's rewritten test modules are kept between
# runs (PYTHONDONTWRITEBYTECODE, if set, is cleared): each worker and each Python process the
# tests start would otherwise compile them again, about nine seconds of CPU for a worker.
test: export PYTHONDONTWRITEBYTECODE :=
test: $(VENV)/.installed-dev compilemessages lint
	@if [[ "$$DATABASE_URL" == postgres* ]]; then \
		journeys=$$(mktemp); trap 'rm -f "$$journeys"' EXIT; \
		env -u DATABASE_URL $(PY) -m pytest -n auto -m browser tests/browser $(PYTEST_ARGS) >"$$journeys" 2>&1 & \
		$(PY) -m pytest -n auto -m "not browser" $(PYTEST_ARGS); on_postgresql=$$?; \
		wait $$!; on_sqlite=$$?; \
		echo "Browser journeys on SQLite:"; cat "$$journeys"; \
		exit $$(( on_postgresql || on_sqlite )); \
	else $(PY) -m pytest -n auto $(PYTEST_ARGS); fi

# The files in deploy/ as nginx -t and systemd-analyze verify see them (also part of `make test`).
check-deploy: $(VENV)/.installed-dev
	$(PY) -m pytest -n 0 -q tests/test_deploy_files.py

# Several machines on one: two web processes and two workers sharing PostgreSQL and Redis
# (tests/cluster, part of `make test` too); needs DATABASE_URL=postgres://… and a Redis server.
cluster-check: $(VENV)/.installed-dev
	$(PY) -m pytest -n 0 -m cluster $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After marking new strings: extract them, translate the hu and pl entries, then `make compilemessages`.
# English is the source language; its catalogue is filled with the source text by msgen.
messages: $(VENV)/.installed-run
	DEBUG=1 $(PY) manage.py makemessages -l en -l hu -l pl --no-obsolete --no-wrap --ignore '.venv' --ignore 'staticfiles'
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

# Seeds 10,000 then 100,000 tickets into a separate database (helpdesk_bench on the server of
# DATABASE_URL, created if missing and emptied on every run) and prints server times per page.
bench: export SECRET_KEY ?= benchmark-only-key-not-for-any-site-0123456789
bench: $(VENV)/.installed-run compilemessages
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/anything make bench"; exit 2;; esac
	DATABASE_URL="$${DATABASE_URL%/*}/helpdesk_bench" DEBUG=0 $(PY) manage.py bench

# The production set-up on 127.0.0.1 (gunicorn with uvicorn workers, the worker, PostgreSQL in
# helpdesk_loadtest on the server of DATABASE_URL, created if missing and emptied on every run,
# Redis database 14, emptied) under open chats with their agents, lobby screens and status pages,
# polling then push; prints both side by side (docs/performance.md). QUICK=1: a small run (20
# chats); every size and duration is a flag for LOADTEST_ARGS (manage.py loadtest --help).
QUICK ?=
LOADTEST_ARGS ?=
loadtest: export SECRET_KEY ?= load-test-only-key-not-for-any-site-0123456789abcdef
loadtest: $(VENV)/.installed-dev compilemessages
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make loadtest needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/anything make loadtest"; exit 2;; esac
	ulimit -n 65536 2>/dev/null || ulimit -n $$(ulimit -Hn); \
	DATABASE_URL="$${DATABASE_URL%/*}/helpdesk_loadtest" DEBUG=0 $(PY) manage.py loadtest $(if $(QUICK),--quick) $(LOADTEST_ARGS)

# Quality of the complaint themes on BANKING77 (../shared, never copied in): tunes the
# similarity threshold on the train split, prints purity, ARI, themes and time on the test split.
SHARED_DIR ?= ../shared
eval-themes: $(VENV)/.installed-themes
	DEBUG=1 $(PY) manage.py eval_themes --corpus $(SHARED_DIR)/corpora/complaints/banking77

# Time of grouping one complaint with 10,000 and 100,000 before it (PostgreSQL: helpdesk_bench_themes on
# the server of DATABASE_URL, created if missing and emptied on every run).
bench-themes: export SECRET_KEY ?= benchmark-only-key-not-for-any-site-0123456789
bench-themes: $(VENV)/.installed-themes
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make bench-themes needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/anything"; exit 2;; esac
	DATABASE_URL="$${DATABASE_URL%/*}/helpdesk_bench_themes" DEBUG=0 $(PY) manage.py bench_themes --corpus $(SHARED_DIR)/corpora/complaints/banking77

migrate: $(VENV)/.installed-run
	DEBUG=1 $(PY) manage.py migrate

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
