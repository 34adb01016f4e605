"""The document model -> Arrow tables, one per Table Schema, rows sorted by primary key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from gcm_open.errors import SchemaError
from gcm_open.normalize.states import implementing_state
from gcm_open.parse import Compendium, Practice, Section
from gcm_open.reference import gcm_objectives
from gcm_open.schemas import TABLE_NAMES, TableSchema, load_schema

Row = dict[str, Any]


def build_tables(compendium: Compendium) -> dict[str, pa.Table]:
    """Every table of the package, keyed by name, in :data:`TABLE_NAMES` order."""
    rows = {
        "objectives": objective_rows(compendium),
        "practices": [practice_row(practice) for practice in compendium.practices],
    }
    return {name: to_arrow(load_schema(name), rows[name]) for name in TABLE_NAMES}


def practice_row(practice: Practice) -> Row:
    """The ``practices`` row of one practice."""
    state_code = (
        implementing_state(practice.lead_label, where=f"practice {practice.practice_id}")
        if practice.section is Section.STATE
        else None
    )
    return {
        "practice_id": practice.practice_id,
        "edition": practice.edition,
        "section": practice.section.value,
        "objective_id": practice.objective_id,
        "number": practice.number,
        "title": practice.title,
        "lead_label": practice.lead_label,
        "state_code": state_code,
        "description": practice.description,
        "results": practice.results,
        "challenges": practice.challenges,
        "challenges_reported": practice.challenges_reported,
        "page_start": practice.page_start,
        "page_end": practice.page_end,
        "line_start": practice.line_start,
        "line_end": practice.line_end,
    }


def objective_rows(compendium: Compendium) -> list[Row]:
    """The ``objectives`` rows: official titles, and printed titles where they differ."""
    printed = {
        (block.section, block.objective_id): block.printed_title for block in compendium.blocks
    }
    rows = []
    for objective in gcm_objectives():
        row: Row = {
            "objective_id": objective.objective_id,
            "title_es": objective.title_es,
            "title_en": objective.title_en,
            "short_title_en": objective.short_title_en,
        }
        for section in Section:
            title = printed.get((section, objective.objective_id))
            differs = title is not None and _comparable(title) != _comparable(objective.title_es)
            row[f"printed_title_{section.value}_es"] = title if differs else None
        rows.append(row)
    return rows


def _comparable(title: str) -> str:
    return " ".join(title.split()).rstrip(".")


def to_arrow(schema: TableSchema, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows -> an Arrow table typed by ``schema``, sorted by its primary key.

    A row with a column the schema does not declare, or without one it declares, is a
    programming error caught here rather than a silently dropped or empty column.
    """
    rows = list(rows)
    names = schema.field_names
    for row in rows:
        if set(row) != set(names):
            extra = sorted(set(row) - set(names))
            missing = sorted(set(names) - set(row))
            raise SchemaError(
                f"{schema.path}: table {schema.name} rows do not match the schema "
                f"(not in schema: {extra}; not produced: {missing})"
            )
    key = schema.primary_key
    rows.sort(key=lambda row: tuple(row[name] for name in key))
    arrow_schema = schema.to_arrow()
    columns = []
    for field in arrow_schema:
        values = [row[field.name] for row in rows]
        if pa.types.is_dictionary(field.type):
            columns.append(pa.array(values, type=pa.string()).dictionary_encode())
        else:
            columns.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(columns, schema=arrow_schema)
