"""Arrow tables -> a Frictionless Data Package on disk: CSV, Parquet, schemas, descriptor.

The package is written into a staging directory next to the output and moved into place
only when every file is complete, so a failed build leaves the previous package intact.
The same tables and metadata always give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gcm_open.atomic import HeldInterrupts, exchange
from gcm_open.clock import source_date_epoch
from gcm_open.docs import citation_cff, licence_terms, package_readme
from gcm_open.errors import OutputError
from gcm_open.package.database import duckdb_script
from gcm_open.package.digests import sha256_bytes
from gcm_open.package.layout import (
    CSV_DIALECT,
    DESCRIPTOR,
    DUCKDB_SCRIPT,
    LICENCE,
    csv_path,
    integrity_keys,
    parquet_path,
    parquet_resource,
    schema_path,
)
from gcm_open.schemas import TABLE_NAMES, load_schema
from gcm_open.sources import SourceManifest

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# Snappy is the codec every Parquet reader ships with (pandas, DuckDB, polars, R arrow,
# Spark 3.x); the package is small enough that a stronger codec gains little.
PARQUET_COMPRESSION = "snappy"
DEFAULT_DATASET_VERSION = "1.0.0"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WrittenFile:
    """A file of the package: its path inside the package, size and sha256."""

    path: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class PackageMetadata:
    """What the descriptor says about the package besides its resources."""

    manifest: SourceManifest
    version: str = DEFAULT_DATASET_VERSION
    created: str | None = None

    @property
    def name(self) -> str:
        return f"gcm-open-compendio-{self.manifest.edition}"

    def created_timestamp(self) -> str:
        """``created``: injected, else from SOURCE_DATE_EPOCH, else the publication date.

        Never the clock: the same input must give the same descriptor.
        """
        if self.created is not None:
            return self.created
        moment = source_date_epoch()
        if moment is not None:
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{self.manifest.publication_date}T00:00:00Z"


def csv_bytes(table: pa.Table) -> bytes:
    """RFC 4180 CSV with a header row and LF line ends; nulls empty, booleans true/false."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    writer.writerows(zip(*map(_csv_column, table.columns), strict=True))
    return buffer.getvalue().encode("utf-8")


def _csv_column(column: pa.ChunkedArray) -> list[str]:
    """A column's cells as the CSV writes them: text, integers and booleans turned into
    text by Arrow, a column at a time; numbers with a fraction, one by one."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_string(kind) or pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        # (Not pc.fill_null: a Python value handed to Arrow imports pandas.)
        return ["" if cell is None else cell for cell in column.cast(pa.string()).to_pylist()]
    return [_csv_value(value) for value in column.to_pylist()]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # 42799, not 42799.0: what a reader of the CSV expects
    return str(value)


def parquet_bytes(table: pa.Table) -> bytes:
    """Parquet with the table's Arrow schema (descriptions and Table Schema in metadata)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression=PARQUET_COMPRESSION)
    return bytes(sink.getvalue().to_pybytes())


def write_package(
    tables: Mapping[str, pa.Table], out_dir: Path, metadata: PackageMetadata
) -> list[WrittenFile]:
    """Write the package to ``out_dir``, replacing what was there only once complete."""
    contents: dict[str, bytes] = {}
    for name in TABLE_NAMES:
        schema = load_schema(name)
        contents[schema_path(name)] = _json_bytes(schema.descriptor)
        contents[csv_path(name)] = csv_bytes(tables[name])
        contents[parquet_path(name)] = parquet_bytes(tables[name])
    files = {path: _describe(path, data) for path, data in contents.items()}
    descriptor = package_descriptor(tables, files, metadata)
    schemas = {name: load_schema(name) for name in TABLE_NAMES}
    # The documents describe the data files, so they come after them in the descriptor.
    sizes = {path: written.bytes for path, written in files.items()}
    documents = (
        (
            "duckdb-script",
            DUCKDB_SCRIPT,
            "application/sql",
            "DuckDB script: every table typed, keyed and described, loaded from Parquet",
            duckdb_script(
                schemas, descriptor["name"], {name: parquet_path(name) for name in schemas}
            ),
        ),
        (
            "licence",
            LICENCE,
            "text/markdown",
            "The compendium's terms of reuse, in Spanish as printed and in English",
            licence_terms(descriptor),
        ),
        (
            "readme",
            "README.md",
            "text/markdown",
            "What the package holds: files, licence, citation, data dictionary",
            package_readme(descriptor, schemas, sizes),
        ),
        (
            "citation",
            "CITATION.cff",
            "application/yaml",
            "How to cite the dataset (Citation File Format)",
            citation_cff(descriptor),
        ),
    )
    for name, path, mediatype, description, text in documents:
        data = text.encode("utf-8")
        contents[path] = data
        written = files[path] = _describe(path, data)
        descriptor["resources"].append(
            {
                "name": name,
                "path": path,
                "format": path.rsplit(".", 1)[1],
                "mediatype": mediatype,
                "encoding": "utf-8",
                "description": description,
                "bytes": written.bytes,
                "hash": f"sha256:{written.sha256}",
            }
        )
    contents[DESCRIPTOR] = _json_bytes(descriptor)
    files[DESCRIPTOR] = _describe(DESCRIPTOR, contents[DESCRIPTOR])
    _write_atomically(contents, out_dir)
    return [files[path] for path in sorted(contents)]


def _describe(path: str, data: bytes) -> WrittenFile:
    return WrittenFile(path, len(data), sha256_bytes(data))


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_descriptor(directory: Path, descriptor: dict[str, Any]) -> None:
    """Write a package's descriptor as every gcm-open descriptor is written."""
    (directory / DESCRIPTOR).write_bytes(_json_bytes(descriptor))


def package_descriptor(
    tables: Mapping[str, pa.Table],
    files: Mapping[str, WrittenFile],
    metadata: PackageMetadata,
) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor: package metadata and one resource per file."""
    manifest = metadata.manifest
    resources: list[dict[str, Any]] = []
    for name in TABLE_NAMES:
        schema = load_schema(name)
        described = {
            "title": schema.descriptor.get("title", name),
            "title_es": schema.descriptor.get("title_es", ""),
            "description": schema.descriptor.get("description", ""),
            "description_es": schema.descriptor.get("description_es", ""),
        }
        csv_file = files[csv_path(name)]
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": csv_file.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **described,
                "bytes": csv_file.bytes,
                "hash": f"sha256:{csv_file.sha256}",
                "rows": tables[name].num_rows,
                "dialect": dict(CSV_DIALECT),
                "schema": schema_path(name),
            }
        )
        # The same table in Parquet, with the same schema; see integrity_keys for why it
        # declares no bytes.
        parquet_file = files[parquet_path(name)]
        parquet_integrity = {
            "bytes": parquet_file.bytes,
            "hash": f"sha256:{parquet_file.sha256}",
        }
        resources.append(
            {
                "name": parquet_resource(name),
                "type": "table",
                "path": parquet_file.path,
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                **described,
                **{key: parquet_integrity[key] for key in integrity_keys("parquet")},
                "rows": tables[name].num_rows,
                "schema": schema_path(name),
            }
        )
    return {
        "$schema": PACKAGE_PROFILE,
        "name": metadata.name,
        "id": f"urn:gcm-open:compendio:{manifest.edition}",
        "version": metadata.version,
        "created": metadata.created_timestamp(),
        "title": f"Practices aligned with the Global Compact for Migration in Mexico, "
        f"Compendium {manifest.edition}",
        "title_es": f"Prácticas alineadas al Pacto Mundial para la Migración en México, "
        f"Compendio {manifest.edition}",
        "description": (
            "Programs, actions and good practices of Mexico's federal bodies and state "
            "governments aligned with the 23 objectives of the Global Compact for Safe, "
            f"Orderly and Regular Migration, as reported in the Compendio General "
            f"{manifest.edition} (reporting period {manifest.reporting_period_start} to "
            f"{manifest.reporting_period_end}), as normalized tables."
        ),
        "description_es": (
            "Programas, acciones y buenas prácticas de dependencias federales y gobiernos "
            "estatales de México alineados a los 23 objetivos del Pacto Mundial para la "
            f"Migración Segura, Ordenada y Regular, según el Compendio General "
            f"{manifest.edition} (periodo {manifest.reporting_period_start} a "
            f"{manifest.reporting_period_end}), como tablas normalizadas."
        ),
        "keywords": [
            "migration",
            "migración",
            "Global Compact for Migration",
            "Pacto Mundial para la Migración",
            "Mexico",
            "México",
            "public policy",
            "good practices",
        ],
        "homepage": manifest.homepage,
        "licenses": [
            {
                "name": "non-commercial-reproduction-with-attribution",
                "title": manifest.reuse_statement_en,
                "title_es": manifest.reuse_statement,
                "path": LICENCE,
            }
        ],
        "sources": [
            {
                "title": manifest.title,
                "path": manifest.homepage,
                "file": manifest.file,
                "publisher": manifest.publisher,
                "published": manifest.publication_date,
                "reporting_period_start": manifest.reporting_period_start,
                "reporting_period_end": manifest.reporting_period_end,
                "sha256": manifest.sha256,
            }
        ],
        "contributors": [
            {
                "title": manifest.publisher,
                "roles": ["creator", "publisher"],
                "path": manifest.homepage,
            },
            {"title": "gcm-open", "roles": ["processor"]},
        ],
        "resources": resources,
    }


def _write_atomically(contents: Mapping[str, bytes], out_dir: Path) -> None:
    """Write every file into a staging directory beside ``out_dir``, then swap it in.

    Ctrl-C stops the writing and leaves the previous package; one that comes while the
    package is swapped in is held until the swap and the clean-up are done, and then stops
    the build as usual, with the new package in place.
    """
    out_dir = out_dir.absolute()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out_dir)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output ({error.strerror})") from None
    # Held from before the staging directory exists until it is gone: an interrupt between
    # mkdtemp and the try, after the exchange or inside rmtree would leave it behind.
    with HeldInterrupts() as interrupts:
        try:
            staging = _claim(out_dir, "staging")
        except OSError as error:
            raise OutputError(f"{out_dir}: cannot create the output ({error.strerror})") from None
        try:
            with interrupts.let_through():
                for relative, data in contents.items():
                    target = staging / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    log.debug("wrote %s (%d bytes)", relative, len(data))
                staging.chmod(0o755)
            _swap_into_place(staging, out_dir)
        except OSError as error:
            raise OutputError(
                f"{out_dir}: the package could not be written ({error.strerror}); "
                "the previous output is unchanged"
            ) from None
        finally:
            _release(staging)


# The staging and retired directories this process is using now. They carry its process
# id, and so do those that an earlier process with the same id left (ids are reused: in a
# container every run may get the same one); only this set tells them apart. Threads may
# build side by side, hence the lock.
_in_use: set[Path] = set()
_in_use_lock = threading.Lock()


def _claim(out_dir: Path, kind: str) -> Path:
    """A new empty directory beside ``out_dir`` named after ``kind`` and this process,
    which :func:`_remove_abandoned` leaves alone until :func:`_release`."""
    prefix = f".{out_dir.name}.{kind}-{os.getpid()}-"
    with _in_use_lock:
        # Named as the glob of _remove_abandoned names it: mkdtemp would normalize "..".
        path = out_dir.parent / Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent)).name
        _in_use.add(path)
    return path


def _release(path: Path) -> None:
    """Remove a directory of :func:`_claim`, whatever it holds by now, if still there."""
    shutil.rmtree(path, ignore_errors=True)
    with _in_use_lock:
        _in_use.discard(path)


def _remove_abandoned(out_dir: Path) -> None:
    """Remove what builds that were killed left beside ``out_dir``: staging and retired
    directories of a process that no longer runs, or of an earlier process with this
    one's id."""
    named = re.compile(rf"\.{re.escape(out_dir.name)}\.(?:staging|previous)-(\d+)(?:-\w+)?")
    with _in_use_lock:
        for leftover in out_dir.parent.glob(f".{out_dir.name}.*"):
            match = named.fullmatch(leftover.name)
            if match is None or leftover in _in_use:
                continue
            pid = int(match.group(1))
            if pid == os.getpid() or not _running(pid):
                shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    if out_dir.is_symlink() or out_dir.is_file():
        raise OutputError(f"{out_dir}: exists and is not a directory; choose another --out")
    if not out_dir.exists():
        staging.rename(out_dir)
        log.debug("moved the staged package to %s", out_dir)
        return
    if exchange(staging, out_dir):
        log.debug("swapped the staged package with %s in one exchange", out_dir)
        return  # the staging directory now holds the previous package, removed by the caller
    # Without an atomic exchange there is an instant with no package at ``out_dir``.
    retired = _claim(out_dir, "previous")
    try:
        out_dir.rename(retired)  # a directory may replace an empty one
        try:
            staging.rename(out_dir)
        except OSError:
            retired.rename(out_dir)
            raise
    finally:
        _release(retired)
    log.debug("replaced %s by renames (no atomic exchange here)", out_dir)
