"""Write docs/cli.md, the reference of every `gcm-open` command, from the commands' help.

python scripts/make_cli_reference.py          # rewrite docs/cli.md
python scripts/make_cli_reference.py --check  # exit 1 when docs/cli.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click

from gcm_open.cli import main

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    # As the command line makes it (with its context settings), at a fixed width.
    return command.make_context(
        name, [], parent=parent, resilient_parsing=True, terminal_width=100, max_content_width=100
    )


def _help(command: click.Command, name: str, parent: click.Context | None) -> str:
    return command.get_help(_context(command, name, parent))


def cli_reference() -> str:
    """The Markdown reference: the main help, then each command's help, in name order."""
    root = _context(main, "gcm-open", None)
    parts = [
        "# gcm-open command reference",
        "",
        "Generated from the commands by `python scripts/make_cli_reference.py`; a test fails",
        "when it is stale. Exit codes: 0 success; 1 the command failed (for `validate`: the",
        "package is invalid); 2 the input or the options cannot be used.",
        "",
        "## gcm-open",
        "",
        "```text",
        _help(main, "gcm-open", None),
        "```",
    ]
    assert isinstance(main, click.Group)
    for name in sorted(main.commands):
        parts += ["", f"## gcm-open {name}", "", "```text"]
        parts += [_help(main.commands[name], name, root), "```"]
    return "\n".join(parts) + "\n"


def main_script() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that it is current")
    text = cli_reference()
    if parser.parse_args().check:
        current = REFERENCE.read_text("utf-8") if REFERENCE.exists() else ""
        if current != text:
            sys.exit(f"{REFERENCE} is stale: run python scripts/make_cli_reference.py")
        return
    REFERENCE.write_text(text, "utf-8")


if __name__ == "__main__":
    main_script()
