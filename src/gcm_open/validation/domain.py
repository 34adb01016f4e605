"""The rules of a gcm-open package beyond its Table Schemas: ISO and INEGI codes, practice
ids, numbering, sections and challenges, and figures that are what their practices print.
Checked on the typed rows of each table as the tabular engine reads them, batch by batch;
the numbering and the figures' texts when every batch is in.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from gcm_open.normalize.figures import PARTS as FIGURE_PARTS
from gcm_open.normalize.figures import printed_value
from gcm_open.reference import inegi_states
from gcm_open.rules import (
    NO_CHALLENGES,
    NO_CHALLENGES_PREFIX,
    PRACTICE_ID_DIGITS,
    PRACTICE_ID_SEPARATOR,
    SECTION_LETTERS,
)
from gcm_open.validation.findings import Collector

_SECTIONS = pa.array(list(SECTION_LETTERS), pa.string())
# The columns a figure is checked with.
_FIGURE_COLUMNS = frozenset(
    {"practice_id", "part", "value", "printed", "unit", "kind", "currency", "line_no", "context"}
)
# Years a count may not be without a counted noun ("2021" is a year, "2021 personas" not).
_YEARS = (1900, 2100)
# The practices' texts kept to check figures against: past this many characters (far
# beyond any edition) a package's figures are not checked against their texts.
_TEXT_BUDGET = 200_000_000
_PRACTICE_COLUMNS = frozenset(
    {
        "practice_id",
        "edition",
        "section",
        "objective_id",
        "number",
        "state_code",
        "challenges",
        "challenges_reported",
    }
)


def _indices(mask: Any) -> list[int]:
    return list(pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist())


class GcmOpenRules:
    """Checks the rows of a gcm-open package's tables as they are read."""

    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self.states = pa.array(
            sorted(s.code for s in pycountry.subdivisions.get(country_code="MX")), pa.string()
        )
        self.alpha2 = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
        self.alpha3 = pa.array(sorted(self.alpha2), pa.string())
        self.inegi = {code: inegi_code for inegi_code, code, _name in inegi_states()}
        self.numbering: list[pa.RecordBatch] = []
        self.numbering_unjudged = False
        self.currencies = pa.array(sorted(c.alpha_3 for c in pycountry.currencies), pa.string())
        # practice id -> (first line, last line, text of each part), for the figures.
        self.practice_texts: dict[str, tuple[int, int, dict[str, str]]] = {}
        self.text_size = 0
        self.figures: list[tuple[int, dict[str, Any]]] = []

    def on_batch(self, table: str, batch: pa.RecordBatch, first_row: int) -> None:
        """Check one batch of typed rows of ``table``, the first being ``first_row``."""
        names = batch.schema.names
        if "state_code" in names:
            column = batch.column("state_code")
            self._rows(
                "unknown-state-code",
                table,
                "state_code",
                pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=self.states))),
                first_row=first_row,
                shown=column,
            )
        if "country_code" in names:
            self._check_countries(table, batch, first_row)
        if "inegi_code" in names and "state_code" in names:
            codes = batch.column("state_code").to_pylist()
            expected = pa.array([self.inegi.get(code) for code in codes], pa.string())
            column = batch.column("inegi_code")
            self._rows(
                "inegi-mismatch",
                table,
                "inegi_code",
                pc.not_equal(column, expected),
                first_row=first_row,
                shown=column,
            )
        if table == "practices" and set(names) >= _PRACTICE_COLUMNS:
            self._check_practices(batch, first_row)
        if table == "practices" and set(names) >= {
            "practice_id",
            "line_start",
            "line_end",
            *FIGURE_PARTS,
        }:
            self._keep_texts(batch)
        if table == "practice_figures" and set(names) >= _FIGURE_COLUMNS:
            self._check_figures(batch, first_row)

    def _rows(
        self,
        code: str,
        table: str,
        field: str,
        mask: Any,
        *,
        first_row: int,
        shown: Any | None = None,
        **constants: Any,
    ) -> None:
        indices = _indices(mask)
        if not indices:
            return
        room = self.collector.room(table, code)
        values = {}
        if shown is not None:
            values["value"] = shown.take(pa.array(indices[:room], pa.int64())).to_pylist()
        self.collector.rows(
            code, table, field, [first_row + i for i in indices], values, **constants
        )

    def _check_countries(self, table: str, batch: pa.RecordBatch, first_row: int) -> None:
        column = batch.column("country_code")
        self._rows(
            "unknown-country-code",
            table,
            "country_code",
            pc.and_(pc.is_valid(column), pc.invert(pc.is_in(column, value_set=self.alpha3))),
            first_row=first_row,
            shown=column,
        )
        if "alpha_2" in batch.schema.names:
            expected = pa.array([self.alpha2.get(code) for code in column.to_pylist()], pa.string())
            self._rows(
                "country-alpha2-mismatch",
                table,
                "alpha_2",
                pc.not_equal(batch.column("alpha_2"), expected),
                first_row=first_row,
                shown=column,
            )

    def _check_practices(self, batch: pa.RecordBatch, first_row: int) -> None:
        section = batch.column("section")
        letter = pc.if_else(
            pc.equal(section, "federal"),
            SECTION_LETTERS["federal"],
            pc.if_else(pc.equal(section, "state"), SECTION_LETTERS["state"], None),
        )
        expected_id = pc.binary_join_element_wise(
            pc.cast(batch.column("edition"), pa.string()),
            letter,
            pc.utf8_lpad(
                pc.cast(batch.column("objective_id"), pa.string()), PRACTICE_ID_DIGITS, "0"
            ),
            pc.utf8_lpad(pc.cast(batch.column("number"), pa.string()), PRACTICE_ID_DIGITS, "0"),
            PRACTICE_ID_SEPARATOR,
        )
        practice_id = batch.column("practice_id")
        mismatch = pc.not_equal(practice_id, expected_id)
        indices = _indices(mismatch)
        if indices:
            room = self.collector.room("practices", "practice-id-mismatch")
            chosen = pa.array(indices[:room], pa.int64())
            self.collector.rows(
                "practice-id-mismatch",
                "practices",
                "practice_id",
                [first_row + i for i in indices],
                {
                    "value": practice_id.take(chosen).to_pylist(),
                    "expected": expected_id.take(chosen).to_pylist(),
                },
            )
        state = pc.equal(section, "state")
        has_code = pc.is_valid(batch.column("state_code"))
        self._rows(
            "state-code-section",
            "practices",
            "state_code",
            pc.not_equal(state, has_code),
            first_row=first_row,
        )
        challenges = batch.column("challenges")
        reported = pc.fill_null(batch.column("challenges_reported"), False)
        # The rule is Python's (as the parser applies it); Arrow only picks the texts it
        # could match, by the words they begin with.
        candidates = pc.and_(
            reported,
            pc.fill_null(pc.match_substring_regex(challenges, NO_CHALLENGES_PREFIX), False),
        )
        chosen = _indices(candidates)
        texts = challenges.take(pa.array(chosen, pa.int64())).to_pylist() if chosen else []
        none_reported = {
            index for index, text in zip(chosen, texts, strict=True) if NO_CHALLENGES.match(text)
        }
        none_reported.update(_indices(pc.and_(reported, pc.is_null(challenges))))
        if none_reported:
            self.collector.rows(
                "challenges-reported",
                "practices",
                "challenges_reported",
                [first_row + i for i in sorted(none_reported)],
            )
        # The numbering group as one integer per row (edition, section, objective), so
        # that ten million rows keep two integer columns for the check at the end.
        section_index = pc.index_in(section, value_set=_SECTIONS)
        objective = batch.column("objective_id")
        edition = batch.column("edition")
        out_of_bounds = pc.or_(
            pc.or_(pc.less(objective, 0), pc.greater_equal(objective, 1_000)),
            pc.less(edition, 0),
        )
        if pc.any(out_of_bounds).as_py():
            self.numbering_unjudged = True
        group = pc.add(
            pc.add(
                pc.multiply(pc.cast(batch.column("edition"), pa.int64()), 10_000),
                pc.multiply(pc.cast(section_index, pa.int64()), 1_000),
            ),
            pc.cast(batch.column("objective_id"), pa.int64()),
        )
        self.numbering.append(
            pa.record_batch(
                [group, pc.cast(batch.column("number"), pa.int64())], ["group", "number"]
            )
        )

    def _keep_texts(self, batch: pa.RecordBatch) -> None:
        if self.text_size > _TEXT_BUDGET:
            return
        columns = {
            name: batch.column(name).to_pylist()
            for name in ("practice_id", "line_start", "line_end", *FIGURE_PARTS)
        }
        for index, practice_id in enumerate(columns["practice_id"]):
            texts = {part: " ".join((columns[part][index] or "").split()) for part in FIGURE_PARTS}
            self.text_size += sum(len(text) for text in texts.values())
            start, end = columns["line_start"][index], columns["line_end"][index]
            if practice_id is not None and start is not None and end is not None:
                self.practice_texts[practice_id] = (start, end, texts)
        if self.text_size > _TEXT_BUDGET:
            self.practice_texts = {}

    def _check_figures(self, batch: pa.RecordBatch, first_row: int) -> None:
        """A figure's own rules here; whether it is printed where it says, at the end."""
        kind, value = batch.column("kind"), batch.column("value")
        unit, currency = batch.column("unit"), batch.column("currency")
        money = pc.equal(kind, "money")
        self._rows(
            "figure-money-currency",
            "practice_figures",
            "currency",
            pc.and_(money, pc.is_null(currency)),
            first_row=first_row,
        )
        self._rows(
            "figure-currency-kind",
            "practice_figures",
            "currency",
            pc.and_(pc.invert(money), pc.is_valid(currency)),
            first_row=first_row,
            shown=kind,
        )
        self._rows(
            "unknown-currency-code",
            "practice_figures",
            "currency",
            pc.and_(
                pc.is_valid(currency), pc.invert(pc.is_in(currency, value_set=self.currencies))
            ),
            first_row=first_row,
            shown=currency,
        )
        # Printed as a year is: four digits, no separator ("1,925" is a count).
        year_like = pc.and_(
            pc.and_(pc.greater_equal(value, _YEARS[0]), pc.less_equal(value, _YEARS[1])),
            pc.match_substring_regex(batch.column("printed"), r"^\d{4}$"),
        )
        no_unit = pc.or_kleene(pc.is_null(unit), pc.equal(pc.utf8_trim_whitespace(unit), ""))
        self._rows(
            "figure-year-count",
            "practice_figures",
            "value",
            pc.and_(pc.and_(pc.equal(kind, "count"), year_like), no_unit),
            first_row=first_row,
            shown=value,
        )
        self._rows(
            "figure-percent-unit",
            "practice_figures",
            "unit",
            pc.and_(pc.equal(kind, "percent"), pc.fill_null(pc.not_equal(unit, "%"), True)),
            first_row=first_row,
            shown=unit,
        )
        wanted = ("practice_id", "part", "value", "printed", "line_no", "context")
        for index, row in enumerate(batch.select(list(wanted)).to_pylist()):
            self.figures.append((first_row + index, row))

    def _finish_figures(self) -> None:
        """Each figure printed in its practice's part, in its context, within its lines."""
        figures, self.figures = self.figures, []
        if not self.practice_texts:
            return  # no practices read (reported elsewhere), or past the budget
        for row_number, row in figures:
            known = self.practice_texts.get(row["practice_id"])
            if known is None or None in row.values():
                continue  # a foreign-key or a required-field finding already
            start, end, texts = known
            printed = " ".join(row["printed"].split())
            context = " ".join(row["context"].split())
            text = texts.get(row["part"], "")
            if printed not in context or context not in text:
                self.collector.add(
                    "figure-not-in-text",
                    resource="practice_figures",
                    row=row_number,
                    field="printed",
                    printed=printed,
                    practice=row["practice_id"],
                    part=row["part"],
                )
            value = printed_value(printed)
            if value is None or not math.isclose(value, row["value"], rel_tol=1e-9):
                self.collector.add(
                    "figure-value-mismatch",
                    resource="practice_figures",
                    row=row_number,
                    field="value",
                    value=row["value"],
                    printed=printed,
                )
            if not start <= row["line_no"] <= end:
                self.collector.add(
                    "figure-line-outside",
                    resource="practice_figures",
                    row=row_number,
                    field="line_no",
                    line=row["line_no"],
                    practice=row["practice_id"],
                    start=start,
                    end=end,
                )

    def forget(self, table: str) -> None:
        """Drop what was kept of ``table``, whose rows are checked otherwise after all (by
        frictionless): a numbering is judged on every row or not at all."""
        if table == "practices":
            self.numbering = []
            self.numbering_unjudged = True
            self.practice_texts = {}
        if table == "practice_figures":
            self.figures = []

    def finish(self) -> None:
        """The checks that need every row: practices numbered 1..N in every edition,
        section and objective; figures printed where they say."""
        self._finish_figures()
        if not self.numbering:
            return
        data = pa.Table.from_batches(self.numbering)
        self.numbering = []
        # With a key of the numbering missing or mistyped, or out of its bounds (each
        # reported already), the numbering cannot be judged.
        if self.numbering_unjudged or data.column("group").null_count:
            return
        if data.column("number").null_count:
            return
        order = pc.sort_indices(data, sort_keys=[("group", "ascending"), ("number", "ascending")])
        ordered = data.take(order)
        group, number = ordered.column("group"), ordered.column("number")
        starts = pc.not_equal(group.slice(1), group.slice(0, len(group) - 1))
        expected_after = pc.if_else(starts, 1, pc.add(number.slice(0, len(number) - 1), 1))
        wrong = pc.not_equal(number.slice(1), expected_after)
        broken = set(group.take(pc.add(pc.indices_nonzero(wrong), 1)).to_pylist())
        if len(number) and number[0].as_py() != 1:
            broken.add(group[0].as_py())
        sections = _SECTIONS.to_pylist()
        for key in sorted(broken):
            numbers = sorted(pc.filter(number, pc.equal(group, key)).to_pylist())
            edition, rest = divmod(key, 10_000)
            section, objective_id = divmod(rest, 1_000)
            self.collector.add(
                "numbering-gap",
                resource="practices",
                field="number",
                group=f"{edition} {sections[section]} {objective_id}",
                numbers=numbers,
                count=len(numbers),
            )
