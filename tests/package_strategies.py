"""Hypothesis strategies for small Frictionless Data Packages, for differential tests of
validators.

A drawn :class:`GeneratedPackage` holds a descriptor and the bytes of its files: one to
three tabular resources, each a CSV file under a random Table Schema (every field type of
the spec, string formats, constraints, primary, unique and foreign keys, missing values),
in a random dialect and encoding, described in the style of Data Package v1 or v2, with
the schema inline or in a file of its own. Rows are drawn valid for the schema, then
``defects`` are injected (wrong types, broken constraints, repeated keys, dangling
foreign keys, blank rows, extra and missing cells, changed header labels) together with
values that frictionless accepts although they are not written the canonical way
(``+1``, ``2020-1-2``): what is wrong with a package is for the validators to say.

Write a package with :meth:`GeneratedPackage.write`; :meth:`GeneratedPackage.listing`
prints every file, so that a failing example can be reproduced by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

V2_PACKAGE = "https://datapackage.org/profiles/2.0/datapackage.json"
V2_RESOURCE = "https://datapackage.org/profiles/2.0/dataresource.json"
V2_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"

# The field types of Table Schema v1, the most used: in their default formats, in UTF-8
# CSV of the default dialect, they make the "core" packages (see data_packages).
CORE_TYPES = ("string", "integer", "number", "boolean")
FIELD_TYPES = (
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "object",
    "array",
    "any",
)
# Missing values a schema may declare instead of the default [""].
MISSING_VALUE_SETS = (("", "NA", "-"), ("NA",), ("", "-"), ("n/a", "NULL"), ("", "NaN"))
# (pattern, whether it has room for 30 distinct values). Some use {n} quantifiers, one is
# anchored already, one is an alternation that frictionless anchors as ^a|b|c$.
PATTERNS = (
    ("^[A-Z]{3}$", True),
    ("[A-Z]{3}", True),
    ("[a-z]{2,5}", True),
    ("[0-9]{4}-[0-9]{2}", True),
    ("[A-Z][a-z]{1,6}", True),
    ("(foo|bar)-[0-9]{1,3}", True),
    ("[a-z]+(_[a-z]+)*", True),
    ("a|b|c", False),
    ("[0-9]{2}", False),
)
WORDS = ("red", "green", "blue", "Mexico", "México", "a,b", "x;y", 'say "hi"', "tab\there")
TRUE_VALUES = (("Y",), ("yes", "y"), ("sí", "si"), ("T", "1"))
FALSE_VALUES = (("N",), ("no", "n"), ("F", "0"))
DELIMITERS = (",", ";", "\t", "|")

_ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
_PUNCTUATION = ",;|\t\"'\\-_./:"
_LATIN = "éñüÅßç"
_BEYOND_LATIN = "жλ中€"


@dataclass(frozen=True)
class GeneratedPackage:
    """A package to validate: its descriptor, its other files, what it uses, what is wrong.

    ``row_tags`` maps (resource, rowNumber) to the defects injected into that row, with
    rowNumber counted as frictionless does (the header is row 1 when there is one).
    """

    descriptor: dict[str, Any]
    files: dict[str, bytes]
    features: frozenset[str]
    defects: tuple[str, ...]
    row_tags: dict[tuple[str, int], tuple[str, ...]]
    label_tags: dict[str, tuple[str, ...]]

    def write(self, directory: Path) -> Path:
        """Write the package into ``directory``; the path of its ``datapackage.json``."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in self.files.items():
            (directory / name).write_bytes(content)
        descriptor = directory / "datapackage.json"
        descriptor.write_text(json.dumps(self.descriptor, indent=2, ensure_ascii=False))
        return descriptor

    @property
    def size(self) -> int:
        """Bytes of all files, to pick the smallest of several examples."""
        return len(json.dumps(self.descriptor)) + sum(map(len, self.files.values()))

    def field_type(self, resource: str | None, name: str | None) -> str | None:
        """``type/format`` of a field of a resource, or None when there is no such field."""
        for table in self.descriptor["resources"]:
            if table["name"] != resource:
                continue
            schema = table["schema"]
            if isinstance(schema, str):
                schema = json.loads(self.files[schema])
            for spec in schema["fields"]:
                if spec["name"] == name:
                    kind = spec.get("type", "string")
                    fmt = spec.get("format", "default")
                    return kind if fmt == "default" else f"{kind}/{fmt}"
        return None

    def listing(self) -> str:
        """Every file of the package as text (CSV bytes shown with escapes), to reproduce."""
        parts = [
            "datapackage.json:",
            json.dumps(self.descriptor, indent=2, ensure_ascii=False),
        ]
        for name, content in sorted(self.files.items()):
            parts.append(f"{name} ({len(content)} bytes):")
            parts.append(_show_bytes(content))
        parts.append(f"features: {sorted(self.features)}")
        parts.append(f"defects: {list(self.defects)}")
        return "\n".join(parts)


def _show_bytes(content: bytes) -> str:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("latin-1") + "   [latin-1]"
    return "\n".join(repr(line) for line in text.splitlines(keepends=True)) or "''"


# --- columns --------------------------------------------------------------------------


Cell = tuple[str, Hashable]


@dataclass
class _Column:
    """A field while its table is drawn: descriptor, and how to write values for it.

    ``values`` draws a valid cell and its typed identity (equal identities are the same
    value to a validator: ``1`` and ``01`` as integers). ``bad`` are cells not of the
    type; ``breaks`` cells of the type that break one constraint each; ``lenient`` draws
    cells frictionless reads as valid values although they are not written canonically.
    """

    name: str
    kind: str
    descriptor: dict[str, Any]
    values: st.SearchStrategy[Cell]
    missing: tuple[str, ...]
    bad: tuple[str, ...] = ()
    breaks: dict[str, st.SearchStrategy[str]] = field(default_factory=dict)
    lenient: st.SearchStrategy[str] | None = None
    keyable: bool = False

    @property
    def required(self) -> bool:
        return bool(self.descriptor.get("constraints", {}).get("required"))

    @property
    def unique(self) -> bool:
        return bool(self.descriptor.get("constraints", {}).get("unique"))


@dataclass(frozen=True)
class _Context:
    """What a column's values must respect: the descriptor version, the file's encoding,
    the missing values of the resource, whether cells may span lines, and whether the
    field must be a core one (a core type, default format and options)."""

    version: str
    encoding: str
    missing: tuple[str, ...]
    multiline: bool
    core: bool = False

    def alphabet(self) -> str:
        chars = _ASCII + _PUNCTUATION + _LATIN
        if self.encoding == "utf-8":
            chars += _BEYOND_LATIN
        return chars + ("\n" * 6 if self.multiline else "")

    def fits(self, text: str, missing: tuple[str, ...]) -> bool:
        return text not in missing and _encodable(text, self.encoding)


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _not_in(missing: tuple[str, ...], cells: Iterable[str]) -> tuple[str, ...]:
    return tuple(cell for cell in cells if cell not in missing)


@st.composite
def _column(draw: st.DrawFn, name: str, ctx: _Context, *, keyable: bool) -> _Column:
    """One field of any type, with constraints that its drawn values respect.

    With ``keyable``, a type and constraints with room for 30 distinct values, fit for
    primary, unique and foreign keys.
    """
    kinds = ("string", "integer", "date", "year", "number") if keyable else FIELD_TYPES
    if ctx.core:
        kinds = ("string", "integer", "number") if keyable else CORE_TYPES
    kind = draw(st.sampled_from(kinds))
    missing = ctx.missing
    descriptor: dict[str, Any] = {"name": name, "type": kind}
    if ctx.version == "v2" and not keyable and not ctx.core and draw(st.integers(0, 5)) == 0:
        missing = draw(st.sampled_from(MISSING_VALUE_SETS))
        descriptor["missingValues"] = list(missing)
    builder = _BUILDERS[kind]
    column = draw(builder(_FieldSpec(name, descriptor, ctx, missing, keyable)))
    constraints = descriptor.setdefault("constraints", {})
    if draw(st.integers(0, 3)) == 0:
        constraints["required"] = True
        column.breaks["required"] = st.sampled_from(missing)
    if column.keyable and not keyable and draw(st.integers(0, 3)) == 0:
        constraints["unique"] = True
    if not constraints:
        del descriptor["constraints"]
    return column


def _numeric_bounds(
    draw: st.DrawFn, ctx: _Context, low: int, high: int, constraints: dict[str, Any]
) -> tuple[int, int, dict[str, int]]:
    """Bounds for a field whose values are the integers ``low..high`` (positions in an
    ordered domain); returns the range values are drawn from and, for each declared
    bound, the position just beyond it, which breaks it."""
    names = ["minimum", "maximum"]
    if ctx.version == "v2":
        names += ["exclusiveMinimum", "exclusiveMaximum"]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=2))
    span = high - low
    lo = low + draw(st.integers(0, span // 3))
    hi = high - draw(st.integers(0, span // 3))
    breaking: dict[str, int] = {}
    for name in chosen:
        if name == "minimum" and "exclusiveMinimum" not in constraints:
            constraints[name] = lo
            breaking[name] = lo - 1
        elif name == "exclusiveMinimum" and "minimum" not in constraints:
            constraints[name] = lo - 1
            breaking[name] = lo - 1
        elif name == "maximum" and "exclusiveMaximum" not in constraints:
            constraints[name] = hi
            breaking[name] = hi + 1
        elif name == "exclusiveMaximum" and "maximum" not in constraints:
            constraints[name] = hi + 1
            breaking[name] = hi + 1
    return lo, hi, breaking


@dataclass(frozen=True)
class _FieldSpec:
    """What a column builder starts from: the field's name and descriptor so far, the
    table's context, the field's missing values, and whether it must be fit for keys."""

    name: str
    descriptor: dict[str, Any]
    ctx: _Context
    missing: tuple[str, ...]
    keyable: bool


Builder = Callable[[_FieldSpec], st.SearchStrategy[_Column]]


@st.composite
def _string_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, ctx, missing, keyable = (
        spec.name,
        spec.descriptor,
        spec.ctx,
        spec.missing,
        spec.keyable,
    )
    constraints: dict[str, Any] = {}
    descriptor["constraints"] = constraints
    fmt = "default"
    if not ctx.core:
        fmt = draw(st.sampled_from(("default", "default", "default", "email", "uri", "uuid")))
    if fmt != "default":
        descriptor["format"] = fmt
        values: st.SearchStrategy[str] = {
            "email": st.from_regex(
                r"[a-z]{1,6}\.?[a-z]{1,4}@[a-z]{2,6}\.(com|org|mx)", fullmatch=True
            ),
            "uri": st.from_regex(
                r"https?://[a-z]{2,8}\.(org|com)(/[a-z0-9]{0,5})?", fullmatch=True
            ),
            "uuid": st.uuids().map(str),
        }[fmt]
        bad = {
            "email": ("not-an-email", "a@b", "@x.org", "a b@c.de"),
            "uri": ("no-scheme", "example.org/x", "//x.org"),
            "uuid": ("not-a-uuid", "1234", "g23e4567-e89b-12d3-a456-426614174000"),
        }[fmt]
        lenient = {
            "email": None,
            "uri": st.sampled_from(("mailto:a@b", "urn:isbn:1", "http://", "a:b")),
            "uuid": st.uuids().map(lambda u: u.hex),
        }[fmt]
        return _Column(
            name,
            "string",
            descriptor,
            values.filter(lambda s: ctx.fits(s, missing)).map(lambda s: (s, s)),
            missing,
            bad=_not_in(missing, bad),
            lenient=lenient,
            keyable=fmt != "uri",
        )
    style = draw(st.sampled_from(("plain", "pattern", "enum", "length")))
    if keyable and style == "enum":
        style = "plain"
    breaks: dict[str, st.SearchStrategy[str]] = {}
    lenient: st.SearchStrategy[str] | None = None
    text = st.text(st.sampled_from(ctx.alphabet()), max_size=8)
    room = True
    if style == "pattern":
        candidates = [p for p, big in PATTERNS if big or not keyable]
        pattern = draw(st.sampled_from(candidates))
        room = dict(PATTERNS)[pattern]
        constraints["pattern"] = pattern
        compiled = re.compile(pattern)
        values = st.from_regex(compiled, fullmatch=True)
        breaks["pattern"] = text.filter(
            lambda s: not compiled.fullmatch(s) and ctx.fits(s, missing)
        )
        # Frictionless matches ^pattern$ with re.match: a value with a final newline
        # passes, and so does any value that starts with "a" for the pattern a|b|c.
        lenient = values.map(lambda s: s + "\n")
        if "|" in pattern and not pattern.startswith("("):
            lenient = st.sampled_from(("axyz", "a-b", "bb"))
    elif style == "enum":
        enum = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=4, unique=True))
        enum = [word for word in enum if ctx.fits(word, missing)] or ["red", "blue"]
        constraints["enum"] = enum
        values = st.sampled_from(enum)
        breaks["enum"] = st.sampled_from(["purple", enum[0].upper(), enum[0] + " "]).filter(
            lambda s: s not in enum and s not in missing
        )
    elif style == "length":
        low = draw(st.integers(2, 4))
        high = low + draw(st.integers(0, 4))
        if draw(st.booleans()):
            constraints["minLength"] = low
            breaks["minLength"] = st.text(
                st.sampled_from(_ASCII.strip()), min_size=1, max_size=low - 1
            )
        if draw(st.booleans()) or not constraints:
            constraints["maxLength"] = high
            breaks["maxLength"] = st.text(
                st.sampled_from(ctx.alphabet()), min_size=high + 1, max_size=high + 3
            )
        values = st.text(
            st.sampled_from(ctx.alphabet()),
            min_size=constraints.get("minLength", 0),
            max_size=constraints.get("maxLength", 8),
        )
        room = constraints.get("maxLength", 8) >= 3
    else:
        values = st.text(st.sampled_from(ctx.alphabet()), min_size=1 if keyable else 0, max_size=8)
        if not keyable and draw(st.integers(0, 4)) == 0:
            # Without constraints, a field need not declare its type (string in v1).
            del descriptor["type"]
    for key, strategy in list(breaks.items()):
        breaks[key] = strategy.filter(lambda s: ctx.fits(s, missing))
    return _Column(
        name,
        "string",
        descriptor,
        values.filter(lambda s: ctx.fits(s, missing)).map(lambda s: (s, s)),
        missing,
        breaks=breaks,
        lenient=lenient,
        keyable=room and style != "enum",
    )


def _decorate(draw: st.DrawFn, descriptor: dict[str, Any], ctx: _Context) -> tuple[str, str]:
    """bareNumber false, sometimes: a currency sign or a percent around the number."""
    if ctx.core or draw(st.integers(0, 5)):
        return "", ""
    descriptor["bareNumber"] = False
    return draw(st.sampled_from((("$", ""), ("", "%"), ("", " EUR"), ("USD ", ""))))


@st.composite
def _integer_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, ctx, missing, keyable = (
        spec.name,
        spec.descriptor,
        spec.ctx,
        spec.missing,
        spec.keyable,
    )
    constraints: dict[str, Any] = {}
    descriptor["constraints"] = constraints
    prefix, suffix = _decorate(draw, descriptor, ctx)

    def render(number: int) -> str:
        return f"{prefix}{number}{suffix}"

    base = draw(st.integers(-500, 500))
    low, high = base, base + draw(st.sampled_from((100, 1000, 10**6)))
    breaks: dict[str, st.SearchStrategy[str]] = {}
    if not keyable and draw(st.integers(0, 4)) == 0:
        enum = draw(st.lists(st.integers(low, high), min_size=1, max_size=4, unique=True))
        constraints["enum"] = enum
        values = st.sampled_from(enum)
        breaks["enum"] = st.just(render(max(enum) + 1))
    else:
        low, high, breaking = _numeric_bounds(draw, ctx, low, high, constraints)
        values = st.integers(low, high)
        breaks = {key: st.just(render(value)) for key, value in breaking.items()}

    def lenient(number: int, how: int) -> str:
        digits = str(abs(number))
        sign = "-" if number < 0 else ""
        forms = (
            f"+{number}" if number >= 0 else f"{number}",
            f" {number}",
            f"{number} ",
            f"{sign}0{digits}",
            f"{sign}{digits[0]}_{digits[1:]}" if len(digits) > 1 else f"{number}",
            sign + digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        )
        return render_raw(forms[how])

    def render_raw(text: str) -> str:
        return f"{prefix}{text.strip()}{suffix}" if prefix or suffix else text

    return _Column(
        name,
        "integer",
        descriptor,
        values.map(lambda n: (render(n), n)),
        missing,
        bad=_not_in(missing, ("abc", "1.5", "1x2", "1e3", "0x1F")),
        breaks=breaks,
        lenient=st.tuples(values, st.integers(0, 5)).map(lambda t: lenient(*t)),
        keyable="enum" not in constraints,
    )


@st.composite
def _number_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, ctx, missing, keyable = (
        spec.name,
        spec.descriptor,
        spec.ctx,
        spec.missing,
        spec.keyable,
    )
    constraints: dict[str, Any] = {}
    descriptor["constraints"] = constraints
    prefix, suffix = _decorate(draw, descriptor, ctx)
    group, decimal = "", "."
    if not ctx.core:
        group, decimal = draw(
            st.sampled_from((("", "."),) * 4 + ((",", "."), (".", ","), (" ", ","), ("", ",")))
        )
    if group:
        descriptor["groupChar"] = group
    if decimal != ".":
        descriptor["decimalChar"] = decimal
    cent = Decimal("0.01")

    def render(value: Decimal) -> str:
        sign = "-" if value < 0 else ""
        whole, _, fraction = f"{abs(value):.2f}".partition(".")
        if group:
            whole = f"{int(whole):,}".replace(",", group)
        return f"{prefix}{sign}{whole}{decimal}{fraction}{suffix}"

    # Values are cents; bounds are whole numbers.
    base = draw(st.integers(-500, 500))
    low, high = base, base + draw(st.sampled_from((100, 5000)))
    breaks: dict[str, st.SearchStrategy[str]] = {}
    if not keyable and draw(st.integers(0, 4)) == 0:
        enum = draw(st.lists(st.integers(low, high), min_size=1, max_size=3, unique=True))
        constraints["enum"] = enum
        values = st.sampled_from([Decimal(n) for n in enum])
        breaks["enum"] = st.just(render(Decimal(max(enum)) + cent))
    else:
        low, high, breaking = _numeric_bounds(draw, ctx, low, high, constraints)
        values = st.integers(low * 100, high * 100).map(lambda n: Decimal(n) * cent)
        for key, value in breaking.items():
            beyond = Decimal(value) if key.startswith("exclusive") else None
            if beyond is None:
                beyond = (
                    Decimal(value + 1) - cent if key == "minimum" else Decimal(value - 1) + cent
                )
            breaks[key] = st.just(render(beyond))
    bare = not (prefix or suffix or group or decimal != ".")
    lenient = None
    if bare:
        lenient = st.tuples(values, st.integers(0, 4)).map(
            lambda t: (f"+{t[0]}", f" {t[0]}", f"{t[0]}0", f"{t[0]:E}", f"{t[0]} ")[t[1]]
        )
    return _Column(
        name,
        "number",
        descriptor,
        values.map(lambda d: (render(d), d)),
        missing,
        bad=_not_in(missing, ("abc", "1x2", "--", "one")),
        breaks=breaks,
        lenient=lenient,
        keyable="enum" not in constraints,
    )


@st.composite
def _boolean_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, missing = spec.name, spec.descriptor, spec.missing
    trues: tuple[str, ...] = ("true", "True", "TRUE", "1")
    falses: tuple[str, ...] = ("false", "False", "FALSE", "0")
    if draw(st.booleans()):
        trues = draw(st.sampled_from(TRUE_VALUES))
        descriptor["trueValues"] = list(trues)
        falses = draw(st.sampled_from([f for f in FALSE_VALUES if not set(f) & set(trues)]))
        descriptor["falseValues"] = list(falses)
    trues, falses = _not_in(missing, trues), _not_in(missing, falses)
    cells = [(value, True) for value in trues] + [(value, False) for value in falses]
    outside = ("maybe", "2", "tRUE", " true", "yes", "true", "false", "0", "1", "N", "n")
    return _Column(
        name,
        "boolean",
        descriptor,
        st.sampled_from(cells),
        missing,
        bad=tuple(v for v in outside if v not in trues + falses and v not in missing),
    )


def _ordered_column(
    draw: st.DrawFn,
    kind: str,
    descriptor: dict[str, Any],
    ctx: _Context,
    missing: tuple[str, ...],
    *,
    low: int,
    high: int,
    render: Callable[[int], str],
    identity: Callable[[int], Hashable],
    bound: Callable[[int], Any],
    bad: tuple[str, ...],
    lenient: Callable[[int], tuple[str, ...]] | None,
    must_key: bool,
    can_key: bool,
) -> _Column:
    """A field whose values are the positions ``low..high`` of an ordered domain (days,
    seconds, months, years), written by ``render``, bounds declared as ``bound``;
    ``lenient`` gives other ways of writing a value that frictionless reads."""
    constraints: dict[str, Any] = {}
    descriptor["constraints"] = constraints
    breaks: dict[str, st.SearchStrategy[str]] = {}
    if not must_key and draw(st.integers(0, 5)) == 0:
        enum = draw(st.lists(st.integers(low, high), min_size=1, max_size=3, unique=True))
        constraints["enum"] = [bound(position) for position in enum]
        values = st.sampled_from(enum)
        beyond = max(enum) + 1
        breaks["enum"] = st.just(render(beyond))
    else:
        low, high, breaking = _numeric_bounds(draw, ctx, low, high, constraints)
        for key in list(constraints):
            constraints[key] = bound(constraints[key])
        values = st.integers(low, high)
        breaks = {key: st.just(render(value)) for key, value in breaking.items()}
    name = descriptor["name"]
    return _Column(
        name,
        kind,
        descriptor,
        values.map(lambda p: (render(p), identity(p))),
        missing,
        bad=_not_in(missing, bad),
        breaks=breaks,
        lenient=None if lenient is None else _forms(values, lenient),
        keyable=can_key and "enum" not in constraints,
    )


def _forms(
    values: st.SearchStrategy[int], forms: Callable[[int], tuple[str, ...]]
) -> st.SearchStrategy[str]:
    """One of the ``forms`` of a drawn value."""
    return st.tuples(values, st.integers(0, 5)).map(lambda t: forms(t[0])[t[1] % len(forms(t[0]))])


_EPOCH = dt.date(2000, 1, 1)


@st.composite
def _date_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    descriptor, ctx, missing, keyable = spec.descriptor, spec.ctx, spec.missing, spec.keyable

    def day(position: int) -> dt.date:
        return _EPOCH + dt.timedelta(days=position)

    return _ordered_column(
        draw,
        "date",
        descriptor,
        ctx,
        missing,
        low=-20000,
        high=20000,
        render=lambda p: day(p).isoformat(),
        identity=day,
        bound=lambda p: day(p).isoformat(),
        bad=("2020-02-30", "2020/01/01", "01-02-2020", "20200101", "2020-13-01"),
        lenient=lambda p: (f"{day(p).year}-{day(p).month}-{day(p).day}",),
        must_key=keyable,
        can_key=True,
    )


@st.composite
def _time_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    descriptor, ctx, missing, keyable = spec.descriptor, spec.ctx, spec.missing, spec.keyable

    def clock(position: int) -> str:
        return f"{position // 3600:02d}:{position // 60 % 60:02d}:{position % 60:02d}"

    return _ordered_column(
        draw,
        "time",
        descriptor,
        ctx,
        missing,
        low=60,
        high=86339,
        render=clock,
        identity=lambda p: p,
        bound=clock,
        bad=("25:00:00", "12:60:00", "12:00", "noon", "1:00:00"),
        # The same value: not "Z", as frictionless cannot compare an aware time with a
        # naive bound.
        lenient=lambda p: (clock(p) + ".0", clock(p) + ".000"),
        must_key=keyable,
        can_key=False,
    )


@st.composite
def _datetime_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    descriptor, ctx, missing, keyable = spec.descriptor, spec.ctx, spec.missing, spec.keyable
    # One zone for every value and bound of a field: frictionless cannot compare a naive
    # datetime with an aware one (TypeError), which the spec leaves open.
    zone = draw(st.sampled_from(("", "", "Z", "+01:00")))
    start = dt.datetime(2000, 1, 1)  # naive on purpose: the zone is a suffix

    def moment(position: int) -> str:
        return (start + dt.timedelta(seconds=position * 61)).isoformat() + zone

    return _ordered_column(
        draw,
        "datetime",
        descriptor,
        ctx,
        missing,
        low=-(10**7),
        high=10**7,
        render=moment,
        identity=lambda p: p,
        bound=moment,
        bad=("2020-01-01", "2020-01-01T25:00:00", "2020-13-01T00:00:00", "yesterday"),
        lenient=lambda p: (moment(p).replace("T", " "), moment(p).replace("T", "t")),
        must_key=keyable,
        can_key=False,
    )


@st.composite
def _year_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    descriptor, ctx, missing, keyable = spec.descriptor, spec.ctx, spec.missing, spec.keyable
    return _ordered_column(
        draw,
        "year",
        descriptor,
        ctx,
        missing,
        low=1000,
        high=2999,
        render=str,
        identity=lambda p: p,
        bound=lambda p: p,
        bad=("20", "abcd", "20201", "-200", "2020.0"),
        lenient=lambda p: (str(p).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),),
        must_key=keyable,
        can_key=True,
    )


@st.composite
def _yearmonth_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    descriptor, ctx, missing, keyable = spec.descriptor, spec.ctx, spec.missing, spec.keyable

    def month(position: int) -> str:
        return f"{position // 12:04d}-{position % 12 + 1:02d}"

    return _ordered_column(
        draw,
        "yearmonth",
        descriptor,
        ctx,
        missing,
        low=1900 * 12,
        high=2100 * 12,
        render=month,
        identity=lambda p: p,
        bound=month,
        bad=("2020-13", "2020", "2020-00", "13-2020", "2020/01"),
        lenient=lambda p: (f"{p // 12}-{p % 12 + 1}", f" {month(p)}", f"{month(p)} "),
        must_key=keyable,
        can_key=False,
    )


def _duration_column(spec: _FieldSpec) -> st.SearchStrategy[_Column]:
    name, descriptor, missing = spec.name, spec.descriptor, spec.missing
    parts = st.tuples(
        st.integers(0, 3), st.integers(0, 11), st.integers(0, 30), st.integers(0, 23)
    ).filter(any)

    def render(value: tuple[int, int, int, int]) -> str:
        years, months, days, hours = value
        date = f"{years}Y" * bool(years) + f"{months}M" * bool(months) + f"{days}D" * bool(days)
        return "P" + date + (f"T{hours}H" if hours else "")

    column = _Column(
        name,
        "duration",
        descriptor,
        parts.map(lambda v: (render(v), v)),
        missing,
        bad=_not_in(missing, ("P", "1 day", "P-1D", "PXD", "T1H")),
        lenient=st.sampled_from(("PT", "P1.5D", "-P1D", "P1W")),
    )
    return st.just(column)


@st.composite
def _geopoint_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, missing = spec.name, spec.descriptor, spec.missing
    fmt = draw(st.sampled_from(("default", "default", "array", "object")))
    if fmt != "default":
        descriptor["format"] = fmt
    points = st.tuples(
        st.decimals(-180, 180, places=2, allow_nan=False),
        st.decimals(-90, 90, places=2, allow_nan=False),
    )
    space = draw(st.sampled_from(("", " ")))  # the spec's "lon, lat" or "lon,lat"

    def render(point: tuple[Decimal, Decimal]) -> str:
        lon, lat = point
        if fmt == "array":
            return f"[{lon}, {lat}]"
        if fmt == "object":
            return f'{{"lon": {lon}, "lat": {lat}}}'
        return f"{lon},{space}{lat}"

    bad = {
        "default": ("200,10", "10,95", "abc", "1,2,3"),
        "array": ("[200, 0]", '"x"', "[1]"),
        "object": ('{"lon": 200, "lat": 0}', "[1, 2]", "{}"),
    }[fmt]
    return _Column(
        name,
        "geopoint",
        descriptor,
        points.map(lambda p: (render(p), p)),
        missing,
        bad=_not_in(missing, bad),
        lenient=points.map(lambda p: " " + render(p)),
    )


@st.composite
def _json_column(draw: st.DrawFn, spec: _FieldSpec) -> _Column:
    name, descriptor, ctx, missing = spec.name, spec.descriptor, spec.ctx, spec.missing
    kind = descriptor["type"]
    constraints: dict[str, Any] = {}
    descriptor["constraints"] = constraints
    low, high = 0, 3
    breaks: dict[str, st.SearchStrategy[str]] = {}
    items = st.one_of(st.integers(-5, 5), st.sampled_from(("a", "b", "é", "x,y", 'q"')))
    if draw(st.integers(0, 2)) == 0:
        low = draw(st.integers(1, 2))
        constraints["minLength"] = low
    if draw(st.integers(0, 2)) == 0:
        high = low + draw(st.integers(0, 2))
        constraints["maxLength"] = high
    if kind == "object":
        values: st.SearchStrategy[Any] = st.dictionaries(
            st.sampled_from(("a", "b", "k", "x", "ñ")), items, min_size=low, max_size=high
        )
        breaks_of = {
            "minLength": json.dumps({f"k{i}": i for i in range(low - 1)}),
            "maxLength": json.dumps({f"k{i}": i for i in range(high + 1)}),
        }
        bad = ("[1, 2]", "{bad", "1", '"s"', "null")
    else:
        values = st.lists(items, min_size=low, max_size=high)
        breaks_of = {
            "minLength": json.dumps(list(range(low - 1))),
            "maxLength": json.dumps(list(range(high + 1))),
        }
        bad = ('{"a": 1}', "[1,", "1", '"s"', "null")
    for key in constraints:
        breaks[key] = st.just(breaks_of[key])
    as_json = st.tuples(values, st.booleans()).map(
        lambda t: json.dumps(t[0], ensure_ascii=t[1], separators=(",", ":") if t[1] else None)
    )
    return _Column(
        name,
        kind,
        descriptor,
        as_json.filter(lambda s: ctx.fits(s, missing)).map(lambda s: (s, s)),
        missing,
        bad=_not_in(missing, bad),
        breaks=breaks,
        lenient=as_json.map(lambda s: " " + s),
    )


def _any_column(spec: _FieldSpec) -> st.SearchStrategy[_Column]:
    name, descriptor, ctx, missing = spec.name, spec.descriptor, spec.ctx, spec.missing
    values = st.text(st.sampled_from(ctx.alphabet()), max_size=6)
    column = _Column(
        name,
        "any",
        descriptor,
        values.filter(lambda s: ctx.fits(s, missing)).map(lambda s: (s, s)),
        missing,
    )
    return st.just(column)


_BUILDERS: dict[str, Builder] = {
    "string": _string_column,
    "integer": _integer_column,
    "number": _number_column,
    "boolean": _boolean_column,
    "date": _date_column,
    "time": _time_column,
    "datetime": _datetime_column,
    "year": _year_column,
    "yearmonth": _yearmonth_column,
    "duration": _duration_column,
    "geopoint": _geopoint_column,
    "object": _json_column,
    "array": _json_column,
    "any": _any_column,
}


# --- tables ---------------------------------------------------------------------------


@dataclass
class _Row:
    """The cells of one CSV record, and the defects injected into it."""

    cells: list[str]
    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Dialect:
    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    header: bool = True
    line_terminator: str = "\r\n"
    declared: dict[str, Any] | None = None


@dataclass
class _Table:
    name: str
    columns: list[_Column]
    rows: list[_Row]
    dialect: _Dialect
    encoding: str
    declare_encoding: bool
    bom: bool
    missing: tuple[str, ...]
    declare_missing: bool
    primary_key: list[str] = field(default_factory=list)
    unique_keys: list[list[str]] = field(default_factory=list)
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    label_tags: list[str] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    key_identities: set[tuple[Hashable, ...]] = field(default_factory=set)
    core: bool = False

    def column(self, name: str) -> _Column:
        return next(column for column in self.columns if column.name == name)

    def key_cells(self, names: list[str], row: _Row) -> tuple[str, ...]:
        positions = [self.position(name) for name in names]
        return tuple(row.cells[position] for position in positions)

    def position(self, name: str) -> int:
        return [column.name for column in self.columns].index(name)


@st.composite
def _dialect(draw: st.DrawFn, version: str, *, core: bool) -> _Dialect:
    terminator = draw(st.sampled_from(("\r\n", "\n")))
    if draw(st.integers(0, 2)) == 0:
        return _Dialect(line_terminator=terminator)
    if core:
        # The default dialect, some of it declared.
        defaults = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
        keys = draw(st.lists(st.sampled_from(sorted(defaults)), unique=True))
        declared = {key: defaults[key] for key in keys}
        if draw(st.booleans()):
            declared["lineTerminator"] = terminator
        return _Dialect(line_terminator=terminator, declared=declared)
    delimiter = draw(st.sampled_from(DELIMITERS))
    quote = draw(st.sampled_from(('"', '"', "'")))
    double = draw(st.integers(0, 3)) > 0
    header = draw(st.integers(0, 3)) > 0
    declared: dict[str, Any] = {}
    # The defaults are declared sometimes, the others always.
    for key, value, default in (
        ("delimiter", delimiter, ","),
        ("quoteChar", quote, '"'),
        ("doubleQuote", double, True),
        ("header", header, True),
        ("lineTerminator", terminator, "\r\n"),
    ):
        if value != default or draw(st.integers(0, 2)) == 0:
            declared[key] = value
    escape = None
    if not double:
        # Without an escape character frictionless ignores doubleQuote: false.
        escape = "\\"
        declared["escapeChar"] = escape
    if version == "v1" and draw(st.integers(0, 4)) == 0:
        declared["csvddfVersion"] = 1.2
    return _Dialect(delimiter, quote, double, escape, header, terminator, declared)


@st.composite
def _table(
    draw: st.DrawFn,
    name: str,
    version: str,
    earlier: list[_Table],
    *,
    max_rows: int,
    core: bool,
) -> _Table:
    encoding = "utf-8" if core else draw(st.sampled_from(("utf-8", "utf-8", "latin-1")))
    declare_missing = draw(st.booleans())
    missing: tuple[str, ...] = ("",)
    if declare_missing:
        missing = draw(st.sampled_from((("",), *MISSING_VALUE_SETS)))
    ctx = _Context(version, encoding, missing, draw(st.integers(0, 4)) == 0, core)
    dialect = draw(_dialect(version, core=core))
    n_rows = draw(st.integers(1 if not dialect.header else 0, max_rows))
    n_key = draw(st.sampled_from((0, 1, 1, 2)))
    n_other = draw(st.integers(0 if n_key else 1, 5))
    columns = [draw(_column(f"{name}_k{i}", ctx, keyable=True)) for i in range(n_key)] + [
        draw(_column(f"{name}_f{i}", ctx, keyable=False)) for i in range(n_other)
    ]
    for position, column in enumerate(columns):
        column.descriptor["name"] = column.name = f"c{position}_{column.kind}"
    table = _Table(
        name,
        columns,
        [],
        dialect,
        encoding,
        declare_encoding=encoding != "utf-8" or draw(st.booleans()),
        bom=encoding == "utf-8" and draw(st.integers(0, 9)) == 0,
        missing=missing,
        declare_missing=declare_missing,
        core=core,
    )
    keys = [column.name for column in columns[:n_key]]
    if keys:
        table.primary_key = keys
        if len(keys) == 1 and draw(st.booleans()):
            columns[0].descriptor.setdefault("constraints", {})["required"] = True
    extra_unique = [
        c.name for c in columns[n_key:] if c.keyable and not c.unique and not c.required
    ]
    if version == "v2" and extra_unique and draw(st.integers(0, 2)) == 0:
        table.unique_keys = [
            draw(st.lists(st.sampled_from(extra_unique), min_size=1, max_size=2, unique=True))
        ]
    grid = _draw_cells(draw, table, n_rows)
    table.rows = [_Row(cells) for cells in grid]
    _draw_foreign_keys(draw, table, earlier, version)
    order = draw(st.permutations(range(len(table.columns))))
    table.columns = [table.columns[i] for i in order]
    for row in table.rows:
        row.cells = [row.cells[i] for i in order]
    table.labels = [column.name for column in table.columns]
    return table


def _draw_cells(draw: st.DrawFn, table: _Table, n_rows: int) -> list[list[str]]:
    """Valid cells for every column: keys jointly unique, unique columns unique, missing
    values only where a field may be missing, and never in every cell of a row (that
    would be a blank row, an error)."""
    grid: list[list[str]] = [[""] * len(table.columns) for _ in range(n_rows)]
    kept: list[list[str]] = [[""] * len(table.columns) for _ in range(n_rows)]
    holes: list[set[int]] = [set() for _ in range(n_rows)]
    done: set[str] = set()
    for group in [table.primary_key, *table.unique_keys]:
        if not group:
            continue
        group_columns = [table.column(name) for name in group]
        tuples = draw(
            st.lists(
                st.tuples(*[column.values for column in group_columns]),
                min_size=n_rows,
                max_size=n_rows,
                unique_by=lambda cells: tuple(identity for _raw, identity in cells),
            )
        )
        for row, cells in zip(grid, tuples, strict=True):
            for name, (raw, _identity) in zip(group, cells, strict=True):
                row[table.position(name)] = raw
        if group is table.primary_key:
            table.key_identities = {tuple(identity for _raw, identity in t) for t in tuples}
        done.update(group)
    for position, column in enumerate(table.columns):
        if column.name in done:
            continue
        if column.unique:
            cells = draw(
                st.lists(column.values, min_size=n_rows, max_size=n_rows, unique_by=lambda c: c[1])
            )
        else:
            cells = draw(st.lists(column.values, min_size=n_rows, max_size=n_rows))
        for number, (raw, _identity) in enumerate(cells):
            kept[number][position] = grid[number][position] = raw
            if not column.required and draw(st.integers(0, 4)) == 0:
                grid[number][position] = draw(st.sampled_from(column.missing))
                holes[number].add(position)
    for number, row in enumerate(grid):
        if len(holes[number]) == len(row):
            position = draw(st.sampled_from(sorted(holes[number])))
            row[position] = kept[number][position]
    return grid


def _draw_foreign_keys(draw: st.DrawFn, table: _Table, earlier: list[_Table], version: str) -> None:
    """Zero to two foreign keys: to the primary key of an earlier table or of this one.

    The referencing fields are copies of the referenced ones (same type and options, no
    constraints); their cells are the referenced keys, written the same way, or missing.
    """
    targets = [t for t in earlier if t.primary_key and t.rows]
    if table.primary_key and table.rows:
        targets.append(table)
    for number in range(draw(st.integers(0, min(2, len(targets))))):
        target = draw(st.sampled_from(targets))
        # Keys this table's encoding can write (a latin-1 file cannot refer to "中").
        keys = [
            cells
            for cells in (target.key_cells(target.primary_key, row) for row in target.rows)
            if all(_encodable(cell, table.encoding) for cell in cells)
        ]
        if not keys:
            continue
        fields: list[str] = []
        for key in target.primary_key:
            source = target.column(key)
            descriptor = {
                k: v
                for k, v in source.descriptor.items()
                if k not in ("constraints", "missingValues")
            }
            name = f"fk{number}_{key}"
            descriptor["name"] = name
            copy = _Column(
                name,
                source.kind,
                descriptor,
                source.values,
                table.missing,
                bad=source.bad,
                lenient=source.lenient,
                keyable=True,
            )
            table.columns.append(copy)
            fields.append(name)
        for row in table.rows:
            # Never missing where the rest of the row is, which would make a blank row.
            if draw(st.integers(0, 4)) == 0 and not _blank(table, row):
                row.cells.extend(draw(st.sampled_from(table.missing)) for _ in fields)
            else:
                row.cells.extend(draw(st.sampled_from(keys)))
        reference: dict[str, Any] = {"fields": list(target.primary_key)}
        if target is not table:
            reference["resource"] = target.name
        elif version == "v1":
            reference["resource"] = ""
        spec: dict[str, Any] = {"fields": fields, "reference": reference}
        if version == "v1" and len(fields) == 1 and draw(st.booleans()):
            spec = {
                "fields": fields[0],
                "reference": {**reference, "fields": reference["fields"][0]},
            }
        table.foreign_keys.append(spec)
        table.features.add("foreignKey:self" if target is table else "foreignKey:other")
        if len(fields) > 1:
            table.features.add("foreignKey:composite")


def _blank(table: _Table, row: _Row) -> bool:
    return all(
        cell in column.missing for column, cell in zip(table.columns, row.cells, strict=False)
    )


# --- defects --------------------------------------------------------------------------

DEFECT_KINDS = (
    "type",
    "constraint",
    "unique",
    "unique-variant",
    "primary-key",
    "primary-key-null",
    "unique-keys",
    "foreign-key",
    "foreign-key-variant",
    "blank-row",
    "extra-cell",
    "missing-cell",
    "label",
    "lenient",
)


@st.composite
def _inject(draw: st.DrawFn, kind: str, table: _Table, tables: list[_Table]) -> str | None:
    """One defect of ``kind`` (not a label one) into ``table``; its name, or None when
    the table has no place for it."""
    rows = table.rows
    columns = table.columns
    data_rows = [row for row in rows if len(row.cells) == len(columns)]
    if kind == "type":
        candidates = [c for c in columns if c.bad]
        if not candidates or not data_rows:
            return None
        column = draw(st.sampled_from(candidates))
        row = draw(st.sampled_from(data_rows))
        row.cells[table.position(column.name)] = draw(st.sampled_from(column.bad))
        row.tags.append(f"type:{column.kind}")
        return f"type:{column.kind}"
    if kind == "constraint":
        candidates = [c for c in columns if c.breaks]
        if not candidates or not data_rows:
            return None
        column = draw(st.sampled_from(candidates))
        constraint = draw(st.sampled_from(sorted(column.breaks)))
        row = draw(st.sampled_from(data_rows))
        row.cells[table.position(column.name)] = draw(column.breaks[constraint])
        row.tags.append(f"constraint:{constraint}:{column.kind}")
        return f"constraint:{constraint}"
    if kind in ("unique", "unique-variant"):
        candidates = [c for c in columns if c.unique or [c.name] == table.primary_key]
        if not candidates or len(data_rows) < 2:
            return None
        column = draw(st.sampled_from(candidates))
        first, second = draw(
            st.lists(st.sampled_from(data_rows), min_size=2, max_size=2, unique_by=id)
        )
        position = table.position(column.name)
        value = first.cells[position]
        if value in column.missing:
            value = draw(column.values)[0]
            first.cells[position] = value
        if kind == "unique-variant":
            value = _variant(column, value)
        second.cells[position] = value
        second.tags.append(f"{kind}:{column.kind}")
        return kind
    if kind in ("primary-key", "unique-keys"):
        groups = [table.primary_key] if kind == "primary-key" else table.unique_keys
        groups = [g for g in groups if g]
        if not groups or len(data_rows) < 2:
            return None
        group = draw(st.sampled_from(groups))
        first, second = draw(
            st.lists(st.sampled_from(data_rows), min_size=2, max_size=2, unique_by=id)
        )
        for name in group:
            second.cells[table.position(name)] = first.cells[table.position(name)]
        second.tags.append(kind)
        return kind
    if kind == "primary-key-null":
        if not table.primary_key or not data_rows:
            return None
        row = draw(st.sampled_from(data_rows))
        names = draw(st.lists(st.sampled_from(table.primary_key), min_size=1, unique=True))
        for name in names:
            row.cells[table.position(name)] = draw(st.sampled_from(table.column(name).missing))
        tag = "all" if len(names) == len(table.primary_key) else "part"
        row.tags.append(f"primary-key-null:{tag}")
        return f"primary-key-null:{tag}"
    if kind in ("foreign-key", "foreign-key-variant"):
        if not table.foreign_keys or not data_rows:
            return None
        spec = draw(st.sampled_from(table.foreign_keys))
        fields = spec["fields"] if isinstance(spec["fields"], list) else [spec["fields"]]
        row = draw(st.sampled_from(data_rows))
        fk_columns = [table.column(name) for name in fields]
        if kind == "foreign-key":
            target_name = spec["reference"].get("resource") or table.name
            target = next(t for t in tables if t.name == target_name)
            known = target.key_identities
            fresh = draw(
                st.tuples(*[column.values for column in fk_columns]).filter(
                    lambda cells: (
                        tuple(identity for _raw, identity in cells) not in known
                        and all(_encodable(raw, table.encoding) for raw, _identity in cells)
                    )
                )
            )
            for column, cell in zip(fk_columns, fresh, strict=True):
                row.cells[table.position(column.name)] = cell[0]
        else:
            for column in fk_columns:
                position = table.position(column.name)
                row.cells[position] = _variant(column, row.cells[position])
        row.tags.append(kind)
        return kind
    if kind == "blank-row":
        how = draw(st.sampled_from(("empty-line", "delimiters", "missing-values")))
        if how == "empty-line":
            cells: list[str] = []
        elif how == "delimiters":
            cells = [""] * len(columns)
        else:
            cells = [draw(st.sampled_from(column.missing)) for column in columns]
        at = draw(st.integers(0, len(rows)))
        rows.insert(at, _Row(cells, [f"blank-row:{how}"]))
        return f"blank-row:{how}"
    if kind == "extra-cell":
        if not rows:
            return None
        row = draw(st.sampled_from(rows))
        row.cells.append(draw(st.sampled_from(("", "extra", "1"))))
        row.tags.append("extra-cell")
        return "extra-cell"
    if kind == "missing-cell":
        candidates = [row for row in rows if len(row.cells) > 1]
        if not candidates:
            return None
        row = draw(st.sampled_from(candidates))
        drop = draw(st.integers(1, len(row.cells) - 1))
        del row.cells[-drop:]
        row.tags.append("missing-cell")
        return "missing-cell"
    # lenient: a fresh value written another way, away from keys (where it could repeat
    # or dangle); the variants of a key's own value are unique-variant and
    # foreign-key-variant.
    keys = set(table.primary_key) | {name for group in table.unique_keys for name in group}
    for spec in table.foreign_keys:
        keys.update(spec["fields"] if isinstance(spec["fields"], list) else [spec["fields"]])
    candidates = [
        c for c in columns if c.lenient is not None and not c.unique and c.name not in keys
    ]
    if not candidates or not data_rows:
        return None
    column = draw(st.sampled_from(candidates))
    row = draw(st.sampled_from(data_rows))
    lenient = column.lenient
    assert lenient is not None
    cell = draw(lenient.filter(lambda s: s not in column.missing and _encodable(s, table.encoding)))
    row.cells[table.position(column.name)] = cell
    row.tags.append(f"lenient:{column.kind}")
    return f"lenient:{column.kind}"


def _variant(column: _Column, raw: str) -> str:
    """The same value written another way, where the type allows one (``1`` as ``01``)."""
    if raw in column.missing:
        return raw
    if column.kind in ("integer", "number") and column.descriptor.get("bareNumber", True):
        if raw.startswith("-"):
            return "-0" + raw[1:]
        return "0" + raw
    if column.kind == "year":
        return " " + raw
    if column.kind == "date":
        year, month, day = raw.split("-")
        return f"{year}-{int(month)}-{int(day)}"
    return raw + " "


@st.composite
def _label_defect(draw: st.DrawFn, table: _Table) -> str | None:
    if not table.dialect.header or not table.labels:
        return None
    how = draw(
        st.sampled_from(
            (
                "drop-column",
                "drop-label",
                "extra-column",
                "extra-label",
                "duplicate",
                "renamed",
                "blank",
                "case",
                "whitespace",
            )
        )
    )
    labels = table.labels
    position = draw(st.integers(0, len(labels) - 1))
    if how == "drop-column":
        if len(labels) < 2:
            return None
        del labels[position]
        for row in table.rows:
            if len(row.cells) > position:
                del row.cells[position]
    elif how == "drop-label":
        labels.pop()
    elif how in ("extra-column", "extra-label"):
        labels.insert(position, "extra")
        if how == "extra-column":
            for row in table.rows:
                if len(row.cells) >= position and row.cells:
                    row.cells.insert(position, "x")
    elif how == "duplicate":
        if len(labels) < 2:
            return None
        other = draw(st.integers(0, len(labels) - 1).filter(lambda i: i != position))
        labels[position] = labels[other]
    elif how == "renamed":
        labels[position] = labels[position] + "_renamed"
    elif how == "blank":
        labels[position] = ""
    elif how == "case":
        labels[position] = labels[position].upper()
    else:
        labels[position] = f" {labels[position]} "
    table.label_tags.append(f"label:{how}")
    return f"label:{how}"


# --- files ----------------------------------------------------------------------------


def _csv_bytes(table: _Table) -> bytes:
    dialect = table.dialect
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        delimiter=dialect.delimiter,
        quotechar=dialect.quote_char,
        doublequote=dialect.double_quote,
        escapechar=dialect.escape_char,
        lineterminator=dialect.line_terminator,
        quoting=csv.QUOTE_MINIMAL,
    )
    if dialect.header:
        writer.writerow(table.labels)
    for row in table.rows:
        writer.writerow(row.cells)
    data = buffer.getvalue().encode(table.encoding)
    return (b"\xef\xbb\xbf" if table.bom else b"") + data


def _schema(table: _Table, version: str, draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if version == "v2" and draw(st.integers(0, 3)) == 0:
        schema["$schema"] = V2_SCHEMA
    schema["fields"] = [column.descriptor for column in table.columns]
    if table.declare_missing:
        objects = version == "v2" and not table.core and "NA" in table.missing
        if objects and draw(st.integers(0, 3)) == 0:
            schema["missingValues"] = [
                {"value": value, "label": "not available"} if value == "NA" else {"value": value}
                for value in table.missing
            ]
        else:
            schema["missingValues"] = list(table.missing)
    if table.primary_key:
        single = len(table.primary_key) == 1 and version == "v1" and draw(st.booleans())
        schema["primaryKey"] = table.primary_key[0] if single else list(table.primary_key)
    if table.unique_keys:
        schema["uniqueKeys"] = [list(group) for group in table.unique_keys]
    if table.foreign_keys:
        schema["foreignKeys"] = table.foreign_keys
    return schema


@st.composite
def data_packages(
    draw: st.DrawFn,
    *,
    min_defects: int = 0,
    max_defects: int = 3,
    max_resources: int = 3,
    max_rows: int = 8,
    core: bool = False,
) -> GeneratedPackage:
    """A small Data Package with ``min_defects..max_defects`` defects injected.

    At most ``max_resources`` (1-3) tables of at most ``max_rows`` (≤ 30) rows each. With
    ``max_defects=0`` the package is valid by the spec (and by frictionless, whose known
    quirks the generator steers clear of). With ``core``, only the core field types
    (string, integer, number, boolean) in their default formats and options, in UTF-8
    CSV files of the default dialect (declared in part, or not at all): the tables most
    packages have, which a validator may well read its own fast way.
    """
    if not 1 <= max_resources <= 3 or max_rows > 30:
        raise ValueError("at most 3 resources and 30 rows: the packages must stay tiny")
    version = draw(st.sampled_from(("v1", "v2")))
    tables: list[_Table] = []
    for index in range(draw(st.integers(1, max_resources))):
        tables.append(draw(_table(f"r{index}", version, tables, max_rows=max_rows, core=core)))
    defects: list[str] = []
    # Header defects come last, as they move the cells the others are aimed at.
    headers: list[_Table] = []
    wanted = draw(st.integers(min_defects, max_defects))
    attempts = 0
    while len(defects) + len(headers) < wanted and attempts < 4 * wanted + 4:
        attempts += 1
        table = draw(st.sampled_from(tables))
        kind = draw(st.sampled_from(DEFECT_KINDS))
        if kind == "label":
            headers.append(table)
            continue
        defect = draw(_inject(kind, table, tables))
        if defect is not None:
            defects.append(f"{table.name}:{defect}")
    for table in headers:
        defect = draw(_label_defect(table))
        if defect is not None:
            defects.append(f"{table.name}:{defect}")
    return _assemble(draw, version, tables, tuple(defects))


def _assemble(
    draw: st.DrawFn, version: str, tables: list[_Table], defects: tuple[str, ...]
) -> GeneratedPackage:
    files: dict[str, bytes] = {}
    resources: list[dict[str, Any]] = []
    features: set[str] = {version}
    row_tags: dict[tuple[str, int], tuple[str, ...]] = {}
    label_tags: dict[str, tuple[str, ...]] = {}
    package_profile = None
    if version == "v1":
        package_profile = draw(st.sampled_from((None, "data-package", "tabular-data-package")))
    for table in tables:
        path = f"{table.name}.csv"
        files[path] = _csv_bytes(table)
        resource: dict[str, Any] = {"name": table.name}
        if version == "v2":
            resource["type"] = "table"
            if draw(st.integers(0, 3)) == 0:
                resource["$schema"] = V2_RESOURCE
        elif package_profile == "tabular-data-package" or draw(st.booleans()):
            resource["profile"] = "tabular-data-resource"
        resource["path"] = path
        if draw(st.booleans()):
            resource["format"] = "csv"
        if draw(st.integers(0, 2)) == 0:
            resource["mediatype"] = "text/csv"
        if table.declare_encoding:
            resource["encoding"] = table.encoding
        if table.dialect.declared is not None:
            resource["dialect"] = table.dialect.declared
        schema = _schema(table, version, draw)
        if draw(st.integers(0, 3)) == 0:
            schema_path = f"{table.name}.schema.json"
            files[schema_path] = json.dumps(schema, indent=2, ensure_ascii=False).encode()
            resource["schema"] = schema_path
            features.add("schema-file")
        else:
            resource["schema"] = schema
        resources.append(resource)
        features.update(_table_features(table))
        first = 2 if table.dialect.header else 1
        for number, row in enumerate(table.rows, start=first):
            if row.tags:
                row_tags[table.name, number] = tuple(row.tags)
        if table.label_tags:
            label_tags[table.name] = tuple(table.label_tags)
    descriptor: dict[str, Any] = {}
    if version == "v2":
        descriptor["$schema"] = V2_PACKAGE
    elif package_profile is not None:
        descriptor["profile"] = package_profile
    descriptor["name"] = "generated"
    descriptor["resources"] = resources
    return GeneratedPackage(descriptor, files, frozenset(features), defects, row_tags, label_tags)


def _table_features(table: _Table) -> set[str]:
    dialect = table.dialect
    features = {f"type:{column.kind}" for column in table.columns}
    features |= {
        f"format:{column.descriptor['format']}"
        for column in table.columns
        if column.descriptor.get("format", "default") != "default"
    }
    for column in table.columns:
        for constraint in column.descriptor.get("constraints", {}):
            features.add(f"constraint:{constraint}")
        for option in ("groupChar", "decimalChar", "bareNumber", "trueValues", "missingValues"):
            if option in column.descriptor:
                features.add(f"field:{option}")
        if "type" not in column.descriptor:
            features.add("field:no-type")
    features.add("dialect:declared" if dialect.declared is not None else "dialect:none")
    if table.core:
        features.add("core")
    features.add(f"delimiter:{dialect.delimiter!r}")
    if dialect.quote_char != '"':
        features.add("quoteChar:'")
    if not dialect.double_quote:
        features.add("doubleQuote:false")
    if not dialect.header:
        features.add("header:false")
    features.add(f"encoding:{table.encoding}")
    if table.bom:
        features.add("bom")
    if not table.declare_encoding:
        features.add("encoding:undeclared")
    if table.missing != ("",):
        features.add("missingValues:custom")
    if table.primary_key:
        features.add("primaryKey:composite" if len(table.primary_key) > 1 else "primaryKey")
    if table.unique_keys:
        features.add("uniqueKeys")
    features.update(table.label_tags)
    features.update(table.features)
    if any("\n" in cell for row in table.rows for cell in row.cells):
        features.add("multiline")
    return features


def valid_packages(**options: Any) -> st.SearchStrategy[GeneratedPackage]:
    """Packages without defects: valid for the spec and for frictionless."""
    return data_packages(min_defects=0, max_defects=0, **options)
