"""Where things are in a package, and the one rule of which paths may be read.

A gcm-open package holds ``datapackage.json``, ``schemas/<table>.json``, and each table as
``data/<table>.csv`` (resource ``<table>``) and ``data/<table>.parquet`` (resource
``<table>-parquet``). Any other Data Package may name its files as it likes, within the
path rule.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path, PurePosixPath

DESCRIPTOR = "datapackage.json"
# What a folder's descriptor may be called, in the order they are looked for.
DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
DESCRIPTOR_SUFFIXES = (".json", ".yaml", ".yml")
PARQUET_SUFFIX = "-parquet"
# The compendium's terms of reuse, which the descriptor's licence points to.
LICENCE = "LICENSE.md"
# The script that loads the package into DuckDB, with types, keys and descriptions.
DUCKDB_SCRIPT = "duckdb.sql"
# The CSV dialect gcm-open writes, declared on every CSV resource so that no reader has to
# guess it (Table Dialect v2: RFC 4180 with LF line ends).
CSV_DIALECT = {
    "header": True,
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
}


def integrity_keys(file_format: str | None) -> tuple[str, ...]:
    """The properties that pin a gcm-open file's content: ``bytes`` and ``hash``, but only
    ``hash`` for Parquet. frictionless reads a Parquet table through pandas, without
    counting its bytes, and reports any declared ``bytes`` as wrong; it ignores ``hash``
    there, which gcm-open validate and SHA256SUMS check."""
    return ("hash",) if file_format == "parquet" else ("bytes", "hash")


def csv_path(table: str) -> str:
    """The CSV file of a gcm-open table."""
    return f"data/{table}.csv"


def parquet_path(table: str) -> str:
    """The Parquet file of a gcm-open table."""
    return f"data/{table}.parquet"


def schema_path(table: str) -> str:
    """The Table Schema of a gcm-open table."""
    return f"schemas/{table}.json"


def parquet_resource(table: str) -> str:
    """The name of the resource of a gcm-open table's Parquet file."""
    return f"{table}{PARQUET_SUFFIX}"


def is_url(text: str) -> bool:
    """Whether ``text`` is written as a URL (any scheme but a Windows drive letter)."""
    return len(urllib.parse.urlsplit(text).scheme) > 1


def relative_path_problem(name: str) -> str | None:
    """Why a relative path (in a descriptor or a zip) is unsafe, or None when it is plain.

    >>> [relative_path_problem(p) for p in ("data/a.csv", "/etc/passwd", "data/../../x", "C:/x")]
    [None, 'absolute path', 'leaves the package (..)', 'absolute path']
    """
    normalized = name.replace("\\", "/")
    if not normalized or "\x00" in normalized:
        return "empty or invalid path"
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(normalized).parts:
        return "leaves the package (..)"
    return None


def path_problem(path: object, root: Path, base_url: str | None) -> str | None:
    """Why a path a descriptor names may not be read, or None when it may.

    The one rule for every reader: a plain relative path inside the package; no absolute
    path, no ``..``, no symbolic link leading out of the package, and a URL only when the
    package itself was opened from a URL and the file's URL lies under it.
    """
    if not isinstance(path, str):
        return "not a path"
    if is_url(path):
        if base_url is None:
            return "a URL (only files inside the package are read)"
        return None if remote_relative(path, base_url) is not None else "a URL outside the package"
    problem = relative_path_problem(path)
    if problem is not None:
        return problem
    if base_url is None:
        resolved = (root / path).resolve()
        package = root.resolve()
        if resolved != package and package not in resolved.parents:
            return "leaves the package (through a link)"
    return None


def remote_relative(url: str, base_url: str) -> str | None:
    """The path of ``url`` relative to the folder of ``base_url``, when it lies under it
    (same scheme, host and port), else None."""
    base = urllib.parse.urlsplit(urllib.parse.urljoin(base_url, "."))
    target = urllib.parse.urlsplit(url)
    if (target.scheme.lower(), target.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
        return None
    if target.query or target.fragment or not target.path.startswith(base.path):
        return None
    relative = urllib.parse.unquote(target.path[len(base.path) :])
    return relative if relative and relative_path_problem(relative) is None else None
