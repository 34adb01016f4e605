"""Every finding code of the catalog is produced by a defect: one small package (or a
damaged copy of the built one) per code, validated, must report that code.

A code no defect produces is dead weight in the documentation; a catalog entry missing
here fails the completeness test."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from gcm_open.building import BuildResult
from gcm_open.validation import CATALOG, validate

Maker = Callable[[Path, Path], Path]
"""Make a package under the first folder (the second is a built gcm-open package) and
return what to validate."""

TWO_FIELDS: dict[str, Any] = {
    "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]
}


def _package(
    folder: Path,
    files: dict[str, bytes | str],
    resources: list[dict[str, Any]],
    **descriptor: Any,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (folder / "datapackage.json").write_text(
        json.dumps({"name": "sample", **descriptor, "resources": resources}), "utf-8"
    )
    return folder / "datapackage.json"


def _table(
    folder: Path, text: str | bytes, schema: dict[str, Any] | None = None, **resource: Any
) -> Path:
    entry = {"name": "t", "path": "t.csv", "schema": schema or TWO_FIELDS, **resource}
    return _package(folder, {str(entry["path"]): text}, [entry])


V2 = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json"}


def _field(folder: Path, kind: str, constraints: dict[str, Any], value: str) -> Path:
    schema = {
        "fields": [
            {"name": "a", "type": kind, "constraints": constraints},
            {"name": "b", "type": "string"},
        ]
    }
    entry = {"name": "t", "path": "t.csv", "schema": schema}
    return _package(folder, {"t.csv": f"a,b\n{value},x\n"}, [entry], **V2)


def _copy(built: Path, folder: Path) -> Path:
    shutil.copytree(built, folder)
    return folder


def _descriptor(package: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((package / "datapackage.json").read_text("utf-8"))
    return loaded


def _save(package: Path, descriptor: dict[str, Any]) -> None:
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")


def _edit_csv(package: Path, table: str, edit: Callable[[list[list[str]]], None]) -> None:
    """Change a table's CSV rows and refresh the size and hash its resource declares."""
    path = package / "data" / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data)
    descriptor = _descriptor(package)
    for resource in descriptor["resources"]:
        if resource["path"] == f"data/{table}.csv":
            resource["bytes"] = len(data)
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    _save(package, descriptor)


def _set_cell(package: Path, table: str, row: int, column: str, value: str) -> None:
    def edit(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value

    _edit_csv(package, table, edit)


def _set_figure(package: Path, kind: str, **cells: str) -> None:
    """Set cells of the first figure of ``kind`` in the figures' CSV."""

    def edit(rows: list[list[str]]) -> None:
        header = rows[0]
        row = next(r for r in rows[1:] if r[header.index("kind")] == kind)
        for column, value in cells.items():
            row[header.index(column)] = value

    _edit_csv(package, "practice_figures", edit)


def _edit_parquet(package: Path, table: str, change: Callable[[pa.Table], pa.Table]) -> None:
    path = package / "data" / f"{table}.parquet"
    pq.write_table(change(pq.read_table(path)), path)
    data = path.read_bytes()
    descriptor = _descriptor(package)
    for resource in descriptor["resources"]:
        if resource["path"] == f"data/{table}.parquet":
            resource["bytes"] = len(data)
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    _save(package, descriptor)


def _zip(folder: Path, entries: dict[str, bytes], *, symlink: str | None = None) -> Path:
    folder.mkdir(parents=True)
    archive = folder / "package.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("datapackage.json", json.dumps({"name": "z", "resources": []}))
        for name, data in entries.items():
            bundle.writestr(name, data)
        if symlink is not None:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            bundle.writestr(info, "/etc/passwd")
    return archive


def _broken_descriptor(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text('{"name": "broken", "resources": [', "utf-8")
    return folder / "datapackage.json"


def _gcm(edit: Callable[[Path], None]) -> Maker:
    def make(folder: Path, built: Path) -> Path:
        package = _copy(built, folder / "package")
        edit(package)
        return package

    return make


def _drop_integrity(package: Path) -> None:
    descriptor = _descriptor(package)
    descriptor["resources"][0].pop("hash")
    _save(package, descriptor)


def _drop_table(package: Path) -> None:
    descriptor = _descriptor(package)
    descriptor["resources"] = [
        r for r in descriptor["resources"] if r["name"] not in ("footnotes", "footnotes-parquet")
    ]
    _save(package, descriptor)


def _loosen_schema(package: Path) -> None:
    path = package / "schemas" / "states.json"
    schema = json.loads(path.read_text("utf-8"))
    schema["fields"][0]["constraints"].pop("pattern", None)
    schema["fields"][0]["description"] = "changed"
    path.write_text(json.dumps(schema), "utf-8")


def _numbering_gap(package: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        header = rows[0]
        last = max(
            (r for r in rows[1:] if r[header.index("practice_id")].startswith("2022-F-07-")),
            key=lambda r: int(r[header.index("number")]),
        )
        number = int(last[header.index("number")]) + 1
        last[header.index("number")] = str(number)
        last[header.index("practice_id")] = f"2022-F-07-{number:02d}"

    _edit_csv(package, "practices", edit)
    _edit_parquet(package, "practices", lambda table: table)


PRODUCERS: dict[str, Maker] = {
    "zip-unsafe-path": lambda folder, _: _zip(folder, {"../evil.txt": b"x"}),
    "zip-symlink": lambda folder, _: _zip(folder, {}, symlink="link"),
    "zip-too-large": lambda folder, _: _zip(folder, {"zeros.bin": bytes(8 * 1024 * 1024)}),
    "descriptor-json": lambda folder, _: _broken_descriptor(folder),
    "descriptor-profile": lambda folder, _: _package(
        folder, {"t.csv": "a\n1\n"}, [{"path": "t.csv"}]
    ),
    "descriptor-profile-url": lambda folder, _: _package(
        folder, {}, [], **{"$schema": "https://example.org/my-profile.json"}
    ),
    "schema-missing": lambda folder, _: _package(
        folder, {"t.csv": "a\n1\n"}, [{"name": "t", "path": "t.csv", "schema": "gone.json"}]
    ),
    "schema-invalid": lambda folder, _: _table(
        folder, "a\n1\n", {"fields": [{"name": "a", "type": "no-such-type"}]}
    ),
    "path-unsafe": lambda folder, _: _package(folder, {}, [{"name": "t", "path": "../t.csv"}]),
    "file-missing": lambda folder, _: _package(folder, {}, [{"name": "t", "path": "gone.csv"}]),
    "bytes-mismatch": lambda folder, _: _table(folder, "a,b\nx,1\n", bytes=1),
    "hash-mismatch": lambda folder, _: _table(folder, "a,b\nx,1\n", hash="sha256:" + "0" * 64),
    "hash-unsupported": lambda folder, _: _table(folder, "a,b\nx,1\n", hash="sha1:abc"),
    "integrity-missing": _gcm(_drop_integrity),
    "source-error": lambda folder, _: _table(folder, ""),
    "encoding-error": lambda folder, _: _table(
        folder, "a,b\nñ,1\n".encode("latin-1"), encoding="utf-8"
    ),
    "compression-error": lambda folder, _: _table(folder, b"not gzip", path="t.csv.gz"),
    "resource-error": lambda folder, _: _table(
        folder,
        "a,b\nx,1\n",
        {
            **TWO_FIELDS,
            "foreignKeys": [{"fields": "a", "reference": {"resource": "gone", "fields": "a"}}],
        },
    ),
    "blank-label": lambda folder, _: _table(folder, "a,\nx,1\n"),
    "duplicate-label": lambda folder, _: _table(folder, "a,a\nx,1\n"),
    "extra-label": lambda folder, _: _table(folder, "a,b,c\nx,1,2\n"),
    "missing-label": lambda folder, _: _table(folder, "a\nx\n"),
    "incorrect-label": lambda folder, _: _table(folder, "a,B\nx,1\n"),
    "blank-row": lambda folder, _: _table(folder, "a,b\nx,1\n,\ny,2\n"),
    "extra-cell": lambda folder, _: _table(folder, "a,b\nx,1,9\n"),
    "missing-cell": lambda folder, _: _table(folder, "a,b\nx\n"),
    "row-count-mismatch": lambda folder, _: _table(folder, "a,b\nx,1\n", rows=5),
    "type-error": lambda folder, _: _table(folder, "a,b\nx,one\n"),
    "required": lambda folder, _: _field(folder, "string", {"required": True}, '""'),
    "enum": lambda folder, _: _field(folder, "string", {"enum": ["x", "y"]}, "z"),
    "pattern": lambda folder, _: _field(folder, "string", {"pattern": "[A-Z]{3}"}, "ABCD"),
    "minimum": lambda folder, _: _field(folder, "integer", {"minimum": 0}, "-1"),
    "maximum": lambda folder, _: _field(folder, "number", {"maximum": 1.5}, "2"),
    "exclusive-minimum": lambda folder, _: _field(folder, "integer", {"exclusiveMinimum": 0}, "0"),
    "exclusive-maximum": lambda folder, _: _field(folder, "integer", {"exclusiveMaximum": 0}, "0"),
    "min-length": lambda folder, _: _field(folder, "string", {"minLength": 3}, "ab"),
    "max-length": lambda folder, _: _field(folder, "string", {"maxLength": 1}, "ab"),
    "unique": lambda folder, _: _table(
        folder,
        "a\nx\nx\n",
        {"fields": [{"name": "a", "type": "string", "constraints": {"unique": True}}]},
    ),
    "primary-key": lambda folder, _: _table(
        folder, "a,b\nx,1\nx,2\n", {**TWO_FIELDS, "primaryKey": "a"}
    ),
    "unique-keys": lambda folder, _: _table(
        folder, "a,b\nx,1\nx,1\n", {**TWO_FIELDS, "uniqueKeys": [["a", "b"]]}
    ),
    "foreign-key": lambda folder, _: _table(
        folder,
        "a,b\nx,1\ny,2\n",
        {
            **TWO_FIELDS,
            "foreignKeys": [
                {"fields": "b", "reference": {"resource": "", "fields": "b"}},
                {"fields": "a", "reference": {"resource": "", "fields": "b"}},
            ],
        },
    ),
    "parquet-unreadable": _gcm(lambda p: (p / "data" / "states.parquet").write_bytes(b"PAR1junk")),
    "parquet-columns": _gcm(
        lambda p: _edit_parquet(p, "states", lambda t: t.drop_columns([t.column_names[-1]]))
    ),
    "parquet-types": _gcm(
        lambda p: _edit_parquet(
            p,
            "objectives",
            lambda t: t.set_column(0, "objective_id", pa.array(["one"] * t.num_rows)),
        )
    ),
    "parquet-rows": _gcm(lambda p: _edit_parquet(p, "states", lambda t: t.slice(1))),
    "parquet-values": _gcm(lambda p: _set_cell(p, "states", 1, "name_es", "Otro nombre")),
    "gcm-open-table-missing": _gcm(_drop_table),
    "gcm-open-schema-differs": _gcm(_loosen_schema),
    "unknown-state-code": _gcm(
        lambda p: _set_cell(p, "practice_states", 1, "state_code", "MX-ZZZ")
    ),
    "unknown-country-code": _gcm(
        lambda p: _set_cell(p, "practice_countries", 1, "country_code", "ZZZ")
    ),
    "country-alpha2-mismatch": _gcm(lambda p: _set_cell(p, "countries", 1, "alpha_2", "ZZ")),
    "inegi-mismatch": _gcm(lambda p: _set_cell(p, "states", 1, "inegi_code", "31")),
    "numbering-gap": _gcm(_numbering_gap),
    "practice-id-mismatch": _gcm(lambda p: _set_cell(p, "practices", 1, "number", "77")),
    "state-code-section": _gcm(lambda p: _set_cell(p, "practices", 1, "state_code", "MX-CHP")),
    "challenges-reported": _gcm(lambda p: _set_cell(p, "practices", 1, "challenges", "Ninguno.")),
    "figure-not-in-text": _gcm(lambda p: _set_figure(p, "count", printed="987654")),
    "figure-line-outside": _gcm(lambda p: _set_figure(p, "count", line_no="1")),
    "figure-value-mismatch": _gcm(lambda p: _set_figure(p, "count", value="1000000000")),
    "figure-year-count": _gcm(
        lambda p: _set_figure(p, "count", value="2021", printed="2021", unit="")
    ),
    "figure-money-currency": _gcm(lambda p: _set_figure(p, "money", currency="")),
    "figure-currency-kind": _gcm(lambda p: _set_figure(p, "count", currency="MXN")),
    "unknown-currency-code": _gcm(lambda p: _set_figure(p, "money", currency="XPZ")),
    "figure-percent-unit": _gcm(lambda p: _set_figure(p, "percent", unit="personas")),
}


def test_every_code_of_the_catalog_has_a_producer() -> None:
    assert sorted(PRODUCERS) == sorted(CATALOG)


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_the_code_is_produced_by_its_defect(code: str, built: BuildResult, tmp_path: Path) -> None:
    target = PRODUCERS[code](tmp_path / "case", built.out_dir)
    report = validate(target)
    assert code in report.counts, [f.to_dict() for f in report.findings]
    assert not report.valid
    assert all(f.message for f in report.findings if f.code == code)


def test_gzip_csv_is_checked_by_frictionless(tmp_path: Path) -> None:
    # A compressed table is read by frictionless: a valid one passes, row by row.
    data = gzip.compress(b"a,b\nx,1\n")
    target = _table(tmp_path, data, path="t.csv.gz")
    report = validate(target)
    assert report.valid and report.rows == 1


def test_the_findings_reference_is_current() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from make_findings_reference import GROUPS, REFERENCE, findings_reference

    assert {kind.group for kind in CATALOG.values()} <= set(GROUPS)
    assert REFERENCE.read_text("utf-8") == findings_reference(), (
        "run python scripts/make_findings_reference.py"
    )


def test_every_build_warning_code_is_declared_once_and_used() -> None:
    from gcm_open.diagnostics import WARNINGS, BuildWarning

    with pytest.raises(ValueError, match="undeclared build warning code 'made-up'"):
        BuildWarning(1, "made-up", "a warning nobody declared")
    source = "\n".join(
        path.read_text("utf-8")
        for path in (REPO / "src" / "gcm_open").rglob("*.py")
        if path.name != "diagnostics.py"
    )
    for code in WARNINGS:
        prefix, _, part = code.partition("-")
        # "no-{name}" and "empty-{name}" are written once for results and challenges.
        templated = part in {"results", "challenges"} and f'f"{prefix}-{{name}}"' in source
        assert f'"{code}"' in source or templated, f"{code} is declared but never given"
