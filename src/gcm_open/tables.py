"""The document model -> Arrow tables, one per Table Schema, rows sorted by primary key.

The practices and objectives come straight from the parsed compendium; the other tables
come from resolving what the practices name (institutions, states, countries, target
populations) and what they cite (footnotes, links) against the reference data.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from gcm_open.annex import Annex
from gcm_open.diagnostics import BuildWarning
from gcm_open.errors import ResolutionError, SchemaError, StructureError
from gcm_open.normalize.figures import PARTS as FIGURE_PARTS
from gcm_open.normalize.figures import Figure, UnreadNumber, counts_people, figures_in
from gcm_open.normalize.geography import (
    country,
    country_matches,
    implementing_state,
    mexican_states,
    resolve_state_names,
    state_matches,
)
from gcm_open.normalize.institutions import (
    Institution,
    InstitutionRegistry,
    Placed,
    apart_from_longer_names,
    build_registry,
    names_no_body,
)
from gcm_open.normalize.links import canonical_url, email_path, same_url, urls_in
from gcm_open.normalize.names import Name, NameKind, proper_names
from gcm_open.normalize.populations import population_matches, serves
from gcm_open.normalize.text import TermMatch, Tokens, fold
from gcm_open.parse import Compendium, Practice, Section
from gcm_open.reference import gcm_objectives, populations
from gcm_open.schemas import TABLE_NAMES, TableSchema, load_schema
from gcm_open.spanish import SpanishWords

Row = dict[str, Any]


@dataclass(frozen=True)
class TableSet:
    """Every table of the package, keyed by name, and what building them noticed."""

    tables: dict[str, pa.Table]
    warnings: tuple[BuildWarning, ...]


# The parts of a practice that are searched for tags, and those that say whom it is for:
# the results count whom it reached.
PARTS = ("title", "description", "results", "challenges")
TARGET_PARTS = frozenset({"title", "description", "challenges"})


@dataclass(frozen=True)
class _Part:
    """One part of a practice, cut into words once, with the institutions it names."""

    name: str
    text: str
    tokens: Tokens
    institutions: tuple[Placed, ...]
    # Every body placed, those inside a longer body's name too: a name that opens at one
    # is known, even where it is not a mention (the parent after a unit's acronym).
    known_spans: tuple[tuple[int, int], ...]
    names: tuple[Name, ...]
    # Every body's name masked (known or not), and those of laws, events and, outside
    # the title, programmes: a group named inside a name is not whom the practice serves.
    without_names: Tokens
    # Bodies' names masked ("Cooperación Alemana" names no country) except those of
    # foreign bodies and of embassies and consulates, which name where they are.
    without_organisations: Tokens


@dataclass(frozen=True)
class _Found:
    """A tag found in a practice: its key, the words as printed, the part and line."""

    key: str
    found: str
    part: str
    line_no: int


@dataclass(frozen=True)
class _PracticeText:
    """A practice, the state that implements it (for a state practice), and its
    searchable parts."""

    practice: Practice
    state_code: str | None
    parts: tuple[_Part, ...]

    def found(self, part: _Part, matches: Iterable[TermMatch]) -> list[_Found]:
        return [
            _Found(
                match.key,
                " ".join(match.found.split()),
                part.name,
                self.practice.line_at(part.name, match.start),
            )
            for match in matches
        ]


def build_tables(compendium: Compendium, spanish: SpanishWords | None = None) -> TableSet:
    """Resolve the compendium against the reference data and build every table.

    ``spanish`` answers for the lemmas of words (simplemma's, kept in the cache
    directory unless given). Raises :class:`ResolutionError` listing every lead label
    that does not resolve.
    """
    annex = compendium.annex
    if annex is None:
        raise StructureError("the compendium has no annexes: no 'ANEXOS' line after the practices")
    words = spanish if spanish is not None else SpanishWords.in_cache()
    registry = build_registry(annex.glossary)
    texts = [_practice_text(practice, registry) for practice in compendium.practices]
    warnings: list[BuildWarning] = []
    figures = figures_of(texts, words.folded_lemma)
    country_rows = practice_country_rows(texts)
    institution_links = practice_institution_rows(texts, registry)
    rows: dict[str, list[Row]] = {
        "objectives": objective_rows(compendium),
        "practices": [practice_row(item.practice, item.state_code) for item in texts],
        "institutions": institution_rows(registry, _new_bodies(texts)),
        "institution_aliases": alias_rows(registry),
        "practice_institutions": institution_links,
        "states": state_rows(annex),
        "practice_states": practice_state_rows(texts),
        "countries": country_table_rows(row["country_code"] for row in country_rows),
        "practice_countries": country_rows,
        "populations": population_rows(),
        "practice_populations": practice_population_rows(texts, words.folded_lemma, figures),
        "footnotes": footnote_rows(compendium),
        "practice_links": practice_link_rows(compendium, texts, warnings),
        "practice_figures": practice_figure_rows(texts, figures, warnings),
    }
    warnings += unplaced_institution_warnings(texts)
    words.save()
    tables = {name: to_arrow(load_schema(name), rows[name]) for name in TABLE_NAMES}
    return TableSet(tables, tuple(sorted(warnings)))


def _practice_text(practice: Practice, registry: InstitutionRegistry) -> _PracticeText:
    state = (
        implementing_state(practice.lead_label, where=f"practice {practice.practice_id}")
        if practice.section is Section.STATE
        else None
    )
    parts = []
    for name in PARTS:
        text = practice.part_text(name)
        if not text:
            continue
        tokens = Tokens(text)
        names = tuple(proper_names(text))
        every_placed = registry.place(tokens, state)
        placed = tuple(apart_from_longer_names(every_placed, names, text))
        masked_names = [
            (found.start, found.end)
            for found in names
            if found.kind is not NameKind.PROGRAMME or name != "title"
        ]
        # Countries inside the names of bodies are masked ("Cooperación Alemana"), but
        # not those of foreign bodies (a partner's government is its country's name),
        # nor where an embassy or consulate is; a state's body is always masked.
        organisations = [
            (found.start, found.end)
            for found in every_placed
            if (found.new_body is not None and found.new_body.kind != "foreign")
            or (
                found.new_body is None
                and registry.by_id[found.institution_id].kind != "foreign"
                and not _REPRESENTATION.match(registry.by_id[found.institution_id].name_es)
            )
        ]
        known_spans = tuple((found.start, found.end) for found in every_placed)
        parts.append(
            _Part(
                name=name,
                text=text,
                tokens=tokens,
                institutions=placed,
                known_spans=known_spans,
                names=names,
                without_names=tokens.masked([*known_spans, *masked_names]),
                without_organisations=tokens.masked(organisations),
            )
        )
    return _PracticeText(practice, state, tuple(parts))


# The bodies of a country in another: where they are is a country the practice names.
_REPRESENTATION = re.compile(r"(?:Embajadas?|Consulados?|Red Consular)\b")


def practice_row(practice: Practice, state_code: str | None) -> Row:
    """The ``practices`` row of one practice, implemented by ``state_code`` if a state's."""
    return {
        "practice_id": practice.practice_id,
        "edition": practice.edition,
        "section": practice.section.value,
        "objective_id": practice.objective_id,
        "number": practice.number,
        "title": practice.title,
        "lead_label": practice.lead_label,
        "state_code": state_code,
        "description": practice.description,
        "results": practice.results,
        "challenges": practice.challenges,
        "challenges_reported": practice.challenges_reported,
        "page_start": practice.page_start,
        "page_end": practice.page_end,
        "line_start": practice.line_start,
        "line_end": practice.line_end,
    }


def objective_rows(compendium: Compendium) -> list[Row]:
    """The ``objectives`` rows: official titles, and printed titles where they differ."""
    printed = {
        (block.section, block.objective_id): block.printed_title for block in compendium.blocks
    }
    rows = []
    for objective in gcm_objectives():
        row: Row = {
            "objective_id": objective.objective_id,
            "title_es": objective.title_es,
            "title_en": objective.title_en,
            "short_title_en": objective.short_title_en,
        }
        for section in Section:
            title = printed.get((section, objective.objective_id))
            differs = title is not None and _comparable(title) != _comparable(objective.title_es)
            row[f"printed_title_{section.value}_es"] = title if differs else None
        rows.append(row)
    return rows


def _comparable(title: str) -> str:
    return " ".join(title.split()).rstrip(".")


def institution_rows(
    registry: InstitutionRegistry, new_bodies: Iterable[Institution] = ()
) -> list[Row]:
    """The ``institutions`` rows: the registry's, and the bodies the text names that it
    does not hold (a state's named after a federal one, a partner country's government)."""
    return [
        {
            "institution_id": institution.institution_id,
            "name_es": institution.name_es,
            "kind": institution.kind,
            "parent_id": institution.parent_id,
            "state_code": institution.state_code,
            "in_glossary": institution.glossary_name is not None,
            "glossary_name": institution.glossary_name,
            "source": institution.source,
        }
        for institution in [*registry.institutions, *new_bodies]
    ]


def _new_bodies(texts: Iterable[_PracticeText]) -> list[Institution]:
    """The bodies the practices name that the reference data does not hold, a state's
    named after a federal one or a partner country's government (the first printing of
    each names it)."""
    bodies: dict[str, Institution] = {}
    for item in texts:
        for part in item.parts:
            for found in part.institutions:
                if found.new_body is not None:
                    bodies.setdefault(found.institution_id, found.new_body)
    return list(bodies.values())


def alias_rows(registry: InstitutionRegistry) -> list[Row]:
    """The ``institution_aliases`` rows."""
    return [
        {
            "alias": alias.alias,
            "institution_id": alias.institution_id,
            "match_in_text": alias.match_in_text,
            "source": alias.source,
        }
        for alias in registry.aliases
    ]


def practice_institution_rows(
    texts: Iterable[_PracticeText], registry: InstitutionRegistry
) -> list[Row]:
    """Lead institutions from each practice's label, and institutions named in its text."""
    rows: list[Row] = []
    unresolved: list[str] = []
    for item in texts:
        practice = item.practice
        leads = registry.resolve_label(practice.lead_label)
        if leads is None:
            unresolved.append(f"{practice.practice_id} {practice.lead_label!r}")
            continue
        label_line = practice.line_at("lead_label", 0)
        found = [
            _Found(
                placed.institution_id,
                placed.found,
                part.name,
                practice.line_at(part.name, placed.start),
            )
            for part in item.parts
            for placed in part.institutions
        ]
        named = Counter(tag.key for tag in found)
        for institution_id in dict.fromkeys(leads):
            rows.append(
                {
                    "practice_id": practice.practice_id,
                    "institution_id": institution_id,
                    "role": "lead",
                    "mentions": named[institution_id],
                    "evidence": practice.lead_label,
                    "line_no": label_line,
                }
            )
        rows += _tag_rows(practice, "institution_id", found, {"role": "mentioned"})
    if unresolved:
        raise ResolutionError(
            f"{len(unresolved)} lead labels do not resolve to institutions: "
            f"{'; '.join(unresolved)}; add them to data/reference/institutions.csv or "
            "institution_aliases.csv"
        )
    return rows


def _tag_rows(
    practice: Practice, column: str, found: Sequence[_Found], extra: Row | None = None
) -> list[Row]:
    """One row per key found in a practice: how often, and the first printing and its
    line as evidence."""
    counts = Counter(item.key for item in found)
    first: dict[str, _Found] = {}
    for item in found:
        first.setdefault(item.key, item)
    return [
        {
            "practice_id": practice.practice_id,
            column: key,
            **(extra or {}),
            "mentions": counts[key],
            "evidence": item.found,
            "line_no": item.line_no,
        }
        for key, item in first.items()
    ]


def unplaced_institution_warnings(texts: Iterable[_PracticeText]) -> list[BuildWarning]:
    """A warning for each name of a body the reference data cannot place, at its first
    printing, with how many practices print it; names that ``not_institutions.csv``
    says name something else are not bodies."""
    first: dict[str, tuple[int, str, str]] = {}
    practices: dict[str, set[str]] = {}
    for item in texts:
        for part in item.parts:
            spans = part.known_spans
            for name in part.names:
                # A name that opens inside a known body's is that body; one that only
                # holds a known body further on ("Dirección de Operaciones de Búsqueda
                # de la CNB") is a longer body, not placed.
                if name.kind is not NameKind.BODY or any(
                    start <= name.start < end for start, end in spans
                ):
                    continue
                if names_no_body(name):
                    continue  # a document, a system, a fund: curated as not a body
                printed = " ".join(name.text.split())
                key = fold(printed)
                line = item.practice.line_at(part.name, name.start)
                first.setdefault(key, (line, printed, item.practice.practice_id))
                practices.setdefault(key, set()).add(item.practice.practice_id)
    return [
        BuildWarning(
            line,
            "unplaced-institution",
            f"practice {practice_id} names {printed!r}, a body the reference data does not "
            f"hold (printed in {len(practices[key])} practices); not in practice_institutions",
        )
        for key, (line, printed, practice_id) in first.items()
    ]


def state_rows(annex: Annex) -> list[Row]:
    """The 32 states, with whether the 2022 annex lists them among the participants."""
    listed = set(
        resolve_state_names(annex.participating_states, where="annex of participating states")
    )
    return [
        {
            "state_code": state.state_code,
            "inegi_code": state.inegi_code,
            "name_es": state.name_es,
            "in_annex_2022": state.state_code in listed,
        }
        for state in mexican_states()
    ]


def practice_state_rows(texts: Iterable[_PracticeText]) -> list[Row]:
    """The implementing state of each state practice, and the states named in the text."""
    rows: list[Row] = []
    for item in texts:
        practice = item.practice
        found = [tag for part in item.parts for tag in item.found(part, state_matches(part.tokens))]
        code = item.state_code
        if code is not None:
            rows.append(
                {
                    "practice_id": practice.practice_id,
                    "state_code": code,
                    "relation": "lead",
                    "mentions": sum(tag.key == code for tag in found),
                    "evidence": practice.lead_label,
                    "line_no": practice.line_at("lead_label", 0),
                }
            )
        rows += _tag_rows(practice, "state_code", found, {"relation": "mentioned"})
    return rows


def practice_country_rows(texts: Iterable[_PracticeText]) -> list[Row]:
    """Countries other than Mexico named in each practice (organisation names aside)."""
    rows: list[Row] = []
    for item in texts:
        found = [
            tag
            for part in item.parts
            for tag in item.found(part, country_matches(part.without_organisations))
        ]
        rows += _tag_rows(item.practice, "country_code", found)
    return rows


def country_table_rows(codes: Iterable[str]) -> list[Row]:
    """The countries the practices refer to."""
    rows = []
    for code in sorted(set(codes)):
        found = country(code)
        rows.append(
            {
                "country_code": found.country_code,
                "alpha_2": found.alpha_2,
                "name_en": found.name_en,
                "name_es": found.name_es,
            }
        )
    return rows


def population_rows() -> list[Row]:
    """The controlled vocabulary of target populations."""
    return [
        {
            "population_id": population.population_id,
            "label_es": population.label_es,
            "label_en": population.label_en,
            "definition_es": population.definition_es,
            "definition_en": population.definition_en,
        }
        for population in populations()
    ]


def practice_population_rows(
    texts: Iterable[_PracticeText], lemma: Callable[[str], str], figures: _Figures
) -> list[Row]:
    """Populations each practice names: ``target`` when its title, description or
    challenges name them, or a sentence of its results says it serves them ("Aplica a
    las personas ... solicitantes de la condición de refugiado", "actividades para la
    comunidad mexicana que reside en EUA"); ``reached`` when its results only count them
    (a count of people or a share comes before them in the sentence)."""
    rows: list[Row] = []
    for item in texts:
        found: list[tuple[_Found, bool]] = []
        for part in item.parts:
            matches = population_matches(part.without_names, lemma)
            if part.name in TARGET_PARTS:
                stated = [True] * len(matches)
            else:
                counts, _ = figures.get((item.practice.practice_id, part.name), ([], []))
                starts = [figure.start for figure in counts if counts_people(figure)]
                stated = [serves(part.text, match.start, starts) for match in matches]
            found += list(zip(item.found(part, matches), stated, strict=True))
        targets = {tag.key for tag, stated in found if stated}
        # The evidence of a target is where the practice says it serves that group.
        ordered = [tag for tag, stated in sorted(found, key=lambda pair: not pair[1])]
        for row in _tag_rows(item.practice, "population_id", ordered):
            row["basis"] = "target" if row["population_id"] in targets else "reached"
            rows.append(row)
    return rows


def footnote_rows(compendium: Compendium) -> list[Row]:
    """Footnotes, with the practice where their marker sits (none in the annexes)."""
    rows = []
    for footnote, owner in zip(compendium.footnotes, compendium.footnote_practices, strict=True):
        rows.append(
            {
                "number": footnote.number,
                "text": footnote.text,
                "page": footnote.page,
                "line": footnote.line_no,
                "marker_line": footnote.marker_line,
                "practice_id": owner,
            }
        )
    return rows


# The figures of each part that has them, and the numbers it could not read, by
# practice id and part.
_Figures = dict[tuple[str, str], tuple[list[Figure], list[UnreadNumber]]]


def figures_of(texts: Iterable[_PracticeText], lemma: Callable[[str], str]) -> _Figures:
    """The figures of every part of a practice that reports them, read once for the
    figures' table and for the populations (a group a figure counts is reached)."""
    return {
        (item.practice.practice_id, part.name): figures_in(part.text, lemma)
        for item in texts
        for part in item.parts
        if part.name in FIGURE_PARTS
    }


def practice_figure_rows(
    texts: Iterable[_PracticeText], figures: _Figures, warnings: list[BuildWarning]
) -> list[Row]:
    """The quantities each practice prints, numbered in reading order; a number that is
    neither a figure nor left out by a rule is a warning at its line."""
    rows: list[Row] = []
    for item in texts:
        practice = item.practice
        figure_no = 0
        for part in item.parts:
            if part.name not in FIGURE_PARTS:
                continue
            found, unread = figures[(practice.practice_id, part.name)]
            for figure in found:
                figure_no += 1
                rows.append(
                    {
                        "practice_id": practice.practice_id,
                        "figure_no": figure_no,
                        "part": part.name,
                        "value": figure.value,
                        "printed": " ".join(figure.printed.split()),
                        "unit": figure.unit,
                        "kind": figure.kind,
                        "currency": figure.currency,
                        "population_id": figure.population_id,
                        "line_no": practice.line_at(part.name, figure.start),
                        "context": figure.context,
                    }
                )
            warnings += [
                BuildWarning(
                    practice.line_at(part.name, number.start),
                    "unread-number",
                    f"practice {practice.practice_id} prints {number.printed!r} in its "
                    f"{part.name}: {number.reason}; not in practice_figures",
                )
                for number in unread
            ]
    return rows


def practice_link_rows(
    compendium: Compendium, texts: Iterable[_PracticeText], warnings: list[BuildWarning]
) -> list[Row]:
    """URLs printed in each practice's text and footnotes, and the targets of link
    annotations on its pages that it does not print. A printed URL that a link
    annotation of its page carries on (it was cut where the line wrapped) is the
    annotation's, still counted where it was printed."""
    by_practice: dict[str, list[Row]] = {}
    for item in texts:
        links = by_practice.setdefault(item.practice.practice_id, [])
        for part in item.parts:
            for printed in urls_in(part.text):
                line = item.practice.line_at(part.name, printed.start)
                _add_link(links, item.practice.practice_id, printed.url, "text", line)
    for footnote, owner in zip(compendium.footnotes, compendium.footnote_practices, strict=True):
        if owner is not None:
            for printed in urls_in(footnote.text):
                _add_link(by_practice[owner], owner, printed.url, "footnote", footnote.line_no)
    practices = {practice.practice_id: practice for practice in compendium.practices}
    left_out: set[tuple[str, str]] = set()
    for annotation, owner in zip(compendium.links, compendium.link_practices, strict=True):
        on_page = [
            row
            for practice_id, rows in by_practice.items()
            if practices[practice_id].page_start
            <= annotation.page
            <= practices[practice_id].page_end
            for row in rows
        ]
        target = canonical_url(annotation.url)
        # Printed on the page, maybe an earlier practice's: listed where it is printed.
        if any(canonical_url(row["url"]) == target for row in on_page):
            continue
        cut = [row for row in on_page if target.startswith(canonical_url(row["url"]))]
        if cut:
            cut[0]["url"] = annotation.url
            continue
        mailbox = email_path(annotation.url)
        if mailbox and owner is not None and mailbox.lower() in practices[owner].text.lower():
            if (owner, annotation.url) in left_out:
                continue  # the same annotation listed again
            left_out.add((owner, annotation.url))
            warnings.append(
                BuildWarning(
                    annotation.line_no,
                    "link-to-email-copy",
                    f"link annotation {annotation.url[:60]} of practice {owner} is a file "
                    f"path ending in the e-mail address {mailbox!r} its text prints "
                    "(a word processor's link, not a web page); not in practice_links",
                )
            )
            continue
        if owner is None:
            warnings.append(
                BuildWarning(
                    annotation.line_no,
                    "link-outside-practice",
                    f"link annotation {annotation.url[:60]} is outside every practice; "
                    "not in practice_links",
                )
            )
            continue
        _add_link(by_practice[owner], owner, annotation.url, "link annotation", annotation.line_no)
    return [row for rows in by_practice.values() for row in rows]


def _add_link(links: list[Row], practice_id: str, url: str, source: str, line_no: int) -> None:
    if not any(same_url(url, row["url"]) for row in links):
        links.append({"practice_id": practice_id, "url": url, "source": source, "line_no": line_no})


_JSON_LINE = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def to_arrow(schema: TableSchema, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows -> an Arrow table typed by ``schema``, sorted by its primary key.

    A row with a column the schema does not declare, or without one it declares, is a
    programming error caught here rather than a silently dropped or empty column.
    """
    rows = list(rows)
    names = schema.field_names
    for row in rows:
        if set(row) != set(names):
            extra = sorted(set(row) - set(names))
            missing = sorted(set(names) - set(row))
            raise SchemaError(
                f"{schema.path}: table {schema.name} rows do not match the schema "
                f"(not in schema: {extra}; not produced: {missing})"
            )
    key = schema.primary_key
    rows.sort(key=lambda row: tuple(row[name] for name in key))
    arrow_schema = schema.to_arrow()
    if not rows:
        return arrow_schema.empty_table()
    # Arrow's JSON reader builds the columns in C++: pa.array over Python lists would
    # import pandas (about half a second) only to find out the lists are not pandas.
    plain = pa.schema(
        pa.field(field.name, pa.string()) if pa.types.is_dictionary(field.type) else field
        for field in arrow_schema
    )
    # Each row holds exactly the schema's fields (checked above): the reader takes them by
    # name, in any order.
    lines = "\n".join(map(_JSON_LINE.encode, rows))
    data = lines.encode("utf-8")
    read = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(use_threads=False, block_size=len(data) + 1),
        parse_options=pa_json.ParseOptions(
            explicit_schema=plain, unexpected_field_behavior="error"
        ),
    )
    columns = []
    for field in arrow_schema:
        values = read.column(field.name).combine_chunks()
        if pa.types.is_dictionary(field.type):
            columns.append(_enum_column(schema, field.name, values))
        else:
            columns.append(values)
    return pa.Table.from_arrays(columns, schema=arrow_schema)


def _strings(values: Sequence[str]) -> pa.Array:
    """A string array, read as JSON (see :func:`to_arrow`)."""
    data = "\n".join(json.dumps({"v": value}) for value in values).encode("utf-8")
    read = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(use_threads=False),
        parse_options=pa_json.ParseOptions(explicit_schema=pa.schema([("v", pa.string())])),
    )
    return read.column("v").combine_chunks()


def _enum_column(schema: TableSchema, name: str, text: pa.Array) -> pa.Array:
    """A closed vocabulary as a dictionary holding the schema's whole ``enum`` in the
    schema's order, whichever values occur: pandas categories, R factors and polars
    categoricals then have the schema's levels in its order."""
    levels = schema.enum(name)
    level_values = _strings(levels)
    indices = pc.index_in(text, value_set=level_values)
    unknown = pc.and_(pc.is_valid(text), pc.is_null(indices))
    if pc.any(unknown).as_py():
        value = text.filter(unknown)[0].as_py()
        raise SchemaError(
            f"{schema.path}: table {schema.name} field {name} has {value!r}, "
            f"which its enum {list(levels)} does not allow"
        )
    return pa.DictionaryArray.from_arrays(pc.cast(indices, pa.int32()), level_values)
