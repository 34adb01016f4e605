"""The ``gcm-open`` command: a thin adapter over the library.

Each command parses its options, makes one library call and formats the result; known
library errors become one-line ``Error: ...`` messages. Heavy imports (pyarrow) happen
inside the commands so that ``gcm-open --help`` starts fast.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import textwrap
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, cast

import click

from gcm_open import __version__
from gcm_open.errors import GcmOpenError, ParseError, SettingError, SourceError, TargetError

if TYPE_CHECKING:
    from gcm_open.building import BuildResult
    from gcm_open.diagnostics import Progress
    from gcm_open.release import PublishResult
    from gcm_open.validation import Finding, Report

# Exit codes: 0 success, 1 the command failed (e.g. the output cannot be written; click's
# default for ClickException) or the package checked is invalid, 2 the input cannot be
# used (missing, unreadable, not a compendium), which is also click's code for a usage
# error.
EXIT_BAD_INPUT = 2

Command = TypeVar("Command", bound=Callable[..., Any])


class CommandFailed(click.ClickException):
    """The command failed: one red ``Error: ...`` line on stderr (red only on a terminal)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(
            f"{click.style('Error:', fg='red', bold=True)} {self.format_message()}",
            file=file if file is not None else sys.stderr,
            color=self.show_color,
        )


class BadInput(CommandFailed):
    """The input cannot be used: missing, unreadable, not a compendium, unparseable."""

    exit_code = EXIT_BAD_INPUT


def command_error(error: GcmOpenError) -> click.ClickException:
    """A library error as a one-line ``Error: ...`` with the exit code its kind calls for."""
    if isinstance(error, SourceError | ParseError | TargetError | SettingError):
        return BadInput(str(error))
    return CommandFailed(str(error))


VERBOSE_HELP = "Also log each step with its timing on stderr; -vv adds every file."


def show_option(default: int, what: str) -> Callable[[Command], Command]:
    """``--show N``: how many of a report's items of each kind are listed."""
    return click.option(
        "--show", default=default, show_default=True, type=click.IntRange(min=0), help=what
    )


def verbosity(quiet_help: str) -> Callable[[Command], Command]:
    """The ``-q/--quiet`` and ``-v/--verbose`` options every command has.

    They may also come before the command (``gcm-open -v build``); the command sees both
    together, and the library's steps are shown from its start with ``-v``.
    """

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def with_verbosity(**options: Any) -> Any:
            given_first = click.get_current_context().find_root().params
            options["quiet"] = options["quiet"] or given_first.get("quiet", False)
            options["verbose"] += given_first.get("verbose", 0)
            log_steps(verbose=options["verbose"], quiet=options["quiet"])
            return command(**options)

        verbose = click.option("-v", "--verbose", count=True, help=VERBOSE_HELP)
        quiet = click.option("-q", "--quiet", is_flag=True, help=quiet_help)
        return cast(Command, quiet(verbose(with_verbosity)))

    return decorate


class _StepLog(logging.Handler):
    """Shows the library's log on stderr, each line with the seconds since the start."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started

    def emit(self, record: logging.LogRecord) -> None:
        stamp = click.style(f"[{record.created - self.started:6.2f}s]", dim=True)
        click.echo(f"{stamp} {record.getMessage()}", err=True)


def log_steps(*, verbose: int, quiet: bool) -> None:
    """With ``-v``, show the library's steps on stderr until the command ends."""
    if verbose and quiet:
        raise click.UsageError("-q and -v cannot be used together")
    if not verbose:
        return
    logger = logging.getLogger("gcm_open")
    handler = _StepLog(time.time())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)

    def stop() -> None:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)

    click.get_current_context().call_on_close(stop)


# Work that ends sooner than this shows no bar: a bar that flashes by only adds noise.
PROGRESS_DELAY_SECONDS = 0.5


class _DelayedProgressBar:
    """A click progress bar on stderr that appears once the work has lasted a moment."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY_SECONDS:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
        self.bar.length = total
        self.bar.update(done - self.bar.pos)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@contextmanager
def progress_bar(label: str, *, shown: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr when ``shown``, stderr is a terminal and the work lasts;
    the callback that moves it, or None."""
    if not shown or not sys.stderr.isatty():
        yield None
        return
    bar = _DelayedProgressBar(label)
    try:
        yield bar
    finally:
        bar.finish()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="gcm-open")
@click.option("-q", "--quiet", is_flag=True, help="Less output, for every command.")
@click.option("-v", "--verbose", count=True, help=VERBOSE_HELP)
@click.pass_context
def main(context: click.Context, quiet: bool, verbose: int) -> None:
    """Mexico's Compendio 2022 of migration practices (Global Compact for Migration)
    as an open, validated data package.

    Every command takes -q (less output) and -v (each step, timed, on stderr); those
    whose output is data take --json. Colours and progress bars appear only on a
    terminal; NO_COLOR=1 turns colours off. Exit codes: 0 success, 1 the command failed
    or the package is invalid, 2 the input or the options cannot be used.

    \b
    Example:
        gcm-open build            # bundled compendium -> datapackage/
        gcm-open info             # what the package holds
    """
    # -q and -v given here are read by each command (see ``verbosity``).
    if os.environ.get("NO_COLOR"):
        context.color = False


@main.command()
@click.option(
    "--source",
    type=click.Path(path_type=Path, dir_okay=True),
    default=None,
    help="Compendium text or PDF to read (default: the bundled 2022 compendium).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("datapackage"),
    show_default=True,
    help="Directory of the data package; replaced only when the build succeeds.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that extract PDF pages (default: the number of cores).",
)
@click.option("--no-cache", is_flag=True, help="Extract the PDF again, ignoring the page cache.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@show_option(10, "Warnings listed per code; the rest are counted (--json lists every one).")
@verbosity("Print only errors.")
def build(
    *,
    source: Path | None,
    out: Path,
    jobs: int | None,
    no_cache: bool,
    as_json: bool,
    show: int,
    quiet: bool,
    verbose: int,
) -> None:
    """Build the data package from the compendium, a text extraction or a PDF.

    \b
    Example:
        gcm-open build --out /tmp/gcm-package
        gcm-open build --source compendio-2023.pdf --jobs 2 --out build/2023
        gcm-open build --json > build-report.json
    """
    from gcm_open.building import build as build_package

    reads_pdf = source is not None and source.suffix.lower() == ".pdf"
    try:
        with progress_bar(
            "Reading PDF pages", shown=reads_pdf and not quiet and not verbose
        ) as bar:
            result = build_package(
                source=source, out=out, jobs=jobs, use_cache=not no_cache, progress=bar
            )
    except GcmOpenError as error:
        raise command_error(error) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(format_build_report(result, show=show))


def format_build_report(result: BuildResult, show: int) -> str:
    """The build report: practices per section and objective, warnings (``show`` of each
    code, the rest counted), what was written."""
    source = result.source
    lines = [
        f"Source: {source.name} (edition {source.manifest.edition}, sha256 {source.sha256[:12]}…)",
        "",
        "Practices per objective    federal  state",
    ]
    counts: dict[tuple[str, int], str] = {}
    for block in result.blocks:
        count = str(block.practice_count) if block.no_activities_line is None else "none"
        counts[(block.section.value, block.objective_id)] = count
    for objective_id in range(1, 24):
        federal = counts.get(("federal", objective_id), "?")
        state = counts.get(("state", objective_id), "?")
        lines.append(f"  Objective {objective_id:>2}              {federal:>7}  {state:>5}")
    by_section = {"federal": 0, "state": 0}
    for practice in result.compendium.practices:
        by_section[practice.section.value] += 1
    lines.append(
        f"  Total                     {by_section['federal']:>7}  {by_section['state']:>5}"
        f"   ({sum(by_section.values())} practices)"
    )
    lines.append("")
    warnings = result.warnings
    if warnings:
        summary = ", ".join(
            f"{code} {count}" for code, count in sorted(result.warning_counts().items())
        )
        lines.append(click.style(f"Warnings: {len(warnings)} ({summary})", fg="yellow"))
        of_code: dict[str, int] = {}
        for warning in warnings:
            of_code[warning.code] = of_code.get(warning.code, 0) + 1
            if of_code[warning.code] <= show:
                lines.append(f"  {warning}")
        lines.extend(
            f"  … {count - show} more {code} warnings (--json lists every one)"
            for code, count in sorted(of_code.items())
            if count > show
        )
    else:
        lines.append("Warnings: none")
    lines.append("")
    lines.append("Rows per table")
    width = max(len(name) for name in result.table_rows)
    lines.extend(f"  {name:<{width}}  {count:>5}" for name, count in result.table_rows.items())
    lines.append("")
    size = sum(written.bytes for written in result.files)
    wrote = f"Wrote {result.out_dir} ({len(result.files)} files, {size / 1024:.0f} KiB)"
    lines.append(click.style(wrote, fg="green"))
    return "\n".join(lines)


@main.command()
@click.argument("target", default=str(Path("datapackage")))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@show_option(5, "Findings shown per resource and kind; the rest are counted.")
@verbosity("Print only the summary line.")
def validate(*, target: str, as_json: bool, show: int, quiet: bool, verbose: int) -> None:
    """Check a Data Package: a folder, a descriptor (.json, .yaml), a .zip or an http(s) URL.

    TARGET defaults to ./datapackage, where `gcm-open build` writes. Checks the
    descriptor, every file's size and hash, every table row by row against its Table
    Schema as frictionless does (types, constraints, keys, header, blank rows), and that
    Parquet copies agree with their CSV; a gcm-open package also against gcm-open's own
    schemas, its ISO and INEGI codes and the rules of this dataset. Exit code 0: valid;
    1: invalid; 2: the target cannot be read, or holds a table that cannot be checked
    completely (a spreadsheet, JSON data: use frictionless validate).

    \b
    Example:
        gcm-open validate datapackage
        gcm-open validate gcm-open-compendio-2022-1.0.0.zip --json
        gcm-open validate https://example.org/releases/latest/datapackage.json
        gcm-open validate other-package/datapackage.yaml
    """
    from gcm_open.validation import validate as validate_package

    try:
        with progress_bar("Checking", shown=not quiet and not verbose) as bar:
            report = validate_package(target, progress=bar)
    except GcmOpenError as error:
        raise command_error(error) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_validation_report(report, show=show, quiet=quiet))
    raise SystemExit(0 if report.valid else 1)


@main.command()
@click.argument("target", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the information as JSON.")
@verbosity("Print one line: name, version, tables and rows.")
def info(*, target: str | None, as_json: bool, quiet: bool, verbose: int) -> None:
    """Show a package's version, source and tables with their rows and file sizes.

    TARGET is a package directory, a datapackage.json, a .zip or an http(s) URL. Without
    it: ./datapackage, where `gcm-open build` writes, when it holds a package; otherwise
    the package of the bundled compendium (built once into the user cache).

    \b
    Example:
        gcm-open info
        gcm-open info gcm-open-compendio-2022-1.0.0.zip --json
    """
    from gcm_open.api import load
    from gcm_open.building import DEFAULT_OUT
    from gcm_open.package.layout import DESCRIPTOR

    if target is None and (DEFAULT_OUT / DESCRIPTOR).is_file():
        target = str(DEFAULT_OUT)
    try:
        package = load(target)
        summary = package.summary()
    except GcmOpenError as error:
        raise command_error(error) from None
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    source, tables = summary["source"], summary["tables"]
    if quiet:
        rows = sum(table["rows"] for table in tables)
        name = package.descriptor.get("name")
        click.echo(f"{name} {package.version}: {len(tables)} tables, {rows} rows")
        return
    lines = [
        click.style(
            f"{package.descriptor.get('title', package.descriptor.get('name'))}", bold=True
        ),
        f"Version: {package.version or 'none'}   Package: {package.target}",
        *textwrap.wrap(
            f"Source: {source.get('title', 'unknown')} ({source.get('published', 'undated')}, "
            f"sha256 {str(source.get('sha256', '?'))[:12]}…)",
            width=88,
            subsequent_indent="  ",
        ),
        "",
        f"  {'table':<24}{'rows':>8}{'CSV':>12}{'Parquet':>12}",
    ]
    lines += [
        f"  {table['name']:<24}{table['rows']:>8}{_size(table['csv_bytes']):>12}"
        f"{_size(table['parquet_bytes']):>12}"
        for table in tables
    ]
    click.echo("\n".join(lines))


def _size(size: int | None) -> str:
    return "?" if size is None else f"{size / 1024:.1f} KiB"


def format_validation_report(report: Report, *, show: int, quiet: bool) -> str:
    """Findings grouped by resource, the first ``show`` of each kind, then a summary line."""
    lines: list[str] = []
    if not quiet:
        by_resource: defaultdict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            by_resource[finding.resource or "(package)"].append(finding)
        for resource, findings in by_resource.items():
            lines.append(click.style(resource, bold=True))
            by_code: defaultdict[str, list[Finding]] = defaultdict(list)
            for finding in findings:
                by_code[finding.code].append(finding)
            for code, group in by_code.items():
                lines.append(click.style(f"  {code}", fg="yellow"))
                for finding in group[:show]:
                    where = ", ".join(
                        part
                        for part in (
                            f"row {finding.row}" if finding.row is not None else "",
                            f"field {finding.field}" if finding.field else "",
                        )
                        if part
                    )
                    lines.append(f"    {where + ': ' if where else ''}{finding.message}")
                if len(group) > show:
                    lines.append(f"    ... and {len(group) - show} more shown in --json")
    summary = f"{len(report.resources)} resources, {report.rows} rows checked"
    if report.valid:
        verdict = click.style("VALID", fg="green", bold=True)
        lines.append(f"{verdict}: {report.target}: {summary}, no errors")
    else:
        kinds = ", ".join(f"{code} {count}" for code, count in sorted(report.counts.items()))
        verdict = click.style("INVALID", fg="red", bold=True)
        lines.append(
            f"{verdict}: {report.target}: {report.error_count} errors ({kinds}); {summary}"
        )
    return "\n".join(lines)


@main.command()
@click.option("--version", "version", required=True, help="The release's version, X.Y.Z.")
@click.option(
    "--package",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("datapackage"),
    show_default=True,
    help="The package to publish.",
)
@click.option(
    "--portal",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("portal"),
    show_default=True,
    help="The portal directory, served as is by a static web server.",
)
@click.option("--notes", default="", help="Notes for the release's changelog.")
@click.option(
    "--date",
    "released",
    default=None,
    help="Release date, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH); not after "
    "today, not before the latest release.",
)
@click.option(
    "--base-url",
    default=None,
    help="Public http(s) URL the portal is served from; needed on its first publish, then "
    "remembered (the URLs of releases never change).",
)
@click.option(
    "--contact-name",
    default=None,
    help="Who answers for the data (the catalog's contact point); needed on the first "
    "publish, then remembered.",
)
@click.option(
    "--contact-email",
    default=None,
    help="The contact's e-mail address; needed on the first publish, then remembered.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was published as JSON.")
@verbosity("Print only errors.")
def publish(
    *,
    version: str,
    package: Path,
    portal: Path,
    notes: str,
    released: str | None,
    base_url: str | None,
    contact_name: str | None,
    contact_email: str | None,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: int,
) -> None:
    """Publish the package as an immutable, versioned release of a static portal.

    Validates the package, refuses a version that exists or is not greater than the
    latest, and checks that the version bump covers the changes since the latest
    release (MAJOR for removed fields or rows, type changes and tightened constraints;
    MINOR for additions; PATCH for corrected values).

    \b
    Example:
        gcm-open publish --version 1.0.0 --portal portal --notes "First release" \\
          --base-url https://datos.example.org/gcm-open \\
          --contact-name "Unidad de Política Migratoria" --contact-email datos@example.org
        gcm-open publish --version 1.0.1 --dry-run
    """
    from gcm_open.clock import today
    from gcm_open.release import PublishError
    from gcm_open.release import publish as publish_release

    try:
        with progress_bar("Checking the package", shown=not quiet and not verbose) as bar:
            result = publish_release(
                version,
                package=package,
                portal=portal,
                released=released or today(),
                notes=notes,
                base_url=base_url,
                contact_name=contact_name,
                contact_email=contact_email,
                dry_run=dry_run,
                progress=bar,
            )
    except PublishError as error:
        if error.report is not None and not quiet:
            click.echo(format_validation_report(error.report, show=5, quiet=False), err=True)
        raise CommandFailed(str(error)) from None
    except GcmOpenError as error:
        raise command_error(error) from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(format_publish(result, every_file=verbose > 0))


def format_publish(result: PublishResult, *, every_file: bool = False) -> str:
    """What was (or would be) published; the copy in ``latest/`` file by file only when
    ``every_file``."""
    verb = "Would publish" if result.dry_run else "Published"
    lines = [click.style(f"{verb} {result.version} to {result.portal}", fg="green")]
    if result.previous is None:
        lines.append("First release of this portal.")
    else:
        lines.append(f"Since {result.previous}: a {result.required_bump} change")
        if result.difference is not None:
            lines.extend(f"  {line}" for line in result.difference.summary())
    lines.append(f"{'Would write' if result.dry_run else 'Wrote'} {len(result.files)} files:")
    lines.extend(
        f"  {path}" for path in result.files if every_file or not path.startswith("latest/")
    )
    if not every_file:
        lines.append("  latest/ (a copy of the release; -v lists its files)")
    return "\n".join(lines)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@verbosity("Print only the version bump the changes need.")
def diff(*, old: str, new: str, as_json: bool, quiet: bool, verbose: int) -> None:
    """Compare two packages: schema changes, rows added, removed and changed by primary
    key, and the version bump the changes need. OLD and NEW are package directories,
    datapackage.json files, zips or http(s) URLs.

    \b
    Example:
        gcm-open diff portal/releases/1.0.0 datapackage
        gcm-open diff old.zip new.zip --json
    """
    from gcm_open.comparison import diff as diff_packages

    try:
        difference = diff_packages(old, new)
    except GcmOpenError as error:
        raise command_error(error) from None
    if as_json:
        click.echo(json.dumps(difference.to_dict(), ensure_ascii=False, indent=2))
        return
    bump = click.style(difference.required_bump, bold=True)
    if quiet:
        click.echo(f"Required version bump: {bump}")
        return
    click.echo(f"{old} ({difference.old_version}) -> {new} ({difference.new_version})")
    click.echo("\n".join(difference.summary()))
    for table in difference.rows:
        for row in table.changed_rows:
            click.echo(f"  {table.table} {row['key']}: {', '.join(row['fields'])} changed")
    click.echo(f"Required version bump: {bump}")
