# Two commands on a fresh Debian machine with Python 3.11: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-fast quality install install-test chromium migrate seed clean screenshots

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test chromium node_modules/.installed

# axe-core and the Nu HTML Checker (vnu, run by Java) for the accessibility test
# (tests/browser/test_accessibility.py), pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@missing=""; command -v npm >/dev/null || missing="npm"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		echo "Installation de $$missing (paquets Debian, pour le test d'accessibilité)…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian's Chromium drives the browser journeys (Playwright cannot download its own here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installation de Chromium (paquet Debian)…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Web server and Celery worker (with beat for the periodic sweeper), stopped together on Ctrl-C.
run: seed
	PORT=$(PORT) PY=$(PY) ./scripts/run.sh

# Two processes (pytest-xdist) where tests share nothing; the browser journeys and the tests
# that start real workers or servers run after, one at a time: they share the broker (a real
# worker takes any message of its queue) and load the machine on their own.
PYTEST_SERIAL := -m "browser or services"
PYTEST_PARALLEL := -n 2 -m "not browser and not services"

test: install-test
	$(PY) -m pytest $(PYTEST_PARALLEL)
	$(PY) -m pytest $(PYTEST_SERIAL)

# While working: no browser, no real worker or service, no fault test; keeps the test database.
test-fast: install-test
	$(PY) -m pytest $(PYTEST_PARALLEL) --reuse-db --ignore=tests/faults

quality: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates */templates --lint
	$(VENV)/bin/lint-imports  # the layers of docs/architecture.md
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=quality-check-secret-key-that-is-long-enough-0123456789abcdef \
		ALLOWED_HOSTS=vae.example $(PY) manage.py check --deploy --fail-level WARNING

# PNG captures of each demo role's main pages at 1366 and 390 px, in screenshots/ (not committed).
screenshots: seed install-test
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) data node_modules screenshots
