"""Annex lines -> the annexes of the compendium: participating states and the glossary.

The glossary is a two-column table (institution, acronym) flattened by the extraction:
a name runs over one to four lines, sometimes with blank lines inside, and its acronym
either ends the name's last line (``CENTRO NACIONAL DE INTELIGENCIA CNI``) or stands on
a line of its own. An acronym closes an entry; the layout tells which token is one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from gcm_open.errors import StructureError
from gcm_open.pages import SourceLine

_STATES_HEADING = re.compile(r"^\s*\d+\.\s+Entidades federativas", re.IGNORECASE)
_GLOSSARY_HEADING = re.compile(r"^\s*\d+\.\s+Glosario", re.IGNORECASE)
# The glossary's column heads, as this edition prints them or as a glossary often does,
# in either order.
_NAME_HEAD = r"(?:Dependencias e Instituciones|Dependencias|Instituciones|Nombre|Institución)"
_ACRONYM_HEAD = r"(?:Acrónimos?|Siglas)"
_GLOSSARY_COLUMNS = re.compile(
    rf"^\s*(?:{_NAME_HEAD}\s+{_ACRONYM_HEAD}|{_ACRONYM_HEAD}\s+{_NAME_HEAD})\s*$",
    re.IGNORECASE,
)
_TABLE_COLUMNS = re.compile(r"^\s*(ENTIDADES|FEDERATIVAS)\s*$")
_GLUED_MARKER = re.compile(r"(?<=[^\W\d_])\d{1,2}$")
_CLOSING_PAGE = re.compile(r"^\s*Compendio General \d{4}\s*$")
# Spanish words a name line can end or start with, but an acronym never is.
_FUNCTION_WORDS = frozenset(
    {"A", "DE", "DEL", "E", "EL", "EN", "LA", "LAS", "LOS", "PARA", "POR", "Y", "CONTRA"}
)
_ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ.]*(?:/[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑ.]*)*$")


Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class GlossaryEntry:
    """One row of the annex glossary: the institution's name and its acronyms as printed.

    ``acronyms`` holds every form printed in the acronym column: ``INM/INAMI`` gives
    ``("INM", "INAMI")``.
    """

    name: str
    acronyms: tuple[str, ...]
    line_no: int


@dataclass(frozen=True)
class Annex:
    """The annexes: the states that took part (names as printed) and the glossary."""

    participating_states: tuple[str, ...]
    glossary: tuple[GlossaryEntry, ...]


@dataclass(frozen=True)
class _Item:
    text: str
    line_no: int
    ends_block: bool  # followed by a blank line or a new page

    @property
    def tokens(self) -> list[str]:
        return self.text.split()


def read_annex(lines: Sequence[SourceLine], tables: Sequence[Table] = ()) -> Annex:
    """Read the annexes from the lines that follow "ANEXOS", or from their ruled tables
    when the reader found them (a PDF); the lines are the fallback.

    Raises :class:`StructureError` when an annex is missing or a glossary row cannot be
    read, naming the line.
    """
    # Each annex from its ruled table where the PDF has one, from the lines otherwise.
    states, glossary = _from_tables(tables, lines[0].line_no if lines else 0)
    if states and glossary:
        return Annex(participating_states=tuple(states), glossary=tuple(glossary))
    states_at = _find(lines, _STATES_HEADING)
    glossary_at = _find(lines, _GLOSSARY_HEADING)
    if states_at is None or glossary_at is None:
        missing = "list of participating states" if states_at is None else "glossary"
        where = lines[0].line_no if lines else None
        raise StructureError(f"the annexes have no {missing}", line=where)
    columns_at = _find(lines, _GLOSSARY_COLUMNS, start=glossary_at)
    if columns_at is None:
        raise StructureError(
            "the glossary has no 'Dependencias e Instituciones / Acrónimo' table",
            line=lines[glossary_at].line_no,
        )
    closing_at = _find(lines, _CLOSING_PAGE, start=columns_at) or len(lines)
    states = states or _read_state_names(lines[states_at + 1 : glossary_at])
    if not glossary:
        rows = lines[columns_at + 1 : closing_at]
        heads = _column_heads(lines[columns_at])
        glossary = _read_glossary_columns(rows, *heads) if heads else _read_glossary(_items(rows))
    return Annex(participating_states=tuple(states), glossary=tuple(glossary))


def _from_tables(tables: Sequence[Table], line_no: int) -> tuple[list[str], list[GlossaryEntry]]:
    """States and glossary rows from ruled tables; the header row repeats on every page.
    The states may fill several columns (read row by row); the glossary's columns stand
    in either order."""
    states: list[str] = []
    glossary: list[GlossaryEntry] = []
    for table in tables:
        if not table:
            continue
        heads = [" ".join(cell.split()) for cell in table[0]]
        head = " ".join(heads)
        if _TABLE_COLUMNS.match(head.split()[0] if head else ""):
            states += [" ".join(cell.split()) for row in table[1:] for cell in row if cell.strip()]
        elif _GLOSSARY_COLUMNS.match(head):
            first_is_acronym = re.fullmatch(_ACRONYM_HEAD, heads[0], re.IGNORECASE)
            acronym_at = 0 if first_is_acronym else len(heads) - 1
            name_at = len(heads) - 1 if acronym_at == 0 else 0
            for row in table[1:]:
                name, acronym = (" ".join(row[at].split()) for at in (name_at, acronym_at))
                # A footnote marker glued to the name ("BIENESTAR14"): a name ends in a
                # letter.
                name = _GLUED_MARKER.sub("", name)
                if name and acronym:
                    glossary.append(GlossaryEntry(name, tuple(acronym.split("/")), line_no))
    return states, glossary


def _find(lines: Sequence[SourceLine], pattern: re.Pattern[str], start: int = 0) -> int | None:
    for index in range(start, len(lines)):
        if pattern.match(lines[index].text):
            return index
    return None


def _read_state_names(lines: Sequence[SourceLine]) -> list[str]:
    """State names, one per cell; a name split after "DE" ("CIUDAD DE" / "MÉXICO") rejoined."""
    names: list[str] = []
    pending = ""
    for line in lines:
        text = " ".join(line.text.split())
        if not text or _TABLE_COLUMNS.match(text) or text.lower().startswith("informe"):
            continue
        text = f"{pending} {text}".strip()
        if text.split()[-1] in _FUNCTION_WORDS:
            pending = text
            continue
        names.append(text)
        pending = ""
    return names


def _items(lines: Sequence[SourceLine]) -> list[_Item]:
    items: list[_Item] = []
    for index, line in enumerate(lines):
        text = " ".join(line.text.split())
        if not text:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        # A page break ends a block: the text extraction marks a page's first line with a
        # leading space, a PDF reader gives each line its page.
        ends_block = (
            following is None
            or not following.text.strip()
            or following.text.startswith(" ")
            or following.page != line.page
        )
        items.append(_Item(text, line.line_no, ends_block))
    return items


def _column_heads(heading: SourceLine) -> tuple[float, float] | None:
    """Where a PDF prints the glossary's columns: the left edges of its two heads, when
    they stand apart (name, acronym)."""
    heads = {" ".join(text.split()): x0 for x0, text in heading.parts}
    name = next((x0 for text, x0 in heads.items() if re.fullmatch(_NAME_HEAD, text, re.I)), None)
    acronym = next(
        (x0 for text, x0 in heads.items() if re.fullmatch(_ACRONYM_HEAD, text, re.I)), None
    )
    if name is None or acronym is None:
        return None
    return name, acronym


@dataclass(frozen=True)
class _Row:
    """A glossary line of a PDF, split into its columns by where its parts stand."""

    name: str
    acronym: str
    indent: float | None  # the left edge of the name's part
    line_no: int
    page: int
    after_space: bool  # a blank line or a new page before it


def _read_glossary_columns(
    lines: Sequence[SourceLine], name_x: float, acronym_x: float
) -> list[GlossaryEntry]:
    """Glossary rows from a PDF's lines, each part in the column whose head it stands
    nearest to. A row is the lines from one to the next of: a blank line or a new page,
    a line at the names' first indent where the others hang further in, or, where rows
    are set solid, the line that prints the acronym (first or last line of its row, as
    the document does: a row does not break over pages)."""
    rows: list[_Row] = []
    space = True
    previous_page: int | None = None
    for line in lines:
        if not line.text.strip() or _GLOSSARY_COLUMNS.match(line.text):
            space = True  # a column head repeated atop a page
            continue
        parts = line.parts or ((name_x, line.text),)
        name = [text for x0, text in parts if abs(x0 - name_x) <= abs(x0 - acronym_x)]
        acronym = [text for x0, text in parts if abs(x0 - name_x) > abs(x0 - acronym_x)]
        indent = next((x0 for x0, _ in parts if abs(x0 - name_x) <= abs(x0 - acronym_x)), None)
        space = space or line.page != previous_page
        rows.append(_Row(" ".join(name), " ".join(acronym), indent, line.line_no, line.page, space))
        space, previous_page = False, line.page
    groups = _spaced_groups(rows)
    top_aligned = _acronym_on_first_line(groups)
    entries: list[GlossaryEntry] = []
    pending: list[_Row] = []  # lines of a name whose acronym is further down
    for group in groups:
        if top_aligned and entries and not pending and not any(row.acronym for row in group):
            # The rest of the name above, after a blank line: its acronym was on its first.
            last = entries.pop()
            more = " ".join(row.name for row in group)
            entries.append(GlossaryEntry(f"{last.name} {more}", last.acronyms, last.line_no))
            continue
        for row in _solid_rows(group, top_aligned):
            pending += row
            if any(line.acronym for line in pending):
                entries.append(_column_entry(pending))
                pending = []
    if pending:
        raise StructureError(
            "the glossary ends with a name without an acronym: "
            f"{' '.join(line.name for line in pending)!r}",
            line=pending[0].line_no,
        )
    return entries


def _spaced_groups(rows: Sequence[_Row]) -> list[list[_Row]]:
    """Lines split where space or a new page, or a hanging indent, opens a row."""
    indents = sorted(row.indent for row in rows if row.indent is not None)
    first = indents[0] if indents else 0.0
    # Two indents, the second shared by at least two lines: names hang under their first
    # line. Names centred in their cells start anywhere.
    levels = [indent for indent, after in itertools.pairwise(indents) if after - indent > 1.5]
    hanging = len(levels) == 1 and sum(1 for indent in indents if indent > first + 3) >= 2
    groups: list[list[_Row]] = []
    for row in rows:
        opens = row.after_space or (
            hanging and row.indent is not None and row.indent <= first + 1.5
        )
        if opens or not groups:
            groups.append([])
        groups[-1].append(row)
    return groups


def _acronym_on_first_line(groups: Sequence[Sequence[_Row]]) -> bool:
    """Whether a row of several lines prints its acronym on its first line (top-aligned
    cells) rather than its last: seen in the rows set apart; where rows are set solid, in
    the lines without an acronym (whether the name above breaks off into them), or in
    the pages' first and last lines (a page starts and ends with whole rows)."""
    first = last = 0
    for group in groups:
        if len(group) > 1 and sum(1 for row in group if row.acronym) == 1:
            first += bool(group[0].acronym)
            last += bool(group[-1].acronym)
    if first == last:
        # A line without its acronym continues the name above it when that one breaks
        # off at "DE", "LAS", ...; it goes on below when it breaks off so itself.
        lines = [row for group in groups for row in group]
        for above, line in itertools.pairwise(lines):
            if not line.acronym and line.name:
                first += _breaks_off(above.name) and bool(above.acronym)
                last += _breaks_off(line.name)
    if first == last:
        pages: dict[int, list[_Row]] = {}
        for group in groups:
            for row in group:
                pages.setdefault(row.page, []).append(row)
        first = sum(bool(rows[0].acronym) for rows in pages.values())
        last = sum(bool(rows[-1].acronym) for rows in pages.values())
    return first > last


def _breaks_off(name: str) -> bool:
    words = name.split()
    return bool(words) and words[-1].upper() in _FUNCTION_WORDS


def _solid_rows(group: Sequence[_Row], top_aligned: bool) -> list[list[_Row]]:
    """A group of lines holding more than one acronym split into rows at each acronym."""
    if sum(1 for row in group if row.acronym) <= 1:
        return [list(group)]
    rows: list[list[_Row]] = [[]]
    for line in group:
        if top_aligned and line.acronym and rows[-1]:
            rows.append([])
        rows[-1].append(line)
        if not top_aligned and line.acronym:
            rows.append([])
    return [row for row in rows if row]


def _column_entry(lines: Sequence[_Row]) -> GlossaryEntry:
    acronyms = [line.acronym for line in lines if line.acronym]
    name = " ".join(line.name for line in lines if line.name)
    if len(acronyms) > 1:
        raise StructureError(
            f"a glossary row prints two acronyms ({', '.join(acronyms)}): {name!r}",
            line=lines[0].line_no,
        )
    return _entry([name] if name else [], acronyms[0], lines[0].line_no)


def _read_glossary(items: Sequence[_Item]) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    name_parts: list[str] = []
    first_line: int | None = None
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        next_is_name = following is not None and (
            len(following.tokens) > 1 and following.tokens[0] not in _FUNCTION_WORDS
        )
        first_line = first_line or item.line_no
        tokens = item.tokens
        if len(tokens) == 1:
            # A lone token is the acronym unless another lone token follows it
            # ("VÍCTIMAS" / "CEAV"): then it is the last word of the name.
            if following is None or len(following.tokens) > 1:
                entries.append(_entry(name_parts, tokens[0], first_line))
                name_parts, first_line = [], None
            else:
                name_parts.append(tokens[0])
            continue
        last = tokens[-1]
        closes = (
            item.ends_block
            and (following is None or next_is_name)
            and last not in _FUNCTION_WORDS
            and _ACRONYM.match(last) is not None
        )
        if closes:
            name_parts.append(" ".join(tokens[:-1]))
            entries.append(_entry(name_parts, last, first_line))
            name_parts, first_line = [], None
        else:
            name_parts.append(item.text)
    if name_parts:
        raise StructureError(
            f"the glossary ends with a name without an acronym: {' '.join(name_parts)!r}",
            line=first_line,
        )
    return entries


def _entry(name_parts: list[str], acronym: str, line_no: int) -> GlossaryEntry:
    if not name_parts:
        raise StructureError(
            f"the glossary lists the acronym {acronym!r} without a name", line=line_no
        )
    return GlossaryEntry(" ".join(name_parts), tuple(acronym.split("/")), line_no)
