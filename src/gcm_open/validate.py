"""Check a gcm-open package: descriptor, integrity, data, CSV-Parquet agreement, codes,
and the rules of this dataset. Validation returns a :class:`Report`; it never raises for
invalid data, only (:class:`~gcm_open.targets.TargetError`) when the target cannot be
read at all.

The data are checked column by column with pyarrow compute, not cell by cell, so that
a package of a million rows is checked in seconds. Each finding has a stable code:

========================  ==============================================================
descriptor-json           datapackage.json is not valid JSON (or too large, too deep)
descriptor-profile        the descriptor breaks the Data Package profile
descriptor-profile-url    the descriptor names a profile other than the standard ones
schema-missing            a table resource has no Table Schema, or it cannot be read
schema-invalid            a Table Schema breaks the Table Schema profile
path-unsafe               a path is absolute, contains "..", leaves the package, or is remote
file-missing              a file the descriptor names is not there
bytes-mismatch            a file's size differs from its ``bytes``
hash-mismatch             a file's sha256 (or md5) differs from its ``hash``
zip-unsafe-path           a zip entry with an absolute path or ".." (not extracted)
zip-symlink               a zip entry that is a symbolic link (not extracted)
zip-too-large             a zip entry or the whole zip expands past the limits (zip bomb)
csv-malformed             a CSV file cannot be parsed
header-mismatch           a CSV header differs from the schema's fields
row-count-mismatch        a table has another number of rows than its ``rows``
type-error                a value is not of its field's type
required                  a required value is missing
unique                    a unique field repeats a value
enum                      a value is not one of its field's ``enum``
pattern                   a value does not match its field's ``pattern``
minimum / maximum         a value is out of its field's bounds
primary-key               a primary key repeats
foreign-key               a foreign key points to no row
parquet-unreadable        a Parquet file cannot be read
parquet-columns           a Parquet file has other columns than its table
parquet-rows              a Parquet file has another number of rows than its CSV
parquet-values            a Parquet file and its CSV disagree on values
unknown-state-code        a state code that is not in ISO 3166-2:MX
unknown-country-code      a country code that is not in ISO 3166-1
country-alpha2-mismatch   a country's alpha-2 code is not that of its alpha-3 code
inegi-mismatch            a state's INEGI code is not INEGI's code for that state
numbering-gap             practices of an edition, section and objective not numbered 1..N
practice-id-mismatch      a practice id does not match its edition, section, objective, number
state-code-section        a state practice without a state, or a federal one with one
challenges-reported       ``challenges_reported`` disagrees with the challenges text
========================  ==============================================================
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pycountry
from frictionless import Package, Schema

from gcm_open.diagnostics import Progress, Stopwatch
from gcm_open.errors import TargetError
from gcm_open.reference import inegi_states
from gcm_open.targets import DESCRIPTOR, Limits, OpenedTarget, open_target, unsafe_member

log = logging.getLogger(__name__)

# Profiles a descriptor may name; any other URL would make a validator fetch it.
STANDARD_PROFILES = frozenset(
    {
        "data-package",
        "tabular-data-package",
        "https://specs.frictionlessdata.io/schemas/data-package.json",
        "https://specs.frictionlessdata.io/schemas/tabular-data-package.json",
        "https://datapackage.org/profiles/2.0/datapackage.json",
        "https://datapackage.org/profiles/1.0/datapackage.json",
    }
)
MAX_JSON_DEPTH = 64
DEFAULT_MAX_FINDINGS_PER_KIND = 1000
_TRUE_VALUES = ("true", "True", "TRUE", "1")
_FALSE_VALUES = ("false", "False", "FALSE", "0")
_NO_CHALLENGES = re.compile(r"^(?:No se report\w*\s+(?:\w+\s+)?retos|Ninguno\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One thing wrong: a stable code, a message, and where (resource, row, field).

    ``row`` counts data rows from 1 (the header is not a row).
    """

    code: str
    message: str
    resource: str | None = None
    row: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
class _Collector:
    """Findings as they come, kept up to a limit per resource and code."""

    limit: int
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    kept: Counter[tuple[str | None, str]] = field(default_factory=Counter)

    def add(self, finding: Finding) -> None:
        self.counts[finding.code] += 1
        key = (finding.resource, finding.code)
        if self.kept[key] < self.limit:
            self.kept[key] += 1
            self.findings.append(finding)

    def rows(
        self,
        code: str,
        resource: str,
        field_name: str | None,
        rows: Iterable[int],
        *,
        template: str,
        values: tuple[Any, ...] = (),
    ) -> None:
        """One finding per row, up to the limit, all counted.

        The message is ``template`` formatted with the row's value in each of ``values``.
        """
        rows = list(rows)
        for number in rows[: self.limit]:
            message = template.format(*(column[number - 1].as_py() for column in values))
            self.add(Finding(code, message, resource, number, field_name))
        if len(rows) > self.limit:
            self.counts[code] += len(rows) - self.limit

    def merge(self, other: _Collector) -> None:
        """Take in the findings of another collector, after this one's."""
        for finding in other.findings:
            key = (finding.resource, finding.code)
            if self.kept[key] < self.limit:
                self.kept[key] += 1
                self.findings.append(finding)
        self.counts.update(other.counts)


@dataclass
class _Table:
    """A CSV table read for checking: raw strings, and the values typed where valid."""

    name: str
    schema: dict[str, Any]
    raw: pa.Table
    typed: pa.Table


def validate(
    target: str | Path,
    *,
    limits: Limits | None = None,
    max_findings_per_kind: int = DEFAULT_MAX_FINDINGS_PER_KIND,
    progress: Progress | None = None,
) -> Report:
    """Validate a package directory, a ``datapackage.json``, a ``.zip`` or an http(s) URL.

    >>> from gcm_open.build import build
    >>> import tempfile, pathlib
    >>> package = build(out=pathlib.Path(tempfile.mkdtemp()) / "package").out_dir
    >>> report = validate(package)
    >>> report.valid, report.rows > 0
    (True, True)

    ``progress(done, total)`` is called as the checks advance, table by table.

    Raises :class:`~gcm_open.targets.TargetError` only when the target cannot be read.
    """
    collector = _Collector(max_findings_per_kind)
    watch = Stopwatch()
    with (
        tempfile.TemporaryDirectory(prefix="gcm-open-validate-") as scratch,
        open_target(str(target), Path(scratch), limits) as opened,
    ):
        log.info("opened %s in %s", target, watch.lap())
        resources, rows = _validate_opened(opened, collector, _Steps(progress))
    log.info("%d findings in %d resources, %d rows", len(collector.findings), len(resources), rows)
    return Report(
        target=str(target),
        findings=tuple(collector.findings),
        counts=dict(collector.counts),
        resources=tuple(resources),
        rows=rows,
    )


class _Steps:
    """The steps of a validation, counted for a ``progress(done, total)`` callback."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.done = self.total = 0

    def advance(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        """All done, whatever steps a damaged package skipped."""
        self.done = self.total
        if self.progress:
            self.progress(self.done, self.total)


def _validate_opened(
    opened: OpenedTarget, collector: _Collector, steps: _Steps
) -> tuple[list[str], int]:
    watch = Stopwatch()
    for problem in opened.problems:
        collector.add(Finding(problem.code, problem.message, None, None, problem.entry))
    descriptor = _read_descriptor(opened, collector)
    if descriptor is None:
        return [], 0
    resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    names = [str(resource.get("name")) for resource in resources]
    safe = _check_paths(opened, resources, collector)
    schemas = _load_schemas(opened, resources, safe, collector)
    _check_profile(descriptor, schemas, collector)
    present = _present_files(opened, resources, safe, collector)
    log.info("checked the descriptor, paths and schemas in %s", watch.lap())
    # Hashing is I/O and C code that releases the GIL: it runs beside the table checks,
    # into a collector of its own whose findings come first in the report.
    integrity = _Collector(collector.limit)
    data = _Collector(collector.limit)
    # Each table is read, checked and checked for foreign keys; then Parquet, codes, the
    # dataset's rules and the hashes: four steps more.
    steps.total = 3 * len(schemas) + 4
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(_check_integrity, resources, present, integrity)
        tables = _read_tables(resources, present, schemas, data, steps.advance)
        rows = sum(table.raw.num_rows for table in tables.values())
        log.info("read %d tables, %d rows, in %s", len(tables), rows, watch.lap())
        for table in tables.values():
            _check_fields(table, data)
            _check_primary_key(table, data)
            steps.advance()
        log.info("checked types, constraints and primary keys in %s", watch.lap())
        for table in tables.values():
            _check_foreign_keys(table, tables, data)
            steps.advance()
        log.info("checked foreign keys in %s", watch.lap())
        _check_parquet(resources, present, tables, data)
        steps.advance()
        log.info("compared each Parquet file with its CSV in %s", watch.lap())
        _check_codes(tables, data)
        steps.advance()
        _check_practices(tables, data)
        steps.advance()
        log.info("checked codes and the rules of the dataset in %s", watch.lap())
        hashing.result()
    steps.finish()
    log.info("checked sizes and hashes of %d files (waited %s)", len(present), watch.lap())
    collector.merge(integrity)
    collector.merge(data)
    return names, rows


def _present_files(
    opened: OpenedTarget, resources: list[dict[str, Any]], safe: set[str], collector: _Collector
) -> dict[str, Path]:
    """The local file of every safe resource path that is there (downloaded if remote);
    the missing ones are reported."""
    present: dict[str, Path] = {}
    for resource in resources:
        name = str(resource.get("name"))
        for relative in _resource_paths(resource):
            if relative in safe and relative not in present:
                path = _local_file(opened, relative, name, collector)
                if path is not None:
                    present[relative] = path
    return present


# --- descriptor -----------------------------------------------------------------------


def _json_depth(text: str) -> int:
    """The nesting depth of JSON text, counted without parsing it (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def read_json(path: Path, limits: Limits) -> Any:
    """Parse a JSON file of an untrusted package within size and nesting limits.

    Raises ValueError with a message naming the problem and where it is.
    """
    size = path.stat().st_size
    if size > limits.max_descriptor_bytes:
        raise ValueError(f"{path.name} is {size} bytes, more than {limits.max_descriptor_bytes}")
    text = path.read_text(encoding="utf-8", errors="replace")
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise ValueError(f"{path.name} nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path.name}:{error.lineno}:{error.colno}: invalid JSON ({error.msg})"
        ) from None


def read_package_descriptor(target: str, opened: OpenedTarget) -> dict[str, Any]:
    """The descriptor of an opened package, for readers that need a sound one (``diff``,
    ``load``); validation reports these problems as findings instead.

    Raises :class:`TargetError` naming the first problem and where it is.
    """
    if opened.problems:
        first = opened.problems[0]
        raise TargetError(f"{target}: {first.message} (run gcm-open validate for all)")
    try:
        descriptor = _descriptor_json(opened, target)
    except ValueError as error:
        raise TargetError(f"{target}: {error}") from None
    if not isinstance(descriptor, dict):
        raise TargetError(f"{target}: {DESCRIPTOR} is not a JSON object")
    return descriptor


def _descriptor_json(opened: OpenedTarget, target: str) -> Any:
    """The parsed ``datapackage.json`` of an opened package, whatever JSON value it holds.

    Raises :class:`TargetError` when there is none, ValueError when it is not JSON within
    the limits.
    """
    path = opened.local(DESCRIPTOR)
    if not path.is_file():
        raise TargetError(f"{target}: not a data package (no {DESCRIPTOR})")
    return read_json(path, opened.limits)


def read_csv_as_strings(path: Path, names: list[str]) -> pa.Table:
    """A CSV file of a package with every column as text (an empty cell is null), so that
    its values can be checked or compared before any type is trusted.

    Raises pyarrow.ArrowInvalid or OSError when the file cannot be parsed or read.
    """
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _read_descriptor(opened: OpenedTarget, collector: _Collector) -> dict[str, Any] | None:
    try:
        descriptor = _descriptor_json(opened, str(opened.root))
    except ValueError as error:
        collector.add(Finding("descriptor-json", str(error), DESCRIPTOR))
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        collector.add(
            Finding(
                "descriptor-profile",
                "the descriptor is not an object with a list of resources",
                DESCRIPTOR,
            )
        )
        return None
    return descriptor


def _resource_paths(resource: dict[str, Any]) -> list[str]:
    path = resource.get("path")
    if isinstance(path, str):
        return [path]
    if isinstance(path, list):
        return [item for item in path if isinstance(item, str)]
    return []


def _check_paths(
    opened: OpenedTarget, resources: list[dict[str, Any]], collector: _Collector
) -> set[str]:
    """Every path of every resource and schema; the safe ones are returned."""
    safe: set[str] = set()
    root = opened.root.resolve()
    for resource in resources:
        name = str(resource.get("name"))
        candidates = _resource_paths(resource)
        for key in ("schema", "tableSchema"):
            if isinstance(resource.get(key), str):
                candidates.append(resource[key])
        for relative in candidates:
            reason = unsafe_member(relative)
            if reason is None and "://" in relative:
                reason = "remote path (only files inside the package are read)"
            if reason is None and opened.base_url is None:
                resolved = (opened.root / relative).resolve()
                if resolved != root and root not in resolved.parents:
                    reason = "leaves the package (through a link)"
            if reason is not None:
                collector.add(Finding("path-unsafe", f"path {relative!r}: {reason}", name))
            else:
                safe.add(relative)
    return safe


def _load_schemas(
    opened: OpenedTarget, resources: list[dict[str, Any]], safe: set[str], collector: _Collector
) -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {}
    for resource in resources:
        if resource.get("type") != "table":
            continue
        name = str(resource.get("name"))
        reference = resource.get("schema")
        try:
            if isinstance(reference, dict):
                schema = reference
            elif isinstance(reference, str) and reference in safe:
                path = opened.local(reference)
                if not path.is_file():
                    collector.add(
                        Finding("schema-missing", f"schema file {reference!r} is missing", name)
                    )
                    continue
                schema = read_json(path, opened.limits)
            else:
                if reference is None:
                    collector.add(
                        Finding("schema-missing", "a table resource without a schema", name)
                    )
                continue
        except (ValueError, TargetError) as error:
            collector.add(Finding("schema-missing", f"schema {reference!r}: {error}", name))
            continue
        report = Schema.validate_descriptor(schema)
        if not report.valid:
            for problem in report.errors:
                collector.add(Finding("schema-invalid", f"schema: {problem.note}", name))
            continue
        schemas[name] = schema
    return schemas


def _check_profile(
    descriptor: dict[str, Any], schemas: dict[str, dict[str, Any]], collector: _Collector
) -> None:
    profile = descriptor.get("$schema", descriptor.get("profile"))
    if profile is not None and profile not in STANDARD_PROFILES:
        collector.add(
            Finding(
                "descriptor-profile-url",
                f"unknown profile {profile!r}: only the standard Data Package profiles are used",
                DESCRIPTOR,
            )
        )
        return
    # Schemas inlined, so that frictionless reads no file and no URL of the package.
    inlined = dict(descriptor)
    inlined["resources"] = [
        {**resource, "schema": schemas[resource["name"]]}
        if resource.get("name") in schemas
        else {key: value for key, value in resource.items() if key != "schema"}
        for resource in descriptor["resources"]
        if isinstance(resource, dict)
    ]
    report = Package.validate_descriptor(inlined)
    for error in report.errors:
        note = str(error.note or error.message)
        if "is not safe" in note:
            continue  # reported as path-unsafe, with the resource
        collector.add(Finding("descriptor-profile", note, DESCRIPTOR))


# --- files ----------------------------------------------------------------------------


def _check_integrity(
    resources: list[dict[str, Any]], present: dict[str, Path], collector: _Collector
) -> None:
    for resource in resources:
        name = str(resource.get("name"))
        for relative in _resource_paths(resource):
            path = present.get(relative)
            if path is None:
                continue
            expected_hash = resource.get("hash")
            algorithm, value = "sha256", ""
            if isinstance(expected_hash, str):
                algorithm, _, value = expected_hash.rpartition(":")
                algorithm = algorithm or "md5"
            if algorithm not in ("sha256", "md5"):
                collector.add(
                    Finding("hash-mismatch", f"unsupported hash algorithm {algorithm!r}", name)
                )
                continue
            if isinstance(expected_hash, str):
                size, digest = _digest(path, algorithm)
            else:
                size, digest = path.stat().st_size, ""
            expected_bytes = resource.get("bytes")
            if isinstance(expected_bytes, int) and expected_bytes != size:
                collector.add(
                    Finding(
                        "bytes-mismatch", f"{relative} is {size} bytes, not {expected_bytes}", name
                    )
                )
            if isinstance(expected_hash, str) and digest != value.lower():
                collector.add(
                    Finding(
                        "hash-mismatch", f"{relative} has {algorithm} {digest}, not {value}", name
                    )
                )


def _local_file(
    opened: OpenedTarget, relative: str, name: str, collector: _Collector
) -> Path | None:
    try:
        path = opened.local(relative)
    except TargetError as error:
        collector.add(Finding("file-missing", f"{relative}: {error}", name))
        return None
    if not path.is_file():
        collector.add(Finding("file-missing", f"{relative} is missing", name))
        return None
    return path


def _digest(path: Path, algorithm: str) -> tuple[int, str]:
    """A file's size and its digest, read in chunks."""
    digest = hashlib.sha256() if algorithm == "sha256" else hashlib.md5(usedforsecurity=False)
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


# --- tables ---------------------------------------------------------------------------


def _read_tables(
    resources: list[dict[str, Any]],
    present: dict[str, Path],
    schemas: dict[str, dict[str, Any]],
    collector: _Collector,
    advance: Callable[[], None],
) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    for resource in resources:
        name = str(resource.get("name"))
        paths = _resource_paths(resource)
        if name not in schemas or len(paths) != 1 or paths[0] not in present:
            continue
        if resource.get("format", "csv") != "csv" and not paths[0].endswith(".csv"):
            continue
        advance()
        path = present[paths[0]]
        schema = schemas[name]
        names = [f["name"] for f in schema.get("fields", [])]
        try:
            raw = read_csv_as_strings(path, names)
        except (pa.ArrowInvalid, OSError) as error:
            collector.add(
                Finding("csv-malformed", f"{paths[0]}: {str(error).splitlines()[0]}", name)
            )
            continue
        if raw.column_names != names:
            collector.add(
                Finding(
                    "header-mismatch",
                    f"header {raw.column_names} differs from the schema's fields {names}",
                    name,
                )
            )
            continue
        expected_rows = resource.get("rows")
        if isinstance(expected_rows, int) and expected_rows != raw.num_rows:
            collector.add(
                Finding("row-count-mismatch", f"{raw.num_rows} rows, not {expected_rows}", name)
            )
        tables[name] = _Table(name, schema, raw, _typed(raw, schema, name, collector))
    return tables


def _row_numbers(mask: Any) -> list[int]:
    """1-based row numbers where a boolean array is true (null counts as false)."""
    return [int(index) + 1 for index in pc.indices_nonzero(mask).to_pylist()]


def _constants(values: Iterable[Any]) -> Any:
    """An Arrow array of constants, parsed by Arrow from JSON lines.

    Converting Python values to Arrow makes pyarrow import pandas when it is installed,
    a fifth of a second of start-up that the check of a clean package would spend for
    nothing; Arrow's own parser does not.
    """
    lines = "".join(json.dumps({"value": value}) + "\n" for value in values)
    return pajson.read_json(io.BytesIO(lines.encode("utf-8"))).column("value").combine_chunks()


def _any_of(values: Iterable[Any]) -> str:
    """A regular expression that matches exactly one of ``values``."""
    return "^(?:" + "|".join(re.escape(str(value)) for value in values) + ")$"


_NULL_STRING = pa.nulls(1, pa.string())[0]


def _typed(raw: pa.Table, schema: dict[str, Any], name: str, collector: _Collector) -> pa.Table:
    """The table with each field cast to its type; invalid values become null (reported)."""
    columns = []
    for field_schema in schema["fields"]:
        field_name, kind = field_schema["name"], field_schema.get("type", "string")
        column = raw.column(field_name)
        if kind == "integer":
            pattern, target_type = r"^[+-]?\d+$", pa.int64()
        elif kind == "number":
            pattern, target_type = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", pa.float64()
        elif kind == "boolean":
            trues = field_schema.get("trueValues", _TRUE_VALUES)
            falses = field_schema.get("falseValues", _FALSE_VALUES)
            valid = pc.match_substring_regex(column, _any_of([*trues, *falses]))
            invalid = pc.and_(pc.invert(valid), pc.is_valid(column))
            _report_type_errors(collector, name, field_name, kind, invalid=invalid, column=column)
            clean = pc.if_else(valid, column, _NULL_STRING)
            columns.append(pc.match_substring_regex(clean, _any_of(trues)))
            continue
        else:
            columns.append(column)
            continue
        try:
            # The common case, every value valid, in one cast; rows are found only if not.
            columns.append(pc.cast(column, target_type))
            continue
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            valid = pc.match_substring_regex(column, pattern)
        invalid = pc.and_(pc.invert(valid), pc.is_valid(column))
        _report_type_errors(collector, name, field_name, kind, invalid=invalid, column=column)
        clean = pc.if_else(valid, column, _NULL_STRING)
        columns.append(pc.cast(clean, target_type))
    return pa.table(columns, names=raw.column_names)


def _report_type_errors(
    collector: _Collector, name: str, field_name: str, kind: str, *, invalid: Any, column: Any
) -> None:
    rows = _row_numbers(invalid)
    if rows:
        collector.rows(
            "type-error",
            name,
            field_name,
            rows,
            template=f"{{0!r}} is not a valid {kind}",
            values=(column,),
        )


def _check_fields(table: _Table, collector: _Collector) -> None:
    for field_schema in table.schema["fields"]:
        field_name = field_schema["name"]
        constraints = field_schema.get("constraints", {})
        raw, typed = table.raw.column(field_name), table.typed.column(field_name)
        if constraints.get("required"):
            collector.rows(
                "required",
                table.name,
                field_name,
                _row_numbers(pc.is_null(raw)),
                template="a required value is missing",
            )
        if "enum" in constraints:
            bad = pc.invert(pc.match_substring_regex(raw, _any_of(constraints["enum"])))
            collector.rows(
                "enum",
                table.name,
                field_name,
                _row_numbers(bad),
                template=f"{{0!r}} is not one of {constraints['enum']}",
                values=(raw,),
            )
        if "pattern" in constraints:
            bad = pc.invert(_full_match(raw, constraints["pattern"]))
            collector.rows(
                "pattern",
                table.name,
                field_name,
                _row_numbers(bad),
                template=f"{{0!r}} does not match {constraints['pattern']}",
                values=(raw,),
            )
        for bound, compare in (("minimum", pc.less), ("maximum", pc.greater)):
            numeric = pa.types.is_integer(typed.type) or pa.types.is_floating(typed.type)
            if bound in constraints and numeric:
                limit = pc.cast(_constants([constraints[bound]]), typed.type)[0]
                bad = compare(typed, limit)
                collector.rows(
                    bound,
                    table.name,
                    field_name,
                    _row_numbers(bad),
                    template=f"{{0}} is out of {bound} {constraints[bound]}",
                    values=(typed,),
                )
        if constraints.get("unique"):
            _report_duplicates(table, [field_name], "unique", collector)


def _full_match(column: Any, pattern: str) -> Any:
    try:
        return pc.match_substring_regex(column, f"^(?:{pattern})$")
    except pa.ArrowInvalid:
        compiled = re.compile(pattern)
        return pa.array(
            [
                None if value is None else bool(compiled.fullmatch(value))
                for value in column.to_pylist()
            ]
        )


def _report_duplicates(table: _Table, keys: list[str], code: str, collector: _Collector) -> None:
    # Counting distinct keys is cheap; rows are listed only when some key repeats.
    joined = _key_strings(table.typed, keys)
    if pc.count_distinct(joined).as_py() == len(joined) - joined.null_count:
        return
    indexed = table.typed.select(keys).append_column(
        "__row", pa.array(range(1, table.typed.num_rows + 1))
    )
    if code == "unique":
        indexed = indexed.filter(pc.is_valid(indexed.column(keys[0])))
    grouped = indexed.group_by(keys).aggregate([("__row", "list")])
    repeated = grouped.filter(pc.greater(pc.list_value_length(grouped.column("__row_list")), 1))
    rows: list[int] = []
    for _first, *others in repeated.column("__row_list").to_pylist():
        rows.extend(others)
    what = ", ".join(keys)
    collector.rows(
        code,
        table.name,
        what,
        sorted(rows),
        template=f"{what} repeats a value of an earlier row",
    )


def _check_primary_key(table: _Table, collector: _Collector) -> None:
    key = table.schema.get("primaryKey")
    if isinstance(key, str):
        key = [key]
    if key:
        _report_duplicates(table, list(key), "primary-key", collector)


def _key_strings(table: pa.Table, columns: list[str]) -> Any:
    """One string per row joining the key's values; null where any part is null."""
    parts = [pc.cast(table.column(name), pa.string()) for name in columns]
    return (
        parts[0]
        if len(parts) == 1
        else pc.binary_join_element_wise(*parts, _constants(["\x1f"])[0])
    )


def _check_foreign_keys(table: _Table, tables: dict[str, _Table], collector: _Collector) -> None:
    for foreign in table.schema.get("foreignKeys", []):
        fields = foreign["fields"] if isinstance(foreign["fields"], list) else [foreign["fields"]]
        reference = foreign["reference"]
        target_name = reference.get("resource") or table.name
        target_fields = (
            reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
        )
        target = tables.get(target_name)
        if target is None:
            collector.add(
                Finding(
                    "foreign-key",
                    f"references table {target_name!r}, which cannot be read",
                    table.name,
                    None,
                    ", ".join(fields),
                )
            )
            continue
        values = _key_strings(table.typed, fields)
        known = pc.unique(_key_strings(target.typed, target_fields))
        referenced = f"{target_name}.{', '.join(target_fields)}"
        bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
        collector.rows(
            "foreign-key",
            table.name,
            ", ".join(fields),
            _row_numbers(bad),
            template=f"{{0!r}} is not a {referenced}",
            values=(values,),
        )


# --- Parquet --------------------------------------------------------------------------


def _check_parquet(
    resources: list[dict[str, Any]],
    present: dict[str, Path],
    tables: dict[str, _Table],
    collector: _Collector,
) -> None:
    for resource in resources:
        paths = _resource_paths(resource)
        if resource.get("format") != "parquet" or len(paths) != 1 or paths[0] not in present:
            continue
        name = str(resource.get("name"))
        table = tables.get(str(resource.get("table")))
        path = present[paths[0]]
        if table is None:
            continue
        try:
            parquet = pq.ParquetFile(path)
            columns, rows = parquet.schema_arrow.names, parquet.metadata.num_rows
        except (pa.ArrowInvalid, OSError) as error:
            collector.add(
                Finding("parquet-unreadable", f"{paths[0]}: {str(error).splitlines()[0]}", name)
            )
            continue
        if columns != table.typed.column_names:
            collector.add(
                Finding(
                    "parquet-columns",
                    f"columns {columns} differ from {table.typed.column_names}",
                    name,
                )
            )
            continue
        if rows != table.typed.num_rows:
            collector.add(
                Finding("parquet-rows", f"{rows} rows, the CSV has {table.typed.num_rows}", name)
            )
            continue
        # One column at a time, so that a large file is never held whole in memory.
        for column_name in columns:
            _compare_column(parquet, column_name, table.typed.column(column_name), name, collector)


def _compare_column(
    parquet: pq.ParquetFile, column_name: str, expected: Any, name: str, collector: _Collector
) -> None:
    try:
        got = parquet.read(columns=[column_name]).column(0)
    except (pa.ArrowInvalid, OSError) as error:
        collector.add(
            Finding("parquet-unreadable", str(error).splitlines()[0], name, None, column_name)
        )
        return
    if pa.types.is_dictionary(got.type):
        got = got.cast(got.type.value_type)
    try:
        got = pc.cast(got, expected.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        collector.add(
            Finding(
                "parquet-values",
                f"type {got.type} cannot hold {expected.type}",
                name,
                None,
                column_name,
            )
        )
        return
    # A difference, or a value on one side only; two nulls agree.
    differs = pc.or_kleene(
        pc.not_equal(got, expected), pc.xor(pc.is_null(got), pc.is_null(expected))
    )
    collector.rows(
        "parquet-values",
        name,
        column_name,
        _row_numbers(differs),
        template="{0!r} in Parquet, {1!r} in the CSV",
        values=(got, expected),
    )


# --- codes and domain rules -----------------------------------------------------------


def _iter_columns(tables: dict[str, _Table], name: str) -> Iterator[tuple[_Table, Any]]:
    for table in tables.values():
        if name in table.typed.column_names:
            yield table, table.typed.column(name)


def _check_codes(tables: dict[str, _Table], collector: _Collector) -> None:
    states = _constants(sorted(s.code for s in pycountry.subdivisions.get(country_code="MX")))
    for table, column in _iter_columns(tables, "state_code"):
        bad = pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=states)))
        collector.rows(
            "unknown-state-code",
            table.name,
            "state_code",
            _row_numbers(bad),
            template="{0!r} is not an ISO 3166-2:MX code",
            values=(column,),
        )
    alpha3 = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    for table, column in _iter_columns(tables, "country_code"):
        bad = pc.and_(
            pc.is_valid(column), pc.invert(pc.is_in(column, value_set=_constants(sorted(alpha3))))
        )
        collector.rows(
            "unknown-country-code",
            table.name,
            "country_code",
            _row_numbers(bad),
            template="{0!r} is not an ISO 3166-1 alpha-3 code",
            values=(column,),
        )
        if "alpha_2" in table.typed.column_names:
            expected = pc.cast(
                _constants([alpha3.get(code) for code in column.to_pylist()]), pa.string()
            )
            bad = pc.not_equal(table.typed.column("alpha_2"), expected)
            collector.rows(
                "country-alpha2-mismatch",
                table.name,
                "alpha_2",
                _row_numbers(bad),
                template="not the alpha-2 code of {0}",
                values=(column,),
            )
    inegi = {code: inegi_code for inegi_code, code, _name in inegi_states()}
    for table, column in _iter_columns(tables, "inegi_code"):
        if "state_code" not in table.typed.column_names or not len(column):
            continue
        codes = table.typed.column("state_code").to_pylist()
        expected = pc.cast(_constants([inegi.get(code) for code in codes]), pa.string())
        bad = pc.not_equal(column, expected)
        collector.rows(
            "inegi-mismatch",
            table.name,
            "inegi_code",
            _row_numbers(bad),
            template="{0!r} is not INEGI's code for this state",
            values=(column,),
        )


def _check_practices(tables: dict[str, _Table], collector: _Collector) -> None:
    table = tables.get("practices")
    needed = {
        "practice_id",
        "edition",
        "section",
        "objective_id",
        "number",
        "state_code",
        "challenges",
        "challenges_reported",
    }
    if table is None or not needed <= set(table.typed.column_names):
        return
    data = table.typed
    section = data.column("section")
    letter = pc.replace_substring_regex(
        pc.replace_substring_regex(section, "^federal$", "F"), "^state$", "S"
    )
    expected_id = pc.binary_join_element_wise(
        pc.cast(data.column("edition"), pa.string()),
        letter,
        pc.utf8_lpad(pc.cast(data.column("objective_id"), pa.string()), 2, "0"),
        pc.utf8_lpad(pc.cast(data.column("number"), pa.string()), 2, "0"),
        _constants(["-"])[0],
    )
    bad = pc.not_equal(data.column("practice_id"), expected_id)
    collector.rows(
        "practice-id-mismatch",
        "practices",
        "practice_id",
        _row_numbers(bad),
        template="{0!r} should be {1!r}",
        values=(data.column("practice_id"), expected_id),
    )
    state = pc.match_substring_regex(section, "^state$")
    has_code = pc.is_valid(data.column("state_code"))
    bad = pc.not_equal(state, has_code)
    collector.rows(
        "state-code-section",
        "practices",
        "state_code",
        _row_numbers(bad),
        template="a state practice needs a state_code, a federal one has none",
    )
    challenges = data.column("challenges")
    none_reported = pc.or_kleene(
        pc.is_null(challenges),
        pc.match_substring_regex(challenges, _NO_CHALLENGES.pattern, ignore_case=True),
    )
    bad = pc.and_kleene(none_reported, data.column("challenges_reported"))
    collector.rows(
        "challenges-reported",
        "practices",
        "challenges_reported",
        _row_numbers(bad),
        template="challenges_reported is true but no challenges are reported",
    )
    # With a key of the numbering missing or mistyped (reported already), the numbering
    # cannot be judged. Numbering restarts in every edition, section and objective.
    keys = ["edition", "section", "objective_id"]
    if any(data.column(name).null_count for name in [*keys, "number"]):
        return
    _check_numbering(data, keys, collector)


def _check_numbering(data: pa.Table, keys: list[str], collector: _Collector) -> None:
    """Numbers run 1, 2, 3... in every group of ``keys``, in any row order.

    Sorted by group and number, each number is 1 where its group starts and one more
    than the number above it elsewhere.
    """
    order = pc.sort_indices(data, sort_keys=[(name, "ascending") for name in [*keys, "number"]])
    ordered = data.select([*keys, "number"]).take(order)
    group = _key_strings(ordered, keys)
    number = ordered.column("number")
    one = pc.cast(_constants([1]), number.type)[0]
    starts = pc.not_equal(group.slice(1), group.slice(0, len(group) - 1))
    expected_after = pc.if_else(starts, one, pc.add(number.slice(0, len(number) - 1), one))
    wrong = pc.not_equal(number.slice(1), expected_after)
    broken = set(group.take(pc.add(pc.indices_nonzero(wrong), one)).to_pylist())
    if len(number) and number[0].as_py() != 1:
        broken.add(group[0].as_py())
    for key in sorted(broken):
        numbers = sorted(pc.filter(number, pc.equal(group, _constants([key])[0])).to_pylist())
        collector.add(
            Finding(
                "numbering-gap",
                f"{key.replace(chr(31), ' ')}: practices numbered {numbers}, not 1..{len(numbers)}",
                "practices",
                None,
                "number",
            )
        )
