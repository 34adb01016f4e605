"""Time the parse of the bundled compendium, the whole build and `gcm-open --help`.

Prints the median of several runs and the peak memory of the build process. Targets on a
2-core machine: parse < 0.2 s; build < 3 s and < 500 MB; --help < 0.3 s.

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

from gcm_open.pages import read_text_pages
from gcm_open.parse import parse_compendium
from gcm_open.sources import bundled_source


def time_parse(runs: int) -> list[float]:
    source = bundled_source()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_compendium(read_text_pages(source.text), source.manifest.edition)
        timings.append(time.perf_counter() - start)
    return timings


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
        build_times, build_peak = time_command(["build", "-q", "--out", str(out)], runs)
    help_times, _ = time_command(["--help"], runs)
    print(f"runs per figure: {runs} (median shown)")
    print(f"parse (pages + practices):  {statistics.median(parse_times):.3f} s   target < 0.2 s")
    print(
        f"gcm-open build (whole):     {statistics.median(build_times):.3f} s   target < 3 s; "
        f"peak memory {build_peak:.0f} MB (target < 500 MB)"
    )
    print(f"gcm-open --help:            {statistics.median(help_times):.3f} s   target < 0.3 s")


if __name__ == "__main__":
    main()
