# Booth Samvad: `make run` for a first look, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Tests never need a real secret; production must set its own (settings refuse to start without).
# DEBUG=false: the suite tests production settings, whatever a development .env says.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-tests-only-not-a-secret} DEBUG=false DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test lint fmt migrate messages schema bench bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, load demo data, start the web app and the scheduler on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed
	PORT=$(PORT) ./bin/run

## test: the whole test suite (PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set)
test: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff, formatting, types (mypy), migrations and translations up to date
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	msgfmt --check-format -o /dev/null locale/hi/LC_MESSAGES/django.po  # compilemessages skips an up-to-date .mo
	$(TEST_ENV) $(BIN)/python manage.py compilemessages --ignore '.venv' >/dev/null
	git diff --exit-code -- locale/ || (echo "locale/*.mo is stale: run 'make messages' and commit"; exit 1)
	$(MAKE) --no-print-directory schema
	git diff --exit-code -- api/openapi.yml || (echo "api/openapi.yml is stale: run 'make schema' and commit"; exit 1)

## schema: the API's OpenAPI schema, validated (no warnings), written to api/openapi.yml
schema: $(VENV)/.installed
	$(TEST_ENV) LANGUAGE_CODE=en $(BIN)/python manage.py spectacular --validate --fail-on-warn --file api/openapi.yml

fmt: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.installed
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate

## messages: refresh the Hindi catalogue from the code, then compile it
messages: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py makemessages --locale hi --ignore '.venv/*' --ignore 'bench/*' --no-obsolete
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore '.venv'

## bench: the seed benchmark (needs PostgreSQL: BENCH_DATABASE_URL); the others are listed in bench/README.md
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/seed_demo.py

## bench-load: the morning rush (gunicorn + wrk) at UP scale, then under PostgreSQL and Redis restarts
bench-load: $(VENV)/.installed-dev
	$(BIN)/python bench/load.py --preset up
	$(BIN)/python bench/load.py --preset up --reuse --faults

clean:
	rm -rf $(VENV) .run staticfiles .pytest_cache
