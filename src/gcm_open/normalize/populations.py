"""Target populations: a controlled vocabulary, and the phrases that tag practices.

The vocabulary is ``populations.csv``; the phrases are ``population_terms.csv``, with
the slots of ``population_slots.csv`` (``<abroad>``: the ways the text says "abroad";
``<state_demonym>``: the demonyms of the states, from ``state_names.csv``). Phrases
match lemmas, so one phrase covers every gender and number ("niño|niña" tags "niñas,
niños"). A practice's text is searched with the names of bodies, laws, programmes and
events masked (the caller masks them), and without the phrases of
``population_stop_phrases.csv``: a group's name inside another name does not say whom a
practice serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from gcm_open.errors import ResolutionError
from gcm_open.normalize.text import (
    MatchMode,
    Phrase,
    PhraseMatcher,
    Term,
    TermMatch,
    TermMatcher,
    Tokens,
)
from gcm_open.reference import (
    population_slots,
    population_stop_phrases,
    population_terms,
    populations,
    state_names,
)


@cache
def population_matcher() -> PhraseMatcher:
    """The phrases of every population; an unknown population, an unknown slot or a
    phrase that cannot be read stops the build."""
    known = {population.population_id for population in populations()}
    slots = _slots()
    problems: list[str] = []
    phrases: list[Phrase] = []
    for term in population_terms():
        if term.population_id not in known:
            problems.append(f"{term.phrase!r}: unknown population {term.population_id!r}")
            continue
        try:
            phrases.append(Phrase.parse(term.phrase, term.population_id, slots))
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ResolutionError(f"population_terms.csv: {'; '.join(problems)}")
    return PhraseMatcher(phrases)


def _slots() -> dict[str, tuple[str, ...]]:
    """The slots of the phrases, a slot's phrase ``<other>`` standing for that slot's."""
    slots = dict(population_slots())
    slots["state_demonym"] = tuple(item.name for item in state_names() if item.kind == "demonym")

    def expand(slot: str, seen: frozenset[str]) -> tuple[str, ...]:
        phrases: list[str] = []
        for phrase in slots[slot]:
            inner = phrase[1:-1] if phrase.startswith("<") and phrase.endswith(">") else None
            if inner is None:
                phrases.append(phrase)
            elif inner in slots and inner not in seen:
                phrases += expand(inner, seen | {inner})
            else:
                raise ResolutionError(f"population_slots.csv: slot {slot} names {phrase}")
        return tuple(phrases)

    return {slot: expand(slot, frozenset({slot})) for slot in slots}


# Where the first is found, the second is not, in the same words: people displaced
# across a border are not internally displaced.
_OUTWEIGHS = {"refugees_asylum_seekers": "internally_displaced"}


@cache
def _stop_phrases() -> TermMatcher:
    """The stop phrases; one that opens with a capital, a name ("Jóvenes Construyendo el
    Futuro"), only as written so ("los jóvenes construyendo el futuro" are young people)."""
    return TermMatcher(
        Term(phrase, "stop", MatchMode.PROPER if phrase[0].isupper() else MatchMode.ANY)
        for phrase in population_stop_phrases()
    )


def population_matches(tokens: Tokens, lemma: Callable[[str], str]) -> list[TermMatch]:
    """The population phrases in ``tokens`` (names already masked), leaving out the
    phrases of ``population_stop_phrases.csv``; ``lemma`` gives a word's folded lemma.

    >>> from gcm_open.spanish import SpanishWords
    >>> lemma = SpanishWords().folded_lemma
    >>> [(m.key, m.found) for m in population_matches(
    ...     Tokens("Atención a niñas, niños y adolescentes no acompañados"), lemma)]
    [('children', 'niñas'), ('children', 'niños'), ('children', 'adolescentes'), \
('children', 'no acompañados')]
    >>> law = "la Ley sobre Refugiados, Protección Complementaria y Asilo Político"
    >>> population_matches(Tokens(law), lemma)
    []
    """
    stops = _stop_phrases().find_in(tokens)
    if stops:
        tokens = tokens.masked((match.start, match.end) for match in stops)
    found = population_matcher().find_in(tokens, lemma)
    outweighed = [
        (match.start, match.end, _OUTWEIGHS[match.key])
        for match in found
        if match.key in _OUTWEIGHS
    ]
    return [
        match
        for match in found
        if not any(
            key == match.key and start < match.end and match.start < end
            for start, end, key in outweighed
        )
    ]


# What says whom a practice is for, earlier in a sentence of its results.
_SERVES = re.compile(
    r"\b(?:aplica(?:n|rá)?|dirigid[oa]s?|destinad[oa]s?|orientad[oa]s?|enfocad[oa]s?)\s+"
    r"(?:a|al|en)\b|\ben\s+beneficio\s+de\b|\bbeneficiar\s+a\b|\bproteger\b"
    # "materiales para: Niños, Jóvenes", "actividades para la comunidad mexicana que
    # reside en EUA"; a sentence that opens with its purpose ("Para garantizar el acceso
    # ... de niñas, niños y jóvenes").
    r"|\bpara\s+(?:\w+\s+){0,2}$|\bpara\s*:\s+(?:[\w ]+,\s+)*$|^\s*para\b"
    # "con el objetivo de atender a la población indígena migrante que vive en ..."
    r"|\bcon\s+el\s+(?:objetivo|fin|prop[oó]sito)\s+de\b|\ba\s+fin\s+de\b",
    re.IGNORECASE,
)


def serves(text: str, start: int, figures: Sequence[int]) -> bool:
    """Whether the sentence of ``text`` around ``start`` says that the practice serves
    the group named at ``start``, rather than counting it; ``figures`` are where the
    counts of people and the shares of ``text`` start (a sentence that counts, "se
    atendió a 35 mujeres", has one before the group).

    >>> text = "Se atendió a 35 mujeres. El protocolo aplica a las mujeres víctimas."
    >>> serves(text, text.index("mujeres"), [13]), serves(text, text.rindex("mujeres"), [13])
    (False, True)
    >>> serves("De 204 personas, el 40% fueron dirigidas a mujeres", 43, [3, 20])
    False
    >>> text = "En 2021 se ofrecieron materiales para: Niños, Jóvenes y Adultos Mayores"
    >>> serves(text, text.index("Niños"), [])
    True
    """
    opening = max(text.rfind(mark, 0, start) for mark in ".;\n") + 1
    colon = text.rfind(":", opening, start)
    if colon != -1 and not re.search(r"\bpara\s*$", text[opening:colon], re.IGNORECASE):
        opening = colon + 1  # a colon ends a clause, unless it lists whom "para" is for
    counted = any(opening <= figure < start for figure in figures)
    return not counted and bool(_SERVES.search(text[opening:start]))
