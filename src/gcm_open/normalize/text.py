"""Accent- and case-insensitive whole-word matching of names in Spanish text."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents (ñ stays ñ), for comparison only.

    >>> fold("Michoacán de Ocampo")
    'michoacan de ocampo'
    """
    decomposed = unicodedata.normalize("NFD", text.casefold())
    kept: list[str] = []
    for char in decomposed:
        # The tilde of ñ tells words apart (año / ano); other accents do not.
        if unicodedata.category(char) == "Mn" and not (
            kept and kept[-1] == "n" and char == "\u0303"
        ):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def word_pattern(name: str) -> re.Pattern[str]:
    """A pattern for ``name`` as whole words of folded text, tolerant to spacing."""
    words = [re.escape(word) for word in fold(name).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")
