"""Faults and hostile input around whole runs: killed and interrupted builds and publishes,
full and read-only disks, other machine setups, untrusted servers and zips; and the table
of docs/reliability.md that lists them."""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PUBLISHER, PUBLISHER_OPTIONS, file_contents, serving
from gcm_open import release as release_module
from gcm_open.api import load
from gcm_open.atomic import exchange
from gcm_open.building import BuildResult
from gcm_open.comparison import diff
from gcm_open.errors import OutputError, TargetError
from gcm_open.package import writing
from gcm_open.package.opening import Limits
from gcm_open.release import verify_release
from gcm_open.sources import bundled_source
from gcm_open.validation import validate
from interrupts import Interruption
from test_release import _correct_a_title

# Real processes killed, interrupted and raced: left out of `scripts/check.sh --fast`.
pytestmark = pytest.mark.slow


def _build_command(out: Path | str) -> list[str]:
    return [sys.executable, "-m", "gcm_open", "build", "-q", "--out", str(out)]


def _wait_for(folder: Path, pattern: str, process: subprocess.Popen[Any]) -> None:
    """Wait until ``pattern`` appears in ``folder``, while ``process`` runs."""
    deadline = time.monotonic() + 60
    while not list(folder.glob(pattern)) and process.poll() is None:
        assert time.monotonic() < deadline, f"{pattern} never appeared"
        time.sleep(0.0005)


def test_an_exchange_swaps_two_directories(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("first")
    (second / "b.txt").write_text("second")
    if not exchange(first, second):
        pytest.skip("this system or filesystem has no atomic exchange of directories")
    assert [path.name for path in second.iterdir()] == ["a.txt"]
    assert [path.name for path in first.iterdir()] == ["b.txt"]


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01, 0.03, 0.1, 0.5])
def test_a_build_killed_while_writing_leaves_one_whole_package(
    delay: float, tmp_path: Path, built: BuildResult
) -> None:
    out = tmp_path / "datapackage"
    previous = _previous_package(out)
    complete = file_contents(built.out_dir)

    process = subprocess.Popen(_build_command(out), stderr=subprocess.DEVNULL)
    _wait_for(tmp_path, ".datapackage.staging-*", process)  # it has started writing
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert file_contents(out) in (previous, complete)
    # The next build clears what the killed one left and writes the package.
    subprocess.run(_build_command(out), check=True)
    assert file_contents(out) == complete
    assert [path.name for path in tmp_path.iterdir()] == ["datapackage"]


def test_what_an_earlier_process_with_this_id_left_is_cleared_but_not_what_is_in_use(
    tmp_path: Path,
) -> None:
    out = tmp_path / "datapackage"
    # Process ids are reused: in a container every run may get the same one.
    for earlier in (
        f".datapackage.staging-{os.getpid()}-x1y2",
        f".datapackage.previous-{os.getpid()}",
    ):
        (tmp_path / earlier).mkdir()
        (tmp_path / earlier / "datapackage.json").write_text("{}")
    in_use = writing._claim(out, "staging")  # as another thread's build would hold it
    try:
        writing._write_atomically(_NEXT_PACKAGE, out)
        assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
            ["datapackage", in_use.name]
        )
    finally:
        writing._release(in_use)
    assert file_contents(out) == _NEXT_PACKAGE


_NEXT_PACKAGE = {"datapackage.json": b'{"name": "the next package"}\n', "data/a.csv": b"a\n1\n"}


@pytest.mark.parametrize("exchanges", [True, False], ids=["exchange", "renames"])
def test_ctrl_c_at_each_moment_of_a_write_leaves_one_whole_package_and_nothing_beside(
    exchanges: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One real SIGINT at each point where Python acts on a signal, in turn (a signal sent
    from outside lands at one of them, but seldom in a window of a few microseconds)."""
    if not exchanges:
        monkeypatch.setattr(writing, "exchange", lambda first, second: False)
    handler = signal.getsignal(signal.SIGINT)
    outcomes: Counter[str] = Counter()
    first: dict[str, int] = {}

    def write(at: int | None) -> int:
        work = tmp_path / f"at-{at}"
        out = work / "datapackage"
        work.mkdir()
        previous = _previous_package(out)
        interruption = Interruption(at)
        try:
            interruption.run(writing._write_atomically, _NEXT_PACKAGE, out)
            outcome = "not interrupted"
        except KeyboardInterrupt:
            outcome = "interrupted"
        except OSError as error:  # once an interrupted rmtree closed a file twice
            outcome = f"OSError ({error.strerror})"
        except OutputError as error:
            outcome = f"OutputError ({str(error).split(': ', 1)[1]})"
        now = file_contents(out) if out.is_dir() else None
        if now == previous:
            outcome += ", previous kept"
        elif now == _NEXT_PACKAGE:
            outcome += ", next in place"
        else:
            outcome += ", NEITHER PACKAGE"
        if [path.name for path in work.iterdir()] != ["datapackage"]:
            outcome += ", LEFT A FOLDER"
        if signal.getsignal(signal.SIGINT) is not handler:
            outcome += ", HANDLER NOT RESTORED"
        if at is not None:
            assert interruption.fired, f"point {at} never came: the runs differ"
            outcomes[outcome] += 1
            first.setdefault(outcome, at)
        shutil.rmtree(work)
        return interruption.points

    write(None)  # the first run fills caches (re.compile) that later runs only read
    points = write(None)
    for at in range(1, points + 1):
        write(at)

    assert set(outcomes) == {"interrupted, previous kept", "interrupted, next in place"}, (
        f"{points} interrupts: "
        + "; ".join(f"{n} {o} (first at {first[o]})" for o, n in sorted(outcomes.items()))
    )


def _interrupted_build(at: int, out: Path) -> subprocess.CompletedProcess[str]:
    """``gcm-open build`` with a real SIGINT at point ``at`` of its write (see interrupts.py)."""
    script = Path(__file__).with_name("interrupts.py")
    command = [sys.executable, str(script), str(at), "build", "-q", "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def moments_of_a_write(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """The points of the write of ``gcm-open build`` over a previous package at which to
    interrupt it, by name: the windows where a staging folder was once left behind, and
    points between."""
    out = tmp_path_factory.mktemp("counted") / "datapackage"
    _previous_package(out)
    counted = _interrupted_build(0, out)
    assert counted.returncode == 0, counted.stderr
    report = json.loads(counted.stdout)
    points, made, swapped = report["points"], *map(report["returned"].get, ("mkdtemp", "exchange"))
    return {
        "first": 1,
        "staging made": made + 1,
        "writing": (made + swapped) // 2,
        "swapped": swapped + 1,
        "cleaning up": (swapped + points) // 2,
        "last": points,
    }


@pytest.mark.parametrize(
    "moment", ["first", "staging made", "writing", "swapped", "cleaning up", "last"]
)
def test_ctrl_c_while_writing_is_aborted_and_leaves_one_whole_package_and_nothing_beside(
    moment: str, moments_of_a_write: dict[str, int], tmp_path: Path, built: BuildResult
) -> None:
    out = tmp_path / "datapackage"
    previous = _previous_package(out)

    result = _interrupted_build(moments_of_a_write[moment], out)

    assert result.returncode == 1 and result.stderr.strip() == "Aborted!", result.stderr
    assert file_contents(out) in (previous, file_contents(built.out_dir))
    assert [path.name for path in tmp_path.iterdir()] == ["datapackage"]


def test_the_same_bytes_whatever_the_directory_time_zone_locale_and_hash_seed(
    tmp_path: Path, built: BuildResult
) -> None:
    setups = [
        {"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"},
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "C", "PYTHONHASHSEED": "4242"},
        {"TZ": "America/Mexico_City", "LANG": "POSIX", "PYTHONHASHSEED": "random"},
    ]
    outputs = []
    for number, setup in enumerate(setups):
        workdir = tmp_path / f"machine-{number}" / "deep" / "down"
        workdir.mkdir(parents=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
        env.update(setup)
        # A relative --out, resolved against each run's own working directory.
        subprocess.run(_build_command("package"), cwd=workdir, env=env, check=True)
        outputs.append(file_contents(workdir / "package"))
    assert outputs[0] == outputs[1] == outputs[2] == file_contents(built.out_dir)


def test_the_text_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "twice.txt"
    text = bundled_source().text
    source.write_text(text + "\n" + text, "utf-8")
    out = tmp_path / "out"

    command = [*_build_command(out), "--source", str(source)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)

    assert result.returncode == 2
    assert re.fullmatch(
        r"Error: line \d+: objective 1 has a third page header \(page \d+\): .*\n", result.stderr
    )
    assert not out.exists()


# --- publishing -------------------------------------------------------------------------


def _publish_command(version: str, package: Path, portal: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "gcm_open", "publish", "-q", "--version", version),
        *("--package", str(package), "--portal", str(portal), "--date", "2022-10-01"),
        *PUBLISHER_OPTIONS,
    ]


def _check_portal(portal: Path, versions: list[str]) -> None:
    """The portal lists ``versions`` and each of them matches its checksums."""
    releases = json.loads((portal / "releases.json").read_text("utf-8"))
    assert [release["version"] for release in releases] == versions
    for release in releases:
        assert verify_release(portal, release) == []
    latest = json.loads((portal / "latest.json").read_text("utf-8"))
    assert latest["version"] == versions[-1]
    assert [path.name for path in portal.rglob(".*")] == []


def test_two_publishes_at_once_one_wins(tmp_path: Path, built: BuildResult) -> None:
    portal = tmp_path / "portal"
    runs = [
        subprocess.Popen(
            _publish_command("1.0.0", built.out_dir, portal),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = sorted((run.wait(), run.communicate()[0]) for run in runs)

    (won, _), (lost, message) = outcomes
    assert won == 0 and lost != 0
    assert message.count("\n") == 1 and message.startswith("Error: ")
    assert "another publish of this portal is running" in message or "already published" in message
    _check_portal(portal, ["1.0.0"])
    assert [path.name for path in tmp_path.glob(".portal.staging-*")] == []


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.005, 0.01, 0.02, 0.1])
def test_a_publish_killed_while_writing_leaves_the_whole_old_or_new_portal(
    delay: float, tmp_path: Path, built: BuildResult
) -> None:
    portal = tmp_path / "portal"
    subprocess.run(_publish_command("1.0.0", built.out_dir, portal), check=True)
    corrected = tmp_path / "corrected"
    shutil.copytree(built.out_dir, corrected)
    _correct_a_title(corrected)
    old_portal = file_contents(portal)

    process = subprocess.Popen(
        _publish_command("1.0.1", corrected, portal), stderr=subprocess.DEVNULL
    )
    _wait_for(tmp_path, ".portal.staging-*/portal", process)  # assembling the next portal
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()

    if file_contents(portal) == old_portal:
        # The next publish clears what the killed one left and goes through.
        subprocess.run(_publish_command("1.0.1", corrected, portal), check=True)
        assert [path.name for path in tmp_path.glob(".portal.staging-*")] == []
    _check_portal(portal, ["1.0.0", "1.0.1"])
    now = file_contents(portal)
    earlier_release = [name for name in old_portal if name.startswith("releases/1.0.0/")]
    assert earlier_release and all(now[name] == old_portal[name] for name in earlier_release)
    for name in ("index.html", "catalog.json", "latest.json", "releases.json"):
        assert (portal / name).read_bytes() != old_portal[name], name


# DuckDB writes a random identifier into the header of every database file (since 1.4,
# duckdb/duckdb#18823), so two publishes of the same package give databases that differ
# in those bytes (and in the header's checksum), and sums that differ in turn. Everything
# else is compared byte for byte.
_DUCKDB_HEADER_RANDOM = (slice(0, 8), slice(124, 140))


def _comparable(contents: dict[str, bytes]) -> dict[str, bytes]:
    compared = {}
    for path, original in contents.items():
        data = original
        if path.endswith(".duckdb"):
            masked = bytearray(data)
            for part in _DUCKDB_HEADER_RANDOM:
                masked[part] = bytes(part.stop - part.start)
            data = bytes(masked)
        elif path.endswith("SHA256SUMS"):
            data = re.sub(rb"(?m)^[0-9a-f]{64}(  \S+\.duckdb)$", rb"-\1", data)
        elif path.endswith("releases.json"):
            data = re.sub(rb'"sums_sha256": "[0-9a-f]{64}"', b'"sums_sha256": "-"', data)
        compared[path] = data
    return compared


def test_ctrl_c_at_the_moments_of_a_publish_leaves_the_old_or_new_portal_and_nothing_beside(
    tmp_path: Path, built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One real SIGINT in turn at points of a publish: around the making of the staging
    folder, during the staging, around the exchange and during the clean-up."""
    template = tmp_path / "template" / "portal"
    release_module.publish(
        "1.0.0", package=built.out_dir, portal=template, released="2022-10-01", **PUBLISHER
    )
    corrected = tmp_path / "corrected"
    shutil.copytree(built.out_dir, corrected)
    _correct_a_title(corrected)
    # Both only read, and are slow when traced: their answers are reused.
    report, difference = validate(corrected), diff(template / "releases" / "1.0.0", corrected)
    monkeypatch.setattr(release_module, "validate", lambda *args, **options: report)
    monkeypatch.setattr(release_module, "diff", lambda *args, **options: difference)
    # Checking and staging: long work at any moment of which an interrupt does the same.
    opaque = (
        release_module.read_releases,
        release_module.verify_release,
        release_module.release_problems,
        release_module.release_changelog,
        release_module._stage_release,
        release_module._release_entry,
        release_module._stage_portal,
        release_module._relative_files,
    )
    handler = signal.getsignal(signal.SIGINT)
    old = _comparable(file_contents(template))

    def publish(at: int | None) -> tuple[Interruption, str, dict[str, bytes]]:
        work = tmp_path / f"at-{at}"
        portal = work / "portal"
        shutil.copytree(template, portal)
        interruption = Interruption(at, opaque=opaque, marks=(tempfile.mkdtemp, exchange))
        try:
            interruption.run(
                release_module.publish,
                "1.0.1",
                package=corrected,
                portal=portal,
                released="2022-10-02",
                **PUBLISHER,
            )
            outcome = "not interrupted"
        except KeyboardInterrupt:
            outcome = "interrupted"
        now = _comparable(file_contents(portal))
        outcome += ", old portal" if now == old else ", new portal"
        if {path.name for path in work.iterdir()} - {"portal", ".portal.publish.lock"}:
            outcome += ", LEFT A FOLDER"
        if signal.getsignal(signal.SIGINT) is not handler:
            outcome += ", HANDLER NOT RESTORED"
        shutil.rmtree(work)
        return interruption, outcome, now

    publish(None)  # the first run fills caches (re.compile) that later runs only read
    counted, _, new = publish(None)
    points, made, swapped = (
        counted.points,
        counted.returned["mkdtemp"],
        counted.returned["exchange"],
    )
    moments = {1, (made + swapped) // 2, (swapped + points) // 2, points - 1, points}
    moments |= {made + step for step in (1, 2, 5, 20)} | {swapped + step for step in (1, 2, 5, 20)}
    outcomes: dict[int, str] = {}
    for at in sorted(moments):
        interruption, outcomes[at], now = publish(at)
        assert interruption.fired, f"point {at} never came: the runs differ"
        if now not in (old, new):
            outcomes[at] += ", NEITHER PORTAL"

    assert set(outcomes.values()) == {"interrupted, old portal", "interrupted, new portal"}, (
        f"{points} points: {outcomes}"
    )


# --- untrusted servers ------------------------------------------------------------------


class _Drip(http.server.BaseHTTPRequestHandler):
    """Sends a descriptor that never ends: one byte every 50 ms, for ever."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            self.wfile.write(b"{")
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return


class _Flood(http.server.BaseHTTPRequestHandler):
    """Sends data without end and without a length, as fast as it can."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        block = b"x" * 65536
        try:
            while True:
                self.wfile.write(block)
        except OSError:
            return


def test_a_server_that_drips_for_ever_is_cut_off_at_the_time_limit() -> None:
    with serving(_Drip) as url:
        started = time.monotonic()
        with pytest.raises(TargetError, match=r"no complete answer within 1 s"):
            validate(f"{url}/datapackage.json", limits=Limits(timeout_seconds=1))
        assert time.monotonic() - started < 10


def test_a_server_that_floods_is_cut_off_at_the_size_limit() -> None:
    limits = Limits(max_descriptor_bytes=1024**2)
    with (
        serving(_Flood) as url,
        pytest.raises(TargetError, match=r"more than the limit of 1048576 bytes"),
    ):
        validate(f"{url}/datapackage.json", limits=limits)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [("../../evil.txt", "leaves the package"), ("/tmp/evil.txt", "absolute path")],
)
def test_diff_refuses_a_zip_with_an_unsafe_entry_and_writes_nothing_outside(
    entry: str, problem: str, built: BuildResult, tmp_path: Path
) -> None:
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(built.out_dir.rglob("*")):
            if path.is_file():
                bundle.write(path, f"release/{path.relative_to(built.out_dir)}")
        bundle.writestr(entry, "x")
    before = sorted(tmp_path.parent.rglob("evil.txt"))

    with pytest.raises(TargetError, match=f"zip entry '{re.escape(entry)}': {problem}"):
        diff(built.out_dir, archive)
    assert sorted(tmp_path.parent.rglob("evil.txt")) == before
    assert not Path("/tmp/evil.txt").exists()


def test_diff_and_load_refuse_a_descriptor_that_is_not_an_object(
    built: BuildResult, tmp_path: Path
) -> None:
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "datapackage.json").write_text("[1, 2]")
    message = "datapackage.json is not an object"
    with pytest.raises(TargetError, match=message):
        diff(built.out_dir, odd)
    with pytest.raises(TargetError, match=message):
        load(odd)


# --- full and read-only disks -----------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs, too small for the package, mounted where the system lets the test."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _previous_package(out: Path) -> dict[str, bytes]:
    out.mkdir()
    (out / "datapackage.json").write_text('{"name": "the previous package"}')
    return file_contents(out)


def test_a_full_disk_is_a_clear_error_and_the_previous_package_stays(small_disk: Path) -> None:
    out = small_disk / "datapackage"
    previous = _previous_package(out)

    result = subprocess.run(_build_command(out), capture_output=True, text=True, check=False)

    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "No space left on device" in result.stderr and "previous output is unchanged" in (
        result.stderr
    )
    assert file_contents(out) == previous
    assert [path.name for path in small_disk.iterdir()] == ["datapackage"]


def test_a_read_only_disk_is_a_clear_error(small_disk: Path) -> None:
    out = small_disk / "datapackage"
    previous = _previous_package(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    result = subprocess.run(_build_command(out), capture_output=True, text=True, check=False)

    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Read-only file system" in result.stderr
    assert file_contents(out) == previous


# --- the reliability table --------------------------------------------------------------


def test_the_reliability_table_names_real_tests() -> None:
    repo = Path(__file__).resolve().parent.parent
    table = (repo / "docs" / "reliability.md").read_text("utf-8")
    named = set(re.findall(r"`tests/(\w+\.py)::(\w+)`", table))
    assert named
    for file_name, test_name in sorted(named):
        source = (repo / "tests" / file_name).read_text("utf-8")
        assert f"def {test_name}(" in source, f"{file_name}::{test_name} does not exist"
    own = re.findall(r"^def (test_\w+)\(", Path(__file__).read_text("utf-8"), re.MULTILINE)
    here = {name for file_name, name in named if file_name == Path(__file__).name}
    assert sorted(set(own) - here) == []
