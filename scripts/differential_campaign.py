"""Validate N random small Data Packages with gcm-open and with frictionless (the oracle),
and sort every disagreement into a kind, with the smallest example of each.

The packages come from tests/package_strategies.py (half of them in the core style:
string, integer, number and boolean fields in plain UTF-8 CSV), the comparison from
tests/test_differential.py: findings and errors are compared as (resource, row, field,
frictionless error type). A package counts once in each kind of disagreement it shows.

    python scripts/differential_campaign.py [-n 2000] [--seed N] [--max-defects 3]
        [--examples 1] [--no-listing] [--save DIR]

With --save, the examples are written to DIR/1, DIR/2... (in the order of the kinds), to
validate again by hand: gcm-open validate DIR/1 and frictionless validate
DIR/1/datapackage.json.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from package_strategies import GeneratedPackage, data_packages
from test_differential import METADATA_TYPES, Comparison, Key, compare, frictionless_report

LABEL_TYPES = frozenset(
    {"blank-label", "duplicate-label", "extra-label", "missing-label", "incorrect-label"}
)


@dataclass
class Example:
    package: GeneratedPackage
    keys: list[str]


@dataclass
class Tally:
    """Counts of outcomes, and for each kind of disagreement its smallest example."""

    examples_per_kind: int
    compared: int = 0
    core: int = 0
    agreements: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Example]] = field(default_factory=dict)

    def add(self, package: GeneratedPackage, kinds: dict[str, list[str]]) -> None:
        self.compared += 1
        self.core += "core" in package.features
        if not kinds:
            self.agreements += 1
        for kind, keys in kinds.items():
            self.kinds[kind] += 1
            kept = self.examples.setdefault(kind, [])
            kept.append(Example(package, keys))
            kept.sort(key=lambda example: example.package.size)
            del kept[self.examples_per_kind :]


def _without_paths(message: str) -> str:
    return re.sub(r"/\S+", "<path>", message).splitlines()[0][:160]


def _gist(message: str) -> str:
    """A message without what varies from one package to the next (names, values)."""
    message = re.sub(r"^\[[\w-]+\] ", "", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "…", message)
    return re.sub(r"\d+", "N", _without_paths(message))[:90]


def _shape(name: str | None) -> str:
    """What a field of a finding names, whatever its name: none, one field or several."""
    if name is None:
        return "none"
    return "a list of fields" if "," in name else "a field"


def _tags(package: GeneratedPackage, key: Key) -> str:
    resource, row, _field, kind = key
    if kind in LABEL_TYPES or row is None:
        tags = package.label_tags.get(resource or "", ())
    else:
        tags = package.row_tags.get((resource or "", row), ())
    # "constraint:maximum:integer" is told apart by its constraint; the field type is
    # named beside the kind already.
    short = sorted({":".join(tag.split(":")[:2]) for tag in tags})
    return f" [{', '.join(short)}]" if short else " [no defect there]"


def classify(package: GeneratedPackage, comparison: Comparison) -> dict[str, list[str]]:
    """Each kind of disagreement in one comparison, with the keys that show it."""
    kinds: dict[str, list[str]] = {}

    def note(kind: str, *keys: Key) -> None:
        kinds.setdefault(kind, []).extend(comparison.shown(key) for key in keys)

    if comparison.refused is not None:
        kinds[f"gcm-open refuses: {_without_paths(comparison.refused)}"] = []
        return kinds
    ours_only = set(comparison.ours - comparison.theirs)
    theirs_only = set(comparison.theirs - comparison.ours)
    # An error about the descriptor on one side only is the cause of the rest: the side
    # that makes it does not check the data, or checks them otherwise.
    causes = sorted((k for k in ours_only | theirs_only if k[3] in METADATA_TYPES), key=str)
    if causes:
        for key in causes:
            side = "gcm-open" if key in ours_only else "frictionless"
            note(f"only {side}: {key[3]}: {_gist(comparison.messages.get(key, ''))}", key)
        first = next(iter(kinds))
        rest = sorted((ours_only | theirs_only) - set(causes), key=str)
        kinds[first].extend(f"and then {comparison.shown(key)}" for key in rest)
        return kinds
    # The same error on the same field at another row, or on the same row for another
    # field: a numbering or naming difference rather than a missed defect.
    for ours in sorted(ours_only, key=str):
        resource, row, name, kind = ours
        twin = next(
            (
                theirs
                for theirs in sorted(theirs_only, key=str)
                if theirs[0] == resource and theirs[3] == kind and theirs[2] == name
            ),
            None,
        )
        if twin is not None:
            if row is None or twin[1] is None:
                note(f"{kind}: row {row} for frictionless's {twin[1]}", ours, twin)
            else:
                note(f"{kind}: row off by {row - twin[1]:+d}", ours, twin)
            ours_only.discard(ours)
            theirs_only.discard(twin)
            continue
        twins = sorted(
            (t for t in theirs_only if t[0] == resource and t[1] == row and t[3] == kind), key=str
        )
        if twins:
            theirs_name = _shape(twins[0][2])
            note(f"{kind}: field {_shape(name)} for frictionless's {theirs_name}", ours, *twins)
            ours_only.discard(ours)
            theirs_only.difference_update(twins)
    for side, keys in (("gcm-open", ours_only), ("frictionless", theirs_only)):
        for key in keys:
            resource, _row, name, kind = key
            kind_of_field = package.field_type(resource, name) if name else None
            on = f" on {kind_of_field}" if kind_of_field else ""
            note(f"only {side}: {kind}{on}{_tags(package, key)}", key)
    if not kinds and comparison.ours_valid != comparison.theirs_valid:
        note(f"verdict: gcm-open also reports {', '.join(comparison.unmapped)}")
    return kinds


def run(arguments: argparse.Namespace) -> Tally:
    tally = Tally(arguments.examples)
    packages = st.one_of(
        data_packages(max_defects=arguments.max_defects),
        data_packages(max_defects=arguments.max_defects, core=True),
    )

    @settings(
        max_examples=arguments.n,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(packages)
    def one(package: GeneratedPackage) -> None:
        with tempfile.TemporaryDirectory(prefix="gcm-open-campaign-") as directory:
            descriptor = package.write(Path(directory))
            # Whatever either validator raises is a finding of the campaign, not its end.
            try:
                theirs = frictionless_report(descriptor)
            except Exception as error:
                tally.add(package, {f"frictionless crashes: {type(error).__name__}": []})
                return
            try:
                comparison = compare(descriptor, theirs)
            except Exception as error:
                kind = f"gcm-open crashes: {type(error).__name__}: {_without_paths(str(error))}"
                tally.add(package, {kind: []})
                return
        tally.add(package, classify(package, comparison))

    if arguments.seed is not None:
        one = seed(arguments.seed)(one)
    one()
    return tally


def report(tally: Tally, seconds: float, *, listing: bool, save: Path | None) -> None:
    print(
        f"compared {tally.compared} packages ({tally.core} core) in {seconds:.0f} s: "
        f"{tally.agreements} agree, {tally.compared - tally.agreements} disagree"
    )
    print("\nkinds of disagreement (packages showing each):")
    for kind, count in tally.kinds.most_common():
        print(f"{count:6d}  {kind}")
    print("\nthe smallest example of each kind:")
    saved = 0
    for kind, _count in tally.kinds.most_common():
        for example in tally.examples[kind]:
            print(f"\n### {kind}")
            if save is not None:
                saved += 1
                example.package.write(save / str(saved))
                print(f"    (saved in {save / str(saved)})")
            for key in example.keys:
                print(f"    {key}")
            if listing:
                print(example.package.listing())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="packages to compare")
    parser.add_argument("--seed", type=int, default=None, help="a seed, to repeat a campaign")
    parser.add_argument("--max-defects", type=int, default=3)
    parser.add_argument("--examples", type=int, default=1, help="examples kept per kind")
    parser.add_argument("--no-listing", action="store_true", help="keys only, no files")
    parser.add_argument("--save", type=Path, default=None, help="write the examples here")
    arguments = parser.parse_args()
    start = time.perf_counter()
    tally = run(arguments)
    seconds = time.perf_counter() - start
    report(tally, seconds, listing=not arguments.no_listing, save=arguments.save)


if __name__ == "__main__":
    main()
