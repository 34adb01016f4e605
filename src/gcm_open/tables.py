"""The document model -> Arrow tables, one per Table Schema, rows sorted by primary key.

The practices and objectives come straight from the parsed compendium; the other tables
come from resolving what the practices name (institutions, states, countries, target
populations) and what they cite (footnotes, links) against the reference data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from gcm_open.annex import Annex
from gcm_open.diagnostics import BuildWarning
from gcm_open.errors import ResolutionError, SchemaError, StructureError
from gcm_open.normalize.geography import (
    Mentions,
    country,
    country_mentions,
    implementing_state,
    mexican_states,
    resolve_state_names,
    state_mentions,
)
from gcm_open.normalize.institutions import InstitutionRegistry, build_registry
from gcm_open.normalize.links import same_url, urls_in
from gcm_open.normalize.populations import population_mentions
from gcm_open.normalize.text import mask
from gcm_open.parse import Compendium, Practice, Section
from gcm_open.reference import gcm_objectives, populations
from gcm_open.schemas import TABLE_NAMES, TableSchema, load_schema

Row = dict[str, Any]


@dataclass(frozen=True)
class TableSet:
    """Every table of the package, keyed by name, and what building them noticed."""

    tables: dict[str, pa.Table]
    warnings: tuple[BuildWarning, ...]


@dataclass(frozen=True)
class _PracticeText:
    """A practice with its searchable text and the institutions named in it."""

    practice: Practice
    text: str
    institutions: Mentions
    without_institutions: str  # every institution name blanked
    without_organisations: str  # names blanked except those of foreign governments


def build_tables(compendium: Compendium) -> TableSet:
    """Resolve the compendium against the reference data and build every table.

    Raises :class:`ResolutionError` listing every lead label that does not resolve.
    """
    annex = compendium.annex
    if annex is None:
        raise StructureError("the compendium has no annexes: no 'ANEXOS' line after the practices")
    registry = build_registry(annex.glossary)
    texts = [_practice_text(practice, registry) for practice in compendium.practices]
    warnings: list[BuildWarning] = []
    country_rows = practice_country_rows(texts)
    rows: dict[str, list[Row]] = {
        "objectives": objective_rows(compendium),
        "practices": [practice_row(practice) for practice in compendium.practices],
        "institutions": institution_rows(registry),
        "institution_aliases": alias_rows(registry),
        "practice_institutions": practice_institution_rows(texts, registry),
        "states": state_rows(annex),
        "practice_states": practice_state_rows(texts),
        "countries": country_table_rows(row["country_code"] for row in country_rows),
        "practice_countries": country_rows,
        "populations": population_rows(),
        "practice_populations": practice_population_rows(texts),
        "footnotes": footnote_rows(compendium),
        "practice_links": practice_link_rows(compendium, texts, warnings),
    }
    tables = {name: to_arrow(load_schema(name), rows[name]) for name in TABLE_NAMES}
    return TableSet(tables, tuple(sorted(warnings)))


def _practice_text(practice: Practice, registry: InstitutionRegistry) -> _PracticeText:
    text = "\n".join(
        part
        for part in (practice.title, practice.description, practice.results, practice.challenges)
        if part
    )
    found = registry.find(text)
    organisations = [
        (match.start, match.end) for match in found if registry.by_id[match.key].kind != "foreign"
    ]
    return _PracticeText(
        practice=practice,
        text=text,
        institutions=Mentions.of(found),
        without_institutions=mask(text, [(match.start, match.end) for match in found]),
        without_organisations=mask(text, organisations),
    )


def practice_row(practice: Practice) -> Row:
    """The ``practices`` row of one practice."""
    state_code = (
        implementing_state(practice.lead_label, where=f"practice {practice.practice_id}")
        if practice.section is Section.STATE
        else None
    )
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


def institution_rows(registry: InstitutionRegistry) -> list[Row]:
    """The ``institutions`` rows."""
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
        for institution in registry.institutions
    ]


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
        for institution_id in dict.fromkeys(leads):
            rows.append(
                _relation(
                    practice,
                    {"institution_id": institution_id, "role": "lead"},
                    None,
                    practice.lead_label,
                )
            )
        rows += _mentioned(practice, "institution_id", "role", item.institutions)
    if unresolved:
        raise ResolutionError(
            f"{len(unresolved)} lead labels do not resolve to institutions: "
            f"{'; '.join(unresolved)}; add them to data/reference/institutions.csv or "
            "institution_aliases.csv"
        )
    return rows


def _relation(practice: Practice, keys: Row, mentions: int | None, evidence: str) -> Row:
    return {"practice_id": practice.practice_id, **keys, "mentions": mentions, "evidence": evidence}


def _mentioned(practice: Practice, column: str, kind_column: str, mentions: Mentions) -> list[Row]:
    return [
        _relation(
            practice, {column: code, kind_column: "mentioned"}, count, mentions.evidence[code]
        )
        for code, count in mentions.counts.items()
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
        if practice.section is Section.STATE:
            code = implementing_state(practice.lead_label, where=f"practice {practice.practice_id}")
            rows.append(
                _relation(
                    practice, {"state_code": code, "relation": "lead"}, None, practice.lead_label
                )
            )
        rows += _mentioned(practice, "state_code", "relation", state_mentions(item.text))
    return rows


def practice_country_rows(texts: Iterable[_PracticeText]) -> list[Row]:
    """Countries other than Mexico named in each practice (organisation names aside)."""
    return _counted_mentions(
        texts, "country_code", lambda item: country_mentions(item.without_organisations)
    )


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


def practice_population_rows(texts: Iterable[_PracticeText]) -> list[Row]:
    """Populations each practice names, with the term found as evidence."""
    return _counted_mentions(
        texts, "population_id", lambda item: population_mentions(item.without_institutions)
    )


def _counted_mentions(
    texts: Iterable[_PracticeText], column: str, find: Callable[[_PracticeText], Mentions]
) -> list[Row]:
    """One row per practice and code found, with the count and the first spelling."""
    rows: list[Row] = []
    for item in texts:
        mentions = find(item)
        for code, count in mentions.counts.items():
            rows.append(
                {
                    "practice_id": item.practice.practice_id,
                    column: code,
                    "mentions": count,
                    "evidence": mentions.evidence[code],
                }
            )
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


def practice_link_rows(
    compendium: Compendium, texts: Iterable[_PracticeText], warnings: list[BuildWarning]
) -> list[Row]:
    """URLs printed in each practice, and link annotations of its pages not printed in it."""
    by_practice: dict[str, list[Row]] = {}
    for item in texts:
        links = by_practice.setdefault(item.practice.practice_id, [])
        for url in urls_in(item.text):
            if not any(same_url(url, row["url"]) for row in links):
                links.append(
                    {"practice_id": item.practice.practice_id, "url": url, "source": "text"}
                )
    practices = {practice.practice_id: practice for practice in compendium.practices}
    for annotation, owner in zip(compendium.links, compendium.link_practices, strict=True):
        # The target of a link printed on the page: already listed where it is printed,
        # which may be an earlier practice on the same page.
        printed_on_page = any(
            same_url(annotation.url, row["url"])
            for practice_id, rows in by_practice.items()
            if practices[practice_id].page_start
            <= annotation.page
            <= practices[practice_id].page_end
            for row in rows
        )
        if printed_on_page:
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
        links = by_practice[owner]
        if not any(same_url(annotation.url, row["url"]) for row in links):
            links.append(
                {
                    "practice_id": owner,
                    "url": annotation.url,
                    "source": "link annotation",
                }
            )
    return [row for rows in by_practice.values() for row in rows]


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
    columns = []
    for field in arrow_schema:
        values = [row[field.name] for row in rows]
        if pa.types.is_dictionary(field.type):
            columns.append(_enum_column(schema, field.name, values))
        else:
            columns.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(columns, schema=arrow_schema)


def _enum_column(schema: TableSchema, name: str, values: list[str | None]) -> pa.Array:
    """A closed vocabulary as a dictionary holding the schema's whole ``enum`` in the
    schema's order, whichever values occur: pandas categories, R factors and polars
    categoricals then have the schema's levels in its order."""
    levels = schema.enum(name)
    text = pa.array(values, type=pa.string())
    indices = pc.index_in(text, value_set=pa.array(levels, pa.string()))
    unknown = pc.and_(pc.is_valid(text), pc.is_null(indices))
    if pc.any(unknown).as_py():
        value = text.filter(unknown)[0].as_py()
        raise SchemaError(
            f"{schema.path}: table {schema.name} field {name} has {value!r}, "
            f"which its enum {list(levels)} does not allow"
        )
    return pa.DictionaryArray.from_arrays(
        pc.cast(indices, pa.int32()), pa.array(levels, pa.string())
    )
