"""The PDF reader: the committed sample pages, the full rendered compendium (same
practices as the text path), the glossary from ruled tables, the page cache, bad PDFs."""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table, TableStyle

from conftest import FIXTURES, REPO
from gcm_open import pdf as pdf_module
from gcm_open.annex import read_annex
from gcm_open.building import BuildResult, build
from gcm_open.cli import main
from gcm_open.errors import SourceError
from gcm_open.pages import PagedText
from gcm_open.parse import Compendium, parse_compendium
from gcm_open.pdf import read_pdf_pages

sys.path.insert(0, str(REPO / "scripts"))
from make_fixture_pdf import make_pdf, render_key

# Full PDF renderings and extraction: left out of `scripts/check.sh --fast`.
pytestmark = pytest.mark.slow

SAMPLE = FIXTURES / "compendio-sample.pdf"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def sample() -> PagedText:
    return read_pdf_pages(SAMPLE, jobs=1, use_cache=False)


@pytest.fixture(scope="session")
def full_pdf(request: pytest.FixtureRequest) -> Path:
    """The whole compendium rendered as a PDF, kept between runs while the inputs are the same."""
    cached = request.config.cache.mkdir("gcm-open") / f"compendio-{render_key('classic')}.pdf"
    if not cached.exists():
        # Rendered aside and moved in: parallel workers may render it at once.
        partial = cached.with_suffix(f".{os.getpid()}.partial")
        make_pdf(partial)
        partial.replace(cached)
    return cached


# --- the committed sample pages -------------------------------------------------------


def test_sample_pages_carry_their_printed_numbers_and_headers(sample: PagedText) -> None:
    assert [page.printed_number for page in sample.pages] == [
        6,
        7,
        8,
        159,
        160,
        220,
        221,
        222,
        223,
        224,
    ]
    assert [page.number for page in sample.pages] == list(range(1, 11))
    headers = {page.printed_number: [h.objective_id for h in page.headers] for page in sample.pages}
    assert headers[7] == [1] and headers[159] == [1] and headers[160] == [2] and headers[8] == []
    [header] = sample.pages[1].headers
    assert header.title.startswith("Recopilar y utilizar datos exactos y desglosados")


def test_sample_practices_start_on_their_pages(sample: PagedText) -> None:
    starts = {}
    for page in sample.pages:
        for line in page.body:
            for prefix in (
                "1. Elaborar estudios",
                "3. Cooperación con organismos",
                "1. Dirigir estudios",
                "3. Firma del Convenio",
            ):
                if line.text.startswith(prefix):
                    starts[prefix] = page.printed_number
    assert starts == {
        "1. Elaborar estudios": 7,
        "3. Cooperación con organismos": 8,
        "1. Dirigir estudios": 159,
        "3. Firma del Convenio": 160,
    }


def test_the_glossary_from_tables_equals_the_glossary_from_text(
    sample: PagedText, compendium: Compendium
) -> None:
    lines = [line for page in sample.pages[5:] for line in page.body]
    tables = [table for page in sample.pages[5:] for table in page.tables]
    from_tables = read_annex(lines, tables)
    from_text = read_annex(compendium.annex_lines)
    assert [(e.name, e.acronyms) for e in from_tables.glossary] == [
        (e.name, e.acronyms) for e in from_text.glossary
    ]
    assert from_tables.participating_states == from_text.participating_states
    assert len(from_tables.glossary) == 40


# --- the whole compendium as PDF ------------------------------------------------------


@pytest.fixture(scope="session")
def pdf_build(full_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(full_pdf, tmp_path_factory.mktemp("pdf") / "package", jobs=2, use_cache=False)


def _practices(directory: Path) -> dict[str, dict[str, str]]:
    with (directory / "data" / "practices.csv").open(encoding="utf-8", newline="") as handle:
        return {row["practice_id"]: row for row in csv.DictReader(handle)}


def test_the_pdf_gives_the_same_practices_as_the_text(
    pdf_build: BuildResult, built: BuildResult
) -> None:
    from_pdf, from_text = _practices(pdf_build.out_dir), _practices(built.out_dir)
    assert from_pdf.keys() == from_text.keys() and len(from_pdf) == 346
    located = {"page_start", "page_end", "line_start", "line_end"}
    for practice_id, row in from_text.items():
        assert {k: v for k, v in from_pdf[practice_id].items() if k not in located} == {
            k: v for k, v in row.items() if k not in located
        }, practice_id


def test_pdf_pages_are_the_printed_pages(pdf_build: BuildResult, built: BuildResult) -> None:
    from_pdf, from_text = _practices(pdf_build.out_dir), _practices(built.out_dir)
    for practice_id, row in from_text.items():
        assert (from_pdf[practice_id]["page_start"], from_pdf[practice_id]["page_end"]) == (
            row["page_start"],
            row["page_end"],
        )
    assert from_pdf["2022-F-01-01"]["page_start"] == "7"
    assert from_pdf["2022-S-01-01"]["page_start"] == "159"


def test_the_pdf_package_is_valid_and_its_other_tables_agree(
    pdf_build: BuildResult, built: BuildResult
) -> None:
    from gcm_open.validation import validate

    assert validate(pdf_build.out_dir).valid
    for table in ("institutions", "states"):
        assert (pdf_build.out_dir / "data" / f"{table}.csv").read_bytes() == (
            built.out_dir / "data" / f"{table}.csv"
        ).read_bytes(), table
    # Tags agree but for their source line, which each build numbers its own way; each
    # points into its practice as the build that made it numbers lines.
    practices = _practices(pdf_build.out_dir)
    for table in (
        "practice_institutions",
        "practice_countries",
        "practice_populations",
        "practice_links",
    ):
        from_pdf, from_text = (
            _table_rows(pdf_build.out_dir, table),
            _table_rows(built.out_dir, table),
        )
        assert [_without_line(row) for row in from_pdf] == [
            _without_line(row) for row in from_text
        ], table
        for row in from_pdf:
            practice = practices[row["practice_id"]]
            if row.get("source") not in ("footnote", "link annotation"):
                line = int(row["line_no"])
                assert int(practice["line_start"]) <= line <= int(practice["line_end"]), row


def _table_rows(package: Path, table: str) -> list[dict[str, str]]:
    with (package / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _without_line(row: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in row.items() if name != "line_no"}


def test_a_warm_cache_skips_extraction(
    full_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(full_pdf, tmp_path / "first", jobs=2)
    assert list((tmp_path / "cache" / "gcm-open").glob("*.json"))

    def refuse(*args: object) -> None:
        raise AssertionError("pages were extracted again")

    monkeypatch.setattr(pdf_module, "_extract_range", refuse)
    again = build(full_pdf, tmp_path / "second", jobs=2)
    assert again.table_rows["practices"] == 346
    with pytest.raises(AssertionError, match="extracted again"):
        build(full_pdf, tmp_path / "third", jobs=1, use_cache=False)


# --- bad PDFs -------------------------------------------------------------------------


def _pdf(
    path: Path,
    *,
    text: str | None = "Un informe cualquiera sobre otro tema.",
    encrypt: str | None = None,
    pages: int = 1,
) -> Path:
    canvas = Canvas(str(path), encrypt=encrypt)
    for _ in range(pages):
        if text is not None:
            canvas.drawString(72, 720, text)
        else:
            canvas.rect(72, 600, 200, 100, fill=1)  # a drawing, as a scan would be
        canvas.showPage()
    canvas.save()
    return path


def _bad_pdfs(tmp_path: Path, full_pdf: Path) -> dict[str, tuple[Path, str]]:
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(full_pdf.read_bytes()[: full_pdf.stat().st_size // 3])
    corrupted = tmp_path / "corrupted.pdf"
    corrupted.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return {
        "encrypted": (_pdf(tmp_path / "encrypted.pdf", encrypt="secreto"), "encrypted"),
        "corrupted": (corrupted, "damaged or truncated PDF"),
        "truncated": (truncated, "damaged or truncated PDF"),
        "image-only": (
            _pdf(tmp_path / "scan.pdf", text=None, pages=3),
            "no text layer: this looks like a scanned PDF; run OCR first",
        ),
        "another-document": (_pdf(tmp_path / "other.pdf"), "not a compendium"),
        "zero-pages": (empty, "no pages|damaged or truncated"),
    }


@pytest.mark.parametrize(
    "kind", ["encrypted", "corrupted", "truncated", "image-only", "another-document", "zero-pages"]
)
def test_a_bad_pdf_is_a_one_line_error_and_writes_nothing(
    kind: str, tmp_path: Path, full_pdf: Path
) -> None:
    path, message = _bad_pdfs(tmp_path, full_pdf)[kind]
    out = tmp_path / "out"
    out.mkdir()
    (out / "datapackage.json").write_text("an earlier package")
    result = CliRunner().invoke(
        main, ["build", "--source", str(path), "--out", str(out), "--no-cache"]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert re.search(message, result.output), result.output
    assert f"Error: {path}: " in result.output  # names the file
    assert [item.name for item in tmp_path.iterdir() if item.name.startswith("out")] == ["out"]
    assert [item.name for item in out.iterdir()] == ["datapackage.json"]
    assert (out / "datapackage.json").read_text() == "an earlier package"


def test_read_pdf_pages_raises_source_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no text layer"):
        read_pdf_pages(_pdf(tmp_path / "scan.pdf", text=None), jobs=1, use_cache=False)


# --- ruled tables inside practices ------------------------------------------------------


def test_a_ruled_table_is_kept_in_the_body_one_cell_per_line(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "Se atendieron los siguientes casos:")
    table = Table([["Estado", "Casos"], ["Chiapas", "12"], ["Tabasco", "7"]], colWidths=90)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    _, height = table.wrapOn(canvas, 400, 400)
    table.drawOn(canvas, 72, 700 - height)
    canvas.drawString(72, 700 - height - 24, "Los casos se cerraron en 2021.")
    canvas.showPage()
    canvas.save()

    page = read_pdf_pages(path, jobs=1, use_cache=False).pages[0]

    assert [line.text.strip() for line in page.body if line.text.strip()] == [
        "Se atendieron los siguientes casos:",
        *["Estado", "Casos", "Chiapas", "12", "Tabasco", "7"],
        "Los casos se cerraron en 2021.",
    ]
    assert page.tables == ((("Estado", "Casos"), ("Chiapas", "12"), ("Tabasco", "7")),)


def test_a_ruled_table_before_the_annexes_is_a_counted_warning(paged: PagedText) -> None:
    table = (("Estado", "Casos"), ("Chiapas", "12"))
    pages = tuple(
        dataclasses.replace(page, tables=(table,)) if page.number == 40 else page
        for page in paged.pages
    )
    compendium = parse_compendium(dataclasses.replace(paged, pages=pages), 2022)

    found = [warning for warning in compendium.warnings if warning.code == "table-in-practice"]
    assert len(found) == 1
    assert "page 40: a ruled table of 2 rows" in found[0].message
    assert compendium.annex_tables == ()


def test_a_thumb_index_down_the_outer_edge_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "thumbs.pdf"
    canvas = Canvas(str(path))  # Letter: 612 x 792
    lines = [f"Línea {word} del texto que llega cerca del margen derecho" for word in "abcdefgh"]
    for sheet, edge in enumerate((578, 12)):  # the right edge, then the left (facing pages)
        canvas.setFont("Helvetica", 10)
        for row, text in enumerate(lines):
            canvas.drawString(72, 700 - row * 24, text)
        # Numbers of a list in the text, rising down the page beside their items: text.
        for row in range(6):
            canvas.drawString(72, 480 - row * 14, f"{row + 1}")
            canvas.drawString(100, 480 - row * 14, "asunto atendido")
        for number in range(1, 24):
            y = 712 - number * 24
            canvas.setFillColor(colors.black if number == sheet + 3 else colors.white)
            canvas.rect(edge, y, 20, 22, stroke=1, fill=1)
            canvas.setFillColor(colors.white if number == sheet + 3 else colors.black)
            canvas.setFont("Helvetica", 7)
            canvas.drawCentredString(edge + 10, y + 8, str(number))
        canvas.setFillColor(colors.black)
        canvas.showPage()
    canvas.save()

    pages = read_pdf_pages(path, jobs=1, use_cache=False).pages

    for page in pages:
        assert [line.text.strip() for line in page.body if line.text.strip()] == [
            *lines,
            *[f"{row + 1} asunto atendido" for row in range(6)],
        ]
        assert page.tables == ()


def test_bold_from_a_stroked_outline_as_well_as_from_the_font_name(tmp_path: Path) -> None:
    path = tmp_path / "stroked.pdf"
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 700, "Texto regular de un párrafo")
    canvas.saveState()
    canvas.setLineWidth(0.4)
    heading = canvas.beginText(72, 680)
    heading.setFont("Helvetica", 10)
    heading.setTextRenderMode(2)  # fill, then stroke: bold without a bold face
    heading.textOut("Resultados")
    canvas.drawText(heading)
    canvas.restoreState()
    canvas.drawString(72, 660, "Texto regular que sigue")
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(72, 640, "Retos")
    canvas.save()
    (page,) = pdf_module.extract_pages(path, jobs=1, use_cache=False)
    bold = {line["text"]: line["bold"] for line in page["lines"]}
    assert bold == {
        "Texto regular de un párrafo": False,
        "Resultados": True,
        "Texto regular que sigue": False,
        "Retos": True,
    }


def test_link_annotations_are_read_where_pdfplumber_places_them(tmp_path: Path) -> None:
    import pdfplumber

    path = make_pdf(tmp_path / "rotated.pdf", selection=[(1, 60)], layout="rotated")
    seen = 0
    with pdfplumber.open(path) as document:
        for page in document.pages:
            expected = [
                (link["uri"], round(link["x0"], 3), round(link["top"], 3))
                for link in page.hyperlinks
            ]
            found = [
                (uri, round(x0, 3), round(top, 3))
                for uri, x0, top in pdf_module._link_annotations(page)
            ]
            assert found == expected, page.page_number
            seen += len(found) * (page.rotation != 0)
    assert seen > 0  # some links stand on rotated pages
