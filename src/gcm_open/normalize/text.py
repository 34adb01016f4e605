"""Whole-word matching of names, acronyms and terms in Spanish text.

Matching ignores accents always, and case as each term asks: an acronym (``INM``,
``EUA``) must match as written, a proper name (``Chiapas``) must start with its capital,
any other term (a demonym, ``guatemaltecos``) matches in any case. Terms match whole
words only, the longest first; spaces, commas and dashes between words all read as one
space. A text is cut into words once (:class:`Tokens`) and every vocabulary is looked up
word by word; stripping accents keeps every character in place, so the spans found are
spans of the original. Phrases (:class:`PhraseMatcher`) match lemmas, with slots and
gaps, for what a text says in many ways.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


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


def _accent_table() -> dict[str, str]:
    """Accented Latin letters -> their base letter; ñ and Ñ are letters of their own."""
    table: dict[str, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1 and char not in "ñÑ":
            table[char] = decomposed[0]
    return table


_ACCENTS = _accent_table()
# Replacing the few accented letters found by a regex is several times faster than
# str.translate, which looks every character of a non-ASCII text up in its table.
_ACCENTED = re.compile(f"[{re.escape(''.join(_ACCENTS))}]")


def _base_letter(match: re.Match[str]) -> str:
    return _ACCENTS[match.group()]


def strip_accents(text: str) -> str:
    """``text`` without accents (ñ stays ñ), character for character.

    >>> strip_accents("Michoacán de Ocampo, Nuevo León, Peñasco")
    'Michoacan de Ocampo, Nuevo Leon, Peñasco'
    """
    return text if text.isascii() else _ACCENTED.sub(_base_letter, text)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents, for comparing names.

    >>> fold("Michoacán de Ocampo")
    'michoacan de ocampo'
    """
    return strip_accents(text).casefold()


# Words, and every other mark but spaces, commas, dashes and quotation marks: a comma or a
# dash between two words reads as a space ("niñas, niños"; "UPMRIP-SEGOB" as "UPMRIP
# SEGOB"), and a name is the same name, quoted straight, curly or not at all ("Grupos
# “Beta”").
_TOKEN = re.compile(r"\w+|[^\w\s,\-\u2010-\u2015\"'\u2018\u2019\u201c\u201d]")
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
# A mark no term holds: what a masked word becomes.
_MASKED = "\x00"


def _token_texts(text: str) -> list[str]:
    return _TOKEN.findall(strip_accents(text))


class Tokens:
    """A text cut once into words and marks, accents stripped, for every vocabulary
    searched in it; masked spans become marks that nothing matches.

    >>> Tokens("Niñas, niños y ONU-Mujeres").written
    ['Niñas', 'niños', 'y', 'ONU', 'Mujeres']
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # Split, the tokens kept: spaces and tokens alternate, and where each piece
        # starts is a running sum of lengths, all without a Python loop over the words.
        pieces = _TOKEN_SPLIT.split(strip_accents(text))
        offsets = list(itertools.accumulate(map(len, pieces), initial=0))
        self.starts = offsets[1:-1:2]
        self.ends = offsets[2:-1:2]
        self.written = pieces[1::2]
        self.folded = list(map(str.casefold, self.written))
        self._lemmas: list[str] | None = None

    def __len__(self) -> int:
        return len(self.written)

    def masked(self, spans: Iterable[tuple[int, int]]) -> Tokens:
        """A copy in which every token that overlaps one of ``spans`` is masked."""
        copy = object.__new__(Tokens)
        copy.text, copy.starts, copy.ends = self.text, self.starts, self.ends
        copy.written, copy.folded = list(self.written), list(self.folded)
        copy._lemmas = list(self._lemmas) if self._lemmas is not None else None
        for start, end in spans:
            index = bisect.bisect_right(self.ends, start)
            while index < len(self.starts) and self.starts[index] < end:
                copy.written[index] = copy.folded[index] = _MASKED
                if copy._lemmas is not None:
                    copy._lemmas[index] = _MASKED
                index += 1
        return copy

    def lemmas(self, lemma: Callable[[str], str]) -> list[str]:
        """Each word's lemma (``lemma`` takes a lower-case word with its accents and
        gives its lemma folded, numbers and marks as they are); a masked word stays
        masked."""
        if self._lemmas is None:
            lowered = self.text.lower()
            if len(lowered) == len(self.text):
                words = list(map(lowered.__getitem__, map(slice, self.starts, self.ends)))
            else:  # a letter that lowers to two: the words lowered one by one
                words = [
                    self.text[start:end].lower()
                    for start, end in zip(self.starts, self.ends, strict=True)
                ]
            self._lemmas = list(map(lemma, words))
            for index in itertools.compress(itertools.count(), map(_MASKED.__eq__, self.written)):
                self._lemmas[index] = _MASKED
        return self._lemmas


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
        # Terms by their first two words (None for a one-word term): each token of a
        # text is looked up once or twice.
        self._by_start: dict[tuple[str, str | None], list[tuple[Term, list[str], list[str]]]]
        self._by_start = {}
        for term in self.terms:
            written = _token_texts(term.text)
            if not written:
                raise ValueError(f"empty term for {term.key!r}")
            folded = [word.casefold() for word in written]
            start = (folded[0], folded[1] if len(folded) > 1 else None)
            self._by_start.setdefault(start, []).append((term, written, folded))
        self._firsts = frozenset(first for first, _ in self._by_start)
        # For a word that opens only terms of several words ("la" of "La 72 Hogar-Refugio
        # ..."), the words that may follow it: an opening followed by none of them is
        # passed over at once, as most openings by "la" or "el" are.
        singles = {first for first, second in self._by_start if second is None}
        self._seconds: dict[str, set[str]] = {}
        for first, second in self._by_start:
            if first not in singles and second is not None:
                self._seconds.setdefault(first, set()).add(second)

    def find_all(self, text: str) -> list[TermMatch]:
        """Every non-overlapping match in ``text``, in reading order."""
        return self.find_in(Tokens(text))

    def find_in(self, tokens: Tokens) -> list[TermMatch]:
        """Every non-overlapping match in a tokenized text: leftmost first, and at one
        place the longest term; then on past its end."""
        matches: list[TermMatch] = []
        folded_tokens, written_tokens = tokens.folded, tokens.written
        # The words a term opens with, found by a scan in C; a masked word opens none.
        openings = itertools.compress(
            itertools.count(), map(self._firsts.__contains__, folded_tokens)
        )
        count, free_from = len(tokens), 0
        for index in openings:
            if index < free_from:
                continue  # inside the last match
            first = folded_tokens[index]
            following = folded_tokens[index + 1] if index + 1 < count else None
            seconds = self._seconds.get(first)
            if seconds is not None and following not in seconds:
                continue
            best: tuple[int, Term] | None = None
            for start in ((first, following), (first, None)):
                for term, written, folded in self._by_start.get(start, ()):
                    stop = index + len(folded)
                    if stop > count or folded_tokens[index:stop] != folded:
                        continue
                    if term.mode is MatchMode.EXACT and written_tokens[index:stop] != written:
                        continue
                    if term.mode is MatchMode.PROPER and written_tokens[index][0] != written[0][0]:
                        continue
                    if best is None or tokens.ends[stop - 1] > tokens.ends[best[0] - 1]:
                        best = (stop, term)
            if best is None:
                continue
            stop, term = best
            start_at, end = tokens.starts[index], tokens.ends[stop - 1]
            matches.append(TermMatch(term.key, term.text, start_at, end, tokens.text[start_at:end]))
            free_from = stop
        return matches


# Each letter -> the letters after it; the empty string marks where a word ends.
_LetterTree = dict[str, "_LetterTree"]


def word_alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest it can, written as a
    tree of their letters: Python's engine tries the branches of a flat alternation one
    by one at every place, those of a tree only where the letters so far agree.

    >>> pattern = word_alternation(["dos", "doscientos", "diez"])
    >>> pattern
    'd(?:iez|os(?:cientos)?)'
    >>> re.findall(rf"\\b(?:{pattern})\\b", "diez, doscientos y dos")
    ['diez', 'doscientos', 'dos']
    """
    tree: _LetterTree = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def branches(node: _LetterTree) -> str:
        followers = [
            re.escape(letter) + branches(node[letter]) for letter in sorted(node) if letter
        ]
        if not followers:
            return ""
        if "" in node:  # a word ends here: the longer words first, then this one
            return f"(?:{'|'.join(followers)})?"
        return followers[0] if len(followers) == 1 else f"(?:{'|'.join(followers)})"

    return branches(tree)


@dataclass(frozen=True)
class Gap:
    """Up to ``words`` words of any kind between two parts of a phrase, within a clause."""

    words: int


# A word of a phrase: ("lemma", folded) matches any inflection, ("written", stripped)
# only as written (an acronym); alternatives are sequences of such words.
_Word = tuple[str, str]


@dataclass(frozen=True)
class _Choice:
    """One place of a phrase: any of its words, or of its sequences of words."""

    lemmas: frozenset[str]
    written: frozenset[str]
    sequences: tuple[tuple[_Word, ...], ...]  # of two words or more, the longest first

    @classmethod
    def of(cls, alternatives: Iterable[tuple[_Word, ...]]) -> _Choice:
        unique = set(alternatives)
        singles = [words[0] for words in unique if len(words) == 1]
        return cls(
            frozenset(value for kind, value in singles if kind == "lemma"),
            frozenset(value for kind, value in singles if kind == "written"),
            tuple(sorted((w for w in unique if len(w) > 1), key=lambda w: (-len(w), w))),
        )

    def first_words(self) -> set[_Word]:
        return (
            {("lemma", value) for value in self.lemmas}
            | {("written", value) for value in self.written}
            | {sequence[0] for sequence in self.sequences}
        )


# What a gap does not cross: the end of a clause, a bracket, a masked name.
_GAP_STOPS = frozenset({".", ";", ":", "(", ")", "?", "!", _MASKED})


@dataclass(frozen=True)
class Phrase:
    """A phrase of a vocabulary and the key it stands for.

    Written as words separated by spaces: a word in lower case matches any of its
    inflections (by lemma), a word with capitals only as written; ``a|b`` is either word;
    ``<slot>`` any phrase of the slot; ``*`` up to three words, ``*5`` up to five.
    """

    key: str
    text: str
    elements: tuple[_Choice | Gap, ...]

    @classmethod
    def parse(cls, text: str, key: str, slots: Mapping[str, Sequence[str]]) -> Phrase:
        """Read ``text``; raise ValueError for an unknown slot, a slot among the
        alternatives of a word, or a phrase that opens with a gap or has no words."""
        elements: list[_Choice | Gap] = []
        for part in text.split():
            if re.fullmatch(r"\*\d?", part):
                elements.append(Gap(int(part[1:] or 3)))
            elif part.startswith("<") and part.endswith(">"):
                if part[1:-1] not in slots:
                    raise ValueError(f"phrase {text!r} of {key!r}: unknown slot {part}")
                elements.append(
                    _Choice.of(
                        tuple(_word(word) for word in _token_texts(phrase))
                        for phrase in slots[part[1:-1]]
                    )
                )
            elif "<" in part or ">" in part:
                raise ValueError(f"phrase {text!r} of {key!r}: a slot is a word of its own")
            else:
                elements.append(_Choice.of((_word(word),) for word in part.split("|")))
        if not elements or isinstance(elements[0], Gap) or isinstance(elements[-1], Gap):
            raise ValueError(f"phrase {text!r} of {key!r}: a phrase opens and ends with words")
        return cls(key, text, tuple(elements))

    def first_words(self) -> set[_Word]:
        first = self.elements[0]
        assert not isinstance(first, Gap)
        return first.first_words()


def _word(word: str) -> _Word:
    stripped = strip_accents(word)
    return ("lemma", stripped.casefold()) if stripped == stripped.lower() else ("written", stripped)


# Words nearly every paragraph holds.
_EVERYWHERE = frozenset(
    [
        "a",
        "al",
        "con",
        "de",
        "del",
        "el",
        "en",
        "la",
        "las",
        "lo",
        "los",
        "o",
        "para",
        "por",
        "que",
        "se",
        "su",
        "sus",
        "un",
        "una",
        "y",
    ]
)


class PhraseMatcher:
    """Find the phrases of a vocabulary in a text, by lemmas, the longest first.

    >>> from gcm_open.spanish import SpanishWords
    >>> matcher = PhraseMatcher([Phrase.parse("mexicano * residir|vivir en <abroad>", "diaspora",
    ...                                       {"abroad": ["Estados Unidos", "el exterior"]})])
    >>> tokens = Tokens("Apoyo a la población mexicana que reside en Estados Unidos.")
    >>> [m.found for m in matcher.find_in(tokens, SpanishWords().folded_lemma)]
    ['mexicana que reside en Estados Unidos']
    """

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = tuple(phrases)
        self._by_first: dict[_Word, list[Phrase]] = {}
        for phrase in self.phrases:
            for word in phrase.first_words():
                self._by_first.setdefault(word, []).append(phrase)
        # Each phrase's words, element by element: a phrase is tried only in a text that
        # holds a word of every element (most phrases open with common words).
        self._needs = {
            id(phrase): [
                frozenset(value for _, value in element.first_words())
                for element in phrase.elements
                if not isinstance(element, Gap)
            ]
            for phrase in self.phrases
        }
        # Each phrase under the words of its element with the fewest alternatives, one
        # of which a text must hold; an element of words every text holds ("que", "en")
        # would make it tried everywhere, so it is chosen last.
        self._by_need: dict[str, list[Phrase]] = {}
        for phrase in self.phrases:
            rarest = min(
                self._needs[id(phrase)],
                key=lambda words: (not words.isdisjoint(_EVERYWHERE), len(words)),
            )
            for value in rarest:
                self._by_need.setdefault(value, []).append(phrase)

    def find_in(self, tokens: Tokens, lemma: Callable[[str], str]) -> list[TermMatch]:
        """Every match, in reading order; ``lemma`` gives a lower-case word's folded
        lemma (:meth:`SpanishWords.folded_lemma <gcm_open.spanish.SpanishWords>`).
        Matches of one key do not overlap (the longest wins); those of different keys
        may ("jóvenes desplazados" names young people and displaced people)."""
        lemmas = tokens.lemmas(lemma)
        present = set(lemmas)
        present.update(tokens.folded)
        present.update(tokens.written)
        held = {
            id(phrase): phrase
            for value in self._by_need.keys() & present
            for phrase in self._by_need[value]
        }
        possible = {
            key
            for key, phrase in held.items()
            if not any(words.isdisjoint(present) for words in self._needs[key])
        }
        if not possible:
            return []
        opens = {value for key in possible for value in self._needs[key][0]}.__contains__
        # The words a possible phrase opens with, found without a Python loop over the words.
        opening_at: set[int] = set()
        for words in (lemmas, tokens.folded, tokens.written):
            opening_at.update(itertools.compress(itertools.count(), map(opens, words)))
        matches: list[TermMatch] = []
        free_from: dict[str, int] = {}
        for index in sorted(opening_at):
            candidates = {
                id(phrase): phrase
                for word in (
                    ("lemma", lemmas[index]),
                    ("lemma", tokens.folded[index]),
                    ("written", tokens.written[index]),
                )
                for phrase in self._by_first.get(word, ())
                if id(phrase) in possible and free_from.get(phrase.key, 0) <= index
            }
            best: dict[str, tuple[int, Phrase]] = {}
            for phrase in candidates.values():
                stop = _match(phrase.elements, 0, tokens, lemmas, index)
                if stop is not None and (phrase.key not in best or stop > best[phrase.key][0]):
                    best[phrase.key] = (stop, phrase)
            for key, (stop, phrase) in sorted(best.items()):
                start, end = tokens.starts[index], tokens.ends[stop - 1]
                matches.append(TermMatch(key, phrase.text, start, end, tokens.text[start:end]))
                free_from[key] = stop
        return matches


def _match(
    elements: Sequence[_Choice | Gap],
    position: int,
    tokens: Tokens,
    lemmas: Sequence[str],
    index: int,
) -> int | None:
    """Where ``elements[position:]`` ends if it matches at token ``index``, else None;
    a gap as short as it can be, the longest alternative first."""
    if position == len(elements):
        return index
    element = elements[position]
    if isinstance(element, Gap):
        for skipped in range(element.words + 1):
            if skipped and (
                index + skipped > len(tokens) or tokens.written[index + skipped - 1] in _GAP_STOPS
            ):
                return None
            end = _match(elements, position + 1, tokens, lemmas, index + skipped)
            if end is not None:
                return end
        return None
    for sequence in element.sequences:
        stop = index + len(sequence)
        if stop <= len(tokens) and all(
            _word_matches(word, tokens, lemmas, at)
            for word, at in zip(sequence, range(index, stop), strict=True)
        ):
            end = _match(elements, position + 1, tokens, lemmas, stop)
            if end is not None:
                return end
    if index < len(tokens) and (
        lemmas[index] in element.lemmas
        or tokens.folded[index] in element.lemmas
        or tokens.written[index] in element.written
    ):
        return _match(elements, position + 1, tokens, lemmas, index + 1)
    return None


def _word_matches(word: _Word, tokens: Tokens, lemmas: Sequence[str], at: int) -> bool:
    kind, value = word
    if kind == "written":
        return tokens.written[at] == value
    return lemmas[at] == value or tokens.folded[at] == value
