"""gcm-open: Mexico's Compendio 2022 of practices aligned with the Global Compact for
Migration, as an open, validated Frictionless Data Package.

The library twins of the commands are imported when first used, so that the command line
starts without loading pyarrow:

>>> import gcm_open
>>> gcm_open.load().table("objectives").num_rows
23
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The library logs its steps and never prints; without a handler set by the application,
# nothing is shown.
logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from gcm_open.api import Package, load
    from gcm_open.building import build
    from gcm_open.comparison import diff
    from gcm_open.release import publish
    from gcm_open.validation import validate

# Each public function lives in a module of another name, so no submodule shadows it.
_EXPORTS = {
    "Package": "gcm_open.api",
    "load": "gcm_open.api",
    "build": "gcm_open.building",
    "diff": "gcm_open.comparison",
    "publish": "gcm_open.release",
    "validate": "gcm_open.validation",
}
__all__ = ["Package", "__version__", "build", "diff", "load", "publish", "validate"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
