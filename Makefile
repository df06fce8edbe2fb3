# Two commands matter: `make run` and `make test`. The rest are their steps.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help setup setup-test train run demo-reset test test-python test-rasa eval-nlu eval-conversations bench-catalogue bench-inbox nlu-validate nlu-report retrain rollback lint lock clean

# The trainer commands talk to the running Rasa server with the local secrets.
WITH_SECRETS := set -a; [ -f var/secrets.env ] && . var/secrets.env; set +a; RASA_URL=$${RASA_URL:-http://127.0.0.1:$${RASA_PORT:-5005}};

help:
	@echo "make run        set up whatever is missing, then start Rasa (5005), actions (5055), inbox (8000)"
	@echo "make test       the whole test suite (sets up and trains first when needed)"
	@echo "make setup      create .venv and .venv-rasa from the lock files, generate local secrets"
	@echo "make train      train the Rasa model when the training data changed"
	@echo "make demo-reset put the demo orders, events and stock back, dated from today"
	@echo "make eval-nlu   NLU quality report into reports/nlu/"
	@echo "make eval-conversations   multi-turn conversations against the real stack, into reports/conversations/"
	@echo "make bench-catalogue / bench-inbox   benchmarks (print numbers, never gate)"
	@echo "make nlu-validate / nlu-report / retrain / rollback   trainer commands (docs/training.md)"
	@echo "make lint       ruff and mypy"
	@echo "make lock       re-pin requirements/*.lock from requirements/*.in"

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

train: setup
	@scripts/train.sh

run: setup train
	@.venv/bin/python -m scripts.run

# Seeding on every `make run` already keeps the demo dated from today; this also undoes what a
# demo changed (registrations, returns and stock of the demo rows).
demo-reset: setup
	@$(WITH_SECRETS) .venv/bin/python -m catalogue migrate
	@$(WITH_SECRETS) .venv/bin/python -m catalogue demo-reset

test: setup-test train lint test-python test-rasa

test-python:
	@.venv/bin/python -m pytest

test-rasa:
	@scripts/test_rasa.sh

eval-nlu: setup train
	@.venv-rasa/bin/python scripts/eval_nlu.py --model models/current.tar.gz

# The same test `make test` runs; EVAL_CONVERSATIONS=heldout/nl plays one part (docs/evaluation.md).
eval-conversations: setup train
	@.venv/bin/python -m pytest tests/e2e/test_conversation_eval.py -q -p no:cacheprovider

bench-catalogue: setup
	@.venv/bin/python benchmarks/catalogue_search.py

bench-inbox: setup
	@.venv/bin/python benchmarks/inbox_tickets.py
	@.venv/bin/python benchmarks/inbox_sla_scheduler.py
	@.venv/bin/python -m benchmarks.inbox_reply_latency

nlu-validate: setup
	@.venv/bin/python -m training nlu validate

nlu-report: setup
	@.venv/bin/python -m training nlu report

retrain: setup
	@$(WITH_SECRETS) RASA_URL=$$RASA_URL .venv/bin/python -m training nlu train --promote

rollback: setup
	@$(WITH_SECRETS) RASA_URL=$$RASA_URL .venv/bin/python -m training nlu rollback

lint: setup
	@.venv/bin/ruff check .
	@.venv/bin/mypy

lock:
	@scripts/lock.sh

clean:
	rm -rf models var reports results .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
