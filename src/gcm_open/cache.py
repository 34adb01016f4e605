"""Where gcm-open keeps what it can compute again (extracted PDF pages, dictionary
answers, the bundled package)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/gcm-open (~/.cache/gcm-open)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gcm-open"
