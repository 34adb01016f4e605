"""The gcm-open command: help, version, build, and one-line errors for bad sources."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from gcm_open import __version__
from gcm_open.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_commands_with_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.output
    assert "Example:" in result.output
    build_help = runner.invoke(main, ["build", "--help"])
    assert build_help.exit_code == 0
    assert "gcm-open build --out" in build_help.output
    assert "--source" in build_help.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"gcm-open, version {__version__}"


def test_build_writes_the_package_and_reports_it(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = runner.invoke(main, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "datapackage.json").is_file()
    assert "Objective  7                   33     13" in result.output
    assert "Objective 11                    8   none" in result.output
    assert "Total                         228    118   (346 practices)" in result.output
    # The warnings counted by code, and each table's rows as written.
    assert re.search(
        r"^Warnings: \d+ \(displaced-table 1, link-to-email-copy 1, ", result.output, re.M
    )
    with (out / "data" / "practice_institutions.csv").open(encoding="utf-8", newline="") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert f"  practice_institutions{rows:>7}" in result.output
    assert f"Wrote {out} (47 files" in result.output


def test_the_build_report_lists_a_few_warnings_of_each_code_and_counts_the_rest(
    runner: CliRunner, tmp_path: Path
) -> None:
    report = runner.invoke(main, ["build", "--json", "--out", str(tmp_path / "a")])
    counts = json.loads(report.output)["warning_counts"]
    result = runner.invoke(main, ["build", "--show", "2", "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    for code, count in counts.items():
        listed = [line for line in result.output.splitlines() if line.endswith(f"[{code}]")]
        assert len(listed) == min(count, 2), code
        more = f"  … {count - 2} more {code} warnings (--json lists every one)"
        assert (more in result.output.splitlines()) is (count > 2), code
    assert any(count > 2 for count in counts.values())


def test_quiet_build_prints_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "-q", "--out", str(tmp_path / "pkg")])
    assert result.exit_code == 0
    assert result.output == ""


@pytest.mark.parametrize(
    ("make_source", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "missing.txt: no such file"),
        (lambda tmp: _write(tmp / "empty.txt", b""), "empty.txt: the file is empty"),
        (
            lambda tmp: _write(tmp / "other.txt", b"Acta de la sesion ordinaria.\n"),
            "not a compendium",
        ),
        (lambda tmp: tmp, "is a directory"),
    ],
    ids=["missing", "empty", "other-document", "directory"],
)
def test_a_bad_source_is_a_one_line_error_and_keeps_the_output(
    runner: CliRunner, tmp_path: Path, make_source: object, message: str
) -> None:
    out = tmp_path / "pkg"
    assert runner.invoke(main, ["build", "-q", "--out", str(out)]).exit_code == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    source = make_source(tmp_path)  # type: ignore[operator]
    result = runner.invoke(main, ["build", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        # Cut after federal objective 23: the closing page survives, the state section not.
        (lambda lines: lines[:9590] + lines[-60:], "expected 46"),
        # Cut in the middle of the state section, closing page lost too.
        (lambda lines: lines[:11000], "cannot tell the edition"),
    ],
    ids=["state-section-missing", "end-missing"],
)
def test_a_truncated_compendium_is_refused(
    runner: CliRunner, tmp_path: Path, keep: object, message: str
) -> None:
    from gcm_open.sources import bundled_source

    lines = bundled_source().text.split("\n")
    text = "\n".join(keep(lines))  # type: ignore[operator]
    truncated = _write(tmp_path / "truncated.txt", text.encode("utf-8"))
    out = tmp_path / "pkg"
    result = runner.invoke(main, ["build", "--source", str(truncated), "--out", str(out)])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_an_unwritable_output_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = _write(tmp_path / "file", b"not a directory")
    result = runner.invoke(main, ["build", "--out", str(blocker / "pkg")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "cannot create the output" in result.output


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_the_cli_reference_documents_every_command_and_is_current() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from make_cli_reference import REFERENCE, cli_reference

    text = cli_reference()
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"\n## gcm-open {name}\n" in text, name
        assert "Example:" in text.split(f"\n## gcm-open {name}\n")[1].split("\n## ")[0], name
    assert REFERENCE.read_text("utf-8") == text, "run python scripts/make_cli_reference.py"


def test_build_json_is_the_library_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "package"
    result = runner.invoke(main, ["build", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["table_rows"]["practices"] == 346
    assert sum(report["warning_counts"].values()) == len(report["warnings"]) > 0
    assert sum(block["practices"] for block in report["objective_blocks"]) == 346
    written = {item["path"]: item for item in report["files"]}
    data = (out / "data" / "practices.csv").read_bytes()
    assert written["data/practices.csv"]["bytes"] == len(data)
    assert written["data/practices.csv"]["sha256"] == hashlib.sha256(data).hexdigest()
