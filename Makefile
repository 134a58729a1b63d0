# chizai-bot: `make run` starts everything, `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PY311 ?= python3.11
CONTENT ?= $(abspath ../shared/content)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)
# Whether Debian's PostgreSQL and Redis are here (scripts/system_packages.sh installs them for make test).
SCALED_READY := $(shell command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && echo yes)

.PHONY: help install run stop test test-unit test-rasa test-conversations test-integration test-security test-dialogues \
        system-packages test-suites test-line test-browser test-staff test-robustness test-scaled bad-input load run-scaled stop-scaled staff-user validate eval eval-sealed eval-dialogues bench bench-http backup restore tune-fallback compare-pipelines lint format clean purge

help:
	@echo "make run   - install, train when needed, start all services, print the URL"
	@echo "make test  - run every test"
	@echo "also: make stop | eval | bench | lint | format | clean"

.venv/.installed: requirements/app.txt requirements/dev.txt  # development: the production set and the test tools
	@scripts/step.sh venv "installing the gateway's environment (.venv, Python 3.11)" bash -ec '\
	  $(PY311) -m venv .venv; .venv/bin/pip install -U pip; .venv/bin/pip install -r requirements/dev.txt'
	@touch $@

.venv-rasa/.installed: requirements/rasa.txt
	@scripts/step.sh venv-rasa "installing the Rasa engine's environment (.venv-rasa, Python 3.10; about 3 min)" bash -ec '\
	  $$(scripts/find_python310.sh) -m venv .venv-rasa; .venv-rasa/bin/pip install -U pip; \
	  .venv-rasa/bin/pip install -r requirements/rasa.txt'
	@touch $@

install: .venv/.installed .venv-rasa/.installed

build/spacy_ja/.built: .venv-rasa/.installed scripts/build_spacy.py data/entities/*.yml \
                       bot/text/normalize.py $(CONTENT)/programs.yml
	@scripts/step.sh spacy "building the Japanese spaCy pipeline (Sudachi)" \
	  .venv-rasa/bin/python scripts/build_spacy.py --content $(CONTENT)
	@touch $@

models/chizai.tar.gz: install build/spacy_ja/.built FORCE
	@scripts/train_if_changed.sh

FORCE:

run: models/chizai.tar.gz
	@scripts/services.sh start

stop:
	@scripts/services.sh stop

backup: .venv/.installed  # a consistent copy of the databases while the system runs (docs/deployment.md)
	@.venv/bin/python -m bot backup $(if $(TO),--to "$(TO)")

restore: .venv/.installed
	@test -n "$(FROM)" || { echo "usage: make stop; make restore FROM=var/backups/<folder>; make run" >&2; exit 1; }
	@.venv/bin/python -m bot restore "$(FROM)"

validate: build/spacy_ja/.built
	.venv-rasa/bin/rasa data validate --data data build/nlu --domain domain.yml --fail-on-warnings --quiet

test-unit: .venv/.installed
	.venv/bin/pytest -q tests/unit

test-rasa: build/spacy_ja/.built
	.venv-rasa/bin/pytest -q -p no:cacheprovider tests/rasa

test-conversations: models/chizai.tar.gz
	rm -rf results/core
	.venv-rasa/bin/rasa test core --model models/chizai.tar.gz --stories tests/stories \
	  --out results/core --fail-on-prediction-errors --quiet
	@echo "conversation test stories: all passed"

test-integration: models/chizai.tar.gz
	.venv/bin/pytest -q tests/integration

test-security: models/chizai.tar.gz  # each finding of the personal-data issue, on the real system
	.venv/bin/pytest -q tests/security

test-line: models/chizai.tar.gz
	.venv/bin/pytest -q tests/line

test-browser: models/chizai.tar.gz
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium fonts-noto-cjk" >&2; exit 1; }
	.venv/bin/pytest -q tests/browser

test-staff: models/chizai.tar.gz
	@command -v chromium >/dev/null || { echo "chromium is missing: apt-get install chromium fonts-noto-cjk" >&2; exit 1; }
	.venv/bin/pytest -q tests/staff

staff-user: .venv/.installed
	@test -n "$(EMAIL)" || { echo "usage: make staff-user EMAIL=you@example.jp [ROLE=admin|staff] [NAME=名前]  (password: prompt or STAFF_PASSWORD)" >&2; exit 1; }
	.venv/bin/python -m bot staff-user --email "$(EMAIL)" --role "$(or $(ROLE),staff)" $(if $(NAME),--name "$(NAME)")

test-robustness: models/chizai.tar.gz
	.venv/bin/pytest -q tests/robustness

test-scaled: models/chizai.tar.gz
	@test -n "$(SCALED_READY)" || { echo "needs: apt-get install postgresql redis-server" >&2; exit 1; }
	.venv/bin/pytest -q tests/scaled

bad-input: models/chizai.tar.gz
	.venv/bin/python scripts/bad_input.py

load: models/chizai.tar.gz
	.venv/bin/python scripts/load.py $(LOAD_ARGS)

run-scaled: models/chizai.tar.gz
	.venv/bin/python scripts/scaled.py start

stop-scaled:
	.venv/bin/python scripts/scaled.py stop

system-packages:
	scripts/system_packages.sh

# The Debian packages first (scripts/system_packages.sh), then every suite in a new make, which
# sees the packages just installed.
test: system-packages
	$(MAKE) --no-print-directory test-suites

test-suites: lint test-unit test-rasa validate test-conversations test-integration test-security test-dialogues test-line \
             test-browser test-staff test-robustness test-scaled

# The intent the model gives each answer-selection question: the selector's prior in the evaluation.
build/eval/answer_intents.json: models/chizai.tar.gz scripts/classify_questions.py \
                                tests/data/blind/answer_questions_*.yml tests/data/blind/sealed/answer_questions_*.yml
	.venv-rasa/bin/python scripts/classify_questions.py --out $@

eval: models/chizai.tar.gz build/eval/answer_intents.json
	.venv-rasa/bin/python scripts/evaluate_nlu.py
	.venv/bin/python scripts/evaluate_urgency.py
	.venv/bin/python scripts/evaluate_answers.py

eval-sealed: models/chizai.tar.gz build/eval/answer_intents.json  # the sealed thirds too: only before resolving an issue, never in CI
	.venv-rasa/bin/python scripts/evaluate_nlu.py --sealed
	.venv/bin/python scripts/evaluate_urgency.py --sealed
	.venv/bin/python scripts/evaluate_answers.py --sealed

# The open two thirds of the scripted conversations, with a floor under the share of turns passed
# (raised as issue 14 lands; the target is 95 %).
DIALOGUE_FLOOR ?= 0.88
test-dialogues: models/chizai.tar.gz
	.venv/bin/python scripts/eval_dialogues.py --floor $(DIALOGUE_FLOOR) | tail -3

eval-dialogues: models/chizai.tar.gz  # the scripted conversations through the real system
	.venv/bin/python scripts/eval_dialogues.py $(DIALOGUE_ARGS)

bench: models/chizai.tar.gz
	.venv/bin/python scripts/bench.py

bench-http: .venv/.installed  # the HTTP server's limits on slow, idle and oversized connections
	.venv/bin/python scripts/http_limits.py

tune-fallback: models/chizai.tar.gz
	.venv-rasa/bin/python scripts/tune_fallback.py

compare-pipelines: models/chizai.tar.gz
	.venv/bin/python scripts/compare_pipelines.py

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

format: .venv/.installed
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

purge: .venv/.installed
	.venv/bin/python -m bot purge

clean:
	rm -rf build models results var
