"""Reference data shipped with gcm-open (``gcm_open/data/reference/*.csv``).

Every name, alias and term the normalization uses lives in these files, each row with
its source, so that a reader can check it and a maintainer can extend it without
touching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from gcm_open.errors import SchemaError


@dataclass(frozen=True)
class Objective:
    """A GCM objective with its official titles."""

    objective_id: int
    title_es: str
    title_en: str
    short_title_en: str


@dataclass(frozen=True)
class StateName:
    """A way the compendium names a Mexican state, and the state's ISO 3166-2 code.

    ``kind`` is official, short, former, abbreviation or demonym.
    """

    name: str
    state_code: str
    kind: str


@dataclass(frozen=True)
class CuratedInstitution:
    """An institution as listed in ``institutions.csv``.

    Bodies listed in the compendium's glossary have an empty ``name_es`` there: their
    name comes from the document.
    """

    institution_id: str
    name_es: str
    kind: str
    parent_id: str
    state_code: str
    match_acronym: bool
    source: str


@dataclass(frozen=True)
class CuratedAlias:
    """Another spelling of an institution, from ``institution_aliases.csv``."""

    alias: str
    institution_id: str
    match_in_text: bool
    source: str


@dataclass(frozen=True)
class CountryName:
    """A Spanish form, abbreviation or demonym of a country (``country_names.csv``)."""

    name: str
    country_code: str
    kind: str


@dataclass(frozen=True)
class Population:
    """A target population of the controlled vocabulary."""

    population_id: str
    label_es: str
    label_en: str
    definition_es: str
    definition_en: str


@dataclass(frozen=True)
class PopulationTerm:
    """A phrase that tags a practice with a population (the syntax of
    :class:`gcm_open.normalize.text.Phrase`), and why it is there."""

    population_id: str
    phrase: str
    note: str


def reference_file(name: str) -> Path:
    """Path of a reference data file shipped in ``gcm_open/data/reference``."""
    return Path(str(resources.files("gcm_open").joinpath("data", "reference", name)))


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    path = reference_file(name)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise SchemaError(f"{path}: missing columns {missing}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if any(value is None for value in row.values()) or None in row:
            raise SchemaError(f"{path}:{number}: wrong number of cells")
    return rows


def _flag(value: str, where: str) -> bool:
    if value not in ("true", "false"):
        raise SchemaError(f"{where}: expected true or false, got {value!r}")
    return value == "true"


@cache
def gcm_objectives() -> tuple[Objective, ...]:
    """The 23 objectives of the Global Compact for Migration, official es/en titles."""
    columns = ("objective_id", "title_es", "title_en", "short_title_en")
    return tuple(
        Objective(int(row["objective_id"]), row["title_es"], row["title_en"], row["short_title_en"])
        for row in _rows("gcm_objectives.csv", columns)
    )


@cache
def inegi_states() -> tuple[tuple[str, str, str], ...]:
    """(INEGI code, ISO 3166-2 code, INEGI name) of the 32 states."""
    rows = _rows("mx_states_inegi.csv", ("inegi_code", "iso_3166_2", "name"))
    return tuple((row["inegi_code"], row["iso_3166_2"], row["name"]) for row in rows)


@cache
def state_names() -> tuple[StateName, ...]:
    """Names of the 32 states: INEGI's official names, plus the forms in ``state_names.csv``.

    INEGI calls MX-MEX just "México", which in the compendium is the country; it is
    kept out, and "Estado de México" is listed in ``state_names.csv`` instead.
    """
    official = [
        StateName(name, code, "official")
        for _inegi, code, name in inegi_states()
        if name != "México"
    ]
    listed = [
        StateName(row["name"], row["state_code"], row["kind"])
        for row in _rows("state_names.csv", ("name", "state_code", "kind", "source"))
    ]
    return tuple(official + listed)


@cache
def geo_stop_phrases() -> tuple[str, ...]:
    """Phrases that contain a place name but do not refer to the place (people, ...)."""
    return tuple(row["phrase"] for row in _rows("geo_stop_phrases.csv", ("phrase", "reason")))


@cache
def curated_institutions() -> tuple[CuratedInstitution, ...]:
    """The institutions of ``institutions.csv``."""
    columns = (
        "institution_id",
        "name_es",
        "kind",
        "parent_id",
        "state_code",
        "match_acronym",
        "source",
    )
    return tuple(
        CuratedInstitution(
            institution_id=row["institution_id"],
            name_es=row["name_es"],
            kind=row["kind"],
            parent_id=row["parent_id"],
            state_code=row["state_code"],
            match_acronym=_flag(row["match_acronym"], f"institutions.csv {row['institution_id']}"),
            source=row["source"],
        )
        for row in _rows("institutions.csv", columns)
    )


@cache
def curated_aliases() -> tuple[CuratedAlias, ...]:
    """The aliases of ``institution_aliases.csv``."""
    columns = ("alias", "institution_id", "match_in_text", "source")
    return tuple(
        CuratedAlias(
            alias=row["alias"],
            institution_id=row["institution_id"],
            match_in_text=_flag(row["match_in_text"], f"institution_aliases.csv {row['alias']}"),
            source=row["source"],
        )
        for row in _rows("institution_aliases.csv", columns)
    )


@cache
def country_names() -> tuple[CountryName, ...]:
    """Spanish forms, abbreviations and demonyms of countries (``country_names.csv``)."""
    rows = _rows("country_names.csv", ("name", "country_code", "kind", "source"))
    return tuple(CountryName(row["name"], row["country_code"], row["kind"]) for row in rows)


@cache
def country_exclusions() -> frozenset[str]:
    """Country names from pycountry that are not matched (ambiguous in Spanish text)."""
    return frozenset(row["name"] for row in _rows("country_exclusions.csv", ("name", "reason")))


@cache
def populations() -> tuple[Population, ...]:
    """The controlled vocabulary of target populations."""
    columns = ("population_id", "label_es", "label_en", "definition_es", "definition_en")
    return tuple(Population(**row) for row in _rows("populations.csv", columns))


@cache
def name_heads() -> tuple[tuple[str, str], ...]:
    """The words that open a name, and what it names (body, law, programme, event)."""
    rows = _rows("name_heads.csv", ("head", "kind"))
    return tuple((row["head"], row["kind"]) for row in rows)


@cache
def not_institutions() -> tuple[str, ...]:
    """Names shaped like a body's that name something else (a document, an IT system, a
    fund, a fragment of a longer name): not reported as unplaced bodies."""
    rows = _rows("not_institutions.csv", ("name", "reason"))
    return tuple(row["name"] for row in rows)


@cache
def population_stop_phrases() -> tuple[str, ...]:
    """Phrases whose words would tag a population they do not serve (names of laws, ...)."""
    rows = _rows("population_stop_phrases.csv", ("phrase", "reason"))
    return tuple(row["phrase"] for row in rows)


@cache
def population_terms() -> tuple[PopulationTerm, ...]:
    """The phrases that tag practices with populations."""
    rows = _rows("population_terms.csv", ("population_id", "phrase", "note"))
    return tuple(PopulationTerm(row["population_id"], row["phrase"], row["note"]) for row in rows)


@cache
def population_slots() -> dict[str, tuple[str, ...]]:
    """The slots of population phrases (``<abroad>``): slot -> its phrases."""
    slots: dict[str, list[str]] = {}
    for row in _rows("population_slots.csv", ("slot", "phrase")):
        slots.setdefault(row["slot"], []).append(row["phrase"])
    return {slot: tuple(phrases) for slot, phrases in slots.items()}
