"""Resolve state names printed in the compendium to ISO 3166-2 codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from gcm_open.errors import ResolutionError
from gcm_open.normalize.text import fold, word_pattern
from gcm_open.reference import state_names


@dataclass(frozen=True)
class _CompiledName:
    pattern: re.Pattern[str]
    length: int
    state_code: str


@cache
def _compiled_names() -> tuple[_CompiledName, ...]:
    names = [
        _CompiledName(word_pattern(item.name), len(item.name), item.state_code)
        for item in state_names()
    ]
    # Longest first, so "Baja California Sur" wins over "Baja California".
    return tuple(sorted(names, key=lambda item: -item.length))


def states_named_in(text: str) -> set[str]:
    """ISO 3166-2 codes of the states whose names appear in ``text`` as whole words.

    >>> sorted(states_named_in("Dirección de Atención a Migrantes del Estado de Tlaxcala"))
    ['MX-TLA']
    >>> sorted(states_named_in("Baja California Sur y Estado de México"))
    ['MX-BCS', 'MX-MEX']
    """
    folded = fold(text)
    found: set[str] = set()
    for name in _compiled_names():
        match = name.pattern.search(folded)
        if match:
            found.add(name.state_code)
            # Blank out the match so a shorter name inside it does not match again.
            folded = (
                folded[: match.start()]
                + " " * (match.end() - match.start())
                + folded[match.end() :]
            )
    return found


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
