"""Institutions: the registry (glossary + curated data), lead labels and mentions.

The compendium's annex glossary gives the names and acronyms of the bodies it lists;
``institutions.csv`` adds what the glossary lacks (kind, parent, state, and the bodies
it does not list) and ``institution_aliases.csv`` the other spellings seen in the text.
Every lookup is strict: an unknown acronym, alias, parent or lead label stops the build
with the list of offenders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property

from gcm_open.annex import GlossaryEntry
from gcm_open.errors import ResolutionError
from gcm_open.normalize.geography import (
    MEXICO,
    Mentions,
    country,
    country_matcher,
    mexican_states,
    state_matcher,
    states_named_in,
)
from gcm_open.normalize.names import OF, Name, NameKind
from gcm_open.normalize.text import MatchMode, Term, TermMatch, TermMatcher, Tokens, fold
from gcm_open.reference import (
    CuratedAlias,
    curated_aliases,
    curated_institutions,
    not_institutions,
    state_names,
)
from gcm_open.schemas import load_schema

# The kinds of body, as the institutions table's schema declares them.
KINDS = load_schema("institutions").enum("kind")
# Words a Spanish name keeps in lower case inside a title.
_PARTICLES = frozenset(
    {
        "a",
        "al",
        "con",
        "contra",
        "de",
        "del",
        "e",
        "el",
        "en",
        "la",
        "las",
        "los",
        "para",
        "por",
        "y",
    }
)
_LABEL_PARTS = re.compile(r"\s*-\s*")


@dataclass(frozen=True)
class Institution:
    """A public body or organisation named as lead or in the text of a practice."""

    institution_id: str
    name_es: str
    kind: str
    parent_id: str | None
    state_code: str | None
    glossary_name: str | None
    match_acronym: bool
    source: str


@dataclass(frozen=True)
class Alias:
    """Another spelling of an institution: from the glossary or curated."""

    alias: str
    institution_id: str
    match_in_text: bool
    source: str


def display_name(printed: str) -> str:
    """A glossary name in upper case, in title case; names in mixed case stay as printed.

    >>> display_name("CENTRO NACIONAL PARA LA PREVENCIÓN Y EL CONTROL DEL VIH/SIDA")
    'Centro Nacional para la Prevención y el Control del VIH/SIDA'
    >>> display_name("Procuraduría Federal de Protección de Niñas, Niños y Adolescentes")
    'Procuraduría Federal de Protección de Niñas, Niños y Adolescentes'
    """
    if printed != printed.upper():
        return printed
    words = []
    for position, word in enumerate(printed.split()):
        lower = word.lower()
        if "/" in word:
            words.append(word)
        elif position > 0 and lower in _PARTICLES:
            words.append(lower)
        else:
            words.append(lower[:1].upper() + lower[1:])
    return " ".join(words)


def canonical_id(acronym: str) -> str:
    """The id of a printed acronym: dots dropped ("G.N" -> "GN")."""
    return acronym.replace(".", "")


@dataclass(frozen=True)
class InstitutionRegistry:
    """Every known institution and alias, and the lookups built from them."""

    institutions: tuple[Institution, ...]
    aliases: tuple[Alias, ...]

    @cached_property
    def by_id(self) -> dict[str, Institution]:
        return {institution.institution_id: institution for institution in self.institutions}

    @cached_property
    def _by_folded_name(self) -> dict[str, str]:
        """Folded id, name and alias -> institution id, for resolving labels."""
        lookup: dict[str, str] = {}
        for institution in self.institutions:
            lookup[fold(institution.institution_id)] = institution.institution_id
            lookup[fold(institution.name_es)] = institution.institution_id
        for alias in self.aliases:
            lookup[fold(_words(alias.alias))] = alias.institution_id
        return lookup

    @cached_property
    def state_governments(self) -> dict[str, str]:
        """State code -> the id of its government (its top-level state body)."""
        return {
            institution.state_code: institution.institution_id
            for institution in self.institutions
            if institution.kind == "state"
            and institution.parent_id is None
            and institution.state_code
        }

    def resolve_label(self, label: str) -> list[str] | None:
        """The institutions a lead label names, or None when it names none we know.

        A label is an id, name or alias (``SRE``, ``Guardia Nacional``, ``CONACyT``); a
        state (``Michoacán de Ocampo``), which names that state's government; or ids and
        aliases joined by hyphens (``UPMRIP-SEGOB-SRE``), which name each body.
        """
        whole = self._by_folded_name.get(fold(_words(label)))
        if whole is not None:
            return [whole]
        states = states_named_in(label)
        if len(states) == 1 and fold(label) in {fold(name) for name in _state_forms(states)}:
            government = self.state_governments.get(next(iter(states)))
            return [government] if government else None
        parts = _LABEL_PARTS.split(label)
        if len(parts) > 1:
            resolved = [self._by_folded_name.get(fold(part)) for part in parts]
            if all(resolved):
                return [item for item in resolved if item is not None]
        return None

    @cached_property
    def matcher(self) -> TermMatcher:
        """Acronyms (as written), names and aliases of every institution, for the text."""
        terms: list[Term] = []
        for institution in self.institutions:
            if institution.match_acronym:
                terms.append(
                    Term(institution.institution_id, institution.institution_id, MatchMode.EXACT)
                )
            terms.append(
                Term(institution.name_es, institution.institution_id, _mode(institution.name_es))
            )
        shared = {fold(self.by_id[federal].name_es) for federal in self.state_twins}
        for alias in self.aliases:
            twin = alias.institution_id in self.state_twins.values() and fold(alias.alias) in shared
            if alias.match_in_text and not twin:
                terms.append(Term(alias.alias, alias.institution_id, _mode(alias.alias)))
        return TermMatcher(terms)

    @cached_property
    def state_twins(self) -> dict[str, str]:
        """Federal body id -> the group of the states' bodies that share its name ("la
        Secretaría de Salud" is the federal one, and each state's): in a state's
        practice, the name is that state's body. The group's alias is not matched: the
        federal name is."""
        federal = {
            fold(institution.name_es): institution.institution_id
            for institution in self.institutions
            if institution.kind == "federal"
        }
        return {
            federal[fold(alias.alias)]: alias.institution_id
            for alias in self.aliases
            if alias.institution_id.startswith(_STATES_GROUP) and fold(alias.alias) in federal
        }

    def find(self, text: str) -> list[TermMatch]:
        """Every institution named in ``text``."""
        return self.matcher.find_all(text)

    def place(self, tokens: Tokens, state_code: str | None) -> list[Placed]:
        """Every institution named in a tokenized text. A federal body's name followed
        by a state's ("Secretaría de Salud del Estado de Chiapas", "DIF Jalisco", "DIF
        Estatal" in a practice of ``state_code``) is that state's body; so is a group of
        the states' bodies named with a state after it ("la Fiscalía General del Estado
        de Oaxaca") or in a state's practice ("el Registro Civil" of Nuevo León); states
        listed as parties name their governments (:meth:`_governments_listed`), and so
        do countries named as Mexico's partners (:func:`_countries_as_parties`)."""
        openings, placed = self._governments_listed(tokens.text)
        placed += _countries_as_parties(tokens.text)
        listed, listed_spans = self._secretariats_listed(tokens.text, state_code)
        named_until = 0  # where the last state's body named after a federal name ends
        for match in self.matcher.find_in(tokens):
            if any(start < match.end and match.start < end for start, end in listed_spans):
                continue  # one of the bodies of a list of secretariats, placed apart
            if match.start < named_until:
                continue  # its acronym: "Servicios Estatales de Salud (SESA) de Chiapas"
            # "los gobiernos de las entidades federativas de Nuevo León y ..." names those
            # states' governments, not the states' governments as a group.
            if any(start <= match.start and match.end <= end for start, end in openings):
                continue
            institution = self.by_id[match.key]
            state, end = (None, match.end)
            if institution.kind == "federal" or _is_states_group(institution):
                state, end = _state_after(tokens.text, match, state_code)
            # A state printed after the name may be the first of several.
            more_states = state is not None and not _STATEWIDE.match(tokens.text, match.end)
            if state is None and state_code and _names_one(tokens.text, match, institution):
                state = state_code
            twin = self.state_twins.get(match.key)
            if state is None and state_code and twin and not _FEDERAL.match(tokens.text, end):
                placed.append(
                    self._state_body(tokens.text, match, self.by_id[twin], state_code, end)
                )
                continue
            if state is None:
                placed.append(Placed(match.key, match.start, match.end, match.found, None))
                continue
            placed.append(self._state_body(tokens.text, match, institution, state, end))
            named_until = end
            # "... de Baja California, Chiapas y Chihuahua": each listed state's body.
            for other, other_end in _more_states(tokens.text, end) if more_states else ():
                placed.append(
                    self._state_body(tokens.text, match, institution, other, other_end, listed=True)
                )
                named_until = other_end
        return sorted(placed + listed, key=lambda found: found.start)

    def _secretariats_listed(
        self, text: str, state_code: str | None
    ) -> tuple[list[Placed], list[tuple[int, int]]]:
        """The secretariats of one government a plural lists by what each is of ("las
        Secretarías de Salud, del Trabajo y Fomento al Empleo y de Inclusión y Bienestar
        Social": three bodies), each placed as its singular name would be; and where each
        list is. A list with a secretariat the reference does not hold is left to the
        names matched in it."""
        placed: list[Placed] = []
        spans: list[tuple[int, int]] = []
        if "ecretarías" not in text and "ecretarias" not in text:
            return placed, spans  # what the pattern needs, found at C speed
        for head in _SECRETARIATS.finditer(text):
            items: list[tuple[int, int]] = []
            position = head.end()
            while item := _SECRETARIAT_OF.match(text, position):
                items.append(item.span())
                separator = _NEXT_OF.match(text, item.end())
                if separator is None:
                    break
                position = separator.end()
            if len(items) < 2:
                continue  # "las Secretarías de Salud" alone: one name, matched as printed
            bodies = [self._secretariat(text, item, state_code) for item in items]
            if None in bodies:
                continue
            for index, ((item_start, end), body) in enumerate(zip(items, bodies, strict=True)):
                assert body is not None
                # The first is printed with the plural: "Secretarías de Salud".
                start = head.start() if index == 0 else item_start
                placed.append(replace(body, start=start, end=end, found=text[start:end]))
            spans.append((head.start(), items[-1][1]))
        return placed, spans

    def _secretariat(
        self, text: str, item: tuple[int, int], state_code: str | None
    ) -> Placed | None:
        """The body "Secretaría" and ``item`` ("del Trabajo y Fomento al Empleo") name,
        when it is one the reference holds."""
        name = "Secretaría " + " ".join(text[item[0] : item[1]].split())
        found = self.place(Tokens(name), state_code)
        whole = [body for body in found if body.start == 0 and body.end == len(name)]
        return whole[0] if whole else None

    def _state_body(
        self,
        text: str,
        match: TermMatch,
        institution: Institution,
        state: str,
        end: int,
        *,
        listed: bool = False,
    ) -> Placed:
        """The body of ``state`` that a federal body's or a group's name names: the
        reference's row when it has one (``MX-TAB-SNE``, ``MX-CHP-FGE``), else a row made
        from the words printed (``listed``: from the body's name alone, its state one of
        several printed after it)."""
        found = " ".join(text[match.start : end].split())
        suffix = institution.institution_id.removeprefix(_STATES_GROUP)
        # Words that name no state ("el Registro Civil", "DIF Estatal"): the state is said.
        state_name = self._state_name(state)
        named = " ".join(match.found.split()) if listed else found
        name = named if fold(state_name) in fold(named) else f"{named} ({state_name})"
        # The states' governments as a group (ESTATALES-GOB): one state's is GOB-MX-XXX.
        known = self.state_governments.get(state) if suffix == "GOB" else None
        known = known or (f"{state}-{suffix}" if f"{state}-{suffix}" in self.by_id else None)
        if known:
            return Placed(known, match.start, end, found, None)
        named_after = "group" if _is_states_group(institution) else "federal"
        body = Institution(
            institution_id=f"{state}-{suffix}",
            name_es=name,
            kind="state",
            parent_id=self.state_governments.get(state),
            state_code=state,
            glossary_name=None,
            match_acronym=False,
            source=f"The body of {state} that its text names after the {named_after} "
            f"{institution.institution_id} ({found!r})",
        )
        return Placed(body.institution_id, match.start, end, found, body)

    def _state_name(self, state: str) -> str:
        return next(item.name_es for item in mexican_states() if item.state_code == state)

    def _governments_listed(self, text: str) -> tuple[list[tuple[int, int]], list[Placed]]:
        """The governments of the states a text lists as parties ("coordinarse con los
        estados de Baja California, Sonora y Tamaulipas", "los gobiernos de las entidades
        federativas de Nuevo León y Baja California"): each state's name is its
        government's. States named as places ("en los estados de ...") are not. Also
        where each list opens."""
        openings: list[tuple[int, int]] = []
        placed: list[Placed] = []
        lowered = text.lower()
        if not any(word in lowered for word in ("estados", "entidades", "estatales")):
            return openings, placed  # each opening holds one of these words
        for opening in _STATES_AS_PARTIES.finditer(text):
            states = list(_listed(text, opening.end(), state_matcher()))
            for key, start, end in states:
                government = self.state_governments.get(key)
                if government:
                    placed.append(Placed(government, start, end, text[start:end], None))
            if states:
                openings.append(opening.span())
        return openings, placed

    def mentions(self, text: str) -> Mentions:
        """Institutions named in ``text``, with counts and the first spelling found."""
        return Mentions.of(self.find(text))


def _countries_as_parties(text: str) -> list[Placed]:
    """The governments of the countries a text names as Mexico's partners ("el Diálogo
    Consular entre México y Estados Unidos", "diálogos bilaterales entre Guatemala, Belice
    y México", "un mecanismo conformado por México, El Salvador, Guatemala y Honduras"),
    or as governments ("repatriadas por el gobierno de los Estados Unidos de América"):
    each country's name is its government's.

    >>> [(p.institution_id, p.found) for p in _countries_as_parties(
    ...     "conformado por México, El Salvador, Guatemala y Honduras empezó a operar")]
    [('GOB-SLV', 'El Salvador'), ('GOB-GTM', 'Guatemala'), ('GOB-HND', 'Honduras')]
    >>> _countries_as_parties("la población que migra entre México y los E.U.A.")
    []
    >>> _countries_as_parties("en la frontera entre México y Guatemala")
    []
    >>> [p.institution_id for p in _countries_as_parties("los gobiernos de Guatemala y Belice")]
    ['GOB-GTM', 'GOB-BLZ']
    >>> [p.found for p in _countries_as_parties("menores repatriados por EUA, y a 83 más")]
    ['EUA']
    """
    placed: list[Placed] = []
    for opening in _openings_of_countries(text):
        among = opening.group("among") or opening.group("among_last")
        before = text[max(0, opening.start() - 80) : opening.start()].rsplit(". ", 1)[-1]
        after_list = text[opening.end() : opening.end() + 80].split(". ", 1)[0]
        if among and (
            _MOVEMENT_BEFORE.search(before) or not _PARTNERSHIP.search(before + " " + after_list)
        ):
            continue  # "la migración entre México y Estados Unidos": places, not parties
        listed = list(_listed(text, opening.end(), country_matcher()))
        if opening.group("among_last"):
            # "entre Guatemala, Belice y México": Mexico last, after "y", or the list is
            # of other countries ("entre Guatemala y Honduras, y México ...").
            if len(listed) < 2 or listed[-1][0] != MEXICO:
                continue
            if not _LAST_OF_LIST.fullmatch(text, listed[-2][2], listed[-1][1]):
                continue
            listed = listed[:-1]
        for key, start, end in listed:
            if key == MEXICO:
                if opening.group("governments"):
                    continue  # "los gobiernos de México y Guatemala": Mexico's is its own
                break
            partner = country(key)
            government = Institution(
                institution_id=f"GOB-{partner.country_code}",
                name_es=f"Gobierno de {partner.name_es}",
                kind="foreign",
                parent_id=None,
                state_code=None,
                glossary_name=None,
                match_acronym=False,
                source=f"The government of a country that its text names as Mexico's "
                f"partner, or as a government: {partner.name_en} ({text[start:end]!r})",
            )
            placed.append(
                Placed(government.institution_id, start, end, text[start:end], government)
            )
    return placed


def _openings_of_countries(text: str) -> list[re.Match[str]]:
    """Where ``text`` opens a list of countries as parties or governments
    (:data:`_COUNTRIES_AS_PARTIES`), in reading order: the words an opening starts with are
    found at C speed, and the pattern tried only where one is printed."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter that lowers to two: offsets would shift
        return list(_COUNTRIES_AS_PARTIES.finditer(text))
    found = []
    for word in _OPENING_WORDS:
        at = lowered.find(word)
        while at != -1:
            if match := _COUNTRIES_AS_PARTIES.match(text, at):
                found.append(match)
            at = lowered.find(word, at + 1)
    return sorted(found, key=lambda match: match.start())


def _listed(text: str, base: int, matcher: TermMatcher) -> Iterator[tuple[str, int, int]]:
    """The terms of ``matcher`` listed one after another from ``base`` ("Baja California,
    Sonora y Tamaulipas"): each one's key and span, the first right at ``base``. The text
    is read a window at a time, not to its end: a list is short, the text may be long."""
    after = base
    while True:
        origin, stop = after, after + _LIST_WINDOW
        cut = stop < len(text)
        for found in matcher.find_all(text[origin:stop]):
            start, end = origin + found.start, origin + found.end
            if cut and end > stop - _LONGEST_LISTED:
                if start - after > _LONGEST_LISTED:
                    return  # too far from the last one to be the next in the list
                break  # the window may cut it: read on from the last one
            between = text[after:start]  # nothing before the first; a separator after it
            joined = not between if after == base else _LIST_SEPARATOR.fullmatch(between)
            if not joined:
                return
            yield found.key, start, end
            after = end
        else:
            if not cut or after < stop - _LONGEST_LISTED:
                return  # the list ends within the window


# How much of a text a list is read in at a time, and more than the longest name of a
# state or country and the separator before it.
_LIST_WINDOW = 400
_LONGEST_LISTED = 80


# Mexico and the countries it takes part with: the members of a body ("conformado por
# México, El Salvador, ...", "integrado por nuestro país, Ecuador, ..."), or the other
# parties of an agreement, a dialogue, a body "entre" Mexico and them (which may also be
# a border or people moving between them); and countries named as governments ("el
# gobierno de los Estados Unidos", "los gobiernos de Guatemala y Belice"), or as the
# one that sends people back ("menores repatriados por EUA").
_COUNTRIES_AS_PARTIES = re.compile(
    r"(?<!\w)(?:(?P<among>entre\s+M[eé]xico\s+y)"
    # Mexico last: the dots of an abbreviation ("EE.UU.") do not end the sentence.
    r"|(?P<among_last>entre)(?=\s+(?:[^.;]|\.(?=\S)|(?<=[A-Z])\.){1,200}?\sy\s+M[eé]xico\b)"
    r"|(?P<members>(?:conformad|integrad)[oa]s?\s+por\s+(?:M[eé]xico|nuestro\s+pa[ií]s)\s*,)"
    # A government, not the seat or the ministry "de Gobierno" of a country.
    r"|(?P<governments>(?<!de\s)gobiernos?\s+del?|(?:repatriad|deportad|expulsad)[oa]s?\s+por))"
    r"\s+(?-i:(?:los|el|la)\s+)?",  # "El Salvador" opens with a capital
    re.IGNORECASE,
)
# Between the last partner and Mexico, named last "entre" them: "y" alone, no comma.
_LAST_OF_LIST = re.compile(r"\s+y\s+")
# The words the pattern opens with, in lower case.
_OPENING_WORDS = (
    "entre",
    "conformad",
    "integrad",
    "gobierno",
    "repatriad",
    "deportad",
    "expulsad",
)
# What makes the countries "entre" parties, in the sentence around them.
_PARTNERSHIP = re.compile(
    r"\b(?:acuerdos?|convenios?|di[aá]logos?|mecanismos?|declaraci[oó]n|memor[aá]ndum|"
    r"comit[eé]s?|comisi[oó]n|grupos?|cooperaci[oó]n|bilateral(?:es)?|binacional(?:es)?|"
    r"instrumentad[oa]s?|firmad[oa]s?|suscrit[oa]s?)\b",
    re.IGNORECASE,
)
# People or goods moving between the countries, or what lies between them, right before
# "entre".
_MOVEMENT_BEFORE = re.compile(
    r"(?:migr\w*|movilidad|flujos?|tr[aá]nsito|frontera|l[ií]mites?|comercio|vuelos?|"
    r"diferencias?|distancia)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Placed:
    """An institution named in a text, where, and the body it is when the reference
    does not hold it (a state's body named after a federal one, a partner country's
    government)."""

    institution_id: str
    start: int
    end: int
    found: str
    new_body: Institution | None


# What links a federal body's name to a state's: "del Estado de", "de", "del Gobierno
# del Estado de", "de la" (Ciudad de México); an acronym may be followed by the state's
# name alone ("DIF Jalisco"), or by "Estatal".
_OF_STATE = re.compile(
    r"(?:\s*\([^()]{1,20}\))?\s+(?:del\s+Gobierno\s+)?"
    r"(?:(?:del|en\s+el)\s+Estado\s+(?:Libre\s+y\s+Soberano\s+)?de\s+(?!M[eé]xico\b)"
    r"|del\s+(?=Estado\s+de\s+M[eé]xico\b)|de\s+la\s+(?=Ciudad\s+de\s+M[eé]xico\b)|de\s+)"
)
# A list of states that take part: after "con los estados de", "los gobiernos de los
# estados de", "los gobiernos de las entidades federativas de", "las autoridades
# estatales de" ("a los estados de" may be where people go).
_STATES_AS_PARTIES = re.compile(
    r"\b(?:con\s+los\s+estados|gobiernos\s+de\s+(?:los\s+estados|las\s+entidades"
    r"(?:\s+federativas)?)|autoridades\s+estatales)\s+de\s+",
    re.IGNORECASE,
)
# Between two states of a list: a comma, "y" or "e", or both.
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:[ye]\s+)?|\s+[ye]\s+")
_ACRONYM_STATE = re.compile(r"\s+(?=[A-ZÁÉÍÓÚ])")
_STATEWIDE = re.compile(r"\s+[Ee]statal\b")
# A plural "Secretarías" before what each is of: "las secretarías de Gobernación y de
# Relaciones Exteriores".
_SECRETARIATS = re.compile(r"\b[Ss]ecretar[ií]as\s+(?=del?\s)")
# What one of them is of: "de"/"del", then the capitalised words of a name and the small
# words between them, but not the "y de" that opens the next.
_SECRETARIAT_OF = re.compile(
    r"del?\s+[A-ZÁÉÍÓÚÑ]\w*"
    r"(?:\s+(?!y\s+del?\s)(?:(?:y|e|de|del|la|las|los|al|a|para)\s+)*[A-ZÁÉÍÓÚÑ]\w*)*"
)
# Between two of them: a comma, "y", or both.
_NEXT_OF = re.compile(r"\s*,\s*(?:y\s+)?(?=del?\s)|\s+y\s+(?=del?\s)")
# "la Secretaría de Salud federal": the federal body, even in a state's practice.
_FEDERAL = re.compile(r"\s+[Ff]ederal\b")


# The id of a row that stands for one kind of body of every state: ESTATALES-FGE, the
# states' prosecutors' offices; a state's own is MX-XXX-FGE.
_STATES_GROUP = "ESTATALES-"


@cache
def _not_bodies() -> frozenset[str]:
    return frozenset(fold(name) for name in not_institutions())


def names_no_body(name: Name) -> bool:
    """Whether a name shaped like a body's names something else (a document, a system, a
    fund), as ``not_institutions.csv`` says."""
    return fold(" ".join(name.text.split())) in _not_bodies()


# "de", "del", "de la" ... right before a body's name: it is the parent in a longer name.
_OF_BEFORE = re.compile(rf"\b{OF}\s+$")
# ... or the parent of the body whose acronym comes before: "el Instituto Nacional de
# Migración (INM) de la Secretaría de Gobernación", after its name or its acronym.
_OF_AFTER_ACRONYM = re.compile(rf"\s*\([A-ZÁÉÍÓÚÑ][\w.-]*\)\s+{OF}\s+")
_OF_AFTER_BRACKET = re.compile(rf"\)\s+{OF}\s+")
# The acronym printed after a body's name: "(SRE)".
_ACRONYM_AFTER = re.compile(r"\s*\(")


def apart_from_longer_names(
    placed: Iterable[Placed], names: Iterable[Name], text: str
) -> list[Placed]:
    """The bodies a text names on their own: a body named inside a longer body's name,
    after "de" ("Dirección de Operaciones de Búsqueda de la CNB", "... de la Secretaría de
    Relaciones Exteriores"), is part of that name, whether or not the reference holds
    the longer body (if not, it is an unplaced name), and not a mention of its own; so
    is a body named after another's acronym ("el Instituto Nacional de Migración (INM) de
    la Secretaría de Gobernación"), that body's parent."""
    spans = [
        (name.start, name.end)
        for name in names
        if name.kind is NameKind.BODY and not names_no_body(name)
    ]
    kept: list[Placed] = []
    part_ends = -1  # where the last body taken as part of a longer name ends
    for found in sorted(placed, key=lambda found: found.start):
        inside = any(start < found.start and found.end <= end for start, end in spans)
        if inside and _OF_BEFORE.search(text[max(0, found.start - 12) : found.start]):
            part_ends = found.end
        elif inside and _ACRONYM_AFTER.fullmatch(text, part_ends, found.start):
            part_ends = found.end  # its acronym: "... de la Secretaría de ... (SRE)"
        elif kept and _parent_after_acronym(text, kept[-1], found):
            part_ends = found.end
        else:
            kept.append(found)
    return kept


def _parent_after_acronym(text: str, body: Placed, found: Placed) -> bool:
    """Whether ``found`` follows ``body``'s acronym and "de": "el Instituto Nacional de
    Migración (INM) de la Secretaría de Gobernación" (``body`` the name or the acronym)."""
    if _OF_AFTER_ACRONYM.fullmatch(text, body.end, found.start):
        return True
    in_brackets = text[body.start - 1 : body.start] == "(" and body.found.isupper()
    return in_brackets and bool(_OF_AFTER_BRACKET.fullmatch(text, body.end, found.start))


def _is_states_group(institution: Institution) -> bool:
    return institution.institution_id.startswith(_STATES_GROUP)


# After a plural name, more bodies of the same government: "las Secretarías de Salud,
# del Trabajo y de Inclusión" are one state's secretariats.
_MORE_OF_ONE = re.compile(r"\s*,\s*del?\s")


_PLURAL_ARTICLE = re.compile(r"\b(?:las|los)\s+$", re.IGNORECASE)


def _names_one(text: str, match: TermMatch, institution: Institution) -> bool:
    """Whether a group of the states' bodies is named as one body (in a state's practice,
    that state's): in the singular ("el Registro Civil", "SEDIF"), or as several of one
    government. "Las Fiscalías estatales" and "las CLB" are every state's."""
    if not _is_states_group(institution):
        return False
    first = match.found.split()[0]
    # An acronym has no plural ending: its article has ("las CLB del Sureste Mexicano").
    plural = (first.endswith("s") and not first.isupper()) or bool(
        _PLURAL_ARTICLE.search(text, max(0, match.start - 5), match.start)
    )
    return not plural or bool(_MORE_OF_ONE.match(text, match.end))


def _state_after(text: str, match: TermMatch, state_code: str | None) -> tuple[str | None, int]:
    """The state named right after a federal body's name, and where that name ends."""
    statewide = _STATEWIDE.match(text, match.end)
    if statewide and state_code:
        return state_code, statewide.end()
    link = _OF_STATE.match(text, match.end)
    if link is None and _is_acronym(match.found):
        link = _ACRONYM_STATE.match(text, match.end)
    if link is None:
        return None, match.end
    for found in state_matcher().find_all(text[link.end() : link.end() + 60]):
        if found.start == 0 and found.found[:1].isupper():  # a name, not a demonym
            return found.key, link.end() + found.end
        break
    return None, match.end


def _more_states(text: str, end: int) -> list[tuple[str, int]]:
    """The states listed right after the one a body's name ends with, at ``end``, and
    where each ends: "de Baja California, Chiapas y Chihuahua" names three. A list ends
    with "y" before its last: in "de Chiapas, Oaxaca firmó", Oaxaca opens a clause."""
    separator = _LIST_SEPARATOR.match(text, end)
    if separator is None:
        return []
    listed = []
    last_end = end
    for key, start, state_end in _listed(text, separator.end(), state_matcher()):
        if not text[start].isupper():
            break  # a demonym, not a name
        listed.append((key, state_end, text[last_end:start]))
        last_end = state_end
    # The list is as long as its last "y": a state after a comma alone is no part of it.
    while listed and not _CONJUNCTION.search(listed[-1][2]):
        listed.pop()
    return [(key, state_end) for key, state_end, _ in listed]


# The conjunction before the last item of a list.
_CONJUNCTION = re.compile(r"\b[ye]\b")


def _mode(name: str) -> MatchMode:
    """How a name is matched: an acronym as written; a name of one word with its capital
    ("Sigue", a remittance company, is not the verb "sigue"), unless it is a plural, a
    common noun for a class of bodies ("los ayuntamientos"); a longer name in any case."""
    if _is_acronym(name):
        return MatchMode.EXACT
    one_word = len(name.split()) == 1
    return MatchMode.PROPER if one_word and not name.endswith("s") else MatchMode.ANY


def _words(text: str) -> str:
    return " ".join(text.replace(",", " ").split())


def _is_acronym(text: str) -> bool:
    return " " not in text and text == text.upper()


def _state_forms(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [
        item.name for item in state_names() if item.state_code in wanted and item.kind != "demonym"
    ]


def build_registry(glossary: Sequence[GlossaryEntry]) -> InstitutionRegistry:
    """Merge the document's glossary with the curated institutions and aliases.

    Raises :class:`ResolutionError` listing every glossary acronym without a curated
    row, every curated row that names an unknown parent, state or kind, and every alias
    that points nowhere or to two institutions.
    """
    curated = {row.institution_id: row for row in curated_institutions()}
    from_glossary = {canonical_id(entry.acronyms[0]): entry for entry in glossary}
    problems: list[str] = []
    problems += [
        f"glossary acronym {acronym} (line {entry.line_no}) is not in institutions.csv"
        for acronym, entry in from_glossary.items()
        if acronym not in curated
    ]
    institutions: list[Institution] = []
    for institution_id, row in curated.items():
        entry = from_glossary.get(institution_id)
        if entry is not None and row.name_es:
            problems.append(f"{institution_id}: named by the glossary; leave name_es empty")
        if entry is None and not row.name_es:
            problems.append(f"{institution_id}: not in the glossary and has no name_es")
        institutions.append(
            Institution(
                institution_id=institution_id,
                name_es=display_name(entry.name) if entry else row.name_es,
                kind=row.kind,
                parent_id=row.parent_id or None,
                state_code=row.state_code or None,
                glossary_name=entry.name if entry else None,
                match_acronym=row.match_acronym,
                source=row.source,
            )
        )
    aliases = _aliases(from_glossary, curated_aliases())
    registry = InstitutionRegistry(tuple(institutions), tuple(aliases))
    problems += _check(registry)
    if problems:
        raise ResolutionError("institution reference data: " + "; ".join(problems))
    return registry


def _aliases(glossary: dict[str, GlossaryEntry], curated: Sequence[CuratedAlias]) -> list[Alias]:
    """Printed acronyms other than the id (INAMI, SALUD, G.N), then the curated aliases.

    A curated row for a glossary spelling (``SALUD``: an ordinary word) decides whether
    it is matched in the text.
    """
    curated_by_alias = {row.alias: row for row in curated}
    aliases: list[Alias] = []
    for institution_id, entry in glossary.items():
        for acronym in entry.acronyms:
            if acronym == institution_id:
                continue
            override = curated_by_alias.pop(acronym, None)
            aliases.append(
                Alias(
                    alias=acronym,
                    institution_id=institution_id,
                    match_in_text=override.match_in_text if override else True,
                    source=override.source
                    if override
                    else f"Annex glossary (line {entry.line_no})",
                )
            )
    aliases += [
        Alias(row.alias, row.institution_id, row.match_in_text, row.source)
        for row in curated
        if row.alias in curated_by_alias
    ]
    return aliases


def _check(registry: InstitutionRegistry) -> list[str]:
    problems: list[str] = []
    ids = registry.by_id
    states = {state.state_code for state in mexican_states()}
    for institution in registry.institutions:
        if institution.kind not in KINDS:
            problems.append(f"{institution.institution_id}: unknown kind {institution.kind!r}")
        if institution.parent_id and institution.parent_id not in ids:
            problems.append(f"{institution.institution_id}: unknown parent {institution.parent_id}")
        if institution.state_code and institution.state_code not in states:
            problems.append(f"{institution.institution_id}: unknown state {institution.state_code}")
        # A state row without a state stands for the bodies of every state
        # ("Fiscalías estatales"), a municipal one for those of every municipality.
        if institution.state_code and institution.kind not in ("state", "municipal"):
            problems.append(
                f"{institution.institution_id}: only state and municipal bodies have a state"
            )
        if institution.kind == "state" and not institution.state_code and institution.parent_id:
            problems.append(
                f"{institution.institution_id}: a state body without a state stands for "
                "those of every state, and has no parent"
            )
    seen: dict[str, str] = {}
    for alias in registry.aliases:
        if alias.institution_id not in ids:
            problems.append(f"alias {alias.alias!r} points to unknown {alias.institution_id}")
        key = fold(_words(alias.alias))
        if seen.get(key) == alias.institution_id:
            problems.append(f"alias {alias.alias!r} is listed twice")
        elif seen.setdefault(key, alias.institution_id) != alias.institution_id:
            problems.append(
                f"alias {alias.alias!r} names both {seen[key]} and {alias.institution_id}"
            )
    return problems
