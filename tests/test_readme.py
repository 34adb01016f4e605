"""The README's Python examples and shell transcripts run, from the repository root or a
copy of its package, and print what the README shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from gcm_open.building import BuildResult

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


# A text block that starts with "$ " is a shell transcript: commands and what they print,
# where a line "..." stands for any number of lines.
TRANSCRIPTS = [
    code
    for language, code, before, _ in README_BLOCKS
    if language == "text" and code.startswith("$ ") and not _NOT_RUN.search(before)
]


def test_every_code_block_of_the_readme_runs_or_says_why_not() -> None:
    for language, code, before, after in README_BLOCKS:
        if language in ("", "text"):
            continue
        runs = language == "python" and after.startswith("\n```text\n")
        marked = _NOT_RUN.search(before)
        assert runs != bool(marked), f"{language} block neither run nor marked: {code[:60]!r}"


README_SECTIONS = [
    "What you get",
    "Install",
    "The command line",
    "The Python API",
    "Recipes",
    "Validating a package",
    "Publishing a release",
    "Citing",
    "Licences",
]


def test_the_readme_has_the_sections_users_look_for() -> None:
    headings = re.findall(r"^## (.+)$", (REPO / "README.md").read_text("utf-8"), re.MULTILINE)
    assert [heading for heading in headings if heading in README_SECTIONS] == README_SECTIONS


def test_the_readme_counts_are_those_of_the_package(built: BuildResult) -> None:
    shown = dict(
        re.findall(
            r"^\| `(\w+)` \| (\d+) \|", (REPO / "README.md").read_text("utf-8"), re.MULTILINE
        )
    )
    assert {name: int(rows) for name, rows in shown.items()} == built.table_rows


def test_the_readme_has_the_pandas_duckdb_and_polars_examples() -> None:
    code = "\n".join(example for example, _ in EXAMPLES)
    for library in ("import pandas", "import duckdb", "import polars"):
        assert library in code


@pytest.mark.parametrize(
    ("code", "output"),
    [
        # Spark starts a JVM: a quarter of a minute.
        pytest.param(code, output, marks=pytest.mark.slow if "pyspark" in code else ())
        for code, output in EXAMPLES
    ],
    ids=[f"example-{n}" for n in range(len(EXAMPLES))],
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


def _steps(transcript: str) -> list[tuple[str, list[str]]]:
    """The commands of a transcript, each with the lines it is shown to print."""
    steps: list[tuple[str, list[str]]] = []
    for line in transcript.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def _shows(expected: list[str], printed: list[str]) -> bool:
    """Whether ``printed`` is ``expected``, where a line "..." stands for any lines."""
    if not expected:
        return not printed
    if expected[0].strip() == "...":
        return any(_shows(expected[1:], printed[start:]) for start in range(len(printed) + 1))
    return bool(printed) and printed[0] == expected[0] and _shows(expected[1:], printed[1:])


def test_the_transcript_matcher_can_fail() -> None:
    assert _shows(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not _shows(["a", "...", "d"], ["a", "b", "c"])
    assert not _shows(["a"], ["a", "b"])


def test_the_readme_shows_transcripts_of_the_commands() -> None:
    commands = [command for transcript in TRANSCRIPTS for command, _ in _steps(transcript)]
    assert {"gcm-open build", "gcm-open info datapackage"} <= set(commands)


@pytest.mark.parametrize(
    "transcript", TRANSCRIPTS, ids=[f"transcript-{n}" for n in range(len(TRANSCRIPTS))]
)
def test_readme_transcript_prints_what_the_readme_shows(transcript: str, tmp_path: Path) -> None:
    shutil.copytree(REPO / "datapackage", tmp_path / "datapackage")
    commands = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": f"{commands}{os.pathsep}{os.environ['PATH']}"}
    for command, expected in _steps(transcript):
        result = subprocess.run(
            command,
            shell=True,
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{command}: {result.stderr}"
        assert _shows(expected, result.stdout.splitlines()), f"{command} printed:\n{result.stdout}"
