"""The README's Python examples run, from the repository root, and print what it shows."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO

_FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<code>.*?)^```\n", re.DOTALL | re.MULTILINE)
_NOT_RUN = re.compile(r"<!-- not run by the README test: (?P<reason>[^>]+) -->\n$")


def _blocks(text: str) -> list[tuple[str, str, str, str]]:
    """Every fenced block: (language, code, the text before it, the text after it)."""
    found = []
    for match in _FENCE.finditer(text):
        found.append((match["language"], match["code"], text[: match.start()], text[match.end() :]))
    return found


README_BLOCKS = _blocks((REPO / "README.md").read_text("utf-8"))
# A Python example is followed by the output it prints, in a text block.
EXAMPLES = [
    (code, _blocks(after)[0][1])
    for language, code, before, after in README_BLOCKS
    if language == "python" and not _NOT_RUN.search(before) and after.startswith("\n```text\n")
]


def test_every_code_block_of_the_readme_runs_or_says_why_not() -> None:
    for language, code, before, after in README_BLOCKS:
        if language in ("", "text"):
            continue
        runs = language == "python" and after.startswith("\n```text\n")
        marked = _NOT_RUN.search(before)
        assert runs != bool(marked), f"{language} block neither run nor marked: {code[:60]!r}"


def test_the_readme_has_the_pandas_duckdb_and_polars_examples() -> None:
    code = "\n".join(example for example, _ in EXAMPLES)
    for library in ("import pandas", "import duckdb", "import polars"):
        assert library in code


@pytest.mark.parametrize(
    ("code", "output"), EXAMPLES, ids=[f"example-{n}" for n in range(len(EXAMPLES))]
)
def test_readme_example_prints_what_the_readme_shows(code: str, output: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == output
