#!/usr/bin/env bash
# Trains the Rasa model only when config, domain, data or components changed.
# The model is named by a content hash and cached in $IEUM_CACHE_DIR (default ~/.cache/ieum),
# so a fresh clone on the same machine reuses it. models/CURRENT names the model to serve.
set -euo pipefail
cd "$(dirname "$0")/.."
# NLU data generated from the KB (program aliases, places, Kiwi user words) is part of the hash.
.venv/bin/ieum nlu generate
hash="$(scripts/model_hash.sh)"
name="ieum-$hash"
model="models/$name.tar.gz"
cache="${IEUM_CACHE_DIR:-$HOME/.cache/ieum}/models"
mkdir -p models "$cache"
if [ -f "$model" ]; then
  echo "[train] 모델이 최신입니다: $model"
elif [ -f "$cache/$name.tar.gz" ]; then
  cp "$cache/$name.tar.gz" "$model"
  echo "[train] 캐시된 모델을 사용합니다: $model"
else
  echo "[train] 설정이나 학습 데이터가 바뀌어 모델을 학습합니다 (몇 분 걸립니다)..."
  start=$(date +%s)
  mkdir -p var
  # Progress (stage, epoch, time left) on screen; the full output in var/train.log.
  set +e
  RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore \
    .venv-rasa/bin/rasa train \
    --config config.yml --domain nlu/domain.yml --data nlu/data \
    --out models --fixed-model-name "$name" 2>&1 |
    .venv/bin/python scripts/train_progress.py --log var/train.log
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ] || [ ! -f "$model" ]; then
    echo "[train] 학습에 실패했습니다 (코드 $status). 자세한 기록: var/train.log" >&2
    exit 1
  fi
  echo "[train] 학습 완료: $model ($(( $(date +%s) - start ))초)"
  cp "$model" "$cache/$name.tar.gz.tmp" && mv "$cache/$name.tar.gz.tmp" "$cache/$name.tar.gz"
fi
echo "$model" > models/CURRENT
