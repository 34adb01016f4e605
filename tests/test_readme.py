"""The README's Python examples run, from the repository root, and print what it shows."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO

_BLOCK = re.compile(r"```python\n(?P<code>.*?)```\n\n```text\n(?P<output>.*?)```", re.DOTALL)
EXAMPLES = [
    (match["code"], match["output"])
    for match in _BLOCK.finditer((REPO / "README.md").read_text("utf-8"))
]


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
