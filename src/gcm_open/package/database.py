"""The package as a documented DuckDB database.

``duckdb.sql``, shipped in every package, creates each table from its Table Schema (types,
closed vocabularies as ``ENUM``, ``NOT NULL``, primary and foreign keys), loads it from the
table's Parquet file (its CSV where it has none) and attaches the schema's descriptions as
comments, so that ``duckdb gcm.duckdb < duckdb.sql``, run in the package folder, gives a
database whose ``DESCRIBE`` and ``duckdb_columns()`` say what each column is.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gcm_open.errors import OutputError
from gcm_open.package.layout import DUCKDB_SCRIPT
from gcm_open.schemas import TableSchema

_SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "boolean": "BOOLEAN",
    "number": "DOUBLE",
    "date": "DATE",
}


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _described(item: Mapping[str, Any]) -> str:
    """The English and the Spanish description, as one comment."""
    parts = [item.get("description", ""), item.get("description_es", "")]
    return " / ".join(part for part in parts if part)


def _column(field: Mapping[str, Any]) -> str:
    constraints = field.get("constraints", {})
    if field["type"] == "string" and "enum" in constraints:
        sql_type = f"ENUM({', '.join(_literal(value) for value in constraints['enum'])})"
    else:
        sql_type = _SQL_TYPES[field["type"]]
    required = " NOT NULL" if constraints.get("required") else ""
    return f"  {_identifier(field['name'])} {sql_type}{required}"


def _as_list(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else fields


def _keys(fields: str | list[str]) -> str:
    return ", ".join(_identifier(name) for name in _as_list(fields))


def _in_reference_order(schemas: Mapping[str, TableSchema]) -> list[str]:
    """Table names with every table after the tables its foreign keys refer to."""
    graph: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name, schema in schemas.items():
        graph.add(name)
        for foreign in schema.descriptor.get("foreignKeys", []):
            target = foreign["reference"].get("resource") or name
            if target != name:
                graph.add(name, target)
    order = list(graph.static_order())
    return [name for name in order if name in schemas]


def _reading(path: str) -> str:
    """The SQL that reads a table's file: Parquet as it is typed, CSV as text for the
    table's column types to read (DuckDB would guess "01" to be a number)."""
    if path.endswith(".parquet"):
        return f"read_parquet({_literal(path)})"
    return f"read_csv({_literal(path)}, header = true, all_varchar = true)"


def duckdb_script(
    schemas: Mapping[str, TableSchema], package_name: str, files: Mapping[str, str]
) -> str:
    """The SQL that builds the package's DuckDB database, each table read from its file
    in ``files`` (by table name; the Parquet file where there is one)."""
    lines = [
        f"-- {package_name}: every table of the package, typed, keyed and described.",
        f"-- In the package folder: duckdb {package_name}.duckdb < {DUCKDB_SCRIPT}",
        "",
    ]
    for name in _in_reference_order(schemas):
        descriptor = schemas[name].descriptor
        body = [_column(field) for field in descriptor["fields"]]
        if descriptor.get("primaryKey"):
            body.append(f"  PRIMARY KEY ({_keys(descriptor['primaryKey'])})")
        notes = []
        for foreign in descriptor.get("foreignKeys", []):
            target = foreign["reference"].get("resource") or name
            if target == name:
                # DuckDB checks a row's key against the rows already inserted, so a table
                # whose rows refer to later rows cannot be loaded with the key declared.
                notes.append(
                    f"-- {name}.{', '.join(_as_list(foreign['fields']))} refers to "
                    f"{name} itself: not declared here, checked by gcm-open validate."
                )
                continue
            body.append(
                f"  FOREIGN KEY ({_keys(foreign['fields'])}) REFERENCES "
                f"{_identifier(target)} ({_keys(foreign['reference']['fields'])})"
            )
        columns = ", ".join(_identifier(field["name"]) for field in descriptor["fields"])
        lines += [
            *notes,
            f"CREATE TABLE {_identifier(name)} (",
            ",\n".join(body),
            ");",
            f"INSERT INTO {_identifier(name)} ({columns})",
            f"  SELECT {columns} FROM {_reading(files[name])};",
            f"COMMENT ON TABLE {_identifier(name)} IS {_literal(_described(descriptor))};",
        ]
        lines += [
            f"COMMENT ON COLUMN {_identifier(name)}.{_identifier(field['name'])} IS "
            f"{_literal(_described(field))};"
            for field in descriptor["fields"]
        ]
        lines.append("")
    return "\n".join(lines)


def build_database(package: Path, database: Path, script: str) -> None:
    """Run ``script`` (the package's :func:`duckdb_script`) in ``package`` into a new
    database file.

    Raises :class:`OutputError` when DuckDB refuses the script or the data.
    """
    # Imported here: only publishing builds a database, and the import takes a sixth of a
    # second that every build and validate would pay.
    import duckdb  # noqa: PLC0415

    try:
        connection = duckdb.connect(str(database))
        try:
            # One thread: the same data then give the same database contents.
            connection.execute("SET threads = 1")
            connection.execute(f"SET file_search_path = {_literal(str(package))}")
            connection.execute(script)
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
    except duckdb.Error as error:
        first = str(error).splitlines()[0]
        raise OutputError(
            f"{package / DUCKDB_SCRIPT}: DuckDB cannot build the database ({first})"
        ) from None
