"""Compare what a PDF build reads with what the text build reads, field by field.

For each layout of ``make_fixture_pdf.py`` (all by default): whether the PDF builds, how
many practices it finds, how many practices match the text build exactly (whitespace
normalised) on each field, the footnotes, the printed objective titles and the rows of
the annexes (participating states, glossary), and the warnings the PDF reader and parser
gave.

    python scripts/pdf_parity.py [--layout NAME ...] [--show N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gcm_open.errors import GcmOpenError
from gcm_open.pages import read_text_pages
from gcm_open.parse import Compendium, parse_compendium
from gcm_open.pdf import read_pdf_pages
from gcm_open.sources import bundled_source
from make_fixture_pdf import LAYOUTS, make_pdf

FIELDS = ("title", "lead_label", "description", "results", "challenges")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass
class Parity:
    """How a PDF build compares with the text build."""

    practices: int = 0
    expected: int = 0
    exact: dict[str, int] = field(default_factory=dict)
    footnotes: tuple[int, int] = (0, 0)  # equal, expected
    titles: tuple[int, int] = (0, 0)
    # Glossary rows and participating states read as the text reads them.
    annex: tuple[int, int] = (0, 0)
    warnings: Counter[str] = field(default_factory=Counter)
    differences: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def identical(self) -> bool:
        return (
            self.error is None
            and self.practices == self.expected
            and all(count == self.expected for count in self.exact.values())
            and self.footnotes[0] == self.footnotes[1]
            and self.titles[0] == self.titles[1]
            and self.annex[0] == self.annex[1]
        )


def text_compendium() -> Compendium:
    source = bundled_source()
    return parse_compendium(read_text_pages(source.text), source.manifest.edition)


def compare(pdf: Compendium, text: Compendium) -> Parity:
    """Field-by-field agreement of two parses of the same compendium."""
    parity = Parity(practices=len(pdf.practices), expected=len(text.practices))
    by_id = {practice.practice_id: practice for practice in pdf.practices}
    for name in FIELDS:
        parity.exact[name] = 0
    for practice in text.practices:
        other = by_id.get(practice.practice_id)
        if other is None:
            parity.differences.append(f"{practice.practice_id}: not found")
            continue
        for name in FIELDS:
            want, got = _norm(getattr(practice, name)), _norm(getattr(other, name))
            if want == got:
                parity.exact[name] += 1
            else:
                parity.differences.append(_difference(practice.practice_id, name, want, got))
    notes = {note.number: _norm(note.text) for note in pdf.footnotes}
    equal = 0
    for note in text.footnotes:
        if notes.get(note.number) == _norm(note.text):
            equal += 1
        else:
            parity.differences.append(
                _difference(
                    f"footnote {note.number}", "text", _norm(note.text), notes.get(note.number, "")
                )
            )
    parity.footnotes = (equal, len(text.footnotes))
    titles = 0
    for mine, theirs in zip(text.blocks, pdf.blocks, strict=False):
        if _norm(mine.printed_title) == _norm(theirs.printed_title):
            titles += 1
        else:
            parity.differences.append(
                _difference(
                    f"objective {mine.objective_id} {mine.section}",
                    "printed title",
                    _norm(mine.printed_title),
                    _norm(theirs.printed_title),
                )
            )
    parity.titles = (titles, len(text.blocks))
    mine = _annex_rows(text)
    theirs = set(_annex_rows(pdf))
    parity.annex = (sum(1 for row in mine if row in theirs), len(mine))
    parity.differences += [f"annex row {row!r}: not read" for row in mine if row not in theirs]
    parity.warnings = Counter(warning.code for warning in pdf.warnings)
    return parity


def _annex_rows(compendium: Compendium) -> list[str]:
    annex = compendium.annex
    if annex is None:
        return []
    states = [f"state {name}" for name in annex.participating_states]
    return states + [f"{entry.name} {'/'.join(entry.acronyms)}" for entry in annex.glossary]


def _difference(where: str, name: str, want: str, got: str) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b),
        min(len(want), len(got)),
    )
    start = max(0, at - 30)
    return f"{where} {name}: text …{want[start : at + 40]!r} / pdf …{got[start : at + 40]!r}"


def layout_parity(layout: str, directory: Path, text: Compendium) -> Parity:
    """Render ``layout`` into ``directory`` (unless it is there), read it and compare."""
    pdf_path = directory / f"compendio-{layout}.pdf"
    if not pdf_path.exists():
        make_pdf(pdf_path, layout=layout)
    try:
        paged = read_pdf_pages(pdf_path, jobs=2, use_cache=True)
        compendium = parse_compendium(paged, text.edition)
    except GcmOpenError as error:
        return Parity(expected=len(text.practices), error=str(error))
    return compare(compendium, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layout", nargs="*", choices=sorted(LAYOUTS), default=list(LAYOUTS))
    parser.add_argument("--show", type=int, default=0, help="print up to N differences per layout")
    parser.add_argument("--cache", type=Path, help="keep the rendered PDFs here")
    options = parser.parse_args()
    text = text_compendium()
    with tempfile.TemporaryDirectory() as scratch:
        directory = options.cache or Path(scratch)
        directory.mkdir(parents=True, exist_ok=True)
        print(
            "| layout | builds | practices | "
            + " | ".join(FIELDS)
            + " | footnotes | printed titles | annex rows | warnings |"
        )
        print("| --- " * (len(FIELDS) + 7) + "|")
        shown = []
        for layout in options.layout:
            parity = layout_parity(layout, directory, text)
            if parity.error:
                print(f"| {layout} | no: {parity.error} |" + " |" * (len(FIELDS) + 5))
                continue
            warnings = ", ".join(
                f"{code} {count}" for code, count in sorted(parity.warnings.items())
            )
            print(
                f"| {layout} | yes | {parity.practices}/{parity.expected} | "
                + " | ".join(str(parity.exact[name]) for name in FIELDS)
                + f" | {parity.footnotes[0]}/{parity.footnotes[1]}"
                + f" | {parity.titles[0]}/{parity.titles[1]}"
                + f" | {parity.annex[0]}/{parity.annex[1]} | {warnings} |"
            )
            shown += [f"{layout}: {line}" for line in parity.differences[: options.show]]
        for line in shown:
            print(line)


if __name__ == "__main__":
    main()
