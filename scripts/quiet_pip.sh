#!/usr/bin/env bash
# Sourced by the setup scripts: `quiet_pip <command…>` runs a pip command with its output in
# var/setup.log instead of the console (index warnings and build-tool deprecation notices mean
# nothing to the person running `make run`); on failure the log's end is shown.
SETUP_LOG="${SETUP_LOG:-var/setup.log}"
mkdir -p "$(dirname "$SETUP_LOG")"

quiet_pip() {
  local started=$SECONDS
  if ! "$@" >>"$SETUP_LOG" 2>&1; then
    echo "[setup] 설치에 실패했습니다. 기록의 마지막 부분($SETUP_LOG):" >&2
    tail -n 40 "$SETUP_LOG" >&2
    exit 1
  fi
  if (( SECONDS - started >= 5 )); then
    echo "[setup]   완료 ($(( SECONDS - started ))초)"
  fi
}
