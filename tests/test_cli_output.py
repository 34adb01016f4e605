"""What every command shows: -q and -v, --json where the output is data, colours only on
a terminal, progress bars on long work, and the library's step log."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PUBLISHER, PUBLISHER_OPTIONS
from gcm_open import cli
from gcm_open.cli import main
from gcm_open.release import publish
from gcm_open.validation import validate

ANSI = "\x1b["


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _arguments(command: str, package: Path, tmp_path: Path) -> list[str]:
    """Arguments that make ``command`` do its work on ``package``."""
    return {
        "build": ["build", "--out", str(tmp_path / "rebuilt")],
        "validate": ["validate", str(package)],
        "info": ["info", str(package)],
        "publish": [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(tmp_path / "portal"), "--dry-run"),
            *PUBLISHER_OPTIONS,
        ],
        "diff": ["diff", str(package), str(package)],
    }[command]


COMMANDS = sorted(main.commands)  # type: ignore[attr-defined]


def test_every_command_is_covered_here() -> None:
    assert COMMANDS == ["build", "diff", "info", "publish", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_quiet_and_verbose_but_not_both(
    command: str, runner: CliRunner, package: Path, tmp_path: Path
) -> None:
    arguments = _arguments(command, package, tmp_path)
    plain = runner.invoke(main, arguments)
    quiet = runner.invoke(main, [*arguments, "-q"])
    verbose = runner.invoke(main, [*arguments, "-v"])
    assert plain.exit_code == quiet.exit_code == verbose.exit_code == 0, verbose.output
    # A valid package's report is its summary line, which is what -q keeps.
    assert len(quiet.stdout) < len(plain.stdout) or command == "validate"
    assert quiet.stdout.count("\n") <= 1
    assert plain.stderr == quiet.stderr == ""
    # -v adds the timed steps on stderr; only publish shows more on stdout (every file).
    assert verbose.stderr.startswith("[") and " s\n" in verbose.stderr
    if command == "publish":
        assert set(verbose.stdout.splitlines()) > set(plain.stdout.splitlines()) - {
            "  latest/ (a copy of the release; -v lists its files)"
        }
    else:
        assert verbose.stdout == plain.stdout
    both = runner.invoke(main, [*arguments, "-q", "-v"])
    assert both.exit_code == 2
    assert "Error: -q and -v cannot be used together" in both.output


@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_and_verbose_may_come_before_the_command(
    command: str, runner: CliRunner, package: Path, tmp_path: Path
) -> None:
    arguments = _arguments(command, package, tmp_path)
    quiet_after = runner.invoke(main, [*arguments, "-q"])
    quiet_before = runner.invoke(main, ["-q", *arguments])
    assert quiet_before.exit_code == 0
    assert quiet_before.stdout == quiet_after.stdout
    verbose_before = runner.invoke(main, ["-v", *arguments])
    assert verbose_before.stderr.startswith("[") and " s\n" in verbose_before.stderr
    mixed = runner.invoke(main, ["-q", *arguments, "-v"])
    assert mixed.exit_code == 2


def test_verbose_shows_the_steps_and_more_verbose_every_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    verbose = runner.invoke(main, ["build", "-v", "--out", str(tmp_path / "a")])
    assert verbose.exit_code == 0
    assert "parsed 346 practices in 46 objective blocks in " in verbose.stderr
    assert f"wrote 47 files to {tmp_path / 'a'} in " in verbose.stderr
    assert "wrote data/practices.csv" not in verbose.stderr
    more = runner.invoke(main, ["build", "-vv", "--out", str(tmp_path / "b")])
    assert "wrote data/practices.csv (574343 bytes)" in more.stderr
    # The handler goes with the command: the next command logs nothing.
    assert [type(h) for h in logging.getLogger("gcm_open").handlers] == [logging.NullHandler]
    after = runner.invoke(main, ["build", "--out", str(tmp_path / "c")])
    assert after.stderr == ""


def test_the_library_prints_nothing_even_when_logging_is_set_up(
    package: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    validate(package)
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("command", "first_line"),
    [
        ("info", "gcm-open-compendio-2022 1.0.0: 14 tables, {rows} rows"),
        ("diff", "Required version bump: none"),
        ("validate", "VALID: "),
    ],
)
def test_quiet_data_commands_print_one_line(
    command: str, first_line: str, runner: CliRunner, package: Path, tmp_path: Path
) -> None:
    result = runner.invoke(main, [*_arguments(command, package, tmp_path), "-q"])
    rows = 0
    for table in (package / "data").glob("*.csv"):
        with table.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.DictReader(handle))
    assert result.stdout.startswith(first_line.format(rows=rows))
    assert result.stdout.count("\n") == 1


def test_publish_json_is_the_library_result(
    runner: CliRunner, package: Path, tmp_path: Path
) -> None:
    portal = tmp_path / "portal"
    result = runner.invoke(
        main,
        [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(portal), "--date", "2022-11-01", "--json"),
            *PUBLISHER_OPTIONS,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == "1.0.0" and data["previous"] is None and not data["dry_run"]
    assert data["portal"] == str(portal)
    assert all((portal / path).is_file() for path in data["files"])
    assert "releases/1.0.0/SHA256SUMS" in data["files"]
    assert data["changelog"].startswith("# 1.0.0 (2022-11-01)")


def test_verbose_publish_lists_every_file_of_latest(
    runner: CliRunner, package: Path, tmp_path: Path
) -> None:
    arguments = [
        *("publish", "--version", "1.0.0", "--package", str(package)),
        *("--portal", str(tmp_path / "portal"), "--dry-run"),
        *PUBLISHER_OPTIONS,
    ]
    plain = runner.invoke(main, arguments)
    verbose = runner.invoke(main, [*arguments, "-v"])
    assert "  latest/datapackage.json" not in plain.stdout
    assert "  latest/ (a copy of the release; -v lists its files)" in plain.stdout
    assert "  latest/datapackage.json" in verbose.stdout


def test_colours_only_on_a_terminal_and_never_with_no_color(
    runner: CliRunner, package: Path
) -> None:
    piped = runner.invoke(main, ["validate", str(package)])
    terminal = runner.invoke(main, ["validate", str(package)], color=True)
    no_color = runner.invoke(main, ["validate", str(package)], color=True, env={"NO_COLOR": "1"})
    assert ANSI not in piped.output
    assert "\x1b[32m\x1b[1mVALID\x1b[0m" in terminal.output
    assert ANSI not in no_color.output
    error = runner.invoke(main, ["validate", "missing-package"], color=True)
    assert error.exit_code == 2
    assert error.stderr.startswith("\x1b[31m\x1b[1mError:\x1b[0m missing-package: no such file")
    plain_error = runner.invoke(main, ["validate", "missing-package"])
    assert plain_error.stderr == "Error: missing-package: no such file or directory\n"


def test_the_validation_reports_its_progress(package: Path) -> None:
    calls: list[tuple[int, int]] = []
    validate(package, progress=lambda done, total: calls.append((done, total)))
    totals = {total for _, total in calls}
    assert totals == {14 + 2}  # each of the 14 tables; then the keys, and the last rules
    dones = [done for done, _ in calls]
    assert dones == sorted(dones) and dones[-1] == 14 + 2


def test_a_publish_reports_the_progress_of_its_validation(package: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    publish(
        "1.0.0",
        package=package,
        portal=tmp_path / "portal",
        released="2022-11-01",
        **PUBLISHER,
        dry_run=True,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls and calls[-1][0] == calls[-1][1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_only_on_a_terminal_for_long_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli, "PROGRESS_DELAY_SECONDS", 0.0)
    with cli.progress_bar("Checking", shown=True) as advance:
        assert advance is not None
        advance(1, 4)
        advance(4, 4)
    assert "Checking" in terminal.getvalue() and "100%" in terminal.getvalue()
    with cli.progress_bar("Checking", shown=False) as advance:
        assert advance is None
    monkeypatch.setattr(cli, "PROGRESS_DELAY_SECONDS", 60.0)
    quick = _Terminal()
    monkeypatch.setattr(sys, "stderr", quick)
    with cli.progress_bar("Checking", shown=True) as advance:
        assert advance is not None
        advance(4, 4)
    assert quick.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli.progress_bar("Checking", shown=True) as advance:
        assert advance is None


def _on_a_terminal(arguments: list[str], env: dict[str, str]) -> str:
    """What ``gcm-open`` shows on a pseudo-terminal, with no delay before a progress bar."""
    program = (
        "import sys, gcm_open.cli as cli; cli.PROGRESS_DELAY_SECONDS = 0.0; "
        "sys.argv[0] = 'gcm-open'; cli.main()"
    )
    leader, follower = os.openpty()
    try:
        subprocess.run(
            [sys.executable, "-c", program, *arguments],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env={**os.environ, **env},
            timeout=120,
            check=False,
        )
    finally:
        os.close(follower)
    shown = b""
    try:
        while chunk := os.read(leader, 65536):
            shown += chunk
    except OSError:  # the terminal is closed once everything is read
        pass
    finally:
        os.close(leader)
    return shown.decode("utf-8")


def test_a_real_terminal_gets_a_progress_bar_and_colours_and_a_pipe_gets_neither(
    package: Path,
) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    terminal = _on_a_terminal(["validate", str(package)], {})
    assert "Checking" in terminal and "100%" in terminal
    assert "\x1b[32m\x1b[1mVALID\x1b[0m" in terminal
    no_color = _on_a_terminal(["validate", str(package)], {"NO_COLOR": "1"})
    assert "Checking" in no_color and "\x1b[32m" not in no_color
    quiet = _on_a_terminal(["validate", "-q", str(package)], {})
    assert "Checking" not in quiet
    piped = subprocess.run(
        [sys.executable, "-m", "gcm_open", "validate", str(package)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert ANSI not in piped.stdout + piped.stderr and "Checking" not in piped.stderr


def test_validate_without_a_target_checks_the_package_built_here(
    runner: CliRunner, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(main, ["validate"])
    assert missing.exit_code == 2
    assert missing.stderr == "Error: datapackage: no such file or directory\n"
    package.rename(tmp_path / "datapackage")
    here = runner.invoke(main, ["validate", "-q"])
    assert here.exit_code == 0
    assert here.stdout.startswith("VALID: datapackage: 32 resources")
