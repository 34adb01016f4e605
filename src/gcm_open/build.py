"""The build: source -> pages -> practices -> tables -> package, and its report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gcm_open.diagnostics import BuildWarning
from gcm_open.package import DEFAULT_DATASET_VERSION, PackageMetadata, WrittenFile, write_package
from gcm_open.pages import read_text_pages
from gcm_open.parse import Compendium, ObjectiveBlock, parse_compendium
from gcm_open.sources import SourceDocument, load_source
from gcm_open.tables import build_tables

DEFAULT_OUT = Path("datapackage")


@dataclass(frozen=True)
class BuildResult:
    """What a build read and wrote: the source, the parsed compendium and the files."""

    source: SourceDocument
    compendium: Compendium
    out_dir: Path
    table_rows: dict[str, int]
    files: tuple[WrittenFile, ...]
    normalization_warnings: tuple[BuildWarning, ...] = ()

    @property
    def warnings(self) -> tuple[BuildWarning, ...]:
        """Everything the build noticed, parsing and normalizing, in source order."""
        return tuple(sorted(self.compendium.warnings + self.normalization_warnings))

    @property
    def blocks(self) -> tuple[ObjectiveBlock, ...]:
        return self.compendium.blocks

    def warning_counts(self) -> Counter[str]:
        """How many warnings of each code the build gave."""
        return Counter(warning.code for warning in self.warnings)


def parse_source(source: SourceDocument) -> Compendium:
    """Parse a loaded compendium into its document model."""
    return parse_compendium(read_text_pages(source.text), source.manifest.edition)


def build(
    source: Path | None = None,
    out: Path = DEFAULT_OUT,
    *,
    version: str = DEFAULT_DATASET_VERSION,
    created: str | None = None,
) -> BuildResult:
    """Build the data package from a compendium (the bundled one when ``source`` is None).

    >>> import tempfile, pathlib
    >>> result = build(out=pathlib.Path(tempfile.mkdtemp()) / "package")
    >>> result.table_rows["practices"], result.table_rows["objectives"]
    (346, 23)

    Raises a :class:`~gcm_open.errors.GcmOpenError` with a one-line message when the
    source cannot be read or parsed, or the package cannot be written; the previous
    content of ``out`` is then left unchanged.
    """
    document = load_source(source)
    compendium = parse_source(document)
    table_set = build_tables(compendium)
    metadata = PackageMetadata(manifest=document.manifest, version=version, created=created)
    files = write_package(table_set.tables, out, metadata)
    return BuildResult(
        source=document,
        compendium=compendium,
        out_dir=out,
        table_rows={name: table.num_rows for name, table in table_set.tables.items()},
        files=tuple(files),
        normalization_warnings=table_set.warnings,
    )
