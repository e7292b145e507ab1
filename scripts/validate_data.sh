#!/usr/bin/env bash
# `rasa data validate`, failing on any warning except "utterance X is not used in any story or
# rule" for responses that custom actions or forms send (the validator cannot see those).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(RASA_TELEMETRY_ENABLED=false .venv-rasa/bin/rasa data validate --config config.yml \
  --domain nlu/domain.yml --data nlu/data 2>&1)" || { echo "$out"; exit 1; }
problems=0
while IFS= read -r line; do
  if [[ "$line" =~ The\ utterance\ \'([a-z_]+)\'\ is\ not\ used ]]; then
    name="${BASH_REMATCH[1]}"
    if [[ "$name" == utter_ask_* ]] || grep -rqs "\"$name\"" actions/ knowledge/; then
      continue
    fi
    # action_restart sends utter_restart by itself
    [[ "$name" == utter_restart ]] && continue
  fi
  echo "$line"
  problems=$((problems + 1))
done < <(echo "$out" | grep "UserWarning" | sed 's/\x1b\[[0-9;]*m//g')
if [ "$problems" -gt 0 ]; then
  echo "[validate] 학습 데이터 경고 ${problems}건" >&2
  exit 1
fi
echo "[validate] 도메인·학습 데이터에 문제가 없습니다."
