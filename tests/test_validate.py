"""gcm-open validate: the clean package passes; each package of the defect corpus has
exactly one defect and is caught with its own code; targets by path, zip and URL."""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import json
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import serving
from gcm_open.building import BuildResult
from gcm_open.cli import main
from gcm_open.errors import TargetError
from gcm_open.package.layout import integrity_keys
from gcm_open.package.writing import csv_bytes, parquet_bytes
from gcm_open.schemas import load_schema
from gcm_open.tables import to_arrow
from gcm_open.validation import validate

# --- helpers that damage a copy of the package ----------------------------------------


def _copy(built: BuildResult, tmp_path: Path) -> Path:
    package = tmp_path / "package"
    shutil.copytree(built.out_dir, package)
    return package


def _descriptor(package: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((package / "datapackage.json").read_text("utf-8"))
    return loaded


def _save_descriptor(package: Path, descriptor: dict[str, Any]) -> None:
    (package / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2), "utf-8"
    )


def _refresh(package: Path, *paths: str) -> None:
    """Update bytes and hash of the resources of ``paths``, so that only the data change."""
    descriptor = _descriptor(package)
    for resource in descriptor["resources"]:
        if resource["path"] in paths:
            data = (package / resource["path"]).read_bytes()
            pinned = {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}
            for key in integrity_keys(resource.get("format")):
                resource[key] = pinned[key]
            if "rows" in resource and resource.get("format") == "parquet":
                resource["rows"] = pq.ParquetFile(package / resource["path"]).metadata.num_rows
            elif "rows" in resource:
                rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
                resource["rows"] = len(rows) - 1
    _save_descriptor(package, descriptor)


def _rows(package: Path, table: str) -> list[dict[str, Any]]:
    """A table's rows, typed as the writer takes them."""
    schema = load_schema(table)
    types = {field["name"]: field["type"] for field in schema.fields}
    with (package / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    typed = []
    for row in rows:
        converted: dict[str, Any] = {}
        for name, text in row.items():
            if text == "":
                converted[name] = None
            elif types[name] == "integer":
                converted[name] = int(text)
            elif types[name] == "boolean":
                converted[name] = text == "true"
            elif types[name] == "number":
                converted[name] = float(text)
            else:
                converted[name] = text
        typed.append(converted)
    return typed


def _rewrite(
    package: Path, table: str, rows: list[dict[str, Any]], *, parquet: bool = True
) -> None:
    """Write a table's CSV (and Parquet) from rows, in the rows' order, with fresh hashes."""
    arrow = to_arrow(load_schema(table), rows)
    (package / "data" / f"{table}.csv").write_bytes(csv_bytes(arrow))
    paths = [f"data/{table}.csv"]
    if parquet:
        (package / "data" / f"{table}.parquet").write_bytes(parquet_bytes(arrow))
        paths.append(f"data/{table}.parquet")
    _refresh(package, *paths)


def _drop_resource(package: Path, name: str) -> None:
    descriptor = _descriptor(package)
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    descriptor["resources"].remove(resource)
    (package / resource["path"]).unlink()
    _save_descriptor(package, descriptor)


def wrong_type(package: Path) -> None:
    path = package / "data" / "practices.csv"
    path.write_text(
        path.read_text("utf-8").replace(
            "2022-F-07-04,2022,federal,7,", "2022-F-07-04,2022,federal,siete,", 1
        ),
        "utf-8",
    )
    _refresh(package, "data/practices.csv")
    # The Parquet copy cannot hold the wrong value; without it the package has one defect.
    _drop_resource(package, "practices-parquet")


def duplicate_key(package: Path) -> None:
    rows = _rows(package, "practice_states")
    rows[1] = dict(rows[0])
    _rewrite(package, "practice_states", rows)


def broken_foreign_key(package: Path) -> None:
    rows = _rows(package, "practice_institutions")
    rows[0]["institution_id"] = "NOPE"
    _rewrite(package, "practice_institutions", rows)


def stale_hash(package: Path) -> None:
    descriptor = _descriptor(package)
    descriptor["resources"][0]["hash"] = "sha256:" + "0" * 64
    _save_descriptor(package, descriptor)


def csv_parquet_disagree(package: Path) -> None:
    rows = _rows(package, "practices")
    rows[10]["title"] = "Un título que solo está en el CSV"
    arrow = to_arrow(load_schema("practices"), rows)
    (package / "data" / "practices.csv").write_bytes(csv_bytes(arrow))
    _refresh(package, "data/practices.csv")


def missing_file(package: Path) -> None:
    (package / "data" / "footnotes.parquet").unlink()


def unknown_iso_code(package: Path) -> None:
    for table in ("countries", "practice_countries"):
        rows = _rows(package, table)
        for row in rows:
            if row["country_code"] == "BLZ":
                row["country_code"] = "XXB"
        _rewrite(package, table, rows)


def malformed_json(package: Path) -> None:
    (package / "datapackage.json").write_text('{"name": "gcm-open", "resources": [', "utf-8")


def traversal_in_descriptor(package: Path) -> None:
    descriptor = _descriptor(package)
    resource = next(r for r in descriptor["resources"] if r["name"] == "practice_links")
    resource["path"] = "../../../etc/passwd"
    _save_descriptor(package, descriptor)


def inconsistent_challenges(package: Path) -> None:
    rows = _rows(package, "practices")
    row = next(r for r in rows if r["challenges"] is None)
    row["challenges_reported"] = True
    _rewrite(package, "practices", rows)


def numbering_gap(package: Path) -> None:
    rows = _rows(package, "practices")
    last = next(r for r in rows if r["practice_id"] == "2022-F-07-33")
    last["number"], last["practice_id"] = 34, "2022-F-07-34"
    _rewrite(package, "practices", rows)
    # The practice's relations keep pointing at it.
    for table in (
        "practice_institutions",
        "practice_states",
        "practice_countries",
        "practice_populations",
        "practice_links",
        "practice_figures",
        "footnotes",
    ):
        related = _rows(package, table)
        for row in related:
            if row.get("practice_id") == "2022-F-07-33":
                row["practice_id"] = "2022-F-07-34"
        _rewrite(package, table, related)


def _change_figure(package: Path, choose: Callable[[dict[str, Any]], bool], **changes: Any) -> None:
    rows = _rows(package, "practice_figures")
    row = next(r for r in rows if choose(r))
    row.update(changes)
    _rewrite(package, "practice_figures", rows)


def figure_not_printed(package: Path) -> None:
    _change_figure(package, lambda row: row["printed"] == "42,799", printed="42,790", value=42790.0)


def figure_value_wrong(package: Path) -> None:
    _change_figure(package, lambda row: row["printed"] == "42,799", value=1e9)


def figure_line_outside(package: Path) -> None:
    _change_figure(package, lambda row: row["figure_no"] == 1, line_no=1)


def year_counted(package: Path) -> None:
    # A count whose printed number is a year of its sentence, with nothing counted.
    _change_figure(
        package,
        lambda row: row["kind"] == "count" and " 2021 " in f" {row['context']} ",
        value=2021.0,
        printed="2021",
        unit=None,
        population_id=None,
    )


def money_without_currency(package: Path) -> None:
    _change_figure(package, lambda row: row["kind"] == "money", currency=None)


def unknown_currency(package: Path) -> None:
    _change_figure(package, lambda row: row["kind"] == "money", currency="XPZ")


def percent_of_people(package: Path) -> None:
    _change_figure(package, lambda row: row["kind"] == "percent", unit="personas")


DEFECTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "wrong-type": (wrong_type, "type-error"),
    "duplicate-key": (duplicate_key, "primary-key"),
    "broken-foreign-key": (broken_foreign_key, "foreign-key"),
    "stale-hash": (stale_hash, "hash-mismatch"),
    "csv-parquet-disagree": (csv_parquet_disagree, "parquet-values"),
    "missing-file": (missing_file, "file-missing"),
    "unknown-iso-code": (unknown_iso_code, "unknown-country-code"),
    "malformed-json": (malformed_json, "descriptor-json"),
    "path-traversal-in-descriptor": (traversal_in_descriptor, "path-unsafe"),
    "inconsistent-challenges": (inconsistent_challenges, "challenges-reported"),
    "numbering-gap": (numbering_gap, "numbering-gap"),
    "figure-not-printed": (figure_not_printed, "figure-not-in-text"),
    "figure-value-wrong": (figure_value_wrong, "figure-value-mismatch"),
    "figure-line-outside": (figure_line_outside, "figure-line-outside"),
    "year-counted": (year_counted, "figure-year-count"),
    "money-without-currency": (money_without_currency, "figure-money-currency"),
    "unknown-currency": (unknown_currency, "unknown-currency-code"),
    "percent-of-people": (percent_of_people, "figure-percent-unit"),
}


# --- the clean package and the corpus -------------------------------------------------


def test_the_clean_package_is_valid(built: BuildResult) -> None:
    report = validate(built.out_dir)
    assert report.valid, report.to_dict()["findings"][:5]
    assert report.rows == sum(built.table_rows.values())
    assert validate(built.out_dir / "datapackage.json").valid


@pytest.mark.parametrize("defect", DEFECTS, ids=list(DEFECTS))
def test_each_defect_is_found_with_its_own_code(
    defect: str, built: BuildResult, tmp_path: Path
) -> None:
    damage, code = DEFECTS[defect]
    package = _copy(built, tmp_path)
    damage(package)
    report = validate(package)
    assert set(report.counts) == {code}, report.to_dict()["findings"][:5]
    finding = next(f for f in report.findings if f.code == code)
    assert finding.message
    if code not in {"descriptor-json"}:
        assert finding.resource


def test_findings_say_where(built: BuildResult, tmp_path: Path) -> None:
    package = _copy(built, tmp_path)
    wrong_type(package)
    [finding] = validate(package).findings
    assert (finding.resource, finding.field, finding.message) == (
        "practices",
        "objective_id",
        "'siete' is not a valid integer",
    )
    assert finding.row is not None and finding.row > 1


def _zip(
    package: Path, archive: Path, extra: Callable[[zipfile.ZipFile], None] | None = None
) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                bundle.write(path, f"gcm-open-compendio-2022/{path.relative_to(package)}")
        if extra is not None:
            extra(bundle)
    return archive


def test_a_zip_release_is_valid(built: BuildResult, tmp_path: Path) -> None:
    archive = _zip(built.out_dir, tmp_path / "release.zip")
    assert validate(archive).valid


def test_path_traversal_in_a_zip_is_refused_and_not_extracted(
    built: BuildResult, tmp_path: Path
) -> None:
    archive = _zip(
        built.out_dir, tmp_path / "evil.zip", lambda bundle: bundle.writestr("../../evil.txt", "x")
    )
    report = validate(archive)
    assert set(report.counts) == {"zip-unsafe-path"}
    assert not list(tmp_path.parent.glob("evil.txt")) and not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_like_entry_is_refused(built: BuildResult, tmp_path: Path) -> None:
    def bomb(bundle: zipfile.ZipFile) -> None:
        bundle.writestr("gcm-open-compendio-2022/padding.bin", b"\0" * 20_000_000)

    report = validate(_zip(built.out_dir, tmp_path / "bomb.zip", bomb))
    assert set(report.counts) == {"zip-too-large"}


def test_a_symlink_in_a_zip_is_refused(built: BuildResult, tmp_path: Path) -> None:
    def link(bundle: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("gcm-open-compendio-2022/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(info, "/etc/passwd")

    report = validate(_zip(built.out_dir, tmp_path / "link.zip", link))
    assert set(report.counts) == {"zip-symlink"}


def test_a_symlink_leaving_the_package_is_refused(built: BuildResult, tmp_path: Path) -> None:
    package = _copy(built, tmp_path)
    outside = tmp_path / "outside.csv"
    outside.write_text("x\n", "utf-8")
    (package / "data" / "practice_links.csv").unlink()
    (package / "data" / "practice_links.csv").symlink_to(outside)
    assert set(validate(package).counts) == {"path-unsafe"}


def test_deeply_nested_json_is_refused(built: BuildResult, tmp_path: Path) -> None:
    package = _copy(built, tmp_path)
    (package / "datapackage.json").write_text("[" * 10_000 + "]" * 10_000, "utf-8")
    report = validate(package)
    assert set(report.counts) == {"descriptor-json"}
    assert "nests deeper" in report.findings[0].message


def test_an_unknown_profile_url_is_not_fetched(built: BuildResult, tmp_path: Path) -> None:
    package = _copy(built, tmp_path)
    descriptor = _descriptor(package)
    descriptor["$schema"] = "http://198.51.100.1/profile.json"
    _save_descriptor(package, descriptor)
    assert set(validate(package).counts) == {"descriptor-profile-url"}


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/no/such/package", "no such file or directory"),
        ("ftp://127.0.0.1/datapackage.json", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_unreadable_targets_raise(target: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        validate(target)


def test_a_directory_without_descriptor_is_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="not a data package"):
        validate(tmp_path)


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
def server(built: BuildResult, tmp_path: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving the package, a zip of it, and a redirect."""
    site = tmp_path / "site"
    shutil.copytree(built.out_dir, site / "release")
    _zip(built.out_dir, site / "release.zip")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def do_GET(self) -> None:
            if self.path == "/redirect-to-file":
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            super().do_GET()

    with serving(Handler) as url:
        yield url


def test_a_package_served_over_http_is_valid(server: str) -> None:
    report = validate(f"{server}/release/datapackage.json")
    assert report.valid, report.to_dict()["findings"][:3]
    assert validate(f"{server}/release.zip").valid


def test_http_errors_and_redirects_to_other_schemes_are_refused(server: str) -> None:
    with pytest.raises(TargetError, match="HTTP 404"):
        validate(f"{server}/nothing/datapackage.json")
    with pytest.raises(TargetError, match="file:"):
        validate(f"{server}/redirect-to-file")


# --- the command ----------------------------------------------------------------------


def test_cli_exit_codes_and_summary(built: BuildResult, tmp_path: Path) -> None:
    runner = CliRunner()
    valid = runner.invoke(main, ["validate", str(built.out_dir)])
    assert valid.exit_code == 0
    assert valid.output.strip().splitlines()[-1].startswith(f"VALID: {built.out_dir}")
    package = _copy(built, tmp_path)
    broken_foreign_key(package)
    invalid = runner.invoke(main, ["validate", str(package)])
    assert invalid.exit_code == 1
    assert invalid.output.splitlines()[0] == "practice_institutions"
    assert "foreign-key" in invalid.output
    assert invalid.output.strip().splitlines()[-1].startswith("INVALID:")
    missing = runner.invoke(main, ["validate", str(tmp_path / "nothing")])
    assert missing.exit_code == 2
    assert missing.output.startswith("Error: ") and missing.output.count("\n") == 1


def test_cli_json_equals_the_library_report(built: BuildResult, tmp_path: Path) -> None:
    package = _copy(built, tmp_path)
    duplicate_key(package)
    result = CliRunner().invoke(main, ["validate", "--json", str(package)])
    assert result.exit_code == 1
    assert json.loads(result.output) == validate(package).to_dict()


def test_cli_shows_the_first_findings_and_counts_the_rest(
    built: BuildResult, tmp_path: Path
) -> None:
    package = _copy(built, tmp_path)
    rows = _rows(package, "practice_institutions")
    for row in rows[:12]:
        row["institution_id"] = "NOPE"
    _rewrite(package, "practice_institutions", rows)
    output = CliRunner().invoke(main, ["validate", "--show", "3", str(package)]).output
    assert output.count("is not in institutions.institution_id") == 3
    assert "... and 9 more shown in --json" in output
    assert "foreign-key 12" in output


def test_validation_reads_and_writes_nothing_outside(built: BuildResult, tmp_path: Path) -> None:
    before = sorted(path.name for path in tmp_path.iterdir())
    validate(_zip(built.out_dir, tmp_path / "release.zip"))
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*before, "release.zip"])


def test_report_to_dict_is_json(built: BuildResult) -> None:
    data = validate(built.out_dir).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert io.StringIO(json.dumps(data)).read()
