"""Release versions: SemVer ``X.Y.Z``, read and ordered in one place, for the releases
that publishing makes and the portal pages that list them."""

from __future__ import annotations

import re

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def version_order(version: str) -> tuple[int, int, int]:
    """``X.Y.Z`` as numbers, to order releases (``1.10.0`` after ``1.9.0``); a
    :class:`ValueError` for anything else.

    >>> sorted(["1.10.0", "1.9.0", "1.2.10"], key=version_order)
    ['1.2.10', '1.9.0', '1.10.0']
    """
    match = SEMVER.match(version)
    if match is None:
        raise ValueError(f"version {version!r} is not SemVer X.Y.Z (e.g. 1.0.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
