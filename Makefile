# 이음 — see README.md. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APP_STAMP := .venv/.ieum-stamp
ENGINE_STAMP := .venv-rasa/.ieum-stamp
PYTEST := .venv/bin/python -m pytest
ENGINE_PYTEST := .venv-rasa/bin/python -m pytest

.PHONY: help setup train run test test-app test-engine validate lint bench bench-nlu bench-api bench-mixed bench-turn-cost bench-alerts clean

help:
	@echo "make run    — 전체 서비스 실행 (웹 채팅 http://127.0.0.1:8080)"
	@echo "make test   — 설정, 학습, 모든 테스트"
	@echo "make train  — 데이터나 설정이 바뀌었을 때만 모델 학습"
	@echo "make lint   — ruff"

$(APP_STAMP): requirements/app.lock pyproject.toml scripts/setup_app.sh
	@scripts/setup_app.sh

$(ENGINE_STAMP): requirements/engine.lock scripts/setup_engine.sh
	@scripts/setup_engine.sh

setup: $(APP_STAMP) $(ENGINE_STAMP)

train: setup
	@scripts/train.sh

run: train
	@.venv/bin/ieum run --model "$$(cat models/CURRENT)" --rasa-bin .venv-rasa/bin/rasa

validate: setup
	@.venv/bin/ieum nlu generate >/dev/null && scripts/validate_data.sh

test-engine: setup
	@$(ENGINE_PYTEST) -q tests/engine

test-app: train
	@IEUM_TEST_MODEL="$$(cat models/CURRENT)" $(PYTEST) -q

test: train validate test-engine test-app

lint: $(APP_STAMP)
	@.venv/bin/ruff check bot actions knowledge nlu tests bench scripts
	@.venv/bin/ruff format --check bot actions knowledge nlu tests bench scripts

bench-nlu: train
	@baseline="$$(scripts/train_baseline.sh)" && TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false \
		.venv-rasa/bin/python bench/nlu_bench.py --ours "$$(cat models/CURRENT)" --baseline "$$baseline"

# the stack, Rasa's REST channel (same model) and Rasa's `rasa init` bot, one server at a time
bench-api: train
	@.venv/bin/python -m bench.side_by_side

# the older mixed load (buttons, booking steps, 100 concurrent)
bench-mixed: train
	@scripts/bench_api.sh

# CPU ms per turn of each stage (py-spy on every process) and the action-server calls
bench-turn-cost: train
	@test -x .venv/bin/py-spy || .venv/bin/pip install -q py-spy
	@.venv/bin/python -m bench.turn_cost

bench-alerts: setup
	@.venv/bin/python bench/alerts_bench.py

bench: bench-nlu bench-api bench-turn-cost bench-alerts
	@.venv/bin/python bench/report.py

clean:
	rm -rf models var .pytest_cache
