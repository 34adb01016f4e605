"""The bundled source, its manifest, and refusing what is not a compendium."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from gcm_open.building import build
from gcm_open.errors import SourceError
from gcm_open.sources import SourceDocument, bundled_manifest, bundled_source, load_source

SHARED_SHA256 = "9186016b98c4e26fc78788e4dcd2fb2fe62b7cbd1738b8ac7dc72ee28033bc63"


def test_bundled_source_matches_its_manifest() -> None:
    source = bundled_source()
    assert source.sha256 == SHARED_SHA256
    assert hashlib.sha256(source.text.encode("utf-8")).hexdigest() == SHARED_SHA256
    assert len(source.text.split("\n")) - 1 == 13601


def test_manifest_describes_the_2022_edition() -> None:
    manifest = bundled_manifest()
    assert manifest.edition == 2022
    assert manifest.publication_date == "2022-10-05"
    assert (manifest.reporting_period_start, manifest.reporting_period_end) == (
        "2021-06",
        "2022-06",
    )
    assert manifest.reuse_statement in bundled_source().text.replace(" \n", " ")
    assert "sin fines comerciales" in manifest.reuse_statement


def test_a_damaged_bundled_source_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from gcm_open import sources

    real = sources.bundled_manifest()
    damaged = type(real)(**{**real.__dict__, "sha256": "0" * 64})
    monkeypatch.setattr(sources, "bundled_manifest", lambda: damaged)
    with pytest.raises(SourceError, match="damaged"):
        sources.bundled_source()


def test_another_copy_of_the_bundled_text_gets_the_bundled_manifest(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(bundled_source().text.encode("utf-8"))
    assert load_source(copy).manifest == bundled_manifest()


def test_another_edition_is_described_from_its_own_text(tmp_path: Path) -> None:
    text = bundled_source().text
    later = (
        text.replace("Compendio General 2022", "Compendio General 2023")
        .replace("junio de 2021 a junio \nde 2022", "julio de 2022 a junio \nde 2023")
        .replace(
            "Ciudad de México a 5 de octubre de 2022", "Ciudad de México a 9 de agosto de 2023"
        )
    )
    path = tmp_path / "compendio-2023.txt"
    path.write_text(later, encoding="utf-8")
    manifest = load_source(path).manifest
    assert manifest.edition == 2023
    assert manifest.publication_date == "2023-08-09"
    assert (manifest.reporting_period_start, manifest.reporting_period_end) == (
        "2022-07",
        "2023-06",
    )
    assert manifest.sha256 == hashlib.sha256(later.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("Compendio Pacto Mundial Objetivo 1. Resultados ñ".encode("latin-1"), "not UTF-8"),
        (b"Lorem ipsum dolor sit amet.\n", "not a compendium"),
    ],
)
def test_unusable_sources_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "source.txt"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as caught:
        load_source(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_and_directory_sources_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_source(tmp_path / "absent.txt")
    with pytest.raises(SourceError, match="is a directory"):
        load_source(tmp_path)


def test_a_compendium_without_its_edition_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text(bundled_source().text.replace("Compendio General 2022", "Compendio"), "utf-8")
    with pytest.raises(SourceError, match="cannot tell the edition"):
        load_source(path)


# --- other encodings and line endings -------------------------------------------------


def _tables(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((out / "data").glob("*.csv"))}


def _rows(out: Path) -> dict[str, list[list[str]]]:
    tables = {}
    for path in sorted((out / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.name] = list(csv.reader(handle))
    return tables


def test_crlf_line_endings_give_the_same_tables(source: SourceDocument, tmp_path: Path) -> None:
    crlf = tmp_path / "compendio-crlf.txt"
    crlf.write_bytes(source.text.replace("\n", "\r\n").encode("utf-8"))

    result = build(crlf, tmp_path / "crlf")

    assert _tables(tmp_path / "crlf") == _tables(build(None, tmp_path / "lf").out_dir)
    assert result.warning_counts()["source-line-endings"] == 1


def test_a_windows_1252_text_is_read_as_such(source: SourceDocument, tmp_path: Path) -> None:
    # Windows-1252 has no bullets like "●" or "➢": an export replaces them with "?".
    text = source.text.encode("cp1252", errors="replace").decode("cp1252")
    utf8, legacy = tmp_path / "utf8.txt", tmp_path / "cp1252.txt"
    utf8.write_bytes(text.encode("utf-8"))
    legacy.write_bytes(text.encode("cp1252"))

    result = build(legacy, tmp_path / "legacy")

    assert _tables(result.out_dir) == _tables(build(utf8, tmp_path / "utf8").out_dir)
    assert result.warning_counts()["source-encoding"] == 1
    assert "Migración" in result.source.text


# How a Latin-1 (or ASCII) export writes what Latin-1 lacks: bullets as "o", quotes and
# dashes plainly.
_LATIN1_EXPORT = str.maketrans(
    {
        **dict.fromkeys("•●○▪◦■", "o"),
        **dict.fromkeys("“”", '"'),
        **dict.fromkeys("‘’", "'"),
        **dict.fromkeys("–—", "-"),
        **dict.fromkeys("➔➢", ">"),
    }
)


def test_a_latin1_copy_with_bullets_written_o_gives_the_same_tables(
    source: SourceDocument, tmp_path: Path
) -> None:
    """The same content, the same tables: list items and the repair of a displaced table
    do not hang on the bullet character (a bullet written "o" is a list item, not the
    conjunction that continues a sentence)."""
    text = source.text.translate(_LATIN1_EXPORT)
    latin1, utf8 = tmp_path / "latin1.txt", tmp_path / "utf8.txt"
    latin1.write_bytes(text.encode("latin-1"))
    utf8.write_bytes(source.text.encode("utf-8"))
    exported = build(latin1, tmp_path / "latin1").out_dir
    original = build(utf8, tmp_path / "utf8").out_dir
    expected = {
        name: [[cell.translate(_LATIN1_EXPORT) for cell in row] for row in rows]
        for name, rows in _rows(original).items()
    }
    assert _rows(exported) == expected


def test_an_encoding_that_cannot_be_told_is_refused(source: SourceDocument, tmp_path: Path) -> None:
    mac = tmp_path / "mac-roman.txt"
    mac.write_bytes(source.text.encode("mac_roman", errors="replace"))
    with pytest.raises(SourceError, match=r"not UTF-8 text .*convert it to UTF-8 first"):
        load_source(mac)
