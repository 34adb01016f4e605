"""The build: source -> pages -> practices -> tables -> package, and its report."""

from __future__ import annotations

import gc
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gcm_open.diagnostics import BuildWarning, Progress, Stopwatch
from gcm_open.package.writing import (
    DEFAULT_DATASET_VERSION,
    PackageMetadata,
    WrittenFile,
    write_package,
)
from gcm_open.pages import PagedText, read_text_pages
from gcm_open.parse import Compendium, ObjectiveBlock, parse_compendium
from gcm_open.pdf import is_pdf, read_pdf_pages, sha256_of
from gcm_open.sources import SourceDocument, describe_extracted_text, load_source
from gcm_open.tables import build_tables

DEFAULT_OUT = Path("datapackage")

log = logging.getLogger(__name__)


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
        """Everything the build noticed, reading, parsing and normalizing, in source order."""
        found = self.source.warnings + self.compendium.warnings + self.normalization_warnings
        return tuple(sorted(found))

    @property
    def blocks(self) -> tuple[ObjectiveBlock, ...]:
        return self.compendium.blocks

    def warning_counts(self) -> Counter[str]:
        """How many warnings of each code the build gave."""
        return Counter(warning.code for warning in self.warnings)

    def to_dict(self) -> dict[str, Any]:
        """The build report as plain data (what ``gcm-open build --json`` prints)."""
        return {
            "source": {
                "name": self.source.name,
                "edition": self.source.manifest.edition,
                "sha256": self.source.sha256,
            },
            "out": str(self.out_dir),
            "objective_blocks": [
                {
                    "section": block.section.value,
                    "objective_id": block.objective_id,
                    "practices": block.practice_count,
                    "no_activities": block.no_activities_line is not None,
                }
                for block in self.blocks
            ],
            "warning_counts": dict(sorted(self.warning_counts().items())),
            "warnings": [asdict(warning) for warning in self.warnings],
            "table_rows": self.table_rows,
            "files": [asdict(written) for written in self.files],
        }


def parse_source(source: SourceDocument) -> Compendium:
    """Parse a loaded compendium text into its document model."""
    return parse_compendium(read_text_pages(source.text), source.manifest.edition)


def read_source(
    source: Path | None,
    *,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> tuple[SourceDocument, PagedText]:
    """Load a compendium, text or PDF, and read it into pages."""
    if source is not None and source.is_file() and is_pdf(source):
        digest = sha256_of(source)
        paged = read_pdf_pages(
            source, jobs=jobs, use_cache=use_cache, progress=progress, sha256=digest
        )
        headers = [f"Objetivo {h.objective_id}. {h.title}" for h in paged.headers()]
        text = "\n".join([*headers, *(line.text for line in paged.body_lines())])
        return describe_extracted_text(source, text, digest), paged
    document = load_source(source)
    return document, read_text_pages(document.text)


def build(
    source: Path | None = None,
    out: Path = DEFAULT_OUT,
    *,
    version: str = DEFAULT_DATASET_VERSION,
    created: str | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the data package from a compendium (the bundled one when ``source`` is None).

    >>> import tempfile, pathlib
    >>> result = build(out=pathlib.Path(tempfile.mkdtemp()) / "package")
    >>> result.table_rows["practices"], result.table_rows["objectives"]
    (346, 23)

    ``source`` is a text extraction or a PDF; a PDF's pages are extracted in ``jobs``
    processes and cached (unless ``use_cache`` is false); ``progress(done, total)`` is
    called as pages are read.

    Raises a :class:`~gcm_open.errors.GcmOpenError` with a one-line message when the
    source cannot be read or parsed, or the package cannot be written; the previous
    content of ``out`` is then left unchanged.
    """
    watch = Stopwatch()
    document, paged = read_source(source, jobs=jobs, use_cache=use_cache, progress=progress)
    log.info(
        "read %s (%d pages, sha256 %s) in %s",
        document.name,
        len(paged.pages),
        document.sha256[:12],
        watch.lap(),
    )
    with _cycles_collected_after():
        compendium = parse_compendium(paged, document.manifest.edition)
        log.info(
            "parsed %d practices in %d objective blocks in %s",
            len(compendium.practices),
            len(compendium.blocks),
            watch.lap(),
        )
        table_set = build_tables(compendium)
        log.info("normalized them into %d tables in %s", len(table_set.tables), watch.lap())
        metadata = PackageMetadata(manifest=document.manifest, version=version, created=created)
        files = write_package(table_set.tables, out, metadata)
        log.info("wrote %d files to %s in %s", len(files), out, watch.lap())
    return BuildResult(
        source=document,
        compendium=compendium,
        out_dir=out,
        table_rows={name: table.num_rows for name, table in table_set.tables.items()},
        files=tuple(files),
        normalization_warnings=table_set.warnings,
    )


@contextmanager
def _cycles_collected_after() -> Iterator[None]:
    """Python's collector of reference cycles off while the block runs, and on again
    after if it was. Parsing, normalizing and writing leave about twenty objects in
    cycles, yet the collector would run some ninety times during them, walking every
    object kept: about 30 ms, a twentieth of the build. (Reading a PDF is left out: its
    worker processes would inherit the setting.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
