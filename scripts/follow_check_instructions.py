"""Follow the portal's "How to check a download" as a reader would: read the commands from
the page and run them in one shell, in an empty folder, stopping at the first that fails.

    python scripts/follow_check_instructions.py URL [--installed]

URL is a page of a served portal (its front page or a release page). With
``--installed``, the commands that make a virtual environment and install gcm-open into
it are not run (gcm-open must then be on the PATH already, as in the test suite, which has
no package index to install from). Prints each command and what it printed; exits 0 when
every command passed, else 1.
"""

from __future__ import annotations

import argparse
import html.parser
import shlex
import subprocess
import sys
import tempfile
import urllib.request

# The commands that install gcm-open.
INSTALLING = ("python3 -m venv ", "python3 -m pip install ")


class _Commands(html.parser.HTMLParser):
    """The text of the page's ``<pre id="check-commands">``."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = self.inside or (tag == "pre" and ("id", "check-commands") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text += data


def commands_of(url: str) -> list[str]:
    """The commands a page gives for checking a download."""
    with urllib.request.urlopen(url) as response:
        parser = _Commands()
        parser.feed(response.read().decode("utf-8"))
    return [line for line in parser.text.splitlines() if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--installed", action="store_true")
    args = parser.parse_args()
    commands = commands_of(args.url)
    if not commands:
        print(f"{args.url}: no check commands on the page")
        return 1
    steps = []
    for command in commands:
        if args.installed and command.startswith(INSTALLING):
            print(f"skipped (already installed): {command}")
            continue
        steps.append(f"printf '%s\\n' {shlex.quote('$ ' + command)}\n{command}")
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            ["bash", "-e", "-c", "\n".join(steps)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    print(done.stdout + done.stderr, end="")
    if done.returncode != 0:
        print(f"FAILED with exit code {done.returncode}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
