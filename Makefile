# CFMP: the commands a newcomer needs. `make run` starts the platform, `make test` checks it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
CFMP := $(BIN)/cfmp
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n auto --dist loadfile
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: run demo-users test test-sqlite test-postgres lint format system-deps venv clean messages

venv: $(STAMP)

# Installing takes a few minutes the first time: each package is named as it comes in.
$(STAMP): pyproject.toml
	@echo "== setting up $(VENV) (a few minutes the first time; later runs skip this)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip 2> >(grep -v 'is ignored' >&2)
	@set -o pipefail; $(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]' \
	  2> >(grep -v 'is ignored' >&2) \
	  | { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; } \
	  | sed -u -e 's/^Collecting /  fetching /' -e 's/ (from .*//' -e 's/^Successfully installed .*/  installed./'
	@rm -f $(VENV)/.installed-* && touch $@

# The demo: simulated offices keep serving citizens, who are surveyed and answer in seconds.
# It runs without DEBUG (its own secret key is made in var/); CFMP_DEBUG=1 for development.
run: export CFMP_DEMO ?= 1
run: venv
	@echo "== preparing the database and the demo data"
	@$(CFMP) migrate --noinput -v0
	@$(CFMP) load-demo
	@$(CFMP) collectstatic --noinput -v0
	@echo "== starting CFMP (the web server, a background worker and the scheduler)"
	@$(CFMP) run $(HOST):$(PORT)

# The demo users and their password, again.
demo-users: export CFMP_DEMO ?= 1
demo-users: venv
	@$(CFMP) demo-users

# The suite's processes run as a developer's would, with DEBUG on.
test test-sqlite test-postgres: export CFMP_DEBUG ?= 1
test: test-sqlite test-postgres

test-sqlite: venv
	@echo "== tests on SQLite"
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest $(PYTEST_ARGS)

# On PostgreSQL: CFMP_TEST_POSTGRES_URL if set, else the server on 127.0.0.1:5432 if one answers.
test-postgres: venv
	@url="$${CFMP_TEST_POSTGRES_URL:-}"; \
	if [ -z "$$url" ] && $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
	  url="postgres://postgres@127.0.0.1:5432/cfmp"; fi; \
	if [ -z "$$url" ]; then \
	  echo "== PostgreSQL: CFMP_TEST_POSTGRES_URL is unset and nothing answers on 127.0.0.1:5432; not run"; \
	else \
	  echo "== tests on PostgreSQL ($$url)"; \
	  DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS); \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian packages that later parts of CFMP test against: the Kannel SMS gateway, SIPp,
# Chromium for browser tests, Pango and Urdu fonts for PDFs (poppler-utils renders them in
# tests), espeak-ng and sox for voice prompts.
SYSTEM_PACKAGES := kannel kannel-extras sip-tester chromium chromium-driver fonts-noto-core \
	fonts-noto-ui-core gettext espeak-ng sox ffmpeg libpango-1.0-0 libpangoft2-1.0-0 \
	poppler-utils
system-deps:
	@if [ "$$(id -u)" != 0 ]; then echo "make system-deps installs Debian packages: run it as root"; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES)

messages: venv
	cd src/cfmp && ../../$(CFMP) makemessages -l ur && ../../$(CFMP) compilemessages -l ur

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
