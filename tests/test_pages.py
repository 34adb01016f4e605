"""The page model: headers, footnotes, page numbers and page breaks of the text extraction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gcm_open.pages import PagedText, join_wrapped, read_text_pages
from gcm_open.sources import SourceDocument


def test_every_objective_header_is_found_twice_in_order(paged: PagedText) -> None:
    headers = paged.headers()
    assert [header.objective_id for header in headers] == list(range(1, 24)) * 2
    # The ones whose line numbers we checked by hand: first, state start, a header at the
    # top of its page, and the last.
    lines = {
        (index >= 23, header.objective_id): header.line_no for index, header in enumerate(headers)
    }
    assert lines[(False, 1)] == 111
    assert lines[(True, 1)] == 9654
    assert lines[(True, 13)] == 11909
    assert lines[(True, 23)] == 13251


def test_header_titles_are_joined_over_their_lines(paged: PagedText) -> None:
    titles = {(header.objective_id, header.line_no): header.title for header in paged.headers()}
    assert titles[(6, 2233)] == (
        "Facilitar la contratación equitativa y ética y salvaguardar las condiciones que "
        "garantizan el trabajo decente"
    )
    # A blank line inside the header, which itself starts its page with a space.
    assert titles[(13, 11909)] == (
        "Utilizar la detención de migrantes sólo como último recurso y buscar otras alternativas."
    )


def test_header_lines_are_not_body_lines(paged: PagedText, source: SourceDocument) -> None:
    body = {line.line_no for line in paged.body_lines()}
    assert not body.intersection(header.line_no for header in paged.headers())
    # Continuation lines of three-line headers, and one after a blank line inside a header.
    assert not body.intersection({2234, 2235, 3855, 3856, 11911})
    lines = source.text.split("\n")
    marks = [
        number for number, text in enumerate(lines, 1) if text.strip() == "ii. Objetivos del PMM"
    ]
    assert marks and not body.intersection(marks)
    # The sentence a header cut in half is still in the body on both sides of it.
    assert {1042, 1045}.issubset(body)


def test_footnotes_and_their_markers(paged: PagedText, source: SourceDocument) -> None:
    footnotes = paged.footnotes()
    assert [note.number for note in footnotes] == list(range(1, 15))
    by_number = {note.number: note for note in footnotes}
    assert by_number[9].text.startswith("AFORE: Administradoras de Fondos para el Retiro.")
    assert by_number[9].marker_line == 9242  # "a cuentas Afore9 en México."
    assert by_number[2].marker_line == 1910  # "marzo de 20092." glued to a year
    assert by_number[4].marker_line == 3004  # the heading "Resultados4"
    assert by_number[12].marker_line == 10660  # "Vinculación con SMyT12 para ..."
    body = {line.line_no: line.text for line in paged.body_lines()}
    assert body[9242].strip() == "a cuentas Afore en México."
    assert body[1910].strip() == "medida que dio inició en marzo de 2009."
    assert body[3004].strip() == "Resultados"
    footnote_lines = {note.line_no for note in footnotes}
    assert not footnote_lines.intersection(body)


def test_printed_page_numbers_anchor_the_page_count(paged: PagedText) -> None:
    printed = {page.printed_number: page for page in paged.pages if page.printed_number}
    assert sorted(printed) == [10, 76, 97, 102, 111, 135, 157, 162, 168, 195]
    for number, page in printed.items():
        assert page.number == number
    # "884" on its own line is a table value, not a page number.
    assert 884 not in printed
    numbers = [page.number for page in paged.pages]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_page_count_drift_is_reported_not_hidden(paged: PagedText) -> None:
    drift = [warning for warning in paged.warnings if warning.code == "page-count-drift"]
    assert [warning.line for warning in drift] == [9744]


def test_link_annotations_are_not_body(paged: PagedText, source: SourceDocument) -> None:
    body = {line.line_no for line in paged.body_lines()}
    lines = source.text.split("\n")
    # Three repeated bare URLs at the end of a page (lines 9346-9348), then " Retos".
    for number in (9346, 9347, 9348):
        assert lines[number - 1].startswith("https://d.docs.live.net/")
        assert number not in body
    # A URL wrapped inside the body stays in the body.
    assert 517 in body and 518 in body


def test_small_text_splits_into_pages_at_header_ends() -> None:
    text = (
        " First page starts here\n"
        "and goes on.\n"
        "Objetivo 3. Proporcionar información exacta y oportuna en\n"
        "todas las etapas de la migración\n"
        " Second page\n"
    )
    paged = read_text_pages(text)
    assert [[line.text for line in page.body] for page in paged.pages] == [
        [" First page starts here", "and goes on."],
        [" Second page"],
    ]
    [header] = paged.headers()
    assert (header.objective_id, header.page, header.line_no) == (3, 1, 3)
    assert (
        header.title
        == "Proporcionar información exacta y oportuna en todas las etapas de la migración"
    )


def test_crlf_line_ends_read_like_lf() -> None:
    text = " Page one\nObjetivo 1. Recopilar datos\n Page two\n"
    assert read_text_pages(text.replace("\n", "\r\n")) == read_text_pages(text)


def test_join_wrapped_keeps_words_split_by_a_hyphen_together() -> None:
    assert join_wrapped(["(UPMRIP-", "SEGOB)"]) == "(UPMRIP-SEGOB)"
    assert join_wrapped(["Centroamérica-", "México"]) == "Centroamérica-México"
    assert join_wrapped(["personas  en", " movilidad "]) == "personas en movilidad"
    assert join_wrapped(["tres -", "dos"]) == "tres - dos"


@given(
    st.lists(
        st.text(st.sampled_from("ab-é \t"), max_size=12).filter(
            lambda line: not line.rstrip().endswith("-")
        ),
        max_size=6,
    )
)
def test_lines_that_end_in_no_hyphen_are_their_words_joined_by_single_spaces(
    lines: list[str],
) -> None:
    assert join_wrapped(lines) == " ".join(word for line in lines for word in line.split())


def test_a_dash_set_against_the_next_word_keeps_its_space() -> None:
    # "... del Instituto- de junio a diciembre ..." broken after the dash.
    assert join_wrapped(["del Instituto-", "de junio"]) == "del Instituto- de junio"
    assert join_wrapped(["la Curso-", "Taller de"]) == "la Curso-Taller de"
    assert join_wrapped(["acciones-y-", "programas"]) == "acciones-y-programas"
