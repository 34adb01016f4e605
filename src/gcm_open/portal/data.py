"""A release's tables as the portal's pages read them: each practice with its rows of
every linked table, and the vocabularies by id."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from gcm_open.errors import TargetError
from gcm_open.package.reading import DataPackage, local_package, read_table
from gcm_open.schemas import load_schema

Row = dict[str, Any]
# The tables with one row per practice and something it names.
LINKED_TABLES = (
    "practice_institutions",
    "practice_states",
    "practice_populations",
    "practice_countries",
    "practice_links",
    "practice_figures",
    "footnotes",
)


def _rows(package: DataPackage, table: str, *, required: bool = True) -> list[Row]:
    """A table's rows, from its Parquet copy where there is one; every field gcm-open
    defines is a key (None where the package lacks the field), so that a page of an older
    or trimmed package shows less rather than fail."""
    resource = package.resource(table)
    if resource is None:
        if required:
            raise TargetError(f"{package.target}: the portal's pages need table {table!r}")
        return []
    source = package.parquet_copy(table) or resource
    blank = dict.fromkeys(field["name"] for field in load_schema(table).fields)
    return [
        {**blank, **row}
        for row in read_table(package, source, package.schema(resource)).to_pylist()
    ]


@dataclass(frozen=True)
class ReleaseData:
    """The practices of a release and what the pages say of them."""

    practices: list[Row]
    objectives: dict[int, Row]
    states: dict[str, Row]
    institutions: dict[str, Row]
    populations: dict[str, Row]
    countries: dict[str, Row]
    # table -> practice id -> its rows, in the table's order.
    linked: dict[str, dict[str, list[Row]]] = field(default_factory=dict)

    @classmethod
    def read(cls, release: Path) -> ReleaseData:
        """The tables of the release folder ``release``.

        Raises :class:`TargetError` when a table the pages need is missing or unreadable.
        """
        package = local_package(release)
        linked: dict[str, dict[str, list[Row]]] = {}
        for table in LINKED_TABLES:
            by_practice: dict[str, list[Row]] = defaultdict(list)
            for row in _rows(package, table, required=False):
                if row.get("practice_id"):
                    by_practice[row["practice_id"]].append(row)
            linked[table] = dict(by_practice)
        return cls(
            practices=_rows(package, "practices"),
            objectives={row["objective_id"]: row for row in _rows(package, "objectives")},
            states={row["state_code"]: row for row in _rows(package, "states")},
            institutions={row["institution_id"]: row for row in _rows(package, "institutions")},
            populations={row["population_id"]: row for row in _rows(package, "populations")},
            countries={row["country_code"]: row for row in _rows(package, "countries")},
            linked=linked,
        )

    def of(self, table: str, practice_id: str) -> list[Row]:
        """The rows of a linked ``table`` for one practice."""
        return self.linked[table].get(practice_id, [])

    def leads(self, practice_id: str) -> list[str]:
        """The ids of the practice's lead institutions."""
        return list(
            dict.fromkeys(
                row["institution_id"]
                for row in self.of("practice_institutions", practice_id)
                if row["role"] == "lead"
            )
        )

    def mentioned(self, practice_id: str) -> list[str]:
        """The ids of the institutions the practice names that do not lead it."""
        leads = set(self.leads(practice_id))
        return list(
            dict.fromkeys(
                row["institution_id"]
                for row in self.of("practice_institutions", practice_id)
                if row["institution_id"] not in leads
            )
        )

    def state_codes(self, practice: Row) -> list[str]:
        """The states a practice is of: its implementing state, and the states it names.
        The explorer's state filter, the map and the pages all count these."""
        codes = [practice["state_code"]] if practice["state_code"] else []
        codes += [row["state_code"] for row in self.of("practice_states", practice["practice_id"])]
        return list(dict.fromkeys(code for code in codes if code))

    @cached_property
    def leads_by_practice(self) -> dict[str, set[str]]:
        """Each practice's lead institutions (the related practices of every page)."""
        return {p["practice_id"]: set(self.leads(p["practice_id"])) for p in self.practices}

    @cached_property
    def states_by_practice(self) -> dict[str, list[str]]:
        """Each practice's states (see :meth:`state_codes`)."""
        return {p["practice_id"]: self.state_codes(p) for p in self.practices}

    def state_name(self, code: str) -> str:
        """A state's name (its code when the release's states table lacks it)."""
        return str((self.states.get(code) or {}).get("name_es") or code)

    def institution_name(self, institution_id: str) -> str:
        """An institution's name (its id when the release lacks it)."""
        return str((self.institutions.get(institution_id) or {}).get("name_es") or institution_id)

    def population_label(self, population_id: str, lang: str) -> str:
        """A population's label in ``lang`` (its id when the release lacks it)."""
        row = self.populations.get(population_id) or {}
        return str(row.get("label_en" if lang == "en" else "label_es") or population_id)

    def country_name(self, country_code: str, lang: str) -> str:
        """A country's name in ``lang`` (its code when the release lacks it)."""
        row = self.countries.get(country_code) or {}
        return str(row.get("name_en" if lang == "en" else "name_es") or country_code)
