"""gcm-open validate and frictionless validate (the oracle) agree: on a synthetic gcm-open
package with seeded defects, and on small random Data Packages of every kind
(tests/package_strategies.py), finding by finding.

A finding and an error are the same when they have the same resource, row (frictionless's
rowNumber: the header is row 1), field and frictionless error type, our code's type
taken from the findings catalog; codes for checks frictionless does not make are left out
of the comparison. ``scripts/differential_campaign.py`` runs the same comparison on
thousands of packages and sorts the disagreements into kinds.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from frictionless import validate as frictionless_validate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from gcm_open import validate
from gcm_open.building import BuildResult
from gcm_open.errors import TargetError
from gcm_open.validation.findings import CATALOG, Report
from package_strategies import GeneratedPackage, data_packages, valid_packages

sys.path.insert(0, str(REPO / "scripts"))
from bench_validate import defects_found_by_frictionless, defects_found_by_gcm_open
from synthetic_package import DEFECT_ROWS, make_package

# (resource, row, field, frictionless error type)
Key = tuple[str | None, int | None, str | None, str]

# frictionless errors about the descriptor, reported for the package as a whole: only
# their type is compared.
METADATA_TYPES = frozenset(
    {"package-error", "resource-error", "schema-error", "field-error", "dialect-error"}
)
# Errors for which frictionless names no field (a row, a key), or an empty one.
NO_FIELD_TYPES = frozenset({"blank-row", "primary-key", "foreign-key", "extra-cell", "extra-label"})
# Features of generated packages that gcm-open documents as refused (it raises
# TargetError: spreadsheets, JSON data, SQL); the generator makes CSV tables only.
REFUSED_FEATURES: frozenset[str] = frozenset()

# Every generated package, with or without defects, in any style or in the core style
# (core field types in plain UTF-8 CSV, which gcm-open checks with its own engine).
PACKAGES = st.one_of(data_packages(), data_packages(core=True))
SETTINGS: dict[str, Any] = {
    "derandomize": True,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@dataclass(frozen=True)
class Comparison:
    """Both verdicts on one package, and the comparable findings of each side.

    ``refused`` is the message of our TargetError when gcm-open refused the package;
    ``unmapped`` our codes that frictionless has no error for; ``messages`` a message
    (ours, else frictionless's note) for each key.
    """

    theirs_valid: bool
    theirs: frozenset[Key]
    ours_valid: bool | None
    ours: frozenset[Key]
    unmapped: tuple[str, ...] = ()
    refused: str | None = None
    messages: dict[Key, str] = field(default_factory=dict)

    @property
    def agree(self) -> bool:
        return self.refused is None and self.ours == self.theirs

    def explain(self) -> str:
        """Both verdicts and what differs, for a failure message."""
        if self.refused is not None:
            return f"gcm-open refused the package: {self.refused}"
        lines = [
            f"verdicts: gcm-open {_verdict(self.ours_valid)}, frictionless "
            f"{_verdict(self.theirs_valid)}; ours without a frictionless type: "
            f"{list(self.unmapped) or 'none'}",
            "only gcm-open:",
            *(f"  {self.shown(key)}" for key in sorted(self.ours - self.theirs, key=_order)),
            "only frictionless:",
            *(f"  {self.shown(key)}" for key in sorted(self.theirs - self.ours, key=_order)),
            "both:",
            *(f"  {self.shown(key)}" for key in sorted(self.ours & self.theirs, key=_order)),
        ]
        return "\n".join(lines)

    def shown(self, key: Key) -> str:
        resource, row, name, kind = key
        message = self.messages.get(key)
        return f"{kind} resource={resource} row={row} field={name}" + (
            f": {message}" if message else ""
        )


def _verdict(valid: bool | None) -> str:
    return {True: "valid", False: "invalid", None: "refused"}[valid]


def _order(key: Key) -> tuple[str, int, str, str]:
    resource, row, name, kind = key
    return (resource or "", row or 0, name or "", kind)


def normalized(resource: str | None, row: int | None, name: str | None, kind: str) -> Key:
    """A finding or an error as both sides can say it: descriptor errors by type alone,
    no field where frictionless names none, a key's fields as "a, b"."""
    if kind in METADATA_TYPES:
        return (None, None, None, kind)
    if kind in NO_FIELD_TYPES or not name:
        name = None
    return (resource, row, name, kind)


def frictionless_keys(report: Any) -> dict[Key, str]:
    """The errors of a frictionless report (package-level ones included), normalized,
    each with its note."""
    keys = {normalized(None, None, None, error.type): error.note for error in report.errors}
    for task in report.tasks:
        for error in task.errors:
            name = getattr(error, "field_name", None)
            row = getattr(error, "row_number", None)
            if row is None and getattr(error, "row_numbers", None):
                row = error.row_numbers[0]  # a header label: the header row
            key = normalized(task.name, row, name, error.type)
            keys.setdefault(key, error.note)
    return keys


def gcm_open_keys(report: Report) -> tuple[dict[Key, str], tuple[str, ...]]:
    """Our findings that frictionless has an error type for, normalized, each with its
    message; and the codes of the others."""
    keys: dict[Key, str] = {}
    unmapped: set[str] = set()
    for finding in report.findings:
        kind = CATALOG[finding.code].frictionless
        if kind is None:
            unmapped.add(finding.code)
        else:
            key = normalized(finding.resource, finding.row, finding.field, kind)
            keys.setdefault(key, f"[{finding.code}] {finding.message}")
    return keys, tuple(sorted(unmapped))


def as_the_standard_reads_it(descriptor: Path, copy: Path) -> Path:
    """A copy of the package that frictionless reads as the standard does, where gcm-open
    follows the standard on purpose (README, "Validating a package"):

    - a CSV without a declared delimiter, quote, initial-space rule or header has the
      standard's defaults (frictionless guesses them from the data);
    - a pattern matches the whole value (frictionless puts ``^...$`` round it, so that
      ``a|b`` matches ``axyz`` and a trailing newline passes).
    """
    shutil.copytree(descriptor.parent, copy)
    package = json.loads((copy / descriptor.name).read_text("utf-8"))
    for resource in package.get("resources", []):
        schema = resource.get("schema")
        if isinstance(schema, str):
            path = copy / schema
            path.write_text(json.dumps(_whole_patterns(json.loads(path.read_text("utf-8")))))
        elif isinstance(schema, dict):
            resource["schema"] = _whole_patterns(schema)
        if "data" in resource:
            continue
        dialect = resource.get("dialect", {})
        if isinstance(dialect, dict):
            tab = str(resource.get("format", resource.get("path", ""))).endswith("tsv")
            defaults = {"delimiter": "\t" if tab else ",", "quoteChar": '"'}
            defaults["skipInitialSpace"] = False
            if "headerRows" not in dialect:
                defaults["header"] = True
            resource["dialect"] = defaults | dialect
    (copy / descriptor.name).write_text(json.dumps(package), "utf-8")
    return copy / descriptor.name


def _whole_patterns(schema: dict[str, Any]) -> dict[str, Any]:
    for spec in schema.get("fields", []):
        constraints = spec.get("constraints", {})
        if isinstance(constraints.get("pattern"), str):
            constraints["pattern"] = f"(?:{constraints['pattern']})\\Z"
    return schema


def frictionless_report(descriptor: Path) -> Any:
    """frictionless's report on the package of ``descriptor``, read as the standard
    reads it."""
    with tempfile.TemporaryDirectory(prefix="gcm-open-oracle-") as directory:
        standard = as_the_standard_reads_it(descriptor, Path(directory) / "package")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # frictionless warns about what it sniffs
            return frictionless_validate(str(standard))


def compare(descriptor: Path, theirs: Any = None) -> Comparison:
    """Validate the package of ``descriptor`` with gcm-open and with frictionless (unless
    its report ``theirs`` is given)."""
    if theirs is None:
        theirs = frictionless_report(descriptor)
    theirs_keys = frictionless_keys(theirs)
    try:
        ours = validate(descriptor)
    except TargetError as error:
        return Comparison(
            theirs.valid, frozenset(theirs_keys), None, frozenset(), refused=str(error)
        )
    ours_keys, unmapped = gcm_open_keys(ours)
    return Comparison(
        theirs.valid,
        frozenset(theirs_keys),
        ours.valid,
        frozenset(ours_keys),
        unmapped,
        messages=theirs_keys | ours_keys,
    )


def check_agreement(package: GeneratedPackage) -> None:
    """Fail, showing both sides and every file, unless both validators agree."""
    with tempfile.TemporaryDirectory(prefix="gcm-open-differential-") as directory:
        descriptor = package.write(Path(directory))
        comparison = compare(descriptor)
    refused_as_documented = comparison.refused is not None and package.features & REFUSED_FEATURES
    if comparison.agree or refused_as_documented:
        return
    pytest.fail(f"{comparison.explain()}\n\n{package.listing()}", pytrace=False)


# --- the synthetic gcm-open package ---------------------------------------------------


@pytest.mark.parametrize("rows", [300, 3000])
def test_both_validators_find_the_same_defects(
    rows: int, built: BuildResult, tmp_path: Path
) -> None:
    valid = make_package(tmp_path / "valid", rows, reference=built.out_dir)
    assert validate(valid).valid
    assert frictionless_validate(str(valid / "datapackage.json")).valid

    seeded = make_package(tmp_path / "seeded", rows, defects=True, reference=built.out_dir)
    ours = defects_found_by_gcm_open(validate(seeded).to_dict())
    theirs = defects_found_by_frictionless(
        frictionless_validate(str(seeded / "datapackage.json")).to_dict()
    )
    assert ours == theirs
    assert {row for row, _kind in ours} == set(DEFECT_ROWS)


# --- random packages ------------------------------------------------------------------


@settings(max_examples=40, **SETTINGS)
@given(valid_packages() | valid_packages(core=True))
def test_generated_valid_packages_are_valid_for_frictionless(package: GeneratedPackage) -> None:
    # The oracle's side of the generator's promise: before defects, a package is valid.
    with tempfile.TemporaryDirectory(prefix="gcm-open-differential-") as directory:
        report = frictionless_report(package.write(Path(directory)))
    if not report.valid:
        errors = sorted(frictionless_keys(report).items(), key=lambda item: _order(item[0]))
        pytest.fail(f"frictionless: {errors}\n\n{package.listing()}", pytrace=False)


@settings(max_examples=60, **SETTINGS)
@given(PACKAGES)
def test_both_validators_agree_on_random_packages(package: GeneratedPackage) -> None:
    check_agreement(package)


@pytest.mark.slow
@settings(max_examples=500, **SETTINGS)
@given(PACKAGES)
def test_both_validators_agree_on_many_random_packages(package: GeneratedPackage) -> None:
    check_agreement(package)
