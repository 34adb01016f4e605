"""The Python API: gcm_open.load and Package, the library twins, and `gcm-open info`."""

from __future__ import annotations

import gc
import http.server
import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import gcm_open
from conftest import serving
from gcm_open.api import Package, load
from gcm_open.building import BuildResult, build
from gcm_open.cli import main
from gcm_open.errors import GcmOpenError, TargetError
from gcm_open.sources import bundled_source


def _check(package: Package, built: BuildResult) -> None:
    assert package.version == "1.0.0"
    assert sorted(package.tables) == sorted(built.table_rows)
    for name, rows in built.table_rows.items():
        assert package.table(name).num_rows == rows, name


def test_a_folder_loads_with_typed_tables(built: BuildResult) -> None:
    package = load(built.out_dir)
    _check(package, built)
    practices = package.table("practices")
    assert str(practices.schema.field("number").type) in ("int32", "int64", "int16")
    assert package.describe("states")["primaryKey"] == ["state_code"]
    fields = package.describe("objectives")["fields"]
    assert package.to_pandas("objectives").shape == (23, len(fields))
    assert package.to_polars("countries").height == built.table_rows["countries"]


def test_a_zip_and_a_url_load_the_same(built: BuildResult, tmp_path: Path) -> None:
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(built.out_dir.rglob("*")):
            if path.is_file():
                bundle.write(path, f"release/{path.relative_to(built.out_dir)}")
    _check(load(archive), built)

    site = tmp_path / "site"
    shutil.copytree(built.out_dir, site)

    class Site(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

    with serving(Site) as url:
        _check(load(f"{url}/datapackage.json"), built)


def test_no_target_loads_the_bundled_build_once(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _check(load(), built)
    [cached] = (tmp_path / "cache" / "gcm-open").glob("package-*")
    stamp = (cached / "datapackage.json").stat().st_mtime_ns
    _check(load(), built)
    assert (cached / "datapackage.json").stat().st_mtime_ns == stamp


def test_unknown_tables_and_bad_targets_are_clear_errors(
    built: BuildResult, tmp_path: Path
) -> None:
    package = load(built.out_dir)
    with pytest.raises(TargetError, match=r"no table 'practice' \(the tables are: objectives, "):
        package.table("practice")
    with pytest.raises(TargetError, match="no such file or directory"):
        load(tmp_path / "missing")
    broken = tmp_path / "broken"
    shutil.copytree(built.out_dir, broken)
    (broken / "data" / "practices.parquet").unlink()
    with pytest.raises(TargetError, match=r"data/practices\.parquet is missing"):
        load(broken).table("practices")


def test_the_library_twins_of_the_commands_are_at_the_top() -> None:
    from gcm_open.building import build
    from gcm_open.comparison import diff
    from gcm_open.release import publish
    from gcm_open.validation import validate

    assert (gcm_open.build, gcm_open.validate, gcm_open.publish, gcm_open.diff) == (
        build,
        validate,
        publish,
        diff,
    )
    assert gcm_open.load is load and gcm_open.Package is Package
    # No module of the package shares a name with a public function, so importing every
    # module leaves each name the function.
    for name in gcm_open.__all__:
        assert importlib.util.find_spec(f"gcm_open.{name}") is None, name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = gcm_open.nothing  # type: ignore[attr-defined]


def test_the_command_line_starts_without_pyarrow() -> None:
    code = "import sys, gcm_open.cli; print('pyarrow' in sys.modules)"
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_info_lists_every_table_with_rows_and_sizes(built: BuildResult) -> None:
    result = CliRunner().invoke(main, ["info", str(built.out_dir)])
    assert result.exit_code == 0, result.output
    assert "Version: 1.0.0" in result.output
    for name, rows in built.table_rows.items():
        assert any(line.split()[:2] == [name, str(rows)] for line in result.output.splitlines()), (
            name
        )

    as_json = CliRunner().invoke(main, ["info", str(built.out_dir), "--json"])
    data = json.loads(as_json.output)
    assert {table["name"]: table["rows"] for table in data["tables"]} == built.table_rows
    assert data["source"]["sha256"] == built.source.sha256
    assert data == load(built.out_dir).summary()


def test_info_on_a_bad_target_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["info", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'missing'}: no such file or directory\n"


def test_info_without_a_target_reads_the_package_built_here_or_else_the_bundled_one(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    elsewhere = CliRunner().invoke(main, ["info"])
    assert elsewhere.exit_code == 0, elsewhere.output
    assert f"Package: {tmp_path / 'cache' / 'gcm-open'}/package-" in elsewhere.output
    shutil.copytree(built.out_dir, tmp_path / "datapackage")
    here = CliRunner().invoke(main, ["info"])
    assert "Version: 1.0.0   Package: datapackage\n" in here.output


def test_a_build_leaves_the_collector_of_cycles_as_it_found_it(tmp_path: Path) -> None:
    source = tmp_path / "truncated.txt"
    source.write_text(bundled_source().text[:20000], "utf-8")
    assert gc.isenabled()
    build(out=tmp_path / "package")
    assert gc.isenabled()
    with pytest.raises(GcmOpenError):
        build(source, out=tmp_path / "other")
    assert gc.isenabled()
    gc.disable()
    try:
        build(out=tmp_path / "package")
        assert not gc.isenabled()
    finally:
        gc.enable()
