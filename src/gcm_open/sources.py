"""The source documents: the bundled 2022 compendium, its manifest, and other editions.

A source is read whole into memory (the bundled text is 0.6 MB) and identified by the
sha256 of its bytes. The bundled text is checked against the sha256 in its manifest, so a
damaged installation is reported instead of silently producing a different dataset.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from gcm_open.diagnostics import BuildWarning
from gcm_open.errors import SourceError

BUNDLED_SOURCE_FILE = "compendio-pmm-2022.txt"

# Words every compendium of this series prints; a text without them is another document.
_SPANISH_ACCENTS = re.compile(r"[a-z](?:ción|ía|é[a-z])")
_COMPENDIUM_MARKERS = ("Pacto Mundial", "Objetivo 1.", "Resultados")

_MONTHS_ES = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_CLOSING_DATE = re.compile(
    r"Ciudad\s+de\s+México,?\s+a\s+(\d{1,2})\s+de\s+(" + "|".join(_MONTHS_ES) + r")\s+de\s+(\d{4})",
    re.IGNORECASE,
)
_EDITION = re.compile(r"Compendio General (\d{4})")
_REPORTING_PERIOD = re.compile(
    r"abarca\s+del\s+mes\s+de\s+("
    + "|".join(_MONTHS_ES)
    + r")\s+de\s+(\d{4})\s+a\s+("
    + "|".join(_MONTHS_ES)
    + r")\s+de\s+(\d{4})",
    re.IGNORECASE,
)
_REUSE_STATEMENT = re.compile(
    r"Se permite la reproducción total o parcial.*?mención de la fuente\.", re.DOTALL
)


@dataclass(frozen=True)
class SourceManifest:
    """What is known about a source document: edition, publisher, dates and licence."""

    file: str
    edition: int
    title: str
    title_en: str
    publisher: str
    publication_date: str
    reporting_period_start: str
    reporting_period_end: str
    homepage: str
    reuse_statement: str
    reuse_statement_en: str
    sha256: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceManifest:
        period = data["reporting_period"]
        return cls(
            file=data["file"],
            edition=int(data["edition"]),
            title=data["title"],
            title_en=data["title_en"],
            publisher=data["publisher"],
            publication_date=data["publication_date"],
            reporting_period_start=period["start"],
            reporting_period_end=period["end"],
            homepage=data["homepage"],
            reuse_statement=data["reuse_statement"],
            reuse_statement_en=data["reuse_statement_en"],
            sha256=data["sha256"],
        )


@dataclass(frozen=True)
class SourceDocument:
    """A compendium read into memory: its text, where it came from and its manifest."""

    name: str
    text: str
    sha256: str
    manifest: SourceManifest
    path: Path | None = None
    # What reading the file noticed and set right (its encoding, its line endings).
    warnings: tuple[BuildWarning, ...] = ()


def _data_file(*parts: str) -> Path:
    return Path(str(resources.files("gcm_open").joinpath("data", *parts)))


def bundled_manifest() -> SourceManifest:
    """The manifest of the bundled 2022 compendium."""
    raw = _data_file("source", "manifest.json").read_text(encoding="utf-8")
    return SourceManifest.from_json(json.loads(raw))


def bundled_source() -> SourceDocument:
    """Load the bundled compendium and check it against the sha256 of its manifest.

    >>> source = bundled_source()
    >>> source.manifest.edition, source.text.count("\\n")
    (2022, 13601)
    """
    manifest = bundled_manifest()
    path = _data_file("source", manifest.file)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest.sha256:
        raise SourceError(
            f"{path}: the bundled compendium is damaged (sha256 {digest}, "
            f"expected {manifest.sha256}); reinstall gcm-open"
        )
    return SourceDocument(
        name=manifest.file,
        text=data.decode("utf-8"),
        sha256=digest,
        manifest=manifest,
        path=path,
    )


def load_source(path: Path | None = None) -> SourceDocument:
    """Load a compendium text from ``path``, or the bundled one when ``path`` is None.

    Raises :class:`SourceError` with a one-line message when the file is missing,
    unreadable, empty, not UTF-8 text, or not a compendium.
    """
    if path is None:
        return bundled_source()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a compendium text") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot be read ({error.strerror})") from None
    digest = hashlib.sha256(data).hexdigest()
    bundled = bundled_manifest()
    if digest == bundled.sha256:
        return SourceDocument(
            name=path.name, text=data.decode("utf-8"), sha256=digest, manifest=bundled, path=path
        )
    text, warnings = _decode(path, data)
    return SourceDocument(
        name=path.name,
        text=text,
        sha256=digest,
        manifest=_manifest_from_text(path, text, digest, bundled),
        path=path,
        warnings=warnings,
    )


def describe_extracted_text(path: Path, text: str, digest: str) -> SourceDocument:
    """A source read by another reader (a PDF): checked and described from its text."""
    missing = [marker for marker in _COMPENDIUM_MARKERS if marker not in text]
    if missing:
        raise SourceError(
            f"{path}: not a compendium of the Global Compact for Migration "
            f"(it never mentions {', '.join(repr(m) for m in missing)})"
        )
    manifest = _manifest_from_text(path, text, digest, bundled_manifest())
    return SourceDocument(name=path.name, text=text, sha256=digest, manifest=manifest, path=path)


def _decode(path: Path, data: bytes) -> tuple[str, tuple[BuildWarning, ...]]:
    """The text of a compendium file, and what had to be set right to read it.

    UTF-8 is expected. A file saved as Windows-1252 (or Latin-1, its subset for letters)
    is read as such when the result shows Spanish accented words; any other encoding is
    refused rather than guessed. CRLF and CR line endings are read as LF.
    """
    if not data.strip():
        raise SourceError(f"{path}: the file is empty")
    if b"\x00" in data[:65536]:
        raise SourceError(f"{path}: binary data, not a compendium text")
    warnings: list[BuildWarning] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        legacy = _windows_1252(data)
        if legacy is None:
            raise SourceError(
                f"{path}: not UTF-8 text (invalid byte at offset {error.start}); "
                "convert it to UTF-8 first"
            ) from None
        text = legacy
        warnings.append(
            BuildWarning(1, "source-encoding", "the file is not UTF-8; read as Windows-1252")
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        warnings.append(BuildWarning(1, "source-line-endings", "CRLF or CR line ends read as LF"))
    missing = [marker for marker in _COMPENDIUM_MARKERS if marker not in text]
    if missing:
        raise SourceError(
            f"{path}: not a compendium of the Global Compact for Migration "
            f"(it never mentions {', '.join(repr(m) for m in missing)})"
        )
    return text, tuple(warnings)


def _windows_1252(data: bytes) -> str | None:
    """``data`` read as Windows-1252, when that gives Spanish text, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    # Spanish in its own encoding has accented letters inside words ("Migración"); the
    # same bytes read in a wrong encoding give symbols there instead.
    return text if _SPANISH_ACCENTS.search(text) else None


def _manifest_from_text(
    path: Path, text: str, digest: str, bundled: SourceManifest
) -> SourceManifest:
    """Describe another edition from what its own text says.

    The publisher, homepage and titles are those of the series; the edition, the
    dates and the reuse statement are read from the document, and an edition that does
    not print them is refused rather than described with the 2022 values.
    """
    edition_match = _EDITION.search(text)
    # The closing date is the last one printed (the intro may quote earlier dates).
    date_match = None
    for match in _CLOSING_DATE.finditer(text):
        date_match = match
    period = _REPORTING_PERIOD.search(text)
    if edition_match is None or date_match is None or period is None:
        raise SourceError(
            f"{path}: cannot tell the edition of this compendium (it needs "
            "'Compendio General YYYY', the reporting period 'abarca del mes de MES de YYYY "
            "a MES de YYYY' and the closing 'Ciudad de México a D de MES de YYYY')"
        )
    edition = int(edition_match.group(1))
    day, month, year = date_match.groups()
    publication_date = f"{int(year):04d}-{_MONTHS_ES[month.lower()]:02d}-{int(day):02d}"
    reuse = _REUSE_STATEMENT.search(text)
    reuse_statement = " ".join(reuse.group(0).split()) if reuse else ""
    return SourceManifest(
        file=path.name,
        edition=edition,
        title=bundled.title.replace(str(bundled.edition), str(edition)),
        title_en=bundled.title_en.replace(str(bundled.edition), str(edition)),
        publisher=bundled.publisher,
        publication_date=publication_date,
        reporting_period_start=f"{period[2]}-{_MONTHS_ES[period[1].lower()]:02d}",
        reporting_period_end=f"{period[4]}-{_MONTHS_ES[period[3].lower()]:02d}",
        homepage=bundled.homepage,
        reuse_statement=reuse_statement,
        reuse_statement_en=bundled.reuse_statement_en if reuse else "",
        sha256=digest,
    )
