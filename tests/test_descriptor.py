"""datapackage.json: complete metadata, and every file of the package described."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from gcm_open.building import BuildResult
from gcm_open.schemas import TABLE_NAMES, load_schema

SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


@pytest.fixture(scope="module")
def descriptor(built: BuildResult) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((built.out_dir / "datapackage.json").read_text("utf-8"))
    return loaded


def test_package_metadata(descriptor: dict[str, Any]) -> None:
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["name"] == "gcm-open-compendio-2022"
    assert descriptor["id"] and SEMVER.match(descriptor["version"])
    assert descriptor["created"] == "2022-10-05T00:00:00Z"
    for key in ("title", "title_es", "description", "description_es", "homepage"):
        assert descriptor[key], key
    assert "migración" in descriptor["keywords"]
    [licence] = descriptor["licenses"]
    assert "sin fines comerciales" in licence["title_es"] and licence["path"]
    [source] = descriptor["sources"]
    assert source["sha256"] == "9186016b98c4e26fc78788e4dcd2fb2fe62b7cbd1738b8ac7dc72ee28033bc63"
    assert all(contributor["roles"] for contributor in descriptor["contributors"])


def test_every_table_has_a_csv_and_a_parquet_resource(descriptor: dict[str, Any]) -> None:
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    for name in TABLE_NAMES:
        csv_resource, parquet = resources[name], resources[f"{name}-parquet"]
        assert (
            csv_resource["path"] == f"data/{name}.csv"
            and csv_resource["schema"] == f"schemas/{name}.json"
        )
        assert (
            parquet["path"] == f"data/{name}.parquet"
            and parquet["type"] == "table"
            and parquet["schema"] == f"schemas/{name}.json"
            and parquet["rows"] == csv_resource["rows"]
        )
        assert csv_resource["bytes"] > 0
        for resource in (csv_resource, parquet):
            assert resource["hash"].startswith("sha256:")
            assert resource["title_es"] == load_schema(name).descriptor["title_es"]


def test_every_file_in_the_package_is_described(
    built: BuildResult, descriptor: dict[str, Any]
) -> None:
    on_disk = {
        str(path.relative_to(built.out_dir)) for path in built.out_dir.rglob("*") if path.is_file()
    }
    described = {resource["path"] for resource in descriptor["resources"]}
    described |= {
        resource["schema"] for resource in descriptor["resources"] if "schema" in resource
    }
    assert on_disk == described | {"datapackage.json"}


def test_the_data_dictionary_documents_every_field(built: BuildResult) -> None:
    readme = (built.out_dir / "README.md").read_text("utf-8")
    for name in TABLE_NAMES:
        assert f"### `{name}`" in readme
        for field in load_schema(name).fields:
            assert f"| `{field['name']}` | {field['type']} |" in readme, (name, field["name"])
    assert "sin fines comerciales" in readme and "CITATION.cff" in readme


def test_citation_file(built: BuildResult, descriptor: dict[str, Any]) -> None:
    citation = yaml.safe_load((built.out_dir / "CITATION.cff").read_text("utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert citation["version"] == descriptor["version"]
    assert citation["references"][0]["date-published"] == "2022-10-05"
    assert (REPO / "CITATION.cff").read_text("utf-8") == (built.out_dir / "CITATION.cff").read_text(
        "utf-8"
    )


def test_documents_do_not_depend_on_where_the_package_is(
    tmp_path: Path, built: BuildResult
) -> None:
    readme = (built.out_dir / "README.md").read_text("utf-8")
    assert str(built.out_dir) not in readme
