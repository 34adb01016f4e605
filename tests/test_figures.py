"""Figures: what a practice reports in numbers (practice_figures), read from Spanish text.

The extraction is checked on printed forms one at a time, on the whole committed table
(invariants that hold for every row, against the source lines), and on the hand-read
references (tests/fixtures/hand_read/figures*.json), whose figures the README prints.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REPO
from gcm_open.building import BuildResult
from gcm_open.comparison import diff
from gcm_open.normalize.figures import figures_in
from gcm_open.parse import Compendium, Practice
from gcm_open.sources import SourceDocument
from gcm_open.spanish import SpanishWords

LEMMA = SpanishWords().folded_lemma
FIGURES = REPO / "datapackage" / "data" / "practice_figures.csv"


def _one(text: str) -> tuple[str, float, str | None, str, str | None, str | None]:
    found, unread = figures_in(text, LEMMA)
    assert not unread, unread
    assert len(found) == 1, [(figure.printed, figure.value) for figure in found]
    [figure] = found
    return (
        figure.printed,
        figure.value,
        figure.unit,
        figure.kind,
        figure.currency,
        figure.population_id,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Se brindaron 42,799 consultas.", ("42,799", 42799, "consultas", "count", None, None)),
        ("con 1,234.50 pesos", ("1,234.50", 1234.5, "pesos", "money", "MXN", None)),
        (
            "un monto de $ 2 500 000 pesos",
            ("$ 2 500 000", 2_500_000, "pesos", "money", "MXN", None),
        ),
        (
            "se invirtieron 1.2 millones de pesos",
            ("1.2 millones", 1_200_000, "pesos", "money", "MXN", None),
        ),
        ("un apoyo de 3.5 mdp", ("3.5 mdp", 3_500_000, "pesos", "money", "MXN", None)),
        ("$780,500 dólares", ("$780,500", 780_500, "dólares", "money", "USD", None)),
        ("se realizaron tres ferias", ("tres", 3, "ferias", "count", None, None)),
        ("a dos mil personas", ("dos mil", 2000, "personas", "count", None, None)),
        ("veintiún talleres", ("veintiún", 21, "talleres", "count", None, None)),
        ("un 12% más que", ("12", 12, "%", "percent", None, None)),
        ("creció 12 por ciento", ("12", 12, "%", "percent", None, None)),
        (
            "120 horas de capacitación",
            ("120", 120, "horas de capacitación", "duration", None, None),
        ),
        ("257 mil 303 seguidores", ("257 mil 303", 257_303, "seguidores", "count", None, None)),
        (
            "a 1, 332, 320 connacionales",
            ("1, 332, 320", 1_332_320, "connacionales", "count", None, None),
        ),
        ("atendió a 35 mujeres.", ("35", 35, "mujeres", "count", None, "women")),
        ("a 80 niñas y niños", ("80", 80, "niñas", "count", None, "children")),
        ("adultos mayores de 60 años", ("60", 60, "años de edad", "other", None, None)),
        ("durante 2021 personas", ("2021", 2021, "personas", "count", None, None)),
        ("Ventanillas de Salud (52)", ("52", 52, "Ventanillas de Salud", "count", None, None)),
        ("un millón de personas", ("un millón", 1_000_000, "personas", "count", None, None)),
        ("mil 45 corresponden a", ("mil 45", 1045, None, "count", None, None)),
        ("86 mil 67 personas", ("86 mil 67", 86_067, "personas", "count", None, None)),
        ("veinte por ciento", ("veinte", 20, "%", "percent", None, None)),
        ("cinco (5) talleres", ("cinco", 5, "talleres", "count", None, None)),
        ("8, 097.54kg de cocaína", ("8, 097.54", 8097.54, "kg", "other", None, None)),
        ("12 talleres para niñas y niños", ("12", 12, "talleres", "count", None, None)),
        ("personas de 30 años", ("30", 30, "años de edad", "other", None, None)),
        ("mujeres de menos de 18 años", ("18", 18, "años de edad", "other", None, None)),
    ],
)
def test_a_printed_quantity_is_read(
    text: str, expected: tuple[str, float, str | None, str, str | None, str | None]
) -> None:
    assert _one(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "En 2021 se reforzó la atención.",
        "de junio de 2022 a la fecha",
        "el 15 de marzo se firmó",
        "el 1° de julio",
        "en el periodo 2019-2024",
        "conforme al artículo 33 de la Ley",
        "la Agenda 2030 para el Desarrollo Sostenible",
        "ante la pandemia de COVID-19",
        "en la cumbre del G20",
        "al teléfono 800 123 4567",
        "a las 10:00 horas",
        "1. Seminario de capacitación",
        "la 3a. edición del foro",
        "en la segunda etapa",
        "las Afore9 registradas",
        "https://www.gob.mx/inm/acciones/2021 y correo contacto2@inm.gob.mx",
        "en el Objetivo 23 del Pacto",
        "un taller y una reunión",
        "el Programa 3x1 para Migrantes",
        "llamar al 911",
        "al 9-1-1 y al 0-89",
        "En 2021 atendimos la demanda",
        "a finales de 2022 correspondientes al programa",
        "una millonaria inversión",
        "el 12-07-22 se firmó",
    ],
)
def test_what_is_not_a_quantity_is_left_out_by_a_rule(text: str) -> None:
    found, unread = figures_in(text, LEMMA)
    assert [(figure.printed, figure.value) for figure in found] == []
    assert unread == []


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("se atendió a 12,34 personas", "12,34"),
        ("entre 10-15 personas", "10-15"),
        ("un folio de " + "9" * 30 + " registros", "9" * 30),
    ],
)
def test_a_number_no_rule_explains_is_reported_not_dropped(text: str, printed: str) -> None:
    found, unread = figures_in(text, LEMMA)
    assert found == []
    assert [number.printed for number in unread] == [printed]


def test_a_list_after_a_comma_and_a_space_is_not_one_number() -> None:
    found, _ = figures_in("460, 454 y 454 observadores", LEMMA)
    assert [figure.value for figure in found] == [460, 454, 454]


def test_ranges_give_each_number_the_unit_and_kind_of_the_range() -> None:
    found, _ = figures_in(
        "niñas y niños de 12 a 17 años; entre 10 y 15 personas; entre dos y tres ferias", LEMMA
    )
    assert [(f.value, f.unit, f.kind) for f in found] == [
        (12, "años de edad", "other"),
        (17, "años de edad", "other"),
        (10, "personas", "count"),
        (15, "personas", "count"),
        (2, "ferias", "count"),
        (3, "ferias", "count"),
    ]


def test_a_figure_keeps_its_sentence_as_context() -> None:
    text = "Primera frase sin cifras. Se dieron 42,799 consultas en total. Otra frase."
    [figure] = figures_in(text, LEMMA)[0]
    assert figure.context == "Se dieron 42,799 consultas en total."
    assert text[figure.start : figure.end] == figure.printed


def test_a_figure_s_sentence_ends_at_each_mark_and_at_a_line_break() -> None:
    text = "Hubo 3 talleres: Se dieron 5 cursos; Luego 7 ferias? Sí! 9 pláticas\n11 foros."
    contexts = [figure.context for figure in figures_in(text, LEMMA)[0]]
    assert contexts == [
        "Hubo 3 talleres:",
        "Se dieron 5 cursos;",
        "Luego 7 ferias?",
        "9 pláticas",
        "11 foros.",
    ]
    # A mark before a lower-case word, or glued to the next word, does not end it.
    [figure] = figures_in("Se dieron 5 cursos: en total. Fin", LEMMA)[0]
    assert figure.context == "Se dieron 5 cursos: en total."


# --- the whole committed table ----------------------------------------------------------


def _figure_rows() -> list[dict[str, str]]:
    with FIGURES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_figure_is_printed_in_its_part_on_its_line(
    practices_by_id: dict[str, Practice], source: SourceDocument
) -> None:
    lines = source.text.split("\n")
    rows = _figure_rows()
    assert len(rows) > 1000
    for row in rows:
        practice = practices_by_id[row["practice_id"]]
        text = " ".join((practice.part_text(row["part"]) or "").split())
        assert row["printed"] in row["context"], row
        assert row["context"] in text, row
        # The number's first characters are on its line (the rest may wrap to the next).
        first = row["printed"].split()[0]
        assert first in lines[int(row["line_no"]) - 1], row


def test_no_year_is_counted_and_money_has_a_currency() -> None:
    for row in _figure_rows():
        value = float(row["value"])
        if row["kind"] == "count" and row["printed"].isdigit() and 1900 <= value <= 2100:
            assert row["unit"], row  # "2021 personas" counts; "en 2021" is a year
        assert bool(row["currency"]) == (row["kind"] == "money"), row
        if row["kind"] == "percent":
            assert row["unit"] == "%", row


def test_figures_are_numbered_in_reading_order() -> None:
    by_practice: dict[str, list[dict[str, str]]] = {}
    for row in _figure_rows():
        by_practice.setdefault(row["practice_id"], []).append(row)
    parts = ["description", "results", "challenges"]
    for rows in by_practice.values():
        numbers = [int(row["figure_no"]) for row in rows]
        assert numbers == list(range(1, len(rows) + 1))
        order = [(parts.index(row["part"]), int(row["line_no"])) for row in rows]
        assert order == sorted(order)


# --- the hand-read references -------------------------------------------------------------


def _reference(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "hand_read" / name).read_text("utf-8"))
    return data


def test_the_samples_are_the_ones_their_seeds_draw(compendium: Compendium) -> None:
    ids = [practice.practice_id for practice in compendium.practices]
    first = _reference("figures.json")
    drawn = random.Random(20261202).sample(range(len(ids)), 56)
    assert sorted(p["practice_id"] for p in first["practices"]) == sorted(
        ids[index] for index in drawn
    )
    held_out = _reference("figures_heldout.json")
    taken = {ids[index] for index in drawn}
    pool = [index for index, practice_id in enumerate(ids) if practice_id not in taken]
    chosen = random.Random(20261203).sample(pool, 24)
    assert sorted(p["practice_id"] for p in held_out["practices"]) == sorted(
        ids[index] for index in chosen
    )


@pytest.mark.parametrize("name", ["figures.json", "figures_heldout.json"])
def test_every_reference_figure_is_printed_in_its_practice(
    name: str, practices_by_id: dict[str, Practice]
) -> None:
    for entry in _reference(name)["practices"]:
        practice = practices_by_id[entry["practice_id"]]
        for figure in entry["figures"]:
            text = " ".join((practice.part_text(figure["part"]) or "").split())
            assert " ".join(figure["words"].split()) in text, (entry["practice_id"], figure)
            assert figure["kind"] in ("count", "money", "percent", "duration", "other")


@pytest.mark.parametrize("reference", ["sample", "held-out"])
def test_the_readme_shows_the_figures_of_the_committed_package(reference: str) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from figure_quality import REFERENCES, score, table

    rows = table(score(REPO / "datapackage", REFERENCES[reference]))
    assert "\n".join(rows) in (REPO / "README.md").read_text("utf-8")


def test_diff_counts_the_figures_added_removed_and_changed(
    built: BuildResult, tmp_path: Path
) -> None:
    from test_validate import _copy, _rewrite, _rows

    package = _copy(built, tmp_path)
    rows = _rows(package, "practice_figures")
    rows[0].update(value=rows[0]["value"] + 1, printed=str(int(rows[0]["value"] + 1)))
    removed = rows.pop(5)
    _rewrite(package, "practice_figures", rows)
    [figures] = [
        table for table in diff(built.out_dir, package).rows if table.table == "practice_figures"
    ]
    assert (figures.added, figures.removed, figures.changed) == (0, 1, 1)
    assert figures.removed_keys == [f"{removed['practice_id']} / {removed['figure_no']}"]
