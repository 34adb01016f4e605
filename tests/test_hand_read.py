"""The hand-read references of tags (tests/fixtures/hand_read/: the random sample, the
trap cases and the held-out draws): each drawn as its ``about`` says, and every piece of
evidence in it printed in the practice it names."""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from gcm_open.parse import Compendium, Practice
from gcm_open.sources import SourceDocument

# The comparison script, which declares the references, is a script, not a package.
sys.path.insert(0, str(REPO / "scripts"))
from tagging_quality import (
    KINDS_READ,
    REFERENCES,
    SECOND_READINGS,
    agreement,
    compare,
    table,
)


def _reference(name: str) -> dict[str, Any]:
    reference: dict[str, Any] = json.loads((FIXTURES / "hand_read" / name).read_text("utf-8"))
    return reference


# The held-out draws in the order they were read, as the comparison script lists them;
# from the second on, read for populations too.
LATER_DRAWS = {
    name: json.loads(path.read_text("utf-8"))
    for name, path in REFERENCES.items()
    if name.startswith("heldout-")
}
HELDOUTS = {"heldout": _reference("institutions_heldout.json"), **LATER_DRAWS}
# Draws read a second time, apart from the first reading.
READ_TWICE = {
    f"{name}-second": json.loads(path.read_text("utf-8")) for name, path in SECOND_READINGS.items()
}


REFERENCE = _reference("practices.json")


def _text(practice: Practice, part: str) -> str:
    texts = {
        "title": practice.title,
        "description": practice.description,
        "results": practice.results or "",
        "challenges": practice.challenges or "",
    }
    chosen = texts.get(part) or " ".join(texts.values())
    return " ".join(chosen.split())


def test_the_sample_is_the_one_its_seed_draws(compendium: Compendium) -> None:
    drawn = random.Random(REFERENCE["seed"]).sample(range(len(compendium.practices)), 54)
    expected = sorted(compendium.practices[index].practice_id for index in drawn)
    assert [practice["practice_id"] for practice in REFERENCE["practices"]] == expected


@pytest.mark.parametrize(
    "reference",
    [REFERENCE, *LATER_DRAWS.values(), *READ_TWICE.values()],
    ids=["sample", *LATER_DRAWS, *READ_TWICE],
)
def test_every_tag_is_in_the_vocabulary_and_its_evidence_in_the_text(
    reference: dict[str, Any], practices_by_id: dict[str, Practice]
) -> None:
    path = REPO / "src" / "gcm_open" / "data" / "reference" / "populations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        vocabulary = {row["population_id"] for row in csv.DictReader(handle)}
    for entry in reference["practices"]:
        practice = practices_by_id[entry["practice_id"]]
        for tag in entry["target_populations"] + entry["reached_populations"]:
            assert tag["population_id"] in vocabulary, entry["practice_id"]
            evidence = " ".join(tag["evidence"].split())
            assert evidence in _text(practice, tag["part"]), (entry["practice_id"], evidence)


@pytest.mark.parametrize("reference", ["sample", "traps", *HELDOUTS])
def test_the_readme_shows_the_figures_of_the_committed_package(reference: str) -> None:
    package = REPO / "datapackage"
    expected, found = compare(package, REFERENCES[reference], footnotes_read=reference == "traps")
    rows = table(expected, found, KINDS_READ[reference])
    assert "\n".join(rows) in (REPO / "README.md").read_text("utf-8")


def test_the_trap_cases_are_apart_from_the_sample_and_their_evidence_is_printed(
    practices_by_id: dict[str, Practice],
) -> None:
    traps = json.loads((FIXTURES / "hand_read" / "traps.json").read_text("utf-8"))
    sample = {entry["practice_id"] for entry in REFERENCE["practices"]}
    assert len(traps["practices"]) == 17
    for entry in traps["practices"]:
        assert entry["practice_id"] not in sample
        practice = practices_by_id[entry["practice_id"]]
        for tag in entry["target_populations"] + entry["reached_populations"]:
            # A reader may shorten a quotation with "..." or join two with "; ", from
            # different parts.
            for piece in re.split(r"\.\.\.|; ", " ".join(tag["evidence"].split())):
                assert piece.strip() in _text(practice, ""), (entry["practice_id"], piece)


def test_the_heldout_samples_are_the_ones_their_seeds_draw(compendium: Compendium) -> None:
    # Each draw leaves out every practice read before it: the random sample, then each
    # draw in turn, and the trap cases, read after the first.
    read = {entry["practice_id"] for entry in REFERENCE["practices"]}
    for name, heldout in HELDOUTS.items():
        pool = [p.practice_id for p in compendium.practices if p.practice_id not in read]
        # 24 each; the last, every practice no one had read.
        expected = sorted(random.Random(heldout["seed"]).sample(pool, min(24, len(pool))))
        assert [practice["practice_id"] for practice in heldout["practices"]] == expected, name
        read |= {entry["practice_id"] for entry in heldout["practices"]}
        if name == "heldout":
            read |= {entry["practice_id"] for entry in _reference("traps.json")["practices"]}


@pytest.mark.parametrize("name", READ_TWICE)
def test_a_second_reading_reads_its_draw_and_shows_its_agreement_in_the_readme(name: str) -> None:
    first = LATER_DRAWS[name.removesuffix("-second")]
    second = READ_TWICE[name]
    assert [p["practice_id"] for p in second["practices"]] == [
        p["practice_id"] for p in first["practices"]
    ]
    draw = name.removesuffix("-second")
    expected, found = agreement(REPO / "datapackage", REFERENCES[draw], SECOND_READINGS[draw])
    rows = table(expected, found, KINDS_READ[draw])
    assert "\n".join(rows) in (REPO / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    "heldout", [*HELDOUTS.values(), *READ_TWICE.values()], ids=[*HELDOUTS, *READ_TWICE]
)
def test_every_heldout_body_is_printed_where_its_reader_says(
    heldout: dict[str, Any], source: SourceDocument, practices_by_id: dict[str, Practice]
) -> None:
    lines = source.text.splitlines()
    for entry in heldout["practices"]:
        practice = practices_by_id[entry["practice_id"]]
        for body in entry["mentioned_institutions"]:
            printed = " ".join(body["printed"].split())
            assert printed in _text(practice, ""), (entry["practice_id"], printed)
            # A name may run over onto the next line: its first word is on the line given.
            assert printed.split()[0] in lines[body["line"] - 1], (entry["practice_id"], printed)
