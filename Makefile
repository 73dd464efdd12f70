# make run: set everything up and serve on http://127.0.0.1:8000 (gthread workers, wiki/gunicorn_conf.py)
# make test: set everything up, run the static checks (make check), then the whole test suite
# make lock: after a change of pyproject.toml's dependencies, pin the whole tree again (requirements*.lock)
# make package-check: build the wheel, install it into an empty virtualenv and serve the seeded wiki
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wiki
WIKI_HOST ?= 127.0.0.1
WIKI_PORT ?= 8000
WIKI_WORKERS ?= 2
# The app builds its full URLs (WIKI_SERVER, unless set) from the address it is served on.
export WIKI_HOST WIKI_PORT
# pytest-xdist processes for make test (each has its own databases); three on two cores, since many
# tests wait on live servers and browsers
TEST_WORKERS ?= 3

# The lock files: what make install (and so CI) installs; uv resolves them from pyproject.toml.
UV_VERSION := 0.13.9
LOCK_FLAGS := --universal --python-version 3.11 --quiet

.PHONY: run test stress check lint typecheck imports setup install lock migrate seed index bench fuzz format package-check clean

run: setup
	$(BIN)/gunicorn -c python:wiki.gunicorn_conf --workers $(WIKI_WORKERS) --bind $(WIKI_HOST):$(WIKI_PORT) --access-logfile - 'wiki:create_app()'

test: setup check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope -m "not stress"

# make stress: the heavy checks make test leaves out (races, crashes, slow clients, packaging, full
# sweeps); CI (.ci/run) runs them after make test.
stress: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope -m stress

# The static checks, each also on its own: style (ruff), types (mypy), layering (import-linter).
check: lint typecheck imports

setup: install migrate seed index

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-test.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-test.lock
	$(BIN)/pip uninstall --quiet --yes wiki 2>/dev/null || true  # the distribution's name before wikimill
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# requirements.lock: what the wheel needs to run (with PostgreSQL); requirements-test.lock adds the
# test extra, constrained to the same versions.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --extra postgres -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --extra postgres --extra test -c requirements.lock \
		-o requirements-test.lock

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed

index: seed
	$(FLASK) ensure-index

# make bench: every benchmark, one table (bench/run.py). BENCH_PAGES=100000 make bench measures
# /metrics and backup/restore on 100,000 pages (default 10,000); BENCH_ARGS="--only limits,ops" runs some rows.
# BENCH_COLLAB=1 make bench adds issue 17's rows (watchlist, contributions, RecentChanges, feeds, rollback at
# 1,000,000 revisions on PostgreSQL, BENCH_COLLAB_DATABASE_URL): ~5 min, the first run ~5 more to build the
# template database it copies for each run; alone: .venv/bin/python bench/collab_bench.py.
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

package-check: install
	$(BIN)/pytest -q tests/packaging

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
