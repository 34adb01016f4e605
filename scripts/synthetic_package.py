"""Synthetic gcm-open packages of any size, valid under the real Table Schemas, and copies
with seeded defects, for benchmarks and differential tests of validators.

A package holds the real ``objectives`` and ``states`` tables of a built package and a
``practices`` table of N generated rows (many editions, both sections, every objective),
as CSV and Parquet, with sizes and sha256 hashes in its descriptor.

    python scripts/synthetic_package.py OUT_DIR ROWS [--defects]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from gcm_open.build import build
from gcm_open.reference import inegi_states
from gcm_open.schemas import load_schema

FIRST_EDITION, EDITIONS = 2000, 101
SECTIONS, OBJECTIVES = ("federal", "state"), 23
# Rows where the seeded copy carries a defect, and what each defect is.
DEFECT_ROWS = {
    10: ("objective_id", "siete", "type-error"),
    20: ("practice_id", None, "primary-key"),  # the id of the row above
    30: ("state_code", "MX-ZZZ", "foreign-key"),
    40: ("section", "regional", "enum"),
    50: ("title", None, "required"),
}


def practices_table(rows: int) -> pa.Table:
    """``rows`` valid practices: numbering 1..K in every edition, section and objective."""
    per_block = max(1, math.ceil(rows / (EDITIONS * len(SECTIONS) * OBJECTIVES)))
    index = pa.array(range(rows), pa.int64())
    block = pc.divide(index, per_block)
    number = pc.add(pc.subtract(index, pc.multiply(block, per_block)), 1)
    objective = pc.add(_mod(block, OBJECTIVES), 1)
    section_index = _mod(pc.divide(block, OBJECTIVES), len(SECTIONS))
    edition = pc.add(pc.divide(block, OBJECTIVES * len(SECTIONS)), FIRST_EDITION)
    state = pc.equal(section_index, 1)
    section = pc.if_else(state, "state", "federal")
    letter = pc.if_else(state, "S", "F")
    codes = [code for _inegi, code, _name in inegi_states()]
    state_code = pc.if_else(
        state, pc.take(pa.array(codes), _mod(index, len(codes))), pa.scalar(None, pa.string())
    )
    text_index = pc.cast(index, pa.string())
    practice_id = pc.binary_join_element_wise(
        pc.cast(edition, pa.string()),
        letter,
        pc.utf8_lpad(pc.cast(objective, pa.string()), 2, "0"),
        pc.utf8_lpad(pc.cast(number, pa.string()), 2, "0"),
        "-",
    )
    every_tenth = pc.equal(_mod(index, 10), 0)
    challenges = pc.if_else(
        every_tenth,
        pa.scalar(None, pa.string()),
        pc.binary_join_element_wise("Reto sintético número", text_index, " "),
    )
    columns: dict[str, Any] = {
        "practice_id": practice_id,
        "edition": edition,
        "section": section,
        "objective_id": objective,
        "number": number,
        "title": pc.binary_join_element_wise("Práctica sintética", text_index, " "),
        "lead_label": pc.if_else(state, "Gobierno del estado", "SRE"),
        "state_code": state_code,
        "description": pc.binary_join_element_wise(
            "Descripción generada para medir la validación de paquetes grandes; fila",
            text_index,
            " ",
        ),
        "results": pc.binary_join_element_wise("Resultados de la fila", text_index, " "),
        "challenges": challenges,
        "challenges_reported": pc.invert(every_tenth),
        "page_start": pc.add(_mod(index, 200), 1),
        "page_end": pc.add(_mod(index, 200), 2),
        "line_start": pc.add(pc.multiply(index, 10), 1),
        "line_end": pc.add(pc.multiply(index, 10), 9),
    }
    schema = load_schema("practices").to_arrow()
    arrays = []
    for field in schema:
        column = columns[field.name]
        arrays.append(
            column.dictionary_encode()
            if pa.types.is_dictionary(field.type)
            else pc.cast(column, field.type)
        )
    return pa.Table.from_arrays(arrays, schema=schema)


def _mod(values: Any, divisor: int) -> Any:
    return pc.subtract(values, pc.multiply(pc.divide(values, divisor), divisor))


def _seed_defects(table: pa.Table) -> pa.Table:
    """The table as strings, with the defects of DEFECT_ROWS (1-based data rows)."""
    strings: dict[str, list[Any]] = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        strings[name] = pc.cast(column, pa.string()).to_pylist()
    for row, (name, value, _code) in DEFECT_ROWS.items():
        # A duplicate key copies the id of the row above.
        strings[name][row - 1] = strings[name][row - 2] if name == "practice_id" else value
    return pa.table({name: pa.array(values, pa.string()) for name, values in strings.items()})


def _describe(directory: Path, relative: str) -> dict[str, Any]:
    data_path = directory / relative
    digest = hashlib.sha256()
    with data_path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            digest.update(chunk)
    return {"bytes": data_path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def make_package(
    directory: Path, rows: int, *, defects: bool = False, reference: Path | None = None
) -> Path:
    """Write a synthetic package of ``rows`` practices to ``directory``.

    With ``defects``, practices.csv carries the defects of DEFECT_ROWS and the package has
    no Parquet files (their values would disagree too). ``reference`` is a built package
    to take objectives and states from (built when not given).
    """
    if reference is None:
        reference = build(out=directory.parent / f".{directory.name}-reference").out_dir
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "data").mkdir(parents=True)
    (directory / "schemas").mkdir()
    table = practices_table(rows)
    resources = []
    for name in ("objectives", "states", "practices"):
        shutil.copy(reference / "schemas" / f"{name}.json", directory / "schemas" / f"{name}.json")
        csv_path = f"data/{name}.csv"
        if name == "practices":
            written = _seed_defects(table) if defects else table
            pacsv.write_csv(
                written, directory / csv_path, pacsv.WriteOptions(quoting_style="needed")
            )
        else:
            shutil.copy(reference / csv_path, directory / csv_path)
        count = (
            table.num_rows
            if name == "practices"
            else pq.read_metadata(reference / "data" / f"{name}.parquet").num_rows
        )
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": csv_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": f"schemas/{name}.json",
                "rows": count,
                **_describe(directory, csv_path),
            }
        )
        if not defects:
            parquet_path = f"data/{name}.parquet"
            if name == "practices":
                pq.write_table(table, directory / parquet_path, compression="snappy")
            else:
                shutil.copy(reference / parquet_path, directory / parquet_path)
            resources.append(
                {
                    "name": f"{name}-parquet",
                    "type": "file",
                    "path": parquet_path,
                    "format": "parquet",
                    "mediatype": "application/vnd.apache.parquet",
                    "table": name,
                    "tableSchema": f"schemas/{name}.json",
                    **_describe(directory, parquet_path),
                }
            )
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"gcm-open-synthetic-{rows}",
        "version": "0.0.0",
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2), "utf-8")
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("--defects", action="store_true")
    arguments = parser.parse_args()
    print(make_package(arguments.out, arguments.rows, defects=arguments.defects))


if __name__ == "__main__":
    main()
