"""Table Schemas: the single definition of every table, and what is derived from them.

``schemas/<table>.json`` (shipped inside the package as ``gcm_open/schemas``) declares each
table's fields, types, constraints and keys. The Arrow schema used by the writers, the
column order of the CSV files and the documentation are all computed from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from gcm_open.errors import SchemaError

# The tables of a package, in the order they are written and described.
TABLE_NAMES = (
    "objectives",
    "practices",
    "institutions",
    "institution_aliases",
    "practice_institutions",
    "states",
    "practice_states",
    "countries",
    "practice_countries",
    "populations",
    "practice_populations",
    "footnotes",
    "practice_links",
    "practice_figures",
)

# The key of a Parquet file's metadata where Spark keeps the Spark schema of its rows.
SPARK_ROW_METADATA = "org.apache.spark.sql.parquet.row.metadata"
_SPARK_TYPES = {
    "string": "string",
    "integer": "long",
    "boolean": "boolean",
    "number": "double",
    "date": "date",
}
_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "number": pa.float64(),
    "date": pa.date32(),
}


@dataclass(frozen=True)
class TableSchema:
    """A parsed Table Schema and the file it was read from."""

    name: str
    descriptor: dict[str, Any]
    path: Path

    @property
    def fields(self) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = self.descriptor["fields"]
        return fields

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    def enum(self, field_name: str) -> tuple[str, ...]:
        """The values a field's ``enum`` allows, in the schema's order."""
        for field in self.fields:
            if field["name"] == field_name:
                return tuple(field.get("constraints", {}).get("enum", ()))
        raise SchemaError(f"{self.path}: no field {field_name!r}")

    @property
    def primary_key(self) -> list[str]:
        key: list[str] = self.descriptor.get("primaryKey", [])
        return key

    def to_arrow(self) -> pa.Schema:
        """The Arrow schema of the table: closed vocabularies as dictionaries, descriptions
        in the field metadata and the whole Table Schema in the schema metadata."""
        arrow_fields = []
        for field in self.fields:
            constraints = field.get("constraints", {})
            arrow_type = _ARROW_TYPES.get(field["type"])
            if arrow_type is None:
                raise SchemaError(
                    f"{self.path}: field {field['name']} has type {field['type']!r}, "
                    f"which gcm-open cannot write (known: {', '.join(_ARROW_TYPES)})"
                )
            if field["type"] == "string" and "enum" in constraints:
                arrow_type = pa.dictionary(pa.int32(), pa.string())
            metadata = {
                "description": field.get("description", ""),
                "description_es": field.get("description_es", ""),
            }
            arrow_fields.append(
                pa.field(
                    field["name"],
                    arrow_type,
                    nullable=not constraints.get("required", False),
                    metadata=metadata,
                )
            )
        return pa.schema(
            arrow_fields,
            metadata={
                "frictionless:schema": canonical_json(self.descriptor),
                SPARK_ROW_METADATA: canonical_json(self.spark_schema()),
            },
        )

    def spark_schema(self) -> dict[str, Any]:
        """The table as a Spark SQL struct type (JSON form), each field's description in
        its ``comment``: Spark reads this from a Parquet file's key-value metadata, and
        ``DESCRIBE`` and ``df.schema`` then show the descriptions."""
        fields = []
        for field in self.fields:
            comment = " / ".join(
                text for text in (field.get("description"), field.get("description_es")) if text
            )
            fields.append(
                {
                    "name": field["name"],
                    "type": _SPARK_TYPES[field["type"]],
                    "nullable": not field.get("constraints", {}).get("required", False),
                    "metadata": {"comment": comment},
                }
            )
        return {"type": "struct", "fields": fields}


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def schema_dir() -> Path:
    """The directory of the Table Schemas shipped with gcm-open."""
    return Path(str(resources.files("gcm_open").joinpath("schemas")))


@cache
def load_schema(name: str) -> TableSchema:
    """Load ``schemas/<name>.json``; raise :class:`SchemaError` when it is missing or broken.

    >>> load_schema("practices").primary_key
    ['practice_id']
    """
    path = schema_dir() / f"{name}.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"{path}: no Table Schema for table {name!r}") from None
    except json.JSONDecodeError as error:
        raise SchemaError(f"{path}:{error.lineno}: invalid JSON ({error.msg})") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
        raise SchemaError(f"{path}: a Table Schema needs a list of fields")
    return TableSchema(name=name, descriptor=descriptor, path=path)


def to_arrow_type_names(schema: pa.Schema) -> dict[str, str]:
    """Field name -> Arrow type name, for reports and tests."""
    return {field.name: str(field.type) for field in schema}
