"""Publish a package as an immutable, versioned release of a static portal.

A portal directory holds ``releases/<version>/`` (the package, its CHANGELOG.md, its
SHA256SUMS, a zip of it and its DuckDB database), ``releases.json`` (what the portal
knows of every release), ``publisher.json`` (its public URL and contact), and the
generated ``index.html``, ``catalog.json``, ``latest.json`` and ``latest/`` (a copy of the
newest release, for hosts without links).

A publish is all or nothing: it validates the package, checks the earlier releases
against their checksums, stages the new release and the new portal files next to the
portal, and moves them in only when complete; a lock refuses a second publish at the
same time.
"""

from __future__ import annotations

import calendar
import datetime
import fcntl
import json
import logging
import os
import re
import shutil
import tempfile
import urllib.parse
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from gcm_open.atomic import HeldInterrupts, exchange
from gcm_open.clock import today as clock_today
from gcm_open.comparison import BUMPS, PackageDiff, diff, table_rows
from gcm_open.diagnostics import Progress, Stopwatch
from gcm_open.docs import citation_cff, package_readme
from gcm_open.errors import GcmOpenError, SettingError
from gcm_open.package.database import build_database, duckdb_script
from gcm_open.package.digests import sha256_bytes, sha256_file
from gcm_open.package.layout import DESCRIPTOR
from gcm_open.package.reading import DataPackage, local_package, table_schemas
from gcm_open.package.writing import write_descriptor
from gcm_open.portal import Publisher, dcat_catalog, write_portal_site, write_release_site
from gcm_open.schemas import TableSchema
from gcm_open.validation import Report, validate
from gcm_open.versions import version_order

RELEASES_FILE = "releases.json"
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

log = logging.getLogger(__name__)


class PublishError(GcmOpenError):
    """The publish was refused; the portal is unchanged."""

    def __init__(self, message: str, *, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class PublishResult:
    """What a publish wrote (or, in a dry run, would write)."""

    version: str
    previous: str | None
    required_bump: str
    difference: PackageDiff | None
    files: tuple[str, ...]
    changelog: str
    dry_run: bool
    portal: Path

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (what ``gcm-open publish --json`` prints)."""
        data = asdict(self)
        data["difference"] = None if self.difference is None else self.difference.to_dict()
        data["files"] = list(self.files)
        data["portal"] = str(self.portal)
        return data


@dataclass
class _Staged:
    directory: Path
    moved: list[tuple[Path, Path]] = field(default_factory=list)


def parse_version(version: str) -> tuple[int, int, int]:
    """``X.Y.Z`` as numbers; raise :class:`PublishError` for anything else.

    >>> parse_version("1.2.10")
    (1, 2, 10)
    """
    try:
        return version_order(version)
    except ValueError as error:
        raise PublishError(str(error)) from None


def bump_of(previous: str, version: str) -> str:
    """Which part of ``previous`` the new ``version`` bumps: major, minor or patch."""
    old, new = parse_version(previous), parse_version(version)
    if new[0] > old[0]:
        return "major"
    if new[:2] > old[:2]:
        return "minor"
    return "patch"


def suggest(previous: str, bump: str) -> str:
    """The next version of ``previous`` for a ``bump``."""
    major, minor, patch = parse_version(previous)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_release_date(released: str, *, today: str, previous: str | None = None) -> None:
    """Raise :class:`SettingError` unless ``released`` is a real ISO date (YYYY-MM-DD),
    not after ``today`` and not before the ``previous`` release's date: a release's date
    is recorded for good, in its changelog, pages and catalog."""
    try:
        date = datetime.date.fromisoformat(released)
    except ValueError:
        date = None
    if date is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", released):
        raise SettingError(f"--date {released!r}: not a date written YYYY-MM-DD (e.g. 2022-11-01)")
    if released > today:
        raise SettingError(
            f"--date {released}: after today ({today}); a release is dated when made"
        )
    if previous is not None and released < previous:
        raise SettingError(f"--date {released}: before the previous release's date ({previous})")


# Where a portal remembers who publishes it and where it is served.
PUBLISHER_FILE = "publisher.json"
# An address DCAT-US accepts in ``hasEmail`` (its vCard pattern, without "mailto:").
_EMAIL = re.compile(r"[\w\_\~\!\$\&\'\(\)\*\+\,\;\=\:.-]+@[\w.-]+\.[\w.-]+")


def read_publisher(portal: Path) -> Publisher | None:
    """What a portal remembers of its publisher (none before its first publish)."""
    path = portal / PUBLISHER_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return Publisher(data["base_url"], data["contact_name"], data["contact_email"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PublishError(f"{path}: cannot be read ({error})") from None


def resolve_publisher(
    portal: Path,
    base_url: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
) -> Publisher:
    """The publisher of this publish: what is given, else what the portal remembers.

    Raises :class:`SettingError` for a base URL that is not absolute http(s), one that is
    not the portal's (the URLs of its releases never change), a missing contact, or an
    e-mail address that is not one.
    """
    remembered = read_publisher(portal)
    if base_url is not None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingError(
                f"--base-url {base_url!r}: not an absolute http(s) URL "
                "(such as https://example.org/gcm-open)"
            )
        base_url = base_url.rstrip("/")
        if remembered is not None and base_url != remembered.base_url:
            raise SettingError(
                f"--base-url {base_url}: {portal} is published at {remembered.base_url}, and "
                "the URLs of its releases never change"
            )
    chosen = Publisher(
        base_url or (remembered.base_url if remembered else ""),
        contact_name or (remembered.contact_name if remembered else ""),
        contact_email or (remembered.contact_email if remembered else ""),
    )
    for value, option in (
        (chosen.base_url, "--base-url (the public URL the portal is served from)"),
        (chosen.contact_name, "--contact-name (who answers for the data)"),
        (chosen.contact_email, "--contact-email"),
    ):
        if not value.strip():
            raise SettingError(f"{portal}: the first publish of a portal needs {option}")
    if not _EMAIL.fullmatch(chosen.contact_email):
        raise SettingError(f"--contact-email {chosen.contact_email!r}: not an e-mail address")
    return chosen


def read_releases(portal: Path) -> list[dict[str, Any]]:
    """The releases a portal lists (none for a new portal)."""
    path = portal / RELEASES_FILE
    if not path.exists():
        return []
    try:
        releases: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise PublishError(f"{path}: cannot be read ({error})") from None
    return releases


def verify_release(portal: Path, release: dict[str, Any]) -> list[str]:
    """What is wrong with a published release: its SHA256SUMS and every file it lists."""
    folder = portal / "releases" / release["version"]
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return [f"releases/{release['version']}/SHA256SUMS is missing"]
    problems = []
    if sha256_file(sums) != release["sums_sha256"]:
        problems.append(f"releases/{release['version']}/SHA256SUMS was modified")
    listed = set()
    for line in sums.read_text("utf-8").splitlines():
        digest, _, relative = line.partition("  ")
        listed.add(relative)
        path = folder / relative
        if not path.is_file():
            problems.append(f"releases/{release['version']}/{relative} is missing")
        elif sha256_file(path) != digest:
            problems.append(f"releases/{release['version']}/{relative} was modified")
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    problems += [
        f"releases/{release['version']}/{extra} was added" for extra in sorted(on_disk - listed)
    ]
    return problems


def _profile(*parts: str) -> Any:
    profile = resources.files("gcm_open").joinpath("data", "profiles", *parts)
    return json.loads(profile.read_text("utf-8"))


def _release_profile(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_profile(f"{name}.json"))


def _official_profile(name: str) -> jsonschema.Draft7Validator:
    """A Data Package v2 profile as published (draft-07), formats checked."""
    return jsonschema.Draft7Validator(
        _profile("datapackage-v2", f"{name}.json"), format_checker=jsonschema.FormatChecker()
    )


def release_problems(package: Path) -> list[str]:
    """What a valid package lacks for a release, one "file: where: what" each:
    - against the official Data Package v2 profiles: the descriptor, every resource, every
      Table Schema and every dialect;
    - against the release profiles of ``data/profiles/``: the metadata its README,
      citation, portal page and catalog are written from (``gcm-open build`` writes all
      of it).
    """
    files = local_package(package)
    descriptor = files.descriptor
    checked = [
        (DESCRIPTOR, descriptor, _official_profile("datapackage")),
        (DESCRIPTOR, descriptor, _release_profile("release-package")),
    ]
    resource_profile = _official_profile("dataresource")
    dialect_profile = _official_profile("tabledialect")
    official_table = _official_profile("tableschema")
    table_profile = _release_profile("release-table-schema")
    for resource in files.resources():
        checked.append((f"{DESCRIPTOR} {resource.name}", resource.descriptor, resource_profile))
        dialect = resource.descriptor.get("dialect")
        if isinstance(dialect, dict):
            checked.append((f"{resource.name} dialect", dialect, dialect_profile))
    checked_schemas: set[str] = set()
    for resource in files.resources():
        reference = resource.descriptor.get("schema")
        if not resource.is_table or (isinstance(reference, str) and reference in checked_schemas):
            continue
        table_schema = files.schema(resource)
        if isinstance(reference, str):
            checked_schemas.add(reference)
        if table_schema is not None:
            where = reference if isinstance(reference, str) else f"{resource.name} schema"
            checked += [(where, table_schema, official_table), (where, table_schema, table_profile)]
    problems = []
    for file, document, profile in checked:
        for error in sorted(profile.iter_errors(document), key=lambda e: e.json_path):
            where = error.json_path.removeprefix("$").removeprefix(".")
            problems.append(f"{file}: {where + ': ' if where else ''}{error.message}")
    return problems


@contextmanager
def portal_lock(portal: Path) -> Iterator[None]:
    """Hold the portal's lock, or refuse: the lock goes with the process that holds it.

    The lock file sits beside the portal, so that the portal holds only what it serves and
    a refused first publish leaves no portal behind.
    """
    portal = portal.absolute()
    portal.parent.mkdir(parents=True, exist_ok=True)
    with (portal.parent / f".{portal.name}.publish.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"{portal}: another publish of this portal is running") from None
        try:
            yield
        finally:
            if not portal.exists():
                # A refused first publish: leave nothing behind, not even the lock.
                Path(handle.name).unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(
    version: str,
    *,
    package: Path = Path("datapackage"),
    portal: Path = Path("portal"),
    released: str,
    notes: str = "",
    base_url: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: str | None = None,
) -> PublishResult:
    """Publish ``package`` as release ``version`` of ``portal``.

    >>> import tempfile, pathlib
    >>> from gcm_open.building import build
    >>> work = pathlib.Path(tempfile.mkdtemp())
    >>> package = build(out=work / "package").out_dir
    >>> result = publish(
    ...     "1.0.0", package=package, portal=work / "portal", released="2022-11-01",
    ...     base_url="https://example.org/gcm-open", contact_name="Unidad de Política Migratoria",
    ...     contact_email="datos@example.org",
    ... )
    >>> result.previous, "releases/1.0.0/SHA256SUMS" in result.files
    (None, True)
    >>> publish("1.0.1", package=package, portal=work / "portal", released="2022-11-02")
    Traceback (most recent call last):
    ...
    gcm_open.release.PublishError: nothing changed since 1.0.0; there is nothing to publish

    ``released`` is the release date (YYYY-MM-DD), given by the caller so that a
    release is reproducible; it may not be after ``today`` (by default today's date, see
    :func:`gcm_open.clock.today`) nor before the latest release's. The first publish of a
    portal needs its public ``base_url`` and a contact (``contact_name``,
    ``contact_email``), which the portal then remembers (see :func:`resolve_publisher`).
    ``progress(done, total)`` follows the validation of the package, the longest step.
    Nothing is written with ``dry_run``.

    Raises :class:`PublishError` when the package is invalid, the version exists or is
    not greater than the latest, the bump is smaller than the changes need, an earlier
    release was tampered with, or another publish is running; the portal is then
    unchanged.
    """
    parse_version(version)
    check_release_date(released, today=today or clock_today())
    publisher = resolve_publisher(portal, base_url, contact_name, contact_email)
    watch = Stopwatch()
    # A dry run only reads, and writes nothing, not even the lock file.
    with nullcontext() if dry_run else portal_lock(portal):
        staging_prefix = f".{portal.absolute().name}.staging-"
        if not dry_run:
            # Under the lock no other publish runs: a staging folder is what a killed
            # publish left.
            for abandoned in portal.absolute().parent.glob(f"{staging_prefix}*"):
                shutil.rmtree(abandoned, ignore_errors=True)
        releases = read_releases(portal)
        check_release_date(
            released,
            today=today or clock_today(),
            previous=max((r["released"] for r in releases), default=None),
        )
        problems = [problem for release in releases for problem in verify_release(portal, release)]
        if problems:
            raise PublishError(
                f"{portal}: earlier releases do not match their checksums: {'; '.join(problems)}"
            )
        log.info(
            "checked %d earlier releases against their checksums in %s", len(releases), watch.lap()
        )
        report = validate(package, progress=progress)
        if not report.valid:
            raise PublishError(
                f"{package}: the package is not valid ({report.error_count} errors)", report=report
            )
        lacking = release_problems(package)
        if lacking:
            more = f" (and {len(lacking) - 3} more)" if len(lacking) > 3 else ""
            raise PublishError(
                f"{package}: valid, but without what a release is made from: "
                f"{'; '.join(lacking[:3])}{more}"
            )
        log.info("validated %s: %d rows in %s", package, report.rows, watch.lap())
        previous = max((r["version"] for r in releases), key=parse_version, default=None)
        if any(r["version"] == version for r in releases):
            raise PublishError(
                f"version {version} is already published; releases are never changed"
            )
        difference = None
        required = "minor"
        if previous is not None:
            if parse_version(version) <= parse_version(previous):
                raise PublishError(f"version {version} is not greater than the latest, {previous}")
            difference = diff(portal / "releases" / previous, package)
            required = difference.required_bump
            given = bump_of(previous, version)
            if required == "none":
                raise PublishError(f"nothing changed since {previous}; there is nothing to publish")
            if BUMPS.index(given) < BUMPS.index(required):
                raise PublishError(
                    f"the changes since {previous} need a {required.upper()} bump "
                    f"({'; '.join(difference.summary()[:3])}); use {suggest(previous, required)}"
                )
            log.info("compared with %s: a %s change, in %s", previous, required, watch.lap())
        changelog = release_changelog(version, previous, released, notes, difference)
        # Beside the portal, on its filesystem, so that files move in by renaming and a
        # killed publish leaves nothing inside the portal for it to serve. Ctrl-C is held
        # from before the staging folder exists until it is gone, and while the release
        # goes in: it stops only the staging (see HeldInterrupts).
        with HeldInterrupts() as interrupts:
            staged = _Staged(
                Path(tempfile.mkdtemp(prefix=staging_prefix, dir=portal.absolute().parent))
            )
            try:
                with interrupts.let_through():
                    release = _stage_release(
                        package,
                        staged.directory / "release",
                        version=version,
                        released=released,
                        changelog=changelog,
                        publisher=publisher,
                    )
                    entry = _release_entry(release, version, released, changelog)
                    new_releases = [r for r in releases if r["version"] != version] + [entry]
                    files = _stage_portal(staged.directory, release, new_releases, publisher)
                    written = tuple(
                        sorted(
                            [f"releases/{version}/{p}" for p in _relative_files(release)] + files
                        )
                    )
                    log.info("staged %d files in %s", len(written), watch.lap())
                if not dry_run:
                    _commit(portal, staged, version)
                    log.info("put release %s in place in %s", version, watch.lap())
            finally:
                shutil.rmtree(staged.directory, ignore_errors=True)
        return PublishResult(
            version, previous, required, difference, written, changelog, dry_run, portal
        )


# How much of a changed value the changelog shows, each side of what changed.
_CONTEXT = 30
_SHOWN = 60
_WIDTH = 88


def shortened_change(old: object, new: object) -> tuple[str, str]:
    """The part of a value that changed, old and new, with a little context: long texts
    that differ in a word show that word, not the whole text.

    >>> shortened_change("Trámite para en trámite", "Trámite para el trámite")
    ('"Trámite para en trámite"', '"Trámite para el trámite"')
    >>> shortened_change(None, 3)
    ('null', '3')
    """
    if not isinstance(old, str) or not isinstance(new, str):
        return json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - _CONTEXT)

    def excerpt(value: str) -> str:
        stop = min(len(value), len(value) - end + _CONTEXT)
        middle = value[begin:stop]
        if len(middle) > _SHOWN + 2 * _CONTEXT:
            middle = middle[: _SHOWN + 2 * _CONTEXT] + "…"
        elif stop < len(value):
            middle += "…"
        return json.dumps(("…" if begin else "") + middle, ensure_ascii=False)

    return excerpt(old), excerpt(new)


def _wrapped(items: list[str]) -> list[str]:
    """A list of ids as lines of the changelog, continued under their item; an id is
    never split (``SNDIF-PFPNNA``, ``2022-F-01-05 / SEGOB / lead``)."""
    lines: list[str] = []
    line = ""
    for position, item in enumerate(items):
        piece = item + ("," if position < len(items) - 1 else "")
        if line and len(line) + 1 + len(piece) > _WIDTH:
            lines.append(line)
            line = ""
        line = f"{line} {piece}" if line else f"  {piece}"
    return [*lines, line] if line else lines


def release_changelog(
    version: str, previous: str | None, released: str, notes: str, difference: PackageDiff | None
) -> str:
    """The CHANGELOG.md of a release, from the notes and the diff with the previous one:
    what changed in each practice, old -> new; the practices that only moved in the source,
    counted; the rows added and removed in each table, with their ids."""
    lines = [f"# {version} ({released})", ""]
    if notes:
        lines += [notes.strip(), ""]
    if difference is None:
        lines += ["First release.", ""]
        return "\n".join(lines)
    lines += [f"Changes since {previous} (a {difference.required_bump} change):", ""]
    lines += [f"- {line}" for line in difference.summary()]
    practices = table_rows(difference, "practices")
    if practices.changed_values:
        lines += ["", "Practices changed:", ""]
        for practice_id, fields in practices.changed_values.items():
            lines.append(f"- {practice_id}")
            for name, (old, new) in fields.items():
                before, after = shortened_change(old, new)
                lines.append(f"  - {name}: {before} -> {after}")
    if practices.moved:
        lines += [
            "",
            f"Practices that only moved in the source (pages or lines, nothing else): "
            f"{practices.moved}.",
        ]
    for kind in ("added", "removed"):
        tables = [t for t in difference.rows if getattr(t, f"{kind}_keys")]
        if tables:
            lines += ["", f"Rows {kind}:", ""]
            for table in tables:
                keys = getattr(table, f"{kind}_keys")
                lines.append(f"- {table.table} ({len(keys)}):")
                lines += _wrapped(keys)
    lines.append("")
    return "\n".join(lines)


def _relative_files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def _sizes(folder: Path, descriptor: dict[str, Any]) -> dict[str, int]:
    """The size of each local file of a descriptor, by path."""
    return {
        resource["path"]: (folder / resource["path"]).stat().st_size
        for resource in descriptor["resources"]
        if isinstance(resource.get("path"), str) and (folder / resource["path"]).is_file()
    }


def _table_files(files: DataPackage) -> dict[str, str]:
    """The file each table is best read from: its Parquet copy, else its (first) file."""
    chosen = {}
    for resource in files.tables():
        copy = files.parquet_copy(resource.name)
        paths = copy.paths if copy is not None and copy.paths else resource.paths
        if paths:
            chosen[resource.name] = paths[0]
    return chosen


def _stage_release(
    package: Path,
    release: Path,
    *,
    version: str,
    released: str,
    changelog: str,
    publisher: Publisher,
) -> Path:
    """Copy the package with its version set, and add CHANGELOG.md, the zip, the DuckDB
    database, a page listing the files, and SHA256SUMS."""
    shutil.copytree(package, release)
    files = local_package(release)
    descriptor = files.descriptor
    descriptor["version"] = version
    schemas = {
        name: TableSchema(name, schema, release) for name, schema in table_schemas(files).items()
    }
    documents = {
        "readme": lambda: package_readme(descriptor, schemas, _sizes(release, descriptor)),
        "citation": lambda: citation_cff(descriptor),
        "duckdb-script": lambda: duckdb_script(schemas, descriptor["name"], _table_files(files)),
    }
    for resource in descriptor["resources"]:
        if resource["name"] in documents:
            data = documents[resource["name"]]().encode("utf-8")
            (release / resource["path"]).write_bytes(data)
            resource["bytes"], resource["hash"] = len(data), f"sha256:{sha256_bytes(data)}"
    write_descriptor(release, descriptor)
    (release / "CHANGELOG.md").write_text(changelog, "utf-8")
    name = f"{descriptor['name']}-{version}"
    package_files = _relative_files(release)
    with zipfile.ZipFile(release / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for relative in package_files:
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, (release / relative).read_bytes())
    # The database is offered beside the zip, not inside it: the zip holds the package.
    build_database(release, release / f"{name}.duckdb", documents["duckdb-script"]())
    summary = {
        "version": version,
        "released": released,
        "zip": f"{name}.zip",
        "temporal": _temporal(descriptor["sources"][0]),
        "descriptor": descriptor,
        "changelog": changelog,
        "citation": (release / "CITATION.cff").read_text("utf-8"),
    }
    write_release_site(release, summary, publisher)
    sums = "".join(
        f"{sha256_file(release / relative)}  {relative}\n" for relative in _relative_files(release)
    )
    (release / "SHA256SUMS").write_text(sums, "utf-8")
    return release


def _release_entry(release: Path, version: str, released: str, changelog: str) -> dict[str, Any]:
    descriptor = local_package(release).descriptor
    archive = next(release.glob("*.zip"))
    source = descriptor["sources"][0]
    return {
        "version": version,
        "released": released,
        "changelog": changelog,
        "zip": archive.name,
        "zip_bytes": archive.stat().st_size,
        "database": f"{archive.stem}.duckdb",
        "database_bytes": (release / f"{archive.stem}.duckdb").stat().st_size,
        "sums_sha256": sha256_file(release / "SHA256SUMS"),
        "temporal": _temporal(source),
        "descriptor": descriptor,
        "sizes": _sizes(release, descriptor),
    }


def _temporal(source: dict[str, Any]) -> str:
    """The reporting period as an ISO 8601 interval of dates (2021-06-01/2022-06-30)."""
    start, end = source["reporting_period_start"], source["reporting_period_end"]
    year, month = (int(part) for part in end.split("-"))
    return f"{start}-01/{end}-{calendar.monthrange(year, month)[1]:02d}"


def _stage_portal(
    staging: Path, release: Path, releases: list[dict[str, Any]], publisher: Publisher
) -> list[str]:
    """The portal-wide files, staged; their paths relative to the portal."""
    newest = max(releases, key=lambda r: parse_version(r["version"]))
    pages = write_portal_site(staging, releases, release, publisher)
    (staging / PUBLISHER_FILE).write_text(
        json.dumps(asdict(publisher), ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    catalog = dcat_catalog(releases, publisher)
    (staging / "catalog.json").write_text(
        json.dumps(catalog, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    (staging / RELEASES_FILE).write_text(
        json.dumps(releases, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    folder = f"releases/{newest['version']}"
    pointer = {
        "version": newest["version"],
        "path": f"{folder}/",
        "zip": f"{folder}/{newest['zip']}",
    }
    (staging / "latest.json").write_text(json.dumps(pointer, indent=2) + "\n", "utf-8")
    shutil.copytree(release, staging / "latest")
    latest_files = [f"latest/{p}" for p in _relative_files(staging / "latest")]
    return [
        *pages,
        PUBLISHER_FILE,
        "catalog.json",
        RELEASES_FILE,
        "latest.json",
        *latest_files,
    ]


def _commit(portal: Path, staged: _Staged, version: str) -> None:
    """Put the new release and portal files in place, all at once where the system can."""
    staging = staged.directory
    successor = staging / "portal"
    if not portal.exists():
        # A first publish: the whole portal appears at once by one rename.
        try:
            successor.mkdir()
            _move_in(successor, staging, version, [])
            successor.rename(portal)
        except OSError as error:
            raise PublishError(
                f"{portal}: the portal could not be written ({error.strerror}); nothing was made"
            ) from None
        return
    try:
        # The next portal is the current one hard-linked (releases are never modified in
        # place) plus the new release and pages; one exchange then swaps the two, so that
        # a publish killed at any moment leaves the whole old or the whole new portal.
        shutil.copytree(portal, successor, symlinks=True, copy_function=os.link)
        _move_in(successor, staging, version, [])
        if exchange(successor, portal):
            log.debug("swapped in the next portal in one exchange")
            return
        _take_back(successor, staging, version)
    except OSError as error:
        raise PublishError(
            f"{portal}: the release could not be written ({error.strerror}); "
            "the portal is unchanged"
        ) from None
    # Without an atomic exchange the files move into the portal one by one, releases.json
    # last, and every move is undone on failure.
    log.debug("no atomic exchange here: moving the files in one by one")
    try:
        _move_in(portal, staging, version, staged.moved)
    except OSError as error:
        for moved_to, moved_from in reversed(staged.moved):
            if moved_to.exists() and not moved_from.exists():
                moved_to.rename(moved_from)
        raise PublishError(
            f"{portal}: the release could not be written ({error.strerror}); "
            "the portal is unchanged"
        ) from None


_PORTAL_FILES = (
    "index.html",
    "en",
    "assets",
    "sitemap.xml",
    "robots.txt",
    PUBLISHER_FILE,
    "catalog.json",
    "latest.json",
    "latest",
    RELEASES_FILE,
)


def _move_in(portal: Path, staging: Path, version: str, moved: list[tuple[Path, Path]]) -> None:
    """Move the staged release and portal files into ``portal``, recording each move as
    (where it went, where it came from); what they replace goes to the staging."""
    target = portal / "releases" / version
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        # A release folder not in releases.json is what an interrupted publish left.
        shutil.rmtree(target)
    backup = staging / "previous"
    backup.mkdir(exist_ok=True)
    (staging / "release").rename(target)
    moved.append((target, staging / "release"))
    # releases.json goes last: until it is in, the portal lists the releases it listed.
    for name in _PORTAL_FILES:
        current = portal / name
        if current.exists():
            current.rename(backup / name)
            moved.append((backup / name, current))
        (staging / name).rename(current)
        moved.append((current, staging / name))


def _take_back(successor: Path, staging: Path, version: str) -> None:
    """Return the staged files from a next portal that could not be swapped in."""
    (successor / "releases" / version).rename(staging / "release")
    for name in _PORTAL_FILES:
        (successor / name).rename(staging / name)
    shutil.rmtree(staging / "previous")
    shutil.rmtree(successor)
