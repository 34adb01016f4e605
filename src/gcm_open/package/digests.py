"""Sizes and digests of package files, read in chunks: one helper for the writer, the
validator and the releases."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK_BYTES = 4 * 1024 * 1024
ALGORITHMS = ("sha256", "md5")


def file_digest(*paths: Path, algorithm: str = "sha256") -> tuple[int, str]:
    """The size and hex digest (``sha256`` or ``md5``) of a file, or of several read one
    after the other (the parts of a multipart resource)."""
    digest = hashlib.sha256() if algorithm == "sha256" else hashlib.md5(usedforsecurity=False)
    size = 0
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                size += len(chunk)
                digest.update(chunk)
    return size, digest.hexdigest()


def sha256_file(path: Path) -> str:
    """The sha256 of a file, as hex."""
    return file_digest(path)[1]


def sha256_bytes(data: bytes) -> str:
    """The sha256 of bytes, as hex."""
    return hashlib.sha256(data).hexdigest()
