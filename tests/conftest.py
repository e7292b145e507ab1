"""Tests run in two runtimes: `tests/engine` in .venv-rasa (Python 3.10), the rest in .venv."""

import sys

if sys.version_info >= (3, 11):
    collect_ignore = ["engine"]
else:
    collect_ignore = [
        "app",
        "e2e",
    ]
