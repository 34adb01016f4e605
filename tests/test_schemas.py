"""Every Table Schema: complete, bilingual, keyed, and the only definition of its table."""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pytest

from gcm_open.schemas import TABLE_NAMES, load_schema, schema_dir

FIELD_KEYS = ("name", "type", "title", "title_es", "description", "description_es", "example")


def test_every_schema_file_is_a_table_and_every_table_has_a_schema() -> None:
    files = sorted(path.stem for path in schema_dir().glob("*.json"))
    assert files == sorted(TABLE_NAMES)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_schema_is_complete_and_bilingual(name: str) -> None:
    schema = load_schema(name)
    for key in ("name", "title", "title_es", "description", "description_es"):
        assert schema.descriptor.get(key), key
    assert schema.descriptor["name"] == name
    for field in schema.fields:
        for key in FIELD_KEYS:
            assert key in field and field[key] not in ("", None), (field["name"], key)
    names = schema.field_names
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_schema_converts_to_arrow(name: str) -> None:
    schema = load_schema(name)
    arrow = schema.to_arrow()
    assert arrow.names == schema.field_names
    for field, arrow_field in zip(schema.fields, arrow, strict=True):
        required = field.get("constraints", {}).get("required", False)
        assert arrow_field.nullable is not required
        assert arrow_field.metadata[b"description"].decode() == field["description"]
        if "enum" in field.get("constraints", {}):
            assert pa.types.is_dictionary(arrow_field.type)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_keys_resolve(name: str) -> None:
    schema = load_schema(name)
    assert schema.primary_key and set(schema.primary_key) <= set(schema.field_names)
    for name_in_key in schema.primary_key:
        field = next(f for f in schema.fields if f["name"] == name_in_key)
        assert field["constraints"]["required"], name_in_key
    for foreign in schema.descriptor.get("foreignKeys", []):
        assert set(foreign["fields"]) <= set(schema.field_names)
        target = load_schema(foreign["reference"]["resource"])
        assert foreign["reference"]["fields"] == target.primary_key


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_examples_satisfy_their_constraints(name: str) -> None:
    for field in load_schema(name).fields:
        constraints, text = field.get("constraints", {}), field["example"]
        # Table Schema v2: an example is written as it appears in the CSV.
        assert isinstance(text, str), field["name"]
        example: Any = {"integer": int, "number": float}.get(field["type"], str)(text)
        if field["type"] == "boolean":
            assert text in ("true", "false"), field["name"]
        if "pattern" in constraints:
            assert re.fullmatch(constraints["pattern"], example), field["name"]
        if "enum" in constraints:
            assert example in constraints["enum"], field["name"]
        if "minimum" in constraints:
            assert example >= constraints["minimum"], field["name"]
        if "maximum" in constraints:
            assert example <= constraints["maximum"], field["name"]


def test_closed_vocabularies_and_codes_are_constrained() -> None:
    def constraints(table: str, field: str) -> dict[str, object]:
        schema = load_schema(table)
        found: dict[str, object] = next(f for f in schema.fields if f["name"] == field).get(
            "constraints", {}
        )
        return found

    for table, field in [
        ("practices", "section"),
        ("practice_institutions", "role"),
        ("practice_states", "relation"),
        ("institutions", "kind"),
        ("practice_links", "source"),
    ]:
        assert "enum" in constraints(table, field), (table, field)
    for table, field in [
        ("practices", "state_code"),
        ("states", "state_code"),
        ("states", "inegi_code"),
        ("countries", "country_code"),
        ("countries", "alpha_2"),
        ("practice_countries", "country_code"),
        ("practices", "practice_id"),
    ]:
        assert "pattern" in constraints(table, field), (table, field)
    objective = constraints("practices", "objective_id")
    assert (objective["minimum"], objective["maximum"]) == (1, 23)


def test_every_relation_table_points_at_practices() -> None:
    for name in TABLE_NAMES:
        schema = load_schema(name)
        if "practice_id" in schema.field_names and name != "practices":
            targets = {
                foreign["reference"]["resource"] for foreign in schema.descriptor["foreignKeys"]
            }
            assert "practices" in targets, name
