# Simpul: `make run` to try it, `make test` to test it. Needs Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= simpul-demo

.PHONY: run test lint messages install install-dev clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install, migrate, seed the Kaltim demo data, then run the poller and serve on http://$(HOST):$(PORT)/
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py seed_kaltim --demo-users $(DEMO_PASSWORD)
	$(PY) manage.py seed_alert_demo
	$(PY) manage.py runpoller & poller=$$!; \
	trap 'kill -TERM $$poller 2>/dev/null; wait $$poller' EXIT INT TERM; \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

## Install the test dependencies and run the whole suite (DATABASE_URL picks the database; SQLite by default)
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(VENV)/schema.yml

## Bring the English catalogue (locale/en) up to date with the code, compile it, and list what lacks English (needs gettext)
messages: install
	$(PY) manage.py update_messages

clean:
	rm -rf $(VENV) var
