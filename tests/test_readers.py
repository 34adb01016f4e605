"""Every Parquet file read by pyarrow, pandas, polars and DuckDB equals its CSV, value by value."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from gcm_open.building import BuildResult
from gcm_open.schemas import TABLE_NAMES, TableSchema, load_schema


def _csv_rows(path: Path, schema: TableSchema) -> list[tuple[Any, ...]]:
    types = {field["name"]: field["type"] for field in schema.fields}
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values: list[Any] = []
            for name in schema.field_names:
                text = row[name]
                if text == "":
                    values.append(None)
                elif types[name] == "integer":
                    values.append(int(text))
                elif types[name] == "number":
                    values.append(float(text))
                elif types[name] == "boolean":
                    values.append({"true": True, "false": False}[text])
                else:
                    values.append(text)
            rows.append(tuple(values))
    return rows


def _plain(value: Any) -> Any:
    """A value as plain Python: None for every kind of missing, int for numpy integers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@pytest.fixture(scope="module", params=TABLE_NAMES)
def table(
    request: pytest.FixtureRequest, built: BuildResult
) -> tuple[TableSchema, Path, list[tuple[Any, ...]]]:
    name = request.param
    schema = load_schema(name)
    expected = _csv_rows(built.out_dir / "data" / f"{name}.csv", schema)
    assert len(expected) == built.table_rows[name]
    return schema, built.out_dir / "data" / f"{name}.parquet", expected


def _enums(schema: TableSchema) -> list[str]:
    return [f["name"] for f in schema.fields if "enum" in f.get("constraints", {})]


def test_pyarrow(table: tuple[TableSchema, Path, list[tuple[Any, ...]]]) -> None:
    schema, path, expected = table
    rows = pq.read_table(path).to_pylist()
    assert [tuple(row[name] for name in schema.field_names) for row in rows] == expected


def test_pandas_with_categoricals_for_enums(
    table: tuple[TableSchema, Path, list[tuple[Any, ...]]],
) -> None:
    schema, path, expected = table
    frame = pd.read_parquet(path)
    assert list(frame.columns) == schema.field_names
    for name in _enums(schema):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    rows = [tuple(_plain(value) for value in row) for row in frame.itertuples(index=False)]
    assert rows == expected


def test_polars(table: tuple[TableSchema, Path, list[tuple[Any, ...]]]) -> None:
    schema, path, expected = table
    frame = pl.read_parquet(path)
    assert frame.columns == schema.field_names
    for name in _enums(schema):
        assert frame.schema[name] == pl.Categorical, name
    assert [tuple(row.values()) for row in frame.to_dicts()] == expected


def test_duckdb(table: tuple[TableSchema, Path, list[tuple[Any, ...]]]) -> None:
    schema, path, expected = table
    with duckdb.connect() as connection:
        rows = connection.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
        metadata = dict(
            connection.execute(
                "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(path)]
            ).fetchall()
        )
    assert rows == expected
    assert json.loads(metadata["frictionless:schema"]) == schema.descriptor


def test_parquet_uses_a_codec_every_reader_has(built: BuildResult) -> None:
    for name in TABLE_NAMES:
        metadata = pq.ParquetFile(built.out_dir / "data" / f"{name}.parquet").metadata
        codecs = {
            metadata.row_group(group).column(column).compression
            for group in range(metadata.num_row_groups)
            for column in range(metadata.num_columns)
        }
        assert codecs == {"SNAPPY"}, name
