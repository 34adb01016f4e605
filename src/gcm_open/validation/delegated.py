"""Tables that the fast engine does not take, checked by frictionless itself.

Dialects it would sniff, other encodings, compressed or multipart files, inline data,
field types and formats beyond string, integer, number and boolean, and files whose rows
do not parse as the schema says: frictionless reads those row by row, and its errors
become findings with our codes. It reads only the local files already checked by the
path rule: the descriptor it is given has every path made local and every schema inline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package, system
from frictionless.resources import TableResource

from gcm_open.validation.descriptor import STANDARD_PROFILES
from gcm_open.validation.findings import CATALOG, CONSTRAINT_CODES, Collector, Finding
from gcm_open.validation.tabular import whole_value_pattern

_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)"')
# frictionless checks these too; gcm-open makes its own integrity and row count checks.
_OURS_ALREADY = frozenset({"byte-count", "hash-count", "row-count", "field-count"})
# frictionless error types that are not the name of one of our codes.
_CODE_OF_TYPE = {
    "unique-error": "unique",
    "package-error": "descriptor-profile",
    "schema-error": "schema-invalid",
    "task-error": "resource-error",
    "cell-error": "type-error",
}


@contextmanager
def _trusted() -> Iterator[None]:
    """frictionless reading paths that gcm-open's path rule has already allowed (absolute
    local files), and trusting nothing again afterwards, even when it raises: its own
    ``use_context`` leaves ``trusted`` set after an exception."""
    previous = system.trusted
    system.trusted = True
    try:
        yield
    finally:
        system.trusted = previous


def code_of(error_type: str, note: str) -> str:
    """Our finding code for a frictionless error."""
    if error_type == "constraint-error":
        match = _CONSTRAINT_NOTE.search(note)
        if match and match.group(1) in CONSTRAINT_CODES:
            return CONSTRAINT_CODES[match.group(1)]
    code = _CODE_OF_TYPE.get(error_type, error_type)
    return code if code in CATALOG else "resource-error"


def frictionless_descriptor(
    descriptor: dict[str, Any],
    local_paths: dict[str, list[Path]],
    schemas: dict[str, dict[str, Any]],
    scratch: Path,
) -> dict[str, Any]:
    """The descriptor as frictionless should see it, to read it as the standard says:

    - each resource's files the local files the path rule has allowed, the parts of a
      multipart CSV joined into one (frictionless would drop the first line of each);
    - every schema inline, its patterns anchored to the whole value (frictionless puts
      ``^...$`` round a pattern, so that ``a|b`` matches ``axyz`` and a trailing newline
      passes);
    - a CSV dialect's delimiter, quote, initial spaces and header the standard's defaults
      where it declares none (frictionless would guess them from the data);
    - ``bytes`` and ``hash`` left out (gcm-open checks them itself), and a profile other
      than the standard ones (never fetched) left out too.
    """
    resources: list[dict[str, Any]] = []
    for resource in descriptor.get("resources", []):
        if not isinstance(resource, dict):
            continue
        name = resource.get("name")
        entry = {
            key: value
            for key, value in resource.items()
            if key not in ("bytes", "hash", "schema", "path")
        }
        if name in local_paths:
            parts = local_paths[name]
            if len(parts) > 1 and not resource.get("compression"):
                parts = [_joined(parts, scratch / f"{len(resources)}-{parts[0].name}")]
            entry["path"] = str(parts[0]) if len(parts) == 1 else [str(part) for part in parts]
        elif "path" in resource:
            continue  # a file that may not be read is not handed on
        if name in schemas:
            entry["schema"] = anchored_patterns(schemas[name])
        if _is_csv(resource):
            declared = entry.get("dialect")
            dialect: dict[str, Any] = declared if isinstance(declared, dict) else {}
            tab = str(resource.get("format", resource.get("path", ""))).lower().endswith("tsv")
            defaults: dict[str, Any] = {
                "delimiter": "\t" if tab else ",",
                "quoteChar": '"',
                "skipInitialSpace": False,
            }
            if "headerRows" not in dialect:
                defaults["header"] = True
            entry["dialect"] = defaults | dialect
        resources.append(entry)
    kept = {key: value for key, value in descriptor.items() if key != "resources"}
    for key in ("profile", "$schema"):
        if key in kept and kept[key] not in STANDARD_PROFILES:
            del kept[key]
    return kept | {"resources": resources}


def anchored_patterns(schema: dict[str, Any]) -> dict[str, Any]:
    """A Table Schema whose patterns match whole values only, as the standard reads them,
    once frictionless has put ``^`` and ``$`` round them."""
    fields = []
    for entry in schema.get("fields", []):
        constraints = entry.get("constraints") if isinstance(entry, dict) else None
        if isinstance(constraints, dict) and isinstance(constraints.get("pattern"), str):
            pattern = whole_value_pattern(constraints["pattern"])
            fields.append({**entry, "constraints": {**constraints, "pattern": pattern}})
        else:
            fields.append(entry)
    return {**schema, "fields": fields}


def _is_csv(resource: dict[str, Any]) -> bool:
    if "data" in resource:
        return False
    declared = resource.get("format")
    if isinstance(declared, str):
        return declared.lower() in ("csv", "tsv")
    path = resource.get("path")
    first = path[0] if isinstance(path, list) and path else path
    name = str(first).lower().removesuffix(".gz").removesuffix(".zip")
    return name.endswith((".csv", ".tsv"))


def _joined(parts: list[Path], target: Path) -> Path:
    """The parts of a multipart file one after the other in one file, each part ending
    its last line."""
    with target.open("wb") as sink:
        for part in parts:
            data = part.read_bytes()
            sink.write(data)
            if data and not data.endswith((b"\n", b"\r")):
                sink.write(b"\n")
    return target


def check_with_frictionless(
    descriptor: dict[str, Any],
    basepath: str,
    name: str,
    collector: Collector,
    *,
    limit_errors: int,
) -> int:
    """Validate one resource of ``descriptor`` with frictionless; its errors become
    findings. Returns the rows frictionless read."""
    try:
        # Every path is a local file the path rule has already allowed.
        with _trusted():
            package = Package(descriptor, basepath=basepath)
            resource = package.get_resource(name)
            report = resource.validate(limit_errors=limit_errors)
    except FrictionlessException as exception:
        note = exception.error.note or exception.error.message
        collector.add(code_of(exception.error.type, note), resource=name, detail=note)
        return 0
    task = report.tasks[0] if report.tasks else None
    errors = [*report.errors, *(task.errors if task else [])]
    for error in errors:
        if error.type in _OURS_ALREADY:
            continue
        collector.keep(_finding(error, name))
    rows = task.stats.get("rows") if task is not None else None
    return rows if isinstance(rows, int) else 0


def _finding(error: Any, name: str) -> Finding:
    note = getattr(error, "note", "") or ""
    row = getattr(error, "row_number", None)
    if row is None and getattr(error, "row_numbers", None):
        row = error.row_numbers[0]  # a label: the header row
    return Finding(
        code_of(error.type, note),
        error.message,
        name,
        row,
        getattr(error, "field_name", None) or None,
    )


def key_values(
    descriptor: dict[str, Any],
    basepath: str,
    name: str,
    fields: tuple[str, ...],
    encode: Callable[[list[list[Any]], list[str]], Any],
) -> Any:
    """The typed values of ``fields`` in every row of a resource as frictionless reads
    them, encoded as the fast engine encodes keys (for foreign keys into the resource)."""
    try:
        with _trusted():
            package = Package(descriptor, basepath=basepath)
            resource = package.get_resource(name)
        if not isinstance(resource, TableResource):
            return None
        resource.schema.foreign_keys = []
        kinds = [resource.schema.get_field(field).type for field in fields]
        columns: list[list[Any]] = [[] for _ in fields]
        with _trusted(), resource:
            for row in resource.row_stream:
                for column, field in zip(columns, fields, strict=True):
                    column.append(row.get(field))
    except FrictionlessException:
        return None
    return encode(columns, kinds)
