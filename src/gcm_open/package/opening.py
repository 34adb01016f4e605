"""Open what a user names (a folder, a descriptor, a zip, a URL) as a local package
folder, the zip extracted and the remote files downloaded into a private work folder.

Everything from outside is untrusted: downloads are bounded in size and time and only
follow http(s) redirects; zip entries are checked before anything is extracted (no
absolute paths, no ``..``, no links, no entry or total size past the limits, no
compression ratio of a zip bomb). Nothing is ever written outside the working directory.
"""

from __future__ import annotations

import logging
import shutil
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from gcm_open.errors import TargetError
from gcm_open.package.layout import (
    DESCRIPTOR,
    DESCRIPTOR_NAMES,
    DESCRIPTOR_SUFFIXES,
    is_url,
    relative_path_problem,
    remote_relative,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """Bounds on what is read from an untrusted target."""

    max_file_bytes: int = 2 * 1024**3
    max_total_bytes: int = 8 * 1024**3
    max_descriptor_bytes: int = 16 * 1024**2
    max_zip_entries: int = 10_000
    max_compression_ratio: int = 200
    timeout_seconds: float = 60.0
    max_redirects: int = 5


class DownloadLimitError(TargetError):
    """A download that would pass the size or time limits."""


@dataclass(frozen=True)
class TargetProblem:
    """Something wrong with the container of a package (a zip entry), found on opening."""

    code: str
    message: str
    entry: str


@dataclass
class OpenedTarget:
    """A package opened as a local folder: its root, the descriptor's name in it, and
    what opening it found wrong.

    For a descriptor given by URL, ``base_url`` is set and the files it names are
    downloaded into ``root`` when they are first asked for.
    """

    root: Path
    descriptor: str = DESCRIPTOR
    problems: list[TargetProblem] = field(default_factory=list)
    base_url: str | None = None
    limits: Limits = field(default_factory=Limits)

    def local(self, path: str) -> Path:
        """The local file of a path of the package, already judged safe by the path rule
        (a relative path, or for a remote package a URL under it).

        Raises :class:`TargetError` when a remote file cannot be downloaded; a missing
        local file is left to the caller to report.
        """
        relative = path
        if self.base_url is not None and is_url(path):
            relative = remote_relative(path, self.base_url) or ""
        local = self.root / relative
        if self.base_url is not None and not local.exists():
            local.parent.mkdir(parents=True, exist_ok=True)
            fetch(urllib.parse.urljoin(self.base_url, relative), local, self.limits)
        return local


@contextmanager
def open_target(target: str, workdir: Path, limits: Limits | None = None) -> Iterator[OpenedTarget]:
    """Open ``target`` as a package directory; downloads and zips go into ``workdir``.

    Raises :class:`TargetError` when the target cannot be read as a package.
    """
    limits = limits or Limits()
    if is_url(target):
        yield _open_url(target, workdir, limits)
        return
    path = Path(target)
    if not path.exists():
        raise TargetError(f"{target}: no such file or directory")
    if path.is_dir():
        names = [name for name in DESCRIPTOR_NAMES if (path / name).is_file()]
        if not names:
            raise TargetError(f"{target}: not a data package (no {DESCRIPTOR} in it)")
        yield OpenedTarget(path, names[0], limits=limits)
    elif path.suffix.lower() in DESCRIPTOR_SUFFIXES:
        yield OpenedTarget(path.parent, path.name, limits=limits)
    elif zipfile.is_zipfile(path):
        yield _extract_zip(path, workdir / "unzipped", limits)
    else:
        raise TargetError(
            f"{target}: not a data package (expected a folder, a descriptor "
            "(.json, .yaml) or a .zip)"
        )


def _open_url(url: str, workdir: Path, limits: Limits) -> OpenedTarget:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetError(f"{url}: only http and https URLs can be validated, not {scheme}:")
    download = workdir / "download"
    download.mkdir(parents=True, exist_ok=True)
    name = PurePosixPath(urllib.parse.urlsplit(url).path).name or DESCRIPTOR
    if name.endswith(".zip"):
        archive = download / "package.zip"
        fetch(url, archive, limits)
        if not zipfile.is_zipfile(archive):
            raise TargetError(f"{url}: not a zip file")
        return _extract_zip(archive, workdir / "unzipped", limits)
    if not name.lower().endswith(DESCRIPTOR_SUFFIXES):
        name = DESCRIPTOR
    fetch(url, download / name, limits, max_bytes=limits.max_descriptor_bytes)
    return OpenedTarget(download, name, base_url=url, limits=limits)


def _redirect_handler(limit: int) -> urllib.request.HTTPRedirectHandler:
    """A redirect handler that follows only http(s) redirects, and only ``limit`` times."""

    class SameSchemeRedirects(urllib.request.HTTPRedirectHandler):
        max_redirections = limit

        def redirect_request(  # noqa: PLR0917 - the signature urllib calls
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            scheme = urllib.parse.urlsplit(newurl).scheme.lower()
            if scheme not in ("http", "https"):
                raise TargetError(f"{req.full_url}: redirected to {scheme}:, which is not http(s)")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return SameSchemeRedirects()


def fetch(url: str, destination: Path, limits: Limits, *, max_bytes: int | None = None) -> int:
    """Download ``url`` to ``destination`` within the size and time limits; the size read."""
    ceiling = min(max_bytes or limits.max_file_bytes, limits.max_file_bytes)
    opener = urllib.request.build_opener(_redirect_handler(limits.max_redirects))
    # The socket timeout bounds each wait; the deadline bounds the whole answer, which a
    # server could otherwise drip out a byte at a time for ever.
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        with opener.open(url, timeout=limits.timeout_seconds) as response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > ceiling:
                raise DownloadLimitError(
                    f"{url}: {declared} bytes, more than the limit of {ceiling}"
                )
            size = 0
            with destination.open("wb") as handle:
                while chunk := response.read1(1024 * 1024):
                    size += len(chunk)
                    if size > ceiling:
                        raise DownloadLimitError(f"{url}: more than the limit of {ceiling} bytes")
                    if time.monotonic() > deadline:
                        raise TimeoutError
                    handle.write(chunk)
            log.info("downloaded %s: %d bytes", url, size)
            return size
    except urllib.error.HTTPError as error:
        raise TargetError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise TargetError(f"{url}: cannot be reached ({error.reason})") from None
    except TimeoutError:
        raise DownloadLimitError(
            f"{url}: no complete answer within {limits.timeout_seconds:g} s"
        ) from None
    except ValueError as error:
        raise TargetError(f"{url}: not a valid URL ({error})") from None


def _extract_zip(archive: Path, destination: Path, limits: Limits) -> OpenedTarget:
    """Extract the safe entries of ``archive``; report the unsafe ones without touching them."""
    problems: list[TargetProblem] = []
    try:
        with zipfile.ZipFile(archive) as bundle:
            entries = bundle.infolist()
            if len(entries) > limits.max_zip_entries:
                raise TargetError(
                    f"{archive.name}: {len(entries)} entries, more than {limits.max_zip_entries}"
                )
            total = 0
            safe: list[zipfile.ZipInfo] = []
            for entry in entries:
                problem = _zip_problem(entry, limits)
                if problem is not None:
                    problems.append(problem)
                    continue
                total += entry.file_size
                if total > limits.max_total_bytes:
                    problems.append(
                        TargetProblem(
                            "zip-too-large",
                            f"the zip expands past {limits.max_total_bytes} bytes",
                            entry.filename,
                        )
                    )
                    break
                safe.append(entry)
            root = _package_root([entry.filename for entry in safe])
            if root is None:
                raise TargetError(
                    f"{archive.name}: not a data package (no {DESCRIPTOR} in the zip)"
                )
            destination.mkdir(parents=True, exist_ok=True)
            for entry in safe:
                if entry.is_dir():
                    continue
                target = destination / entry.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(entry) as source, target.open("wb") as sink:
                    _copy_bounded(source, sink, entry.file_size)
            log.info(
                "extracted %d entries of %s (%d refused)", len(safe), archive.name, len(problems)
            )
    except zipfile.BadZipFile as error:
        raise TargetError(f"{archive.name}: a damaged zip ({error})") from None
    return OpenedTarget(destination / root, DESCRIPTOR, problems, limits=limits)


def _zip_problem(entry: zipfile.ZipInfo, limits: Limits) -> TargetProblem | None:
    reason = relative_path_problem(entry.filename)
    if reason is not None:
        return TargetProblem(
            "zip-unsafe-path", f"zip entry {entry.filename!r}: {reason}", entry.filename
        )
    mode = entry.external_attr >> 16
    if stat.S_ISLNK(mode):
        return TargetProblem(
            "zip-symlink", f"zip entry {entry.filename!r} is a symbolic link", entry.filename
        )
    if entry.file_size > limits.max_file_bytes:
        return TargetProblem(
            "zip-too-large",
            f"zip entry {entry.filename!r} expands to {entry.file_size} bytes, "
            f"more than {limits.max_file_bytes}",
            entry.filename,
        )
    if entry.compress_size and entry.file_size / entry.compress_size > limits.max_compression_ratio:
        return TargetProblem(
            "zip-too-large",
            f"zip entry {entry.filename!r} expands {entry.file_size // entry.compress_size}-fold, "
            "like a zip bomb",
            entry.filename,
        )
    return None


def _copy_bounded(source: IO[bytes], sink: IO[bytes], declared: int) -> None:
    """Copy no more than the size the zip declares: a lying header cannot inflate it."""
    remaining = declared
    while chunk := source.read(min(1024 * 1024, remaining + 1)):
        remaining -= len(chunk)
        if remaining < 0:
            raise TargetError("a zip entry is larger than its header says")
        sink.write(chunk)


def _package_root(names: list[str]) -> str | None:
    """The folder of the shallowest datapackage.json in the zip ("" at the top)."""
    candidates = sorted(
        (name for name in names if PurePosixPath(name).name == DESCRIPTOR),
        key=lambda name: len(PurePosixPath(name).parts),
    )
    if not candidates:
        return None
    parent = str(PurePosixPath(candidates[0]).parent)
    return "" if parent == "." else parent


def remove(workdir: Path) -> None:
    """Remove a working directory and everything in it."""
    shutil.rmtree(workdir, ignore_errors=True)
