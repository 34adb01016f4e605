"""The package against the official Data Package v2 profiles (copied into
tests/fixtures/standards/, see its README) and against frictionless, at once; and the
release profiles never looser than the official ones."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gcm_open.building import BuildResult
from gcm_open.package.layout import CSV_DIALECT
from gcm_open.release import release_problems

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from standards_report import package_errors  # noqa: E402


def _descriptor(root: Path) -> dict[str, Any]:
    descriptor: dict[str, Any] = json.loads((root / "datapackage.json").read_text("utf-8"))
    return descriptor


def test_the_package_passes_every_official_v2_profile(built: BuildResult) -> None:
    errors = package_errors(built.out_dir)
    assert errors == {"datapackage": [], "dataresource": [], "tableschema": [], "tabledialect": []}


def test_the_profiles_check_what_they_say(built: BuildResult, tmp_path: Path) -> None:
    """The checker finds the defects the package once had: a resource of type "file" and
    an example that is a number."""
    package = tmp_path / "package"
    subprocess.run(["cp", "-r", str(built.out_dir), str(package)], check=True)
    descriptor = _descriptor(package)
    descriptor["resources"][-1]["type"] = "file"
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    schema_file = package / "schemas" / "practices.json"
    schema = json.loads(schema_file.read_text("utf-8"))
    schema["fields"][1]["example"] = 2022
    schema_file.write_text(json.dumps(schema), "utf-8")
    errors = package_errors(package)
    assert len(errors["datapackage"]) == 1
    assert len(errors["dataresource"]) == 1
    # Once for each resource that names the schema: the CSV and the Parquet file.
    assert len(errors["tableschema"]) == 2


def test_frictionless_validates_the_package_with_the_parquet_tables_read(
    built: BuildResult,
) -> None:
    executable = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(executable), "validate", "--json", str(built.out_dir / "datapackage.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["valid"], [t["errors"][:2] for t in report["tasks"] if t["errors"]]
    kinds = {task["name"]: task["type"] for task in report["tasks"]}
    assert kinds["practices-parquet"] == "table"
    rows = {task["name"]: task["stats"].get("rows") for task in report["tasks"]}
    assert rows["practices-parquet"] == rows["practices"] == built.table_rows["practices"]


def test_every_csv_declares_its_dialect_and_every_file_its_digest(built: BuildResult) -> None:
    for resource in _descriptor(built.out_dir)["resources"]:
        assert resource["hash"].startswith("sha256:"), resource["name"]
        if resource["format"] == "csv":
            assert resource["dialect"] == CSV_DIALECT, resource["name"]
        # frictionless cannot count the bytes of a Parquet table it reads (see layout).
        assert ("bytes" in resource) == (resource["format"] != "parquet"), resource["name"]


@pytest.mark.parametrize(
    "defect",
    [
        lambda d: d["resources"][0].update(type="file"),
        lambda d: d["resources"][0].pop("name"),
        lambda d: d.update(resources=[]),
        lambda d: d["resources"][0]["schema"].update(fields=[{"name": "x", "example": 1}]),
        lambda d: d["resources"][0].update(dialect={"delimiter": 5}),
    ],
)
def test_a_descriptor_the_official_profiles_refuse_is_refused_by_the_release_check(
    built: BuildResult, tmp_path: Path, defect: Any
) -> None:
    """The release profiles are never looser: whatever the official profiles refuse, the
    release check (which applies the official profiles too) refuses."""
    package = tmp_path / "package"
    subprocess.run(["cp", "-r", str(built.out_dir), str(package)], check=True)
    descriptor = _descriptor(package)
    inlined = copy.deepcopy(descriptor)
    inlined["resources"][0]["schema"] = json.loads(
        (package / descriptor["resources"][0]["schema"]).read_text("utf-8")
    )
    defect(inlined)
    (package / "datapackage.json").write_text(json.dumps(inlined), "utf-8")
    official_errors = package_errors(package)
    assert any(official_errors.values())
    assert release_problems(package)


def test_the_release_profiles_accept_the_built_package(built: BuildResult) -> None:
    assert release_problems(built.out_dir) == []


def test_the_shipped_official_profiles_are_the_published_ones() -> None:
    shipped = REPO / "src" / "gcm_open" / "data" / "profiles" / "datapackage-v2"
    published = REPO / "tests" / "fixtures" / "standards" / "datapackage-v2"
    for path in sorted(published.glob("*.json")):
        assert (shipped / path.name).read_bytes() == path.read_bytes(), path.name
