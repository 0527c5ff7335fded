# Bryggan: the two commands are `make demo` and `make test` (see README).
PY := .venv/bin/python
MANAGE := $(PY) manage.py
export PYTHONPATH := $(CURDIR)/src

.PHONY: setup setup-dev demo demo-code audit freshness bench-load bench-scale bench-matching bench-introduction bench-insights bench-joint run test lint check-migrations pytest bench messages lock

setup:
	scripts/setup.sh base

setup-dev:
	scripts/setup.sh dev

## demo: set up, migrate, load the demo municipalities and serve on http://127.0.0.1:8000
## (with the background worker that sends interview reminders)
demo: setup
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo
	scripts/serve.sh

## demo-code: the two-factor code for a demo login, e.g. make demo-code EMAIL=coordinator@sodertalje.demo
demo-code:
	@$(MANAGE) demo_code $(EMAIL)

## test: set up, lint, type-check, check migrations and dependency freshness, run every test
## (unit, API, browser)
test: setup-dev lint check-migrations freshness pytest

lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy src/bryggan
	.venv/bin/lint-imports

check-migrations: setup-dev
	$(MANAGE) makemigrations --check --dry-run

pytest: setup-dev
	.venv/bin/pytest -n 2 --dist loadgroup --durations=20

## bench: page timings on the demo data, and the matching engine against the `matching` package
bench: setup-dev
	$(PY) -m tests.bench.run
	$(PY) -m tests.bench.scale
	$(PY) -m tests.bench.matching_bench
	$(PY) -m tests.bench.insights_bench
	$(PY) -m tests.bench.introduction_bench
	$(PY) -m tests.bench.joint_bench
	$(PY) -m tests.bench.load

## bench-scale: the programme's pages at 1,000 and 5,000 participants, in one run
bench-scale: setup-dev
	$(PY) -m tests.bench.scale

## bench-joint: a regional joint round against separate rounds (6 municipalities, 600 students)
bench-joint: setup-dev
	$(PY) -m tests.bench.joint_bench

## bench-matching: only the matching engine (against the `matching` package and Numba)
bench-matching: setup-dev
	$(PY) -m tests.bench.matching_bench

## bench-insights: the insights pages at 29 and 290 municipalities (a million applications),
## on PostgreSQL
bench-insights: setup-dev
	$(PY) -m tests.bench.insights_bench

## bench-introduction: only the broad introduction's planner (OR-Tools CP-SAT)
bench-introduction: setup-dev
	$(PY) -m tests.bench.introduction_bench

## bench-load: only the load benchmark (production configuration, Locust, two minutes)
bench-load: setup-dev
	$(PY) -m tests.bench.load

## freshness: every pinned package is the newest patch release of its minor series (asks the
## package index; prints the command that updates a lagging pin)
freshness: setup-dev
	$(PY) scripts/check_freshness.py requirements/base.txt requirements/dev.txt

## audit: look for known-vulnerable packages in the pinned requirements (pip-audit, PyPI's
## advisory database). --strict: a package it cannot check is a failure, never a silent pass.
audit: setup-dev
	.venv/bin/pip-audit --strict --disable-pip --no-deps --progress-spinner off -r requirements/base.txt -r requirements/dev.txt

## messages: extract and compile the Swedish catalogue
messages: setup-dev
	cd src/bryggan && ../../$(PY) ../../manage.py makemessages -l sv --no-obsolete --no-location
	cd src/bryggan && ../../$(PY) ../../manage.py compilemessages -l sv

## lock: re-pin requirements/*.txt from the current environment (after changing pyproject)
lock:
	@echo "Install new packages into .venv, then edit requirements/base.txt and dev.txt to match 'pip freeze'."
