"""Data Packages in the styles found in the wild (tests/fixtures/wild/): our validator gives
frictionless's answer on each, refuses the formats it does not read, and flags unsafe paths
without reading them.

The cases are the table of tests/fixtures/wild/README.md. The oracle is frictionless run
live; where it departs from the spec (SPEC_DEPARTURES), frictionless run on a copy of the
case rewritten to follow the spec, or, for a check frictionless does not make, the findings
we must add.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import frictionless
import pytest
from click.testing import CliRunner

from gcm_open.cli import main
from gcm_open.errors import TargetError

WILD = Path(__file__).resolve().parent / "fixtures" / "wild"
README = WILD / "README.md"
TABLE_HEADER = (
    "| case | descriptor | style | what it exercises | expected | frictionless 5.21 says |"
)
EXPECTED = frozenset({"valid", "invalid", "path-unsafe", "refused"})

# (resource, row, field, frictionless error type); resource None for a package-level error.
Location = tuple[str | None, int | None, str | None, str]


@dataclass(frozen=True)
class Case:
    """One row of the README's table."""

    name: str
    descriptor: str
    expected: str
    frictionless_says: str

    @property
    def path(self) -> Path:
        return WILD / self.name / self.descriptor

    def __str__(self) -> str:
        return self.name


def read_cases() -> list[Case]:
    """The rows of the README's case table, which is the one list of cases."""
    lines = README.read_text("utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 2  # past the header and its --- row
    cases = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        name, descriptor, _style, _exercises, expected, says = cells
        cases.append(Case(name.strip("`"), descriptor.strip("`"), expected, says))
    return cases


CASES = read_cases()


def cases_expecting(*expected: str) -> list[Case]:
    return [case for case in CASES if case.expected in expected]


@dataclass(frozen=True)
class Verdict:
    """What frictionless says: valid, where each error is, and how many rows it read."""

    valid: bool
    errors: frozenset[Location]
    rows: dict[str, int]


def frictionless_verdict(descriptor: Path) -> Verdict:
    report = frictionless.validate(str(descriptor))
    errors: set[Location] = {(None, None, None, error.type) for error in report.errors}
    for task in report.tasks:
        for error in task.errors:
            found = error.to_descriptor()
            # Header errors carry rowNumbers ([1]) instead of a rowNumber.
            row = found.get("rowNumber", next(iter(found.get("rowNumbers") or []), None))
            # extra-cell has fieldName "": no field.
            errors.add((task.name, row, found.get("fieldName") or None, error.type))
    return Verdict(
        report.valid, frozenset(errors), {t.name: t.stats.get("rows", 0) for t in report.tasks}
    )


# --- where frictionless departs from the spec ------------------------------------------------


def _concatenate_parts(resource: dict[str, Any], root: Path) -> None:
    """Data Resource: the parts of a path array are concatenated and read as one file."""
    if isinstance(resource.get("path"), list):
        joined = f"{resource['name']}-joined.csv"
        parts = (root / part for part in resource["path"])
        (root / joined).write_bytes(b"".join(part.read_bytes() for part in parts))
        resource["path"] = joined


def _declare_default_delimiter(resource: dict[str, Any], root: Path) -> None:
    """Table Dialect: the delimiter is "," unless declared; it is not to be guessed."""
    resource.setdefault("dialect", {}).setdefault("delimiter", ",")


Rewrite = Callable[[dict[str, Any], Path], None]


@dataclass(frozen=True)
class Departure:
    """How to get the spec's answer for a case frictionless answers otherwise.

    ``rewrite`` makes a copy of the case that frictionless reads as the spec says; a check
    frictionless does not make at all (its catalog entry has ``frictionless=None``) is
    listed in ``unchecked`` as the (resource, row, our code) we must report, and the
    verdict is then invalid.
    """

    rewrite: Rewrite | None = None
    unchecked: frozenset[tuple[str, int, str]] = frozenset()


SPEC_DEPARTURES: dict[str, Departure] = {
    "multipart-valid": Departure(rewrite=_concatenate_parts),
    "multipart-repeated-header": Departure(rewrite=_concatenate_parts),
    "multipart-second-part-error": Departure(rewrite=_concatenate_parts),
    "dialect-semicolon-undeclared": Departure(rewrite=_declare_default_delimiter),
    # Table Schema 2.0 uniqueKeys: slug "alfa" again in row 4.
    "v2-unique-keys-duplicate": Departure(unchecked=frozenset({("practices", 4, "unique-keys")})),
}


def oracle(case: Case, scratch: Path) -> Verdict:
    """Frictionless's verdict on the case, or the spec's where frictionless departs."""
    departure = SPEC_DEPARTURES.get(case.name, Departure())
    if departure.rewrite is None:
        verdict = frictionless_verdict(case.path)
    else:
        root = scratch / case.name
        shutil.copytree(WILD / case.name, root)
        descriptor = json.loads((root / case.descriptor).read_text("utf-8"))
        for resource in descriptor["resources"]:
            departure.rewrite(resource, root)
        (root / case.descriptor).write_text(json.dumps(descriptor), "utf-8")
        verdict = frictionless_verdict(root / case.descriptor)
    if departure.unchecked:
        return Verdict(False, verdict.errors, verdict.rows)
    return verdict


def resource_names(case: Case) -> list[str]:
    descriptor = json.loads(case.path.read_text("utf-8"))
    return [resource["name"] for resource in descriptor["resources"]]


@pytest.fixture(autouse=True)
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No test here reaches the network: each host looked up is refused and recorded."""
    attempts: list[str] = []

    def refuse(host: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(str(host))
        raise OSError(f"{host}: the wild-package tests use no network")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# --- the corpus and the oracle (these run whatever validator is installed) ------------------


def test_the_table_lists_every_case_folder_once() -> None:
    folders = sorted(path.name for path in WILD.iterdir() if path.is_dir())
    names = [case.name for case in CASES]
    assert sorted(names) == folders
    assert len(set(names)) == len(names)
    for case in CASES:
        assert case.path.is_file(), case
        assert case.expected in EXPECTED, case
    assert set(SPEC_DEPARTURES) <= set(names)


@pytest.mark.parametrize("case", cases_expecting("valid", "invalid"), ids=str)
def test_the_oracle_gives_the_expected_verdict(case: Case, tmp_path: Path) -> None:
    assert oracle(case, tmp_path).valid == (case.expected == "valid")


@pytest.mark.parametrize("case", cases_expecting("valid", "invalid", "path-unsafe"), ids=str)
def test_the_table_says_what_frictionless_says(case: Case) -> None:
    said = re.match(r"(valid|invalid)\b", case.frictionless_says)
    assert said is not None, case
    assert frictionless_verdict(case.path).valid == (said[1] == "valid")


@pytest.mark.parametrize("case", [c for c in CASES if c.name in SPEC_DEPARTURES], ids=str)
def test_frictionless_still_departs_from_the_spec(case: Case, tmp_path: Path) -> None:
    """When this fails, frictionless has changed: drop the case from SPEC_DEPARTURES."""
    assert frictionless_verdict(case.path) != oracle(case, tmp_path)


@pytest.mark.parametrize("case", cases_expecting("path-unsafe"), ids=str)
def test_frictionless_reads_no_row_behind_an_unsafe_path(case: Case) -> None:
    verdict = frictionless_verdict(case.path)
    assert not verdict.valid
    assert {error[3] for error in verdict.errors} <= {"resource-error", "scheme-error"}


# --- our validator against the oracle ---------------------------------------------------


@dataclass(frozen=True)
class Ours:
    validate: Callable[..., Any]
    catalog: dict[str, Any]

    def errors(self, report: Any) -> frozenset[Location]:
        """Our findings where frictionless would have an error, in its terms."""
        return frozenset(
            (finding.resource, finding.row, finding.field, self.catalog[finding.code].frictionless)
            for finding in report.findings
            if self.catalog[finding.code].frictionless is not None
        )


@pytest.fixture(scope="module")
def ours() -> Ours:
    findings: ModuleType = pytest.importorskip(
        "gcm_open.validation.findings",
        reason="the new validator (gcm_open.validation, with findings.CATALOG and rows "
        "counted as frictionless counts them) has not landed yet",
        exc_type=ModuleNotFoundError,
    )
    from gcm_open import validate

    return Ours(validate, findings.CATALOG)


def _listing(report: Any) -> str:
    return "\n".join(
        f"  {finding.code} {finding.resource} r{finding.row} {finding.field}: {finding.message}"
        for finding in report.findings
    )


@pytest.mark.parametrize("case", cases_expecting("valid", "invalid"), ids=str)
def test_ours_agrees_with_the_oracle(case: Case, ours: Ours, tmp_path: Path) -> None:
    expected = oracle(case, tmp_path)
    report = ours.validate(case.path)
    assert (report.valid, ours.errors(report)) == (expected.valid, expected.errors), (
        f"{case}: our findings\n{_listing(report)}"
    )
    unchecked = SPEC_DEPARTURES.get(case.name, Departure()).unchecked
    ours_only = {
        (finding.resource, finding.row, finding.code)
        for finding in report.findings
        if ours.catalog[finding.code].frictionless is None
    }
    assert unchecked <= ours_only, f"{case}: our findings\n{_listing(report)}"


@pytest.mark.parametrize("case", cases_expecting("path-unsafe"), ids=str)
def test_ours_flags_an_unsafe_path_and_reads_nothing(
    case: Case, ours: Ours, network_attempts: list[str]
) -> None:
    report = ours.validate(case.path)
    assert not report.valid
    # Anything but path-unsafe (a type error of ../v1-type-error, a header of /etc/passwd)
    # would mean the file was read.
    found = {(finding.resource, finding.code) for finding in report.findings}
    assert found == {(name, "path-unsafe") for name in resource_names(case)}, _listing(report)
    assert network_attempts == []


@pytest.mark.parametrize("case", cases_expecting("refused"), ids=str)
def test_ours_refuses_what_frictionless_validate_should_check(case: Case, ours: Ours) -> None:
    with pytest.raises(TargetError) as raised:
        ours.validate(case.path)
    message = str(raised.value)
    assert "\n" not in message
    assert "frictionless validate" in message
    assert all(name in message for name in resource_names(case)), message

    result = CliRunner().invoke(main, ["validate", str(case.path)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "frictionless validate" in lines[0]
