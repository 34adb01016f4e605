"""Write docs/findings.md, the table of every finding `gcm-open validate` can report and of
every warning `gcm-open build` can give, from the catalogs that declare them
(gcm_open.validation.findings.CATALOG, gcm_open.diagnostics.WARNINGS).

python scripts/make_findings_reference.py          # rewrite docs/findings.md
python scripts/make_findings_reference.py --check  # exit 1 when docs/findings.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gcm_open.diagnostics import WARNINGS
from gcm_open.validation.findings import CATALOG

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "findings.md"
GROUPS = {
    "container": "The zip or download a package comes in",
    "descriptor": "The descriptor, its paths and its Table Schemas",
    "files": "Files against their declared size and hash",
    "structure": "The structure of a table (header, rows, encoding)",
    "data": "Cells and keys against the Table Schema",
    "parquet": "The Parquet copy of a gcm-open table against its CSV",
    "gcm-open": "A gcm-open package: its tables and the dataset's rules",
}


def findings_reference() -> str:
    """The Markdown table of every finding code, grouped, in the catalog's order."""
    lines = [
        "# Findings of `gcm-open validate`",
        "",
        "Generated from the catalog in `src/gcm_open/validation/findings.py` by",
        "`python scripts/make_findings_reference.py`; a test fails when it is stale, and",
        "another when a code is not produced by some defect. *frictionless* is the error",
        "type `frictionless validate` reports for the same defect (none: a check frictionless",
        "does not make). Rows are numbered as frictionless numbers them: the header is row 1.",
    ]
    for group, title in GROUPS.items():
        lines += ["", f"## {title}", "", "| code | meaning | frictionless |", "| --- | --- | --- |"]
        for kind in CATALOG.values():
            if kind.group == group:
                lines.append(
                    f"| `{kind.code}` | {kind.meaning} | "
                    f"{f'`{kind.frictionless}`' if kind.frictionless else 'none'} |"
                )
    lines += [
        "",
        "# Warnings of `gcm-open build`",
        "",
        "Generated from `WARNINGS` in `src/gcm_open/diagnostics.py`. A build counts each",
        "warning in its report, with the line (and page) it concerns, and goes on.",
        "",
        "| code | meaning |",
        "| --- | --- |",
        *(f"| `{code}` | {meaning} |" for code, meaning in WARNINGS.items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    arguments = parser.parse_args()
    text = findings_reference()
    if arguments.check:
        current = REFERENCE.read_text("utf-8") if REFERENCE.exists() else ""
        sys.exit(0 if current == text else 1)
    REFERENCE.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
