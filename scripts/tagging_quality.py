"""Precision and recall of a package's tags against the hand-read practices.

    python scripts/tagging_quality.py [--package datapackage] [--show N]

The reference is ``tests/fixtures/hand_read/practices.json`` (54 practices drawn at random,
read by hand without seeing the tags; its ``about`` says how). Each kind of tag is
compared as a set of (practice, value) pairs:

- populations: the populations a practice targets (reached-only groups are not targets);
- institutions: lead and mentioned institutions, a reference name matched to the
  package's institutions by id, name, glossary name or alias (accents and case ignored);
  a reference body the package cannot name at all counts as missed;
- states and countries: by ISO code (reference names looked up in the package's names);
- links: by URL, without a trailing slash or period, scheme-less domains as printed.

Prints one table row per kind, and with ``--show`` the first N misses and extras.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "tests" / "fixtures" / "hand_read" / "practices.json"
NAMES = REPO / "src" / "gcm_open" / "data" / "reference"

Pair = tuple[str, str]


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _institution_names(package: Path) -> dict[str, str]:
    """Every name or acronym of the package's institutions -> id."""
    names: dict[str, str] = {}
    for row in _rows(package / "data" / "institutions.csv"):
        for name in (row["institution_id"], row["name_es"], row.get("glossary_name", "")):
            if name:
                names[_key(name)] = row["institution_id"]
    for row in _rows(package / "data" / "institution_aliases.csv"):
        names.setdefault(_key(row["alias"]), row["institution_id"])
    return names


def _reference_institution(entry: dict[str, str], names: dict[str, str]) -> str:
    """The package id of a body the reference names, or its name when there is none."""
    candidates = [entry.get("printed", ""), entry.get("name", "")]
    for text in list(candidates):
        acronyms = re.findall(r"\(([^()]+)\)", text)  # "Name (ACRONYM)", "(UPMRIP-SEGOB)"
        candidates += acronyms + [
            part for acronym in acronyms for part in re.split(r"[-/]", acronym)
        ]
        candidates.append(re.sub(r"\s*\([^()]*\)", "", text))
    for candidate in candidates:
        found = names.get(_key(candidate))
        if found:
            return found
    # "Unidad de ... de la Secretaría de Gobernación": the longest package name it starts with.
    for candidate in candidates:
        key = _key(candidate)
        starts = [name for name in names if len(name) >= 12 and key.startswith(name + " ")]
        if starts:
            return names[max(starts, key=len)]
    return f"? {entry.get('name') or entry.get('printed')}"


def _country(name: str) -> str:
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        pass
    try:
        return str(pycountry.countries.search_fuzzy(name)[0].alpha_3)
    except LookupError:
        return f"? {name}"


def _url(text: str) -> str:
    return text.strip().rstrip(".,;)").rstrip("/").lower()


def reference_pairs(package: Path) -> dict[str, set[Pair]]:
    practices = json.loads(REFERENCE.read_text("utf-8"))["practices"]
    names = _institution_names(package)
    states = {_key(row["name"]): row["iso_3166_2"] for row in _rows(NAMES / "mx_states_inegi.csv")}
    for row in _rows(NAMES / "state_names.csv"):
        states.setdefault(_key(row["name"]), row["state_code"])
    pairs: dict[str, set[Pair]] = {kind: set() for kind in KINDS}
    for practice in practices:
        pid = practice["practice_id"]
        targets = practice["target_populations"]
        pairs["populations"] |= {(pid, tag["population_id"]) for tag in targets}
        lead = {"printed": practice["lead_institution"], "name": practice["lead_institution"]}
        bodies = [lead, *practice["mentioned_institutions"]]
        pairs["institutions"] |= {(pid, _reference_institution(body, names)) for body in bodies}
        pairs["states"] |= {
            (pid, states.get(_key(state["name"]), f"? {state['name']}"))
            for state in practice["states"]
        }
        countries = practice["countries"]
        pairs["countries"] |= {(pid, _country(country["name"])) for country in countries}
        pairs["links"] |= {(pid, _url(link["url"])) for link in practice["links"]}
    return pairs


def package_pairs(package: Path, practices: set[str]) -> dict[str, set[Pair]]:
    data = package / "data"

    def of(table: str, column: str, value: Callable[[str], str] = str) -> set[Pair]:
        return {
            (row["practice_id"], value(row[column]))
            for row in _rows(data / f"{table}.csv")
            if row["practice_id"] in practices
        }

    return {
        "populations": of("practice_populations", "population_id"),
        "institutions": of("practice_institutions", "institution_id"),
        "states": of("practice_states", "state_code"),
        "countries": of("practice_countries", "country_code"),
        "links": of("practice_links", "url", _url),
    }


KINDS = ("populations", "institutions", "states", "countries", "links")


def table(expected: dict[str, set[Pair]], found: dict[str, set[Pair]]) -> list[str]:
    """The Markdown table of counts, precision and recall per kind."""
    rows = [
        "| kind | reference | package | both | precision | recall |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        both = expected[kind] & found[kind]
        precision = len(both) / len(found[kind]) if found[kind] else 1.0
        recall = len(both) / len(expected[kind]) if expected[kind] else 1.0
        rows.append(
            f"| {kind} | {len(expected[kind])} | {len(found[kind])} | {len(both)} "
            f"| {precision:.2f} | {recall:.2f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, default=REPO / "datapackage")
    parser.add_argument("--show", type=int, default=0, help="misses and extras to list")
    args = parser.parse_args()
    expected = reference_pairs(args.package)
    practices = {pid for pairs in expected.values() for pid, _ in pairs} | {
        p["practice_id"] for p in json.loads(REFERENCE.read_text("utf-8"))["practices"]
    }
    found = package_pairs(args.package, practices)
    print(f"{len(practices)} hand-read practices; pairs (practice, value)")
    print("\n".join(table(expected, found)))
    for kind in KINDS:
        differences = (
            ("missed", expected[kind] - found[kind]),
            ("extra", found[kind] - expected[kind]),
        )
        for label, pairs in differences:
            for pid, value in sorted(pairs)[: args.show]:
                print(f"{kind} {label}: {pid} {value}")


if __name__ == "__main__":
    main()
