"""Whole-word matching of names, acronyms and terms in Spanish text.

Matching ignores accents always, and case as each term asks: an acronym (``INM``,
``EUA``) must match as written, a proper name (``Chiapas``) must start with its capital,
any other term (a demonym, ``guatemaltecos``) matches in any case. Terms match whole
words only, the longest first, and several spaces or a comma between words match one.
Folding keeps every character in place, so spans found in folded text are spans of the
original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class MatchMode(StrEnum):
    """How a term's letter case must match."""

    EXACT = "exact"
    PROPER = "proper"
    ANY = "any"


@dataclass(frozen=True)
class Term:
    """A spelling to look for and the key (a code, an id) it stands for."""

    text: str
    key: str
    mode: MatchMode = MatchMode.ANY


@dataclass(frozen=True)
class TermMatch:
    """Where a term was found: its key, the term, and the text as written there."""

    key: str
    term: str
    start: int
    end: int
    found: str


_WORD = re.compile(r"\w+")


def _accent_table() -> dict[int, str]:
    """Accented Latin letters -> their base letter; ñ and Ñ are letters of their own."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1 and char not in "ñÑ":
            table[code] = decomposed[0]
    return table


_ACCENTS = _accent_table()


def strip_accents(text: str) -> str:
    """``text`` without accents (ñ stays ñ), character for character.

    >>> strip_accents("Michoacán de Ocampo, Nuevo León, Peñasco")
    'Michoacan de Ocampo, Nuevo Leon, Peñasco'
    """
    return text.translate(_ACCENTS)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents, for comparing names.

    >>> fold("Michoacán de Ocampo")
    'michoacan de ocampo'
    """
    return strip_accents(text).casefold()


def _term_pattern(term: Term) -> str:
    words: list[str] = re.findall(r"[^\s,]+", strip_accents(term.text))
    if not words:
        raise ValueError(f"empty term for {term.key!r}")
    escaped = [re.escape(word) for word in words]
    body = r",?\s+".join(escaped)
    if term.mode is MatchMode.EXACT:
        return body
    if term.mode is MatchMode.PROPER:
        first, rest = re.escape(words[0][0]), body[len(re.escape(words[0][0])) :]
        return first + (f"(?i:{rest})" if rest else "")
    return f"(?i:{body})"


class TermMatcher:
    """Find every term of a vocabulary in a text, as whole words, longest first.

    >>> matcher = TermMatcher([Term("Estados Unidos", "USA", MatchMode.PROPER),
    ...                        Term("Estados Unidos Mexicanos", "MEX", MatchMode.PROPER),
    ...                        Term("EUA", "USA", MatchMode.EXACT)])
    >>> [(m.key, m.found) for m in matcher.find_all(
    ...     "Estados Unidos Mexicanos y los estados unidos; EUA, Eua.")]
    [('MEX', 'Estados Unidos Mexicanos'), ('USA', 'EUA')]
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        unique = {(term.text, term.key, term.mode): term for term in terms}
        self.terms: tuple[Term, ...] = tuple(
            sorted(unique.values(), key=lambda term: (-len(term.text), term.text, term.key))
        )
        # One regex over hundreds of alternatives is slow in Python, so each text is
        # searched only for the terms whose every word it contains.
        self._words = [frozenset(_WORD.findall(fold(term.text))) for term in self.terms]
        self._by_word: dict[str, list[int]] = {}
        for index, words in enumerate(self._words):
            self._by_word.setdefault(min(words), []).append(index)

    def find_all(self, text: str) -> list[TermMatch]:
        """Every non-overlapping match in ``text``, in reading order."""
        searched = strip_accents(text)
        words = set(_WORD.findall(searched.casefold()))
        candidates = (
            index
            for word in words
            for index in self._by_word.get(word, ())
            if self._words[index] <= words
        )
        found: list[tuple[int, int, int]] = []
        for index in candidates:
            for match in self._pattern(index).finditer(searched):
                found.append((match.start(), -match.end(), index))
        # Leftmost first, and at one place the longest term; then on past its end.
        matches: list[TermMatch] = []
        position = 0
        for start, negative_end, index in sorted(found):
            end = -negative_end
            if start < position:
                continue
            term = self.terms[index]
            matches.append(TermMatch(term.key, term.text, start, end, text[start:end]))
            position = end
        return matches

    @cache  # noqa: B019 - one matcher per vocabulary, kept for the process
    def _pattern(self, index: int) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w)(?:{_term_pattern(self.terms[index])})(?!\w)")


def mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` replaced by spaces (same length)."""
    characters = list(text)
    for start, end in spans:
        characters[start:end] = " " * (end - start)
    return "".join(characters)
