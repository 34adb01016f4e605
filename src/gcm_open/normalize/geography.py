"""States and countries: the reference tables, and finding them in practices.

States come from pycountry (ISO 3166-2:MX) with INEGI codes; the names the compendium
uses for them (official names, short forms, abbreviations, demonyms) from
``state_names.csv``. Countries come from pycountry's English names and its Spanish
translations, plus the Spanish forms of ``country_names.csv``, minus the ambiguous
names of ``country_exclusions.csv``. Mexico is recognised, so that "Estados Unidos
Mexicanos" is not read as the United States, and then left out.
"""

from __future__ import annotations

import gettext
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import pycountry

from gcm_open.errors import ResolutionError
from gcm_open.normalize.text import MatchMode, Term, TermMatch, TermMatcher, Tokens, fold
from gcm_open.reference import (
    country_exclusions,
    country_names,
    geo_stop_phrases,
    inegi_states,
    state_names,
)

MEXICO = "MEX"
_MODES = {
    "official": MatchMode.PROPER,
    "short": MatchMode.PROPER,
    "former": MatchMode.PROPER,
    "name": MatchMode.PROPER,
    "abbreviation": MatchMode.EXACT,
    "demonym": MatchMode.ANY,
}


@dataclass(frozen=True)
class Mentions:
    """How often each code is named in a text, and the first spelling found."""

    counts: dict[str, int]
    evidence: dict[str, str]

    @classmethod
    def of(cls, matches: Iterable[TermMatch]) -> Mentions:
        counts: Counter[str] = Counter()
        evidence: dict[str, str] = {}
        for match in matches:
            counts[match.key] += 1
            evidence.setdefault(match.key, " ".join(match.found.split()))
        return cls(dict(counts), evidence)


@cache
def _stop_phrases() -> TermMatcher:
    return TermMatcher(Term(phrase, "stop", MatchMode.PROPER) for phrase in geo_stop_phrases())


def _without_stop_phrases(tokens: Tokens) -> Tokens:
    stops = _stop_phrases().find_in(tokens)
    return tokens.masked((m.start, m.end) for m in stops) if stops else tokens


@cache
def state_matcher() -> TermMatcher:
    """The names, short forms, abbreviations and demonyms of the 32 states."""
    return TermMatcher(
        Term(item.name, item.state_code, _MODES[item.kind]) for item in state_names()
    )


def states_named_in(text: str) -> set[str]:
    """ISO 3166-2 codes of the states named in ``text``.

    >>> sorted(states_named_in("Dirección de Atención a Migrantes del Estado de Tlaxcala"))
    ['MX-TLA']
    >>> sorted(states_named_in("Baja California Sur, Estado de México y la calle Miguel Hidalgo"))
    ['MX-BCS', 'MX-MEX']
    """
    return set(state_mentions(text).counts)


def state_mentions(text: str) -> Mentions:
    """States named in ``text`` (names, short forms, demonyms), with counts."""
    return Mentions.of(state_matches(Tokens(text)))


def state_matches(tokens: Tokens) -> list[TermMatch]:
    """Where states are named in a tokenized text (names, short forms, demonyms)."""
    return state_matcher().find_in(_without_stop_phrases(tokens))


def implementing_state(lead_label: str, *, where: str) -> str:
    """The state a state-section practice belongs to, from its lead label.

    The label is a state ("Michoacán de Ocampo") or an office of a state government
    ("Dirección de Atención a Migrantes del Estado de Tlaxcala"); it must name exactly
    one state. ``where`` names the practice in the error message.
    """
    found = states_named_in(lead_label)
    if len(found) != 1:
        named = ", ".join(sorted(found)) if found else "no state"
        raise ResolutionError(
            f"{where}: lead label {lead_label!r} of a state practice names {named}; "
            "add the state's form to data/reference/state_names.csv if it is a state"
        )
    return found.pop()


@dataclass(frozen=True)
class State:
    """A Mexican state: ISO 3166-2 code, INEGI code and name."""

    state_code: str
    inegi_code: str
    name_es: str


@cache
def mexican_states() -> tuple[State, ...]:
    """The 32 states of pycountry's ISO 3166-2:MX, joined to their INEGI codes."""
    inegi = {code: (inegi_code, name) for inegi_code, code, name in inegi_states()}
    subdivisions = sorted(pycountry.subdivisions.get(country_code="MX"), key=lambda s: s.code)
    codes = [subdivision.code for subdivision in subdivisions]
    if sorted(inegi) != codes:
        raise ResolutionError(
            "the INEGI reference and ISO 3166-2:MX disagree on the states: "
            f"{sorted(set(codes) ^ set(inegi))}"
        )
    return tuple(State(code, inegi[code][0], inegi[code][1]) for code in codes)


def resolve_state_names(names: Sequence[str], *, where: str) -> list[str]:
    """The state codes of names printed in the compendium; every name must name one state."""
    codes: list[str] = []
    offenders: list[str] = []
    for name in names:
        found = states_named_in(name)
        if len(found) == 1:
            codes.append(found.pop())
        else:
            offenders.append(name)
    if offenders:
        raise ResolutionError(f"{where}: names that are not one state: {offenders}")
    return codes


@dataclass(frozen=True)
class Country:
    """A country: ISO 3166-1 alpha-3 and alpha-2 codes, English and Spanish names."""

    country_code: str
    alpha_2: str
    name_en: str
    name_es: str


@cache
def _spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])


def country(code: str) -> Country:
    """The country with ISO 3166-1 alpha-3 ``code``; raise ResolutionError if unknown."""
    found = pycountry.countries.get(alpha_3=code)
    if found is None:
        raise ResolutionError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    name_en = getattr(found, "common_name", None) or found.name
    return Country(found.alpha_3, found.alpha_2, name_en, _spanish().gettext(found.name))


def _pycountry_names() -> dict[str, set[str]]:
    """Every English and Spanish name of every country; inverted names ("Bolivia,
    Estado plurinacional de") also by their first part."""
    names: dict[str, set[str]] = {}
    spanish = _spanish()
    for entry in pycountry.countries:
        forms = {
            entry.name,
            getattr(entry, "common_name", None),
            getattr(entry, "official_name", None),
        }
        forms |= {spanish.gettext(form) for form in list(forms) if form}
        for form in forms:
            if not form:
                continue
            for candidate in {form, form.split(",")[0]}:
                names.setdefault(candidate.strip(), set()).add(entry.alpha_3)
    return names


@cache
def country_matcher() -> TermMatcher:
    """Country names (pycountry and curated), abbreviations and demonyms.

    A name that pycountry gives to two countries ("Congo", "Corea") is ambiguous and
    left out, like the names of ``country_exclusions.csv``.
    """
    # Folded, so that an excluded Spanish name also excludes its English twin
    # ("Reunión" / "Réunion").
    excluded = {fold(name) for name in country_exclusions()}
    terms = [
        Term(name, next(iter(codes)), MatchMode.PROPER)
        for name, codes in _pycountry_names().items()
        if len(codes) == 1 and fold(name) not in excluded
    ]
    terms += [Term(item.name, item.country_code, _MODES[item.kind]) for item in country_names()]
    return TermMatcher(terms)


def country_mentions(text: str) -> Mentions:
    """Countries other than Mexico named in ``text``, with counts.

    >>> country_mentions("Migrantes guatemaltecos y hondureños en los EE.UU. y en "
    ...                  "los Estados Unidos Mexicanos").counts
    {'GTM': 1, 'HND': 1, 'USA': 1}
    """
    return Mentions.of(country_matches(Tokens(text)))


def country_matches(tokens: Tokens) -> list[TermMatch]:
    """Where countries other than Mexico are named in a tokenized text."""
    return [m for m in country_matcher().find_in(tokens) if m.key != MEXICO]
