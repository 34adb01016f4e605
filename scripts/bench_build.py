"""Time the parse of the bundled compendium, the build and `gcm-open --help`.

Prints the median of several runs: the parse; the build in one process once its modules
are loaded (parse, tables, writing the package), with the tables (normalization) apart;
the `gcm-open build` command from start to exit, with its peak memory; and whether the
build imports pandas. Targets on a 2-core machine: parse < 0.2 s; build in process
< 0.6 s; the command < 3 s and < 500 MB; no pandas; --help < 0.3 s.

    python scripts/bench_build.py [--runs 7]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gcm_open.building import build
from gcm_open.pages import read_text_pages
from gcm_open.parse import parse_compendium
from gcm_open.sources import bundled_source
from gcm_open.tables import build_tables

# Whether building in a fresh process imports pandas.
_PANDAS_PROBE = """
import sys, tempfile, pathlib
from gcm_open.building import build
build(out=pathlib.Path(tempfile.mkdtemp()) / "package")
print("pandas" in sys.modules)
"""


def time_parse(runs: int) -> list[float]:
    source = bundled_source()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_compendium(read_text_pages(source.text), source.manifest.edition)
        timings.append(time.perf_counter() - start)
    return timings


def time_build(runs: int, out: Path) -> tuple[list[float], list[float]]:
    """Wall time of each in-process build, and of its tables stage."""
    source = bundled_source()
    compendium = parse_compendium(read_text_pages(source.text), source.manifest.edition)
    build_tables(compendium)  # reference data and the dictionary's answers loaded once
    builds, tables = [], []
    for _ in range(runs):
        start = time.perf_counter()
        build(out=out)
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        build_tables(compendium)
        tables.append(time.perf_counter() - start)
    return builds, tables


def time_command(arguments: list[str], runs: int) -> tuple[list[float], float]:
    """Wall time of each run of ``python -m gcm_open ARGS`` and the peak RSS in MB."""
    timings = []
    peak_kb = 0
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "gcm_open", *arguments], check=True, capture_output=True
        )
        timings.append(time.perf_counter() - start)
        peak_kb = max(peak_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return timings, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    parse_times = time_parse(runs)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "datapackage"
        in_process, tables = time_build(runs, out)
        build_times, build_peak = time_command(["build", "-q", "--out", str(out)], runs)
    help_times, _ = time_command(["--help"], runs)
    probe = subprocess.run(
        [sys.executable, "-c", _PANDAS_PROBE], check=True, capture_output=True, text=True
    )
    print(f"runs per figure: {runs} (median shown)")
    print(f"parse (pages + practices):  {statistics.median(parse_times):.3f} s   target < 0.2 s")
    print(f"build, in process:          {statistics.median(in_process):.3f} s   target < 0.6 s")
    print(f"  of which tables:          {statistics.median(tables):.3f} s")
    print(
        f"gcm-open build (command):   {statistics.median(build_times):.3f} s   target < 3 s; "
        f"peak memory {build_peak:.0f} MB (target < 500 MB)"
    )
    print(f"the build imports pandas:   {probe.stdout.strip() == 'True'}   target: False")
    print(f"gcm-open --help:            {statistics.median(help_times):.3f} s   target < 0.3 s")


if __name__ == "__main__":
    main()
