"""The parser never crashes: mutated copies of the real compendium either parse into a
model that passes the structural checks or raise the project's parse error with a line."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcm_open.errors import GcmOpenError, ParseError
from gcm_open.pages import read_text_pages
from gcm_open.parse import check_structure, parse_compendium
from gcm_open.sources import bundled_source
from gcm_open.tables import build_tables

LINES = bundled_source().text.split("\n")
# Where the practices are: from the first objective header to the annexes.
BODY = range(100, len(LINES) - 400)

_position = st.integers(min_value=BODY.start, max_value=BODY.stop - 1)
_mutation = st.one_of(
    st.tuples(st.just("drop"), _position, st.integers(1, 40)),
    st.tuples(st.just("duplicate"), _position, st.integers(1, 40)),
    st.tuples(st.just("swap"), _position, _position),
    st.tuples(st.just("insert"), _position, st.text(min_size=1, max_size=12)),
)


def _mutate(lines: list[str], mutations: list[tuple[str, int, object]]) -> list[str]:
    lines = list(lines)
    for kind, position, argument in mutations:
        at = min(position, len(lines) - 1)
        if kind == "drop":
            del lines[at : at + int(str(argument))]
        elif kind == "duplicate":
            lines[at:at] = lines[at : at + int(str(argument))]
        elif kind == "swap":
            other = min(int(str(argument)), len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        else:
            column = len(lines[at]) // 2
            lines[at] = lines[at][:column] + str(argument) + lines[at][column:]
    return lines


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_mutation, min_size=1, max_size=4))
def test_a_mutated_compendium_parses_or_fails_with_a_line(
    mutations: list[tuple[str, int, object]],
) -> None:
    text = "\n".join(_mutate(LINES, mutations))
    try:
        compendium = parse_compendium(read_text_pages(text), 2022)
    except ParseError as error:
        assert error.line is None or 1 <= error.line <= len(text.split("\n")) + 1
        assert "\n" not in str(error)
        return
    check_structure(compendium)
    assert len({block.objective_id for block in compendium.blocks}) == 23
    numbers = [p.number for p in compendium.practices]
    assert all(number >= 1 for number in numbers)
    # The tables may refuse what the mutation broke (an unknown label), but only with
    # the project's own errors.
    with contextlib.suppress(GcmOpenError):
        build_tables(compendium)


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_compendium_never_parses_as_complete(cut: float) -> None:
    text = "\n".join(LINES[: int(len(LINES) * cut)])
    with pytest.raises(GcmOpenError):
        build_tables(parse_compendium(read_text_pages(text), 2022))
