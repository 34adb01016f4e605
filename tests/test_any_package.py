"""Any Data Package, not only gcm-open's: the named descriptor is the one checked, data is
never reported VALID unread, a gcm-open package cannot hide a defect by editing its
descriptor, and every reader goes through the one path rule."""

from __future__ import annotations

import http.server
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import PUBLISHER_OPTIONS, serving
from gcm_open import load
from gcm_open.building import BuildResult
from gcm_open.cli import main
from gcm_open.errors import TargetError
from gcm_open.package.layout import path_problem
from gcm_open.schemas import TABLE_NAMES
from gcm_open.validation import validate


def _write(folder: Path, descriptor: dict[str, Any], files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, "utf-8")
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor), "utf-8")
    return path


PEOPLE = {
    "name": "people",
    "resources": [
        {
            "name": "people",
            "path": "people.csv",
            "schema": {
                "fields": [
                    {"name": "id", "type": "integer"},
                    {"name": "code", "type": "string", "constraints": {"pattern": "^[A-Z]{3}$"}},
                ],
                "primaryKey": ["id"],
            },
        }
    ],
}


def test_the_named_descriptor_is_the_one_checked(tmp_path: Path) -> None:
    _write(tmp_path, PEOPLE, {"people.csv": "id,code\n1,ABC\n"})
    (tmp_path / "other.json").write_text(
        json.dumps({"name": "other", "resources": [{"name": "x", "path": "gone.csv"}]}), "utf-8"
    )
    assert validate(tmp_path).valid
    other = validate(tmp_path / "other.json")
    assert not other.valid and set(other.counts) == {"file-missing"}


def test_a_v1_package_without_types_is_checked_row_by_row(tmp_path: Path) -> None:
    _write(tmp_path, PEOPLE, {"people.csv": "id,code\n1,ABC\n2,ABCD\nx,DEF\n2,GHI\n"})
    report = validate(tmp_path)
    found = {(f.code, f.row, f.field) for f in report.findings}
    assert found == {
        ("pattern", 3, "code"),
        ("type-error", 4, "id"),
        ("primary-key", 4, None),
        ("primary-key", 5, None),
    }
    # The pattern holds braces: the message prints it as it is.
    pattern = next(f for f in report.findings if f.code == "pattern")
    assert pattern.message == "'ABCD' does not match ^[A-Z]{3}$"


def test_a_tabular_profile_is_read_as_a_table(tmp_path: Path) -> None:
    descriptor = json.loads(json.dumps(PEOPLE))
    descriptor["profile"] = "tabular-data-package"
    descriptor["resources"][0]["profile"] = "tabular-data-resource"
    _write(tmp_path, descriptor, {"people.csv": "id,code\n1,ABC\nz,ABC\n"})
    report = validate(tmp_path)
    # An id that is not an integer is missing to the primary key, as frictionless says.
    assert report.counts == {"type-error": 1, "primary-key": 1}
    assert report.rows == 2


def test_a_gcm_open_package_cannot_hide_a_defect_by_editing_its_descriptor(
    built: BuildResult, tmp_path: Path
) -> None:
    package = tmp_path / "package"
    shutil.copytree(built.out_dir, package)
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        for key in ("type", "bytes", "hash", "schema"):
            resource.pop(key, None)
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    with (package / "data" / "practices.csv").open("a", encoding="utf-8") as handle:
        handle.write("garbage,row\n")
    report = validate(package)
    assert not report.valid
    assert report.counts["integrity-missing"] == len(descriptor["resources"])
    assert report.counts["gcm-open-schema-differs"] == len(TABLE_NAMES)
    assert {"missing-cell", "type-error", "row-count-mismatch"} <= set(report.counts)
    assert any(f.code == "type-error" and f.row == 348 for f in report.findings)


def test_a_table_that_cannot_be_checked_is_refused(tmp_path: Path) -> None:
    descriptor = {"name": "sheet", "resources": [{"name": "s", "path": "s.xlsx"}]}
    _write(tmp_path, descriptor, {"s.xlsx": "not really"})
    with pytest.raises(TargetError, match="frictionless validate"):
        validate(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "'s'" in result.output


def test_info_and_load_read_a_package_without_parquet(tmp_path: Path) -> None:
    _write(tmp_path, PEOPLE, {"people.csv": "id,code\n1,ABC\n2,DEF\n"})
    package = load(tmp_path)
    assert package.tables == ["people"]
    assert package.table("people").column("id").to_pylist() == [1, 2]
    result = CliRunner().invoke(main, ["info", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "people" in result.output


def test_a_bad_table_is_a_one_line_refusal_for_load_and_info(tmp_path: Path) -> None:
    _write(tmp_path, PEOPLE, {"people.csv": "id,code\nseven,ABC\n"})
    with pytest.raises(TargetError, match="people"):
        load(tmp_path).table("people")


def test_one_path_rule_for_every_reader(tmp_path: Path) -> None:
    root = tmp_path / "package"
    root.mkdir()
    (tmp_path / "outside.csv").write_text("id,code\n1,ABC\n", "utf-8")
    (root / "link.csv").symlink_to(tmp_path / "outside.csv")
    base = "http://127.0.0.1:1/pkg/datapackage.json"
    assert path_problem("data/a.csv", root, None) is None
    assert path_problem("../a.csv", root, None) == "leaves the package (..)"
    assert path_problem("/etc/passwd", root, None) == "absolute path"
    assert path_problem("link.csv", root, None) == "leaves the package (through a link)"
    assert path_problem("http://other.example/a.csv", root, None) is not None
    assert path_problem("http://127.0.0.1:1/pkg/data/a.csv", root, base) is None
    assert path_problem("http://other.example/pkg/data/a.csv", root, base) is not None
    assert path_problem("http://127.0.0.1:1/elsewhere/a.csv", root, base) is not None


def test_load_and_validate_refuse_a_url_on_another_host_alike(tmp_path: Path) -> None:
    site = tmp_path / "site"
    descriptor = json.loads(json.dumps(PEOPLE))
    descriptor["resources"][0]["path"] = "http://192.0.2.1/people.csv"
    _write(site, descriptor, {})

    class Site(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

    with serving(Site) as url:
        report = validate(f"{url}/datapackage.json")
        assert report.counts == {"path-unsafe": 1}
        with pytest.raises(TargetError, match="URL outside the package"):
            load(f"{url}/datapackage.json").table("people")


def test_a_yaml_descriptor_is_read(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a\n1\nx\n", "utf-8")
    (tmp_path / "datapackage.yaml").write_text(
        "name: y\nresources:\n  - name: t\n    path: t.csv\n    schema:\n"
        "      fields:\n        - name: a\n          type: integer\n",
        "utf-8",
    )
    report = validate(tmp_path)
    assert [(f.code, f.row) for f in report.findings] == [("type-error", 3)]
    assert validate(tmp_path / "datapackage.yaml").counts == report.counts


def test_a_bad_source_date_epoch_is_a_one_line_error(built: BuildResult, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "publish",
            "--version",
            "1.0.0",
            "--package",
            str(built.out_dir),
            "--portal",
            str(tmp_path / "portal"),
            "--dry-run",
            *PUBLISHER_OPTIONS,
        ],
        env={"SOURCE_DATE_EPOCH": "abc"},
    )
    assert result.exit_code == 2
    assert result.output == (
        "Error: SOURCE_DATE_EPOCH='abc' is not a whole number of seconds since 1970\n"
    )


def test_frictionless_trusts_no_path_after_a_check_it_failed(tmp_path: Path) -> None:
    from frictionless import system

    descriptor = {"name": "odd", "resources": [{"name": "t", "data": "not rows"}]}
    _write(tmp_path, descriptor, {})
    assert not validate(tmp_path).valid
    assert system.trusted is False


def test_a_nul_byte_is_read_as_frictionless_reads_it(tmp_path: Path) -> None:
    from frictionless import validate as frictionless_validate

    descriptor = json.loads(json.dumps(PEOPLE))
    _write(tmp_path, descriptor, {})
    (tmp_path / "people.csv").write_bytes(b"id,code\n1,A\x00C\nx,ABC\n")
    ours = validate(tmp_path)
    theirs = frictionless_validate(str(tmp_path / "datapackage.json"))
    assert ours.valid == theirs.valid
    assert {(f.code, f.row) for f in ours.findings} >= {("type-error", 3)}
    assert {(e.type, e.row_number) for e in theirs.tasks[0].errors} >= {("type-error", 3)}
