"""Reference data shipped with gcm-open: GCM objective titles and Mexican state codes."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Objective:
    """A GCM objective with its official titles."""

    objective_id: int
    title_es: str
    title_en: str
    short_title_en: str


@dataclass(frozen=True)
class StateName:
    """A way the compendium names a Mexican state, and the state's ISO 3166-2 code."""

    name: str
    state_code: str
    kind: str


def reference_file(name: str) -> Path:
    """Path of a reference data file shipped in ``gcm_open/data/reference``."""
    return Path(str(resources.files("gcm_open").joinpath("data", "reference", name)))


def _rows(name: str) -> list[dict[str, str]]:
    with reference_file(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def gcm_objectives() -> tuple[Objective, ...]:
    """The 23 objectives of the Global Compact for Migration, official es/en titles."""
    return tuple(
        Objective(
            objective_id=int(row["objective_id"]),
            title_es=row["title_es"],
            title_en=row["title_en"],
            short_title_en=row["short_title_en"],
        )
        for row in _rows("gcm_objectives.csv")
    )


@cache
def state_names() -> tuple[StateName, ...]:
    """Names of the 32 states: INEGI's official names, plus the forms in ``state_names.csv``.

    INEGI calls MX-MEX just "México", which in the compendium is the country; it is
    kept out, and "Estado de México" is listed in ``state_names.csv`` instead.
    """
    official = [
        StateName(row["name"], row["iso_3166_2"], "official")
        for row in _rows("mx_states_inegi.csv")
        if row["name"] != "México"
    ]
    listed = [
        StateName(row["name"], row["state_code"], row["kind"]) for row in _rows("state_names.csv")
    ]
    return tuple(official + listed)
