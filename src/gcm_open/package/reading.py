"""A package on disk, read: its descriptor (JSON or YAML, within size and depth limits),
its resources, their files through the one path rule, their Table Schemas, and the
tables themselves from Parquet or CSV.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from gcm_open.errors import TargetError
from gcm_open.package.layout import DESCRIPTOR, PARQUET_SUFFIX, path_problem
from gcm_open.package.opening import Limits, OpenedTarget, open_target

MAX_JSON_DEPTH = 64
GCM_OPEN_ID_PREFIX = "urn:gcm-open:"
GCM_OPEN_NAME_PREFIX = "gcm-open-compendio-"
# Formats frictionless reads as tables when a resource does not say what it is.
TABLE_FORMATS = frozenset({"csv", "tsv", "jsonl", "ndjson", "xlsx", "xls", "ods", "parquet"})
COMPRESSION_SUFFIXES = (".gz", ".zip")


class DescriptorError(TargetError):
    """A descriptor or schema file that cannot be parsed: its message names the problem
    and where it is (file, line, column)."""


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


def _yaml_depth(value: Any, depth: int = 0) -> int:
    if depth > MAX_JSON_DEPTH:
        return depth
    if isinstance(value, dict):
        return max((_yaml_depth(item, depth + 1) for item in value.values()), default=depth + 1)
    if isinstance(value, list):
        return max((_yaml_depth(item, depth + 1) for item in value), default=depth + 1)
    return depth


def read_metadata_file(path: Path, limits: Limits) -> Any:
    """Parse a JSON or YAML file of an untrusted package within the size and nesting
    limits (YAML by its suffix, without tags that build objects).

    Raises :class:`DescriptorError` naming the problem and where it is.
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DescriptorError(f"{path.name} cannot be read ({error.strerror})") from None
    if size > limits.max_descriptor_bytes:
        raise DescriptorError(
            f"{path.name} is {size} bytes, more than {limits.max_descriptor_bytes}"
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".yaml", ".yml"):
        return _parse_yaml(path.name, text)
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise DescriptorError(f"{path.name} nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DescriptorError(
            f"{path.name}:{error.lineno}:{error.colno}: invalid JSON ({error.msg})"
        ) from None


def _parse_yaml(name: str, text: str) -> Any:
    try:
        # The safe loader builds only plain data; aliases are expanded, so a document of
        # nested aliases (a "billion laughs") is refused by its depth or its size below.
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "not YAML"
        raise DescriptorError(f"{name}{where}: invalid YAML ({problem})") from None
    if _yaml_depth(value) > MAX_JSON_DEPTH:
        raise DescriptorError(f"{name} nests deeper than {MAX_JSON_DEPTH} levels")
    return value


@dataclass(frozen=True)
class Resource:
    """One resource of a descriptor, as the descriptor says it."""

    index: int
    descriptor: dict[str, Any]

    @property
    def name(self) -> str:
        name = self.descriptor.get("name")
        return name if isinstance(name, str) else f"resource {self.index + 1}"

    @property
    def paths(self) -> list[str]:
        """The paths of its files: one, several (a multipart table), or none (inline)."""
        path = self.descriptor.get("path")
        if isinstance(path, str):
            return [path]
        if isinstance(path, list):
            return [item for item in path if isinstance(item, str)]
        return []

    @property
    def format(self) -> str | None:
        """The declared format, else the one its path's suffix gives (``csv`` for
        ``data.csv.gz``), else ``inline`` for inline data."""
        declared = self.descriptor.get("format")
        if isinstance(declared, str):
            return declared.lower()
        if "data" in self.descriptor:
            return "inline"
        if not self.paths:
            return None
        name = self.paths[0].lower()
        for suffix in COMPRESSION_SUFFIXES:
            name = name.removesuffix(suffix)
        return name.rsplit(".", 1)[1] if "." in name.rsplit("/", 1)[-1] else None

    @property
    def is_table(self) -> bool:
        """Whether frictionless would read it as a table: declared so (``type``,
        ``profile``), with a schema, or in a tabular format."""
        declared = self.descriptor.get("type")
        if declared is not None:
            return bool(declared == "table")
        if self.descriptor.get("profile") == "tabular-data-resource":
            return True
        if "schema" in self.descriptor:
            return True
        return self.format in TABLE_FORMATS or self.format == "inline"


@dataclass
class DataPackage:
    """A package opened for reading: its descriptor and, through the path rule, its files.

    For a URL, files are downloaded (within the limits) when they are first read.
    """

    target: str
    opened: OpenedTarget

    def __post_init__(self) -> None:
        self._descriptor: dict[str, Any] | None = None

    @property
    def root(self) -> Path:
        return self.opened.root

    @property
    def descriptor_name(self) -> str:
        return self.opened.descriptor

    @property
    def descriptor(self) -> dict[str, Any]:
        """The descriptor as an object; raises :class:`DescriptorError` when it is not
        one."""
        if self._descriptor is None:
            value = read_metadata_file(self.opened.local(self.descriptor_name), self.opened.limits)
            if not isinstance(value, dict):
                raise DescriptorError(f"{self.descriptor_name} is not an object")
            self._descriptor = value
        return self._descriptor

    def resources(self) -> list[Resource]:
        """The resources that are objects, in the descriptor's order."""
        listed = self.descriptor.get("resources")
        if not isinstance(listed, list):
            return []
        return [Resource(i, entry) for i, entry in enumerate(listed) if isinstance(entry, dict)]

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources() if r.name == name), None)

    def path_problem(self, path: object) -> str | None:
        """Why the package may not read ``path`` (see :func:`~gcm_open.package.layout.
        path_problem`), or None."""
        return path_problem(path, self.root, self.opened.base_url)

    def local(self, path: str) -> Path:
        """The local file of a path the descriptor names, which must be there.

        Raises :class:`TargetError` for a path the rule forbids, a missing file or a
        failed download.
        """
        problem = self.path_problem(path)
        if problem is not None:
            raise TargetError(f"{self.target}: path {path!r} may not be read: {problem}")
        local = self.opened.local(path)
        if not local.is_file():
            raise TargetError(f"{self.target}: {path} is missing")
        return local

    def read_metadata(self, path: str) -> Any:
        """A JSON or YAML file of the package (a schema, a dialect), within the limits.

        Raises :class:`TargetError` when it may not be read or is not there,
        :class:`DescriptorError` when it cannot be parsed.
        """
        return read_metadata_file(self.local(path), self.opened.limits)

    def schema(self, resource: Resource) -> dict[str, Any] | None:
        """The Table Schema of a resource, inline or from its file; None without one.

        Raises :class:`TargetError` or :class:`DescriptorError` when it cannot be read.
        """
        reference = resource.descriptor.get("schema")
        if reference is None:
            return None
        schema = self.read_metadata(reference) if isinstance(reference, str) else reference
        if not isinstance(schema, dict):
            where = reference if isinstance(reference, str) else f"the schema of {resource.name}"
            raise DescriptorError(f"{where} is not an object")
        return schema

    @property
    def is_gcm_open(self) -> bool:
        """Whether the package says it is a gcm-open package (by its id or name)."""
        descriptor = self.descriptor
        identifier, name = descriptor.get("id"), descriptor.get("name")
        return (isinstance(identifier, str) and identifier.startswith(GCM_OPEN_ID_PREFIX)) or (
            isinstance(name, str) and name.startswith(GCM_OPEN_NAME_PREFIX)
        )

    def tables(self) -> list[Resource]:
        """The table resources, but the Parquet copies of a gcm-open package's tables."""
        names = {resource.name for resource in self.resources()}
        return [
            resource
            for resource in self.resources()
            if resource.is_table
            and not (
                resource.name.endswith(PARQUET_SUFFIX)
                and resource.name.removesuffix(PARQUET_SUFFIX) in names
            )
        ]

    def parquet_copy(self, table: str) -> Resource | None:
        """The Parquet file of a table: the resource ``<table>-parquet`` or, failing it, a
        Parquet resource that names the table."""
        for resource in self.resources():
            if resource.format != "parquet":
                continue
            if (
                resource.name == f"{table}{PARQUET_SUFFIX}"
                or resource.descriptor.get("table") == table
            ):
                return resource
        return None


@contextmanager
def open_package(
    target: str | Path, workdir: Path | None = None, limits: Limits | None = None
) -> Iterator[DataPackage]:
    """Open a package folder, descriptor (JSON or YAML), zip or http(s) URL for reading.

    Zips are extracted and downloads kept in ``workdir`` (a temporary folder removed on
    leaving when not given). Raises :class:`TargetError` when the target is not there or
    not a package; the descriptor is parsed when first read.
    """
    if workdir is None:
        with (
            tempfile.TemporaryDirectory(prefix="gcm-open-") as scratch,
            open_target(str(target), Path(scratch), limits) as opened,
        ):
            yield DataPackage(str(target), opened)
        return
    with open_target(str(target), workdir, limits) as opened:
        yield DataPackage(str(target), opened)


def read_descriptor(package: DataPackage) -> dict[str, Any]:
    """The descriptor of a package for readers that need a sound one (``diff``, ``load``,
    ``publish``); validation reports these problems as findings instead.

    Raises :class:`TargetError` naming the first problem and where it is.
    """
    if package.opened.problems:
        first = package.opened.problems[0]
        raise TargetError(f"{package.target}: {first.message} (run gcm-open validate for all)")
    try:
        return package.descriptor
    except DescriptorError as error:
        raise TargetError(f"{package.target}: {error}") from None


def read_csv_text(path: Path, names: list[str]) -> Any:
    """A CSV file of a package with every column as text (an empty cell is null), so that
    its values can be compared before any type is trusted.

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


_ARROW_TYPES = {"integer": "int64", "number": "float64", "boolean": "bool"}


def read_table(
    package: DataPackage, resource: Resource, schema: dict[str, Any] | None, *, typed: bool = True
) -> Any:
    """A table resource as an Arrow table: a Parquet file as it is, CSV files (one or
    several parts, compressed or not) typed by the schema's integer, number and boolean
    fields (other fields, and every field unless ``typed``, as text), inline data as given.

    Raises :class:`TargetError` when it cannot be read so.
    """
    where = f"{package.target}: table {resource.name!r}"
    if "data" in resource.descriptor:
        return _inline_table(resource.descriptor["data"], where)
    if not resource.paths:
        raise TargetError(f"{where} has no data")
    files = [package.local(path) for path in resource.paths]
    try:
        if resource.format == "parquet":
            return pa.concat_tables([pq.read_table(path) for path in files])
        if resource.format not in ("csv", "tsv"):
            raise TargetError(f"{where} is {resource.format}: only CSV and Parquet are read")
        dialect = resource.descriptor.get("dialect")
        dialect = dialect if isinstance(dialect, dict) else {}
        delimiter = dialect.get("delimiter", "\t" if resource.format == "tsv" else ",")
        fields = schema.get("fields", []) if schema else []
        names = [field["name"] for field in fields]
        types: dict[str, Any] = {
            field["name"]: pa.type_for_alias(
                _ARROW_TYPES.get(field.get("type"), "string") if typed else "string"
            )
            for field in fields
        }
        missing = schema.get("missingValues", [""]) if schema else [""]
        parts = []
        for index, path in enumerate(files):
            header = dialect.get("header", True) and index == 0
            parts.append(
                pacsv.read_csv(
                    path,
                    read_options=pacsv.ReadOptions(
                        column_names=None if header or not names else names,
                        encoding=str(resource.descriptor.get("encoding", "utf8")),
                    ),
                    parse_options=pacsv.ParseOptions(
                        delimiter=delimiter,
                        quote_char=dialect.get("quoteChar", '"'),
                        newlines_in_values=True,
                    ),
                    convert_options=pacsv.ConvertOptions(
                        column_types=types,
                        null_values=[value for value in missing if isinstance(value, str)],
                        strings_can_be_null=True,
                        true_values=["true", "True", "TRUE", "1"],
                        false_values=["false", "False", "FALSE", "0"],
                    ),
                )
            )
        return pa.concat_tables(parts)
    except (pa.ArrowInvalid, OSError, LookupError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise TargetError(f"{where} cannot be read ({message})") from None


def _inline_table(data: Any, where: str) -> Any:
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        return pa.Table.from_pylist(data)
    if isinstance(data, list) and data and all(isinstance(row, list) for row in data):
        header, *rows = data
        return pa.table(
            {
                str(name): [row[i] if i < len(row) else None for row in rows]
                for i, name in enumerate(header)
            }
        )
    raise TargetError(f"{where}: inline data that is not a list of rows")


def local_package(directory: Path) -> DataPackage:
    """A package folder on this machine (one gcm-open wrote or checked), for reading."""
    return DataPackage(str(directory), OpenedTarget(directory, DESCRIPTOR))


def table_schemas(package: DataPackage) -> dict[str, dict[str, Any]]:
    """The Table Schema of every table resource that has one, by resource name.

    Raises :class:`TargetError` or :class:`DescriptorError` when one cannot be read.
    """
    schemas = {}
    for resource in package.tables():
        schema = package.schema(resource)
        if schema is not None:
            schemas[resource.name] = schema
    return schemas
