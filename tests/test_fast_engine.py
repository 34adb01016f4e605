"""The kernels the fast engine takes in place of regular expressions, against the
expressions they replace, and the thread that reads batches ahead."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gcm_open.validation import tabular
from gcm_open.validation.readahead import read_ahead

# Text near the edges: digits of other scripts, signs, spaces, control and non-ASCII
# characters, and the empty string.
texts = st.lists(
    st.one_of(
        st.none(),
        st.text(alphabet="0123456789-+ ٣x\t\x7fé", max_size=6),
        st.text(max_size=6),
    ),
    max_size=30,
)


@given(texts)
def test_plain_integers_are_the_texts_the_plain_pattern_matches(values: list[str | None]) -> None:
    column = pa.array(values, pa.string())
    expected = [None if v is None else re.fullmatch(r"-?[0-9]+", v) is not None for v in values]
    assert tabular._plain_integers(column).to_pylist() == expected


@given(texts)
def test_printable_ascii_is_what_the_printable_class_matches(values: list[str | None]) -> None:
    column = pa.array(values, pa.string())
    expected = [None if v is None else re.fullmatch(r"[ -~]*", v) is not None for v in values]
    assert pc.ascii_is_printable(column).to_pylist() == expected


def test_integers_in_forms_arrow_reads_and_python_does_not_are_type_errors() -> None:
    rule = tabular.compile_schema({"fields": [{"name": "n", "type": "integer"}]}).fields[0]
    typed, invalid = tabular.read_cells(rule, pa.array(["0x10", "12", "+5", " 7", None]))
    assert typed.to_pylist() == [None, 12, 5, 7, None]
    assert invalid.to_pylist() == [True, False, False, False, False]


def test_read_ahead_yields_every_item_in_order() -> None:
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))


def test_read_ahead_raises_the_error_at_the_item_it_replaced() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("row 3 cannot be parsed")

    seen = []
    with pytest.raises(ValueError, match="row 3"):
        for item in read_ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_leaving_read_ahead_early_stops_its_thread_and_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            number = 0
            while True:
                number += 1
                yield number
        finally:
            closed.set()

    before = threading.active_count()
    batches = read_ahead(endless())
    assert [next(batches) for _ in range(5)] == [1, 2, 3, 4, 5]
    batches.close()
    assert closed.wait(5)
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == before
