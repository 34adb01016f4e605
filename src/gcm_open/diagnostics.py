"""Warnings that a build counts and reports instead of dropping anything silently."""

from __future__ import annotations

from dataclasses import dataclass


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
