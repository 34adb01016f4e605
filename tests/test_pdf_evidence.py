"""The PDF reader's reading of a layout from document-level evidence, on extracted pages
built by hand: running heads and feet, page numbers, headers, footnotes, hyphens."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from gcm_open.diagnostics import BuildWarning
from gcm_open.pdf import read_extracted_pages
from gcm_open.spanish import SpanishWords

HEIGHT = 792.0
_WORDS = [
    "Programa",
    "Atención",
    "Registro",
    "Capacitación",
    "Protección",
    "Estrategia",
    "Informe",
    "Apoyo",
    "Red",
]


def _line(
    text: str, top: float, size: float = 9.0, *, bold: bool = False, **extra: Any
) -> dict[str, Any]:
    return {
        "text": text,
        "marks": extra.get("marks", []),
        "size": size,
        "bold": bold,
        "top": top,
        "bottom": top + size,
        "x0": 72.0,
        "x1": 300.0,
    }


def _page(number: int, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "number": number,
        "width": 612.0,
        "height": HEIGHT,
        "lines": lines,
        "tables": [],
        "table_boxes": [],
        "links": [],
    }


def _body(first_top: float, texts: list[str]) -> list[dict[str, Any]]:
    return [_line(text, first_top + 12 * index) for index, text in enumerate(texts)]


def _document(count: int, head: str | None = None, foot: str | None = None) -> list[dict[str, Any]]:
    pages = []
    for number in range(1, count + 1):
        lines = []
        if head:
            lines.append(_line(head.format(n=number), 30, 8))
        lines += _body(
            72, [f"{_WORDS[(number * k) % len(_WORDS)]} de la línea." for k in range(1, 6)]
        )
        if foot:
            lines.append(_line(foot.format(n=number), 750, 8))
        pages.append(_page(number, lines))
    return pages


def _texts(raw: list[dict[str, Any]]) -> list[list[str]]:
    paged = read_extracted_pages(raw)
    return [[line.text.strip() for line in page.body if line.text.strip()] for page in paged.pages]


def test_a_running_foot_with_the_page_number_is_furniture() -> None:
    raw = _document(8, foot="Compendio General 2022 | {n}")
    paged = read_extracted_pages(raw)
    assert [page.printed_number for page in paged.pages] == list(range(1, 9))
    assert all(len(texts) == 5 for texts in _texts(raw))


def test_a_page_number_at_the_top_right_is_read_and_taken_out() -> None:
    raw = _document(6, head="{n}")
    for page in raw:
        page["lines"][0]["x0"] = 540.0
    paged = read_extracted_pages(raw)
    assert [page.printed_number for page in paged.pages] == list(range(1, 7))
    assert all(texts[0].endswith("de la línea.") for texts in _texts(raw))


def test_page_numbers_may_jump_in_an_excerpt_but_a_stray_number_is_not_one() -> None:
    raw = _document(8, foot="{n}")
    printed = [6, 7, 8, 159, 160, 222, 223, 224]
    for page, number in zip(raw, printed, strict=True):
        page["lines"][-1]["text"] = str(number)
    raw[2]["lines"][-1]["text"] = "40"  # a number standing where page 8's is
    paged = read_extracted_pages(raw)
    assert [page.printed_number for page in paged.pages] == [6, 7, None, 159, 160, 222, 223, 224]


def test_a_heading_that_opens_some_pages_is_not_a_running_head() -> None:
    raw = _document(20)
    for page in raw[:3]:
        # "Retos" opens three pages, apart from the text below it ...
        page["lines"].insert(0, _line("Retos", 50))
    for page, top in zip(raw[10:14], (140, 152, 164, 176), strict=True):
        # ... and ends the text of four others, at other heights
        page["lines"].append(_line("Retos", top))
    texts = _texts(raw)
    assert all(page[0] == "Retos" for page in texts[:3])
    assert all(page[-1] == "Retos" for page in texts[10:14])


def test_an_objective_header_over_two_lines_is_joined_and_read_in_the_flow() -> None:
    lines = [
        *_body(72, ["Fin del objetivo anterior."]),
        _line(
            "Objetivo 2. Minimizar los factores adversos y estructurales que", 120, 14, bold=True
        ),
        _line("obligan a las personas a abandonar su país de origen", 136, 14, bold=True),
        *_body(170, ["1. Programa de Vivienda (CONAVI)", "Texto."]),
    ]
    paged = read_extracted_pages([_page(1, lines)])
    [header] = paged.headers()
    assert header.objective_id == 2
    assert header.title == (
        "Minimizar los factores adversos y estructurales que obligan a las personas a "
        "abandonar su país de origen"
    )
    assert [line.text.strip() for line in paged.body_lines() if line.text.strip()] == [
        "Fin del objetivo anterior.",
        "1. Programa de Vivienda (CONAVI)",
        "Texto.",
    ]


def test_an_objective_header_set_in_capitals_is_a_header() -> None:
    lines = [
        *_body(72, ["Fin del objetivo anterior."]),
        _line("OBJETIVO 2. MINIMIZAR LOS FACTORES ADVERSOS", 120, 12, bold=True),
        *_body(150, ["1. Programa de Vivienda (CONAVI)", "Texto."]),
    ]
    [header] = read_extracted_pages([_page(1, lines)]).headers()
    assert (header.objective_id, header.title) == (2, "MINIMIZAR LOS FACTORES ADVERSOS")


def test_a_running_head_whose_first_part_repeats_is_furniture() -> None:
    # "Compendio General 2022" at the left, the objective or "Anexos" at the right: the
    # whole line changes with its right part, its left part repeats.
    raw = _document(12)
    for page in raw:
        number = page["number"]
        right = "Anexos" if number > 10 else f"Objetivo {1 + number // 4}"
        head = _line(f"Compendio General 2022 {right}", 30, 8)
        head["parts"] = [[72.0, "Compendio General 2022"], [500.0, right]]
        page["lines"].insert(0, head)
    assert all(len(texts) == 5 for texts in _texts(raw))


def test_a_side_heading_in_the_margin_is_a_line_of_its_own() -> None:
    lines = _body(72, ["El programa atiende a personas.", "Otra línea del texto."])
    for line in lines:
        line["x0"] = 180.0
    beside = _line("Resultados Se atendió a 300 personas.", 96)
    beside["x0"] = 72.0
    beside["parts"] = [[72.0, "Resultados"], [180.0, "Se atendió a 300 personas."]]
    # A number beside its text at the text's own edge is no side heading.
    listed = _line("1 Primer punto de la lista.", 108)
    listed["x0"] = 180.0
    listed["parts"] = [[180.0, "1"], [195.0, "Primer punto de la lista."]]
    texts = _texts([_page(1, [*lines, beside, listed])])
    assert texts == [
        [
            "El programa atiende a personas.",
            "Otra línea del texto.",
            "Resultados",
            "Se atendió a 300 personas.",
            "1 Primer punto de la lista.",
        ]
    ]


def test_footnotes_are_the_small_type_at_the_foot_raised_or_inline() -> None:
    lines = [
        _line("Un texto con una nota", 72, marks=[[21, 1]]),
        _line("y otra más, en un párrafo que sigue un poco más", 84, marks=[[11, 2]]),
        _line("para que el cuerpo del texto sea el de la mayoría", 96),
        _line("de los caracteres de la página.", 108),
        _line("Texto de la primera nota que sigue", 700, 6.5, marks=[[0, 1]]),
        _line("en una segunda línea.", 708, 6.5),
        _line("2 Texto de la segunda nota.", 716, 6.5),
    ]
    paged = read_extracted_pages([_page(1, lines)])
    notes = paged.footnotes()
    assert [(note.number, note.text) for note in notes] == [
        (1, "Texto de la primera nota que sigue en una segunda línea."),
        (2, "Texto de la segunda nota."),
    ]
    assert [note.marker_line for note in notes] == [1, 2]


def _dehyphenated(
    lines: list[dict[str, Any]], tmp_path: Path
) -> tuple[list[str], tuple[BuildWarning, ...]]:
    """The page's text lines and the reader's warnings, line-end hyphens read."""
    paged = read_extracted_pages([_page(1, lines)], SpanishWords(tmp_path / "words.json"))
    return [line.text for line in paged.body_lines() if line.text.strip()], paged.warnings


def test_line_end_hyphens_are_dropped_only_for_known_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _body(
        72,
        [
            "el problema se conoce; un pro-",
            "blema de la UPMRIP-",
            "SEGOB y de ONU-",
            "Mujeres, con ONU-Mujeres; la re-",
            "victimización.",
        ],
    )
    texts, warnings = _dehyphenated(lines, tmp_path)
    assert texts[0].endswith("pro")  # "problema" is spelled on the same page
    assert texts[1].endswith("UPMRIP- ")  # "UPMRIPSEGOB" is no word
    assert texts[2].endswith("ONU- ")  # the document spells "ONU-Mujeres"
    assert texts[3].endswith("re- ")  # neither "revictimización" nor "re-victimización" known
    [warning] = [w for w in warnings if w.code == "hyphen-kept"]
    assert "'re-victimización'" in warning.message


def test_a_word_broken_between_syllables_is_joined_when_its_first_piece_is_no_word(
    tmp_path: Path,
) -> None:
    lines = _body(
        72,
        [
            "se desarrollará en Hermosi-",
            "llo, con talleres psicoeducati-",
            "vos de tipo teórico-",
            "práctico.",
        ],
    )
    texts, warnings = _dehyphenated(lines, tmp_path)
    # "llo" and "vos" open lines after a break: they are not words the document spells.
    assert texts[0].endswith("Hermosi")
    assert texts[1].endswith("psicoeducati")
    assert texts[2].endswith("teórico- ")  # "teórico" is a word: a compound
    assert [w.code for w in warnings if w.code == "hyphen-kept"] == ["hyphen-kept"]


def test_the_spanish_dictionary_is_asked_once_per_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered = tmp_path / "words.json"
    words = SpanishWords(remembered)
    assert words("recabada") and not words("upmripsegob")
    words.save()
    # Without simplemma, the answers come from the file.
    monkeypatch.setitem(sys.modules, "simplemma", None)
    again = SpanishWords(remembered)
    assert again("recabada") and not again("upmripsegob")
    with pytest.raises(ImportError):
        again("otra")


def test_a_url_wrapped_over_lines_is_joined_where_it_was_cut() -> None:
    lines = [
        *_body(72, [f"{word} de un texto que sigue con su nota." for word in _WORDS]),
        _line(
            "1 Véase https://www.gob.mx/inm/prensa/nota-al-migrante-y-su-familia/#:~:text=",
            700,
            6.5,
        ),
        _line("Agreg%C3%B3%20que%20cumpliendo consultado en 2022.", 708, 6.5),
        _line("2 Véase https://www.gob.mx/inm", 716, 6.5),
        _line("consultado en 2022.", 724, 6.5),
        _line("3 Véase http://www.gob.mx/es/ElementosMinimos_", 732, 6.5),
        _line("DFI consultado en 2022 en el Instituto-", 740, 6.5),
        _line("de Migración.", 748, 6.5),
    ]
    notes = read_extracted_pages([_page(1, lines)]).footnotes()
    assert [note.text for note in notes] == [
        "Véase https://www.gob.mx/inm/prensa/nota-al-migrante-y-su-familia/#:~:text="
        "Agreg%C3%B3%20que%20cumpliendo consultado en 2022.",
        "Véase https://www.gob.mx/inm consultado en 2022.",
        "Véase http://www.gob.mx/es/ElementosMinimos_DFI consultado en 2022 en el Instituto- "
        "de Migración.",
    ]


def test_a_running_head_of_the_objective_in_force_with_its_page_number_is_furniture() -> None:
    # Facing pages: "N  Objetivo ..." on even pages, "Objetivo ...  N" on odd ones; the
    # objective changes, so the head repeats too little to be found by repetition.
    raw = _document(12)
    for page in raw:
        number = page["number"]
        objective = 1 if number <= 6 else 2
        head = f"Objetivo {objective}. Título del objetivo {objective}"
        text = f"{number} {head}" if number % 2 == 0 else f"{head} {number}"
        page["lines"].insert(0, _line(text, 30, 8))
    paged = read_extracted_pages(raw)
    assert [page.printed_number for page in paged.pages] == list(range(1, 13))
    assert all(len(texts) == 5 for texts in _texts(raw))
    titles = {header.title for page in paged.pages for header in page.headers}
    assert titles == {"Título del objetivo 1", "Título del objetivo 2"}
