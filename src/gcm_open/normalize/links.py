"""URLs in practices: those printed in the text and the page's link annotations."""

from __future__ import annotations

import re

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.IGNORECASE)
_TRAILING = ".,;:)”’'\""


def urls_in(text: str) -> list[str]:
    """The URLs printed in ``text``, in order, without trailing punctuation.

    >>> urls_in("Ver https://www.gob.mx/inm. y (http://x.org/a_b).")
    ['https://www.gob.mx/inm', 'http://x.org/a_b']
    """
    return [match.group(0).rstrip(_TRAILING) for match in _URL.finditer(text)]


def same_url(first: str, second: str) -> bool:
    """Whether two printed URLs name the same resource (scheme case and a final slash aside)."""
    return _canonical(first) == _canonical(second)


def _canonical(url: str) -> str:
    return url.lower().rstrip("/")
