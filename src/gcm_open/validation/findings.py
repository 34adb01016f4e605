"""Every finding validation can report, declared once: its code, its message template,
what it means, and the error type ``frictionless validate`` gives the same defect.

A message is made by formatting the template with the finding's values. The values are
arguments, never part of the template, so that a value holding braces (a pattern such as
``^[A-Z]{3}$``, a cell ``{0}``) is printed as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: a stable code, the template of its message, what it means,
    and the frictionless error type of the same defect (None where frictionless does not
    check it)."""

    code: str
    template: str
    meaning: str
    frictionless: str | None = None
    group: str = "data"

    def message(self, values: Mapping[str, Any]) -> str:
        return self.template.format_map(values)


_KINDS = [
    # The container of a package.
    FindingKind(
        "zip-unsafe-path",
        "{detail}",
        'a zip entry with an absolute path or ".." (not extracted)',
        group="container",
    ),
    FindingKind(
        "zip-symlink",
        "{detail}",
        "a zip entry that is a symbolic link (not extracted)",
        group="container",
    ),
    FindingKind(
        "zip-too-large",
        "{detail}",
        "a zip entry or the whole zip expands past the limits (zip bomb)",
        group="container",
    ),
    # The descriptor, its paths and its schemas.
    FindingKind(
        "descriptor-json",
        "{detail}",
        "the descriptor is not valid JSON or YAML (or too large, too deep)",
        "package-error",
        "descriptor",
    ),
    FindingKind(
        "descriptor-profile",
        "{detail}",
        "the descriptor breaks the Data Package profile",
        "package-error",
        "descriptor",
    ),
    FindingKind(
        "descriptor-profile-url",
        "unknown profile {profile!r}: only the standard Data Package profiles are used",
        "the descriptor names a profile other than the standard ones (it is not fetched)",
        group="descriptor",
    ),
    FindingKind(
        "schema-missing",
        "{detail}",
        "a table resource's Table Schema is not there or cannot be read",
        "schema-error",
        "descriptor",
    ),
    FindingKind(
        "schema-invalid",
        "schema: {detail}",
        "a Table Schema breaks the Table Schema profile",
        "schema-error",
        "descriptor",
    ),
    FindingKind(
        "path-unsafe",
        "path {path!r}: {reason}",
        'a path is absolute, contains "..", leaves the package through a link, or is a URL '
        "outside the package",
        group="descriptor",
    ),
    # Files.
    FindingKind(
        "file-missing",
        "{path}: {reason}",
        "a file the descriptor names is not there (or cannot be downloaded)",
        "scheme-error",
        "files",
    ),
    FindingKind(
        "bytes-mismatch",
        "{path} is {size} bytes, not {expected}",
        "a file's size differs from its ``bytes``",
        "byte-count",
        "files",
    ),
    FindingKind(
        "hash-mismatch",
        "{path} has {algorithm} {digest}, not {expected}",
        "a file's sha256 (or md5) differs from its ``hash``",
        "hash-count",
        "files",
    ),
    FindingKind(
        "hash-unsupported",
        "unsupported hash algorithm {algorithm!r}",
        "a ``hash`` names an algorithm other than sha256 and md5",
        group="files",
    ),
    FindingKind(
        "integrity-missing",
        "{path} has no {missing}: a gcm-open package lists the sha256 of every file, and "
        "the size of every file but its Parquet files",
        "a file of a gcm-open package without its ``hash``, or a file other than Parquet "
        "without its ``bytes``",
        group="files",
    ),
    # The structure of a table, as frictionless reads it.
    FindingKind(
        "source-error",
        "{detail}",
        "the data cannot be read (unsupported or inconsistent contents)",
        "source-error",
        "structure",
    ),
    FindingKind(
        "encoding-error",
        "{detail}",
        "the data cannot be decoded in its encoding",
        "encoding-error",
        "structure",
    ),
    FindingKind(
        "compression-error",
        "{detail}",
        "the data cannot be decompressed",
        "compression-error",
        "structure",
    ),
    FindingKind(
        "resource-error",
        "{detail}",
        "the resource cannot be checked as described (a foreign key to a resource that "
        "is not there, say)",
        "resource-error",
        "structure",
    ),
    FindingKind(
        "blank-label",
        "the label of field {position} is blank",
        "a header label is blank",
        "blank-label",
        "structure",
    ),
    FindingKind(
        "duplicate-label",
        "label {label!r} at position {position} repeats an earlier label",
        "a header label appears twice",
        "duplicate-label",
        "structure",
    ),
    FindingKind(
        "extra-label",
        "an extra label {label!r} at position {position}",
        "the header has more labels than the schema has fields",
        "extra-label",
        "structure",
    ),
    FindingKind(
        "missing-label",
        "no label for field {field!r} at position {position}",
        "the header has fewer labels than the schema has fields",
        "missing-label",
        "structure",
    ),
    FindingKind(
        "incorrect-label",
        "label {label!r} at position {position} is not the field name {field!r}",
        "a header label differs from its field's name",
        "incorrect-label",
        "structure",
    ),
    FindingKind(
        "blank-row",
        "the row is completely blank",
        "a row whose cells are all empty (its other checks are skipped)",
        "blank-row",
        "structure",
    ),
    FindingKind(
        "extra-cell",
        "an extra value {value!r} at position {position}",
        "a row with more cells than the schema has fields",
        "extra-cell",
        "structure",
    ),
    FindingKind(
        "missing-cell",
        "no value for field {field!r} at position {position}",
        "a row with fewer cells than the schema has fields",
        "missing-cell",
        "structure",
    ),
    FindingKind(
        "row-count-mismatch",
        "{rows} rows, not {expected}",
        "a table has another number of rows than its ``rows`` says",
        group="structure",
    ),
    # Cells and keys, checked against the Table Schema.
    FindingKind(
        "type-error",
        "{value!r} is not a valid {type}",
        "a value is not of its field's type and format",
        "type-error",
    ),
    FindingKind(
        "required", "a required value is missing", "a required value is missing", "constraint-error"
    ),
    FindingKind(
        "enum",
        "{value!r} is not one of {enum}",
        "a value is not one of its field's ``enum``",
        "constraint-error",
    ),
    FindingKind(
        "pattern",
        "{value!r} does not match {pattern}",
        "a value does not match its field's ``pattern``",
        "constraint-error",
    ),
    FindingKind(
        "minimum",
        "{value} is less than the minimum {limit}",
        "a value is below ``minimum``",
        "constraint-error",
    ),
    FindingKind(
        "maximum",
        "{value} is more than the maximum {limit}",
        "a value is above ``maximum``",
        "constraint-error",
    ),
    FindingKind(
        "exclusive-minimum",
        "{value} is not more than {limit}",
        "a value is not above ``exclusiveMinimum``",
        "constraint-error",
    ),
    FindingKind(
        "exclusive-maximum",
        "{value} is not less than {limit}",
        "a value is not below ``exclusiveMaximum``",
        "constraint-error",
    ),
    FindingKind(
        "min-length",
        "{value!r} is shorter than {limit} characters",
        "a value is shorter than ``minLength``",
        "constraint-error",
    ),
    FindingKind(
        "max-length",
        "{value!r} is longer than {limit} characters",
        "a value is longer than ``maxLength``",
        "constraint-error",
    ),
    FindingKind(
        "unique",
        "{value!r} repeats a value of an earlier row",
        "a ``unique`` field repeats a value",
        "unique-error",
    ),
    FindingKind(
        "primary-key",
        "{detail}",
        "a primary key repeats, or all its values are missing",
        "primary-key",
    ),
    FindingKind(
        "unique-keys",
        "{fields} repeats the values of an earlier row",
        "a set of ``uniqueKeys`` fields repeats (a check frictionless does not make)",
    ),
    FindingKind(
        "foreign-key",
        "{fields} {value!r} is not in {reference}",
        "a foreign key points to no row",
        "foreign-key",
    ),
    # The Parquet copy of a CSV table.
    FindingKind(
        "parquet-unreadable",
        "{detail}",
        "a Parquet file cannot be read",
        group="parquet",
    ),
    FindingKind(
        "parquet-columns",
        "columns {columns} differ from {expected}",
        "a Parquet file has other columns than its table",
        group="parquet",
    ),
    FindingKind(
        "parquet-types",
        "type {type} cannot hold {expected}",
        "a Parquet column's type cannot hold its field's values",
        group="parquet",
    ),
    FindingKind(
        "parquet-rows",
        "{rows} rows, the CSV has {expected}",
        "a Parquet file has another number of rows than its CSV",
        group="parquet",
    ),
    FindingKind(
        "parquet-values",
        "{parquet!r} in Parquet, {csv!r} in the CSV",
        "a Parquet file and its CSV disagree on values",
        group="parquet",
    ),
    # A gcm-open package: its tables as this version defines them, codes and rules.
    FindingKind(
        "gcm-open-table-missing",
        "the gcm-open table {table!r} is not in the package",
        "a gcm-open package without one of its tables",
        group="gcm-open",
    ),
    FindingKind(
        "gcm-open-schema-differs",
        "{detail}",
        "a table's schema in the package differs from the one gcm-open defines (the data "
        "are checked against gcm-open's)",
        group="gcm-open",
    ),
    FindingKind(
        "unknown-state-code",
        "{value!r} is not an ISO 3166-2:MX code",
        "a state code that is not in ISO 3166-2:MX",
        group="gcm-open",
    ),
    FindingKind(
        "unknown-country-code",
        "{value!r} is not an ISO 3166-1 alpha-3 code",
        "a country code that is not in ISO 3166-1",
        group="gcm-open",
    ),
    FindingKind(
        "country-alpha2-mismatch",
        "not the alpha-2 code of {value}",
        "a country's alpha-2 code is not that of its alpha-3 code",
        group="gcm-open",
    ),
    FindingKind(
        "inegi-mismatch",
        "{value!r} is not INEGI's code for this state",
        "a state's INEGI code is not INEGI's code for that state",
        group="gcm-open",
    ),
    FindingKind(
        "numbering-gap",
        "{group}: practices numbered {numbers}, not 1..{count}",
        "practices of an edition, section and objective not numbered 1..N",
        group="gcm-open",
    ),
    FindingKind(
        "practice-id-mismatch",
        "{value!r} should be {expected!r}",
        "a practice id does not match its edition, section, objective and number",
        group="gcm-open",
    ),
    FindingKind(
        "state-code-section",
        "a state practice needs a state_code, a federal one has none",
        "a state practice without a state, or a federal one with one",
        group="gcm-open",
    ),
    FindingKind(
        "figure-not-in-text",
        "{printed!r} is not printed in its context, or its context is not in the {part} of "
        "{practice}",
        "a figure whose printed number is not in its context, or whose context is not in its "
        "practice's part",
        group="gcm-open",
    ),
    FindingKind(
        "figure-value-mismatch",
        "value {value} is not what {printed!r} says",
        "a figure's value is not the number its printed form reads as",
        group="gcm-open",
    ),
    FindingKind(
        "figure-line-outside",
        "line {line} is outside the lines of {practice} ({start}-{end})",
        "a figure's line is not among its practice's lines",
        group="gcm-open",
    ),
    FindingKind(
        "figure-year-count",
        "{value} counted with no unit: a year, not a count",
        "a count printed as a year is (four digits from 1900 to 2100, no separator) that "
        "names nothing counted",
        group="gcm-open",
    ),
    FindingKind(
        "figure-money-currency",
        "money without a currency",
        "a figure of kind money without its ISO 4217 currency",
        group="gcm-open",
    ),
    FindingKind(
        "figure-currency-kind",
        "a currency on a figure of kind {value!r}",
        "a currency on a figure that is not money",
        group="gcm-open",
    ),
    FindingKind(
        "unknown-currency-code",
        "{value!r} is not an ISO 4217 currency code",
        "a currency that is not in ISO 4217",
        group="gcm-open",
    ),
    FindingKind(
        "figure-percent-unit",
        "a percentage with unit {value!r}, not '%'",
        "a figure of kind percent whose unit is not %",
        group="gcm-open",
    ),
    FindingKind(
        "challenges-reported",
        "challenges_reported is true but no challenges are reported",
        "``challenges_reported`` disagrees with the challenges text",
        group="gcm-open",
    ),
]

CATALOG: dict[str, FindingKind] = {kind.code: kind for kind in _KINDS}
"""Every finding code, with its template, meaning and frictionless error type."""

# frictionless reports every constraint as one "constraint-error", naming the constraint
# in its note; these are our codes for each.
CONSTRAINT_CODES = {
    "required": "required",
    "enum": "enum",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive-minimum",
    "exclusiveMaximum": "exclusive-maximum",
    "minLength": "min-length",
    "maxLength": "max-length",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong: a stable code, a message, and where (resource, row, field).

    ``row`` is the row's position in its file as frictionless numbers it: the header is
    row 1, the first data row row 2.
    """

    code: str
    message: str
    resource: str | None = None
    row: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def finding(
    code: str,
    *,
    resource: str | None = None,
    row: int | None = None,
    field: str | None = None,
    **values: Any,
) -> Finding:
    """A finding of a declared kind, its message made from ``values``."""
    return Finding(code, CATALOG[code].message(values), resource, row, field)


@dataclass(frozen=True)
class Report:
    """The result of validating a package.

    ``findings`` lists at most ``max_findings_per_kind`` findings per resource and code;
    ``counts`` has how many of each there were in all.
    """

    target: str
    findings: tuple[Finding, ...]
    counts: dict[str, int]
    resources: tuple[str, ...]
    rows: int

    @property
    def valid(self) -> bool:
        return not self.counts

    @property
    def error_count(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (what ``gcm-open validate --json`` prints)."""
        return {
            "target": self.target,
            "valid": self.valid,
            "errors": self.error_count,
            "counts": dict(sorted(self.counts.items())),
            "resources": list(self.resources),
            "rows": self.rows,
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass
class Collector:
    """Findings as they come, kept up to a limit per resource and code, all counted."""

    limit: int
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    kept: Counter[tuple[str | None, str]] = field(default_factory=Counter)

    def add(
        self,
        code: str,
        *,
        resource: str | None = None,
        row: int | None = None,
        field: str | None = None,
        **values: Any,
    ) -> None:
        """Count a finding, and keep it while its resource and code are under the limit."""
        self.counts[code] += 1
        key = (resource, code)
        if self.kept[key] < self.limit:
            self.kept[key] += 1
            self.findings.append(finding(code, resource=resource, row=row, field=field, **values))

    def keep(self, found: Finding) -> None:
        """Count and keep a finding made elsewhere."""
        self.counts[found.code] += 1
        key = (found.resource, found.code)
        if self.kept[key] < self.limit:
            self.kept[key] += 1
            self.findings.append(found)

    def room(self, resource: str | None, code: str) -> int:
        """How many more findings of ``code`` in ``resource`` are kept."""
        return max(0, self.limit - self.kept[(resource, code)])

    def rows(
        self,
        code: str,
        resource: str,
        field_name: str | None,
        rows: Sequence[int],
        values: Mapping[str, Sequence[Any]] | None = None,
        **constants: Any,
    ) -> None:
        """One finding per row number in ``rows``, kept up to the limit, all counted.

        ``values`` maps a template name to the values of the rows, in the order of
        ``rows`` (only the first :meth:`room` are read); ``constants`` are the same for all.
        """
        if not rows:
            return
        kept = min(len(rows), self.room(resource, code))
        for index in range(kept):
            row_values = {name: column[index] for name, column in (values or {}).items()}
            self.add(
                code,
                resource=resource,
                row=rows[index],
                field=field_name,
                **constants,
                **row_values,
            )
        self.counts[code] += len(rows) - kept

    def merge(self, other: Collector) -> None:
        """Take in the findings of another collector, after this one's."""
        for found in other.findings:
            key = (found.resource, found.code)
            if self.kept[key] < self.limit:
                self.kept[key] += 1
                self.findings.append(found)
        self.counts.update(other.counts)
