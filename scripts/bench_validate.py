"""Time `gcm-open validate` against `frictionless validate` and a one-pass DuckDB baseline,
on the real package and on synthetic packages of 100k, 1M and 10M practices, with the
peak memory of each, and check that gcm-open and frictionless find the same defects in
copies with seeded defects.

Targets: on the real package no slower than frictionless; at 1M rows at least 10x faster
and under 1.5 GB of peak memory; the same defects found by both.

The DuckDB baseline runs, per table, one SQL query generated from its Table Schema (types,
required, enum, pattern, minimum, maximum, unique, primary key, foreign keys, row count)
and hashes every file in Python meanwhile, as gcm-open does: about the least a validator
of these checks has to do. It does not compare Parquet files with their CSV, check codes
or the dataset's own rules, which gcm-open does too.

A size above the 4.64M practices the real schemas admit (see scripts/synthetic_package.py)
gets a copy of the practices schema with four-digit numbers in ids; its line is marked
with "*". Packages are kept in --workdir and reused when complete.

    python scripts/bench_validate.py [--sizes 100000 1000000 10000000] [--runs 3]
        [--workdir /tmp/gcm-bench] [--frictionless-max-rows 1000000] [--python PATH]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_package import (
    DEFECT_ROWS,
    build_reference,
    capacity,
    is_complete,
    make_package,
)

# Our finding codes and the frictionless error type that reports the same defect, until
# gcm_open.validation.findings declares them with each code.
FRICTIONLESS_TYPES = {
    "type-error": "type-error",
    "required": "constraint-error",
    "enum": "constraint-error",
    "pattern": "constraint-error",
    "minimum": "constraint-error",
    "maximum": "constraint-error",
    "unique": "unique-error",
    "primary-key": "primary-key",
    "foreign-key": "foreign-key",
    "hash-mismatch": "hash-count",
    "bytes-mismatch": "byte-count",
}
# frictionless reads row by row in Python: minutes at 1M rows, so not run above.
FRICTIONLESS_MAX_ROWS = 1_000_000
# Above this many rows, frictionless runs once whatever --runs says.
FRICTIONLESS_ONE_RUN_ROWS = 500_000


# Runs a command and prints the peak memory of that command alone. Measured from this
# small process rather than from the benchmark, whose children would count the memory of
# the benchmark (it holds the synthetic tables) in their own peak.
_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb'), stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall time, peak memory (MB) and standard output of ``command``."""
    with tempfile.NamedTemporaryFile() as output:
        start = time.perf_counter()
        measured = subprocess.run(
            ["/usr/bin/env", "python3", "-c", _PEAK, output.name, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - start
        return elapsed, int(measured.stdout) / 1024, Path(output.name).read_text("utf-8", "replace")


def gcm_open(target: Path, python: Path) -> list[str]:
    return [str(python), "-m", "gcm_open", "validate", "--json", str(target)]


def frictionless(target: Path, python: Path) -> list[str]:
    executable = python.with_name("frictionless")
    return [str(executable), "validate", "--json", str(target / "datapackage.json")]


def duckdb_baseline(target: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--baseline", str(target)]


def timed(command: list[str], runs: int) -> tuple[float, float, str]:
    """Median time, largest peak memory and the last output of ``runs`` runs."""
    results = [run(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


# --- the same defects -----------------------------------------------------------------


def _frictionless_types() -> dict[str, str]:
    """Our code -> the frictionless error type of the same defect, codes without one left
    out: as the findings catalog declares where gcm-open has one, else the table above."""
    types: dict[str, str | None] = dict(FRICTIONLESS_TYPES)
    try:
        from gcm_open.validation.findings import CATALOG
    except ImportError:
        pass
    else:
        types.update({code: kind.frictionless for code, kind in CATALOG.items()})
    return {code: kind for code, kind in types.items() if kind is not None}


def _our_rows_count_the_header() -> bool:
    """Whether gcm-open numbers rows as frictionless does (the header is row 1).

    The findings of gcm_open.validation do; the engine before it, gcm_open.validate with a
    Finding class of its own, counted data rows from 1. While the rewrite is under way both
    modules exist, so what decides is whose Finding the validator reports with.
    """
    try:
        from gcm_open.validation.findings import Finding
    except ImportError:
        return False
    try:
        engine = importlib.import_module("gcm_open.validate")
    except ImportError:
        return True
    return getattr(engine, "Finding", Finding) is Finding


def defects_found_by_gcm_open(report: dict[str, Any]) -> set[tuple[int, str]]:
    """(data row, frictionless error type) of each row finding in practices.

    Data rows count from 1 at the first row after the header, as DEFECT_ROWS does.
    """
    types = _frictionless_types()
    shift = 1 if _our_rows_count_the_header() else 0
    return {
        (finding["row"] - shift, types[finding["code"]])
        for finding in report["findings"]
        if finding["row"] is not None
        and finding["code"] in types
        and finding["resource"] == "practices"
    }


def defects_found_by_frictionless(report: dict[str, Any]) -> set[tuple[int, str]]:
    """(data row, error type) of each row error in practices (frictionless counts the
    header as row 1)."""
    return {
        (error["rowNumber"] - 1, error["type"])
        for task in report["tasks"]
        if task["name"] == "practices"
        for error in task["errors"]
        if error.get("rowNumber")
    }


def compare_defects(directory: Path, python: Path) -> str:
    """'yes' when both validators find the same (row, kind) defects in a seeded copy,
    on exactly the rows of DEFECT_ROWS; else what differs, in frictionless row numbers."""
    ours = defects_found_by_gcm_open(json.loads(run(gcm_open(directory, python))[2]))
    theirs = defects_found_by_frictionless(json.loads(run(frictionless(directory, python))[2]))
    if ours == theirs and {row for row, _kind in ours} == set(DEFECT_ROWS):
        return "yes"

    def shown(found: set[tuple[int, str]]) -> str:
        return ",".join(f"{row + 1}:{kind}" for row, kind in sorted(found)) or "none"

    return f"NO (only ours {shown(ours - theirs)}; only frictionless {shown(theirs - ours)})"


# --- the DuckDB baseline --------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    return "'" + str(value).replace("'", "''") + "'"


_TRUE_VALUES = ("true", "True", "TRUE", "1")
_FALSE_VALUES = ("false", "False", "FALSE", "0")
# DuckDB's casts are lenient (TRY_CAST('1.5' AS BIGINT) is 2, '1e3' and '0x10' pass), so
# the syntax of Table Schema numbers is checked by pattern too, as gcm-open does.
_SYNTAX = {
    "integer": ("BIGINT", r"[+-]?[0-9]+"),
    "number": ("DOUBLE", r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"),
}


def _typed(field: dict[str, Any], alias: str) -> str:
    """The SQL of a field's value as its type; null where the text is not of the type."""
    column = f"{alias}.{_quote(field['name'])}"
    kind = field.get("type", "string")
    if kind in _SYNTAX:
        return f"TRY_CAST({column} AS {_SYNTAX[kind][0]})"
    if kind == "boolean":
        trues = ", ".join(map(_literal, field.get("trueValues", _TRUE_VALUES)))
        falses = ", ".join(map(_literal, field.get("falseValues", _FALSE_VALUES)))
        return (
            f"CASE WHEN {column} IN ({trues}) THEN true WHEN {column} IN ({falses}) THEN false END"
        )
    return column


def _read_csv(path: Path) -> str:
    # Every value as text, an empty cell null: the types are the query's to check.
    return (
        f"read_csv({_literal(path)}, all_varchar=true, header=true, delim=',', quote='\"', "
        "escape='\"', nullstr='')"
    )


def _count(what: str, condition: str) -> str:
    return f"count(*) FILTER (WHERE {condition}) AS {_quote(what)}"


def _field_checks(field: dict[str, Any]) -> list[str]:
    """The counts of a field's defects: type, required, enum, pattern, bounds, unique."""
    name, kind = field["name"], field.get("type", "string")
    column, typed = f"t.{_quote(name)}", _typed(field, "t")
    constraints = field.get("constraints", {})
    checks = []
    if kind in _SYNTAX:
        syntax = _literal(_SYNTAX[kind][1])
        checks.append(
            _count(
                f"type:{name}",
                f"{column} IS NOT NULL AND ({typed} IS NULL OR NOT "
                f"regexp_full_match({column}, {syntax}))",
            )
        )
    elif kind == "boolean":
        checks.append(_count(f"type:{name}", f"{column} IS NOT NULL AND {typed} IS NULL"))
    if constraints.get("required"):
        checks.append(_count(f"required:{name}", f"{column} IS NULL"))
    if "enum" in constraints:
        values = ", ".join(map(_literal, constraints["enum"]))
        checks.append(_count(f"enum:{name}", f"{column} NOT IN ({values})"))
    if "pattern" in constraints:
        pattern = _literal(constraints["pattern"])
        checks.append(_count(f"pattern:{name}", f"NOT regexp_full_match({column}, {pattern})"))
    for bound, operator in (("minimum", "<"), ("maximum", ">")):
        if bound in constraints and kind in _SYNTAX:
            checks.append(_count(f"{bound}:{name}", f"{typed} {operator} {constraints[bound]}"))
    if constraints.get("unique"):
        checks.append(f"count({typed}) - count(DISTINCT {typed}) AS {_quote('unique:' + name)}")
    return checks


def _as_list(value: str | list[str]) -> list[str]:
    return value if isinstance(value, list) else [value]


def table_sql(
    name: str, resources: dict[str, dict[str, Any]], schemas: dict[str, dict[str, Any]], root: Path
) -> str:
    """One query over table ``name`` that counts every kind of defect its schema rules out,
    each count a column named check:field.

    Each foreign key is a left join to the distinct keys of the table it references: a
    row with a key and no match is a defect.
    """
    schema = schemas[name]
    fields = {field["name"]: field for field in schema["fields"]}
    checks: list[str] = []
    if isinstance(resources[name].get("rows"), int):
        checks.append(f"abs(count(*) - {resources[name]['rows']}) AS {_quote('rows')}")
    for field in schema["fields"]:
        checks.extend(_field_checks(field))
    if schema.get("primaryKey"):
        parts = [_typed(fields[part], "t") for part in _as_list(schema["primaryKey"])]
        complete = " AND ".join(f"{part} IS NOT NULL" for part in parts)
        checks.append(
            f"count(*) FILTER (WHERE {complete}) - count(DISTINCT row({', '.join(parts)})) "
            f"FILTER (WHERE {complete}) AS {_quote('primary-key')}"
        )
    joins: list[str] = []
    for number, foreign in enumerate(schema.get("foreignKeys", [])):
        own = _as_list(foreign["fields"])
        target = foreign["reference"].get("resource") or name
        target_fields = {field["name"]: field for field in schemas[target]["fields"]}
        alias = f"fk{number}"
        keys = ", ".join(
            f"{_typed(target_fields[field], 'r')} AS k{index}"
            for index, field in enumerate(_as_list(foreign["reference"]["fields"]))
        )
        on = " AND ".join(
            f"{alias}.k{index} = {_typed(fields[field], 't')}" for index, field in enumerate(own)
        )
        target_csv = _read_csv(root / resources[target]["path"])
        joins.append(f"LEFT JOIN (SELECT DISTINCT {keys} FROM {target_csv} AS r) {alias} ON {on}")
        present = " AND ".join(f"{_typed(fields[field], 't')} IS NOT NULL" for field in own)
        checks.append(_count(f"foreign-key:{','.join(own)}", f"{present} AND {alias}.k0 IS NULL"))
    table_csv = _read_csv(root / resources[name]["path"])
    return f"SELECT {', '.join(checks)} FROM {table_csv} AS t {' '.join(joins)}"


def _file_problems(root: Path, resources: list[dict[str, Any]]) -> dict[str, int]:
    """Each file of the descriptor hashed and measured, as gcm-open does; the mismatches."""
    problems: dict[str, int] = {}
    for resource in resources:
        path, expected = root / resource["path"], resource.get("hash", "")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(4 * 1024 * 1024):
                digest.update(chunk)
        if expected.removeprefix("sha256:") != digest.hexdigest():
            problems[f"hash:{resource['name']}"] = 1
        if resource.get("bytes") not in (None, path.stat().st_size):
            problems[f"bytes:{resource['name']}"] = 1
    return problems


def baseline(root: Path) -> dict[str, Any]:
    """Validate the package in ``root`` with DuckDB: the defects counted, per table."""
    import duckdb

    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    files = [r for r in descriptor["resources"] if isinstance(r.get("path"), str)]
    tables = {r["name"]: r for r in files if r.get("format", "csv") == "csv" and "schema" in r}
    schemas = {
        name: json.loads((root / r["schema"]).read_text("utf-8"))
        if isinstance(r["schema"], str)
        else r["schema"]
        for name, r in tables.items()
    }
    problems: dict[str, dict[str, int]] = {}
    # Hashing is C code that lets go of the GIL, as DuckDB does: they run side by side,
    # as in gcm-open.
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(_file_problems, root, files)
        connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
        for name, resource in tables.items():
            with (root / resource["path"]).open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            if header != [field["name"] for field in schemas[name]["fields"]]:
                problems[name] = {"header": 1}
                continue
            result = connection.execute(table_sql(name, tables, schemas, root))
            columns = [column[0] for column in result.description]
            counts = dict(zip(columns, result.fetchone() or (), strict=True))
            problems[name] = {check: count for check, count in counts.items() if count}
        problems["files"] = hashing.result()
    found = {name: counts for name, counts in problems.items() if counts}
    return {"valid": not found, "problems": found}


# --- the benchmark --------------------------------------------------------------------


def _short(rows: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if rows >= size and rows % size == 0:
            return f"{rows // size}{suffix}"
    return str(rows)


def _package(directory: Path, rows: int, reference: Path, *, defects: bool) -> Path:
    """A synthetic package, reused when ``directory`` holds a complete one of its kind."""
    if is_complete(directory, rows, defects=defects):
        print(f"# reusing {directory}", file=sys.stderr, flush=True)
        return directory
    start = time.perf_counter()
    make_package(directory, rows, defects=defects, reference=reference)
    sizes = ", ".join(
        f"{path.name} {path.stat().st_size / 1e6:.0f} MB"
        for path in sorted((directory / "data").glob("practices.*"))
    )
    print(
        f"# generated {directory} in {time.perf_counter() - start:.1f} s ({sizes})",
        file=sys.stderr,
        flush=True,
    )
    return directory


HEADER = (
    f"{'package':>8} {'rows':>9} {'CSV MB':>7} {'ours s':>7} {'ours MB':>8} "
    f"{'fl s':>8} {'fl MB':>6} {'duckdb s':>9} {'duck MB':>8} "
    f"{'ours/duck':>9} {'fl/ours':>7} {'valid':>5} {'load':>5}  same defects"
)


def measure(label: str, directory: Path, seeded: Path | None, arguments: argparse.Namespace) -> str:
    """One line of the table for the package in ``directory``."""
    descriptor = json.loads((directory / "datapackage.json").read_text("utf-8"))
    tables = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    rows = sum(resource.get("rows", 0) for resource in tables)
    practices = next(r.get("rows", 0) for r in tables if r["name"] == "practices")
    csv_mb = sum(resource.get("bytes", 0) for resource in tables) / 1e6
    ours_s, ours_mb, ours_out = timed(gcm_open(directory, arguments.python), arguments.runs)
    duck_s, duck_mb, duck_out = timed(duckdb_baseline(directory), arguments.runs)
    invalid = [] if json.loads(ours_out)["valid"] else ["ours"]
    if not json.loads(duck_out)["valid"]:
        invalid.append("duck")
        print(f"# DuckDB found {json.loads(duck_out)['problems']}", file=sys.stderr, flush=True)
    fl = fl_mb = ratio = "-"
    if practices <= arguments.frictionless_max_rows:
        runs = 1 if practices > FRICTIONLESS_ONE_RUN_ROWS else arguments.runs
        theirs_s, theirs_mb, theirs_out = timed(frictionless(directory, arguments.python), runs)
        fl, fl_mb, ratio = f"{theirs_s:.2f}", f"{theirs_mb:.0f}", f"{theirs_s / ours_s:.1f}"
        if not json.loads(theirs_out)["valid"]:
            invalid.append("fl")
    same = compare_defects(seeded, arguments.python) if seeded is not None else "-"
    return (
        f"{label:>8} {rows:>9} {csv_mb:>7.0f} {ours_s:>7.2f} {ours_mb:>8.0f} "
        f"{fl:>8} {fl_mb:>6} {duck_s:>9.2f} {duck_mb:>8.0f} "
        f"{ours_s / duck_s:>9.1f} {ratio:>7} {'/'.join(invalid) or 'yes':>5} "
        # Times are wall clock: a load above the number of CPUs means others shared them.
        f"{os.getloadavg()[0]:>5.1f}  {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000], metavar="ROWS"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (median)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gcm-bench",
        help="where packages are written, and reused from when complete",
    )
    parser.add_argument(
        "--frictionless-max-rows", type=int, default=FRICTIONLESS_MAX_ROWS, metavar="ROWS"
    )
    parser.add_argument(
        "--python",
        type=Path,
        default=Path(sys.executable),
        help="the Python of an environment where gcm-open is installed, to time that one "
        "(a plain `pip install .` is what users run: no pandas, which pyarrow imports on "
        "first use when it is there, and byte-compiled modules)",
    )
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    arguments.python = arguments.python.absolute()
    if arguments.baseline is not None:
        # The DuckDB baseline, run by the benchmark in a process of its own.
        print(json.dumps(baseline(arguments.baseline)))
        return
    workdir: Path = arguments.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    # Built every time: it is quick, and the real package must be today's.
    reference = build_reference(workdir / "real")
    limit = capacity(reference)
    print(HEADER, flush=True)
    print(measure("real", reference, None, arguments), flush=True)
    for size in arguments.sizes:
        label = _short(size)
        if size > limit:
            label = f"{label}*"
        valid = _package(workdir / f"synthetic-{size}", size, reference, defects=False)
        seeded = None
        if size <= arguments.frictionless_max_rows:
            seeded = _package(workdir / f"seeded-{size}", size, reference, defects=True)
        print(measure(label, valid, seeded, arguments), flush=True)


if __name__ == "__main__":
    main()
