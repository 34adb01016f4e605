"""The rules of the dataset that more than one stage applies, each written once: the
number of objectives, the practice id, what "no challenges reported" looks like, and what
a list item looks like."""

from __future__ import annotations

import re

OBJECTIVE_COUNT = 23
"""The Global Compact for Migration has 23 objectives."""

SECTION_LETTERS = {"federal": "F", "state": "S"}
"""The letter of each section of the compendium in a practice id."""

PRACTICE_ID_SEPARATOR = "-"
PRACTICE_ID_DIGITS = 2
"""Objective and number in a practice id have at least this many digits (``07``)."""


def practice_id(edition: int, section: str, objective_id: int, number: int) -> str:
    """The readable id of a practice: edition, section letter, objective, number.

    >>> practice_id(2022, "federal", 7, 4)
    '2022-F-07-04'
    """
    return PRACTICE_ID_SEPARATOR.join(
        (
            str(edition),
            SECTION_LETTERS[section],
            str(objective_id).zfill(PRACTICE_ID_DIGITS),
            str(number).zfill(PRACTICE_ID_DIGITS),
        )
    )


NO_CHALLENGES = re.compile(
    r"^(?:No se report\w*\s+(?:\w+\s+)?retos|Ninguno\b|No se identificaron retos)", re.IGNORECASE
)
"""A challenges text that says none were met ("No se reportaron retos", "Ninguno")."""

NO_CHALLENGES_PREFIX = r"^(?i)(?:no se|ninguno)"
"""What every text :data:`NO_CHALLENGES` matches begins with, for a quick first pass."""

# A list item: a bullet, "a)", "1." or "1)". A bullet written "o" is what a bullet becomes
# in a Latin-1 or ASCII copy of the text; it is told from the conjunction "o", which
# continues a sentence, by the capital (or digit) after it.
LIST_ITEM = re.compile(r"^(?:(?:[•●▪◦■○\-–]|[a-z]\)|\d{1,2}[.)])\s|o\s+(?=[A-ZÁÉÍÓÚÑ0-9¿¡\"“]))")


def continues_a_sentence(text: str) -> bool:
    """Whether a line reads as the rest of a sentence: it starts in lower case and is not
    a list item."""
    stripped = text.strip()
    return stripped[:1].islower() and LIST_ITEM.match(stripped) is None
