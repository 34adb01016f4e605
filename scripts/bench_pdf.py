"""Time PDF builds on the full fixture PDF rendered from the bundled compendium.

Prints the extraction rate in pages/s with one process and with 2 jobs (no cache), the
time of a whole `gcm-open build` from the PDF with a warm cache against the text build,
and the peak memory of a cold 2-job build, summed over the build and its workers.
Targets on a 2-core machine: 2 jobs at least 1.7x the serial rate; a warm-cache build
within 1.5x the text build; peak memory under 1 GB.

    python scripts/bench_pdf.py [--runs 3] [--pdf compendio.pdf]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from gcm_open.pdf import extract_pages
from make_fixture_pdf import make_pdf


def pages_per_second(pdf: Path, jobs: int, runs: int) -> tuple[float, int]:
    """Median extraction rate with ``jobs`` processes and no cache, and the page count."""
    rates = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        count = len(extract_pages(pdf, jobs=jobs, use_cache=False))
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), count


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields["PPid"].strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending += children.get(pid, [])
    return total


def run_build(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time of ``gcm-open build ARGS`` and the peak memory of its process tree in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "gcm_open", "build", "-q", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak_kb = 0

    def sample() -> None:
        nonlocal peak_kb
        while process.poll() is None:
            peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, errors = process.communicate()
    sampler.join()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"build failed: {errors.decode().strip()}")
    return elapsed, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", type=Path, help="a compendium PDF (default: render the fixture)")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        pdf = options.pdf or make_pdf(scratch / "compendio.pdf")
        env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache")}
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]

        serial_rate, count = pages_per_second(pdf, 1, runs)
        parallel_rate, _ = pages_per_second(pdf, 2, runs)
        out = ["--out", str(scratch / "datapackage")]
        cold = [run_build([*out, "--source", str(pdf), "--jobs", "2", "--no-cache"], env)]
        run_build([*out, "--source", str(pdf)], env)  # fills the cache
        warm = [run_build([*out, "--source", str(pdf)], env) for _ in range(runs)]
        text = [run_build(out, env) for _ in range(runs)]

    warm_time = statistics.median(time for time, _ in warm)
    text_time = statistics.median(time for time, _ in text)
    peak = max(memory for _, memory in cold + warm)
    print(f"PDF: {count} pages; {runs} runs per figure (median shown); {os.cpu_count()} cores")
    print(f"extraction, 1 process:  {serial_rate:6.1f} pages/s")
    print(
        f"extraction, 2 jobs:     {parallel_rate:6.1f} pages/s   "
        f"{parallel_rate / serial_rate:.2f}x serial   target >= 1.7x"
    )
    print(f"cold build, 2 jobs:     {cold[0][0]:6.2f} s")
    print(
        f"warm-cache PDF build:   {warm_time:6.2f} s   text build {text_time:.2f} s   "
        f"{warm_time / text_time:.2f}x   target <= 1.5x"
    )
    print(f"peak memory (build and workers): {peak:.0f} MB   target < 1024 MB")


if __name__ == "__main__":
    main()
