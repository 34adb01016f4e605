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
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The library logs its steps and never prints; without a handler set by the application,
# nothing is shown.
logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from gcm_open.api import Package, load
    from gcm_open.build import build
    from gcm_open.diff import diff
    from gcm_open.release import publish
    from gcm_open.validate import validate

_EXPORTS = {
    "Package": "gcm_open.api",
    "load": "gcm_open.api",
    "build": "gcm_open.build",
    "diff": "gcm_open.diff",
    "publish": "gcm_open.release",
    "validate": "gcm_open.validate",
}
__all__ = ["Package", "__version__", "build", "diff", "load", "publish", "validate"]


class _Package(types.ModuleType):
    """The ``gcm_open`` module, whose exports are imported when first read.

    ``build``, ``diff`` and ``validate`` are also the names of submodules, which the import
    system sets on the package once they are imported; reading the name still gives the
    function.
    """

    def __getattribute__(self, name: str) -> Any:
        if name in _EXPORTS:
            return getattr(importlib.import_module(_EXPORTS[name]), name)
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Package
