"""Synthetic gcm-open packages of any size the Table Schemas allow, valid under them and
under the rules of this dataset, and copies with seeded defects, for benchmarks and
differential tests of validators.

A package holds the real ``objectives`` and ``states`` tables of a built package and a
``practices`` table of N generated rows (many editions, both sections, every objective),
as CSV and Parquet, with sizes and sha256 hashes in its descriptor. The rows are made and
written in chunks, so that memory stays flat whatever N is.

How many valid practices can exist is fixed by the schemas and the id rule: a practice id
is ``EEEE-S-OO-NN`` (edition, section letter, objective, number as printed) and must match
the ``practice_id`` pattern; numbers run 1..K in every edition, section and objective. So
at most editions x sections x objectives x (largest number the pattern allows) rows:
101 x 2 x 23 x 999 = 4,641,354 with the schemas of today. A larger package (the
benchmark's 10M rows) carries its own copy of the practices schema in which the number in
an id may have four digits, and says so in its description: every check is the same, on
ids one digit longer.

    python scripts/synthetic_package.py OUT_DIR ROWS [--defects] [--reference DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# The gcm-open id rule: the letter of each section in a practice id.
SECTION_LETTERS = {"federal": "F", "state": "S"}
# Rows where the seeded copy carries a defect, and what each defect is. Rows are 1-based
# DATA rows (the first row after the header is 1); validators that count the header as
# row 1, as frictionless does, report each of them one higher.
DEFECT_ROWS = {
    10: ("objective_id", "siete", "type-error"),
    20: ("practice_id", None, "primary-key"),  # the id of the row above
    30: ("state_code", "MX-ZZZ", "foreign-key"),
    40: ("section", "regional", "enum"),
    50: ("title", None, "required"),
}
# Rows made and written at a time: a chunk is a few hundred MB in memory at most.
CHUNK_ROWS = 250_000
TABLES = ("objectives", "states", "practices")


class TooManyRowsError(ValueError):
    """More practices were asked for than the schemas allow to be valid."""


@dataclass(frozen=True)
class Layout:
    """Where rows can sit: every edition, section and objective the schemas allow, and
    the largest number a practice id can carry."""

    editions: range
    sections: tuple[str, ...]
    objectives: tuple[int, ...]
    max_number: int
    state_codes: tuple[str, ...]

    @property
    def blocks(self) -> int:
        """Groups (edition, section, objective), each numbered 1..K on its own."""
        return len(self.editions) * len(self.sections) * len(self.objectives)

    @property
    def max_rows(self) -> int:
        return self.blocks * self.max_number


def layout(reference: Path, practices_schema: dict[str, Any] | None = None) -> Layout:
    """The layout the Table Schemas of ``reference`` (a built package) allow, or its
    tables with ``practices_schema`` instead of its own.

    Editions from the bounds of ``edition``, sections from the enum of ``section``,
    objectives and states from the tables the foreign keys point to, and the largest
    number as the largest 99...9 whose id still matches the ``practice_id`` pattern.
    """
    schema = practices_schema or json.loads(
        (reference / "schemas" / "practices.json").read_text("utf-8")
    )
    fields = {field["name"]: field.get("constraints", {}) for field in schema["fields"]}
    editions = range(fields["edition"]["minimum"], fields["edition"]["maximum"] + 1)
    sections = tuple(fields["section"]["enum"])
    objectives = tuple(_column(reference, "objectives", "objective_id", pa.int64()))
    states = tuple(_column(reference, "states", "state_code", pa.string()))
    pattern = re.compile(fields["practice_id"]["pattern"])
    max_number = 0
    for digits in range(1, 10):
        number = 10**digits - 1
        letter = SECTION_LETTERS[sections[0]]
        if not pattern.fullmatch(_practice_id(editions[0], letter, objectives[0], number)):
            break
        max_number = number
    return Layout(editions, sections, objectives, max_number, states)


# The number in a practice id as the schema prints it, and as a package past the
# schema's capacity widens it.
_ID_NUMBER, _WIDE_ID_NUMBER = "[0-9]{2,3}$", "[0-9]{2,4}$"


def widened_schema(reference: Path) -> dict[str, Any]:
    """The practices schema of ``reference`` with four-digit numbers allowed in ids."""
    schema: dict[str, Any] = json.loads(
        (reference / "schemas" / "practices.json").read_text("utf-8")
    )
    for field in schema["fields"]:
        if field["name"] == "practice_id":
            pattern = field["constraints"]["pattern"]
            if not pattern.endswith(_ID_NUMBER):
                raise TooManyRowsError(f"the practice_id pattern {pattern!r} cannot be widened")
            field["constraints"]["pattern"] = pattern.removesuffix(_ID_NUMBER) + _WIDE_ID_NUMBER
        if field["name"] == "number" and "maximum" in field.get("constraints", {}):
            field["constraints"]["maximum"] = 9999
    schema["description"] = (
        f"{schema.get('description', '')} Synthetic: numbers in ids may have four digits, "
        "for a package larger than the schema admits."
    ).strip()
    return schema


def capacity(reference: Path) -> int:
    """How many valid practices a synthetic package can have."""
    return layout(reference).max_rows


def _column(reference: Path, table: str, name: str, kind: pa.DataType) -> list[Any]:
    convert = pacsv.ConvertOptions(column_types={name: kind}, include_columns=[name])
    return pacsv.read_csv(reference / "data" / f"{table}.csv", convert_options=convert)[
        name
    ].to_pylist()


def _practice_id(edition: int, letter: str, objective: int, number: int) -> str:
    # The one place of the id format in this script (the validator applies the same).
    return f"{edition}-{letter}-{objective:02d}-{number:02d}"


def practices_chunks(
    rows: int, places: Layout, schema: pa.Schema, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pa.Table]:
    """``rows`` valid practices in tables of ``chunk_rows``, with the Arrow ``schema``.

    The rows fill the blocks in order, the same count K in each (the last one fewer),
    numbered 1..K, so that the fewest editions are used for the numbers the id allows.
    """
    _check_capacity(rows, places)
    per_block = max(1, math.ceil(rows / places.blocks))
    for start in range(0, rows, chunk_rows):
        yield _chunk(range(start, min(rows, start + chunk_rows)), per_block, places, schema)


def _check_capacity(rows: int, places: Layout) -> None:
    if rows > places.max_rows:
        raise TooManyRowsError(
            f"{rows} practices asked for, but the schemas allow at most {places.max_rows} valid "
            f"ones: {len(places.editions)} editions x {len(places.sections)} sections x "
            f"{len(places.objectives)} objectives x numbers 1..{places.max_number} (the "
            "practice_id pattern); widen the edition range or the number in the pattern first"
        )


def _chunk(indices: range, per_block: int, places: Layout, schema: pa.Schema) -> pa.Table:
    index = pa.array(indices, pa.int64())
    block = pc.divide(index, per_block)
    number = pc.add(pc.subtract(index, pc.multiply(block, per_block)), 1)
    objective = pc.take(
        pa.array(places.objectives, pa.int64()), _mod(block, len(places.objectives))
    )
    section_index = _mod(pc.divide(block, len(places.objectives)), len(places.sections))
    edition = pc.add(
        pc.divide(block, len(places.objectives) * len(places.sections)), places.editions[0]
    )
    section = pc.take(pa.array(places.sections), section_index)
    letter = pc.take(pa.array([SECTION_LETTERS[name] for name in places.sections]), section_index)
    state = pc.equal(section, "state")
    state_code = pc.if_else(
        state,
        pc.take(pa.array(places.state_codes), _mod(index, len(places.state_codes))),
        pa.scalar(None, pa.string()),
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
    arrays = []
    for field in schema:
        column = columns[field.name]
        arrays.append(
            pc.cast(column, field.type.value_type).dictionary_encode()
            if pa.types.is_dictionary(field.type)
            else pc.cast(column, field.type)
        )
    return pa.Table.from_arrays(arrays, schema=schema)


def _mod(values: Any, divisor: int) -> Any:
    return pc.subtract(values, pc.multiply(pc.divide(values, divisor), divisor))


def _as_strings(table: pa.Table) -> pa.Table:
    columns = []
    for column in table.columns:
        plain = (
            column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
        )
        columns.append(pc.cast(plain, pa.string()))
    return pa.table(columns, names=table.column_names)


def _seed_defects(table: pa.Table, first_row: int) -> pa.Table:
    """The chunk as strings, with the defects of DEFECT_ROWS that fall in it.

    ``first_row`` is the 1-based data row of the chunk's first row.
    """
    strings = _as_strings(table)
    for row, (name, value, _code) in DEFECT_ROWS.items():
        at = row - first_row
        if not 0 <= at < strings.num_rows:
            continue
        # A duplicate key copies the id of the row above, so that row must be here too.
        if name == "practice_id" and at == 0:
            raise ValueError(f"defect row {row} needs the row above it in the same chunk")
        values = strings.column(name).to_pylist()
        values[at] = values[at - 1] if name == "practice_id" else value
        index = strings.column_names.index(name)
        strings = strings.set_column(index, name, pa.array(values, pa.string()))
    return strings


def _describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def package_name(rows: int, *, defects: bool) -> str:
    """The descriptor ``name`` of a synthetic package: says what it holds, for reuse."""
    return f"gcm-open-synthetic-{rows}" + ("-seeded" if defects else "")


def is_complete(directory: Path, rows: int, *, defects: bool = False) -> bool:
    """Whether ``directory`` holds a finished synthetic package of this kind and size.

    The descriptor is written last, so a generation that stopped half-way has none; the
    file sizes catch a data file changed or cut since.
    """
    try:
        descriptor = json.loads((directory / "datapackage.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if descriptor.get("name") != package_name(rows, defects=defects):
        return False
    for resource in descriptor.get("resources", []):
        path = directory / resource["path"]
        if not path.is_file() or path.stat().st_size != resource.get("bytes"):
            return False
    return True


def build_reference(out: Path) -> Path:
    """Build the real package into ``out``; its directory."""
    try:
        from gcm_open.building import build
    except ImportError:
        # The rewrite may rename the module; the package exports the function too.
        from gcm_open import build
    return Path(build(out=out).out_dir)


def make_package(
    directory: Path, rows: int, *, defects: bool = False, reference: Path | None = None
) -> Path:
    """Write a synthetic package of ``rows`` practices to ``directory``, replacing it.

    With ``defects``, practices.csv carries the defects of DEFECT_ROWS and the package has
    no Parquet files (their values would disagree too). ``reference`` is a built package
    to take objectives, states and the schemas from (built when not given). Raises
    :class:`TooManyRowsError` above :func:`capacity`.
    """
    if defects and rows < max(DEFECT_ROWS):
        raise ValueError(f"a seeded copy needs at least {max(DEFECT_ROWS)} rows, not {rows}")
    if reference is None:
        reference = build_reference(directory.parent / f".{directory.name}-reference")
    places, practices_schema = layout(reference), None
    if rows > places.max_rows:
        practices_schema = widened_schema(reference)
        places = layout(reference, practices_schema)
    # Refused before anything is removed or written.
    _check_capacity(rows, places)
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "data").mkdir(parents=True)
    (directory / "schemas").mkdir()
    for name in TABLES:
        shutil.copy(reference / "schemas" / f"{name}.json", directory / "schemas" / f"{name}.json")
        if name == "practices" and practices_schema is not None:
            (directory / "schemas" / f"{name}.json").write_text(
                json.dumps(practices_schema, ensure_ascii=False, indent=2), "utf-8"
            )
        if name != "practices":
            shutil.copy(reference / "data" / f"{name}.csv", directory / "data" / f"{name}.csv")
            if not defects:
                shutil.copy(
                    reference / "data" / f"{name}.parquet", directory / "data" / f"{name}.parquet"
                )
    _write_practices(directory, rows, places, reference, defects=defects)
    resources = []
    for name in TABLES:
        csv_path = f"data/{name}.csv"
        count = pq.read_metadata(reference / "data" / f"{name}.parquet").num_rows
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": csv_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": f"schemas/{name}.json",
                "rows": rows if name == "practices" else count,
                **_describe(directory / csv_path),
            }
        )
        if not defects:
            parquet_path = f"data/{name}.parquet"
            resources.append(
                {
                    "name": f"{name}-parquet",
                    "type": "file",
                    "path": parquet_path,
                    "format": "parquet",
                    "mediatype": "application/vnd.apache.parquet",
                    "table": name,
                    "tableSchema": f"schemas/{name}.json",
                    **_describe(directory / parquet_path),
                }
            )
    descriptor = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": package_name(rows, defects=defects),
        "version": "0.0.0",
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2), "utf-8")
    return directory


def _write_practices(
    directory: Path, rows: int, places: Layout, reference: Path, *, defects: bool
) -> None:
    # The Arrow schema of the real Parquet file, metadata and dictionaries included, so
    # that the synthetic one differs from it only in its rows.
    schema = pq.read_schema(reference / "data" / "practices.parquet")
    csv_schema = (
        pa.schema([pa.field(field.name, pa.string()) for field in schema]) if defects else schema
    )
    options = pacsv.WriteOptions(quoting_style="needed")
    parquet_path = directory / "data" / "practices.parquet"
    parquet = None if defects else pq.ParquetWriter(parquet_path, schema, compression="snappy")
    try:
        with pacsv.CSVWriter(
            directory / "data" / "practices.csv", csv_schema, write_options=options
        ) as csv:
            first_row = 1
            for chunk in practices_chunks(rows, places, schema):
                if parquet is not None:
                    parquet.write_table(chunk)
                csv.write_table(_seed_defects(chunk, first_row) if defects else chunk)
                first_row += chunk.num_rows
    finally:
        if parquet is not None:
            parquet.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("rows", type=int)
    parser.add_argument("--defects", action="store_true")
    parser.add_argument("--reference", type=Path, help="a built package (built when not given)")
    arguments = parser.parse_args()
    try:
        directory = make_package(
            arguments.out, arguments.rows, defects=arguments.defects, reference=arguments.reference
        )
    except TooManyRowsError as error:
        sys.exit(f"error: {error}")
    print(directory)


if __name__ == "__main__":
    main()
