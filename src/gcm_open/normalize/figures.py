"""Figures: the quantities a practice prints, in digits or in Spanish number words.

A figure is a number with what it counts (its unit, as printed), its kind (``count``,
``money``, ``percent``, ``duration``, ``other``) and, for money, its currency. Numbers
that are not quantities are left out, each by a named rule: years, dates and periods,
times of day, ordinals and list numbers, identifiers (``artículo 33``, ``COVID-19``,
``G20``, phone numbers, numbers in URLs), footnote markers glued to words. A number none
of these rules explains and that cannot be read is returned as unread, for the build to
warn about: no number is skipped in silence.

Number words are read by ``text2num`` (``dos mil quinientas`` -> 2500).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from text_to_num import text2num

from gcm_open.normalize.geography import country_matcher, state_matcher
from gcm_open.normalize.links import urls_in
from gcm_open.normalize.populations import population_matches
from gcm_open.normalize.text import Tokens, fold, word_alternation
from gcm_open.schemas import load_schema

# The parts of a practice whose quantities are figures (a title names, it does not report).
PARTS = load_schema("practice_figures").enum("part")


def _words(text: str) -> list[str]:
    return text.split()


def _wordset(text: str) -> frozenset[str]:
    """The words of ``text``, folded as the text's words are compared."""
    return frozenset(fold(word) for word in text.split())


_MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre"
)
# Spanish cardinal words, longest first so that the alternation takes whole words.
_NUMBER_WORDS = sorted(
    _words(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
        "dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiún veintiun "
        "veintiuno veintiuna veintidós veintidos veintitrés veintitres veinticuatro "
        "veinticinco veintiséis veintiseis veintisiete veintiocho veintinueve treinta "
        "cuarenta cincuenta sesenta setenta ochenta noventa cien ciento doscientos doscientas "
        "trescientos trescientas cuatrocientos cuatrocientas quinientos quinientas "
        "seiscientos seiscientas setecientos setecientas ochocientos ochocientas novecientos "
        "novecientas mil millón millon millones"
    ),
    key=lambda word: (-len(word), word),
)
_WORD = word_alternation(_NUMBER_WORDS)
_DATE_WORD = word_alternation([*_NUMBER_WORDS, "primero", "veintiuno"])
# A run of number words ("dos mil quinientas", "treinta y dos"); "un"/"una" open it only
# before "mil" or "millón(es)": alone they are articles.
_TENS = ("treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa")
_WORDS_RUN = re.compile(
    # The lookahead on first letters lets most places of a text fail at once.
    rf"(?<![\w-])(?=[cdmnoqstuvCDMNOQSTUV])"
    rf"(?:(?:un|una)(?=\s+(?:mil|mill[oó]n(?:es)?)\b)|(?:{_WORD})\b)"
    # "y" joins a ten and a unit ("treinta y dos"); elsewhere it joins two numbers
    # ("dos y tres personas").
    rf"(?:\s+(?:{_WORD})\b|(?:{'|'.join(f'(?<={ten})' for ten in _TENS)})\s+y\s+"
    rf"(?:{word_alternation(['uno', 'una', 'un', *_NUMBER_WORDS])})\b)*",
    re.IGNORECASE,
)
# A number in digits: Mexican grouping with commas ("42,799", "1,234.50"; "1, 332, 320"
# where the text extraction put a space after a comma, unless a list goes on: "460, 454
# y 454"), a "$ 2 500
# 000" grouped with spaces after a currency sign, a decimal, or a run of digits. Not
# glued to a word, a hyphen, a slash or a colon (identifiers, dates, times, markers).
_DIGITS = re.compile(
    # The lookahead lets the places where no number starts fail at once.
    r"(?=[\dU$])(?<![\w.,/:#°º-])"
    r"(?P<sign>(?:US|U\.S\.)?\$\s?)?"
    r"(?P<number>(?<=\$)\d{1,3}(?:[ \u00a0]\d{3})+(?![\d,])"
    r"|(?<=\$ )\d{1,3}(?:[ \u00a0]\d{3})+(?![\d,])"
    r"|\d{1,3}(?:, ?\d{3}(?!\d))*, \d{3}(?!\d)(?:,\d{3}(?!\d))*(?:\.\d+)?"
    r"(?!\s*(?:,|y|o|e)\s*\d|\s\d)"
    r"|\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?![\w°ºª/:-]|[.,]\d)|(?=(?:kg|km|ton)\b))"
)
# Every run of digits, to account for each: a figure, or left out by a rule, or unread.
_ANY_DIGITS = re.compile(r"\d+(?:[.,:/-]\d+)*")
_MULTIPLIER = re.compile(
    r"\s*(?P<word>mil(?:\s+millones)?|millones|millón|millon|mdp|mdd)\b(?P<of>\s+de)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"mil": 1_000, "millones": 1_000_000, "millón": 1_000_000, "millon": 1_000_000}
_OF_AFTER = re.compile(r"\s+de\b")
# "cinco (5) talleres": the number repeated in digits.
_IN_BRACKETS = re.compile(r"\s*\((\d+)\)")
_WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")
# The "por" of "por ciento", before the number words "ciento" or "cien".
_POR_BEFORE = re.compile(r"\bpor\s+$")
_UNITS_AFTER_MIL = re.compile(r"\s+(\d{1,3})(?![\d,.]\d|[\w%])")
# Past this, a run of digits is an identifier or a misprint, and floats lose digits.
_LARGEST = 1e15
_PERCENT = re.compile(r"\s?(?:%|por\s+ciento\b)", re.IGNORECASE)

# The words a number of an identifier follows ("artículo 33", "Fase 2", "C.P. 06600").
_IDENTIFIER_WORD = word_alternation(
    [
        *_words(
            "artículo artículos articulo articulos art. arts. fracción fracciones fraccion "
            "numeral numerales inciso incisos apartado apartados párrafo párrafos parrafo "
            "parrafos capítulo capítulos capitulo capitulos sección seccion tomo volumen anexo "
            "anexos objetivo objetivos meta metas ods agenda fase etapa módulo modulo nivel "
            "número numero núm. num. no. versión version edición edicion generación generacion "
            "lote folio oficio expediente regla norma nom decreto acuerdo pág. págs. pag. pags. "
            "p. pp. foja punto opción opcion distrito ruta carretera km km. kilómetro kilometro "
            "estación estacion grupo sala aula c.p. cp"
        ),
        *("instrucción de trabajo", "instruccion de trabajo", "código postal", "codigo postal"),
    ]
)

# What makes a number something other than a quantity, each span so matched left out;
# with how far before and after a number each is looked for (the longest date, list of
# articles or phone number this series prints fits).
_LEFT_OUT = (
    (
        "date",
        re.compile(
            # The lookahead lets the places where no date starts fail at once.
            rf"(?=[\dcdmnoqstuvpCDMNOQSTUVP])"
            rf"(?:(?<![\w,.])\d{{1,2}}(?:°|º|o\b)?(?:\s*(?:,|y|al|a|-)\s*\d{{1,2}}(?:°|º)?)*"
            rf"\s+(?:de\s+)?(?:{_MONTHS})\b"
            rf"|\b(?=[cdmnoqstuvpCDMNOQSTUVP])(?:{_DATE_WORD})\s+(?:de\s+(?:{_MONTHS})|del\s+(?:año|mes))\b"
            r"|\b\d{1,2}([/-])\d{1,2}\1\d{2,4}\b)",
            re.IGNORECASE,
        ),
        30,
        30,
    ),
    ("time of day", re.compile(r"\b\d{1,2}:\d{2}\b|\ba\s+las\s+\d{1,2}\b", re.I), 8, 12),
    (
        "time of day",
        re.compile(r"\b\d{1,2}\s?(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b|hrs\b\.?)", re.IGNORECASE),
        0,
        12,
    ),
    (
        "phone number",
        re.compile(
            r"(?=[\d(tleTLE])"
            r"(?:(?:\(\d{2,3}\)\s?|\b01\s?)?\b\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}\b"
            r"|\b(?:tel[eé]fono|tel\.|l[ií]nea|ext\.|extensi[oó]n)\s*:?\s*[\d\s()-]{3,}\d)",
            re.IGNORECASE,
        ),
        30,
        30,
    ),
    (
        "identifier",
        re.compile(
            rf"(?=[a-pr-vA-PR-V])\b(?:{_IDENTIFIER_WORD})"
            r"\s+\d+(?:[.-]\d+)*(?:\s*(?:,|y|e|o|al|a)\s*\d+(?:[.-]\d+)*)*",
            re.IGNORECASE,
        ),
        60,
        30,
    ),
    ("emergency number", re.compile(r"\b(?:9-?1-?1|0-?8-?9|0-?8-?8)\b"), 4, 6),
    # A list number: at a line's start ("1.", "2)"), or "1)" in running text.
    ("list number", re.compile(r"(?m)^\s*\(?\d{1,2}\s?[.)-](?=\s|$)|(?<![(\d\w])\d{1,2}\)"), 8, 5),
    ("ordinal", re.compile(r"\b\d+\s?(?:°|º|ª|er\b|ra\b|do\b|to\b|vo\b|a\.|o\.)"), 0, 8),
)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# The words that end a unit, and those it may not begin with.
_STOP = _wordset(
    "y e o u ni en a al con que para por sobre entre desde hasta se los las el la lo le "
    "les su sus como durante mediante cada más mas menos ya no fue fueron han ha son es "
    "era eran está están del de un una uno esto este esta estos estas ese esa dicho "
    "dichos dichas cual cuales donde cuando quien quienes través respectivamente "
    "aproximadamente total mismo misma mismos mismas"
)
# Heads after which "de" continues a unit ("horas de capacitación", "casos de trata").
_OF_HEADS = _wordset(
    "hora horas día días semana semanas mes meses año años minuto minutos sesión sesiones "
    "curso cursos taller talleres jornada jornadas caso casos solicitud solicitudes "
    "tonelada toneladas kilo kilos litro litros metro metros hectárea hectáreas carpeta "
    "carpetas acta actas constancia constancias certificado certificados tarjeta tarjetas "
    "módulo módulos centro centros red redes becas beca cartilla cartillas paquete "
    "paquetes kit kits oficina oficinas grupo grupos víctima víctimas vale vales programa "
    "programas ventanilla ventanillas unidad unidades trámite trámites expediente "
    "expedientes"
)
_DURATION = _wordset(
    "hora horas día días dia dias semana semanas mes meses año años minuto minutos"
)
_MEASURE = _wordset(
    "km kilómetro kilómetros metro metros tonelada toneladas hectárea hectáreas litro "
    "litros kilo kilos kg"
)
_CURRENCY_WORDS = {
    "peso": "MXN",
    "pesos": "MXN",
    "mxn": "MXN",
    "mdp": "MXN",
    "dólar": "USD",
    "dólares": "USD",
    "dolar": "USD",
    "dolares": "USD",
    "usd": "USD",
    "mdd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
}
_AGE_BEFORE = re.compile(
    r"(?:mayor(?:es)?|menor(?:es)?|menos|hasta|edad(?:es)?|entre|rango)\s+(?:de\s+)?"
    r"(?:los\s+)?(?:\d+\s+(?:a|y)\s+(?:los\s+)?)?$"
    r"|\bde\s+\d+\s+(?:a|y)\s+(?:los\s+)?$"
    r"|\b(?:personas?|niñ[oa]s?|jóvenes|mujer(?:es)?|hombres?|adolescentes|población)\s+de\s+$",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(
    r"\s+(?:de\s+edad|(?:reci[eé]n\s+)?cumplidos|y\s+m[aá]s)\b"
    r"|\s+(?:a|y|hasta(?:\s+los)?)\s+\d+\s+años",
    re.IGNORECASE,
)
# Words before a number of years that make it an age ("grupos etarios: 8 hasta los 11").
_AGE_WORDS = re.compile(r"\b(?:etari[oa]s?|edad(?:es)?)\b", re.IGNORECASE)
# "de 12 a 17 años", "entre 10 y 15 personas": the first number takes the second's unit.
_RANGE_TO = re.compile(
    r"\s+(?:a|y|al|o|hasta(?:\s+(?:los|las|el))?)\s+(?=\d|[^\W\d_])", re.IGNORECASE
)
_UNIT_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d+")
# The spaces after a sentence's mark (group 1), or a line break. Opening with the mark,
# not a lookbehind for it, lets the engine scan for the marks in C.
_SENTENCE_END = re.compile(r"[.!?;:](\s+)(?=[A-ZÁÉÍÓÚÑ¿¡•●\d(])|\n+")
_CONTEXT_CHARS = 240
_MONTH_WORDS = frozenset(_MONTHS.split("|"))


@dataclass(frozen=True)
class Figure:
    """A quantity printed in a text: where it is, what it says, and the sentence around it."""

    start: int
    end: int
    printed: str
    value: float
    unit: str | None
    kind: str
    currency: str | None
    population_id: str | None
    context: str


@dataclass(frozen=True)
class UnreadNumber:
    """A number that is neither a figure nor left out by a rule: the build warns of it."""

    start: int
    printed: str
    reason: str


@dataclass(frozen=True)
class _Number:
    start: int
    end: int  # of the number and its multiplier
    printed: str
    value: float
    sign: str | None  # a currency sign before it
    multiplier: str | None


def figures_in(text: str, lemma: Callable[[str], str]) -> tuple[list[Figure], list[UnreadNumber]]:
    """The figures of ``text`` in reading order, and the numbers it could not read.
    ``lemma`` gives a word's folded lemma, for the populations of counted people.

    >>> from gcm_open.spanish import SpanishWords
    >>> found, unread = figures_in(
    ...     "En 2021 se brindaron 42,799 consultas a 35 mujeres y tres niños, con "
    ...     "$2,500,000 pesos, un 12% más que el 15 de marzo.", SpanishWords().folded_lemma)
    >>> [(f.printed, f.value, f.unit, f.kind, f.currency, f.population_id)
    ...  for f in found]  # doctest: +NORMALIZE_WHITESPACE
    [('42,799', 42799.0, 'consultas', 'count', None, None),
     ('35', 35.0, 'mujeres', 'count', None, 'women'),
     ('tres', 3.0, 'niños', 'count', None, 'children'),
     ('$2,500,000', 2500000.0, 'pesos', 'money', 'MXN', None),
     ('12', 12.0, '%', 'percent', None, None)]
    >>> unread
    []
    """
    urls = _url_spans(text)
    numbers: list[_Number] = []
    unread: list[UnreadNumber] = []
    left_out: list[tuple[int, int]] = []
    for number in _numbers(text, unread):
        if _left_out_at(text, number.start, urls) is None:
            numbers.append(number)
        else:
            left_out.append((number.start, number.end))
    figures = []
    sentence_ends = _sentence_ends(text) if numbers else ([], [])
    for index, number in enumerate(numbers):
        figure = _figure(text, number, numbers[index + 1] if index + 1 < len(numbers) else None)
        if figure is not None:
            figures.append(
                Figure(
                    start=number.start,
                    end=number.end,
                    printed=number.printed,
                    value=figure[0],
                    unit=figure[1],
                    kind=figure[2],
                    currency=figure[3],
                    population_id=_population(text, number, figure[1], lemma)
                    if figure[2] == "count"
                    else None,
                    context=_context(text, number.start, number.end, sentence_ends),
                )
            )
    covered = sorted(
        [(n.start, n.end) for n in numbers]
        + left_out
        + [(u.start, u.start + len(u.printed)) for u in unread]
    )
    starts = [start for start, _ in covered]
    for match in _ANY_DIGITS.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        if (
            not (index >= 0 and match.start() < covered[index][1])
            and _left_out_at(text, match.start(), urls) is None
            and not _explained(text, match)
        ):
            unread.append(UnreadNumber(match.start(), match.group(), "not read as a number"))
    unread.sort(key=lambda item: item.start)
    return figures, unread


def printed_value(printed: str) -> float | None:
    """The value a figure's printed number says, or None where it is not one number.

    >>> printed_value("1.2 millones"), printed_value("$ 2 500 000"), printed_value("tres")
    (1200000.0, 2500000.0, 3.0)
    """
    numbers = list(_numbers(printed, []))
    if len(numbers) != 1 or numbers[0].start != 0 or numbers[0].end != len(printed):
        return None
    return numbers[0].value


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = [(url.start, url.start + len(url.url)) for url in urls_in(text)]
    if "@" in text:
        spans += [(match.start(), match.end()) for match in _EMAIL.finditer(text)]
    return spans


def _left_out_at(text: str, start: int, urls: list[tuple[int, int]]) -> str | None:
    """The rule that leaves out the number at ``start``, if one does: a URL, a date, an
    identifier, ... Each rule is tried in a window around the number (whose lookbehinds
    still see the text before it): a text's numbers are few, its characters many."""
    if urls and any(begin <= start < end for begin, end in urls):
        return "URL"
    for rule, pattern, before, after in _LEFT_OUT:
        # The engine clips a window that reaches past either end of the text.
        for match in pattern.finditer(text, start - before, start + after):
            if match.start() > start:
                break
            if start < match.end():
                return rule
    return None


def _explained(text: str, match: re.Match[str]) -> bool:
    """Whether digits no pattern read are left out by their shape: glued to a word (a
    footnote marker, ``G20``, ``3x1``, ``COVID-19``), a year or a period (``2019-2024``),
    or joined by a slash or a colon (dates, times)."""
    before = text[match.start() - 1] if match.start() else " "
    after = text[match.end()] if match.end() < len(text) else " "
    if before.isalpha() or after.isalpha() or before in "-#/_" or after in "-/_°ºª":
        return True
    printed = match.group()
    # A year or a period; a date or a time of day ("15/03/2022", "10:30"). "10-15
    # personas" is none of these: unread.
    return bool(re.fullmatch(r"(?:19|20)\d\d(?:[-/](?:19|20)?\d\d)?|\d+[/:]\d+.*", printed))


def _numbers(text: str, unread: list[UnreadNumber]) -> Iterator[_Number]:
    """Every number in digits or words, in reading order, with its multiplier."""
    found: list[_Number] = []
    taken = 0  # where the last number, its multiplier and its "por ciento" end
    for match in _DIGITS.finditer(text):
        if match.start() < taken:
            continue  # the "303" of "257 mil 303"
        digits = match.group("number")
        grouped = digits.replace(",", "").replace(" ", "").replace("\u00a0", "")
        value = float(grouped)
        if value > _LARGEST:
            unread.append(UnreadNumber(match.start(), digits, "too large to be a quantity"))
            taken = match.end()
            continue
        end = match.end()
        multiplier = _MULTIPLIER.match(text, end)
        word = None
        if multiplier:
            word = multiplier.group("word").lower()
            factor = _MULTIPLIERS.get(word.split()[0], 1_000_000)
            if word == "mil millones":
                factor = 1_000_000_000
            value *= factor
            end = multiplier.end("word")
            # "257 mil 303": the thousands and then the units, as Mexican texts write them.
            units = _UNITS_AFTER_MIL.match(text, end) if word == "mil" else None
            if units:
                value += float(units.group(1))
                end = units.end()
        printed = text[match.start() : end]
        found.append(_Number(match.start(), end, printed, value, match.group("sign"), word))
        percent = _PERCENT.match(text, end)
        taken = percent.end() if percent else end
    percents = [(n.end, m.end()) for n in found if (m := _PERCENT.match(text, n.end))]
    spelled: list[_Number] = []
    for match in _WORDS_RUN.finditer(text):
        if (
            any(n.start <= match.start() < n.end for n in found)
            or any(start <= match.start() < end for start, end in percents)
            or _POR_BEFORE.search(text, max(0, match.start() - 5), match.start())
        ):
            continue  # a multiplier read already, or the "ciento" of "por ciento"
        words = match.group()
        spoken = " ".join(words.lower().split())
        if spoken in ("millones", "millón", "millon"):
            continue  # "millones de personas": many, not a number
        # text2num knows "veintiuno" and "mil", not the apocopes "veintiún", "un mil".
        spoken = re.sub(r"\bveinti[uú]n\b", "veintiuno", spoken)
        spoken = re.sub(r"^un mil\b", "mil", spoken)
        try:
            value = float(text2num(spoken, "es"))
        except ValueError:
            unread.append(UnreadNumber(match.start(), words, "number words text2num cannot read"))
            continue
        end = match.end()
        # "mil 45", "tres mil 423": words for the thousands, digits for the rest.
        units = _UNITS_AFTER_MIL.match(text, end) if fold(spoken).endswith("mil") else None
        if units:
            value += float(units.group(1))
            end = units.end()
        of = _OF_AFTER.match(text, end)
        scale = "millones" if fold(spoken.split()[-1]).startswith("millon") and of else None
        spelled.append(_Number(match.start(), end, text[match.start() : end], value, None, scale))
    # Digits inside a number in words ("mil 45"), or repeating it in brackets ("cinco (5)
    # talleres"), are that number.
    for index, written in enumerate(spelled):
        repeated = _IN_BRACKETS.match(text, written.end)
        if repeated and float(repeated.group(1)) == written.value:
            spelled[index] = replace(written, end=repeated.end())
        found = [n for n in found if not spelled[index].start <= n.start < spelled[index].end]
    yield from sorted(found + spelled, key=lambda number: number.start)


def _figure(
    text: str, number: _Number, following: _Number | None
) -> tuple[float, str | None, str, str | None] | None:
    """Value, unit, kind and currency; None for a number that is not a quantity (a year)."""
    percent = _PERCENT.match(text, number.end)
    if percent:
        return number.value, "%", "percent", None
    unit, unit_end = _unit_after(text, number)
    if unit is None and following is not None:
        link = _RANGE_TO.match(text, number.end)
        if link and link.end() == following.start:
            if _PERCENT.match(text, following.end):
                return number.value, "%", "percent", None
            unit, unit_end = _unit_after(text, following)
    if _is_year(number, text):
        return None
    if unit is None:
        unit = _unit_before(text, number)
    currency = _currency(number, unit)
    if currency is not None:
        if number.multiplier in ("mdp", "mdd"):
            unit = "pesos" if number.multiplier == "mdp" else "dólares"
        return number.value, unit or "pesos", "money", currency
    if unit is None:
        return number.value, None, "count", None
    head = fold(unit.split()[0])
    if head in _DURATION:
        if head in ("año", "años") and ("edad" in fold(unit) or _is_age(text, number, unit_end)):
            return number.value, "años de edad", "other", None
        return number.value, unit, "duration", None
    if head in _MEASURE:
        return number.value, unit, "other", None
    return number.value, unit, "count", None


_BEFORE_YEAR = re.compile(
    rf"(?:\b(?:de|del|en|desde|hasta|año|al|el|y|a)|{_MONTHS})\s+$", re.IGNORECASE
)


def _is_year(number: _Number, text: str) -> bool:
    """A year ("en 2021", "(2020)", "2022 inició"): four digits from 1900 to 2100 with no
    separator, unless a counted noun follows (a lower-case plural: "2021 personas")."""
    if number.sign or not re.fullmatch(r"(?:19|20)\d\d|2100", number.printed.strip()):
        return False
    if _BEFORE_YEAR.search(text, max(0, number.start - 20), number.start):
        return True  # "junio de 2022 brindamos", "en 2021 atendimos"
    following = _WORD_AFTER.match(text, number.end)
    word = following.group(1) if following else ""
    counted = word.islower() and word.endswith("s") and fold(word) not in _STOP
    return not counted


def _currency(number: _Number, unit: str | None) -> str | None:
    if number.multiplier in ("mdp", "mdd"):
        return "MXN" if number.multiplier == "mdp" else "USD"
    named = _CURRENCY_WORDS.get(fold(unit.split()[0])) if unit else None
    if named is None and unit:
        named = _CURRENCY_WORDS.get(fold(unit.split()[-1]))
        if named and len(unit.split()) > 2:
            named = None
    if number.sign:
        return named or ("USD" if "US" in number.sign or "U.S" in number.sign else "MXN")
    return named


def _is_age(text: str, number: _Number, unit_end: int) -> bool:
    before = text[max(0, number.start - 40) : number.start]
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(text, unit_end):
        return True
    if _AGE_WORDS.search(before):
        return True
    # The first of a range of ages: "de 12 a 17 años".
    return bool(re.search(r"\b(?:de|entre)\s+$", before) and _AGE_AFTER.match(text, number.end))


def _unit_after(text: str, number: _Number) -> tuple[str | None, int]:
    """What a number counts: the noun phrase after it, as printed ("consultas médicas",
    "horas de capacitación"), or None where a function word or a mark follows."""
    position = number.end
    if number.multiplier and number.multiplier not in ("mdp", "mdd"):
        of = _OF_AFTER.match(text, position)
        if of:
            position = of.end()
    words: list[str] = []
    end = position
    for match in _UNIT_WORD.finditer(text, position):
        gap = text[end : match.start()]
        if gap.strip() or ("\n\n" in gap) or len(gap) > 3:
            break
        word = match.group().rstrip(".")
        folded = fold(word)
        if not words:
            if (
                folded in _STOP
                or word[:1].isdigit()
                or len(word) == 1  # "b)": a list letter
                or folded in _MONTH_WORDS
                or _is_verb(folded)
                or (word[:1].isupper() and _is_place(text, match.start()))
            ):
                return None, position
            words.append(word)
        elif folded in ("de", "del") and fold(words[-1]) in _OF_HEADS:
            words.append(word)
            end = match.end()
            continue
        elif words[-1].lower() in ("de", "del"):
            if folded in _STOP or word[:1].isdigit():
                words.pop()
                break
            words.append(word)
        elif (
            len(words) == 1
            and folded not in _STOP
            and not word[:1].isdigit()
            and (word[:1].isupper() == words[0][:1].isupper())
            and not re.search(r"(?:ad|id)[oa]s?$", folded)
            and not _is_verb(folded)
        ):
            words.append(word)  # one adjective: "consultas médicas", "personas migrantes"
        else:
            break
        end = match.end()
        if len(words) >= 4:
            break
    if words and fold(words[-1]) in ("de", "del"):
        words.pop()
    return (" ".join(words) if words else None), end


# Endings of the verb forms that follow a number ("206 corresponden", "16,659 viajaban"),
# and the nouns that end like them.
_VERB_ENDING = re.compile(
    r"(?:aban|ían|ian|ieron|aron|ará[ns]?|erá[ns]?|irá[ns]?|ando|iendo|[aei]n|[aei]mos|ntes)$"
)
_NOUNS_LIKE_VERBS = _wordset(
    "origen examen imagen volumen orden crimen régimen certamen dictamen resumen plan joven almacén"
)


def _is_verb(folded: str) -> bool:
    return bool(_VERB_ENDING.search(folded)) and folded not in _NOUNS_LIKE_VERBS


def _is_place(text: str, start: int) -> bool:
    """Whether a state's or a country's name starts at ``start`` (a flattened table's
    next row: "Hidalgo 82,550 Jalisco 12,004")."""
    window = text[start : start + 40]
    for matcher in (state_matcher(), country_matcher()):
        found = matcher.find_all(window)
        if found and found[0].start == 0:
            return True
    return False


def _unit_before(text: str, number: _Number) -> str | None:
    """A count in brackets counts what precedes it: "Ventanillas de Salud (52)"."""
    if (
        number.start == 0
        or text[number.start - 1] != "("
        or text[number.end : number.end + 1] != ")"
    ):
        return None
    words = re.findall(
        r"[^\W\d_][\w'’-]*|[^\w\s]", text[max(0, number.start - 80) : number.start - 1]
    )
    unit: list[str] = []
    for word in reversed(words):
        if not word[:1].isalpha() or (fold(word) in _STOP and fold(word) not in ("de", "del")):
            break
        unit.insert(0, word)
        if len(unit) >= 5:
            break
    while unit and fold(unit[0]) in ("de", "del"):
        unit.pop(0)
    return " ".join(unit) or None


# The heads of a unit that counts people.
_PEOPLE = _wordset(
    "persona personas mujer mujeres hombre hombres niña niñas niño niños adolescente "
    "adolescentes nna menores jóvenes joven migrantes connacionales mexicanos mexicanas "
    "paisanos paisanas trabajadores trabajadoras jornaleros jornaleras víctimas refugiados "
    "refugiadas solicitantes beneficiarios beneficiarias usuarios usuarias participantes "
    "estudiantes alumnos alumnas indígenas adultos adultas repatriados repatriadas "
    "retornados retornadas familias familiares ciudadanos ciudadanas desplazados "
    "desplazadas infantes asistentes integrantes extranjeros extranjeras"
)


def counts_people(figure: Figure) -> bool:
    """Whether ``figure`` counts people ("35 mujeres", "2,259 personas") or is a share
    ("el 44%"), rather than things ("12 talleres", "1,200 casos") or time.

    >>> [counts_people(f) for f in figures_in("35 mujeres en 12 talleres, el 44%", str)[0]]
    [True, False, True]
    """
    if figure.kind == "percent":
        return True
    return figure.kind == "count" and _counts_people(figure.unit)


def _counts_people(unit: str | None) -> bool:
    return unit is not None and fold(unit.split()[0]) in _PEOPLE


def _population(
    text: str, number: _Number, unit: str | None, lemma: Callable[[str], str]
) -> str | None:
    """The population of the people a count counts, from its unit and the words after it
    up to the next number or the clause's end ("3,000 personas en situación de retorno")."""
    if not _counts_people(unit):
        return None  # "12 talleres para niñas y niños" counts workshops
    tail = text[number.end : number.end + 90]
    stop = re.search(r"\d|[.;:(]\s|\n|,\s+(?:y\s+)?(?=\d)", tail)
    window = tail[: stop.start()] if stop else tail
    found = population_matches(Tokens(window), lemma)
    return found[0].key if found else None


def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    """Where the marks between the sentences of ``text`` start, and where they end."""
    boundaries = [match.span(match.lastindex or 0) for match in _SENTENCE_END.finditer(text)]
    return [start for start, _ in boundaries], [end for _, end in boundaries]


def _context(text: str, start: int, end: int, sentence_ends: tuple[list[int], list[int]]) -> str:
    """The sentence a figure is printed in, on one line, cut around it when long;
    ``sentence_ends`` are the text's (:func:`_sentence_ends`)."""
    marks_start, marks_end = sentence_ends
    before = bisect.bisect_right(marks_end, start) - 1
    sentence_start = marks_end[before] if before >= 0 else 0
    after = bisect.bisect_left(marks_start, end)
    sentence_end = marks_start[after] if after < len(marks_start) else len(text)
    if sentence_end - sentence_start > 2 * _CONTEXT_CHARS:
        sentence_start = max(sentence_start, text.rfind(" ", 0, max(0, start - _CONTEXT_CHARS)) + 1)
        cut = text.find(" ", end + _CONTEXT_CHARS)
        sentence_end = min(sentence_end, cut if cut != -1 else len(text))
    return " ".join(text[sentence_start:sentence_end].split())
