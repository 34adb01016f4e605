"""Annex lines -> the annexes of the compendium: participating states and the glossary.

The glossary is a two-column table (institution, acronym) flattened by the extraction:
a name runs over one to four lines, sometimes with blank lines inside, and its acronym
either ends the name's last line (``CENTRO NACIONAL DE INTELIGENCIA CNI``) or stands on
a line of its own. An acronym closes an entry; the layout tells which token is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gcm_open.errors import StructureError
from gcm_open.pages import SourceLine

_STATES_HEADING = re.compile(r"^\s*\d+\.\s+Entidades federativas", re.IGNORECASE)
_GLOSSARY_HEADING = re.compile(r"^\s*\d+\.\s+Glosario", re.IGNORECASE)
_GLOSSARY_COLUMNS = re.compile(r"^\s*Dependencias e Instituciones\s+Acrónimo\s*$", re.IGNORECASE)
_TABLE_COLUMNS = re.compile(r"^\s*(ENTIDADES|FEDERATIVAS)\s*$")
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
    states = _read_state_names(lines[states_at + 1 : glossary_at])
    glossary = _read_glossary(_items(lines[columns_at + 1 : closing_at]))
    return Annex(participating_states=tuple(states), glossary=tuple(glossary))


def _from_tables(tables: Sequence[Table], line_no: int) -> tuple[list[str], list[GlossaryEntry]]:
    """States and glossary rows from ruled tables; the header row repeats on every page."""
    states: list[str] = []
    glossary: list[GlossaryEntry] = []
    for table in tables:
        if not table:
            continue
        head = " ".join(" ".join(cell.split()) for cell in table[0])
        if _TABLE_COLUMNS.match(head.split()[0] if head else ""):
            states += [" ".join(row[0].split()) for row in table[1:] if row and row[0].strip()]
        elif _GLOSSARY_COLUMNS.match(head):
            for row in table[1:]:
                name, acronym = (" ".join(cell.split()) for cell in (row[0], row[-1]))
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
