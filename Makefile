# Agenda ATT. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-fast lint migrations-check worker beat clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Falta python3-venv: sudo apt-get install -y python3-venv"; exit 1; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

## setup: idempotent: install, migrate, reference data, demo data, static files
setup: $(VENV)/.installed
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) load_reference_data
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) load_demo_data

## run: setup, then serve http://$(HOST):$(PORT)
run: setup
	@$(MANAGE) load_demo_data --logins
	@echo "Agenda ATT en http://$(HOST):$(PORT)  (Ctrl+C para detener)"
	$(MANAGE) runserver $(HOST):$(PORT)

## test: migrations are complete, then the whole suite (browser tests skip without Chromium)
test: $(VENV)/.installed migrations-check
	$(PY) -m pytest $(PYTEST_ARGS)

migrations-check: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run -v1

## lint: ruff over the code, mypy (django-stubs) over what writes and reads data
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check apps config tests benchmarks
	$(VENV)/bin/mypy apps/*/services.py apps/*/selectors.py apps/*/services_*.py apps/*/selectors_*.py \
		apps/monitoring/indicators.py apps/core/activity.py apps/core/outbox.py

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker -l INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat -l INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
