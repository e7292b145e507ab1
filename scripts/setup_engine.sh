#!/usr/bin/env bash
# Creates or updates .venv-rasa (engine runtime: Python 3.10, rasa 3.6.21, kiwipiepy). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/quiet_pip.sh
source scripts/quiet_pip.sh
if [ ! -x .venv-rasa/bin/python ] || ! .venv-rasa/bin/python -c "import sys; assert sys.version_info[:2] == (3, 10)" 2>/dev/null; then
  py="$(scripts/find_python.sh engine)"
  echo "[setup] 엔진 런타임(.venv-rasa)을 만듭니다: $py"
  rm -rf .venv-rasa
  "$py" -m venv .venv-rasa
fi
quiet_pip .venv-rasa/bin/python -m pip install -q --disable-pip-version-check "pip<24.1" "setuptools<70" wheel
echo "[setup] 엔진 패키지를 설치합니다 (requirements/engine.lock, 처음에는 몇 분 걸립니다)..."
quiet_pip .venv-rasa/bin/python -m pip install -q --disable-pip-version-check -r requirements/engine.lock
# Our graph components (nlu/components) must be importable by rasa from any directory.
site="$(.venv-rasa/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$(pwd)" > "$site/ieum_repo.pth"
touch .venv-rasa/.ieum-stamp
