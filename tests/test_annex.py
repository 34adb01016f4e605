"""The annexes read from the document: participating states and the glossary."""

from __future__ import annotations

import pytest

from gcm_open.annex import Annex, read_annex
from gcm_open.errors import StructureError
from gcm_open.pages import SourceLine
from gcm_open.parse import Compendium


@pytest.fixture(scope="module")
def annex(compendium: Compendium) -> Annex:
    return read_annex(compendium.annex_lines)


def test_the_twenty_participating_states(annex: Annex) -> None:
    assert annex.participating_states == (
        "CHIAPAS", "CIUDAD DE MÉXICO", "DURANGO", "ESTADO DE MÉXICO", "GUANAJUATO",
        "GUERRERO", "HIDALGO", "JALISCO", "MICHOACÁN", "MORELOS", "NAYARIT", "NUEVO LEÓN",
        "OAXACA", "PUEBLA", "QUINTANA ROO", "SINALOA", "SONORA", "TABASCO", "TLAXCALA",
        "YUCATÁN",
    )  # fmt: skip


def test_the_glossary_has_forty_entries_in_order(annex: Annex) -> None:
    acronyms = ["/".join(entry.acronyms) for entry in annex.glossary]
    assert acronyms == [
        "CNI", "CENSIDA", "CIJ", "CEAV", "CONADIC", "CNDH", "CONAVI", "CONSAR", "CONAVIM",
        "CONACYT", "CONAPO", "CONAPRED", "FGR", "G.N", "ISSSTE", "IMSS", "IFDP", "INALI",
        "INMUJERES", "INPI", "INM/INAMI", "INE", "PFPNNA", "RENAPO", "SADER", "BIENESTAR",
        "SCT", "SEP", "SFP", "SEMARNAT", "SRE", "SSA/SALUD", "STPS", "SECTUR", "SESNSP",
        "SEPOMEX", "SIPINNA", "SNDIF", "TELECOMM", "UPMRIP",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("acronym", "name"),
    [
        # A name over three lines with a blank line inside, acronym on its own line.
        ("CENSIDA", "CENTRO NACIONAL PARA LA PREVENCIÓN Y EL CONTROL DEL VIH/SIDA"),
        # Name and acronym on one line.
        ("CNI", "CENTRO NACIONAL DE INTELIGENCIA"),
        # A name line that starts with a particle after a blank line.
        ("ISSSTE", "INSTITUTO DE SEGURIDAD Y SERVICIOS SOCIALES PARA LOS TRABAJADORES DEL ESTADO"),
        # A footnote marker glued to the name ("BIENESTAR14"), the note printed mid-table.
        ("BIENESTAR", "SECRETARÍA DE BIENESTAR"),
        # A row in mixed case at the top of a page.
        ("PFPNNA", "Procuraduría Federal de Protección de Niñas, Niños y Adolescentes"),
        ("SESNSP", "SECRETARIADO EJECUTIVO DEL SISTEMA NACIONAL DE SEGURIDAD PÚBLICA"),
        ("G.N", "GUARDIA NACIONAL"),
        ("UPMRIP", "UNIDAD DE POLÍTICA MIGRATORIA, REGISTRO E IDENTIDAD DE PERSONAS"),
    ],
)
def test_glossary_names(annex: Annex, acronym: str, name: str) -> None:
    by_acronym = {entry.acronyms[0]: entry.name for entry in annex.glossary}
    assert by_acronym[acronym] == name


def test_combined_acronyms_are_split(annex: Annex) -> None:
    combined = {entry.acronyms for entry in annex.glossary if len(entry.acronyms) > 1}
    assert combined == {("INM", "INAMI"), ("SSA", "SALUD")}


def _lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(number, 1, text) for number, text in enumerate(texts, 1)]


def test_a_compendium_without_a_glossary_is_refused() -> None:
    with pytest.raises(StructureError, match="the annexes have no glossary"):
        read_annex(_lines("ANEXOS", "1. Entidades federativas de la República", "CHIAPAS"))


def test_a_glossary_row_without_acronym_is_refused() -> None:
    lines = _lines(
        "ANEXOS",
        "1. Entidades federativas de la República Mexicana",
        "CHIAPAS",
        "1. Glosario con las dependencias",
        "Dependencias e Instituciones Acrónimo",
        "",
        "SECRETARÍA DE RELACIONES EXTERIORES SRE",
        "",
        "COMISIÓN NACIONAL DE LOS",
    )
    with pytest.raises(StructureError, match="name without an acronym") as caught:
        read_annex(lines)
    assert caught.value.line == 9


def test_the_parse_stage_hands_on_the_annex(compendium: Compendium, annex: Annex) -> None:
    assert compendium.annex == annex


def test_a_page_break_ends_a_glossary_row_without_a_leading_space() -> None:
    # As a PDF reader gives it: no line starts with a space, and the row that ends a page
    # is followed, on the next page, by a name that could have gone on.
    texts = [
        "ANEXOS",
        "1. Entidades federativas de la República Mexicana",
        "CHIAPAS",
        "1. Glosario con las dependencias",
        "Dependencias e Instituciones Acrónimo",
        "SECRETARÍA DE RELACIONES EXTERIORES SRE",
        "INSTITUTO NACIONAL DE MIGRACIÓN INM",
        "",
        "SECRETARÍA DE SALUD SSA",
    ]
    pages = [1, 1, 1, 1, 1, 1, 2, 2, 2]
    lines = [
        SourceLine(number, page, text)
        for number, (page, text) in enumerate(zip(pages, texts, strict=True), 1)
    ]
    glossary = read_annex(lines).glossary
    assert [(entry.name, entry.acronyms) for entry in glossary] == [
        ("SECRETARÍA DE RELACIONES EXTERIORES", ("SRE",)),
        ("INSTITUTO NACIONAL DE MIGRACIÓN", ("INM",)),
        ("SECRETARÍA DE SALUD", ("SSA",)),
    ]


_HEAD = "1. Glosario con las dependencias"


def _columns(rows: list[tuple[int, list[tuple[float, str]]]]) -> list[SourceLine]:
    """Annex lines as a PDF reader gives them: each part of a line with its left edge."""
    lines = [
        SourceLine(1, 1, "ANEXOS"),
        SourceLine(2, 1, "1. Entidades federativas de la República Mexicana"),
        SourceLine(3, 1, "CHIAPAS"),
        SourceLine(4, 1, _HEAD),
    ]
    for page, parts in rows:
        text = " ".join(part for _, part in parts)
        lines.append(SourceLine(len(lines) + 1, page, f"{text} ", tuple(parts)))
    return lines


def _read(lines: list[SourceLine]) -> list[tuple[str, str]]:
    return [(entry.name, "/".join(entry.acronyms)) for entry in read_annex(lines).glossary]


def test_a_glossary_set_solid_with_the_acronym_first_and_top_aligned() -> None:
    # No space between rows; a long name goes on under itself, its acronym on its first
    # line; the rows flow over a page break.
    lines = _columns(
        [
            (1, [(57, "Acrónimo"), (142, "Dependencias e Instituciones")]),
            (1, [(57, "CNI"), (142, "CENTRO NACIONAL DE INTELIGENCIA")]),
            (
                1,
                [(57, "CONAVIM"), (142, "COMISIÓN NACIONAL PARA PREVENIR LA VIOLENCIA CONTRA LAS")],
            ),
            (1, [(142, "MUJERES")]),
            (1, [(57, "ISSSTE"), (142, "INSTITUTO DE SEGURIDAD Y SERVICIOS SOCIALES PARA LOS")]),
            (1, [(142, "TRABAJADORES DEL ESTADO")]),
            (2, [(57, "SRE"), (142, "SECRETARÍA DE RELACIONES EXTERIORES")]),
        ]
    )
    assert _read(lines) == [
        ("CENTRO NACIONAL DE INTELIGENCIA", "CNI"),
        ("COMISIÓN NACIONAL PARA PREVENIR LA VIOLENCIA CONTRA LAS MUJERES", "CONAVIM"),
        ("INSTITUTO DE SEGURIDAD Y SERVICIOS SOCIALES PARA LOS TRABAJADORES DEL ESTADO", "ISSSTE"),
        ("SECRETARÍA DE RELACIONES EXTERIORES", "SRE"),
    ]


def test_a_glossary_set_solid_with_a_hanging_indent_and_the_acronym_last() -> None:
    lines = _columns(
        [
            (1, [(54, "Dependencias e Instituciones"), (430, "Acrónimo")]),
            (1, [(54, "CENTRO NACIONAL PARA LA PREVENCIÓN Y EL")]),
            (1, [(66, "CONTROL DEL VIH/SIDA"), (430, "CENSIDA")]),
            (1, [(54, "CENTROS DE INTEGRACIÓN JUVENIL"), (430, "CIJ")]),
            (1, [(54, "COMISIÓN EJECUTIVA DE ATENCIÓN A"), (430, "")]),
            (1, [(66, "VÍCTIMAS"), (436, "CEAV")]),
            (1, [(54, "SECRETARÍA DE BIENESTAR"), (425, "BIENESTAR")]),
        ]
    )
    assert _read(lines) == [
        ("CENTRO NACIONAL PARA LA PREVENCIÓN Y EL CONTROL DEL VIH/SIDA", "CENSIDA"),
        ("CENTROS DE INTEGRACIÓN JUVENIL", "CIJ"),
        ("COMISIÓN EJECUTIVA DE ATENCIÓN A VÍCTIMAS", "CEAV"),
        ("SECRETARÍA DE BIENESTAR", "BIENESTAR"),
    ]


def test_a_glossary_in_columns_with_rows_set_apart_reads_as_the_text_does() -> None:
    # The text's own layout with positions: a name over lines with a blank inside, its
    # acronym alone below it.
    lines = _columns(
        [
            (1, [(54, "Dependencias e Instituciones"), (430, "Acrónimo")]),
            (1, [(54, "CENTRO NACIONAL DE INTELIGENCIA"), (430, "CNI")]),
            (1, []),
            (1, [(54, "CENTRO NACIONAL PARA LA")]),
            (1, [(54, "PREVENCIÓN Y EL CONTROL DEL")]),
            (1, []),
            (1, [(54, "VIH/SIDA")]),
            (1, [(430, "CENSIDA")]),
            (1, []),
            (1, [(54, "CENTROS DE INTEGRACIÓN JUVENIL"), (430, "CIJ")]),
        ]
    )
    assert _read(lines) == [
        ("CENTRO NACIONAL DE INTELIGENCIA", "CNI"),
        ("CENTRO NACIONAL PARA LA PREVENCIÓN Y EL CONTROL DEL VIH/SIDA", "CENSIDA"),
        ("CENTROS DE INTEGRACIÓN JUVENIL", "CIJ"),
    ]


def test_ruled_tables_of_states_in_columns_and_of_acronyms_first() -> None:
    states = (("ENTIDADES FEDERATIVAS", "", ""), ("CHIAPAS", "DURANGO", ""), ("OAXACA", "", ""))
    glossary = (
        ("Acrónimo", "Dependencias e Instituciones"),
        ("CNI", "CENTRO NACIONAL DE INTELIGENCIA"),
        ("BIENESTAR", "SECRETARÍA DE BIENESTAR14"),
    )
    annex = read_annex(_columns([]), [states, glossary])
    assert annex.participating_states == ("CHIAPAS", "DURANGO", "OAXACA")
    assert [(entry.name, entry.acronyms) for entry in annex.glossary] == [
        ("CENTRO NACIONAL DE INTELIGENCIA", ("CNI",)),
        ("SECRETARÍA DE BIENESTAR", ("BIENESTAR",)),
    ]


def test_glossary_heads_as_glossaries_often_print_them() -> None:
    glossary = (("Siglas", "Nombre"), ("CNI", "CENTRO NACIONAL DE INTELIGENCIA"))
    states = (("ENTIDADES FEDERATIVAS",), ("CHIAPAS",))
    annex = read_annex(_columns([]), [states, glossary])
    assert [(entry.name, entry.acronyms) for entry in annex.glossary] == [
        ("CENTRO NACIONAL DE INTELIGENCIA", ("CNI",))
    ]
    lines = _columns(
        [
            (1, [(57, "Siglas"), (142, "Nombre")]),
            (1, [(57, "CNI"), (142, "CENTRO NACIONAL DE INTELIGENCIA")]),
        ]
    )
    assert _read(lines) == [("CENTRO NACIONAL DE INTELIGENCIA", "CNI")]
