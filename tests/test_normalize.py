"""Institutions, states, countries, populations, footnotes and links of the practices."""

from __future__ import annotations

import csv
import dataclasses
import json
import random
import re
from collections import defaultdict
from typing import Any

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES
from gcm_open.annex import GlossaryEntry, read_annex
from gcm_open.building import BuildResult
from gcm_open.errors import ResolutionError
from gcm_open.normalize.geography import country_mentions, mexican_states, states_named_in
from gcm_open.normalize.institutions import (
    InstitutionRegistry,
    apart_from_longer_names,
    build_registry,
)
from gcm_open.normalize.links import urls_in
from gcm_open.normalize.names import NameKind, proper_names
from gcm_open.normalize.populations import population_matches
from gcm_open.normalize.text import (
    MatchMode,
    Phrase,
    Term,
    TermMatcher,
    Tokens,
    fold,
    strip_accents,
    word_alternation,
)
from gcm_open.pages import PagedText
from gcm_open.parse import Compendium
from gcm_open.reference import not_institutions
from gcm_open.sources import bundled_source
from gcm_open.spanish import SpanishWords
from gcm_open.tables import build_tables

HAND_READ: list[dict[str, Any]] = json.loads(
    (FIXTURES / "places_hand_read.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def registry(compendium: Compendium) -> InstitutionRegistry:
    return build_registry(read_annex(compendium.annex_lines).glossary)


def _table(built: BuildResult, name: str) -> list[dict[str, str]]:
    with (built.out_dir / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- places read by hand -------------------------------------------------------------


def test_the_hand_read_sample_is_the_stated_random_draw(compendium: Compendium) -> None:
    ids = sorted(practice.practice_id for practice in compendium.practices)
    drawn = sorted(random.Random(2022).sample(ids, 30))
    assert drawn == [r["practice_id"] for r in HAND_READ if r["chosen"] == "random (seed 2022)"]
    assert len(HAND_READ) >= 40


@pytest.mark.parametrize("expected", HAND_READ, ids=[r["practice_id"] for r in HAND_READ])
def test_places_match_the_hand_reading(expected: dict[str, Any], built: BuildResult) -> None:
    countries: defaultdict[str, set[str]] = defaultdict(set)
    for row in _table(built, "practice_countries"):
        countries[row["practice_id"]].add(row["country_code"])
    states: defaultdict[str, set[str]] = defaultdict(set)
    for row in _table(built, "practice_states"):
        if row["relation"] == "mentioned":
            states[row["practice_id"]].add(row["state_code"])
    practice_id = expected["practice_id"]
    assert sorted(countries[practice_id]) == expected["countries"]
    assert sorted(states[practice_id]) == expected["states"]


# --- lead labels ---------------------------------------------------------------------


def test_every_lead_label_resolves_as_checked_by_hand(
    compendium: Compendium, registry: InstitutionRegistry
) -> None:
    with (FIXTURES / "lead_labels.csv").open(encoding="utf-8", newline="") as handle:
        expected = {
            row["lead_label"]: row["institution_ids"].split() for row in csv.DictReader(handle)
        }
    labels = {practice.lead_label for practice in compendium.practices}
    assert labels == set(expected)
    assert {label: registry.resolve_label(label) for label in labels} == expected


def test_an_unknown_lead_label_stops_the_build_with_the_offenders(compendium: Compendium) -> None:
    practices = list(compendium.practices)
    practices[0] = dataclasses.replace(practices[0], lead_label="XYZ-SEGOB")
    practices[5] = dataclasses.replace(practices[5], lead_label="Oficina Desconocida")
    broken = dataclasses.replace(compendium, practices=tuple(practices))
    with pytest.raises(ResolutionError, match="2 lead labels do not resolve") as caught:
        build_tables(broken)
    assert "2022-F-01-01 'XYZ-SEGOB'" in str(caught.value)
    assert "2022-F-01-06 'Oficina Desconocida'" in str(caught.value)


# --- institutions --------------------------------------------------------------------


def test_registry_merges_the_glossary_with_curated_data(registry: InstitutionRegistry) -> None:
    by_id = registry.by_id
    assert (
        by_id["CENSIDA"].name_es == "Centro Nacional para la Prevención y el Control del VIH/SIDA"
    )
    assert by_id["CENSIDA"].glossary_name is not None
    assert by_id["SEGOB"].glossary_name is None
    parents = {key: by_id[key].parent_id for key in ("UPMRIP", "SNE", "IME", "INM", "PFPNNA")}
    assert parents == {
        "UPMRIP": "SEGOB",
        "SNE": "STPS",
        "IME": "SRE",
        "INM": "SEGOB",
        "PFPNNA": "SNDIF",
    }
    assert {
        by_id[key].kind for key in ("OIM", "ACNUR", "UNICEF", "OIT", "OCDE", "PNUD", "GIZ")
    } == {"international"}
    assert by_id["MX-TLA-DAM"].state_code == "MX-TLA"
    assert len(registry.state_governments) == 32


def test_glossary_acronym_forms_become_aliases(registry: InstitutionRegistry) -> None:
    aliases = {
        alias.alias: (alias.institution_id, alias.match_in_text) for alias in registry.aliases
    }
    assert aliases["INAMI"] == ("INM", True)
    assert aliases["SALUD"] == ("SSA", False)
    assert aliases["G.N"] == ("GN", True)
    assert registry.resolve_label("G.N") == ["GN"]
    assert registry.resolve_label("Guardia Nacional") == ["GN"]


def test_a_glossary_body_missing_from_curated_data_stops_the_build() -> None:
    glossary = [GlossaryEntry("INSTITUTO NUEVO DE PRUEBAS", ("INP",), 13500)]
    with pytest.raises(ResolutionError, match=r"glossary acronym INP \(line 13500\)"):
        build_registry(glossary)


def test_only_state_and_municipal_bodies_have_a_state(registry: InstitutionRegistry) -> None:
    from gcm_open.normalize.institutions import _check

    assert _check(registry) == []
    by_id = registry.by_id
    assert by_id["ESTATALES-FGE"].state_code is None  # the prosecutors of every state
    assert by_id["MX-SLP-MUN-CERRITOS-AYTO"].state_code == "MX-SLP"
    wrong = (
        dataclasses.replace(by_id["SSA"], state_code="MX-CHP"),
        dataclasses.replace(by_id["ESTATALES-FGE"], parent_id="GOB-MX-CHP"),
    )
    kept = tuple(
        body
        for body in registry.institutions
        if body.institution_id not in {"SSA", "ESTATALES-FGE"}
    )
    problems = _check(dataclasses.replace(registry, institutions=kept + wrong))
    assert problems == [
        "SSA: only state and municipal bodies have a state",
        "ESTATALES-FGE: a state body without a state stands for those of every state, "
        "and has no parent",
    ]
    twice = dataclasses.replace(registry, aliases=(*registry.aliases, registry.aliases[0]))
    assert _check(twice) == [f"alias {registry.aliases[0].alias!r} is listed twice"]


def test_a_population_is_a_target_where_the_practice_says_it_serves_it(
    built: BuildResult,
) -> None:
    basis = {
        (row["practice_id"], row["population_id"]): row["basis"]
        for row in _table(built, "practice_populations")
    }
    assert basis[("2022-F-01-13", "women")] == "target"  # its title names them
    # Counted in the results only: "participaron 2,259 personas, el 56% corresponde a
    # hombres y el 44% a mujeres"; "de ellas 204 fueron dirigidas a mujeres".
    assert basis[("2022-F-07-14", "women")] == "reached"
    assert basis[("2022-F-20-04", "women")] == "reached"
    # Its results say whom it is for: "Aplica a las personas ... solicitantes del
    # Reconocimiento de la Condición de Refugiado".
    assert basis[("2022-F-07-23", "refugees_asylum_seekers")] == "target"
    # Or a sentence of purpose: "Para garantizar el acceso ... de niñas, niños y jóvenes";
    # materials "divididos en secciones para: Niños, Jóvenes, Adultos, Adultos Mayores",
    # after "durante los 12 días" (a duration counts no one).
    assert basis[("2022-F-18-03", "children")] == "target"
    assert basis[("2022-F-20-06", "older_people")] == "target"
    # "con el objetivo de atender a la población indígena migrante que vive en Estados
    # Unidos".
    assert basis[("2022-F-16-04", "diaspora")] == "target"
    assert set(basis.values()) == {"target", "reached"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "con las Fiscalías estatales y la Secretaría de Salud",
            ["Fiscalías estatales", "Secretaría de Salud"],
        ),
        (
            "Defensorías municipales de NNA, Ayuntamientos municipales",
            ["Defensorías municipales de NNA", "Ayuntamientos municipales"],
        ),
        (
            "los Institutos (municipales y estatales) de la juventud",
            ["Institutos (municipales y estatales)"],
        ),
        # A level is a whole word; a name ends at its paragraph's end.
        ("el Centro localizado en Tijuana", []),
        ("la Fiscalía federalizada", []),
        ("Sistemas de Información\nAsimismo, se", ["Sistemas de Información"]),
    ],
)
def test_bodies_of_every_state_or_municipality_are_names(text: str, expected: list[str]) -> None:
    assert [name.text for name in proper_names(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # After "de", a body's name goes on into its parent's; after "y", a new name opens.
        (
            "la Dirección General de Servicios Consulares de la Secretaría de Relaciones "
            "Exteriores (SRE)",
            [
                "Dirección General de Servicios Consulares de la Secretaría de Relaciones"
                " Exteriores (SRE)"
            ],
        ),
        (
            "la Secretaría de Salud y la Secretaría de Bienestar",
            ["Secretaría de Salud", "Secretaría de Bienestar"],
        ),
        # A programme's or a law's name after "de" is not part of a body's.
        (
            "el Grupo de Trabajo sobre Gestión Fronteriza del Plan de Acción",
            ["Grupo de Trabajo sobre Gestión Fronteriza", "Plan de Acción"],
        ),
    ],
)
def test_a_name_goes_on_into_its_parents(text: str, expected: list[str]) -> None:
    assert [name.text for name in proper_names(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A civil association is a body by what follows its name, whatever its first word.
        (
            "la organización Brigada Callejera de Apoyo a la Mujer, A.C., y el punto",
            ["Brigada Callejera de Apoyo a la Mujer, A.C."],
        ),
        (
            "En Migrantes Unidos en Caravana A. C. se atendió",
            ["Migrantes Unidos en Caravana A. C."],
        ),
        # A body's head names it already: its name ends before the suffix.
        ("con la Asociación Civil Sin Fronteras, A.C.", ["Asociación Civil Sin Fronteras"]),
        ("una asociación civil (A.C.) de Tijuana", []),
    ],
)
def test_a_civil_association_is_a_body_by_its_suffix(text: str, expected: list[str]) -> None:
    names = proper_names(text)
    assert [name.text for name in names] == expected
    assert all(name.kind is NameKind.BODY for name in names)


def test_bodies_named_as_a_group_are_tagged_as_the_group(built: BuildResult) -> None:
    rows = _table(built, "practice_institutions")
    tagged = {(row["practice_id"], row["institution_id"]) for row in rows}
    # "Fiscalías estatales" in the CEAV's list of partners; "Red Consular de México".
    assert ("2022-F-07-16", "ESTATALES-FGE") in tagged
    assert ("2022-F-17-09", "SRE-CONSULADOS") in tagged
    groups = [row for row in rows if row["institution_id"].startswith("ESTATALES-")]
    assert len({row["practice_id"] for row in groups}) >= 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("El Instituto Nacional de Migración (INM) y el INAMI", {"INM": 3}),
        ("en coordinación con la Secretaría de Relaciones Exteriores", {"SRE": 1}),
        # Acronyms match as written: "sre" is not the SRE; SALUD is an ordinary word.
        ("sre y la SALUD pública", {}),
        # IMSS-BIENESTAR is a program of the IMSS, not the Secretaría de Bienestar.
        ("el programa IMSS-BIENESTAR", {"IMSS": 1}),
        ("la Agencia de Cooperación Alemana para el Desarrollo Sostenible (GIZ)", {"GIZ": 2}),
        # A name of one word keeps its capital, unless it is a plural, a common noun.
        ("Ria, Sigue y Remitly; la lista sigue", {"RIA": 1, "SIGUE": 1, "REMITLY": 1}),
        ("capacitación a los ayuntamientos", {"MUNICIPALES-AYUNTAMIENTOS": 1}),
    ],
)
def test_institutions_named_in_text(
    registry: InstitutionRegistry, text: str, expected: dict[str, int]
) -> None:
    assert registry.mentions(text).counts == expected


# --- geography -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("migrantes en México", set()),
        ("en el Estado de México y la Ciudad de México", {"MX-MEX", "MX-CMX"}),
        ("la alcaldía Miguel Hidalgo y la calle Vicente Guerrero", set()),
        ("el estado de Hidalgo", {"MX-HID"}),
        ("migrantes tlaxcaltecas, mexiquenses y michoacanos", {"MX-TLA", "MX-MEX", "MX-MIC"}),
        ("Jalpan de Serra, Qro. y Cerritos, S.L.P.", {"MX-QUE", "MX-SLP"}),
        ("Edomex y CDMX", {"MX-MEX", "MX-CMX"}),
        ("la frontera Sonora-Arizona", {"MX-SON"}),
        ("Tapachula y Tijuana", set()),
        ("Nuevo México", set()),
        ("Baja California Sur", {"MX-BCS"}),
    ],
)
def test_states_named_in_text(text: str, expected: set[str]) -> None:
    assert states_named_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la Constitución Política de los Estados Unidos Mexicanos", {}),
        ("connacionales en Estados Unidos de América, EUA, EE.UU. y E.E.U.U.", {"USA": 4}),
        (
            "personas guatemaltecas, una hondureña y de nacionalidad haitiana",
            {"GTM": 1, "HND": 1, "HTI": 1},
        ),
        ("Centroamérica, el Caribe y el espacio Schengen", {}),
        ("Belice y Canadá", {"BLZ": 1, "CAN": 1}),
        ("la Reunión de trabajo en Santa Lucía con Israel", {}),
        ("familias de origen chino", {"CHN": 1}),
        ("chile, frijol y maíz", {}),
        ("dólares estadounidenses", {"USA": 1}),
    ],
)
def test_countries_named_in_text(text: str, expected: dict[str, int]) -> None:
    assert country_mentions(text).counts == expected


def test_an_organisation_with_a_country_adjective_is_not_the_country(built: BuildResult) -> None:
    rows = _table(built, "practice_countries")
    assert not [
        row
        for row in rows
        if row["practice_id"] in {"2022-F-01-03", "2022-F-01-06"} and row["country_code"] == "DEU"
    ]


def test_states_table(built: BuildResult) -> None:
    rows = _table(built, "states")
    assert len(rows) == 32
    assert {row["state_code"] for row in rows} == {
        subdivision.code for subdivision in pycountry.subdivisions.get(country_code="MX")
    }
    by_code = {row["state_code"]: row for row in rows}
    assert by_code["MX-MEX"]["inegi_code"] == "15"
    assert by_code["MX-MEX"]["in_annex_2022"] == "true"
    assert by_code["MX-ZAC"]["in_annex_2022"] == "false"
    assert sum(row["in_annex_2022"] == "true" for row in rows) == 20


def test_state_practices_lead_in_their_state(built: BuildResult) -> None:
    practices = {row["practice_id"]: row for row in _table(built, "practices")}
    leads = [row for row in _table(built, "practice_states") if row["relation"] == "lead"]
    assert len(leads) == 118
    for row in leads:
        assert practices[row["practice_id"]]["state_code"] == row["state_code"]


def test_countries_table_codes_are_real(built: BuildResult) -> None:
    for row in _table(built, "countries"):
        country = pycountry.countries.get(alpha_3=row["country_code"])
        assert country is not None and country.alpha_2 == row["alpha_2"]
        assert row["country_code"] != "MEX"


# --- populations, footnotes, links ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("atención a niñas, niños y adolescentes no acompañados", {"children"}),
        ("el Instituto Nacional de las Mujeres", set()),
        ("jornaleros agrícolas y trabajadores fronterizos", {"migrant_workers"}),
        ("personas solicitantes de la condición de refugiado", {"refugees_asylum_seekers"}),
        ("población LGBTTTIQ+ y personas con discapacidad", {"lgbti", "disabilities"}),
        # Mexicans abroad, said in many ways.
        ("la población mexicana que reside en los Estados Unidos", {"diaspora"}),
        ("comunidades de migrantes oaxaqueños radicadas en Estados Unidos", {"diaspora"}),
        ("personas mexicanas que viven en EE. UU. y Canadá", {"diaspora"}),
        ("connacionales tlaxcaltecas fuera del territorio nacional", {"diaspora"}),
        ("los mexicanos que no viven en el país", set()),
        ("la ciudadanía residente en el extranjero", {"diaspora"}),
        ("jóvenes Dreamers de origen mexicano", {"youth", "diaspora"}),
        ("la población indígena migrante que vive en Estados Unidos", {"indigenous", "diaspora"}),
        ("la doble nacionalidad para la comunidad que reside en Estados Unidos", {"diaspora"}),
        ("la comunidad guatemalteca que reside en Estados Unidos", set()),
        # Mexicans who cross the country on their visit home are Mexicans abroad, and
        # cross it.
        (
            "los connacionales que ingresan y transitan por México",
            {"diaspora", "migrants_in_transit"},
        ),
        (
            "la comunidad migrante mexiquense y mexicana que transita por la entidad",
            {"diaspora", "migrants_in_transit"},
        ),
        (
            "migrantes mexicanos y centroamericanos que transitan por el estado",
            {"migrants_in_transit"},
        ),
        ("jornaleros zacatecanos", {"migrant_workers"}),
        ("restos de tlaxcaltecas fallecidos fuera de territorio nacional", {"diaspora"}),
        ("asociaciones de personas migrantes en el exterior", {"diaspora"}),
        ("la hospitalidad con los migrantes del exterior en el Estado", set()),
        # In transit, returned, working abroad.
        ("personas que cruzan el estado en su camino al norte", {"migrants_in_transit"}),
        ("migrantes que transitan por la entidad", {"migrants_in_transit"}),
        ("extranjeros que viven o transitan en México", {"migrants_in_transit"}),
        ("en los lugares de tránsito de los migrantes", {"migrants_in_transit"}),
        ("un país no sólo de tránsito hacia los Estados Unidos", {"migrants_in_transit"}),
        ("afectaciones en la salud derivadas de su tránsito migrante", {"migrants_in_transit"}),
        ("las personas que retornan a México", {"returnees"}),
        ("connacionales repatriados", {"returnees"}),
        ("los medios para el retorno a territorio nacional", {"returnees"}),
        ("el retorno al país de origen de las personas centroamericanas", set()),
        ("acciones de intervención en retornos asistidos de niñas", {"children"}),
        ("la búsqueda y localización de migrantes extraviados", {"missing_migrants_families"}),
        ("cuando las personas extravían sus documentos", set()),
        ("apoyar a las personas migrantes en otros países de la región", set()),
        ("los jóvenes construyendo el futuro de su comunidad", {"youth"}),
        (
            "personas migrantes económicos, personas transmigrantes",
            {"migrant_workers", "migrants_in_transit"},
        ),
        ("ofertas de empleo en el extranjero", {"migrant_workers"}),
        ("tarjetas de residente temporal con permiso de trabajo", {"migrant_workers"}),
        ("amplía la vigencia de visas de empleo", {"migrant_workers"}),
        ("personas en entidades consideradas temporales, o de paso", {"migrants_in_transit"}),
        ("un país de paso hacia el norte", {"migrants_in_transit"}),
        ("se dio paso a la entidad", set()),
        ("la población migrante que transita en la República Mexicana", {"migrants_in_transit"}),
        ("las personas migrantes, en su cruce por México", {"migrants_in_transit"}),
        ("los riesgos que enfrentan los migrantes durante su trayecto", {"migrants_in_transit"}),
        # Travel, goods, places and adjectives that only look like the phrases above.
        ("los mexicanos que viajan fuera del país", set()),
        ("difundir nuestra cultura nacional en el exterior", set()),
        ("Tijuana es una ciudad de paso para el turismo", set()),
        ("el puente Paso del Norte es un punto de paso de mercancías", set()),
        ("el funcionario estuvo de paso en la reunión", set()),
        ("el huracán avanza hacia el norte", set()),
        ("los migrantes durante su recorrido por el museo", set()),
        ("la población que vive en la República Mexicana", set()),
        ("asesoría jurídica y búsqueda de extraviados", {"missing_migrants_families"}),
        ("jornaleros agrícolas migrantes, escolares migrantes", {"migrant_workers", "children"}),
        ("el ciclo escolar", set()),
        ("la atención a nuestros respectivos nacionales en el exterior", {"diaspora"}),
        ("los nacionales de cada país en situaciones que requieran asistencia", set()),
        (
            "migrantes tlaxcaltecas y sus familias dentro y fuera de territorio nacional",
            {"diaspora"},
        ),
        ("personas trabajadoras mexicanas en Canadá", {"migrant_workers", "diaspora"}),
        # Displaced: across borders, or inside the country.
        ("personas desplazadas que cruzan la frontera", {"refugees_asylum_seekers"}),
        ("jóvenes desplazados por la violencia", {"youth", "internally_displaced"}),
        # Not whom a practice serves.
        ("familias que reciben remesas", set()),
        ("4. Jóvenes Construyendo el Futuro;", set()),
        ("la reintegración a su país de origen", set()),
        # Foreigners returned to their countries are not Mexicans returning; both sexes
        # are not women as a target.
        ("los vuelos de retorno asistido a Honduras", set()),
        ("han sido retornados a sus países de origen", set()),
        ("niñas, niños, mujeres y hombres migrantes", {"children"}),
    ],
)
def test_population_phrases(text: str, expected: set[str], registry: InstitutionRegistry) -> None:
    tokens = Tokens(text)
    masked = tokens.masked((placed.start, placed.end) for placed in registry.place(tokens, None))
    found = population_matches(masked, SpanishWords().folded_lemma)
    assert {match.key for match in found} == expected


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("trabajador mexicano|<state_demonym>", "a slot is a word of its own"),
        ("mexicano en <nowhere>", "unknown slot <nowhere>"),
        ("* en <abroad>", "a phrase opens and ends with words"),
    ],
)
def test_a_phrase_that_cannot_be_read_is_refused(phrase: str, problem: str) -> None:
    slots = {"abroad": ["el exterior"], "state_demonym": ["zacatecano"]}
    with pytest.raises(ValueError, match=re.escape(problem)):
        Phrase.parse(phrase, "migrant_workers", slots)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The UN agency for refugees under a spelling the reference lacks is a name.
        ("el Alto Comisionado de Naciones Unidas para Refugiados", set()),
        # A commission named after the people it serves.
        ("la Comisión Estatal para la Atención de Migrantes en Retorno", set()),
        ("según la Ley de Migración y la Semana Binacional de Salud Indígena", set()),
    ],
)
def test_names_of_bodies_laws_and_events_do_not_tag(
    text: str, expected: set[str], registry: InstitutionRegistry
) -> None:
    tokens = Tokens(text)
    spans = [(name.start, name.end) for name in proper_names(text)]
    found = population_matches(tokens.masked(spans), SpanishWords().folded_lemma)
    assert {match.key for match in found} == expected


def test_footnotes_sit_in_their_practices(built: BuildResult) -> None:
    rows = {int(row["number"]): row for row in _table(built, "footnotes")}
    assert sorted(rows) == list(range(1, 15))
    assert rows[9]["practice_id"] == "2022-F-22-02"
    assert rows[12]["practice_id"] == "2022-S-04-16"
    assert rows[1]["practice_id"] == "2022-F-05-01"
    assert rows[14]["practice_id"] == ""  # its marker is in the glossary


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Visite WWW.INM.GOB.MX, hoy.", "WWW.INM.GOB.MX"),
        ("Consulte HTTPS://Example.ORG/Guia hoy.", "HTTPS://Example.ORG/Guia"),
        ("Consulte Consulta.SRE.Gob.Mx; hoy.", "Consulta.SRE.Gob.Mx"),
    ],
)
def test_urls_are_found_in_any_case(text: str, url: str) -> None:
    assert [found.url for found in urls_in(text)] == [url]
    assert urls_in("Gobierno de México. Organización civil; Comisión.") == []


def test_links_are_deduplicated_per_practice(built: BuildResult) -> None:
    rows = _table(built, "practice_links")
    keys = [(row["practice_id"], row["url"].lower().rstrip("/")) for row in rows]
    assert len(keys) == len(set(keys))
    urls = {row["url"] for row in rows if row["practice_id"] == "2022-F-01-02"}
    assert urls == {"https://www.oecd.org/migration/international-migration-outlook-1999124x.htm"}
    repaired = [row for row in rows if "BA7N08%20_FINAL%20publicado.pdf" in row["url"]]
    assert len(repaired) == 1


def test_a_link_to_a_file_named_after_a_printed_email_address_is_a_counted_warning(
    built: BuildResult,
) -> None:
    rows = _table(built, "practice_links")
    assert not [row for row in rows if "@" in row["url"].rsplit("/", 1)[-1]]
    left_out = [w for w in built.warnings if w.code == "link-to-email-copy"]
    assert len(left_out) == 1
    assert "2022-F-22-03" in left_out[0].message
    assert "vigencia.migrantepti@imss.gob.mx" in left_out[0].message


# --- the matcher ---------------------------------------------------------------------

_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñ", min_size=3, max_size=12)
_ACCENTED = str.maketrans("aeiou", "áéíóú")


@given(word=_letters, prefix=_letters)
def test_matching_ignores_accents_and_case_for_any_terms(word: str, prefix: str) -> None:
    matcher = TermMatcher([Term(word, "key", MatchMode.ANY)])
    for variant in (word.upper(), strip_accents(word), word.translate(_ACCENTED), word.title()):
        found = matcher.find_all(f"{prefix} ({variant}), fin")
        assert [match.key for match in found] == ["key"] or strip_accents(
            prefix
        ).casefold() == strip_accents(word).casefold()


@given(word=_letters, glue=_letters)
def test_matching_is_on_whole_words_only(word: str, glue: str) -> None:
    matcher = TermMatcher([Term(word, "key", MatchMode.ANY)])
    assert (
        matcher.find_all(f"{glue}{word}") == []
        or strip_accents(glue + word).casefold().count(strip_accents(word).casefold()) > 1
    )
    assert (
        matcher.find_all(f"{word}{glue}") == []
        or strip_accents(word + glue).casefold().count(strip_accents(word).casefold()) > 1
    )


@given(acronym=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=6))
def test_acronyms_match_as_written(acronym: str) -> None:
    matcher = TermMatcher([Term(acronym, acronym, MatchMode.EXACT)])
    assert [m.found for m in matcher.find_all(f"el {acronym}; la {acronym}.")] == [acronym, acronym]
    assert matcher.find_all(f"el {acronym.lower()} y {acronym.title()}") == []


@given(punctuation=st.sampled_from(list(".,;:()¿?¡!«»“”\"'-/")))
def test_punctuation_is_a_word_boundary(punctuation: str) -> None:
    matcher = TermMatcher([Term("Guatemala", "GTM", MatchMode.PROPER)])
    found = matcher.find_all(f"{punctuation}Guatemala{punctuation}")
    assert [(m.key, m.found) for m in found] == [("GTM", "Guatemala")]


@given(spaces=st.text(alphabet=" \n\t", min_size=1, max_size=4))
def test_words_of_a_term_may_be_split_by_any_spacing(spaces: str) -> None:
    matcher = TermMatcher([Term("Estados Unidos", "USA", MatchMode.PROPER)])
    assert [m.key for m in matcher.find_all(f"en Estados{spaces}Unidos.")] == ["USA"]


_WORDS = st.sampled_from(["la", "el", "casa", "de", "migrante", "red"])


@given(
    terms=st.lists(st.lists(_WORDS, min_size=1, max_size=3), min_size=1, max_size=6),
    words=st.lists(_WORDS, max_size=14),
)
def test_matches_are_the_leftmost_longest_terms_one_after_another(
    terms: list[list[str]], words: list[str]
) -> None:
    matcher = TermMatcher([Term(" ".join(term), " ".join(term)) for term in terms])
    expected, index = [], 0
    while index < len(words):
        fits = [term for term in terms if words[index : index + len(term)] == term]
        if not fits:
            index += 1
            continue
        longest = max(fits, key=len)
        expected.append(" ".join(longest))
        index += len(longest)
    assert [match.key for match in matcher.find_all(" ".join(words))] == expected


def test_spans_point_into_the_original_text() -> None:
    text = "La Secretaría de Relaciones Exteriores (SRE) y Michoacán."
    matcher = TermMatcher(
        [
            Term("Secretaría de Relaciones Exteriores", "SRE", MatchMode.ANY),
            Term("SRE", "SRE", MatchMode.EXACT),
        ]
    )
    for match in matcher.find_all(text):
        assert text[match.start : match.end] == match.found


# --- evidence, state bodies, names the reference lacks ---------------------------------


@pytest.mark.parametrize(
    "table",
    ["practice_institutions", "practice_states", "practice_countries", "practice_populations"],
)
def test_every_tag_points_to_the_line_that_prints_its_evidence(
    built: BuildResult, table: str, paged: PagedText
) -> None:
    lines = bundled_source().text.splitlines()
    body = {line.line_no for line in paged.body_lines()}
    rows = _table(built, table)
    assert rows
    for row in rows:
        # The evidence starts on its line (a name broken over lines goes on below).
        evidence = " ".join(row["evidence"].split())
        number = int(row["line_no"])
        # (names in the cells of a table run over many short lines, and a page break
        # may come between: the page's number and running header are not body)
        window = [
            line
            for line_no, line in enumerate(lines[number - 1 : number + 16], start=number)
            if line_no == number or line_no in body
        ]
        printed = " ".join(" ".join(window).split())
        # A label may break at its hyphen ("(UPMRIP-" / "SEGOB)").
        first_word = evidence.split()[0].rstrip(",").split("-")[0]
        assert fold(first_word) in fold(lines[number - 1]), (table, row)
        assert fold(evidence.replace("- ", "")) in fold(printed.replace("- ", "")) or (
            row.get("role") == "lead" or row.get("relation") == "lead"
        ), (table, row)


def test_links_point_to_the_line_that_prints_them(built: BuildResult) -> None:
    lines = bundled_source().text.splitlines()
    for row in _table(built, "practice_links"):
        if row["source"] != "link annotation":
            host = re.sub(r"^(?:https?://)?", "", row["url"]).split("/")[0]
            # A footnote's line is its first; its URL may stand on the lines below.
            below = 3 if row["source"] == "footnote" else 1
            number = int(row["line_no"])
            assert host[:12] in " ".join(lines[number - 1 : number - 1 + below]), row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "exhorta al INM a coordinarse con los estados de Baja California, Sonora, "
            "Coahuila de Zaragoza y Tamaulipas para atender",
            ["INM", "GOB-MX-BCN", "GOB-MX-SON", "GOB-MX-COA", "GOB-MX-TAM"],
        ),
        (
            "los gobiernos de las entidades federativas de Nuevo León y Baja California",
            ["GOB-MX-NLE", "GOB-MX-BCN"],
        ),
        # States named as places, and a list that stops at the first word that is no state.
        ("se atendió en los estados de Chiapas y Tabasco", []),
        ("con los estados de Chiapas, en particular Tabasco", ["GOB-MX-CHP"]),
    ],
)
def test_states_listed_as_parties_name_their_governments(
    registry: InstitutionRegistry, text: str, expected: list[str]
) -> None:
    assert [found.institution_id for found in registry.place(Tokens(text), None)] == expected


# The states a list may name by their INEGI names; "México" alone is the country.
_STATES = [state for state in mexican_states() if state.state_code != "MX-MEX"]


@given(
    st.lists(st.sampled_from(_STATES), min_size=1, max_size=31, unique=True),
    st.integers(0, 120),
    st.integers(0, 120),
)
def test_a_list_of_states_is_read_to_its_end_however_long(
    registry: InstitutionRegistry, states: list[Any], words_before: int, words_after: int
) -> None:
    """A list is read a window at a time: every state of it is found, wherever the
    windows cut, and nothing after it."""
    names = [state.name_es for state in states]
    listed = ", ".join(names[:-1]) + (" y " if len(names) > 1 else "") + names[-1]
    text = (
        "otra palabra " * words_before
        + f"para coordinarse con los estados de {listed}, "
        + "y con Chiapas más tarde " * words_after
    )
    found = [found.institution_id for found in registry.place(Tokens(text), None)]
    assert found == [f"GOB-{state.state_code}" for state in states]


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        ("la Secretaría de Salud del Estado de Chiapas", None, ["MX-CHP-SSA"]),
        ("con la Secretaría de Salud de Jalisco y el INM", None, ["MX-JAL-SSA", "INM"]),
        ("el Instituto Nacional de Migración en Chiapas", None, ["INM"]),
        ("la Secretaría de Salud del Estado de México", None, ["MX-MEX-SSA"]),
        ("la Secretaría de Salud de México", None, ["SSA"]),
        # Several states after the name: each one's body; the acronym between is the name's.
        ("la Secretaría de Salud de Jalisco y Oaxaca", None, ["MX-JAL-SSA", "MX-OAX-SSA"]),
        ("la Secretaría de Salud (SSA) del Estado de Chiapas", None, ["MX-CHP-SSA"]),
        ("la fiscalía general de justicia del Estado de México", None, ["MX-MEX-FGE"]),
        # A state after a comma alone opens a clause; a government inside the name is part
        # of it.
        ("con la Secretaría de Salud de Chiapas, Oaxaca firmó", None, ["MX-CHP-SSA"]),
        ("la Secretaría de Salud del Gobierno del Estado de Chiapas", None, ["MX-CHP-SSA"]),
        (
            "los Servicios Estatales de Salud (SESA) de Baja California, Chiapas y Chihuahua",
            None,
            ["MX-BCN-SESA", "MX-CHP-SESA", "MX-CHH-SESA"],
        ),
    ],
)
def test_a_federal_name_followed_by_a_state_is_that_states_body(
    registry: InstitutionRegistry, text: str, state: str | None, expected: list[str]
) -> None:
    placed = registry.place(Tokens(text), state)
    assert [found.institution_id for found in placed] == expected
    for found in placed:
        if found.new_body is not None:
            assert found.new_body.kind == "state"
            assert found.new_body.state_code == found.institution_id[:6]
            assert found.new_body.parent_id == f"GOB-{found.institution_id[:6]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el Diálogo Consular entre México y Estados Unidos de América", ["GOB-USA"]),
        ("un mecanismo intergubernamental entre México y Canadá", ["GOB-CAN"]),
        (
            "conformado por México, El Salvador, Guatemala y Honduras",
            ["GOB-SLV", "GOB-GTM", "GOB-HND"],
        ),
        ("integrado por nuestro país, Ecuador y Guatemala", ["GOB-ECU", "GOB-GTM"]),
        # Where people move between the two, or a border runs, the countries are places.
        ("por la larga historia de la migración entre México y Estados Unidos", []),
        ("la movilidad humana entre México y Guatemala", []),
        ("en la frontera entre México y Guatemala", []),
        ("Entre México y Canadá se firmó un acuerdo", ["GOB-CAN"]),
        # A country named as a government, or as the one that sends people back.
        ("repatriadas por el gobierno de los Estados Unidos de América", ["GOB-USA"]),
        ("reuniones con los gobiernos de Guatemala y Belice", ["GOB-GTM", "GOB-BLZ"]),
        ("menores de edad no acompañados, repatriados por EUA", ["GOB-USA"]),
        ("personas deportadas por Estados Unidos", ["GOB-USA"]),
        ("migrantes que llegan por Guatemala", []),
        ("son devueltos por Guatemala a su país", []),
        ("los gobiernos de México y Guatemala", ["GOB-GTM"]),
        # The seat or the ministry "de Gobierno" of a country is not its government.
        ("el Palacio de Gobierno de Honduras", []),
        ("el Ministerio de Gobierno de Bolivia", []),
        # Mexico last in the list; countries among themselves are not Mexico's partners.
        ("diálogos bilaterales entre Guatemala, Belice y México", ["GOB-GTM", "GOB-BLZ"]),
        ("el acuerdo bilateral entre EE.UU. y México", ["GOB-USA"]),
        ("un acuerdo bilateral entre Guatemala y Honduras", []),
        ("un acuerdo bilateral entre Guatemala y Honduras, y México participa", []),
        ("la frontera entre Guatemala y México, según el convenio", []),
        ("el comercio entre Estados Unidos y México, en el marco del acuerdo", []),
        # An article after "México y".
        ("el Diálogo Consular entre México y los Estados Unidos de América", ["GOB-USA"]),
        ("el acuerdo bilateral entre México y la República de Guatemala", ["GOB-GTM"]),
        (
            "Entre México y Estados Unidos de América se ha fortalecido en los últimos años "
            "el diálogo",
            ["GOB-USA"],
        ),
    ],
)
def test_mexicos_partners_are_their_governments(
    registry: InstitutionRegistry, text: str, expected: list[str]
) -> None:
    placed = registry.place(Tokens(text), None)
    assert [found.institution_id for found in placed] == expected
    for found in placed:
        assert found.new_body is not None and found.new_body.kind == "foreign"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # In a state's practice, a states' group in the singular is that state's ...
        ("en coordinación con la CLB", ["MX-TAB-CLB"]),
        # ... and after a plural article, every state's, whatever its ending.
        ("encuentros con las CLB del Sureste Mexicano", ["ESTATALES-CLB"]),
    ],
)
def test_a_states_group_after_a_plural_article_is_every_states(
    registry: InstitutionRegistry, text: str, expected: list[str]
) -> None:
    assert [found.institution_id for found in registry.place(Tokens(text), "MX-TAB")] == expected


def test_state_bodies_are_institutions_of_their_state(built: BuildResult) -> None:
    institutions = {row["institution_id"]: row for row in _table(built, "institutions")}
    named = {row["institution_id"] for row in _table(built, "practice_institutions")}
    derived = [row for row in institutions.values() if row["source"].startswith("The body of ")]
    assert derived
    for row in derived:
        assert row["kind"] == "state" and row["institution_id"].startswith(row["state_code"])
        assert row["institution_id"] in named


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A body after "de" inside a longer body's name is part of that name.
        ("la Dirección de Enlace Regional de la CNB", []),
        ("la División de Análisis de la ONU", []),
        (
            "el Instituto de los Mexicanos en el Exterior de la Secretaría de Relaciones"
            " Exteriores",
            ["IME"],
        ),
        # After a body's acronym, "de la" names its parent, as part of its name.
        (
            "con el Instituto Nacional de Migración (INM) de la Secretaría de Gobernación",
            ["INM", "INM"],
        ),
        ("con el INM (Instituto) y de la Secretaría de Gobernación", ["INM", "SEGOB"]),
        # A year or a note in brackets is no acronym.
        ("con el INM (2021) de la Secretaría de Salud", ["INM", "SSA"]),
        ("las jornadas (con apoyo de la SRE) de la Secretaría de Salud", ["SRE", "SSA"]),
        # Two bodies side by side are two mentions.
        (
            "la Secretaría de Relaciones Exteriores y la Comisión Nacional de Búsqueda",
            ["SRE", "CNB"],
        ),
        ("con la participación del Instituto Nacional de Migración", ["INM"]),
        # A registry of a body is not a body: the body is named on its own.
        ("el Registro Público de Presentaciones del Instituto Nacional de Migración", ["INM"]),
    ],
)
def test_a_body_inside_a_longer_name_is_not_named_on_its_own(
    registry: InstitutionRegistry, text: str, expected: list[str]
) -> None:
    placed = apart_from_longer_names(registry.place(Tokens(text), None), proper_names(text), text)
    assert [found.institution_id for found in placed] == expected


def test_every_name_curated_as_no_body_is_printed_as_one(compendium: Compendium) -> None:
    """An entry of not_institutions.csv that names nothing the compendium prints in the
    shape of a body's name hides nothing: it is left over from a rule that changed."""
    printed = {
        fold(" ".join(name.text.split()))
        for practice in compendium.practices
        for part in ("title", "description", "results", "challenges")
        for name in proper_names(practice.part_text(part) or "")
        if name.kind is NameKind.BODY
    }
    assert [name for name in not_institutions() if fold(name) not in printed] == []


def test_a_body_the_reference_lacks_is_a_counted_warning(built: BuildResult) -> None:
    unplaced = [w for w in built.warnings if w.code == "unplaced-institution"]
    assert unplaced
    names = {w.message.split(" names ")[1].split(", a body")[0] for w in unplaced}
    # Each distinct name is reported once, at its first printing.
    assert len(names) == len(unplaced)
    # Bodies of the reference are placed, not reported.
    assert not any("'Instituto Nacional de Migración'" in name for name in names)
    # A name shaped like a body's that the reference says is a document is not a body;
    # one it does not know of is reported.
    assert "'Registro de Población (CURP)'" not in names
    assert "'Fiscalía Especializada'" in names


@pytest.mark.parametrize(
    ("text", "state", "expected"),
    [
        # A group of the states' bodies named with a state after it, or in a state's
        # practice, is that state's body: the reference's row when it has one.
        ("la Fiscalía General del Estado de Chiapas", None, ["MX-CHP-FGE"]),
        ("con la Fiscalía General del Estado", "MX-OAX", ["MX-OAX-FGE"]),
        ("en el Registro Civil", "MX-NLE", ["MX-NLE-RC"]),
        ("las Fiscalías estatales", None, ["ESTATALES-FGE"]),
        # Plural, in a state's practice: every state's, unless it lists one government's.
        ("las Fiscalías estatales", "MX-OAX", ["ESTATALES-FGE"]),
        ("las Secretarías de Salud, del Trabajo y de Inclusión", "MX-CMX", ["MX-CMX-SSA"]),
        # A name a federal body shares with each state's: that state's, in its practice.
        ("ante la Secretaría de Salud", "MX-CHP", ["MX-CHP-SSA"]),
        ("ante la Secretaría de Salud", None, ["SSA"]),
        ("ante la Secretaría de Salud federal", "MX-CHP", ["SSA"]),
        # A plural that lists one government's secretariats names each.
        (
            "las Secretarías de Salud, del Trabajo y Fomento al Empleo y de Inclusión y"
            " Bienestar Social, así como",
            "MX-CMX",
            ["MX-CMX-SSA", "MX-CMX-STYFE", "SIBISO"],
        ),
        (
            "a través de las secretarías de Gobernación y de Relaciones Exteriores",
            None,
            ["SEGOB", "SRE"],
        ),
        # A federal body's state office the reference holds keeps its id.
        ("el Servicio Nacional de Empleo Tabasco", None, ["MX-TAB-SNE"]),
        # "Baja California Sur" is one state, not Baja California; "y" joins a list.
        ("con los estados de Baja California Sur y Sonora", None, ["GOB-MX-BCS", "GOB-MX-SON"]),
        (
            "y las autoridades estatales de Jalisco, Puebla y Querétaro.",
            None,
            ["GOB-MX-JAL", "GOB-MX-PUE", "GOB-MX-QUE"],
        ),
    ],
)
def test_a_group_of_state_bodies_named_for_one_state_is_that_states_body(
    registry: InstitutionRegistry, text: str, state: str | None, expected: list[str]
) -> None:
    placed = registry.place(Tokens(text), state)
    assert [found.institution_id for found in placed] == expected
    derived = [found.new_body for found in placed if found.new_body is not None]
    assert all(body.institution_id not in registry.by_id for body in derived)
    for found in placed:
        assert text[found.start : found.end] == found.found


@given(
    st.lists(st.text("abcá", min_size=1, max_size=5), min_size=1, max_size=12),
    st.lists(st.text("abcá", min_size=1, max_size=6), max_size=20),
)
def test_word_alternation_matches_as_a_flat_alternation_longest_first(words, text_words):
    """The letter tree finds what the plain alternation of the words, longest first, does,
    with and without a word boundary after it."""
    text = " ".join(text_words + words[:2])
    flat = "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))
    tree = word_alternation(words)
    for template in (r"\b(?:{})\b", r"(?:{})"):
        assert re.findall(template.format(tree), text, re.I) == re.findall(
            template.format(flat), text, re.I
        )
