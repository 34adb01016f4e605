"""Validate a package: the descriptor, its paths and schemas, every file's size and
digest, every table against its Table Schema, and for a gcm-open package its tables as
this version of gcm-open defines them, their Parquet copies and the dataset's rules.

A table with data is either checked completely or refused: what gcm-open cannot check
(spreadsheets, JSON data, SQL) raises :class:`~gcm_open.errors.TargetError`.
"""

from __future__ import annotations

import graphlib
import logging
import tempfile
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from gcm_open.diagnostics import Progress, Stopwatch
from gcm_open.errors import TargetError
from gcm_open.package.layout import csv_path, parquet_path, parquet_resource
from gcm_open.package.opening import DownloadLimitError, Limits
from gcm_open.package.reading import DataPackage, DescriptorError, Resource, open_package
from gcm_open.schemas import TABLE_NAMES, load_schema
from gcm_open.validation import delegated
from gcm_open.validation.copies import ParquetCopy
from gcm_open.validation.descriptor import check_profile, check_schema, standard_version
from gcm_open.validation.domain import GcmOpenRules
from gcm_open.validation.findings import Collector, Report
from gcm_open.validation.integrity import check_integrity
from gcm_open.validation.readahead import read_ahead
from gcm_open.validation.tabular import (
    CheckedTable,
    FrictionlessNeededError,
    ParquetTableError,
    TableRules,
    check_batches,
    check_keys,
    compile_schema,
    csv_batches,
    dialect_problem,
    encode_key,
    known_values,
    parquet_batches,
    sniffing_problem,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_FINDINGS_PER_KIND = 1000
# Table formats gcm-open checks itself, or through frictionless.
CHECKED_FORMATS = frozenset({"csv", "tsv", "parquet", "inline"})
_ARROW_OF_KIND = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "string": pa.string(),
}


def validate(
    target: str | Path,
    *,
    limits: Limits | None = None,
    max_findings_per_kind: int = DEFAULT_MAX_FINDINGS_PER_KIND,
    progress: Progress | None = None,
) -> Report:
    """Validate a package folder, a descriptor (JSON or YAML), a ``.zip`` or an http(s)
    URL.

    >>> from gcm_open import build
    >>> import tempfile, pathlib
    >>> package = build(out=pathlib.Path(tempfile.mkdtemp()) / "package").out_dir
    >>> report = validate(package)
    >>> report.valid, report.rows > 0
    (True, True)

    ``progress(done, total)`` is called as the checks advance, table by table.

    Raises :class:`~gcm_open.errors.TargetError` when the target cannot be read, or holds
    a table gcm-open cannot check completely.
    """
    collector = Collector(max_findings_per_kind)
    watch = Stopwatch()
    with (
        tempfile.TemporaryDirectory(prefix="gcm-open-validate-") as scratch,
        open_package(target, Path(scratch), limits) as package,
    ):
        log.info("opened %s in %s", target, watch.lap())
        work = Path(scratch) / "work"
        work.mkdir()
        run = _Validation(package, collector, _Steps(progress), work)
        run.check()
    log.info(
        "%d findings in %d resources, %d rows", len(collector.findings), len(run.names), run.rows
    )
    return Report(
        target=str(target),
        findings=tuple(collector.findings),
        counts=dict(collector.counts),
        resources=tuple(run.names),
        rows=run.rows,
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


@dataclass
class _Table:
    """A table resource to check: its resource, schema and the local files of its data."""

    resource: Resource
    schema: dict[str, Any] | None
    files: list[Path]
    relative: list[str]
    gcm_open: bool = False
    rules: TableRules | None = None
    fast_problem: str | None = None


@dataclass
class _Validation:
    package: DataPackage
    collector: Collector
    steps: _Steps
    scratch: Path
    names: list[str] = field(default_factory=list)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: int = 0

    def check(self) -> None:
        watch = Stopwatch()
        for problem in self.package.opened.problems:
            self.collector.add(problem.code, field=problem.entry, detail=problem.message)
        try:
            descriptor = self.package.descriptor
        except DescriptorError as error:
            self.collector.add(
                "descriptor-json", resource=self.package.descriptor_name, detail=str(error)
            )
            return
        if not isinstance(descriptor.get("resources"), list):
            self.collector.add(
                "descriptor-profile",
                resource=self.package.descriptor_name,
                detail="the descriptor is not an object with a list of resources",
            )
            return
        resources = self.package.resources()
        self.names = [resource.name for resource in resources]
        gcm_open = self.package.is_gcm_open
        safe = self._check_paths(resources)
        self._refuse_unchecked(resources, safe)
        tables = self._tables(resources, safe, gcm_open)
        self.schemas = {table.resource.name: table.schema for table in tables if table.schema}
        check_profile(
            descriptor,
            {table.resource.name: table.schema for table in tables if table.schema},
            self.package.descriptor_name,
            self.collector,
        )
        present = self._present(resources, safe)
        log.info("checked the descriptor, paths and schemas in %s", watch.lap())
        # Hashing is I/O and C code that releases the GIL: it runs beside the table
        # checks, into a collector of its own whose findings come first in the report.
        integrity = Collector(self.collector.limit)
        data = Collector(self.collector.limit)
        self.steps.total = len(tables) + 2
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(check_integrity, resources, present, integrity, required=gcm_open)
            self._check_tables(tables, present, gcm_open, data)
            hashing.result()
        self.steps.finish()
        log.info("checked tables, keys and %d files in %s", len(present), watch.lap())
        self.collector.merge(integrity)
        self.collector.merge(data)

    def _refuse_unchecked(self, resources: list[Resource], safe: set[str]) -> None:
        """Refuse a table gcm-open cannot check completely (one whose paths may be read:
        the others are findings already)."""
        for resource in resources:
            readable = resource.paths and all(path in safe for path in resource.paths)
            if not resource.is_table or resource.format in CHECKED_FORMATS:
                continue
            if readable or "data" in resource.descriptor:
                kind = (
                    f"a {resource.format} table"
                    if resource.format
                    else "a table of no known format"
                )
                raise TargetError(
                    f"{self.package.target}: resource {resource.name!r} is {kind}, which "
                    "gcm-open cannot check completely; check it with frictionless validate"
                )

    def _check_paths(self, resources: list[Resource]) -> set[str]:
        """Every path of every resource, schema and dialect; the safe ones are returned."""
        safe: set[str] = set()
        for resource in resources:
            candidates: list[Any] = list(resource.paths)
            if "path" in resource.descriptor and not resource.paths:
                candidates.append(resource.descriptor["path"])
            for key in ("schema", "dialect"):
                if isinstance(resource.descriptor.get(key), str):
                    candidates.append(resource.descriptor[key])
            for path in candidates:
                problem = self.package.path_problem(path)
                if problem is None:
                    safe.add(path)
                else:
                    self.collector.add(
                        "path-unsafe", resource=resource.name, path=path, reason=problem
                    )
        return safe

    def _tables(self, resources: list[Resource], safe: set[str], gcm_open: bool) -> list[_Table]:
        """The tables to check with their schemas; a gcm-open package's tables with the
        schemas of this version of gcm-open, whatever its descriptor says."""
        by_name = {resource.name: resource for resource in resources}
        tables: list[_Table] = []
        ours = set(TABLE_NAMES) if gcm_open else set()
        for name in TABLE_NAMES if gcm_open else []:
            if name not in by_name:
                self.collector.add("gcm-open-table-missing", table=name)
        for resource in self.package.tables():
            if resource.name in ours:
                continue
            reference = resource.descriptor.get("schema")
            if isinstance(reference, str) and reference not in safe:
                continue
            schema = self._schema(resource)
            if schema is None and "schema" in resource.descriptor:
                continue
            tables.append(_Table(resource, schema, [], []))
        for name in TABLE_NAMES if gcm_open else []:
            if name not in by_name:
                continue
            resource = by_name[name]
            expected = load_schema(name).descriptor
            reference = resource.descriptor.get("schema")
            declared = None
            if reference is not None and (not isinstance(reference, str) or reference in safe):
                # The data are checked against gcm-open's own schema: the declared one is
                # only compared with it, and checked against the profile only if it differs.
                declared = self._schema(resource, check=False)
                if declared is not None and declared != expected:
                    declared = self._schema(resource)
            if declared != expected:
                self.collector.add(
                    "gcm-open-schema-differs",
                    resource=name,
                    detail=_schema_difference(declared, expected),
                )
            tables.append(_Table(resource, expected, [], [], gcm_open=True))
        return tables

    def _schema(self, resource: Resource, *, check: bool = True) -> dict[str, Any] | None:
        """The schema of a resource, checked against the Table Schema profile unless not
        ``check``; None (reported) when it cannot be read or is not sound."""
        try:
            schema = self.package.schema(resource)
        except (TargetError, DescriptorError) as error:
            reference = resource.descriptor.get("schema")
            self.collector.add(
                "schema-missing",
                resource=resource.name,
                detail=f"schema {reference!r}: {_without_target(error, self.package)}",
            )
            return None
        if schema is None or not check:
            return schema
        version = standard_version(self.package.descriptor)
        if not check_schema(schema, resource.name, version, self.collector):
            return None
        return schema

    def _present(self, resources: list[Resource], safe: set[str]) -> dict[str, Path]:
        """The local file of every safe data path that is there (downloaded if remote);
        the missing ones are reported."""
        present: dict[str, Path] = {}
        for resource in resources:
            for path in resource.paths:
                if path not in safe or path in present:
                    continue
                try:
                    local = self.package.opened.local(path)
                except DownloadLimitError as error:
                    raise TargetError(
                        f"{error}: resource {resource.name!r} is beyond the limits gcm-open "
                        "reads; check it with frictionless validate"
                    ) from None
                except TargetError as error:
                    self.collector.add(
                        "file-missing",
                        resource=resource.name,
                        path=path,
                        reason=_without_target(error, self.package),
                    )
                    continue
                if local.is_file():
                    present[path] = local
                else:
                    self.collector.add(
                        "file-missing", resource=resource.name, path=path, reason="not there"
                    )
        return present

    # --- tables ---------------------------------------------------------------------

    def _check_tables(
        self, tables: list[_Table], present: dict[str, Path], gcm_open: bool, collector: Collector
    ) -> None:
        watch = Stopwatch()
        rules = GcmOpenRules(collector) if gcm_open else None
        readable: list[_Table] = []
        for table in tables:
            paths = table.resource.paths or (
                [csv_path(table.resource.name)] if table.gcm_open else []
            )
            if "data" not in table.resource.descriptor and not all(p in present for p in paths):
                self.steps.advance()
                continue  # a missing file, reported already
            table.relative = paths
            table.files = [present[path] for path in paths if path in present]
            table.fast_problem = self._fast_problem(table)
            readable.append(table)
        fast = _in_reference_order([table for table in readable if table.fast_problem is None])
        referenced = _referenced_keys(fast)
        checked: dict[str, CheckedTable] = {}
        delegated_tables = [table for table in readable if table.fast_problem is not None]
        for table in fast:
            name = table.resource.name
            table_collector = Collector(collector.limit)
            observers: list[Any] = []
            copy = self._parquet_copy(table, present, table_collector)
            if copy is not None:
                observers.append(copy)
            if table.gcm_open and rules is not None:
                observers.append(_RulesFor(rules, table_collector))
            assert table.rules is not None
            known = {
                index: known_values(checked[foreign["resource"]].keys.column(foreign["target"]))
                for index, foreign in enumerate(table.rules.foreign_keys)
                if foreign["resource"] not in ("", name) and foreign["resource"] in checked
            }
            batches = self._batches(table)
            try:
                try:
                    result = check_batches(
                        name,
                        table.rules,
                        batches,
                        _key_sets(table.rules, referenced.get(name, set()), set(known)),
                        table_collector,
                        observers=observers,
                        known_keys=known,
                    )
                except BaseException:
                    if copy is not None:
                        copy.close()
                    raise
                finally:
                    batches.close()  # both are read ahead by threads, which stop here
            except FrictionlessNeededError as reason:
                log.info("%s: checked by frictionless (%s)", name, reason)
                if rules is not None:
                    rules.forget(name)
                table.fast_problem = str(reason)
                delegated_tables.append(table)
                continue
            except ParquetTableError as problem:
                table_collector.add("parquet-unreadable", resource=name, detail=str(problem))
                collector.merge(table_collector)
                self.steps.advance()
                continue
            if copy is not None:
                copy.finish()
            collector.merge(table_collector)
            checked[name] = result
            self._count_rows(table, result.keys.rows, collector)
            self.steps.advance()
        log.info("checked %d tables with the fast engine in %s", len(checked), watch.lap())
        lookups = self._lookups(checked, delegated_tables, present)
        check_keys(checked, lookups, collector)
        log.info("checked keys in %s", watch.lap())
        if delegated_tables:
            self._check_delegated(delegated_tables, present, collector)
            log.info(
                "checked %d tables with frictionless in %s", len(delegated_tables), watch.lap()
            )
        if rules is not None:
            rules.finish()
        self.steps.advance()

    def _fast_problem(self, table: _Table) -> str | None:
        """Why the fast engine cannot take this table, or None."""
        if table.schema is None:
            return "no schema (frictionless infers one)"
        try:
            table.rules = compile_schema(table.schema)
        except FrictionlessNeededError as reason:
            return str(reason)
        if table.resource.format == "parquet":
            return None if len(table.files) == 1 else "a Parquet table in several files"
        descriptor = dict(table.resource.descriptor)
        if table.gcm_open:
            descriptor.setdefault("path", table.relative[0])
            descriptor.pop("type", None)
        problem = dialect_problem(descriptor)
        for path in table.files if problem is None else []:
            problem = sniffing_problem(path, descriptor)
            if problem is not None:
                break
        return problem

    def _batches(self, table: _Table) -> Generator[pa.RecordBatch, None, None]:
        assert table.rules is not None
        if table.resource.format == "parquet":
            return read_ahead(parquet_batches(table.files[0], table.rules))
        return read_ahead(csv_batches(table.files, table.rules))

    def _parquet_copy(
        self, table: _Table, present: dict[str, Path], collector: Collector
    ) -> ParquetCopy | None:
        name = table.resource.name
        resource = self.package.parquet_copy(name)
        relative = resource.paths[0] if resource is not None and resource.paths else None
        if relative is None and not table.gcm_open:
            return None
        if relative is None:
            relative = parquet_path(name)
            if self.package.path_problem(relative) is not None:
                return None
            local = self.package.root / relative
            if not local.is_file():
                return None
            present.setdefault(relative, local)
        if relative not in present:
            return None
        assert table.rules is not None
        return ParquetCopy(
            name,
            resource.name if resource is not None else parquet_resource(name),
            relative=relative,
            path=present[relative],
            names=table.rules.names,
            collector=collector,
        )

    def _count_rows(self, table: _Table, rows: int, collector: Collector) -> None:
        self.rows += rows
        expected = table.resource.descriptor.get("rows")
        if isinstance(expected, int) and not isinstance(expected, bool) and expected != rows:
            collector.add(
                "row-count-mismatch", resource=table.resource.name, rows=rows, expected=expected
            )

    def _frictionless_view(self, present: dict[str, Path]) -> dict[str, Any]:
        """The descriptor frictionless reads: local files, and every schema gcm-open read
        (frictionless would infer the schema of a table it was not given)."""
        local = {
            resource.name: [present[path].absolute() for path in resource.paths]
            for resource in self.package.resources()
            if resource.paths and all(path in present for path in resource.paths)
        }
        return delegated.frictionless_descriptor(
            self.package.descriptor, local, self.schemas, self.scratch
        )

    def _lookups(
        self,
        checked: dict[str, CheckedTable],
        others: list[_Table],
        present: dict[str, Path],
    ) -> dict[tuple[str, tuple[str, ...]], Any]:
        """The keys of tables checked by frictionless that fast tables refer to."""
        wanted = {
            (foreign["resource"] or table.name, foreign["target"])
            for table in checked.values()
            for foreign in table.rules.foreign_keys
            if (foreign["resource"] or table.name) not in checked
        }
        available = {table.resource.name for table in others}
        lookups: dict[tuple[str, tuple[str, ...]], Any] = {}
        if not wanted:
            return lookups
        view = self._frictionless_view(present)
        for name, fields in wanted:
            if name not in available:
                continue
            values = delegated.key_values(
                view, str(self.package.root), name, fields, _encode_python_columns
            )
            if values is not None:
                lookups[(name, fields)] = values
        return lookups

    def _check_delegated(
        self, tables: list[_Table], present: dict[str, Path], collector: Collector
    ) -> None:
        view = self._frictionless_view(present)
        for table in tables:
            rows = delegated.check_with_frictionless(
                view,
                str(self.package.root),
                table.resource.name,
                collector,
                limit_errors=max(collector.limit * 10, 1000),
            )
            self._count_rows(table, rows, collector)
            self.steps.advance()


@dataclass
class _RulesFor:
    """The dataset's rules as an observer of one table, into that table's collector."""

    rules: GcmOpenRules
    collector: Collector

    def on_batch(self, table: str, batch: pa.RecordBatch, first_row: int) -> None:
        shared = self.rules.collector
        self.rules.collector = self.collector
        try:
            self.rules.on_batch(table, batch, first_row)
        finally:
            self.rules.collector = shared


def _in_reference_order(tables: list[_Table]) -> list[_Table]:
    """The tables with each one after the tables its foreign keys refer to, where the
    references allow (a cycle keeps the descriptor's order), so that most foreign keys
    are checked as their rows are read."""
    names = {table.resource.name: table for table in tables}
    graph = {
        name: {
            foreign["resource"]
            for foreign in (table.rules.foreign_keys if table.rules else ())
            if foreign["resource"] in names and foreign["resource"] != name
        }
        for name, table in names.items()
    }
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError:
        return tables
    return [names[name] for name in order]


def _referenced_keys(tables: list[_Table]) -> dict[str, set[tuple[str, ...]]]:
    """For each table, the fields that foreign keys of the tables refer to."""
    referenced: dict[str, set[tuple[str, ...]]] = {}
    for table in tables:
        assert table.rules is not None
        for foreign in table.rules.foreign_keys:
            target = foreign["resource"] or table.resource.name
            referenced.setdefault(target, set()).add(foreign["target"])
    return referenced


def _key_sets(
    rules: TableRules, referenced: set[tuple[str, ...]], streamed: set[int]
) -> set[tuple[str, ...]]:
    """The keys a table's checks need kept: its primary key, unique fields and unique keys,
    the fields other tables refer to, and its foreign keys but those checked as they are
    read (``streamed``)."""
    keys = set(referenced)
    if rules.primary_key:
        keys.add(rules.primary_key)
    keys.update((rule.name,) for rule in rules.fields if rule.unique)
    keys.update(rules.unique_keys)
    keys.update(
        foreign["fields"]
        for index, foreign in enumerate(rules.foreign_keys)
        if index not in streamed
    )
    return keys


def _encode_python_columns(columns: list[list[Any]], kinds: list[str]) -> Any:
    """Keys read by frictionless, encoded as the fast engine encodes its own."""
    arrays = []
    encoded_kinds = []
    for values, kind in zip(columns, kinds, strict=True):
        if kind in _ARROW_OF_KIND:
            converted = [float(v) if kind == "number" and v is not None else v for v in values]
            arrays.append(pa.array(converted, _ARROW_OF_KIND[kind]))
            encoded_kinds.append(kind)
        else:
            # Values of other types never equal a string, number or boolean key.
            arrays.append(pa.array([None if v is None else f"~{v}" for v in values], pa.string()))
            encoded_kinds.append("other")
    return encode_key(arrays, encoded_kinds)


def _schema_difference(declared: dict[str, Any] | None, expected: dict[str, Any]) -> str:
    if declared is None:
        return "the descriptor gives it no readable schema; checked against gcm-open's"
    declared_fields = [f.get("name") for f in declared.get("fields", []) if isinstance(f, dict)]
    expected_fields = [f["name"] for f in expected["fields"]]
    if declared_fields != expected_fields:
        return f"fields {declared_fields} differ from gcm-open's {expected_fields}"
    changed = [
        f["name"]
        for f, g in zip(declared.get("fields", []), expected["fields"], strict=False)
        if f != g
    ]
    if changed:
        return f"fields {changed} are defined otherwise than in gcm-open's schema"
    return "keys or properties differ from gcm-open's schema"


def _without_target(error: Exception, package: DataPackage) -> str:
    return str(error).removeprefix(f"{package.target}: ")
