"""Publishing releases: versions, bumps, immutability, atomic writes, the portal, diff."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from conftest import PUBLISHER, PUBLISHER_OPTIONS, file_contents
from gcm_open import release as release_module
from gcm_open.cli import main
from gcm_open.comparison import LOCATION_FIELDS, diff
from gcm_open.errors import SettingError
from gcm_open.portal.data import LINKED_TABLES
from gcm_open.release import PublishError, portal_lock, publish
from gcm_open.validation import validate
from standards_report import catalog_errors
from test_validate import _rewrite, _rows

DATE = "2022-10-05"


@pytest.fixture
def portal(package: Path, tmp_path: Path) -> Path:
    portal = tmp_path / "portal"
    publish(
        "1.0.0", package=package, portal=portal, released=DATE, **PUBLISHER, notes="First release"
    )
    return portal


def _correct_a_title(package: Path) -> None:
    rows = _rows(package, "practices")
    row = next(r for r in rows if r["practice_id"] == "2022-S-04-16")
    row["title"] = row["title"].replace("para en trámite", "para el trámite")
    _rewrite(package, "practices", rows)


def test_first_release_writes_a_complete_checkable_release(portal: Path) -> None:
    release = portal / "releases" / "1.0.0"
    descriptor = json.loads((release / "datapackage.json").read_text("utf-8"))
    assert descriptor["version"] == "1.0.0"
    assert validate(release).valid
    archive = release / "gcm-open-compendio-2022-1.0.0.zip"
    assert validate(archive).valid
    with zipfile.ZipFile(archive) as bundle:
        assert "gcm-open-compendio-2022-1.0.0/datapackage.json" in bundle.namelist()
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (release / "SHA256SUMS").read_text().splitlines()}
    assert listed == {str(p.relative_to(release)) for p in release.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    assert "First release" in (release / "CHANGELOG.md").read_text("utf-8")
    assert "Version 1.0.0" in (release / "README.md").read_text("utf-8")
    assert json.loads((portal / "latest.json").read_text())["version"] == "1.0.0"
    assert (portal / "latest" / "datapackage.json").read_bytes() == (
        release / "datapackage.json"
    ).read_bytes()
    assert not any(path.is_symlink() for path in portal.rglob("*"))


def test_the_catalog_is_dcat_with_one_distribution_per_file(portal: Path) -> None:
    catalog = json.loads((portal / "catalog.json").read_text("utf-8"))
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    [dataset] = catalog["dataset"]
    for key in (
        "identifier",
        "title",
        "description",
        "keyword",
        "modified",
        "publisher",
        "contactPoint",
        "landingPage",
        "accrualPeriodicity",
        "license",
        "spatial",
        "temporal",
        "distribution",
    ):
        assert dataset[key], key
    assert dataset["temporal"] == "2021-06-01/2022-06-30"
    descriptor = json.loads((portal / "releases" / "1.0.0" / "datapackage.json").read_text())
    # Every file of the release, its zip and its database.
    assert len(dataset["distribution"]) == len(descriptor["resources"]) + 2
    assert catalog_errors(catalog) == {"federal": [], "non-federal": []}
    for distribution in dataset["distribution"]:
        assert distribution["description"]
        assert distribution["downloadURL"].startswith(PUBLISHER["base_url"] + "/releases/1.0.0/")
    assert dataset["contactPoint"]["hasEmail"] == f"mailto:{PUBLISHER['contact_email']}"
    assert dataset["license"] == f"{PUBLISHER['base_url']}/releases/1.0.0/LICENSE.md"
    for distribution in dataset["distribution"]:
        path = portal / distribution["downloadURL"].removeprefix(PUBLISHER["base_url"] + "/")
        assert path.is_file() and path.stat().st_size == distribution["byteSize"]
        assert distribution["mediaType"]
    csv_distribution = next(
        d for d in dataset["distribution"] if d["downloadURL"].endswith("practices.csv")
    )
    assert csv_distribution["describedBy"] == (
        f"{PUBLISHER['base_url']}/releases/1.0.0/schemas/practices.json"
    )


def test_the_catalog_check_can_fail(portal: Path) -> None:
    catalog = json.loads((portal / "catalog.json").read_text("utf-8"))
    catalog["dataset"][0]["contactPoint"].pop("hasEmail")
    catalog["dataset"][0]["distribution"][0]["downloadURL"] = "releases/1.0.0/data/x.csv"
    errors = catalog_errors(catalog)
    assert errors["federal"] and errors["non-federal"]


def test_the_index_page_lists_downloads_versions_and_data(portal: Path) -> None:
    page = (portal / "index.html").read_text("utf-8")
    assert '<span id="latest-version">1.0.0</span>' in page
    assert 'href="releases/1.0.0/data/practices.parquet"' in page
    assert 'href="releases/1.0.0/gcm-open-compendio-2022-1.0.0.zip"' in page
    assert page.count('class="bar ') == 46
    # 17 practices Tlaxcala implements and 5 that name it, as the explorer finds them.
    tlaxcala = 'aria-label="TLA 22: Tlaxcala, 22 prácticas"'
    assert f'href="latest/explorar/index.html?estado=MX-TLA" {tlaxcala}' in page
    assert page.count('<a href="latest/explorar/index.html?estado=MX-') == 32
    assert "cff-version: 1.2.0" in page and "gcm-open validate" in page
    assert "http://" not in page.replace("http://www.politicamigratoria.gob.mx/", "")


def test_a_correction_is_a_patch_and_names_the_practice(portal: Path, package: Path) -> None:
    _correct_a_title(package)
    difference = diff(portal / "releases" / "1.0.0", package)
    assert difference.required_bump == "patch"
    result = publish(
        "1.0.1",
        package=package,
        portal=portal,
        released="2022-11-01",
        **PUBLISHER,
        notes="Corrected a title",
    )
    changelog = (portal / "releases" / "1.0.1" / "CHANGELOG.md").read_text("utf-8")
    assert "Practices changed:\n\n- 2022-S-04-16\n  - title: " in changelog
    assert (
        '"Vinculación con SMyT para en trámite de licencias de condu…" -> '
        '"Vinculación con SMyT para el trámite de licencias de condu…"'
    ) in changelog
    assert changelog.count("Corrected a title") == 1
    assert result.previous == "1.0.0" and result.required_bump == "patch"
    catalog = json.loads((portal / "catalog.json").read_text())
    # One dataset whatever the version: the newest's files, every version's zip.
    [dataset] = catalog["dataset"]
    assert dataset["version"] == "1.0.1" and dataset["identifier"] == "urn:gcm-open:compendio:2022"
    zips = [d["downloadURL"] for d in dataset["distribution"] if d["format"] == "ZIP"]
    assert [url.rsplit("/", 2)[1] for url in zips] == ["1.0.1", "1.0.0"]
    assert catalog_errors(catalog) == {"federal": [], "non-federal": []}
    page = (portal / "index.html").read_text("utf-8")
    assert '<span id="latest-version">1.0.1</span>' in page and "<b>1.0.0</b>" in page


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.0.0", "already published"),
        ("0.9.0", "not greater than the latest"),
        ("1.0", "not SemVer"),
        ("1.0.1", "nothing changed since 1.0.0"),
    ],
)
def test_refused_versions_leave_the_portal_as_it_was(
    portal: Path, package: Path, version: str, message: str
) -> None:
    before = file_contents(portal)
    with pytest.raises(PublishError, match=message):
        publish(version, package=package, portal=portal, released=DATE, **PUBLISHER)
    assert file_contents(portal) == before


def _not_built_by_this_version(descriptor: dict[str, Any]) -> None:
    """Name an edited package as another's: a gcm-open package is checked against the
    schemas of the installed gcm-open, which these edits change on purpose."""
    descriptor["name"] = "edited-compendio"
    descriptor["id"] = "urn:example:edited-compendio"


def test_a_removed_field_needs_a_major_bump(portal: Path, package: Path) -> None:
    descriptor_path = package / "datapackage.json"
    schema_path = package / "schemas" / "practice_links.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "source"]
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    with (package / "data" / "practice_links.csv").open(encoding="utf-8", newline="") as handle:
        rows = [{k: v for k, v in row.items() if k != "source"} for row in csv.DictReader(handle)]
    with (package / "data" / "practice_links.csv").open(
        "w", encoding="utf-8", newline=""
    ) as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["practice_id", "url", "line_no"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    _not_built_by_this_version(descriptor)
    descriptor["resources"] = [
        r for r in descriptor["resources"] if r["name"] != "practice_links-parquet"
    ]
    (package / "data" / "practice_links.parquet").unlink()
    for resource in descriptor["resources"]:
        if resource["name"] == "practice_links":
            data = (package / resource["path"]).read_bytes()
            resource["bytes"], resource["hash"] = (
                len(data),
                f"sha256:{hashlib.sha256(data).hexdigest()}",
            )
    descriptor_path.write_text(json.dumps(descriptor), "utf-8")
    assert validate(package).valid
    with pytest.raises(PublishError, match=r"need a MAJOR bump .* use 2\.0\.0"):
        publish("1.1.0", package=package, portal=portal, released=DATE, **PUBLISHER)
    assert (
        publish("2.0.0", package=package, portal=portal, released=DATE, **PUBLISHER).required_bump
        == "major"
    )


def test_added_rows_need_a_minor_bump(portal: Path, package: Path) -> None:
    rows = _rows(package, "practice_links")
    rows.append(
        {
            "practice_id": "2022-F-01-01",
            "url": "https://example.org/new",
            "source": "text",
            "line_no": 70,
        }
    )
    _rewrite(package, "practice_links", rows)
    with pytest.raises(PublishError, match="MINOR bump"):
        publish("1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER)
    assert (
        publish("1.1.0", package=package, portal=portal, released=DATE, **PUBLISHER).required_bump
        == "minor"
    )


def test_an_invalid_package_is_refused_with_its_report(tmp_path: Path, package: Path) -> None:
    rows = _rows(package, "practice_institutions")
    rows[0]["institution_id"] = "NOPE"
    _rewrite(package, "practice_institutions", rows)
    with pytest.raises(PublishError, match="not valid") as caught:
        publish("1.0.0", package=package, portal=tmp_path / "portal", released=DATE, **PUBLISHER)
    assert caught.value.report is not None and "foreign-key" in caught.value.report.counts
    assert not (tmp_path / "portal" / "releases").exists()


def test_a_valid_package_without_release_metadata_is_refused_and_makes_no_portal(
    tmp_path: Path, package: Path
) -> None:
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text("utf-8"))
    _not_built_by_this_version(descriptor)
    del descriptor["sources"]
    descriptor_path.write_text(json.dumps(descriptor), "utf-8")
    schema_path = package / "schemas" / "states.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    del schema["fields"][1]["description_es"]
    schema_path.write_text(json.dumps(schema), "utf-8")
    assert validate(package).valid
    portal = tmp_path / "new-portal"
    result = CliRunner().invoke(
        main,
        [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(portal), *PUBLISHER_OPTIONS),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {package}: valid, but without what a release is made from: "
        "datapackage.json: 'sources' is a required property; "
        "schemas/states.json: fields[1]: 'description_es' is a required property\n"
    )
    assert not portal.exists()


def test_the_lock_sits_beside_the_portal(portal: Path) -> None:
    assert (portal.parent / ".portal.publish.lock").is_file()
    assert [path.name for path in portal.rglob(".*")] == []


def test_a_tampered_earlier_release_is_reported(portal: Path, package: Path) -> None:
    target = portal / "releases" / "1.0.0" / "data" / "states.csv"
    target.write_text(target.read_text("utf-8").replace("Tlaxcala", "Tlaxcalla"), "utf-8")
    _correct_a_title(package)
    with pytest.raises(PublishError, match=r"releases/1\.0\.0/data/states\.csv was modified"):
        publish("1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER)


def test_a_concurrent_publish_is_refused(portal: Path, package: Path) -> None:
    _correct_a_title(package)
    with portal_lock(portal), pytest.raises(PublishError, match="another publish"):
        publish("1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER)


def test_dry_run_writes_nothing(portal: Path, package: Path) -> None:
    _correct_a_title(package)
    before = file_contents(portal)
    beside = sorted(portal.parent.iterdir())
    result = publish(
        "1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER, dry_run=True
    )
    assert result.dry_run and "releases/1.0.1/SHA256SUMS" in result.files
    assert file_contents(portal) == before
    first = publish(
        "1.0.0",
        package=package,
        portal=portal.parent / "new",
        released=DATE,
        **PUBLISHER,
        dry_run=True,
    )
    assert first.previous is None
    assert sorted(portal.parent.iterdir()) == beside  # not even a lock file


@pytest.mark.parametrize("swap", ["exchange", "rename"])
def test_a_failure_while_moving_in_leaves_the_portal_as_it_was(
    swap: str, portal: Path, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The swap of the whole portal fails; or, where the system cannot swap, the fourth
    file moved into the portal fails and the three before it are moved back."""
    _correct_a_title(package)
    before = file_contents(portal)
    calls = {"count": 0}
    real_rename = Path.rename

    def exchange_fails(first: Path, second: Path) -> bool:
        if swap == "rename":
            return False
        calls["count"] += 1
        raise OSError(28, "No space left on device")

    def rename_then_fail(self: Path, target: Any) -> Path:
        into_portal = Path(target).parent in (portal, portal / "releases")
        if swap == "rename" and into_portal and calls["count"] < 4:
            calls["count"] += 1
            if calls["count"] == 4:
                raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(release_module, "exchange", exchange_fails)
    monkeypatch.setattr(Path, "rename", rename_then_fail)
    with pytest.raises(PublishError, match="portal is unchanged"):
        publish("1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER)
    monkeypatch.undo()
    assert calls["count"] == (1 if swap == "exchange" else 4)
    assert file_contents(portal) == before
    assert sorted(p.name for p in portal.parent.iterdir() if ".staging" in p.name) == []


def test_cli_publish_and_diff(portal: Path, package: Path) -> None:
    _correct_a_title(package)
    runner = CliRunner()
    dry = runner.invoke(
        main,
        [
            "publish",
            "--version",
            "1.0.1",
            "--package",
            str(package),
            "--portal",
            str(portal),
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("Would publish 1.0.1") and "a patch change" in dry.output
    refused = runner.invoke(
        main,
        [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(portal), *PUBLISHER_OPTIONS),
        ],
    )
    assert refused.exit_code == 1 and refused.output.startswith(
        "Error: version 1.0.0 is already published"
    )
    result = runner.invoke(
        main, ["diff", "--json", str(portal / "releases" / "1.0.0"), str(package)]
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["required_bump"] == "patch"
    [practices] = data["rows"]
    assert practices["changed_keys"] == ["2022-S-04-16"]
    assert practices["changed_rows"] == [{"key": "2022-S-04-16", "fields": ["title"]}]
    human = runner.invoke(main, ["diff", str(portal / "releases" / "1.0.0"), str(package)])
    assert "practices 2022-S-04-16: title changed" in human.output
    assert human.output.strip().endswith("Required version bump: patch")


def test_the_publisher_is_needed_first_then_remembered(package: Path, tmp_path: Path) -> None:
    portal = tmp_path / "portal"
    with pytest.raises(SettingError, match="needs --base-url"):
        publish("1.0.0", package=package, portal=portal, released=DATE)
    assert sorted(tmp_path.iterdir()) == [package]  # no portal, not even a lock file
    publish("1.0.0", package=package, portal=portal, released=DATE, **PUBLISHER)
    assert json.loads((portal / "publisher.json").read_text("utf-8")) == PUBLISHER
    _correct_a_title(package)
    before = file_contents(portal)
    with pytest.raises(SettingError, match="URLs of its releases never change"):
        publish("1.0.1", package=package, portal=portal, released=DATE, base_url="https://x.org")
    assert file_contents(portal) == before
    publish("1.0.1", package=package, portal=portal, released=DATE)  # remembered
    catalog = json.loads((portal / "catalog.json").read_text("utf-8"))
    urls = [d["downloadURL"] for d in catalog["dataset"][0]["distribution"]]
    assert all(url.startswith(PUBLISHER["base_url"] + "/releases/") for url in urls)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--base-url", "releases", "not an absolute http(s) URL"),
        ("--base-url", "ftp://example.org/x", "not an absolute http(s) URL"),
        ("--base-url", "javascript:alert(1)", "not an absolute http(s) URL"),
        ("--contact-email", "datos.example.org", "not an e-mail address"),
        ("--contact-email", "a b@example.org", "not an e-mail address"),
        ("--contact-name", " ", "needs --contact-name"),
    ],
)
def test_a_bad_publisher_is_a_one_line_error_and_leaves_no_portal(
    package: Path, tmp_path: Path, option: str, value: str, message: str
) -> None:
    options = dict(zip(PUBLISHER_OPTIONS[::2], PUBLISHER_OPTIONS[1::2], strict=True))
    options[option] = value
    portal = tmp_path / "portal"
    result = CliRunner().invoke(
        main,
        [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(portal), "--date", DATE),
            *(item for pair in options.items() for item in pair),
        ],
    )
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output
    assert not portal.exists()


# What search engines need of a schema.org Dataset, and what gcm-open promises besides.
SCHEMA_ORG_DATASET = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "name",
        "description",
        "version",
        "identifier",
        "url",
        "license",
        "creator",
        "publisher",
        "temporalCoverage",
        "spatialCoverage",
        "distribution",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Dataset"},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 50, "maxLength": 5000},
        "url": {"type": "string", "format": "uri", "pattern": "^https://"},
        "license": {"type": "string", "format": "uri"},
        "creator": {"type": "object", "required": ["@type", "name"]},
        "temporalCoverage": {"type": "string", "pattern": "^[0-9-]+/[0-9-]+$"},
        "distribution": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["@type", "encodingFormat", "contentUrl"],
                "properties": {
                    "@type": {"const": "DataDownload"},
                    "contentUrl": {"type": "string", "format": "uri", "pattern": "^https://"},
                },
            },
        },
    },
}


def _json_ld(page: str) -> list[dict[str, Any]]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(text) for text in found]


@pytest.mark.parametrize("page", ["index.html", "releases/1.0.0/index.html"])
def test_pages_describe_the_dataset_for_search_engines(portal: Path, page: str) -> None:
    [dataset] = _json_ld((portal / page).read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(
        SCHEMA_ORG_DATASET, format_checker=jsonschema.FormatChecker()
    )
    assert [error.message for error in validator.iter_errors(dataset)] == []
    assert dataset["url"] == f"{PUBLISHER['base_url']}/{page}"
    for download in dataset["distribution"]:
        local = portal / download["contentUrl"].removeprefix(PUBLISHER["base_url"] + "/")
        assert local.is_file(), download["contentUrl"]


def test_a_hostile_title_cannot_leave_the_json_ld(package: Path, tmp_path: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    descriptor["title"] = 'Compendio </script><script>alert("x")</script> & <!--'
    (package / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    portal = tmp_path / "portal"
    publish("1.0.0", package=package, portal=portal, released=DATE, **PUBLISHER)
    for page in ("index.html", "releases/1.0.0/index.html"):
        text = (portal / page).read_text("utf-8")
        assert "<script>alert" not in text
        [dataset] = _json_ld(text)
        assert dataset["name"] == descriptor["title"]


def test_practices_that_only_moved_are_counted_apart(portal: Path, package: Path) -> None:
    # As if a line were inserted before the first practice: every line number moves by 3.
    for table in ("practices", *LINKED_TABLES):
        rows = _rows(package, table)
        for row in rows:
            for name in LOCATION_FIELDS - {"page_start", "page_end", "page"}:
                if row.get(name) is not None:
                    row[name] += 3
        _rewrite(package, table, rows)
    _correct_a_title(package)
    assert validate(package).valid
    publish("1.0.1", package=package, portal=portal, released=DATE, **PUBLISHER)
    changelog = (portal / "releases" / "1.0.1" / "CHANGELOG.md").read_text("utf-8")
    assert "- practices: 0 rows added, 0 removed, 1 changed, 345 moved in the source" in changelog
    assert "Practices changed:\n\n- 2022-S-04-16\n  - title: " in changelog
    assert (
        "Practices that only moved in the source (pages or lines, nothing else): 345." in changelog
    )
    assert "2022-F-01-01" not in changelog


def test_rows_added_and_removed_are_listed_with_their_ids(portal: Path, package: Path) -> None:
    rows = _rows(package, "practice_populations")
    removed = rows[:30]
    _rewrite(package, "practice_populations", rows[30:])
    publish("2.0.0", package=package, portal=portal, released=DATE, **PUBLISHER)
    changelog = (portal / "releases" / "2.0.0" / "CHANGELOG.md").read_text("utf-8")
    listing = changelog.split("Rows removed:\n\n- practice_populations (30):\n")[1]
    keys = [f"{r['practice_id']} / {r['population_id']}" for r in removed]
    assert " ".join(listing.split()).startswith(", ".join(sorted(keys)))
    assert all(line.startswith("  ") and len(line) <= 90 for line in listing.splitlines()[:3])
    page = (portal / "releases" / "2.0.0" / "CHANGELOG.html").read_text("utf-8")
    assert '<meta charset="utf-8">' in page and f"<li>practice_populations (30): {keys[0]}" in page
