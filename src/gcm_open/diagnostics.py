"""What the library reports besides its results: counted build warnings, progress
callbacks and the steps it logs.

The library never prints. It logs each step, with its timing, to the ``gcm_open`` logger
(INFO for steps, DEBUG for detail such as every file), which has no handler of its own:
an application decides where that goes (``gcm-open -v`` shows it on stderr).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as long work advances, for a progress bar."""


# Every code a build warning can carry, with what it means: the one place they are
# declared (docs/findings.md lists them from here).
WARNINGS = {
    "source-encoding": "the source text is not UTF-8 and was read as Windows-1252",
    "source-line-endings": "the source text ends its lines with CRLF or CR, read as LF",
    "page-count-drift": "a printed page number disagrees with the pages counted so far; "
    "the count goes on from the printed number",
    "displaced-table": "a table the text extraction printed at the end of its page was put "
    "back after the line that announces it",
    "divider-page": "a PDF page holds only an objective header (a divider page)",
    "hyphen-kept": "a lower-case word broken at a line end whose joined form neither the "
    "document nor simplemma's Spanish dictionary knows: the hyphen is kept",
    "missing-objective-header": "no page header names an objective block",
    "objective-header-displaced": "an objective header stands on another page than its "
    "block's first, where this document does not usually print them",
    "repeated-objective-header": "an objective has several page headers (running heads), "
    "read as one",
    "text-outside-practice": "text between objective blocks that belongs to no practice",
    "numbered-line-in-body": "a numbered line that looks like a practice header but is not "
    "the practice due, kept in the text",
    "repeated-heading": "a practice repeats its Resultados or Retos heading",
    "heading-out-of-order": "a practice's Resultados comes after its Retos",
    "no-results": "a practice without a Resultados section",
    "no-challenges": "a practice without a Retos section",
    "empty-results": "a practice with an empty Resultados section",
    "empty-challenges": "a practice with an empty Retos section",
    "table-in-practice": "a ruled table inside a practice, kept in its text one cell per line",
    "link-outside-practice": "a link annotation outside every practice, not in practice_links",
    "link-to-email-copy": "a link annotation that is a file path ending in an e-mail address "
    "the practice prints, not a web page: not in practice_links",
    "unread-number": "a practice prints a number that is neither read as a figure nor left "
    "out by a rule (a year, a date, an identifier, ...): not in practice_figures",
    "unplaced-institution": "a practice names a body (by the shape of its name) that the "
    "reference data does not hold: not in practice_institutions",
}


@dataclass(frozen=True, order=True)
class BuildWarning:
    """Something the build noticed and kept going past; every one is shown in the report.

    ``code`` is stable (tests and users filter on it) and one of :data:`WARNINGS`;
    ``line`` is the source line.
    """

    line: int
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in WARNINGS:
            raise ValueError(f"undeclared build warning code {self.code!r}")

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} [{self.code}]"


class Stopwatch:
    """Times the steps of a task for its log lines.

    >>> watch = Stopwatch()
    >>> watch.lap().endswith(" s")
    True
    """

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def lap(self) -> str:
        """The time since the previous lap (or the start), as ``"0.12 s"``."""
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        return f"{elapsed:.2f} s"
