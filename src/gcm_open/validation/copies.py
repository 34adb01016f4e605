"""The Parquet copy of a CSV table against the CSV, value by value, read side by side in
batches so that neither file is ever held whole."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from gcm_open.validation.findings import Collector
from gcm_open.validation.readahead import read_ahead
from gcm_open.validation.tabular import PARQUET_BATCH_ROWS, PARQUET_BUFFER_BYTES


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


class ParquetCopy:
    """Compares a table's Parquet file with the typed rows of its CSV as they are read.

    ``on_batch`` takes each batch of CSV rows; ``finish`` reports a difference in the
    number of rows; ``close`` (which ``finish`` calls) stops reading the Parquet file.
    """

    def __init__(
        self,
        table: str,
        resource: str,
        *,
        relative: str,
        path: Path,
        names: list[str],
        collector: Collector,
    ) -> None:
        self.table, self.resource, self.collector = table, resource, collector
        self.rows_seen = 0
        self.parquet_rows = 0
        self.pending: pa.Table | None = None  # rows read and not yet compared
        self.batches: Generator[pa.RecordBatch, None, None] | None = None
        try:
            parquet = pq.ParquetFile(path, pre_buffer=False, buffer_size=PARQUET_BUFFER_BYTES)
            columns, self.parquet_rows = parquet.schema_arrow.names, parquet.metadata.num_rows
        except (pa.ArrowInvalid, OSError) as error:
            collector.add(
                "parquet-unreadable", resource=resource, detail=f"{relative}: {_first_line(error)}"
            )
            return
        if columns != names:
            collector.add("parquet-columns", resource=resource, columns=columns, expected=names)
            return
        self.batches = read_ahead(
            parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, use_threads=False)
        )
        self.differing: set[str] = set()

    def on_batch(self, table: str, batch: pa.RecordBatch, first_row: int) -> None:
        if table != self.table or self.batches is None:
            return
        self.rows_seen += batch.num_rows
        if self.rows_seen > self.parquet_rows:
            return  # reported by finish
        try:
            got = self._take(batch.num_rows)
        except (pa.ArrowInvalid, OSError) as error:
            self.collector.add(
                "parquet-unreadable", resource=self.resource, detail=_first_line(error)
            )
            self.close()
            return
        for name in batch.schema.names:
            self._compare(name, got.column(name), batch.column(name), first_row)

    def finish(self) -> None:
        if self.batches is not None and self.rows_seen != self.parquet_rows:
            self.collector.add(
                "parquet-rows",
                resource=self.resource,
                rows=self.parquet_rows,
                expected=self.rows_seen,
            )
        self.close()

    def close(self) -> None:
        """Stop reading the Parquet file (its batches are read ahead by a thread)."""
        if self.batches is not None:
            self.batches.close()
            self.batches = None

    def _take(self, count: int) -> pa.Table:
        """The next ``count`` rows of the Parquet file. Slices share the batches read, so
        the rows left over are never copied."""
        assert self.batches is not None
        pending = self.pending
        while pending is None or pending.num_rows < count:
            read = pa.Table.from_batches([next(self.batches)])
            pending = read if pending is None else pa.concat_tables([pending, read])
        self.pending = pending.slice(count)
        return pending.slice(0, count).combine_chunks()

    def _compare(self, name: str, got: Any, expected: Any, first_row: int) -> None:
        if name in self.differing:
            return
        if isinstance(got, pa.ChunkedArray):
            got = got.combine_chunks()
        if pa.types.is_dictionary(got.type):
            got = got.cast(got.type.value_type)
        try:
            got = pc.cast(got, expected.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            self.differing.add(name)
            self.collector.add(
                "parquet-types",
                resource=self.resource,
                field=name,
                type=str(got.type),
                expected=str(expected.type),
            )
            return
        if got.equals(expected):
            return  # the common case, in one pass; where they differ is found below
        # A difference, or a value on one side only; two nulls agree.
        differs = pc.or_kleene(
            pc.not_equal(got, expected), pc.xor(pc.is_null(got), pc.is_null(expected))
        )
        indices = pc.indices_nonzero(pc.fill_null(differs, False)).to_pylist()
        if not indices:
            return
        room = self.collector.room(self.resource, "parquet-values")
        chosen = pa.array(indices[:room], pa.int64())
        self.collector.rows(
            "parquet-values",
            self.resource,
            name,
            [first_row + index for index in indices],
            {"parquet": got.take(chosen).to_pylist(), "csv": expected.take(chosen).to_pylist()},
        )
