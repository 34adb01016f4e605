"""Documentation generated from the Table Schemas and the descriptor: the package's
README with its data dictionary, and its CITATION.cff."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gcm_open.schemas import TABLE_NAMES, TableSchema


def _cell(text: Any) -> str:
    """Text fit for a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _constraints(field: Mapping[str, Any], schema: TableSchema) -> str:
    constraints = field.get("constraints", {})
    parts = []
    if field["name"] in schema.primary_key:
        parts.append("primary key" if len(schema.primary_key) == 1 else "part of the primary key")
    if constraints.get("required"):
        parts.append("required")
    if constraints.get("unique"):
        parts.append("unique")
    if "enum" in constraints:
        parts.append("one of " + ", ".join(f"`{value}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"pattern `{constraints['pattern']}`")
    if "minimum" in constraints:
        parts.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        parts.append(f"≤ {constraints['maximum']}")
    for foreign in schema.descriptor.get("foreignKeys", []):
        if foreign["fields"] == [field["name"]]:
            reference = foreign["reference"]
            parts.append(f"references `{reference['resource']}.{reference['fields'][0]}`")
    return _cell("; ".join(parts)) if parts else ""


def data_dictionary(schema: TableSchema) -> list[str]:
    """The Markdown data dictionary of one table."""
    descriptor = schema.descriptor
    key = ", ".join(f"`{name}`" for name in schema.primary_key)
    lines = [
        f"### `{schema.name}`: {descriptor['title']} / {descriptor['title_es']}",
        "",
        descriptor["description"],
        "",
        f"*{descriptor['description_es']}*",
        "",
        f"Primary key: {key}.",
        "",
        "| field | type | description | constraints | example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for field in schema.fields:
        description = f"{_cell(field['description'])}<br>*{_cell(field['description_es'])}*"
        # Table Schema v2 writes an example as a string, as it appears in the CSV.
        example = f"`{field['example']}`" if "example" in field else ""
        lines.append(
            f"| `{field['name']}` | {field['type']} | {description} | "
            f"{_constraints(field, schema)} | {_cell(example)} |"
        )
    lines.append("")
    return lines


def package_readme(
    descriptor: Mapping[str, Any], schemas: Mapping[str, TableSchema], sizes: Mapping[str, int]
) -> str:
    """The package's README: what it is, its files, licence, citation, data dictionary.

    ``schemas`` are the Table Schemas of the package's tables, by table name; ``sizes`` the
    size of each data file, by path (the descriptor gives no size for Parquet files).
    """
    source = descriptor["sources"][0]
    licence = descriptor["licenses"][0]
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    lines = [
        f"# {descriptor['title']}",
        "",
        f"*{descriptor['title_es']}*",
        "",
        f"Version {descriptor['version']}, created {descriptor['created']}.",
        "",
        descriptor["description"],
        "",
        f"*{descriptor['description_es']}*",
        "",
        "## Source",
        "",
        f"{source['title']}. {source['publisher']}, published {source['published']}. "
        f"{source['path']}",
        "",
        f"The data were extracted with gcm-open from the file `{source['file']}` "
        f"(sha256 `{source['sha256']}`).",
        "",
        "## Licence",
        "",
        f"The data follow the reuse statement of the compendium: *{licence['title_es']}* "
        f"({licence['title'].rstrip('.')}). It allows non-commercial reproduction with "
        "attribution; it is not an open licence such as CC-BY.",
        "",
        "## How to cite",
        "",
        f"{source['publisher']} ({source['published'][:4]}). *{source['title']}*. "
        f"Dataset: {descriptor['title']}, version {descriptor['version']}, built with "
        "gcm-open. See `CITATION.cff`.",
        "",
        "## Files",
        "",
        "Each table is given as CSV (RFC 4180, UTF-8, LF, header row, rows sorted by the "
        "primary key, empty cells for missing values, booleans as `true`/`false`) and as "
        "Parquet (typed columns, closed vocabularies dictionary-encoded, Snappy "
        "compression, field descriptions in the Arrow schema and the Table Schema in the "
        "file's key-value metadata under `frictionless:schema`).",
        "",
        "| table | rows | CSV | Parquet |",
        "| --- | ---: | ---: | ---: |",
    ]
    tables = [name for name in (*TABLE_NAMES, *sorted(schemas)) if name in schemas]
    tables = list(dict.fromkeys(tables))
    for name in tables:
        csv_resource, parquet = resources[name], resources.get(f"{name}-parquet")
        parquet_size = f"{sizes[parquet['path']]:,} bytes" if parquet else "none"
        lines.append(
            f"| `{name}` | {csv_resource.get('rows', '')} | "
            f"{sizes[csv_resource['path']]:,} bytes | {parquet_size} |"
        )
    lines += [
        "",
        "Check a copy with `gcm-open validate` or `frictionless validate datapackage.json`.",
        "",
        "## Data dictionary",
        "",
    ]
    for name in tables:
        lines += data_dictionary(schemas[name])
    return "\n".join(lines)


def _yaml(value: str) -> str:
    """A YAML scalar: JSON strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def citation_cff(descriptor: Mapping[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset, citing its source."""
    source = descriptor["sources"][0]
    keywords = "\n".join(f"  - {_yaml(keyword)}" for keyword in descriptor["keywords"])
    message = "If you use this dataset, please cite it as below, and the compendium it comes from."
    return f"""cff-version: 1.2.0
message: {_yaml(message)}
type: dataset
title: {_yaml(descriptor["title"])}
version: {_yaml(descriptor["version"])}
date-released: {_yaml(descriptor["created"][:10])}
abstract: {_yaml(descriptor["description"])}
authors:
  - name: {_yaml(source["publisher"])}
  - name: "gcm-open contributors"
url: {_yaml(descriptor["homepage"])}
keywords:
{keywords}
references:
  - type: report
    title: {_yaml(source["title"])}
    authors:
      - name: {_yaml(source["publisher"])}
    date-published: {_yaml(source["published"])}
    url: {_yaml(source["path"])}
"""


def licence_terms(descriptor: Mapping[str, Any]) -> str:
    """LICENSE.md: the compendium's reuse terms as printed, with an English translation;
    what the descriptor's ``licenses`` and the catalog's ``license`` point to."""
    licence = descriptor["licenses"][0]
    source = descriptor["sources"][0]
    return "\n".join(
        [
            "# Términos de reutilización / Terms of reuse",
            "",
            f"Los datos provienen de *{source['title']}* ({source['publisher']}, "
            f"{source['published']}), cuyo aviso de reutilización dice:",
            "",
            f"> {licence['title_es']}",
            "",
            f"The data come from *{source['title']}* ({source['publisher']}, "
            f"{source['published']}), whose reuse notice reads (translation):",
            "",
            f"> {licence['title']}",
            "",
            "Estos términos permiten la reproducción sin fines comerciales con mención de la "
            "fuente; no son una licencia abierta como CC-BY. / These terms allow "
            "non-commercial reproduction with attribution; they are not an open licence "
            "such as CC-BY.",
            "",
            f"Fuente / Source: {source['path']}",
            "",
        ]
    )
