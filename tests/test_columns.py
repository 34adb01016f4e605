"""Pages set in columns, built character by character: the reading order is known."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pdfplumber.utils.text import chars_to_textmap

from gcm_open.columns import Gutter, document_gutters, find_gutters, unfold
from gcm_open.pdf import WORD_GAP_RATIO

WIDTH, HEIGHT = 612.0, 792.0
_TEXT = (
    "la migración de personas en tránsito con programas estatales y federales para "
    "atender a familias que regresan al país desde Estados Unidos mediante oficinas"
)
_WORDS = tuple(_TEXT.split())


def _chars(text: str, x: float, top: float, size: float) -> list[dict[str, Any]]:
    """The characters of one line: each half the type size wide, words a third apart."""
    chars = []
    for word in text.split():
        for letter in word:
            chars.append(
                {
                    "text": letter,
                    "x0": x,
                    "x1": x + size * 0.5,
                    "top": top,
                    "doctop": top,
                    "bottom": top + size,
                    "size": size,
                    "fontname": "Test",
                    "upright": True,
                }
            )
            x += size * 0.5
        x += size * 0.33
    return chars


def _lines(chars: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if not chars:
        return []
    textmap = chars_to_textmap(list(chars), x_tolerance_ratio=WORD_GAP_RATIO, y_tolerance=2.5)
    found: list[dict[str, Any]] = textmap.extract_text_lines(strip=True, return_chars=True)
    return [line for line in found if line["text"].strip()]


def _read(chars: list[dict[str, Any]], known: Sequence[Gutter] = ()) -> list[str]:
    """The page's lines in reading order, as the PDF reader reads them."""
    lines = _lines(chars)
    gutters = find_gutters(lines, WIDTH, known)
    if gutters:
        lines = unfold(lines, [], gutters, HEIGHT, _lines).lines
    return [" ".join(line["text"].split()) for line in lines]


def _wrap(words: Sequence[str], room: float, size: float) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    for word in words:
        candidate = [*current, word]
        if current and _width(" ".join(candidate), size) > room:
            lines.append(" ".join(current))
            candidate = [word]
        current = candidate
    if current:
        lines.append(" ".join(current))
    return lines


def _width(text: str, size: float) -> float:
    return sum(len(word) for word in text.split()) * size * 0.5 + (len(text.split()) - 1) * (
        size * 0.33
    )


def _set(lines: Sequence[str], x: float, top: float, size: float, leading: float) -> list[Any]:
    chars: list[Any] = []
    for number, text in enumerate(lines):
        chars += _chars(text, x, top + number * leading, size)
    return chars


def test_two_columns_read_left_then_right() -> None:
    left = [f"izquierda {n} de la columna que se lee primero hasta el fondo" for n in range(20)]
    right = [f"derecha {n} de la columna que se lee después de la otra" for n in range(20)]
    chars = _set(left, 50, 72, 9, 11) + _set(right, 320, 72, 9, 11)
    assert _read(chars) == left + right


def test_a_glossary_of_names_and_acronyms_is_one_column() -> None:
    names = ["SECRETARÍA DE GOBERNACIÓN", "INSTITUTO NACIONAL DE MIGRACIÓN", "COMISIÓN"] * 5
    acronyms = ["SEGOB", "INM", "COMAR"] * 5
    chars: list[Any] = []
    for row, (name, acronym) in enumerate(zip(names, acronyms, strict=True)):
        chars += _chars(name, 50, 72 + row * 14, 9) + _chars(acronym, 480, 72 + row * 14, 9)
    lines = _lines(chars)
    assert find_gutters(lines, WIDTH) == []
    assert _read(chars)[0] == "SECRETARÍA DE GOBERNACIÓN SEGOB"


def test_a_glossary_page_of_a_document_in_columns_stays_one_column() -> None:
    # The names stop short of the document's gutter; the acronyms stand far right of it.
    chars: list[Any] = []
    for row in range(12):
        chars += _chars(f"INSTITUTO NACIONAL {row}", 50, 72 + row * 18, 9)
        chars += _chars("INM", 446, 72 + row * 18, 9)
    lines = _lines(chars)
    assert find_gutters(lines, WIDTH, [Gutter(289, 306)]) == []


def test_a_page_with_a_short_last_column_uses_the_document_gutter() -> None:
    left = [f"izquierda {n} de la columna llena hasta el fondo de la hoja" for n in range(20)]
    right = ["derecha con solo dos líneas de texto en la", "columna final."]
    chars = _set(left, 50, 72, 9, 11) + _set(right, 320, 72, 9, 11)
    lines = _lines(chars)
    assert find_gutters(lines, WIDTH) == []  # two lines do not show a column
    known = [Gutter(300, 318)]
    assert _read(chars, known) == left + right


def test_a_page_of_one_column_has_no_gutter() -> None:
    words = (_WORDS * 20)[:400]
    chars = _set(_wrap(words, 500, 9), 56, 72, 9, 11)
    assert find_gutters(_lines(chars), WIDTH) == []


def test_a_short_heading_across_the_page_divides_the_bands() -> None:
    above_left = [f"arriba izquierda {n} con el texto de la primera banda" for n in range(6)]
    above_right = [f"arriba derecha {n} con el texto de la primera banda" for n in range(6)]
    heading = "Objetivo 3. Proporcionar"  # short: it does not reach the gutter
    below_left = [f"abajo izquierda {n} con el texto de la segunda banda" for n in range(6)]
    below_right = [f"abajo derecha {n} con el texto de la segunda banda" for n in range(6)]
    chars = (
        _set(above_left, 50, 72, 9, 11)
        + _set(above_right, 320, 72, 9, 11)
        + _chars(heading, 50, 150, 12)
        + _set(below_left, 50, 180, 9, 11)
        + _set(below_right, 320, 180, 9, 11)
    )
    assert _read(chars) == [*above_left, *above_right, heading, *below_left, *below_right]


def test_a_column_that_ends_a_line_lower_keeps_its_line() -> None:
    left = [f"izquierda {n} de la columna más larga de la banda final" for n in range(9)]
    right = [f"derecha {n} de la columna más corta de la banda final" for n in range(8)]
    left[-1] = "fin del párrafo."
    heading = "Objetivo 4. Velar por que todos los migrantes tengan pruebas de su identidad"
    chars = (
        _set(left, 50, 72, 9, 11)
        + _set(right, 320, 72, 9, 11)
        + _chars(heading, 50, 200, 12)
        + _set(["texto de la banda siguiente que sigue"] * 4, 50, 230, 9, 11)
        + _set(["texto de la otra columna que sigue"] * 4, 320, 230, 9, 11)
    )
    read = _read(chars)
    assert read[: len(left) + len(right)] == left + right


def test_footnotes_at_the_foot_of_a_column_go_under_the_columns() -> None:
    left = [f"izquierda {n} del texto con su nota al pie" for n in range(15)]
    right = [f"derecha {n} del texto que sigue en la otra columna" for n in range(20)]
    note = "3 Nota al pie de la primera columna."
    chars = (
        _set(left, 50, 72, 9, 11)
        + _chars(note, 50, 72 + 15 * 11 + 20, 6.5)
        + _set(right, 320, 72, 9, 11)
    )
    assert _read(chars) == [*left, *right, note]


def test_a_link_in_the_right_column_moves_with_its_line() -> None:
    left = [f"izquierda {n} de la columna que se lee primero" for n in range(20)]
    right = [f"derecha {n} de la columna con un enlace en la línea cinco" for n in range(20)]
    chars = _set(left, 50, 72, 9, 11) + _set(right, 320, 72, 9, 11)
    lines = _lines(chars)
    unfolded = unfold(lines, [], find_gutters(lines, WIDTH), HEIGHT, _lines)
    fifth = next(line for line in unfolded.lines if line["text"].startswith("derecha 5 "))
    assert abs(unfolded.move(330, 72 + 5 * 11) - fifth["top"]) < 0.01
    assert unfolded.move(60, 72 + 5 * 11) == 72 + 5 * 11
    assert unfolded.height > HEIGHT


@settings(max_examples=60, deadline=None)
@given(
    columns=st.integers(1, 3),
    size=st.sampled_from([7.0, 8.0, 9.5, 11.0]),
    gap=st.floats(12, 36),
    words=st.lists(st.sampled_from(_WORDS), min_size=300, max_size=1200),
    rows=st.integers(12, 30),
)
def test_any_column_layout_reads_in_order(
    columns: int, size: float, gap: float, words: list[str], rows: int
) -> None:
    """Text poured into columns of any count, type size and gutter, over as many pages
    as it takes (the last column of the last page as short as one line), reads back in
    order, with the document's gutters where a page shows too little of its own. (A
    document needs one full page to show its columns: a single page whose last column
    holds a line or two reads as one column.)"""
    room = (WIDTH - 100 - gap * (columns - 1)) / columns
    lines = _wrap(words, room, size)
    per_page = columns * rows
    assume(len(lines) >= per_page)
    pages: list[list[Any]] = []
    for first in range(0, len(lines), per_page):
        chars: list[Any] = []
        for column in range(columns):
            chunk = lines[first + column * rows : first + (column + 1) * rows]
            chars += _set(chunk, 50 + column * (room + gap), 72, size, size * 1.25)
        pages.append(chars)
    known = document_gutters([find_gutters(_lines(chars), WIDTH) for chars in pages])
    read = [line for chars in pages for line in _read(chars, known)]
    assert " ".join(read) == " ".join(lines)


def test_a_gutter_of_the_facing_page_is_not_a_column_of_this_one() -> None:
    # The columns move by 25 pt between odd and even pages: the document knows both
    # gutters, and the even page's falls inside this page's wide column.
    # Ragged: most lines stop short of the facing page's gutter, a few reach this one.
    left = [
        f"izquierda {n} de la columna ancha que llega casi al margen"
        if n % 4 == 0
        else f"izquierda {n} de la columna ancha más corta"
        for n in range(20)
    ]
    right = [f"derecha {n} de la columna estrecha a su lado" for n in range(20)]
    start = 50 + max(_width(line, 9) for line in left) + 18
    chars = _set(left, 50, 72, 9, 11) + _set(right, start, 72, 9, 11)
    own = find_gutters(_lines(chars), WIDTH)
    assert len(own) == 1
    facing = Gutter(own[0].x0 - 25, own[0].x1 - 25)
    assert find_gutters(_lines(chars), WIDTH, [facing, own[0]]) == own
    assert _read(chars, [facing, own[0]]) == left + right


def test_a_page_number_over_a_running_head_split_at_the_gutter_stays_at_the_top() -> None:
    # "113" (a little off the text's size) over "Compendio General 2022 ... Anexos" (the
    # head's two parts on either side of the gutter), set close together, apart from
    # the columns: neither part goes into a column.
    left = [f"izquierda {n} de la columna que se lee primero hasta el fondo" for n in range(20)]
    right = [f"derecha {n} de la columna que se lee después de la otra" for n in range(20)]
    chars = (
        _chars("113", 540, 20, 8.6)
        + _chars("Compendio General 2022", 50, 32, 8)
        + _chars("Anexos", 520, 32, 8)
        + _set(left, 50, 72, 9, 11)
        + _set(right, 320, 72, 9, 11)
    )
    assert _read(chars) == ["113", "Compendio General 2022 Anexos", *left, *right]
