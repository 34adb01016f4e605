"""Time PDF builds on the full fixture PDF rendered from the bundled compendium.

Prints, for a PDF of one layout (``classic`` by default):

- bare pdfplumber: the characters of every page, pages split over 2 processes (each
  opens the PDF once), the least any reader built on pdfplumber can take;
- the extraction rate in pages/s with one process and with 2 jobs (no cache);
- a cold `gcm-open build` from the PDF with 2 jobs and no cache, against bare pdfplumber;
- a warm-cache build against the text build;
- the peak memory of the builds, summed over each build and its workers.

Targets on a 2-core machine: cold build within 1.2x bare pdfplumber; warm-cache build
within 1.5x the text build; peak memory under 1 GB.

    python scripts/bench_pdf.py [--runs 3] [--pdf compendio.pdf | --layout NAME]
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from gcm_open.pdf import extract_pages
from make_fixture_pdf import LAYOUTS, make_pdf


def _count_chars(path: str, first: int, last: int) -> int:
    import pdfplumber

    count = 0
    with pdfplumber.open(path) as document:
        for index in range(first, last):
            page = document.pages[index]
            count += len(page.chars)
            page.close()
    return count


def bare_pdfplumber(pdf: Path, runs: int) -> float:
    """Median time to read every page's characters with pdfplumber, in 2 processes."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        count = len(document.pages)
    halves = [(0, count // 2), (count // 2, count)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            sum(pool.map(_count_chars, [str(pdf)] * 2, *zip(*halves, strict=True)))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="classic")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        pdf = options.pdf or make_pdf(scratch / "compendio.pdf", layout=options.layout)
        env = {**os.environ, "XDG_CACHE_HOME": str(scratch / "cache")}
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]

        bare = bare_pdfplumber(pdf, runs)
        serial_rate, count = pages_per_second(pdf, 1, runs)
        parallel_rate, _ = pages_per_second(pdf, 2, runs)
        out = ["--out", str(scratch / "datapackage")]
        cold = [
            run_build([*out, "--source", str(pdf), "--jobs", "2", "--no-cache"], env)
            for _ in range(runs)
        ]
        run_build([*out, "--source", str(pdf)], env)  # fills the cache
        warm = [run_build([*out, "--source", str(pdf)], env) for _ in range(runs)]
        text = [run_build(out, env) for _ in range(runs)]

    warm_time = statistics.median(time for time, _ in warm)
    text_time = statistics.median(time for time, _ in text)
    peak = max(memory for _, memory in cold + warm)
    cold_time = statistics.median(time for time, _ in cold)
    name = options.pdf.name if options.pdf else f"the {options.layout} layout"
    print(f"PDF: {name}, {count} pages; {runs} runs per figure (median); {os.cpu_count()} cores")
    print(f"bare pdfplumber chars, 2 processes: {bare:6.2f} s")
    print(f"extraction, 1 process:  {serial_rate:6.1f} pages/s")
    print(
        f"extraction, 2 jobs:     {parallel_rate:6.1f} pages/s   "
        f"{parallel_rate / serial_rate:.2f}x serial"
    )
    print(
        f"cold build, 2 jobs:     {cold_time:6.2f} s   {cold_time / bare:.2f}x bare pdfplumber"
        "   target <= 1.2x"
    )
    print(
        f"warm-cache PDF build:   {warm_time:6.2f} s   text build {text_time:.2f} s   "
        f"{warm_time / text_time:.2f}x   target <= 1.5x"
    )
    print(f"peak memory (build and workers): {peak:.0f} MB   target < 1024 MB")


if __name__ == "__main__":
    main()
