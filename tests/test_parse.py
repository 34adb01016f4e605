"""Invariants over every practice, structural checks that must fail on broken input,
and the text composition rules."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from gcm_open.errors import StructureError
from gcm_open.pages import PagedText, SourceLine, read_text_pages
from gcm_open.parse import Compendium, Practice, Section, compose_text, parse_compendium
from gcm_open.sources import SourceDocument

# Practices per objective, counted by hand from the numbering printed in the compendium
# (None: the objective prints "No se reportaron actividades correspondientes a este objetivo.").
FEDERAL_COUNTS = [19, 2, 13, 9, 8, 6, 33, 10, 3, 12, 8, 9, 5, 8, 18, 15, 17, 5, 4, 8, 8, 4, 4]
STATE_COUNTS = [4, 2, 14, 17, 2, 7, 13, 6, 1, 4, None, None, None, 1, 15, 4, 7, 5, 1, 2, 6, 2, 5]
TEXT_FIELDS = ("title", "description", "results", "challenges")


def test_practices_per_section_and_objective(compendium: Compendium) -> None:
    counted = Counter((p.section, p.objective_id) for p in compendium.practices)
    for section, expected in ((Section.FEDERAL, FEDERAL_COUNTS), (Section.STATE, STATE_COUNTS)):
        got = [counted.get((section, objective), 0) for objective in range(1, 24)]
        assert got == [count or 0 for count in expected], section
    assert len(compendium.practices) == 346


def test_blocks_agree_with_the_practices(compendium: Compendium) -> None:
    assert [(b.section, b.objective_id) for b in compendium.blocks] == [
        (section, objective) for section in Section for objective in range(1, 24)
    ]
    for block in compendium.blocks:
        practices = [
            p
            for p in compendium.practices
            if (p.section, p.objective_id) == (block.section, block.objective_id)
        ]
        assert block.practice_count == len(practices)
        assert [p.number for p in practices] == list(range(1, len(practices) + 1))
        assert (block.no_activities_line is None) == bool(practices)
    empty = [
        (b.objective_id, b.no_activities_line) for b in compendium.blocks if not b.practice_count
    ]
    assert empty == [(11, 11859), (12, 11869), (13, 11879)]


def test_ids_are_unique_and_readable(compendium: Compendium) -> None:
    ids = [p.practice_id for p in compendium.practices]
    assert len(set(ids)) == len(ids)
    for practice in compendium.practices:
        letter = "F" if practice.section is Section.FEDERAL else "S"
        assert practice.practice_id == (
            f"2022-{letter}-{practice.objective_id:02d}-{practice.number:02d}"
        )


def test_every_practice_has_title_label_and_description(compendium: Compendium) -> None:
    for practice in compendium.practices:
        assert practice.title and practice.title == " ".join(practice.title.split())
        assert practice.lead_label and "(" not in practice.lead_label[:1]
        assert practice.description
        assert not practice.title.startswith(f"{practice.number}.")


def test_lines_and_pages_are_ordered_and_disjoint(compendium: Compendium) -> None:
    previous = None
    for practice in compendium.practices:
        assert practice.line_start <= practice.line_end
        assert practice.page_start <= practice.page_end
        if previous is not None:
            assert previous.line_start < practice.line_start
            # Ranges overlap only where a table was put back in reading order.
            if previous.line_end >= practice.line_start:
                assert (previous.practice_id, practice.practice_id) == (
                    "2022-F-03-13",
                    "2022-F-04-01",
                )
        previous = practice
    pages = [p.page_start for p in compendium.practices]
    assert pages == sorted(pages)


def test_a_table_printed_at_a_page_end_is_read_where_it_is_announced(
    practices_by_id: dict[str, Practice], compendium: Compendium
) -> None:
    heroes, identity = practices_by_id["2022-F-03-13"], practices_by_id["2022-F-04-01"]
    assert "sin contratiempos:\nInstitución que convoca Punto de ingreso" in (heroes.results or "")
    assert "Orgullo Zacatecano" not in identity.description
    assert "matriculados en educación básica sin registro de nacimiento" in identity.description
    moved = [w for w in compendium.warnings if w.code == "displaced-table"]
    assert [(w.line, w.code) for w in moved] == [(1448, "displaced-table")]


def test_no_page_artefact_leaks_into_the_text(compendium: Compendium, paged: PagedText) -> None:
    footnotes = {note.text for note in paged.footnotes()}
    printed_numbers = {str(page.printed_number) for page in paged.pages if page.printed_number}
    for practice in compendium.practices:
        for name in TEXT_FIELDS:
            text = getattr(practice, name) or ""
            assert "Objetivos del PMM" not in text, (practice.practice_id, name)
            assert not re.search(r"Objetivo \d{1,2}\.\s+[A-Z]", text), (practice.practice_id, name)
            for footnote in footnotes:
                assert footnote not in text, (practice.practice_id, name, footnote)
            for paragraph in text.split("\n"):
                assert paragraph.strip() not in printed_numbers, (practice.practice_id, name)


def test_results_and_challenges_follow_their_headings(compendium: Compendium) -> None:
    with_results = sum(p.results is not None for p in compendium.practices)
    with_challenges = sum(p.challenges is not None for p in compendium.practices)
    # Four practices print no Resultados heading and one no Retos (checked by hand).
    assert (with_results, with_challenges) == (343, 345)
    heading = re.compile(r"^(Resultados|Retos)\s*[:.]?$", re.MULTILINE)
    for practice in compendium.practices:
        for name in TEXT_FIELDS:
            text = getattr(practice, name) or ""
            assert not heading.search(text), (practice.practice_id, name)


def test_challenges_reported_is_false_only_when_none_were(compendium: Compendium) -> None:
    for practice in compendium.practices:
        if practice.challenges is None or practice.challenges.startswith(
            ("No se reportaron retos", "No se reportan retos")
        ):
            assert practice.challenges_reported is False
        elif practice.challenges_reported is False:
            assert practice.challenges.startswith("Ninguno"), practice.practice_id
    # 40 "No se report(aron|an) retos", 3 "Ninguno", 1 without a Retos heading.
    assert sum(not p.challenges_reported for p in compendium.practices) == 44


def test_a_heading_word_that_ends_a_sentence_is_text(compendium: Compendium) -> None:
    # "El Programa está en proceso de evaluar el ejercicio con base a Gestiones y/o" /
    # "Resultados." inside the results: the sentence's last word, not a second heading.
    by_id = {practice.practice_id: practice for practice in compendium.practices}
    for practice_id in ("2022-S-04-10", "2022-S-20-02"):
        assert (by_id[practice_id].results or "").endswith("Gestiones y/o Resultados.")


def test_warnings_name_what_was_noticed(compendium: Compendium) -> None:
    codes = Counter(warning.code for warning in compendium.warnings)
    assert codes == {
        "repeated-heading": 2,
        "no-results": 3,
        "no-challenges": 1,
        "numbered-line-in-body": 2,
        "page-count-drift": 1,
        "displaced-table": 1,
    }
    lines = {
        warning.line for warning in compendium.warnings if warning.code == "numbered-line-in-body"
    }
    assert lines == {6529, 7966}


def _without_line(source: SourceDocument, number: int) -> str:
    lines = source.text.split("\n")
    del lines[number - 1]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("removed_line", "message", "error_line"),
    [
        # "3. Cooperación con organismos internacionales (UPMRIP-SEGOB)"
        (126, r"numbering jumps from 2 to 4", 197),
        # "1. Programa de Vivienda Social (PVS) ..." opens federal objective 2
        (926, r"objective 2 \(federal\): the block that numbering assigns", 998),
        # the "no activities" note of state objective 11: the blocks shift by one, and
        # the short blocks that follow stay within a page of their headers; the first
        # header out of reach is that of objective 15
        (11859, r"objective 15 \(state\).*page header at line 11973 \(page 197\)", 12458),
        # "1. Policía Fronteriza (Chiapas)", the only practice of state objective 9: the
        # blocks shift by one and the first that no longer fits its header is objective 10
        (11685, r"objective 10 \(state\)", 11858),
    ],
)
def test_a_lost_practice_or_note_stops_the_parse_with_its_place(
    source: SourceDocument, removed_line: int, message: str, error_line: int
) -> None:
    broken = read_text_pages(_without_line(source, removed_line))
    with pytest.raises(StructureError, match=message) as caught:
        parse_compendium(broken, 2022)
    assert caught.value.line == error_line


def test_a_truncated_compendium_stops_the_parse(source: SourceDocument) -> None:
    lines = source.text.split("\n")
    with pytest.raises(StructureError, match="expected 46"):
        parse_compendium(read_text_pages("\n".join(lines[:9000])), 2022)


def test_an_extra_section_stops_the_parse(source: SourceDocument) -> None:
    lines = source.text.split("\n")
    state_section = lines[9598:13345]
    doubled = lines[:13345] + state_section + lines[13345:]
    with pytest.raises(StructureError, match="third page header"):
        parse_compendium(read_text_pages("\n".join(doubled)), 2022)


@pytest.mark.parametrize(
    "header",
    [
        # The actor alone on the header's last line, the text right under it.
        ["4. Impulso normativo para la atención del Desplazamiento Forzado Interno (DFI) ",
         "UPMRIP-SEGOB "],
        # Title and actor on one line, set solid with the text.
        ["4. Impulso normativo para la atención del Desplazamiento Forzado Interno (DFI) "
         "UPMRIP-SEGOB "],
    ],
)  # fmt: skip
def test_an_actor_without_parentheses_ends_a_header_set_solid_with_its_text(
    source: SourceDocument, header: list[str]
) -> None:
    lines = source.text.split("\n")
    assert lines[2652].startswith("4. Impulso normativo")
    assert not "".join(lines[2654:2656]).strip() and lines[2656].startswith("Esta acción")
    lines[2652:2656] = header
    compendium = parse_compendium(read_text_pages("\n".join(lines)), 2022)
    (practice,) = [p for p in compendium.practices if p.practice_id == "2022-F-07-04"]
    assert practice.title == (
        "Impulso normativo para la atención del Desplazamiento Forzado Interno (DFI)"
    )
    assert practice.lead_label == "UPMRIP-SEGOB"
    assert practice.description.startswith("Esta acción tiene como objetivo")


def _lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(number, 1, text) for number, text in enumerate(texts, 1)]


def test_compose_text_joins_wrapped_lines_and_keeps_paragraphs() -> None:
    text = compose_text(
        _lines(
            "El programa atiende a ",
            "personas migrantes. ",
            "",
            "Durante 2021 se atendió a la ",
            "",
            "población de 12 estados: ",
            "• Chiapas ",
            "• Tabasco y ",
            "Oaxaca",
            "",
            "Registros de atención ",
        )
    )
    assert text.split("\n") == [
        "El programa atiende a personas migrantes.",
        "Durante 2021 se atendió a la población de 12 estados:",
        "• Chiapas",
        "• Tabasco y Oaxaca",
        "Registros de atención",
    ]


def test_the_parse_stage_names_the_practice_of_each_footnote_and_link(
    compendium: Compendium,
) -> None:
    by_line = {practice.practice_id: practice for practice in compendium.practices}
    for note, owner in zip(compendium.footnotes, compendium.footnote_practices, strict=True):
        if owner is not None:
            practice = by_line[owner]
            assert note.marker_line is not None
            assert practice.line_start <= note.marker_line
    assert sum(owner is not None for owner in compendium.footnote_practices) >= 10
    assert len(compendium.link_practices) == len(compendium.links)
    assert any(owner is not None for owner in compendium.link_practices)


def test_a_link_listed_at_the_page_foot_belongs_to_the_practice_that_cites_it(
    compendium: Compendium,
) -> None:
    # The agreement "Acuerdo SNBP/007/2021" is printed in practice 8 of objective 8; its
    # link is listed at the foot of the page, below the opening of practice 9.
    owners = {
        link.url: owner
        for link, owner in zip(compendium.links, compendium.link_practices, strict=True)
    }
    agreement = next(url for url in owners if "SNBP-007-2021" in url)
    assert owners[agreement] == "2022-F-08-08"
