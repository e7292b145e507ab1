#!/usr/bin/env bash
# Trains Rasa's default NLU pipeline on our data (benchmark baseline), cached by content hash.
set -euo pipefail
cd "$(dirname "$0")/.."
hash="$( { ls bench/rasa_default_config.yml requirements/engine.lock; find nlu/data -type f -name '*.yml'; } \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"
name="baseline-$hash"
cache="${IEUM_CACHE_DIR:-$HOME/.cache/ieum}/models"
mkdir -p models/baseline "$cache"
if [ -f "models/baseline/$name.tar.gz" ]; then
  :
elif [ -f "$cache/$name.tar.gz" ]; then
  cp "$cache/$name.tar.gz" "models/baseline/$name.tar.gz"
else
  echo "[bench] 비교용 Rasa 기본 파이프라인을 학습합니다 (몇 분 걸립니다)..." >&2
  RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 .venv-rasa/bin/rasa train nlu \
    --config bench/rasa_default_config.yml --nlu nlu/data --out models/baseline \
    --fixed-model-name "$name" --quiet >&2
  cp "models/baseline/$name.tar.gz" "$cache/$name.tar.gz"
fi
echo "models/baseline/$name.tar.gz"
