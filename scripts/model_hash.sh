#!/usr/bin/env bash
# Content hash of everything that shapes the trained model (names included).
set -euo pipefail
cd "$(dirname "$0")/.."
{ ls config.yml nlu/domain.yml requirements/engine.lock; find nlu/data nlu/components nlu/korean nlu/generated -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.txt' -o -name '*.tsv' \); } \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16
