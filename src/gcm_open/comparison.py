"""Compare two gcm-open packages: schema changes, rows added, removed and changed by
primary key, and the version bump the Data Package versioning rules call for.

- MAJOR: a table or field removed or renamed, a type changed, a constraint tightened, a
  primary key changed, or rows removed (ids that users join on disappear);
- MINOR: tables, fields or rows added, or a constraint loosened;
- PATCH: values corrected in existing rows, or rows that only moved in the source;
- none: the data are the same.

A row whose only changes are where it is printed in the source (pages, lines: the
:data:`LOCATION_FIELDS`) *moved*: an edition that inserts a practice moves every one after
it, and those are counted apart from the rows whose content changed.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from gcm_open.diagnostics import Stopwatch
from gcm_open.errors import TargetError
from gcm_open.package.reading import DescriptorError, open_package, read_csv_text, read_descriptor

BUMPS = ("none", "patch", "minor", "major")
EXAMPLES_PER_KIND = 5
# The fields that say where a row is printed in the source, not what it says.
LOCATION_FIELDS = frozenset(
    {"page_start", "page_end", "line_start", "line_end", "line_no", "page", "line", "marker_line"}
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SchemaChange:
    """A change to a table's definition, and the bump it needs."""

    table: str
    kind: str
    detail: str
    bump: str

    def to_dict(self) -> dict[str, str]:
        return {"table": self.table, "kind": self.kind, "detail": self.detail, "bump": self.bump}


@dataclass
class TableRows:
    """Rows of one table added, removed, changed and moved, keyed by primary key."""

    table: str
    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0
    added_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)
    changed_keys: list[str] = field(default_factory=list)
    moved_keys: list[str] = field(default_factory=list)
    # The first changed rows with the fields that changed, as examples.
    changed_rows: list[dict[str, Any]] = field(default_factory=list)
    # Every changed row's content changes: key -> field -> [old, new].
    changed_values: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PackageDiff:
    """What changed from an old package to a new one."""

    old_version: str | None
    new_version: str | None
    schema_changes: tuple[SchemaChange, ...]
    rows: tuple[TableRows, ...]

    @property
    def required_bump(self) -> str:
        """The smallest SemVer bump these changes allow."""
        bumps = [change.bump for change in self.schema_changes]
        for table in self.rows:
            if table.removed:
                bumps.append("major")
            if table.added:
                bumps.append("minor")
            if table.changed or table.moved:
                bumps.append("patch")
        return max(bumps, key=BUMPS.index, default="none")

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": self.required_bump,
            "schema_changes": [change.to_dict() for change in self.schema_changes],
            "rows": [
                table.to_dict()
                for table in self.rows
                if table.added or table.removed or table.changed or table.moved
            ],
        }

    def summary(self) -> list[str]:
        """One line per change, for people."""
        lines = [f"{c.table}: {c.kind} {c.detail} ({c.bump})" for c in self.schema_changes]
        for table in self.rows:
            if table.added or table.removed or table.changed or table.moved:
                moved = f", {table.moved} moved in the source" if table.moved else ""
                lines.append(
                    f"{table.table}: {table.added} rows added, {table.removed} removed, "
                    f"{table.changed} changed{moved}"
                )
        return lines or ["no changes"]


@dataclass
class _Package:
    version: str | None
    schemas: dict[str, dict[str, Any]]
    tables: dict[str, pa.Table]


def _load(target: str, workdir: Path) -> _Package:
    """The descriptor, schemas and CSV tables of a package, read as strings."""
    with open_package(target, workdir) as package:
        descriptor = read_descriptor(package)
        schemas: dict[str, dict[str, Any]] = {}
        tables: dict[str, pa.Table] = {}
        for resource in package.tables():
            if len(resource.paths) != 1 or resource.format != "csv":
                continue
            try:
                schema = package.schema(resource)
                if schema is None:
                    continue
                names = [f["name"] for f in schema["fields"]]
                tables[resource.name] = read_csv_text(package.local(resource.paths[0]), names)
            except (OSError, DescriptorError, KeyError, TypeError, pa.ArrowInvalid) as error:
                raise TargetError(
                    f"{target}: resource {resource.name} cannot be read ({error})"
                ) from None
            schemas[resource.name] = schema
        return _Package(descriptor.get("version"), schemas, tables)


def diff(old: str | Path, new: str | Path) -> PackageDiff:
    """Compare two packages (directories, descriptors, zips or URLs).

    >>> import tempfile, pathlib
    >>> from gcm_open import build
    >>> package = build(out=pathlib.Path(tempfile.mkdtemp()) / "package").out_dir
    >>> difference = diff(package, package)
    >>> difference.required_bump, difference.summary()
    ('none', ['no changes'])

    Raises :class:`~gcm_open.errors.TargetError` when either cannot be read.
    """
    watch = Stopwatch()
    with tempfile.TemporaryDirectory(prefix="gcm-open-diff-") as scratch:
        before = _load(str(old), Path(scratch) / "old")
        after = _load(str(new), Path(scratch) / "new")
    log.info("read %s and %s in %s", old, new, watch.lap())
    changes: list[SchemaChange] = []
    rows: list[TableRows] = []
    for name in sorted(set(before.schemas) | set(after.schemas)):
        if name not in after.schemas:
            changes.append(SchemaChange(name, "table removed", "", "major"))
            continue
        if name not in before.schemas:
            changes.append(SchemaChange(name, "table added", "", "minor"))
            rows.append(TableRows(name, added=after.tables[name].num_rows))
            continue
        changes += _schema_changes(name, before.schemas[name], after.schemas[name])
        rows.append(_row_changes(name, before, after))
    log.info("compared %d tables in %s", len(rows), watch.lap())
    return PackageDiff(before.version, after.version, tuple(changes), tuple(rows))


def _fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in schema.get("fields", [])}


def _schema_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    old_fields, new_fields = _fields(old), _fields(new)
    changes += [
        SchemaChange(table, "field removed", name, "major")
        for name in old_fields
        if name not in new_fields
    ]
    changes += [
        SchemaChange(table, "field added", name, "minor")
        for name in new_fields
        if name not in old_fields
    ]
    for name in old_fields.keys() & new_fields.keys():
        before, after = old_fields[name], new_fields[name]
        if before.get("type", "string") != after.get("type", "string"):
            changes.append(
                SchemaChange(
                    table,
                    "type changed",
                    f"{name}: {before.get('type')} -> {after.get('type')}",
                    "major",
                )
            )
        changes += _constraint_changes(
            table, name, before.get("constraints", {}), after.get("constraints", {})
        )
    if old.get("primaryKey") != new.get("primaryKey"):
        changes.append(
            SchemaChange(
                table,
                "primary key changed",
                f"{old.get('primaryKey')} -> {new.get('primaryKey')}",
                "major",
            )
        )
    return changes


def _constraint_changes(
    table: str, name: str, old: dict[str, Any], new: dict[str, Any]
) -> list[SchemaChange]:
    changes: list[SchemaChange] = []

    def change(kind: str, tightened: bool) -> None:
        bump = "major" if tightened else "minor"
        verb = "tightened" if tightened else "loosened"
        changes.append(SchemaChange(table, f"constraint {verb}", f"{name}: {kind}", bump))

    for flag in ("required", "unique"):
        if bool(old.get(flag)) != bool(new.get(flag)):
            change(flag, bool(new.get(flag)))
    if old.get("enum") != new.get("enum"):
        if "enum" not in old or ("enum" in new and not set(new["enum"]) >= set(old["enum"])):
            change("enum", True)
        else:
            change("enum", False)
    if old.get("pattern") != new.get("pattern"):
        # A changed pattern may reject values the old one accepted.
        change("pattern", "pattern" in new)
    if old.get("minimum") != new.get("minimum"):
        change(
            "minimum",
            "minimum" in new and ("minimum" not in old or new["minimum"] > old["minimum"]),
        )
    if old.get("maximum") != new.get("maximum"):
        change(
            "maximum",
            "maximum" in new and ("maximum" not in old or new["maximum"] < old["maximum"]),
        )
    return changes


def _keys(table: pa.Table, key: list[str]) -> list[str]:
    columns = [table.column(name).to_pylist() for name in key]
    return [
        " / ".join("" if value is None else str(value) for value in values)
        for values in zip(*columns, strict=True)
    ]


def _row_changes(name: str, before: _Package, after: _Package) -> TableRows:
    key = after.schemas[name].get("primaryKey") or [
        f["name"] for f in after.schemas[name]["fields"]
    ]
    key = [key] if isinstance(key, str) else list(key)
    old_table, new_table = before.tables[name], after.tables[name]
    if not set(key) <= set(old_table.column_names):
        return TableRows(name, added=new_table.num_rows, removed=old_table.num_rows)
    old_rows = dict(zip(_keys(old_table, key), old_table.to_pylist(), strict=True))
    new_rows = dict(zip(_keys(new_table, key), new_table.to_pylist(), strict=True))
    result = TableRows(name)
    added = [k for k in new_rows if k not in old_rows]
    removed = [k for k in old_rows if k not in new_rows]
    result.added, result.removed = len(added), len(removed)
    result.added_keys, result.removed_keys = sorted(added), sorted(removed)
    shared = [f for f in new_table.column_names if f in old_table.column_names]
    for row_key in sorted(new_rows.keys() & old_rows.keys()):
        old, new = old_rows[row_key], new_rows[row_key]
        changed = [f for f in shared if old[f] != new[f]]
        content = [f for f in changed if f not in LOCATION_FIELDS]
        if content:
            result.changed += 1
            result.changed_keys.append(row_key)
            result.changed_values[row_key] = {f: [old[f], new[f]] for f in content}
            if len(result.changed_rows) < EXAMPLES_PER_KIND:
                result.changed_rows.append({"key": row_key, "fields": changed})
        elif changed:
            result.moved += 1
            result.moved_keys.append(row_key)
    return result


def table_rows(difference: PackageDiff, table: str) -> TableRows:
    """What changed in the rows of ``table`` (nothing when the table is new or gone)."""
    return next((rows for rows in difference.rows if rows.table == table), TableRows(table))
