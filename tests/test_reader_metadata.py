"""What each reader shows of the package's own description: the descriptions, types,
nullability, keys and closed vocabularies of the Table Schemas, read back with the readers
themselves (pyarrow, pandas, polars, DuckDB through the package's duckdb.sql, and Spark)."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from gcm_open.building import BuildResult
from gcm_open.package.database import build_database
from gcm_open.schemas import TABLE_NAMES, load_schema

_SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "number": "DOUBLE"}


def _enum_fields() -> list[tuple[str, str, list[str]]]:
    return [
        (name, field["name"], field["constraints"]["enum"])
        for name in TABLE_NAMES
        for field in load_schema(name).fields
        if "enum" in field.get("constraints", {})
    ]


def _comment(field: dict[str, Any]) -> str:
    return f"{field['description']} / {field['description_es']}"


@pytest.mark.parametrize(("table", "field", "levels"), _enum_fields())
def test_closed_vocabularies_carry_every_level_in_schema_order(
    built: BuildResult, table: str, field: str, levels: list[str]
) -> None:
    path = built.out_dir / "data" / f"{table}.parquet"
    column = pq.read_table(path).column(field)
    assert column.type.value_type == "string"
    assert [chunk.dictionary.to_pylist() for chunk in column.chunks] == [levels]
    assert list(pd.read_parquet(path)[field].cat.categories) == levels
    # polars reads a dictionary as a Categorical, which keeps no list of levels: the
    # schema's list makes it an Enum (as the README shows), and no value falls outside it.
    values = pl.read_parquet(path)[field]
    assert values.cast(pl.String).cast(pl.Enum(levels)).dtype == pl.Enum(levels)


@pytest.fixture(scope="module")
def database(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database that duckdb.sql builds, run by the DuckDB command's own engine in the
    package folder."""
    path = tmp_path_factory.mktemp("duckdb") / "gcm.duckdb"
    script = (built.out_dir / "duckdb.sql").read_text("utf-8")
    build_database(built.out_dir, path, script)
    return path


def test_duckdb_sql_gives_typed_keyed_described_tables(built: BuildResult, database: Path) -> None:
    with duckdb.connect(str(database), read_only=True) as connection:
        columns = {
            (table, column): (data_type, nullable, comment)
            for table, column, data_type, nullable, comment in connection.execute(
                "SELECT table_name, column_name, data_type, is_nullable, comment "
                "FROM duckdb_columns()"
            ).fetchall()
        }
        tables = dict(
            connection.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall()
        )
        keys = {
            (table, kind, tuple(names))
            for table, kind, names in connection.execute(
                "SELECT table_name, constraint_type, constraint_column_names "
                "FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')"
            ).fetchall()
        }
        counts = {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            for name in TABLE_NAMES
        }
    for name in TABLE_NAMES:
        schema = load_schema(name)
        assert counts[name] == (built.table_rows[name],)
        assert tables[name].startswith(schema.descriptor["description"])
        assert (name, "PRIMARY KEY", tuple(schema.primary_key)) in keys
        for foreign in schema.descriptor.get("foreignKeys", []):
            if foreign["reference"]["resource"] != name:
                assert (name, "FOREIGN KEY", tuple(foreign["fields"])) in keys
        for field in schema.fields:
            data_type, nullable, comment = columns[(name, field["name"])]
            constraints = field.get("constraints", {})
            if "enum" in constraints:
                enum = ", ".join(f"'{value}'" for value in constraints["enum"])
                assert data_type == f"ENUM({enum})"
            else:
                assert data_type == _SQL_TYPES[field["type"]]
            assert nullable is not bool(constraints.get("required"))
            assert comment == _comment(field)


def test_duckdb_refuses_data_that_break_a_key(built: BuildResult, tmp_path: Path) -> None:
    """The keys are real constraints: a practice whose objective does not exist stops the
    load with a clear error."""
    package = tmp_path / "package"
    shutil.copytree(built.out_dir, package)
    objectives = pq.read_table(package / "data" / "objectives.parquet")
    pq.write_table(objectives.slice(1), package / "data" / "objectives.parquet")
    script = (package / "duckdb.sql").read_text("utf-8")
    with pytest.raises(Exception, match="foreign key"):
        build_database(package, tmp_path / "gcm.duckdb", script)


@pytest.mark.slow
def test_spark_shows_descriptions_and_types(built: BuildResult) -> None:
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java: .ci/run installs Debian's default-jre-headless")
    pyspark_sql = pytest.importorskip("pyspark.sql")
    # Spark puts in a SIGINT handler of its own and leaves it: the tests of Ctrl-C that
    # follow need the default one back.
    interrupt_handler = signal.getsignal(signal.SIGINT)
    spark = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("gcm-open test")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    try:
        spark.sparkContext.setLogLevel("ERROR")
        schema = load_schema("practices")
        frame = spark.read.parquet(str(built.out_dir / "data" / "practices.parquet"))
        spark_types = {"string": "string", "integer": "bigint", "boolean": "boolean"}
        assert [f.name for f in frame.schema.fields] == schema.field_names
        for spark_field, field in zip(frame.schema.fields, schema.fields, strict=True):
            assert spark_field.metadata["comment"] == _comment(field)
            assert spark_field.dataType.simpleString() == spark_types[field["type"]]
        frame.createOrReplaceTempView("practices")
        described = spark.sql("DESCRIBE practices").collect()
        assert described[0].comment == _comment(schema.fields[0])
        # The CSV with the options the README gives: every row, multi-line texts whole.
        text = spark.read.options(header=True, multiLine=True, escape='"').csv(
            str(built.out_dir / "data" / "practices.csv"), schema=frame.schema
        )
        assert text.count() == built.table_rows["practices"]
        assert text.exceptAll(frame).count() == 0
    finally:
        spark.stop()
        signal.signal(signal.SIGINT, interrupt_handler)


@pytest.mark.slow
def test_datapackage_js_reads_every_csv_table_with_its_dialect(built: BuildResult) -> None:
    """The JavaScript reader guessed the delimiter of two tables wrongly while no dialect
    was declared; with it, every table comes out whole."""
    if shutil.which("npm") is None:
        pytest.skip("datapackage-js needs Node.js and npm")
    folder = Path(__file__).resolve().parent / "js"
    if not (folder / "node_modules" / "datapackage").is_dir():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder)],
            check=True,
            timeout=600,
        )
    result = subprocess.run(
        ["node", str(folder / "read_package.js"), str(built.out_dir / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr[-2000:]
