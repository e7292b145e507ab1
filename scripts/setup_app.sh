#!/usr/bin/env bash
# Creates or updates .venv (app runtime) from the pinned lock file. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/quiet_pip.sh
source scripts/quiet_pip.sh
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c "import sys; assert sys.version_info >= (3, 11)" 2>/dev/null; then
  py="$(scripts/find_python.sh app)"
  echo "[setup] 앱 런타임(.venv)을 만듭니다: $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
echo "[setup] 앱 패키지를 설치합니다 (requirements/app.lock)..."
quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements/app.lock
quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
touch .venv/.ieum-stamp
