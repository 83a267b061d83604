# zicht — two commands do all set-up: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ZICHT := $(BIN)/zicht
STAMP := $(VENV)/.installed
VENDOR := src/zicht/static/vendor
MO := src/zicht/locale/nl/LC_MESSAGES/django.mo
DEMO_SEED ?= 1
DEMO_PERSONS ?= 5000
PYTEST_ARGS ?=
FUZZ_EXAMPLES ?= 200
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo demo-reset serve test test-postgres fuzz bench lint static messages chromium pango clean

install: $(STAMP) $(VENDOR)/.built messages pango ## virtualenv, dependencies, static assets, translations

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=25"
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test,spark,redis]"
	touch $@

$(VENDOR)/.built: package.json package-lock.json scripts/build_static.py
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/build_static.py
	touch $@

static: $(VENDOR)/.built

messages: $(STAMP) ## compile the .po translations (needs GNU gettext's msgfmt)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	cd src/zicht && ../../$(ZICHT) compilemessages -v 0

demo: install ## migrate, load synthetic demo data, serve on http://127.0.0.1:8000
	mkdir -p var
	$(ZICHT) migrate --noinput -v 0
	$(ZICHT) collectstatic --noinput -v 0
	$(ZICHT) demo --seed $(DEMO_SEED) --persons $(DEMO_PERSONS) --if-empty
	$(ZICHT) runserver 127.0.0.1:8000

demo-reset: ## throw the demo database away; the next `make demo` loads it anew
	rm -f var/zicht.sqlite3 var/zicht.sqlite3-wal var/zicht.sqlite3-shm

pango: ## Debian's Pango, which WeasyPrint needs for the PDF progress report
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)

chromium: ## Debian's Chromium, for the browser tests
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install chromium ## the whole suite (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install chromium ## the whole suite against the local PostgreSQL server
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest $(PYTEST_ARGS)

fuzz: install ## schemathesis with FUZZ_EXAMPLES (200) examples per API operation and role draw
	ZICHT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/attack/test_schemathesis.py $(PYTEST_ARGS)

bench: install ## benchmarks; results printed and written to benchmarks/results/
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m benchmarks.run

lint: install ## ruff and mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
