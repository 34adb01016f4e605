"""Practices read by hand from the compendium, compared exactly with the parser's.

``fixtures/golden_practices.json`` holds 80 practices written down by people reading the
text (not the parser's output): both sections, the first and last practice of several
objectives, the state objectives around the three without activities, and every header
trap of the document: titles over several lines or with blank lines inside, an actor
split across lines or printed without parentheses, inner parentheses before the actor,
a footnote marker glued to a title word or to a heading, lists inside a practice, and
identical titles of different practices. Each record has the line where the practice
starts, its section, objective, number, title, lead label, ``challenges_reported`` and
the first words of its description, results and challenges.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import FIXTURES
from gcm_open.parse import Compendium, Practice

GOLDEN: list[dict[str, Any]] = json.loads(
    (FIXTURES / "golden_practices.json").read_text(encoding="utf-8")
)
# Readers disagreed on whether a bullet is a word; it is not compared.
BULLETS = {"•", "●", "▪", "◦"}


def _first_words(text: str | None, count: int) -> list[str] | None:
    if text is None:
        return None
    return [word for word in text.split() if word not in BULLETS][:count]


@pytest.fixture(scope="module")
def by_start_line(compendium: Compendium) -> dict[int, Practice]:
    return {practice.line_start: practice for practice in compendium.practices}


def test_the_golden_set_is_large_and_covers_both_sections() -> None:
    assert len(GOLDEN) >= 60
    sections = {record["section"] for record in GOLDEN}
    assert sections == {"federal", "state"}
    assert len({(r["section"], r["objective_id"]) for r in GOLDEN}) >= 30


@pytest.mark.parametrize("expected", GOLDEN, ids=[f"line-{r['line']}" for r in GOLDEN])
def test_practice_matches_the_hand_reading(
    expected: dict[str, Any], by_start_line: dict[int, Practice]
) -> None:
    practice = by_start_line.get(expected["line"])
    assert practice is not None, f"no practice starts at line {expected['line']}"
    got = {
        "section": practice.section.value,
        "objective_id": practice.objective_id,
        "number": practice.number,
        "title": practice.title,
        "lead_label": practice.lead_label,
        "challenges_reported": practice.challenges_reported,
    }
    assert got == {key: expected[key] for key in got}
    for key, text in (
        ("description_starts", practice.description),
        ("results_starts", practice.results),
        ("challenges_starts", practice.challenges),
    ):
        wanted = _first_words(expected[key], 8)
        assert _first_words(text, len(wanted) if wanted else 8) == wanted, key
