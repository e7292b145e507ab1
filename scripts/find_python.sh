#!/usr/bin/env bash
# Prints a working interpreter for a runtime: `find_python.sh engine` (3.10) or `app` (3.11+).
# Engine order (DESIGN): $RASA_PYTHON, python3.10 on PATH, pyenv's 3.10.x versions.
set -u
kind="${1:-app}"

works() {  # works PYTHON MIN_MINOR MAX_MINOR
  [ -n "$1" ] || return 1
  "$1" -c "import sys, venv; v=sys.version_info; raise SystemExit(0 if v[0]==3 and $2<=v[1]<=$3 else 1)" >/dev/null 2>&1
}

if [ "$kind" = engine ]; then
  candidates=("${RASA_PYTHON:-}" "$(command -v python3.10 2>/dev/null || true)")
  roots=("${PYENV_ROOT:-}" "$HOME/.pyenv")
  if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root 2>/dev/null)"); fi
  for root in "${roots[@]}"; do
    [ -n "$root" ] || continue
    for p in $(ls -d "$root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -rV); do candidates+=("$p"); done
  done
  candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)
  for p in "${candidates[@]}"; do
    if works "$p" 10 10; then echo "$p"; exit 0; fi
  done
  cat >&2 <<'MSG'
[ieum] Python 3.10을 찾지 못했습니다. Rasa 3.6 엔진은 Python 3.10이 필요합니다.
       다음 중 하나로 준비한 뒤 다시 실행해 주세요:
         - pyenv:   pyenv install 3.10.13
         - Debian/Ubuntu: deadsnakes PPA 등에서 python3.10, python3.10-venv 설치
         - 이미 있다면: RASA_PYTHON=/경로/python3.10 make run
MSG
  exit 1
else
  for p in "${IEUM_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    full="$(command -v "$p" 2>/dev/null || true)"
    if works "$full" 11 13; then echo "$full"; exit 0; fi
  done
  echo "[ieum] Python 3.11 이상을 찾지 못했습니다. python3.11+를 설치하거나 IEUM_PYTHON=/경로/python 으로 알려 주세요." >&2
  exit 1
fi
