"""Pages -> practices: the document model of a compendium.

A compendium lists, for each GCM objective 1..23, numbered practices ``N. Title (ACTOR)``,
first for federal bodies, then again 1..23 for state governments, with no heading between
the two sections. Numbering restarts at 1 for every objective, and an objective without
practices prints "No se reportaron actividades correspondientes a este objetivo.".

Objectives are therefore assigned by counting blocks in reading order (a numbering
restart or a "no activities" note opens the next objective) and then checked against the
page headers, which in the text extraction come at the end of the page they head, and
in a PDF may open the page, stand on a divider page or repeat on every page.
"""

from __future__ import annotations

import bisect
import re
import statistics
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from urllib.parse import unquote

from gcm_open.annex import Annex, read_annex
from gcm_open.diagnostics import BuildWarning
from gcm_open.errors import StructureError
from gcm_open.normalize.text import fold
from gcm_open.pages import (
    Footnote,
    LinkAnnotation,
    ObjectiveHeader,
    PagedText,
    SourceLine,
    join_wrapped,
)
from gcm_open.rules import LIST_ITEM, NO_CHALLENGES, OBJECTIVE_COUNT
from gcm_open.rules import practice_id as format_practice_id

_PRACTICE_HEADER = re.compile(r"^ ?(\d{1,2})\.\s+(\S.*?)\s*$")
# Capitalised: "resultados:" alone on a line is a sentence wrapped before its list.
_SUBHEADING = re.compile(r"^\s*(Resultados|RESULTADOS|Retos|RETOS)\s*[:.]?\s*$")
_NO_ACTIVITIES = re.compile(r"^\s*No se reportaron actividades\b", re.IGNORECASE)
_ANNEXES = re.compile(r"^\s*ANEXOS\s*$")
# A combined acronym printed without parentheses after a title, e.g. "(DFI) UPMRIP-SEGOB".
_BARE_ACTOR = re.compile(r"\s([A-ZÁÉÍÓÚÑ]{2,}(?:-[A-ZÁÉÍÓÚÑ]{2,})+)$")
_SENTENCE_END = (".", ":", ";", "!", "?", ")", "”", '"')

# A header (title and actor) is at most this long: about six lines of a page's width
# (the longest of 2022 has 346 characters), or this many lines of a narrow column.
# Blank lines between its lines are allowed, up to this many in a row.
_MAX_HEADER_CHARS = 480
_MAX_HEADER_LINES = 16
_MAX_HEADER_GAP = 2
# How many pages before or after its block an objective header may stand: a divider page,
# or a header printed at the foot of the page before.
_HEADER_REACH = 2
# A header-like line numbered this far past the practice that is due means a practice
# was lost; further than this it is a list item or a wrapped number inside the text.
_MAX_NUMBER_JUMP = 3


class Section(StrEnum):
    """The two sections of the compendium."""

    FEDERAL = "federal"
    STATE = "state"


@dataclass(frozen=True)
class Practice:
    """One practice as printed in the compendium."""

    edition: int
    section: Section
    objective_id: int
    number: int
    title: str
    lead_label: str
    description: str
    results: str | None
    challenges: str | None
    challenges_reported: bool
    page_start: int
    page_end: int
    line_start: int
    line_end: int
    # Where each source line of a part starts in its text (offset, line number), the
    # title's lines being its header's: what a tag found in a part points back to. Another
    # reading of the document may print the same text on other lines, so it is left out
    # of comparisons.
    line_starts: Mapping[str, tuple[tuple[int, int], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property  # asked for at every tag of the practice
    def practice_id(self) -> str:
        """Stable readable id: edition, section letter, objective and number."""
        return format_practice_id(self.edition, self.section, self.objective_id, self.number)

    def part_text(self, part: str) -> str | None:
        """The text of ``part``: ``title``, ``description``, ``results`` or ``challenges``."""
        text: str | None = getattr(self, part)
        return text

    @property
    def text(self) -> str:
        """Its title, description, results and challenges, one after another."""
        parts = (self.title, self.description, self.results, self.challenges)
        return "\n".join(part for part in parts if part)

    def line_at(self, part: str, offset: int) -> int:
        """The source line on which character ``offset`` of ``part`` was printed."""
        starts = self.line_starts.get(part, ())
        index = bisect.bisect_right(starts, (offset, sys.maxsize)) - 1
        return starts[index][1] if index >= 0 else (starts[0][1] if starts else self.line_start)


@dataclass(frozen=True)
class ObjectiveBlock:
    """What the compendium reports for one objective in one section."""

    section: Section
    objective_id: int
    first_line: int
    practice_count: int
    no_activities_line: int | None
    printed_title: str | None


@dataclass(frozen=True)
class Compendium:
    """The parsed document: practices, objective blocks, footnotes, links, the annexes
    and warnings.

    ``footnote_practices[i]`` is the id of the practice where the marker of
    ``footnotes[i]`` sits, and ``link_practices[i]`` the practice on whose part of the
    page ``links[i]`` is printed; None outside every practice.
    """

    edition: int
    practices: tuple[Practice, ...]
    blocks: tuple[ObjectiveBlock, ...]
    footnotes: tuple[Footnote, ...]
    warnings: tuple[BuildWarning, ...]
    # The lines from "ANEXOS" on: the states that took part and the glossary.
    annex_lines: tuple[SourceLine, ...] = ()
    links: tuple[LinkAnnotation, ...] = ()
    # Tables of the annex pages, where the reader finds tables (the PDF reader).
    annex_tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # The annexes read; None when the document has no "ANEXOS".
    annex: Annex | None = None
    footnote_practices: tuple[str | None, ...] = ()
    link_practices: tuple[str | None, ...] = ()


@dataclass
class _Header:
    number: int
    title: str
    lead_label: str
    lines: list[SourceLine]


@dataclass
class _PracticeDraft:
    header: _Header
    parts: dict[str, list[SourceLine]] = field(
        default_factory=lambda: {"description": [], "results": [], "challenges": []}
    )
    headings: dict[str, int] = field(default_factory=dict)
    current: str = "description"
    # (line, code, message) noticed while reading; reported once the practice has its id.
    notes: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass
class _BlockDraft:
    first_line: SourceLine
    practices: list[_PracticeDraft] = field(default_factory=list)
    no_activities: bool = False


def parse_compendium(paged: PagedText, edition: int) -> Compendium:
    """Read every practice of a paged compendium and place it in its section and objective.

    Raises :class:`StructureError` when the result breaks a structural rule: a wrong
    number of objective blocks, a block that does not match its page header, numbering
    with gaps, a practice without lead label or description.
    """
    warnings: list[BuildWarning] = list(paged.warnings)
    blocks, annex_lines = _read_blocks(paged.body_lines(), warnings)
    assigned = _assign_objectives(blocks, paged.headers(), warnings)
    practices: list[Practice] = []
    block_records: list[ObjectiveBlock] = []
    for (section, objective_id, printed_title), block in zip(assigned, blocks, strict=True):
        block_records.append(
            ObjectiveBlock(
                section=section,
                objective_id=objective_id,
                first_line=block.first_line.line_no,
                practice_count=len(block.practices),
                no_activities_line=block.first_line.line_no if block.no_activities else None,
                printed_title=printed_title,
            )
        )
        for draft in block.practices:
            practices.append(_finish(draft, edition, section, objective_id, warnings))
    annex_page = annex_lines[0].page if annex_lines else None
    warnings.extend(
        BuildWarning(
            page.first_line,
            "table-in-practice",
            f"page {page.number}: a ruled table of {len(table)} rows is kept in the practice's "
            "text, one cell per line, as the text extraction prints it",
        )
        for page in paged.pages
        if annex_page is None or page.number < annex_page
        for table in page.tables
    )
    annex_tables = tuple(
        table
        for page in paged.pages
        if annex_page is not None and page.number >= annex_page
        for table in page.tables
    )
    owner = _Owners(practices, annex_lines[0].line_no if annex_lines else None)
    footnotes, links = paged.footnotes(), paged.links()
    compendium = Compendium(
        edition=edition,
        practices=tuple(practices),
        blocks=tuple(block_records),
        footnotes=tuple(footnotes),
        warnings=tuple(sorted(warnings)),
        annex_lines=tuple(annex_lines),
        links=tuple(links),
        annex_tables=annex_tables,
        annex=read_annex(annex_lines, annex_tables) if annex_lines else None,
        footnote_practices=tuple(
            owner(note.marker_line) if note.marker_line else None for note in footnotes
        ),
        link_practices=_link_owners(links, practices, owner),
    )
    check_structure(compendium)
    return compendium


# Words of a URL that say nothing of what it points to.
_URL_FURNITURE = frozenset(
    {"http", "https", "www", "com", "org", "net", "gob", "html", "htm", "php", "aspx", "pdf"}
)


def _link_owners(
    links: Sequence[LinkAnnotation], practices: Sequence[Practice], owner: _Owners
) -> tuple[str | None, ...]:
    """The practice each link annotation belongs to: of the practices printed on its
    page, the one whose text holds the most of the URL's words (at least two, and more
    than any other), as a link is listed at the foot of its page, after every practice on
    it; else the practice whose part of the page holds it."""
    words_of_practice: dict[str, set[str]] = {}  # a page's practices, read once
    owners: list[str | None] = []
    for link in links:
        words = _words_of(unquote(link.url)) - _URL_FURNITURE
        on_page = [
            practice
            for practice in practices
            if practice.page_start <= link.page <= practice.page_end
        ]
        for practice in on_page:
            if practice.practice_id not in words_of_practice:
                words_of_practice[practice.practice_id] = _words_of(practice.text)
        scores = sorted(
            (
                (len(words & words_of_practice[practice.practice_id]), practice.practice_id)
                for practice in on_page
            ),
            reverse=True,
        )
        if scores and scores[0][0] >= 2 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            owners.append(scores[0][1])
        else:
            owners.append(owner(link.line_no))
    return tuple(owners)


def _words_of(text: str) -> set[str]:
    """The words of three letters or more (or numbers) in ``text``, folded."""
    return set(re.findall(r"[a-z0-9]{3,}", fold(text)))


class _Owners:
    """The practice whose part of the document holds a line: from its header to the
    next practice's header, or to the annexes."""

    def __init__(self, practices: Sequence[Practice], annex_start: int | None) -> None:
        self._starts = [practice.line_start for practice in practices]
        self._ids = [practice.practice_id for practice in practices]
        self._annex_start = annex_start

    def __call__(self, line_no: int) -> str | None:
        if self._annex_start is not None and line_no >= self._annex_start:
            return None
        position = bisect.bisect_right(self._starts, line_no) - 1
        return self._ids[position] if position >= 0 else None


def _read_blocks(
    lines: Sequence[SourceLine], warnings: list[BuildWarning]
) -> tuple[list[_BlockDraft], list[SourceLine]]:
    """Practices grouped in objective blocks, and the annex lines after them."""
    blocks: list[_BlockDraft] = []
    practice: _PracticeDraft | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        if _ANNEXES.match(text):
            return blocks, list(lines[index:])
        if _NO_ACTIVITIES.match(text):
            blocks.append(_BlockDraft(first_line=line, no_activities=True))
            practice = None
            index += 1
            # The sentence may wrap ("... a este" / "objetivo."): its rest is part of it.
            ended = text.rstrip().endswith(".")
            while not ended and index < len(lines):
                more = lines[index].text.strip()
                if not more or not more[0].islower():
                    break
                ended = more.endswith(".")
                index += 1
            continue
        header_match = _PRACTICE_HEADER.match(text)
        if header_match:
            number = int(header_match.group(1))
            block = blocks[-1] if blocks and not blocks[-1].no_activities else None
            expected = len(block.practices) + 1 if block is not None else 1
            if number in (1, expected) and (number != 1 or practice is None or _has_body(practice)):
                header, next_index = _read_header(lines, index)
                if header is not None and not (number == 1 and _is_list(lines, next_index)):
                    if number == 1:
                        block = _BlockDraft(first_line=line)
                        blocks.append(block)
                    assert block is not None
                    practice = _PracticeDraft(header)
                    block.practices.append(practice)
                    index = next_index
                    continue
            elif practice is not None and expected < number <= expected + _MAX_NUMBER_JUMP:
                skipped_to, _ = _read_header(lines, index)
                if skipped_to is not None:
                    raise StructureError(
                        f"practice numbering jumps from {expected - 1} to {number} "
                        f"('{skipped_to.title[:50]}'): practice {expected} after "
                        f"'{practice.header.title[:50]}' (line {practice.header.lines[0].line_no})"
                        " is missing or its header was not recognised",
                        line=line.line_no,
                    )
            if practice is not None and text.rstrip(" .").endswith(")"):
                practice.notes.append(
                    (
                        line.line_no,
                        "numbered-line-in-body",
                        f"contains '{text.strip()[:50]}', which looks like a practice "
                        f"header, but practice {expected} is due; kept in its text",
                    )
                )
        if practice is None:
            if text.strip() and blocks:
                warnings.append(
                    BuildWarning(
                        line.line_no,
                        "text-outside-practice",
                        f"text outside any practice: '{text.strip()[:60]}'",
                    )
                )
            index += 1
            continue
        heading = _SUBHEADING.match(text)
        if heading and not _ends_sentence_in_force(practice, heading.group(1).lower()):
            _switch_part(practice, heading.group(1).lower(), line)
        else:
            practice.parts[practice.current].append(line)
        index += 1
    return blocks, []


def _has_body(practice: _PracticeDraft) -> bool:
    return any(line.text.strip() for part in practice.parts.values() for line in part)


def _is_list(lines: Sequence[SourceLine], index: int) -> bool:
    """Whether a numbered list goes on at ``index`` (a "2." after a "1."), skipping blanks."""
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    return index < len(lines) and lines[index].text.lstrip().startswith("2.")


def _read_header(lines: Sequence[SourceLine], index: int) -> tuple[_Header | None, int]:
    """Read ``N. Title (ACTOR)`` starting at ``index``, over as many lines as it takes.

    Returns the header and the index of the first line after it, or None when the
    numbered line is not a practice header (an item of a list, a wrapped number).
    """
    first = _PRACTICE_HEADER.match(lines[index].text)
    assert first is not None
    parts = [first.group(2)]
    used = [lines[index]]
    fallback: tuple[_Header, int] | None = None
    cursor = index
    while True:
        joined = join_wrapped(parts)
        next_content, gap = _next_content(lines, cursor + 1)
        split = _split_actor(joined)
        if split is not None:
            header = _Header(int(first.group(1)), split[0], split[1], list(used))
            if next_content is None or not (
                _continues_header(joined, lines[next_content].text, gap)
                or _ends_header(lines, next_content, gap)
            ):
                return header, cursor + 1
            fallback = fallback or (header, cursor + 1)
        bare = _BARE_ACTOR.search(joined)
        # Under a title set solid with its text, the actor after a parenthesis ("(DFI)
        # UPMRIP-SEGOB") ends it unless the next line goes on: a title broken in a narrow
        # column goes on in capitals ("Prioritarias INMUJERES-ONU" / "Mujeres: ...").
        if bare and (
            gap > 0
            or next_content is None
            or (
                joined[: bare.start()].rstrip().endswith(")")
                and not _continues_header(joined, lines[next_content].text, gap)
            )
        ):
            title = joined[: bare.start()].strip()
            return _Header(
                int(first.group(1)), _clean(title), bare.group(1), list(used)
            ), cursor + 1
        if (
            next_content is None
            or gap > _MAX_HEADER_GAP
            or len(used) >= _MAX_HEADER_LINES
            or len(joined) >= _MAX_HEADER_CHARS
            or _stops_header(lines[next_content].text)
        ):
            return fallback if fallback else (None, index + 1)
        cursor = next_content
        parts.append(lines[cursor].text)
        used.append(lines[cursor])


def _continues_header(header: str, next_text: str, gap: int) -> bool:
    """Whether a header that already ends with a parenthesis goes on at ``next_text``.

    It does when the next line is the actor, ``(UPMRIP-SEGOB)`` or ``UPMRIP-SEGOB``
    alone; when it continues a sentence in lower case (descriptions start with a
    capital); and when the parenthesis closed a sentence and the title goes straight on:
    ``(PROBIPI).`` / ``Apoyos para ... (INPI)``.
    """
    start = next_text.lstrip()[:1]
    bare_actor = _BARE_ACTOR.fullmatch(f" {next_text.strip()}") is not None
    return (
        start == "("
        or start.islower()
        or bare_actor
        or (header.rstrip().endswith(").") and gap == 0)
    ) and not _stops_header(next_text)


def _ends_header(lines: Sequence[SourceLine], index: int, gap: int) -> bool:
    """Whether the line at ``index``, right under a header that ends in a parenthesis,
    is the header's last line: it ends in a parenthesis too and a blank line follows,
    as under every header (``... Temporales (PTAT)`` / ``México-Canadá (STPS-SRE)``,
    where a narrow column breaks the title)."""
    text = lines[index].text.strip()
    following = index + 1
    return (
        gap == 0
        and text.endswith(")")
        and _split_actor(text) is not None
        and not _stops_header(text)
        and (following >= len(lines) or not lines[following].text.strip())
    )


def _next_content(lines: Sequence[SourceLine], index: int) -> tuple[int | None, int]:
    gap = 0
    while index < len(lines) and not lines[index].text.strip():
        index += 1
        gap += 1
    return (index if index < len(lines) else None), gap


def _stops_header(text: str) -> bool:
    return bool(
        _SUBHEADING.match(text)
        or _PRACTICE_HEADER.match(text)
        or _NO_ACTIVITIES.match(text)
        or _ANNEXES.match(text)
    )


def _split_actor(text: str) -> tuple[str, str] | None:
    """Split ``Title (X) (ACTOR)`` into title and the last parenthetical, as printed."""
    stripped = text.rstrip(" .")
    if not stripped.endswith(")"):
        return None
    depth = 0
    for position in range(len(stripped) - 1, -1, -1):
        char = stripped[position]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                title = _clean(stripped[:position])
                label = _clean(stripped[position + 1 : -1])
                if title and label:
                    return title, label
                return None
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _part_of(heading: str) -> str:
    return "results" if heading == "resultados" else "challenges"


def _ends_sentence_in_force(practice: _PracticeDraft, heading: str) -> bool:
    """Whether a line that reads as the heading of the part in force ends the sentence
    above it: "... con base a Gestiones y/o" / "Resultados." is text."""
    if practice.current != _part_of(heading):
        return False
    lines = practice.parts[practice.current]
    above = next((line.text.strip() for line in reversed(lines) if line.text.strip()), None)
    return above is not None and not above.endswith(_SENTENCE_END)


def _switch_part(practice: _PracticeDraft, heading: str, line: SourceLine) -> None:
    part = _part_of(heading)
    order = ["description", "results", "challenges"]
    if part in practice.headings:
        practice.notes.append(
            (
                line.line_no,
                "repeated-heading",
                f"repeats the heading {heading.capitalize()} (first at line "
                f"{practice.headings[part]}); its text is kept in the same part",
            )
        )
    elif order.index(part) < order.index(practice.current):
        practice.notes.append(
            (
                line.line_no,
                "heading-out-of-order",
                f"has {heading.capitalize()} after its {practice.current}; the text that "
                f"follows is added to {part}",
            )
        )
    practice.headings.setdefault(part, line.line_no)
    practice.current = part


def _finish(
    draft: _PracticeDraft,
    edition: int,
    section: Section,
    objective_id: int,
    warnings: list[BuildWarning],
) -> Practice:
    header = draft.header
    texts = {name: compose_text(lines) for name, lines in draft.parts.items()}
    results = texts["results"] if "results" in draft.headings else None
    challenges = texts["challenges"] if "challenges" in draft.headings else None
    start = header.lines[0]
    practice_lines = [line for part in draft.parts.values() for line in part if line.text.strip()]
    last = max([*header.lines, *practice_lines], key=lambda line: line.line_no)
    practice = Practice(
        edition=edition,
        section=section,
        objective_id=objective_id,
        number=header.number,
        title=header.title,
        lead_label=header.lead_label,
        description=texts["description"],
        results=results or None,
        challenges=challenges or None,
        challenges_reported=bool(challenges) and not NO_CHALLENGES.match(challenges or ""),
        page_start=start.page,
        page_end=last.page,
        line_start=start.line_no,
        line_end=last.line_no,
        line_starts={
            "title": _line_starts(header.title, header.lines),
            "lead_label": _line_starts(header.lead_label, _lines_naming(header)),
            **{name: _line_starts(texts[name], lines) for name, lines in draft.parts.items()},
        },
    )
    where = f"practice {practice.practice_id} '{practice.title[:40]}'"
    warnings.extend(
        BuildWarning(line, code, f"{where} {message}") for line, code, message in draft.notes
    )
    for name, heading in (("results", "Resultados"), ("challenges", "Retos")):
        if name not in draft.headings:
            warnings.append(
                BuildWarning(start.line_no, f"no-{name}", f"{where} has no {heading} section")
            )
        elif not texts[name]:
            warnings.append(
                BuildWarning(
                    draft.headings[name], f"empty-{name}", f"{where} has an empty {heading} section"
                )
            )
    return practice


def _lines_naming(header: _Header) -> list[SourceLine]:
    """The header's lines from the one that opens its lead label."""
    printed = [line for line in header.lines if line.text.strip()]
    # Its first word, which a hyphen may break off the rest ("(UPMRIP-" / "SEGOB)").
    label = re.split(r"[\s-]", header.lead_label.strip(), maxsplit=1)[0]
    opening = next(
        (index for index in range(len(printed) - 1, -1, -1) if label in printed[index].text),
        len(printed) - 1,
    )
    return printed[opening:]


def _line_starts(text: str, lines: Sequence[SourceLine]) -> tuple[tuple[int, int], ...]:
    """Where each of ``lines`` starts in ``text``, the text composed of them. Composing
    only drops a line-end hyphen or spaces, so each line's opening words are found in
    order; a line that cannot be found is left to the one before it."""
    starts: list[tuple[int, int]] = []
    position = 0
    for line in lines:
        # A line's opening words: a header's last line also holds the lead label.
        words = " ".join(line.text.split())  # the text keeps one space between words
        found = text.find(words[:12], position) if words else -1
        if found < 0 and words:  # a header's last line: the title ends in its first words
            found = text.find(words.split()[0], position)
        if found < 0 and not starts and words:
            found = 0  # a header's first line opens with its number, not in the title
        if found >= 0:
            starts.append((found, line.line_no))
            position = found + max(1, len(words) - 8)
    return tuple(starts)


def compose_text(lines: Sequence[SourceLine]) -> str:
    """Join body lines into text: wrapped lines with single spaces, paragraphs by newlines.

    A blank line ends a paragraph only after the end of a sentence, because the
    extraction also leaves blank lines in mid-sentence (at page breaks, around
    headers). A page break counts as a blank line. List items (bullets, ``a)``, ``1.``)
    always start a new line. A line broken inside a word or URL (no trailing whitespace)
    is joined without a space.
    """
    paragraphs: list[list[str]] = []
    blank_before = False
    blank_line = False
    glue_next = False
    page = lines[0].page if lines else 0
    for line in lines:
        # A page break reads like a blank line: whether the extraction left blank lines
        # around it varies, and the sentence end decides. A word broken at the foot of a
        # page still goes on at the top of the next.
        blank_before = blank_before or line.page != page
        page = line.page
        text = line.text.strip()
        if not text:
            blank_before = blank_line = True
            continue
        last = paragraphs[-1][-1] if paragraphs else ""
        new_paragraph = (
            not paragraphs
            or LIST_ITEM.match(text) is not None
            or (
                blank_before
                and (
                    last.endswith(_SENTENCE_END)
                    or "://" in last
                    # A capital after a blank line ends a list item.
                    or (text[:1].isupper() and LIST_ITEM.match(paragraphs[-1][0]) is not None)
                )
            )
        )
        if new_paragraph:
            paragraphs.append([text])
        elif glue_next and not blank_line:
            paragraphs[-1][-1] += text
        else:
            paragraphs[-1].append(text)
        glue_next = not line.text[-1:].isspace()
        blank_before = blank_line = False
    return "\n".join(join_wrapped(paragraph) for paragraph in paragraphs)


def _assign_objectives(
    blocks: Sequence[_BlockDraft],
    headers: Sequence[ObjectiveHeader],
    warnings: list[BuildWarning],
) -> list[tuple[Section, int, str | None]]:
    """Give each block its section and objective, and check it against the page headers.

    Block k of a section is objective k: numbering decides. The headers confirm it. The
    first header of objective k stands where this document prints first headers (the
    page its block starts on, the page before for a divider page), give or take a page;
    any running heads that repeat it stand within :data:`_HEADER_REACH` pages of the
    block. A header out of place, or inside another objective's block, contradicts the
    numbering and stops the parse; a header away from the page its block starts on is a
    counted warning.
    """
    expected = 2 * OBJECTIVE_COUNT
    order = [(Section.FEDERAL, k) for k in range(1, OBJECTIVE_COUNT + 1)] + [
        (Section.STATE, k) for k in range(1, OBJECTIVE_COUNT + 1)
    ]
    header_runs = _header_runs(headers)
    spans = [_block_pages(block) for block in blocks]
    typical = _typical_offset(order, blocks, spans, header_runs)
    for position, (section, objective_id) in enumerate(order):
        found = header_runs.get((section, objective_id), [])
        if position >= len(blocks):
            where = (
                found[0].line_no if found else (blocks[-1].first_line.line_no if blocks else None)
            )
            raise StructureError(
                f"found {len(blocks)} objective blocks, expected {expected} (23 federal and "
                f"23 state): nothing is left for objective {objective_id} ({section}); a "
                "practice header or a 'no activities' note was not recognised before here",
                line=where,
            )
        block = blocks[position]
        if not found:
            warnings.append(
                BuildWarning(
                    block.first_line.line_no,
                    "missing-objective-header",
                    f"no page header found for objective {objective_id} ({section})",
                )
            )
            continue
        first_page, last_page = spans[position]
        opening = found[0]
        low, high = typical - 1, typical + 1
        for header in found:
            if header is opening:
                near = first_page + low <= header.page <= first_page + high
            else:
                near = first_page - _HEADER_REACH <= header.page <= last_page + _HEADER_REACH
            inside = next(
                (
                    other
                    for other, (start, end) in enumerate(spans[: len(order)])
                    if other != position and start < header.page < end
                ),
                None,
            )
            if not near or inside is not None:
                place = (
                    f"inside the block numbering gives to objective {order[inside][1]} "
                    f"({order[inside][0]}, pages {spans[inside][0]}-{spans[inside][1]})"
                    if inside is not None
                    else "too far from it"
                )
                raise StructureError(
                    f"objective {objective_id} ({section}): the block that numbering assigns "
                    f"to it starts at line {block.first_line.line_no} (pages {first_page}-"
                    f"{last_page}), but its page header at line {header.line_no} (page "
                    f"{header.page}) stands {place}",
                    line=block.first_line.line_no,
                )
        offset = opening.page - first_page
        if offset != typical and not 0 <= offset <= 1:
            warnings.append(
                BuildWarning(
                    opening.line_no,
                    "objective-header-displaced",
                    f"the header of objective {objective_id} ({section}) is on page "
                    f"{opening.page}, its block starts on page {first_page} (line "
                    f"{block.first_line.line_no}); the numbering places the block",
                )
            )
        if len(found) > 1:
            warnings.append(
                BuildWarning(
                    found[1].line_no,
                    "repeated-objective-header",
                    f"objective {objective_id} ({section}) has {len(found)} page headers "
                    f"(pages {found[0].page}-{found[-1].page}): read as one, with running heads",
                )
            )
    if len(blocks) > expected:
        extra = blocks[expected]
        raise StructureError(
            f"found {len(blocks)} objective blocks, expected {expected} (23 federal and 23 "
            "state): a numbered list or a wrapped number was taken for a practice header",
            line=extra.first_line.line_no,
        )
    return [
        (
            section,
            objective_id,
            _printed_title(header_runs[(section, objective_id)])
            if (section, objective_id) in header_runs
            else None,
        )
        for section, objective_id in order
    ]


def _typical_offset(
    order: Sequence[tuple[Section, int]],
    blocks: Sequence[_BlockDraft],
    spans: Sequence[tuple[int, int]],
    header_runs: dict[tuple[Section, int], list[ObjectiveHeader]],
) -> int:
    """Where this document prints an objective's first header, in pages from the page
    its block starts on: 0 (the same page), -1 (a divider page or the page before);
    clamped to :data:`_HEADER_REACH`."""
    offsets = [
        header_runs[key][0].page - spans[position][0]
        for position, key in enumerate(order[: len(blocks)])
        if key in header_runs
    ]
    if not offsets:
        return 0
    middle = int(statistics.median_low(offsets))
    return max(-_HEADER_REACH + 1, min(_HEADER_REACH - 1, middle))


def _block_pages(block: _BlockDraft) -> tuple[int, int]:
    """The first and last page a block's text is printed on."""
    pages = [block.first_line.page]
    for practice in block.practices:
        pages += [line.page for line in practice.header.lines]
        pages += [
            line.page for part in practice.parts.values() for line in part if line.text.strip()
        ]
    return min(pages), max(pages)


def _printed_title(headers: Sequence[ObjectiveHeader]) -> str:
    """The title of an objective as printed: the fullest of its headers (a running head
    may be shortened)."""
    return max(headers, key=lambda header: len(header.title)).title


def _header_runs(
    headers: Sequence[ObjectiveHeader],
) -> dict[tuple[Section, int], list[ObjectiveHeader]]:
    """Headers by section and objective.

    In reading order, the headers of an objective follow one another (a running head
    repeats it on every page); the objectives rise through the federal section, and the
    first objective lower than the one before opens the state section.
    """
    runs: dict[tuple[Section, int], list[ObjectiveHeader]] = {}
    section, previous = Section.FEDERAL, 0
    for header in sorted(headers, key=lambda header: header.line_no):
        if header.objective_id < previous:
            if section is Section.STATE:
                raise StructureError(
                    f"objective {header.objective_id} has a third page header (page "
                    f"{header.page}): the headers go through the objectives more than twice",
                    line=header.line_no,
                )
            section = Section.STATE
        previous = header.objective_id
        runs.setdefault((section, header.objective_id), []).append(header)
    return runs


def check_structure(compendium: Compendium) -> None:
    """Check the rules every compendium obeys; raise :class:`StructureError` on the first."""
    by_block: dict[tuple[Section, int], list[Practice]] = {}
    for practice in compendium.practices:
        by_block.setdefault((practice.section, practice.objective_id), []).append(practice)
        where = f"practice {practice.practice_id}"
        if not practice.lead_label:
            raise StructureError(f"{where} has no lead label", line=practice.line_start)
        if not practice.description:
            raise StructureError(f"{where} has no description", line=practice.line_start)
        if not practice.title:
            raise StructureError(f"{where} has no title", line=practice.line_start)
    for block in compendium.blocks:
        practices = by_block.get((block.section, block.objective_id), [])
        numbers = [practice.number for practice in practices]
        if numbers != list(range(1, len(numbers) + 1)):
            raise StructureError(
                f"objective {block.objective_id} ({block.section}): practices are numbered "
                f"{numbers}, not 1..{len(numbers)}",
                line=block.first_line,
            )
        if not practices and block.no_activities_line is None:
            raise StructureError(
                f"objective {block.objective_id} ({block.section}) has neither practices nor "
                "a 'no activities' note",
                line=block.first_line,
            )
    ids = [practice.practice_id for practice in compendium.practices]
    if len(set(ids)) != len(ids):
        duplicate = next(item for item in ids if ids.count(item) > 1)
        raise StructureError(f"practice id {duplicate} is used twice")
