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


@dataclass(frozen=True, order=True)
class BuildWarning:
    """Something the build noticed and kept going past; every one is shown in the report.

    ``code`` is stable (tests and users filter on it), ``line`` is the source line.
    """

    line: int
    code: str
    message: str

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
