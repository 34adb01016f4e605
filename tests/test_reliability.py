"""Faults around whole runs: builds killed mid-run, and the same bytes on any machine setup."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gcm_open.build import BuildResult
from gcm_open.package import _exchange


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _build_command(out: Path | str) -> list[str]:
    return [sys.executable, "-m", "gcm_open", "build", "-q", "--out", str(out)]


def test_an_exchange_swaps_two_directories(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text("first")
    (second / "b.txt").write_text("second")
    if not _exchange(first, second):
        pytest.skip("this system or filesystem has no atomic exchange of directories")
    assert [path.name for path in second.iterdir()] == ["a.txt"]
    assert [path.name for path in first.iterdir()] == ["b.txt"]


@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01, 0.03, 0.1, 0.5])
def test_a_build_killed_while_writing_leaves_one_whole_package(
    delay: float, tmp_path: Path, built: BuildResult
) -> None:
    out = tmp_path / "datapackage"
    out.mkdir()
    (out / "datapackage.json").write_text('{"name": "the previous package"}')
    previous = _files(out)
    complete = _files(built.out_dir)

    process = subprocess.Popen(_build_command(out), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    # Kill it once it has started writing: the staging directory is there.
    while not list(tmp_path.glob(".datapackage.staging-*")) and process.poll() is None:
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert _files(out) in (previous, complete)
    # The next build clears what the killed one left and writes the package.
    subprocess.run(_build_command(out), check=True)
    assert _files(out) == complete
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
        outputs.append(_files(workdir / "package"))
    assert outputs[0] == outputs[1] == outputs[2] == _files(built.out_dir)
