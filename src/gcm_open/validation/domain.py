"""The rules of a gcm-open package beyond its Table Schemas: ISO and INEGI codes, practice
ids, numbering, sections and challenges. Checked on the typed rows of each table as the
tabular engine reads them, batch by batch; the numbering when every batch is in.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pycountry

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

    def forget(self, table: str) -> None:
        """Drop what was kept of ``table``, whose rows are checked otherwise after all (by
        frictionless): a numbering is judged on every row or not at all."""
        if table == "practices":
            self.numbering = []
            self.numbering_unjudged = True

    def finish(self) -> None:
        """The checks that need every row: practices numbered 1..N in every edition,
        section and objective."""
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
