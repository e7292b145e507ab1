#!/usr/bin/env bash
# `make bench-api`: starts the whole stack on spare ports, loads /api/messages (sequential and
# 20 concurrent conversations), reports latency and the stack's resident memory, stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${BENCH_PORT:-18080}"
var="$(mktemp -d)"
export IEUM_RATE_LIMIT_USER=0 IEUM_RATE_LIMIT_IP=0 IEUM_RATE_LIMIT_KAKAO_IP=0 IEUM_VAR_DIR="$var" IEUM_PORT="$port" RASA_URL="http://127.0.0.1:${BENCH_ENGINE_PORT:-15005}" \
  IEUM_ACTIONS_PORT="${BENCH_ACTIONS_PORT:-15055}"
# the load generator speaks to the engine's token-checked channel too, so it needs the token
RASA_TOKEN="${RASA_TOKEN:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')}"
export RASA_TOKEN
setsid .venv/bin/ieum run --model "$(cat models/CURRENT)" --rasa-bin .venv-rasa/bin/rasa > "$var/stack.log" 2>&1 &
pid=$!
trap 'kill -INT -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$var"' EXIT
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { tail -50 "$var/stack.log"; exit 1; }
.venv/bin/python bench/api_load.py --url "http://127.0.0.1:$port" --rasa-url "$RASA_URL" \
  --concurrency 1 20 100 --turns 8 --stack-pid "$pid"
