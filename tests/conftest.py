"""Tests run in two runtimes: `tests/engine` in .venv-rasa (rasa, Python 3.10), the rest in .venv."""

import importlib.util

if importlib.util.find_spec("rasa") is None:
    collect_ignore = ["engine"]
else:
    collect_ignore = ["app", "e2e"]
