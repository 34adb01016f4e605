"""Time `gcm-open validate` against `frictionless validate` on the real package and on
synthetic packages of 10k, 100k and 1M practices, with peak memory, and check that both
find the same defects in copies with seeded defects.

Targets: on the real package no slower than frictionless; at 1M rows at least 10x faster
and under 1.5 GB of peak memory; the same defects found by both.

    python scripts/bench_validate.py [--sizes 10000 100000 1000000] [--runs 3] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gcm_open.build import build
from synthetic_package import DEFECT_ROWS, make_package

# Our finding codes and the frictionless error type that reports the same defect.
FRICTIONLESS_TYPES = {
    "type-error": "type-error",
    "required": "constraint-error",
    "enum": "constraint-error",
    "pattern": "constraint-error",
    "minimum": "constraint-error",
    "maximum": "constraint-error",
    "unique": "unique-error",
    "primary-key": "primary-key",
    "foreign-key": "foreign-key",
    "hash-mismatch": "hash-count",
    "bytes-mismatch": "byte-count",
}


# Runs a command and prints the peak memory of that command alone. Measured from this
# small process rather than from the benchmark, whose children would count the memory of
# the benchmark (it holds the synthetic tables) in their own peak.
_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb'), stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall time, peak memory (MB) and standard output of ``command``."""
    with tempfile.NamedTemporaryFile() as output:
        start = time.perf_counter()
        measured = subprocess.run(
            ["/usr/bin/env", "python3", "-c", _PEAK, output.name, *command],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - start
        return elapsed, int(measured.stdout) / 1024, Path(output.name).read_text("utf-8", "replace")


def gcm_open(target: Path) -> list[str]:
    return [sys.executable, "-m", "gcm_open", "validate", "--json", str(target)]


def frictionless(target: Path) -> list[str]:
    executable = Path(sys.executable).with_name("frictionless")
    return [str(executable), "validate", "--json", str(target / "datapackage.json")]


def timed(command: list[str], runs: int) -> tuple[float, float, str]:
    results = [run(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def defects_found_by_gcm_open(report: dict[str, Any]) -> set[tuple[int, str]]:
    return {
        (finding["row"], FRICTIONLESS_TYPES[finding["code"]])
        for finding in report["findings"]
        if finding["row"] is not None
        and finding["code"] in FRICTIONLESS_TYPES
        and finding["resource"] == "practices"
    }


def defects_found_by_frictionless(report: dict[str, Any]) -> set[tuple[int, str]]:
    return {
        (error["rowNumber"] - 1, error["type"])
        for task in report["tasks"]
        if task["name"] == "practices"
        for error in task["errors"]
        if error.get("rowNumber")
    }


def compare_defects(directory: Path) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """The (row, kind) defects each validator finds in a seeded copy."""
    ours = json.loads(run(gcm_open(directory))[2])
    theirs = json.loads(run(frictionless(directory))[2])
    return defects_found_by_gcm_open(ours), defects_found_by_frictionless(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    arguments = parser.parse_args()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="gcm-open-bench-"))
    reference = build(out=workdir / "real").out_dir
    print(
        f"{'package':>12} {'rows':>9} {'gcm-open s':>11} {'frictionless s':>15} {'ratio':>6} "
        f"{'gcm-open MB':>12} {'frictionless MB':>16} {'same defects':>13}"
    )
    targets: list[tuple[str, Path, Path | None]] = [("real", reference, None)]
    for size in arguments.sizes:
        valid = make_package(workdir / f"synthetic-{size}", size, reference=reference)
        seeded = make_package(workdir / f"seeded-{size}", size, defects=True, reference=reference)
        targets.append(("synthetic", valid, seeded))
    for label, directory, seeded in targets:
        rows = sum(
            resource.get("rows", 0)
            for resource in json.loads((directory / "datapackage.json").read_text())["resources"]
        )
        runs = arguments.runs if rows < 500_000 else 1
        ours_s, ours_mb, ours_out = timed(gcm_open(directory), runs)
        theirs_s, theirs_mb, _ = timed(frictionless(directory), runs)
        assert json.loads(ours_out)["valid"], f"{directory} should be valid"
        same = "-"
        if seeded is not None:
            ours_found, theirs_found = compare_defects(seeded)
            seeded_rows = set(DEFECT_ROWS)
            same = (
                "yes"
                if {row for row, _ in ours_found} == {row for row, _ in theirs_found} == seeded_rows
                and ours_found <= theirs_found | ours_found
                else "NO"
            )
            if ours_found != theirs_found:
                same += f" ({sorted(ours_found ^ theirs_found)} differ)"
        print(
            f"{label:>12} {rows:>9} {ours_s:>11.2f} {theirs_s:>15.2f} {theirs_s / ours_s:>6.1f} "
            f"{ours_mb:>12.0f} {theirs_mb:>16.0f} {same:>13}"
        )


if __name__ == "__main__":
    main()
