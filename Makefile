# Guilde — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
export VIRTUAL_ENV := $(abspath $(VENV))

.PHONY: run test lint fmt worker messages install install-dev migrate demo screenshots browser-test requirements clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(UV) pip sync --quiet requirements/base.txt
	@rm -f $(VENV)/.dev-installed
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(UV) pip sync --quiet requirements/dev.txt
	@touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	@mkdir -p var
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) seed_demo

# The web server, the background worker (e-mails, imports) and the periodic scheduler together;
# Ctrl-C stops all three.
run: demo
	trap 'kill 0' EXIT; $(MANAGE) db_worker --no-reload >var/worker.log 2>&1 & \
	  $(MANAGE) run_periodic >var/periodic.log 2>&1 & \
	  $(MANAGE) runserver 127.0.0.1:8000

test: install-dev
	$(PY) -m pytest -n 2 --create-db $(PYTEST_ARGS)

browser-test: install-dev
	$(PY) -m pytest -m browser --create-db $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint src --lint
	$(VENV)/bin/mypy src

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint src --reformat --quiet || true

worker: migrate
	trap 'kill 0' EXIT; $(MANAGE) run_periodic & $(MANAGE) db_worker

messages: install-dev
	for app in src/guilde/*/; do \
	  mkdir -p $$app/locale; (cd $$app && $(abspath $(PY)) $(abspath manage.py) makemessages -l fr --no-obsolete >/dev/null); \
	done
	$(MANAGE) compilemessages --ignore=.venv

screenshots: install-dev
	$(PY) -m pytest -m browser tests/screenshots.py --create-db

requirements: | $(PY)
	cd requirements && $(abspath $(UV)) pip compile --quiet --python-version 3.12 base.in -o base.txt
	cd requirements && $(abspath $(UV)) pip compile --quiet --python-version 3.12 dev.in -o dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
