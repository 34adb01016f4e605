"""The one exception hierarchy of gcm-open.

Every expected failure raises a subclass of :class:`GcmOpenError` whose message says
what was wrong, where, and what to do; the command line turns it into a one-line error.
"""

from __future__ import annotations


class GcmOpenError(Exception):
    """Base class of every error gcm-open raises on purpose."""


class SourceError(GcmOpenError):
    """The source document is missing, unreadable, empty or not a compendium."""


class ParseError(GcmOpenError):
    """The document could not be read into practices; the message names the line."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class StructureError(ParseError):
    """The parsed practices break a structural rule (numbering, objectives, sections)."""


class SchemaError(GcmOpenError):
    """A Table Schema is missing or does not describe the table the code builds."""


class OutputError(GcmOpenError):
    """The package could not be written; the previous output is left as it was."""


class ResolutionError(GcmOpenError):
    """A label printed in the compendium does not resolve to a known code."""


class TargetError(GcmOpenError):
    """A package to check cannot be read at all: missing, not a package, bad URL, network."""


class SettingError(GcmOpenError):
    """An environment setting has a value gcm-open cannot use."""
