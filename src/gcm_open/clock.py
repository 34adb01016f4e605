"""The one reading of ``SOURCE_DATE_EPOCH``: the moment reproducible outputs are dated
with, instead of the clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from gcm_open.errors import SettingError


def source_date_epoch() -> datetime | None:
    """The moment ``SOURCE_DATE_EPOCH`` names (UTC), or None when it is not set.

    Raises :class:`~gcm_open.errors.SettingError` when it is not a whole number of
    seconds since 1970 that a date can hold.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise SettingError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970"
        ) from None


def today() -> str:
    """Today's date (UTC), or the date of ``SOURCE_DATE_EPOCH`` when it is set."""
    moment = source_date_epoch() or datetime.now(tz=UTC)
    return moment.strftime("%Y-%m-%d")
