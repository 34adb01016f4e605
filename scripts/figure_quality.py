"""Precision and recall of a package's figures against the hand-read practices.

    python scripts/figure_quality.py [--package datapackage] [--reference sample|held-out]
        [--show N]

The reference is ``tests/fixtures/hand_read/figures.json``: 56 practices drawn at random
(its ``about`` says how), every figure read by hand with its part, value, unit, kind and
currency, blind to gcm-open's output; the extraction's rules were then tuned on it. With
``--reference held-out``, ``figures_heldout.json``: 24 other practices drawn at random and
read the same way after the tuning, never used to tune. Figures are compared as a
multiset of (practice, value) pairs: a value printed twice in a practice is two pairs.
Each matched pair is paired with a reference figure of the same value in the same
practice, preferring one of the same part and printed form, and then compared for kind,
part, currency, unit and population (a unit agrees when its first word does, accents
and case ignored).

Prints the table, and with ``--show`` the first N misses, extras and disagreements.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HAND_READ = REPO / "tests" / "fixtures" / "hand_read"
REFERENCES = {"sample": HAND_READ / "figures.json", "held-out": HAND_READ / "figures_heldout.json"}
REFERENCE = REFERENCES["sample"]


def _key(text: str | None) -> str:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", plain.lower()).split())


def _head(unit: str | None) -> str:
    words = _key(unit).split()
    return words[0] if words else ""


def _value(value: Any) -> float:
    return round(float(value), 6)


def load_reference(path: Path = REFERENCE) -> dict[str, list[dict[str, Any]]]:
    data = json.loads(path.read_text("utf-8"))
    return {entry["practice_id"]: entry["figures"] for entry in data["practices"]}


def load_package(package: Path, practices: set[str]) -> dict[str, list[dict[str, Any]]]:
    with (package / "data" / "practice_figures.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found: dict[str, list[dict[str, Any]]] = {practice: [] for practice in practices}
    for row in rows:
        if row["practice_id"] in found:
            found[row["practice_id"]].append(row)
    return found


def _pair(
    expected: list[dict[str, Any]], produced: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Matched (expected, produced) figures of one practice, and the unmatched of each."""
    left = list(expected)
    matched, extra = [], []
    for row in produced:
        same = [item for item in left if _value(item["value"]) == _value(row["value"])]
        if not same:
            extra.append(row)
            continue
        same.sort(
            key=lambda item: (
                item["part"] != row["part"],
                _key(str(item["printed"])) != _key(row["printed"]),
            )
        )
        left.remove(same[0])
        matched.append((same[0], row))
    return matched, left, extra


def score(package: Path, reference: Path = REFERENCE) -> dict[str, Any]:
    expected = load_reference(reference)
    produced = load_package(package, set(expected))
    counts: Counter[str] = Counter()
    misses, extras, disagreements = [], [], []
    for practice in expected:
        matched, missed, extra = _pair(expected[practice], produced[practice])
        counts["reference"] += len(expected[practice])
        counts["package"] += len(produced[practice])
        counts["both"] += len(matched)
        misses += [(practice, item) for item in missed]
        extras += [(practice, row) for row in extra]
        for item, row in matched:
            for field, agrees in (
                ("kind", item["kind"] == row["kind"]),
                ("part", item["part"] == row["part"]),
                ("currency", (item.get("currency") or "") == (row["currency"] or "")),
                ("unit", _head(item.get("unit")) == _head(row["unit"])),
                (
                    "population",
                    (item.get("population_id") or "") == (row["population_id"] or ""),
                ),
            ):
                counts[f"{field} agrees"] += agrees
                if not agrees:
                    disagreements.append((practice, field, item, row))
    return {
        "counts": counts,
        "misses": misses,
        "extras": extras,
        "disagreements": disagreements,
        "practices": len(expected),
        "with_figures": sum(1 for figures in expected.values() if figures),
    }


def table(result: dict[str, Any]) -> list[str]:
    """The figures as Markdown: pairs with precision and recall, then agreement per field."""
    counts = result["counts"]
    both = counts["both"]
    precision = both / counts["package"] if counts["package"] else 0.0
    recall = both / counts["reference"] if counts["reference"] else 0.0
    rows = [
        "| practices (with figures) | reference | package | both | precision | recall |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result['practices']} ({result['with_figures']}) | {counts['reference']} | "
        f"{counts['package']} | {both} | {precision:.2f} | {recall:.2f} |",
        "",
        "| of the matched, agreeing on | kind | part | currency | unit | population |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    shares = [
        f"{counts[f'{field} agrees'] / both if both else 0:.2f}"
        for field in ("kind", "part", "currency", "unit", "population")
    ]
    rows.append(f"| share | {' | '.join(shares)} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=REPO / "datapackage")
    parser.add_argument("--reference", choices=sorted(REFERENCES), default="sample")
    parser.add_argument("--show", type=int, default=0, help="misses, extras and disagreements")
    arguments = parser.parse_args()
    reference = REFERENCES[arguments.reference]
    result = score(arguments.package, reference)
    print(f"{reference.name}: hand-read practices; pairs (practice, value)")
    print("\n".join(table(result)))
    shown = arguments.show
    for practice, item in result["misses"][:shown]:
        where = f"{practice} {item['part']} {item['printed']!r} {item['unit']!r}"
        print(f"missed: {where}  «{item['words']}»")
    for practice, row in result["extras"][:shown]:
        where = f"{practice} {row['part']} {row['printed']!r} {row['unit']!r}"
        print(f"extra: {where}  «{row['context'][:140]}»")
    for practice, field, item, row in result["disagreements"][:shown]:
        ours = {"population": row["population_id"]}.get(field, row.get(field))
        theirs = {"population": item.get("population_id")}.get(field, item.get(field))
        print(f"{field}: {practice} {item['printed']!r}: reference {theirs!r}, package {ours!r}")


if __name__ == "__main__":
    main()
