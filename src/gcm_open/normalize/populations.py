"""Target populations: a controlled vocabulary, and the terms that tag practices.

The vocabulary is ``populations.csv`` and the rules ``population_terms.csv``: a
practice is tagged with a population when one of its terms appears in its text as whole
words (accents ignored; acronyms such as ``NNA`` as written). The names of institutions
are blanked first, so that "Instituto Nacional de las Mujeres" does not tag women.
"""

from __future__ import annotations

from functools import cache

from gcm_open.errors import ResolutionError
from gcm_open.normalize.geography import Mentions
from gcm_open.normalize.text import MatchMode, Term, TermMatcher, mask
from gcm_open.reference import population_stop_phrases, population_terms, populations


@cache
def population_matcher() -> TermMatcher:
    """The terms of every population; unknown populations or modes stop the build."""
    known = {population.population_id for population in populations()}
    problems = [
        f"{term.term!r} -> {term.population_id}"
        for term in population_terms()
        if term.population_id not in known or term.match not in ("exact", "any")
    ]
    if problems:
        raise ResolutionError(f"population_terms.csv: unknown population or match mode: {problems}")
    return TermMatcher(
        Term(term.term, term.population_id, MatchMode(term.match)) for term in population_terms()
    )


@cache
def _stop_phrases() -> TermMatcher:
    return TermMatcher(Term(phrase, "stop", MatchMode.ANY) for phrase in population_stop_phrases())


def population_mentions(text: str) -> Mentions:
    """Populations whose terms appear in ``text`` (institution names already blanked),
    leaving out the phrases of ``population_stop_phrases.csv``.

    >>> population_mentions("Atención a niñas, niños y adolescentes no acompañados").evidence
    {'children': 'niñas, niños y adolescentes'}
    >>> law = "la Ley sobre Refugiados, Protección Complementaria y Asilo Político"
    >>> population_mentions(law).counts
    {}
    """
    blanked = mask(text, [(match.start, match.end) for match in _stop_phrases().find_all(text)])
    return Mentions.of(population_matcher().find_all(blanked))
