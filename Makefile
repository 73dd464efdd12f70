# make run: set everything up and serve on http://127.0.0.1:8000 (gthread workers, wiki/gunicorn_conf.py)
# make test: set everything up, run the static checks (make check), then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wiki
WIKI_HOST ?= 127.0.0.1
WIKI_PORT ?= 8000
WIKI_WORKERS ?= 2
# The app builds its full URLs (WIKI_SERVER, unless set) from the address it is served on.
export WIKI_HOST WIKI_PORT
# pytest-xdist processes for make test (each has its own databases)
TEST_WORKERS ?= 2

.PHONY: run test check lint typecheck imports setup install migrate seed index bench fuzz format clean

run: setup
	$(BIN)/gunicorn -c python:wiki.gunicorn_conf --workers $(WIKI_WORKERS) --bind $(WIKI_HOST):$(WIKI_PORT) --access-logfile - 'wiki:create_app()'

test: setup check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope

# The static checks, each also on its own: style (ruff), types (mypy), layering (import-linter).
check: lint typecheck imports

setup: install migrate seed index

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed

index: seed
	$(FLASK) ensure-index

bench: setup
	$(BIN)/python bench/run.py

fuzz: install
	$(BIN)/python -m tests.fuzz_campaign

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

imports: install
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache
