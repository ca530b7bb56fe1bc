# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := web

.PHONY: run test lint format lock worker db-upgrade db-check seed translations clean

UV     := $(BIN)/uv
# Every install is exact: the versions and hashes in requirements/*.txt (made by `make lock`).
COMPILE := $(UV) pip compile --quiet --python-version 3.11 --generate-hashes

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/tools.txt

$(VENV)/.installed-run: requirements/run.txt pyproject.toml | $(BIN)/python
	$(UV) pip sync --quiet --require-hashes --compile-bytecode --python $(BIN)/python requirements/run.txt
	$(UV) pip install --quiet --no-deps --python $(BIN)/python -e .
	rm -f $(VENV)/.installed-test
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(UV) pip sync --quiet --require-hashes --compile-bytecode --python $(BIN)/python requirements/test.txt
	$(UV) pip install --quiet --no-deps --python $(BIN)/python -e .
	touch $@

## make run: install, create/upgrade the database, load demo data if empty, serve on 127.0.0.1:$(PORT)
run: $(VENV)/.installed-run
	$(BIN)/flask init-db
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT)/login  (stop with Ctrl+C)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - 'web:create_app()'

## make test: install with test extras, lint, run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make lock: after changing dependencies in pyproject.toml, or to take newer releases on purpose.
## Commit requirements/*.txt with the change; CI and every install then use exactly those.
lock: | $(BIN)/python
	$(COMPILE) --upgrade -o requirements/run.txt pyproject.toml
	$(COMPILE) --upgrade --extra test -c requirements/run.txt -o requirements/test.txt pyproject.toml
	$(COMPILE) --upgrade -o requirements/tools.txt requirements/tools.in

worker: $(VENV)/.installed-run
	$(BIN)/python -m web.worker

db-upgrade: $(VENV)/.installed-run
	$(BIN)/flask init-db

db-check: $(VENV)/.installed-run
	$(BIN)/flask db-check

seed: $(VENV)/.installed-run
	$(BIN)/flask seed-demo

translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o web/translations/messages.pot .
	$(BIN)/pybabel update --ignore-obsolete -i web/translations/messages.pot -d web/translations
	$(BIN)/pybabel compile -d web/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
