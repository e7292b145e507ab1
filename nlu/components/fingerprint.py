"""Fingerprints of files for Rasa's training cache.

Rasa fingerprints a component by its config and inputs only; a change to our component code
or to a data file behind an unchanged path would silently reuse stale cached outputs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def files_fingerprint(*paths: str | Path | None) -> str:
    """sha256 over the contents of the files that exist (missing or None ones are skipped)."""
    digest = hashlib.sha256()
    for path in paths:
        if path and Path(path).is_file():
            digest.update(str(path).encode())
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()
