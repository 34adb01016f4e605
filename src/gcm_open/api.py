"""Reading a gcm-open package from Python: built here, a folder, a zip or a URL.

>>> from gcm_open import load
>>> package = load()
>>> package.tables[:3]
['objectives', 'practices', 'institutions']
>>> package.table("practices").num_rows
346
"""

from __future__ import annotations

import importlib
import logging
import shutil
import tempfile
import weakref
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from gcm_open import __version__
from gcm_open.building import build
from gcm_open.cache import cache_dir
from gcm_open.diagnostics import Stopwatch
from gcm_open.errors import GcmOpenError, TargetError
from gcm_open.package.layout import DESCRIPTOR
from gcm_open.package.opening import Limits, open_target
from gcm_open.package.reading import (
    DataPackage,
    DescriptorError,
    Resource,
    read_descriptor,
    read_table,
)
from gcm_open.sources import bundled_manifest

if TYPE_CHECKING:
    import pandas
    import polars

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableInfo:
    """One table of a package: its rows and the sizes of its files."""

    name: str
    rows: int
    csv_bytes: int | None
    parquet_bytes: int | None


@dataclass
class Package:
    """A data package opened for reading; files of a URL are downloaded when first read.

    Any Data Package opens; a table is read from its Parquet copy when it has one, else
    from its own files (CSV, typed by its schema, or Parquet).
    """

    target: str
    package: DataPackage
    _workdir: Path | None = field(default=None, repr=False)

    @property
    def descriptor(self) -> dict[str, Any]:
        """The descriptor, as read."""
        return self.package.descriptor

    @property
    def version(self) -> str | None:
        """The dataset version (``1.0.0``), from the descriptor."""
        version = self.descriptor.get("version")
        return version if isinstance(version, str) else None

    @property
    def tables(self) -> list[str]:
        """The names of the tables, in the descriptor's order."""
        return [resource.name for resource in self.package.tables()]

    def table(self, name: str) -> pa.Table:
        """The table ``name`` with its types, read from its Parquet file if it has one."""
        resource = self._resource(name)
        copy = self.package.parquet_copy(name)
        if copy is not None and copy.paths:
            path = self.package.local(copy.paths[0])
            try:
                return pq.read_table(path)
            except (OSError, pa.ArrowException) as error:
                problem = f"{copy.paths[0]} cannot be read ({error})"
                raise TargetError(f"{self.target}: {problem}") from None
        return read_table(self.package, resource, self.describe(name))

    def to_pandas(self, name: str) -> pandas.DataFrame:
        """The table ``name`` as a pandas DataFrame (pandas must be installed)."""
        _require("pandas")
        return self.table(name).to_pandas()

    def to_polars(self, name: str) -> polars.DataFrame:
        """The table ``name`` as a polars DataFrame (polars must be installed)."""
        polars_module = _require("polars")
        frame: polars.DataFrame = polars_module.from_arrow(self.table(name))
        return frame

    def describe(self, name: str) -> dict[str, Any]:
        """The Table Schema of table ``name``: fields, types, descriptions, keys."""
        try:
            schema = self.package.schema(self._resource(name))
        except DescriptorError as error:
            raise TargetError(f"{self.target}: {error}") from None
        if schema is None:
            raise TargetError(f"{self.target}: table {name} has no schema")
        return schema

    def info(self) -> list[TableInfo]:
        """Rows and file sizes of every table; rows from the Parquet metadata where there
        is a Parquet file."""
        found = []
        for resource in self.package.tables():
            copy = self.package.parquet_copy(resource.name)
            parquet = (
                copy if copy is not None else (resource if resource.format == "parquet" else None)
            )
            parquet_size = None
            if parquet is not None and parquet.paths:
                path = self.package.local(parquet.paths[0])
                # A Parquet table declares no bytes (see package.layout.integrity_keys).
                parquet_size = path.stat().st_size
                try:
                    rows = pq.ParquetFile(path).metadata.num_rows
                except (OSError, pa.ArrowException) as error:
                    raise TargetError(
                        f"{self.target}: {parquet.paths[0]} cannot be read ({error})"
                    ) from None
            else:
                schema = self.package.schema(resource)
                rows = read_table(self.package, resource, schema, typed=False).num_rows
            csv_size = resource.descriptor.get("bytes") if parquet is not resource else None
            found.append(TableInfo(resource.name, rows, csv_size, parquet_size))
        return found

    @property
    def source(self) -> dict[str, Any]:
        """The compendium the package was built from (title, publication date, sha256...),
        as the descriptor's first ``sources`` entry; empty when it names none."""
        sources = self.descriptor.get("sources")
        first = sources[0] if isinstance(sources, list) and sources else None
        return first if isinstance(first, dict) else {}

    def summary(self) -> dict[str, Any]:
        """What ``gcm-open info --json`` prints: name, version, source and every table with
        its rows and file sizes."""
        return {
            "target": self.target,
            "name": self.descriptor.get("name"),
            "version": self.version,
            "source": self.source,
            "tables": [asdict(table) for table in self.info()],
        }

    def _resource(self, name: str) -> Resource:
        for resource in self.package.tables():
            if resource.name == name:
                return resource
        known = ", ".join(self.tables)
        raise TargetError(f"{self.target}: no table {name!r} (the tables are: {known})")


def load(target: str | Path | None = None, *, limits: Limits | None = None) -> Package:
    """Open a gcm-open package: ``None`` for the bundled compendium (built once into the
    user cache), or a package folder, its ``datapackage.json``, a ``.zip`` or a URL.

    >>> package = load()
    >>> package.version, package.describe("practices")["primaryKey"]
    ('1.0.0', ['practice_id'])
    >>> package.to_pandas("states").shape
    (32, 4)

    Raises :class:`~gcm_open.errors.TargetError` when the target is not a readable package.
    """
    watch = Stopwatch()
    if target is None:
        target = _bundled_build()
    workdir = Path(tempfile.mkdtemp(prefix="gcm-open-load-"))
    try:
        with open_target(str(target), workdir, limits) as opened:
            files = DataPackage(str(target), opened)
            read_descriptor(files)
    except GcmOpenError:
        _remove(workdir)
        raise
    package = Package(str(target), files, workdir)
    log.info("opened %s (version %s) in %s", target, package.version, watch.lap())
    # Downloads and unzipped files live as long as the package that reads them.
    weakref.finalize(package, _remove, workdir)
    return package


def _bundled_build() -> Path:
    out = cache_dir() / f"package-{__version__}-{bundled_manifest().sha256[:12]}"
    if (out / DESCRIPTOR).is_file():
        log.info("the bundled compendium, built earlier into %s", out)
    else:
        log.info("building the bundled compendium into %s", out)
        build(out=out)
    return out


def _remove(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise GcmOpenError(f"{module} is not installed: pip install {module}") from None
