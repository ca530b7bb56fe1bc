# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := web

.PHONY: run test lint format worker db-upgrade db-check seed translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

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
