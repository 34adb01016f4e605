"""The fast Table Schema engine: a CSV or Parquet table checked column by column with
pyarrow compute, batch by batch, so that memory stays bounded at any size.

It gives the same findings as ``frictionless validate`` on the tables it takes: every
rule below mirrors frictionless's own (values read the way its field readers read them,
constraints only where its field types support them, a row of empty cells a blank row
whose other checks are skipped, keys compared on typed values). A table it cannot
judge exactly the same way, by its schema or dialect, or by what the file turns out to
hold (a ragged row, a header that is not the schema's, an encoding or dialect that
frictionless would sniff differently, an odd number), raises :class:`FrictionlessNeededError`
and is checked by frictionless itself instead.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from frictionless import Detector

from gcm_open.validation.findings import CONSTRAINT_CODES, Collector

# What frictionless reads by default (frictionless.settings).
DEFAULT_MISSING_VALUES = ("",)
DEFAULT_TRUE_VALUES = ("true", "True", "TRUE", "1")
DEFAULT_FALSE_VALUES = ("false", "False", "FALSE", "0")
SNIFF_LINES = 100
ENCODING_SAMPLE_BYTES = 100_000
# Blocks of a CSV file read at a time. Each batch costs a few hundred kernel calls, made
# with the GIL held: at 4 MB they are few enough for the threads that read, examine and
# record batches to keep both cores busy. Arrow reads ahead several blocks, so larger
# blocks cost memory (at 16 MB over half a GB) for no gain in speed.
BATCH_BYTES = 4 * 1024 * 1024
# A Parquet file is read a batch at a time, without the whole file buffered in memory
# (which ``pre_buffer`` would do, as the rows are read).
PARQUET_BUFFER_BYTES = 1024 * 1024
PARQUET_BATCH_ROWS = 64 * 1024
INT64_MAX = 2**63 - 1

# The constraints each field type supports in frictionless; the others are ignored there.
SUPPORTED_CONSTRAINTS = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "number": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "boolean": ("required", "enum"),
}
# Properties that change how frictionless reads a field or a table, beyond those this
# engine reads; anything else (titles, descriptions, examples, custom keys) does not.
_FIELD_READING_KEYS = frozenset(
    {"bareNumber", "groupChar", "decimalChar", "missingValues", "floatNumber", "categories"}
)
_SCHEMA_READING_KEYS = frozenset({"fieldsMatch"})
# Dialect properties and the only values with which a file reads as the default CSV.
_DEFAULT_DIALECT: dict[str, Any] = {
    "delimiter": ",",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
    "headerRows": [1],
    "skipInitialSpace": False,
    "caseSensitiveHeader": False,
    "csvddfVersion": 1.2,
}
_DIALECT_FREE_KEYS = {"$schema", "lineTerminator", "title", "description", "name"}
_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# Where RE2 (Arrow's regular expressions) and Python's re may read a pattern differently.
_PYTHON_ONLY_SYNTAX = ("[:", "{,", "\\p", "\\P", "\\Q", "\\E", "\\C", "\\z", "\\Z", "\\x{", "(?")
_COMPACT_EVERY = 64
_REPEAT_WINDOW = 1 << 20
_KEY_SEPARATOR = "\x00"  # never inside a value: files holding NUL go to frictionless
_NULL_PART = "-"  # an encoded value starts with "s" or "n", a missing one is "-"


class FrictionlessNeededError(Exception):
    """The table is one this engine cannot judge exactly as frictionless does."""


@dataclass(frozen=True)
class FieldRule:
    """One field of a Table Schema, compiled: how its cells are read and checked."""

    name: str
    kind: str
    constraints: dict[str, Any]
    true_values: tuple[str, ...] = DEFAULT_TRUE_VALUES
    false_values: tuple[str, ...] = DEFAULT_FALSE_VALUES
    enum: tuple[Any, ...] | None = None
    bounds: dict[str, Any] = field(default_factory=dict)
    pattern: str | None = None
    unique: bool = False

    @property
    def arrow_type(self) -> pa.DataType:
        return {
            "string": pa.string(),
            "integer": pa.int64(),
            "number": pa.float64(),
            "boolean": pa.bool_(),
        }[self.kind]


@dataclass(frozen=True)
class TableRules:
    """A Table Schema compiled for this engine, with the keys its checks need."""

    fields: tuple[FieldRule, ...]
    missing_values: tuple[str, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]
    foreign_keys: tuple[dict[str, Any], ...]

    @property
    def names(self) -> list[str]:
        return [rule.name for rule in self.fields]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def compile_schema(schema: dict[str, Any]) -> TableRules:
    """The rules of a Table Schema; raises :class:`FrictionlessNeededError` for what this engine
    does not read exactly as frictionless does."""
    unknown = set(schema) & _SCHEMA_READING_KEYS
    if unknown:
        raise FrictionlessNeededError(f"schema properties {sorted(unknown)}")
    missing = schema.get("missingValues", list(DEFAULT_MISSING_VALUES))
    if not isinstance(missing, list) or not all(isinstance(value, str) for value in missing):
        raise FrictionlessNeededError("missingValues that are not strings")
    fields = tuple(_compile_field(entry) for entry in schema.get("fields", []))
    if not fields:
        raise FrictionlessNeededError("a schema without fields")
    names = [rule.name for rule in fields]
    if len(set(names)) != len(names):
        raise FrictionlessNeededError("repeated field names")
    primary_key = tuple(_as_list(schema.get("primaryKey", [])))
    unique_keys = tuple(tuple(_as_list(keys)) for keys in schema.get("uniqueKeys", []))
    foreign_keys: list[dict[str, Any]] = []
    for foreign in schema.get("foreignKeys", []):
        fields_of = tuple(_as_list(foreign["fields"]))
        reference = foreign["reference"]
        referenced = tuple(_as_list(reference["fields"]))
        if len(fields_of) != len(referenced):
            raise FrictionlessNeededError("a foreign key whose two sides differ in length")
        foreign_keys.append(
            {"fields": fields_of, "resource": reference.get("resource") or "", "target": referenced}
        )
    for key in (primary_key, *unique_keys, *(f["fields"] for f in foreign_keys)):
        if not set(key) <= set(names):
            raise FrictionlessNeededError("a key names a field the schema does not have")
    return TableRules(fields, tuple(missing), primary_key, unique_keys, tuple(foreign_keys))


def _compile_field(entry: dict[str, Any]) -> FieldRule:
    kind = entry.get("type", "string")
    name = entry["name"]
    if kind not in SUPPORTED_CONSTRAINTS:
        raise FrictionlessNeededError(f"field {name!r} of type {kind!r}")
    if entry.get("format", "default") != "default":
        raise FrictionlessNeededError(f"field {name!r} in format {entry['format']!r}")
    extra = set(entry) & _FIELD_READING_KEYS
    if extra:
        raise FrictionlessNeededError(f"field {name!r} with {sorted(extra)}")
    true_values = tuple(entry.get("trueValues", DEFAULT_TRUE_VALUES))
    false_values = tuple(entry.get("falseValues", DEFAULT_FALSE_VALUES))
    if not all(isinstance(value, str) for value in (*true_values, *false_values)):
        raise FrictionlessNeededError(f"field {name!r} with true or false values that are not text")
    constraints = {
        key: value
        for key, value in entry.get("constraints", {}).items()
        if key in SUPPORTED_CONSTRAINTS[kind]
    }
    rule = FieldRule(name, kind, constraints, true_values, false_values)
    enum = None
    if "enum" in constraints:
        if not isinstance(constraints["enum"], list):
            raise FrictionlessNeededError(f"field {name!r} with an enum that is not a list")
        enum = tuple(_read_constant(rule, value) for value in constraints["enum"])
    bounds = {}
    for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if bound in constraints:
            limit = _read_constant(rule, constraints[bound])
            if limit is None:
                raise FrictionlessNeededError(f"field {name!r}: {bound} is not a {kind}")
            bounds[bound] = limit
    for length in ("minLength", "maxLength"):
        if length in constraints and (
            not isinstance(constraints[length], int) or isinstance(constraints[length], bool)
        ):
            raise FrictionlessNeededError(f"field {name!r}: {length} is not a whole number")
    pattern = None
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        if not isinstance(pattern, str):
            raise FrictionlessNeededError(f"field {name!r}: a pattern that is not text")
        try:
            re.compile(f"^{whole_value_pattern(pattern)}")
        except re.error:
            raise FrictionlessNeededError(f"field {name!r}: a pattern Python cannot read") from None
    # frictionless checks "unique" on a field of any type, apart from its constraints.
    unique = bool(entry.get("constraints", {}).get("unique"))
    return FieldRule(
        name, kind, constraints, true_values, false_values, enum, bounds, pattern, unique
    )


def _read_constant(rule: FieldRule, value: Any) -> Any:
    """A constraint's value read as frictionless reads it, as a value of the field's type
    (None where it cannot be read: such an enum entry matches nothing)."""
    if rule.kind == "string":
        return value if isinstance(value, str) else None
    if rule.kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            if value in rule.true_values:
                return True
            if value in rule.false_values:
                return False
        return None
    if isinstance(value, bool):
        return None
    if rule.kind == "integer":
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value) if value.is_integer() else None
        return _python_integer(value) if isinstance(value, str) else None
    if isinstance(value, int | float):
        return float(value)
    return _python_number(value) if isinstance(value, str) else None


def _python_integer(text: str) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    if abs(value) > INT64_MAX:
        raise FrictionlessNeededError(f"an integer beyond 64 bits ({text[:40]!r})")
    return value


def _python_number(text: str) -> float | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        raise FrictionlessNeededError(f"a number that is not finite ({text[:40]!r})")
    number = float(value)
    if Decimal(repr(number)) != value:
        raise FrictionlessNeededError(f"a number with more precision than a double ({text[:40]!r})")
    return number


# --- reading a CSV file as frictionless would --------------------------------------------


def dialect_problem(resource: dict[str, Any]) -> str | None:
    """Why a CSV resource's declared dialect, format or encoding is not the plain CSV this
    engine reads, or None."""
    if "data" in resource:
        return "inline data"
    path = resource.get("path")
    listed = path if isinstance(path, list) else [path]
    paths = [part for part in listed if isinstance(part, str)]
    if not paths or len(paths) != len(listed):
        return "a path that is not a file or a list of files"
    if resource.get("compression") or any(p.lower().endswith((".gz", ".zip")) for p in paths):
        return "compressed data"
    if resource.get("format", "csv") != "csv" or paths[0].lower().endswith(".tsv"):
        return f"format {resource.get('format')!r}"
    encoding = resource.get("encoding")
    if encoding is not None:
        try:
            if codecs.lookup(str(encoding)).name not in ("utf-8", "utf-8-sig"):
                return f"encoding {encoding!r}"
        except LookupError:
            return f"an unknown encoding {encoding!r}"
    dialect = resource.get("dialect", {})
    if isinstance(dialect, str):
        return "a dialect in a file of its own"
    if not isinstance(dialect, dict):
        return "a dialect that is not an object"
    for key, value in dialect.items():
        if key in _DIALECT_FREE_KEYS:
            continue
        if key not in _DEFAULT_DIALECT or _DEFAULT_DIALECT[key] != value:
            return f"dialect {key}={value!r}"
    return None


def sniffing_problem(path: Path, resource: dict[str, Any]) -> str | None:
    """Why frictionless would read this file otherwise than as UTF-8 CSV with a comma and
    double quotes, judged with the encoding detector and dialect sniffer it uses, on the
    same sample; None when it reads it so.

    The delimiter, quote and initial spaces are those the dialect declares, else the
    standard's defaults, and frictionless is told so (it would otherwise sniff them); an
    escape character it would still sniff, and the encoding it detects.
    """
    with path.open("rb") as handle:
        buffer = handle.read(ENCODING_SAMPLE_BYTES)
        # Python's csv module refuses NUL, Arrow reads it: such a file goes to frictionless.
        # A byte search of the file costs a fraction of searching every parsed column.
        chunk = buffer
        while chunk:
            if b"\x00" in chunk:
                return "NUL bytes"
            chunk = handle.read(4 * 1024 * 1024)
    encoding = Detector().detect_encoding(buffer, encoding=resource.get("encoding"))
    if encoding not in ("utf-8", "utf-8-sig"):
        return f"detected encoding {encoding}"
    try:
        with path.open(encoding=encoding, newline="") as text:
            sample = [line for _, line in zip(range(SNIFF_LINES), text, strict=False)]
    except UnicodeDecodeError:
        return "text that is not UTF-8"
    try:
        sniffed: Any = csv.Sniffer().sniff("".join(sample), ",")
    except csv.Error:
        sniffed = csv.excel()
    if sniffed.escapechar is not None:
        return f"a sniffed escape character {sniffed.escapechar!r}"
    return None


def csv_batches(paths: Sequence[Path], rules: TableRules) -> Iterator[pa.RecordBatch]:
    """The rows of a CSV file, or of the parts of a multipart one read one after the
    other, in batches: every column as text, missing values null. The header is the
    first part's first row; the other parts hold rows only, as the standard says.

    Raises :class:`FrictionlessNeededError` when the header is not the schema's field
    names or a row cannot be parsed (frictionless reports what is wrong, row by row).
    """
    for index, path in enumerate(paths):
        yield from _csv_part(path, rules, header=index == 0)


def _csv_part(path: Path, rules: TableRules, *, header: bool) -> Iterator[pa.RecordBatch]:
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                block_size=BATCH_BYTES, column_names=None if header else rules.names
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(rules.names, pa.string()),
                null_values=list(rules.missing_values),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise FrictionlessNeededError(f"the file cannot be parsed ({_first_line(error)})") from None
    if reader.schema.names != rules.names:
        raise FrictionlessNeededError("a header that is not the schema's field names")
    for field_type in reader.schema.types:
        if field_type != pa.string():
            raise FrictionlessNeededError("a header that is not the schema's field names")
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, OSError) as error:
            raise FrictionlessNeededError(
                f"a row cannot be parsed ({_first_line(error)})"
            ) from None
        # An empty line is a row of no cells to frictionless (a blank row), but a row of
        # empty cells to Arrow: they differ where "" is not a missing value.
        if "" not in rules.missing_values and _has_empty_row(batch):
            raise FrictionlessNeededError("a row of empty cells, or an empty line")
        yield batch


def _has_empty_row(batch: pa.RecordBatch) -> bool:
    empty = None
    for column in batch.columns:
        blank = pc.fill_null(pc.equal(column, ""), False)
        empty = blank if empty is None else pc.and_(empty, blank)
    return empty is not None and bool(pc.any(empty).as_py())


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


# --- cells ------------------------------------------------------------------------------


def _indices(mask: Any) -> list[int]:
    return list(pc.indices_nonzero(mask).to_pylist())


def _null_of(kind: pa.DataType) -> Any:
    return pa.scalar(None, kind)


def read_cells(rule: FieldRule, raw: Any) -> tuple[Any, Any]:
    """The typed values of a column of text, and where a value is not of the type."""
    if rule.kind == "string":
        return raw, None
    present = pc.is_valid(raw)
    if rule.kind == "boolean":
        allowed = pa.array([*rule.true_values, *rule.false_values], pa.string())
        valid = pc.is_in(raw, value_set=allowed)
        typed = pc.if_else(
            valid, pc.is_in(raw, value_set=pa.array(rule.true_values, pa.string())), None
        )
        return typed, pc.and_(present, pc.invert(valid))
    plain = pc.fill_null(
        _plain_integers(raw)
        if rule.kind == "integer"
        else pc.match_substring_regex(raw, _PLAIN_NUMBER),
        False,
    )
    odd = pc.and_(present, pc.invert(plain))
    any_odd = pc.any(odd).as_py()
    try:
        # Arrow's cast reads forms Python does not ("0x10"): only plain values go to it.
        typed = pc.cast(raw if not any_odd else pc.if_else(plain, raw, None), rule.arrow_type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        typed, plain = pa.nulls(len(raw), rule.arrow_type), pa.repeat(False, len(raw))
        odd, any_odd = present, True
    if not any_odd:
        return typed, odd
    # Values outside the plain forms (" 7", "+5", "1_000", Arabic-Indic digits) are read
    # one by one with Python's own int() and Decimal(), as frictionless reads them.
    reader = _python_integer if rule.kind == "integer" else _python_number
    values = typed.to_pylist()
    texts = raw.to_pylist()
    invalid = [False] * len(values)
    for index in _indices(odd):
        value = reader(texts[index])
        if value is None:
            invalid[index] = True
        values[index] = value
    return pa.array(values, rule.arrow_type), pa.array(invalid, pa.bool_())


def _plain_integers(raw: Any) -> Any:
    """Where a text is ``-?[0-9]+``: ASCII digits, after one minus sign at most."""
    digits = pc.ascii_is_decimal(raw)
    negative = pc.starts_with(raw, "-")
    if not pc.any(negative).as_py():
        return digits
    return pc.or_(digits, pc.and_(negative, pc.ascii_is_decimal(pc.utf8_slice_codeunits(raw, 1))))


def constraint_failures(rule: FieldRule, typed: Any) -> Iterator[tuple[str, Any, Any]]:
    """(code, rows that fail, the constraint's value) for each constraint of ``rule``."""
    constraints = rule.constraints
    if constraints.get("required") is True:
        yield "required", pc.is_null(typed), True
    if rule.enum is not None:
        allowed = pa.array([value for value in rule.enum if value is not None], rule.arrow_type)
        yield (
            "enum",
            pc.and_(pc.is_valid(typed), pc.invert(pc.is_in(typed, value_set=allowed))),
            constraints["enum"],
        )
    for bound, compare in (
        ("minimum", pc.less),
        ("maximum", pc.greater),
        ("exclusiveMinimum", pc.less_equal),
        ("exclusiveMaximum", pc.greater_equal),
    ):
        if bound in rule.bounds:
            limit = pa.scalar(rule.bounds[bound], rule.arrow_type)
            yield (
                CONSTRAINT_CODES[bound],
                pc.fill_null(compare(typed, limit), False),
                constraints[bound],
            )
    if rule.kind == "string":
        for length, compare in (("minLength", pc.less), ("maxLength", pc.greater)):
            if length in constraints:
                lengths = pc.utf8_length(typed)
                yield (
                    CONSTRAINT_CODES[length],
                    pc.fill_null(compare(lengths, constraints[length]), False),
                    constraints[length],
                )
        if rule.pattern is not None:
            yield "pattern", _pattern_failures(rule.pattern, typed), rule.pattern


def whole_value_pattern(pattern: str) -> str:
    """A pattern that matches a whole value only, as the standard reads ``pattern``."""
    return f"(?:{pattern})\\Z"


def _pattern_failures(pattern: str, values: Any) -> Any:
    """Where a value does not match ``pattern`` as a whole, as the standard reads it
    (frictionless would take ``a|b`` for ``^a`` or ``b$``, and let a trailing newline
    through).

    Arrow's RE2 reads printable ASCII text the same way as Python for the syntax both
    share; other values, and patterns in syntax where the two differ, go to Python.
    """
    python = re.compile(f"^{whole_value_pattern(pattern)}")
    arrow_safe = not any(token in pattern for token in _PYTHON_ONLY_SYNTAX)
    present = pc.is_valid(values)
    if arrow_safe:
        try:
            matched = pc.match_substring_regex(values, f"^(?:{pattern})$")
        except pa.ArrowInvalid:
            arrow_safe = False
    if arrow_safe:
        ascii_text = pc.fill_null(pc.ascii_is_printable(values), True)
        failures = pc.and_(pc.and_(present, ascii_text), pc.invert(pc.fill_null(matched, True)))
        rest = pc.and_(present, pc.invert(ascii_text))
    else:
        failures, rest = pa.repeat(False, len(values)), present
    if not pc.any(rest).as_py():
        return failures
    flags = failures.to_pylist()
    texts = values.to_pylist()
    for index in _indices(rest):
        flags[index] = python.match(texts[index]) is None
    return pa.array(flags, pa.bool_())


# --- keys ---------------------------------------------------------------------------------


def encode_key(columns: Sequence[Any], kinds: Sequence[str]) -> Any:
    """One string per row for a key of typed columns, equal where frictionless's typed
    tuples are equal (1 and 1.0, True and 1), null where every part is missing."""
    parts = []
    for column, kind in zip(columns, kinds, strict=True):
        if kind == "string":
            text = pc.binary_join_element_wise("s", column, "")
        elif kind == "other":
            text = column  # already text that no string, number or boolean key equals
        elif kind == "boolean":
            text = pc.if_else(column, "n1", "n0")
        else:
            text = pc.binary_join_element_wise("n", pc.cast(column, pa.string()), "")
        parts.append(text)
    all_missing = pc.is_null(parts[0])
    for part in parts[1:]:
        all_missing = pc.and_(all_missing, pc.is_null(part))
    if len(parts) == 1:
        return parts[0]
    filled = [pc.fill_null(part, _NULL_PART) for part in parts]
    joined = pc.binary_join_element_wise(*filled, _KEY_SEPARATOR)
    return pc.if_else(all_missing, _null_of(pa.string()), joined)


@dataclass
class TableKeys:
    """The encoded keys of one checked table, in row order, for the key checks."""

    kinds: dict[str, str]
    keys: dict[tuple[str, ...], list[Any]] = field(default_factory=dict)
    fresh: dict[tuple[str, ...], list[Any]] = field(default_factory=dict)
    rows: int = 0
    first_row: int = 2

    def keep(self, key: tuple[str, ...], encoded: Any) -> None:
        """Keep the encoded keys of one batch. Every so many batches the kept ones are
        copied into one array of their exact size: an array a kernel makes has room to
        spare, which over ten million rows would triple the memory the keys take."""
        fresh = self.fresh.setdefault(key, [])
        fresh.append(encoded)
        if len(fresh) >= _COMPACT_EVERY:
            self.keys.setdefault(key, []).append(pa.concat_arrays(fresh))
            fresh.clear()

    def column(self, key: tuple[str, ...]) -> Any:
        chunks = [*self.keys.get(key, []), *self.fresh.get(key, [])]
        return (
            pa.chunked_array(chunks, pa.string()) if chunks else pa.chunked_array([], pa.string())
        )


@dataclass
class CheckedTable:
    """What checking a table's cells left for the key checks."""

    name: str
    rules: TableRules
    keys: TableKeys
    streamed_foreign_keys: frozenset[int] = frozenset()


def check_batches(
    name: str,
    rules: TableRules,
    batches: Iterator[pa.RecordBatch],
    key_sets: set[tuple[str, ...]],
    collector: Collector,
    *,
    observers: Sequence[BatchObserver] = (),
    known_keys: Mapping[int, Any] | None = None,
) -> CheckedTable:
    """Check the cells of every batch against ``rules`` and keep the keys of
    ``key_sets`` for :func:`check_keys`; each observer sees every batch of typed values.
    Row numbers count the header as row 1.

    ``known_keys`` holds, by their index in the schema's foreign keys, the keys of tables
    already checked that foreign keys refer to (see :func:`known_values`): those foreign
    keys are checked batch by batch, without keeping the table's own values.
    """
    keys = TableKeys({rule.name: rule.kind for rule in rules.fields})
    streamed = dict(known_keys or {})
    encoded_sets = set(key_sets) | {
        tuple(rules.foreign_keys[index]["fields"]) for index in streamed
    }
    # Each batch is examined by a worker while the one before it is recorded here: the
    # kernels of both let go of the GIL, so they share the two cores.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gcm-open examine") as pool:
        examining: deque[Future[_Examined]] = deque()

        def record_oldest() -> None:
            examined = examining.popleft().result()
            _record(
                name,
                rules,
                examined,
                keys,
                key_sets=key_sets,
                collector=collector,
                streamed=streamed,
                observers=observers,
            )

        for batch in batches:
            examining.append(pool.submit(_examine, rules, batch, encoded_sets, keys.kinds))
            if len(examining) > 1:
                record_oldest()
        while examining:
            record_oldest()
    return CheckedTable(name, rules, keys, frozenset(streamed))


class BatchObserver(Protocol):
    """What else looks at the typed rows of a table as they are read."""

    def on_batch(self, table: str, batch: pa.RecordBatch, first_row: int) -> None: ...


@dataclass
class _Examined:
    """What a batch holds against its rules, before any of it is reported."""

    typed: pa.RecordBatch
    blank: Any
    # (code, field rule, rows that fail, text read, the constraint's value, more values)
    failures: list[tuple[str, FieldRule, Any, Any, Any, dict[str, Any]]]
    encoded: dict[tuple[str, ...], Any]


def _examine(
    rules: TableRules,
    batch: pa.RecordBatch,
    key_sets: set[tuple[str, ...]],
    kinds: Mapping[str, str],
) -> _Examined:
    """The typed values of a batch, where they fail the rules, and its encoded keys."""
    blank = None
    for column in batch.columns:
        missing = pc.is_null(column)
        blank = missing if blank is None else pc.and_(blank, missing)
    assert blank is not None
    filled = pc.invert(blank)
    typed_columns: dict[str, Any] = {}
    failures: list[tuple[str, FieldRule, Any, Any, Any, dict[str, Any]]] = []
    for rule in rules.fields:
        raw = batch.column(rule.name)
        if raw.type == pa.string():
            typed, invalid = read_cells(rule, raw)
        else:  # a Parquet column, already of its field's type
            typed, invalid = raw, None
        typed_columns[rule.name] = typed
        if invalid is not None and pc.any(invalid).as_py():
            failures.append(("type-error", rule, invalid, raw, None, {"type": rule.kind}))
            checked = pc.and_(filled, pc.invert(invalid))
        else:
            checked = filled
        for code, failing, constant in constraint_failures(rule, typed):
            fails = pc.and_(failing, checked)
            if pc.any(fails).as_py():
                failures.append((code, rule, fails, raw, constant, {}))
    encoded = {
        key: encode_key([typed_columns[part] for part in key], [kinds[part] for part in key])
        for key in key_sets
    }
    typed_batch = pa.RecordBatch.from_arrays(
        [typed_columns[name] for name in rules.names], names=rules.names
    )
    return _Examined(typed_batch, blank, failures, encoded)


def _record(
    name: str,
    rules: TableRules,
    examined: _Examined,
    keys: TableKeys,
    *,
    key_sets: set[tuple[str, ...]],
    collector: Collector,
    streamed: Mapping[int, Any],
    observers: Sequence[BatchObserver],
) -> None:
    """Report what :func:`_examine` found in a batch, keep its keys and show it to the
    observers, in the order of the batches."""
    first = keys.first_row + keys.rows
    blank_rows = _indices(examined.blank)
    if blank_rows:
        collector.rows("blank-row", name, None, [first + index for index in blank_rows])
    for code, rule, fails, raw, constant, values in examined.failures:
        _report(
            collector, code, name, rule, fails, first=first, raw=raw, constant=constant, **values
        )
    for key in key_sets:
        keys.keep(key, examined.encoded[key])
    for index, known in streamed.items():
        foreign = rules.foreign_keys[index]
        values = examined.encoded[tuple(foreign["fields"])]
        _report_foreign(collector, name, foreign, values, known, first_row=first)
    for observer in observers:
        observer.on_batch(name, examined.typed, first)
    keys.rows += examined.typed.num_rows


def _report(
    collector: Collector,
    code: str,
    name: str,
    rule: FieldRule,
    fails: Any,
    *,
    first: int,
    raw: Any,
    constant: Any = None,
    **values: Any,
) -> None:
    indices = _indices(fails)
    room = collector.room(name, code)
    shown = raw.take(pa.array(indices[:room], pa.int64())).to_pylist() if room else []
    constants = {
        "required": {},
        "enum": {"enum": constant},
        "pattern": {"pattern": constant},
        "type-error": {},
    }.get(code, {"limit": constant})
    collector.rows(
        code,
        name,
        rule.name,
        [first + index for index in indices],
        values={"value": shown},
        **constants,
        **values,
    )


def check_keys(
    tables: dict[str, CheckedTable],
    lookups: dict[tuple[str, tuple[str, ...]], Any],
    collector: Collector,
) -> None:
    """Unique fields, primary keys, unique keys and foreign keys of checked tables.

    ``lookups`` holds, for referenced tables that were not checked here, their encoded
    keys by (table, fields).
    """
    for table in tables.values():
        rules, keys = table.rules, table.keys
        for rule in rules.fields:
            if rule.unique:
                column = keys.column((rule.name,))
                _report_repeats(
                    collector, "unique", table.name, rule.name, column, first_row=keys.first_row
                )
        if rules.primary_key:
            column = keys.column(rules.primary_key)
            fields_text = ", ".join(rules.primary_key)
            missing = _indices(pc.is_null(column))
            # frictionless names no field for a primary key: the message names them all.
            collector.rows(
                "primary-key",
                table.name,
                None,
                [keys.first_row + index for index in missing],
                detail=f"every value of the primary key ({fields_text}) is missing",
            )
            _report_repeats(
                collector,
                "primary-key",
                table.name,
                None,
                column,
                first_row=keys.first_row,
                detail=f"the primary key ({fields_text}) repeats an earlier row",
            )
        for unique in rules.unique_keys:
            column = keys.column(unique)
            _report_repeats(
                collector,
                "unique-keys",
                table.name,
                ", ".join(unique),
                column,
                first_row=keys.first_row,
                fields=", ".join(unique),
            )
        for index, foreign in enumerate(rules.foreign_keys):
            if index not in table.streamed_foreign_keys:
                _check_foreign_key(table, foreign, tables, lookups, collector)


def _report_repeats(
    collector: Collector,
    code: str,
    name: str,
    field_name: str | None,
    column: Any,
    *,
    first_row: int,
    **constants: Any,
) -> None:
    """Rows whose key, present, equals that of an earlier row.

    The keys are sorted (a stable sort, so that equal keys keep the order of their rows)
    and compared with their neighbours a window at a time: over ten million keys this
    takes a fraction of the time and memory of a hash table of them.
    """
    present = len(column) - column.null_count
    if present < 2:
        return
    order = pc.array_sort_indices(column, null_placement="at_end").slice(0, present)
    later: list[int] = []
    previous = None
    for start in range(0, present, _REPEAT_WINDOW):
        window = order.slice(start, _REPEAT_WINDOW)
        values = column.take(window)
        values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        same = pc.equal(values.slice(1), values.slice(0, len(values) - 1))
        later.extend(pc.take(window.slice(1), pc.indices_nonzero(same)).to_pylist())
        if previous is not None and values[0].as_py() == previous:
            later.append(window[0].as_py())
        previous = values[len(values) - 1].as_py()
    if not later:
        return
    rows = sorted(int(index) + first_row for index in later)
    if code == "unique":
        values = [
            text[1:]
            for text in column.take(
                pa.array([r - first_row for r in rows[: collector.room(name, code)]], pa.int64())
            ).to_pylist()
        ]
        collector.rows(code, name, field_name, rows, values={"value": values})
    else:
        collector.rows(code, name, field_name, rows, **constants)


def _check_foreign_key(
    table: CheckedTable,
    foreign: dict[str, Any],
    tables: dict[str, CheckedTable],
    lookups: dict[tuple[str, tuple[str, ...]], Any],
    collector: Collector,
) -> None:
    target_name = foreign["resource"] or table.name
    fields_text = ", ".join(foreign["fields"])
    if target_name in tables:
        known = tables[target_name].keys.column(foreign["target"])
    elif (target_name, foreign["target"]) in lookups:
        known = lookups[(target_name, foreign["target"])]
    else:
        collector.add(
            "resource-error",
            resource=table.name,
            field=fields_text,
            detail=f"a foreign key refers to resource {target_name!r}, which is not there",
        )
        return
    values = table.keys.column(foreign["fields"])
    _report_foreign(
        collector, table.name, foreign, values, known_values(known), first_row=table.keys.first_row
    )


def known_values(keys: Any) -> Any:
    """The distinct present values of a column of encoded keys, to look foreign keys up."""
    return pc.unique(pc.drop_null(keys)) if len(keys) else pa.array([], pa.string())


def _report_foreign(
    collector: Collector,
    name: str,
    foreign: dict[str, Any],
    values: Any,
    known: Any,
    *,
    first_row: int,
) -> None:
    """Rows whose foreign key, present, is none of the ``known`` values."""
    bad = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=known)))
    indices = _indices(bad)
    if not indices:
        return
    room = collector.room(name, "foreign-key")
    shown = [
        _decode_key(text) for text in values.take(pa.array(indices[:room], pa.int64())).to_pylist()
    ]
    target_name = foreign["resource"] or name
    # frictionless names no field for a foreign key: the message names them.
    collector.rows(
        "foreign-key",
        name,
        None,
        [first_row + index for index in indices],
        values={"value": shown},
        fields=", ".join(foreign["fields"]),
        reference=f"{target_name}.{', '.join(foreign['target'])}",
    )


def _decode_key(text: str) -> str:
    return ", ".join(part[1:] if part != _NULL_PART else "" for part in text.split(_KEY_SEPARATOR))


# --- Parquet tables -----------------------------------------------------------------------


def parquet_batches(path: Path, rules: TableRules) -> Iterator[pa.RecordBatch]:
    """The rows of a Parquet table in batches, each column cast to its field's type.

    Raises :class:`FrictionlessNeededError` when the columns are not the schema's fields or a
    column's type cannot hold its field's values.
    """
    try:
        parquet = pq.ParquetFile(path, pre_buffer=False, buffer_size=PARQUET_BUFFER_BYTES)
    except (pa.ArrowInvalid, OSError) as error:
        raise ParquetTableError(f"{path.name}: {_first_line(error)}") from None
    schema = parquet.schema_arrow
    if schema.names != rules.names:
        raise ParquetTableError(f"columns {schema.names} are not the schema's fields {rules.names}")
    for rule, arrow_field in zip(rules.fields, schema, strict=True):
        if not _holds(arrow_field.type, rule.kind):
            raise ParquetTableError(
                f"column {rule.name!r} of type {arrow_field.type} is not a {rule.kind}"
            )
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, use_threads=False):
        columns = []
        for rule, stored in zip(rules.fields, batch.columns, strict=True):
            plain = (
                stored.cast(stored.type.value_type)
                if pa.types.is_dictionary(stored.type)
                else stored
            )
            column = pc.cast(plain, rule.arrow_type)
            if rule.kind == "string":
                # frictionless reads a text cell that is a missing value as missing.
                missing = pa.array(rules.missing_values, pa.string())
                column = pc.if_else(pc.is_in(column, value_set=missing), None, column)
            columns.append(column)
        yield pa.RecordBatch.from_arrays(columns, names=rules.names)


class ParquetTableError(Exception):
    """A Parquet table that cannot be read as its schema says."""


def _holds(arrow_type: pa.DataType, kind: str) -> bool:
    """Whether a Parquet column of ``arrow_type`` holds values of a field of ``kind``."""
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    holds = {
        "string": pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type),
        "integer": pa.types.is_integer(arrow_type),
        "number": pa.types.is_integer(arrow_type)
        or pa.types.is_floating(arrow_type)
        or pa.types.is_decimal(arrow_type),
        "boolean": pa.types.is_boolean(arrow_type),
    }
    return bool(holds[kind])
