"""The data package on disk: schemas, CSV and Parquet agree, frictionless accepts it,
builds are byte-identical, and the committed ``datapackage/`` is what the code builds."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from frictionless import Package, validate

from conftest import REPO, file_contents
from gcm_open.building import BuildResult, build
from gcm_open.errors import OutputError, SchemaError, SettingError
from gcm_open.package.writing import PackageMetadata
from gcm_open.schemas import TABLE_NAMES, load_schema, to_arrow_type_names
from gcm_open.sources import bundled_manifest
from gcm_open.tables import to_arrow
from gcm_open.validation import validate as gcm_validate


def test_the_package_passes_frictionless_validate(built: BuildResult) -> None:
    report = validate(str(built.out_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == [
        *(name for table in TABLE_NAMES for name in (table, f"{table}-parquet")),
        "duckdb-script",
        "licence",
        "readme",
        "citation",
    ]
    types = {task.name: task.type for task in report.tasks}
    assert types["practices-parquet"] == "table"  # its rows read and checked too


def test_frictionless_notices_a_tampered_file(built: BuildResult, tmp_path: Path) -> None:
    copy = tmp_path / "package"
    for relative, data in file_contents(built.out_dir).items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_bytes(data)
    with (copy / "data" / "practices.csv").open("ab") as handle:
        handle.write(b"\n")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert {row[0] for row in report.flatten(["type"])} >= {"hash-count", "byte-count"}


def test_frictionless_reads_the_parquet_tables_but_not_their_hash(
    built: BuildResult, tmp_path: Path
) -> None:
    """What the README says each tool checks: frictionless reads a Parquet table's rows
    (a damaged file is a source error) but ignores its hash, which gcm-open checks."""
    copy = tmp_path / "package"
    for relative, data in file_contents(built.out_dir).items():
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_bytes(data)
    descriptor = json.loads((copy / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "practices-parquet":
            resource["hash"] = "sha256:" + "0" * 64
    (copy / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    assert validate(str(copy / "datapackage.json")).valid
    ours = gcm_validate(copy)
    assert [finding.code for finding in ours.findings] == ["hash-mismatch"]
    with (copy / "data" / "practices.parquet").open("ab") as handle:
        handle.write(b"\0")
    report = validate(str(copy / "datapackage.json"))
    assert {row[0] for row in report.flatten(["type"])} == {"source-error"}


def test_descriptor_hashes_and_sizes_match_the_files(built: BuildResult) -> None:
    descriptor = json.loads((built.out_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        data = (built.out_dir / resource["path"]).read_bytes()
        assert resource.get("bytes", len(data)) == len(data)
        assert ("bytes" in resource) is (resource["format"] != "parquet")
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    assert descriptor["sources"][0]["sha256"] == bundled_manifest().sha256
    assert descriptor["created"] == "2022-10-05T00:00:00Z"


def test_the_build_reports_every_file_it_wrote_with_its_size_and_hash(built: BuildResult) -> None:
    on_disk = file_contents(built.out_dir)
    assert [written.path for written in built.files] == sorted(on_disk)
    for written in built.files:
        data = on_disk[written.path]
        assert written.bytes == len(data), written.path
        assert written.sha256 == hashlib.sha256(data).hexdigest(), written.path


def test_csv_and_parquet_hold_the_same_rows(built: BuildResult) -> None:
    for name in TABLE_NAMES:
        schema = load_schema(name)
        table = pq.read_table(built.out_dir / "data" / f"{name}.parquet")
        assert table.column_names == schema.field_names
        with (built.out_dir / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == table.num_rows == built.table_rows[name]
        for csv_row, parquet_row in zip(rows, table.to_pylist(), strict=True):
            for field in schema.fields:
                value = parquet_row[field["name"]]
                if field["type"] == "number" and value is not None:
                    # 42799.0 is written 42799: the same number, as a reader expects it.
                    assert float(csv_row[field["name"]]) == value, (name, field["name"])
                    continue
                expected = "" if value is None else str(value)
                if isinstance(value, bool):
                    expected = "true" if value else "false"
                assert csv_row[field["name"]] == expected, (name, field["name"])


def test_parquet_carries_types_descriptions_and_the_table_schema(built: BuildResult) -> None:
    table = pq.read_table(built.out_dir / "data" / "practices.parquet")
    schema = load_schema("practices")
    assert to_arrow_type_names(table.schema) == {
        "practice_id": "string",
        "edition": "int64",
        "section": "dictionary<values=string, indices=int32, ordered=0>",
        "objective_id": "int64",
        "number": "int64",
        "title": "string",
        "lead_label": "string",
        "state_code": "string",
        "description": "string",
        "results": "string",
        "challenges": "string",
        "challenges_reported": "bool",
        "page_start": "int64",
        "page_end": "int64",
        "line_start": "int64",
        "line_end": "int64",
    }
    section = table.schema.field("section")
    assert section.metadata[b"description"].decode() == schema.fields[2]["description"]
    stored = json.loads(table.schema.metadata[b"frictionless:schema"])
    assert stored == schema.descriptor
    ids = table.column("practice_id").to_pylist()
    assert ids == sorted(ids)


def test_rows_must_match_their_schema() -> None:
    schema = load_schema("objectives")
    with pytest.raises(SchemaError, match=r"not in schema: \['extra'\]"):
        to_arrow(schema, [{**dict.fromkeys(schema.field_names), "extra": 1}])
    with pytest.raises(SchemaError, match=r"not produced: \['title_es'\]"):
        row = dict.fromkeys(schema.field_names)
        del row["title_es"]
        to_arrow(schema, [row])


def test_every_schema_field_is_documented_in_both_languages() -> None:
    for name in TABLE_NAMES:
        schema = load_schema(name)
        for field in schema.fields:
            for key in ("type", "title", "title_es", "description", "description_es"):
                assert field.get(key), (name, field["name"], key)
        for key in schema.primary_key:
            assert key in schema.field_names
        for foreign in schema.descriptor.get("foreignKeys", []):
            target = load_schema(foreign["reference"]["resource"])
            assert set(foreign["reference"]["fields"]) <= set(target.field_names)


def test_two_builds_are_byte_identical(built: BuildResult, tmp_path: Path) -> None:
    again = build(out=tmp_path / "again")
    assert file_contents(again.out_dir) == file_contents(built.out_dir)


def test_the_committed_package_is_what_the_code_builds(built: BuildResult) -> None:
    committed = REPO / "datapackage"
    assert file_contents(committed) == file_contents(built.out_dir), (
        "datapackage/ is stale: run `gcm-open build` and commit the result"
    )


def test_source_date_epoch_sets_created(monkeypatch: pytest.MonkeyPatch) -> None:
    metadata = PackageMetadata(manifest=bundled_manifest())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert metadata.created_timestamp() == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(SettingError, match="SOURCE_DATE_EPOCH='yesterday'"):
        metadata.created_timestamp()


def test_the_descriptor_loads_as_a_frictionless_package(built: BuildResult) -> None:
    package = Package(str(built.out_dir / "datapackage.json"))
    assert package.name == "gcm-open-compendio-2022"
    assert package.get_resource("practices").schema.primary_key == ["practice_id"]
    assert [resource.name for resource in package.resources] == [
        *(name for table in TABLE_NAMES for name in (table, f"{table}-parquet")),
        "duckdb-script",
        "licence",
        "readme",
        "citation",
    ]


@pytest.mark.parametrize(
    "failure",
    [OSError(28, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "interrupted"],
)
def test_a_build_that_fails_while_writing_leaves_the_previous_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    out = tmp_path / "package"
    build(out=out)
    before = file_contents(out)
    real_write_bytes = Path.write_bytes
    calls = {"count": 0}

    def write_some_then_fail(self: Path, data: bytes) -> int:
        calls["count"] += 1
        if calls["count"] == 3:
            raise failure
        return real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_some_then_fail)
    expected = OutputError if isinstance(failure, OSError) else KeyboardInterrupt
    with pytest.raises(expected):
        build(out=out)
    monkeypatch.undo()
    assert calls["count"] == 3
    assert file_contents(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["package"]


def test_csv_is_rfc4180_with_lf_line_ends(built: BuildResult) -> None:
    data = (built.out_dir / "data" / "practices.csv").read_bytes()
    assert b"\r\n" not in data and data.endswith(b"\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == load_schema("practices").field_names
    assert len(rows) == 347
