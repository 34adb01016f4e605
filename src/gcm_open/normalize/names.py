"""Proper names in Spanish text: bodies, laws, programmes and events, by their shape.

A name opens with the word that says what it names (``Secretaría``, ``Ley``,
``Programa``, ``Día``: ``name_heads.csv``) and goes on in capitalised words, joined by
the particles a Spanish title keeps in lower case ("Comisión Mexicana de Ayuda a
Refugiados"); it ends on a capitalised word, before a particle that opens another name
("... Exteriores y la Secretaría de ..."). A civil association's name is known by what
follows it instead (", A.C."). The shape is what tells a name from the text
around it, whether or not the reference data knows the name: the words of a group inside
a name do not say whom a practice serves, and a body the reference lacks is reported,
not skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from gcm_open.normalize.text import word_alternation
from gcm_open.reference import name_heads


class NameKind(StrEnum):
    """What a name names."""

    BODY = "body"
    LAW = "law"
    PROGRAMME = "programme"
    EVENT = "event"


_KIND_OF_HEAD = {head: NameKind(kind) for head, kind in name_heads()}
# The heads as trees of their letters: a name is looked for at every word of a text.
_HEAD = word_alternation(_KIND_OF_HEAD)
_BODY_HEAD = word_alternation(h for h, k in _KIND_OF_HEAD.items() if k is NameKind.BODY)
# The letters a head opens with: the places where none does fail at once.
_HEAD_FIRST = "".join(sorted({re.escape(head[0]) for head in _KIND_OF_HEAD}))
# A capitalised word of two letters or more: a letter alone ends a name ("... A)" opens
# a list item).
_CAPITALISED = r"[A-ZÁÉÍÓÚÑÜ][\w'’]+"
# Names that list groups go on after a comma: "... de Niñas, Niños y Adolescentes".
_LISTED = r"(?:Niñas|Niños|Adolescentes|Mujeres|Jóvenes|Protección)\b"
# Spaces within a paragraph: a name does not go on past a paragraph's end.
_SPACE = r"[^\S\n]+"
_PARTICLE = r"(?:de|del|la|las|los|el|para|y|e|en|a|al|con|contra|sobre|por)"
# Bodies of every state or municipality are named in lower case: "Fiscalías estatales",
# "Defensorías municipales de NNA", "Institutos (municipales y estatales) de ...".
_LEVEL = r"(?:estatal|municipal|local|federal)(?:es)?\b"
_LEVELS = rf"(?:{_SPACE}{_LEVEL}|{_SPACE}\({_LEVEL}(?:{_SPACE}y{_SPACE}{_LEVEL})?\))"
# "de", "del", "de la": a body's name that follows belongs to the name ("Dirección General
# de Servicios Consulares de la Secretaría de Relaciones Exteriores" is one name); a
# programme's or a law's does not ("Grupo de Trabajo ... del Plan de Trabajo").
OF = rf"(?:del|de(?:{_SPACE}(?:la|las|los|el))?)"
# A name: its head, then capitalised words, each maybe after particles, none a new head
# after a particle other than "de" ("... Exteriores y la Secretaría de Salud" are two);
# and the acronym printed after it.
_NAME = re.compile(
    rf"(?=[{_HEAD_FIRST}])\b(?P<head>{_HEAD})\b"
    rf"(?:{_SPACE}{_CAPITALISED}|{_SPACE}\d[\d-]*\b|,{_SPACE}{_LISTED}|{_LEVELS}"
    rf"|{_SPACE}{OF}{_SPACE}(?=(?:{_BODY_HEAD})\b){_CAPITALISED}"
    rf"|(?:{_SPACE}{_PARTICLE})+{_SPACE}(?!(?:{_HEAD})\b){_CAPITALISED})+"
    rf"(?:{_SPACE}\([A-ZÁÉÍÓÚÑ][\w.-]*\))?"
)


# A civil association says what it is after its name, whatever its first word:
# "Migrantes Unidos en Caravana, A.C."; an article that opens the sentence is not part of
# the name.
_CIVIL_ASSOCIATION = re.compile(
    rf"(?<![\w'’])(?:(?:En|La|El|Los|Las|Con|Por|Para|Y|A|De|Del){_SPACE})?"
    rf"(?P<name>{_CAPITALISED}(?:(?:{_SPACE}{_PARTICLE})*{_SPACE}{_CAPITALISED})*"
    rf",?{_SPACE}A\.(?:{_SPACE})?C\.)"
)


@dataclass(frozen=True)
class Name:
    """A proper name found in a text: its kind and span."""

    kind: NameKind
    start: int
    end: int
    text: str


def proper_names(text: str) -> list[Name]:
    """The names of bodies, laws, programmes and events printed in ``text``.

    >>> [(n.kind.value, n.text) for n in proper_names(
    ...     "con la Comisión Mexicana de Ayuda a Refugiados (COMAR) y la Secretaría de "
    ...     "Salud, según la Ley de Migración; en la Semana Binacional de Salud")]
    [('body', 'Comisión Mexicana de Ayuda a Refugiados (COMAR)'), ('body', 'Secretaría de \
Salud'), ('law', 'Ley de Migración'), ('event', 'Semana Binacional de Salud')]
    """
    names = [
        Name(_KIND_OF_HEAD[match.group("head")], match.start(), match.end(), match.group())
        for match in _NAME.finditer(text)
    ]
    if "A.C." in text or "A. C." in text:
        associations = [
            Name(NameKind.BODY, match.start("name"), match.end("name"), match.group("name"))
            for match in _CIVIL_ASSOCIATION.finditer(text)
        ]
        names += [
            association
            for association in associations
            if not any(
                name.start < association.end and association.start < name.end for name in names
            )
        ]
        names.sort(key=lambda name: name.start)
    return names
