"""The static open-data portal: index.html and the DCAT catalog, made from the releases.

Everything is generated from ``releases.json`` and the files of the releases; the page
needs no script, no font and no stylesheet from elsewhere, so it works from any static
host and offline.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from gcm_open.package.layout import DESCRIPTOR, csv_path
from gcm_open.package.reading import local_package, table_schemas
from gcm_open.schemas import TABLE_NAMES

DCAT_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DCAT_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "zip": "application/zip",
    "md": "text/markdown",
    "cff": "application/yaml",
    "json": "application/json",
    "sql": "application/sql",
}


@dataclass(frozen=True)
class Publisher:
    """Where a portal is served and who answers for it: what its catalog and pages say."""

    base_url: str
    contact_name: str
    contact_email: str

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` in the portal."""
        return f"{self.base_url}/{path}"


def file_size(release: dict[str, Any], resource: dict[str, Any]) -> int | None:
    """The size of a release's file: as measured at publish time (releases published
    before sizes were recorded give the descriptor's ``bytes``)."""
    size = release.get("sizes", {}).get(resource.get("path"), resource.get("bytes"))
    return size if isinstance(size, int) else None


# The whole of Mexico in INEGI's geostatistical framework (Marco Geoestadístico).
SPATIAL = "México (clave geoestadística INEGI 00)"
# A new edition of the compendium each year.
ACCRUAL_PERIODICITY = "R/P1Y"
_FORMAT_TITLES = {"csv": "CSV", "parquet": "Parquet", "sql": "SQL", "md": "Markdown", "cff": "CFF"}


def _licence_url(publisher: Publisher, folder: str, descriptor: dict[str, Any]) -> str:
    """The licence of a release as an absolute URL: the package's licence file, in the
    release's folder (or the URL the descriptor gives)."""
    path = str(descriptor["licenses"][0].get("path", ""))
    return path if "://" in path else publisher.url(f"{folder}/{path}")


def _distribution(
    publisher: Publisher, folder: str, resource: dict[str, Any], release: dict[str, Any]
) -> dict[str, Any]:
    """A file of a release as a DCAT distribution."""
    file_format = str(resource.get("format", "")).lower()
    label = _FORMAT_TITLES.get(file_format, file_format.upper())
    title = resource.get("title") or resource["name"]
    description = resource.get("description") or title
    if resource.get("description_es"):
        description = f"{description} / {resource['description_es']}"
    distribution: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "title": f"{title} ({label}, version {release['version']})",
        "description": description,
        "downloadURL": publisher.url(f"{folder}/{resource['path']}"),
        "mediaType": resource.get("mediatype") or MEDIA_TYPES.get(file_format, "text/plain"),
        "format": label,
    }
    size = file_size(release, resource)
    if size is not None:
        distribution["byteSize"] = size
    schema = resource.get("schema") or resource.get("tableSchema")
    if isinstance(schema, str):
        distribution["describedBy"] = publisher.url(f"{folder}/{schema}")
        distribution["describedByType"] = "application/json"
    return distribution


def dcat_catalog(releases: list[dict[str, Any]], publisher: Publisher) -> dict[str, Any]:
    """A DCAT-US 1.1 catalog (``data.json`` shape) with one dataset for the compendium.

    One dataset with the package's stable ``id``, whatever the version: a harvester (CKAN's
    data.json harvester, datos.gob.mx) keeps one record per identifier and updates it when
    ``modified`` changes, where one dataset per version would make a new record each time.
    Its distributions are every file of the newest release, and the zip and database of
    every release; every URL is absolute.
    """
    ordered = sorted(releases, key=lambda r: _semver(r["version"]), reverse=True)
    newest = ordered[0]
    descriptor = newest["descriptor"]
    source = descriptor["sources"][0]
    folder = f"releases/{newest['version']}"
    distributions = [
        _distribution(publisher, folder, resource, newest)
        for resource in descriptor["resources"]
        if isinstance(resource.get("path"), str)
    ]
    for release in ordered:
        release_folder = f"releases/{release['version']}"
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "title": f"Complete package, version {release['version']} (ZIP)",
                "description": (
                    f"Every file of release {release['version']} ({release['released']}) "
                    "in one archive / Todos los archivos de la versión en un archivo"
                ),
                "downloadURL": publisher.url(f"{release_folder}/{release['zip']}"),
                "mediaType": "application/zip",
                "format": "ZIP",
                "byteSize": release["zip_bytes"],
                "describedBy": publisher.url(f"{release_folder}/{DESCRIPTOR}"),
                "describedByType": "application/json",
            }
        )
        if "database" in release:
            distributions.append(
                {
                    "@type": "dcat:Distribution",
                    "title": f"DuckDB database, version {release['version']}",
                    "description": (
                        "Every table typed, keyed and described, in one DuckDB file / "
                        "Todas las tablas con tipos, llaves y descripciones"
                    ),
                    "downloadURL": publisher.url(f"{release_folder}/{release['database']}"),
                    "mediaType": "application/vnd.duckdb",
                    "format": "DuckDB",
                    "byteSize": release["database_bytes"],
                }
            )
    licence = descriptor["licenses"][0]
    email = f"mailto:{publisher.contact_email}"
    dataset = {
        "@type": "dcat:Dataset",
        "identifier": descriptor.get("id") or descriptor["name"],
        "title": descriptor["title"],
        "description": f"{descriptor['description']} / {descriptor['description_es']}",
        "keyword": descriptor["keywords"],
        "modified": newest["released"],
        "issued": ordered[-1]["released"],
        "publisher": {"@type": "org:Organization", "name": source["publisher"]},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": publisher.contact_name,
            "hasEmail": email,
        },
        # The Guía de Implementación de la Política de Datos Abiertos (Mexico) names the
        # contact's address mbox.
        "mbox": email,
        "accessLevel": "public",
        "landingPage": publisher.url("index.html"),
        "accrualPeriodicity": ACCRUAL_PERIODICITY,
        "license": _licence_url(publisher, folder, descriptor),
        "rights": licence.get("title_es", ""),
        "spatial": SPATIAL,
        "temporal": newest["temporal"],
        "language": ["es"],
        "version": newest["version"],
        "distribution": distributions,
    }
    return {
        "@context": DCAT_CONTEXT,
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_SCHEMA,
        "describedBy": f"{DCAT_SCHEMA}/catalog.json",
        "dataset": [dataset],
    }


def schema_org_dataset(release: dict[str, Any], publisher: Publisher, page: str) -> dict[str, Any]:
    """The release as a schema.org ``Dataset`` (what search engines read from a page):
    its files as ``DataDownload``s, ``page`` the URL of the page it is on."""
    descriptor = release["descriptor"]
    source = descriptor["sources"][0]
    folder = f"releases/{release['version']}"
    organisation = {"@type": "Organization", "name": source["publisher"]}
    downloads = [
        {
            "@type": "DataDownload",
            "name": resource["name"],
            "encodingFormat": resource.get("mediatype")
            or MEDIA_TYPES.get(str(resource.get("format", "")), "application/octet-stream"),
            "contentUrl": publisher.url(f"{folder}/{resource['path']}"),
        }
        for resource in descriptor["resources"]
        if isinstance(resource.get("path"), str)
    ]
    downloads.append(
        {
            "@type": "DataDownload",
            "name": release["zip"],
            "encodingFormat": "application/zip",
            "contentUrl": publisher.url(f"{folder}/{release['zip']}"),
        }
    )
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": descriptor["title"],
        "alternateName": descriptor["title_es"],
        "description": f"{descriptor['description']} / {descriptor['description_es']}",
        "version": release["version"],
        "identifier": descriptor.get("id") or descriptor["name"],
        "url": page,
        "license": _licence_url(publisher, folder, descriptor),
        "creator": organisation,
        "publisher": organisation,
        "keywords": descriptor["keywords"],
        "inLanguage": "es",
        "isAccessibleForFree": True,
        "datePublished": release["released"],
        "temporalCoverage": release["temporal"],
        "spatialCoverage": {"@type": "Place", "name": "México"},
        "distribution": downloads,
    }


def json_ld(data: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element: the JSON with ``<``, ``>`` and
    ``&`` escaped, so that no text in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for character, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(character, escaped)
    return f'<script type="application/ld+json">{text}</script>'


def render_release_page(
    release: dict[str, Any], publisher: Publisher, files: list[tuple[str, int]]
) -> str:
    """``releases/<version>/index.html``: the files of one release with their sizes, so
    that its folder has a page on any static host (none lists folders by itself). The
    page is also served as ``latest/index.html``: its links are relative to its folder, or
    absolute."""
    descriptor = release["descriptor"]
    folder = f"releases/{release['version']}"
    rows = "".join(
        f'<tr><td><a href="{html.escape(path, quote=True)}">{html.escape(path)}</a></td>'
        f"<td>{size:,}</td></tr>"
        for path, size in files
    )
    title = f"{descriptor['title']}, version {release['version']}"
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
{json_ld(schema_org_dataset(release, publisher, publisher.url(f"{folder}/index.html")))}
</head>
<body>
<main>
<h1 lang="en">{html.escape(title)}</h1>
<p><i>{html.escape(descriptor["title_es"])}</i></p>
<p lang="en">Released {html.escape(release["released"])}.
<a href="{html.escape(publisher.url("index.html"), quote=True)}">Portal</a> ·
<a href="SHA256SUMS">SHA256SUMS</a></p>
<table><thead><tr><th>Archivo / File</th><th>Bytes</th></tr></thead><tbody>{rows}</tbody></table>
</main>
</body>
</html>
"""


def _semver(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-", maxsplit=1)[0].split("."))


def _read_csv(path: Path) -> pa.Table:
    return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True))


def _chart(practices: pa.Table) -> str:
    """An inline SVG bar chart of practices per objective, federal and state side by side."""
    counts = Counter(
        zip(
            practices.column("objective_id").to_pylist(),
            practices.column("section").to_pylist(),
            strict=True,
        )
    )
    highest = max(counts.values(), default=1)
    bar, gap, height = 14, 10, 220
    width = 23 * (2 * bar + gap) + 40
    parts = [
        f'<svg id="chart" role="img" viewBox="0 0 {width} {height + 40}" width="100%" '
        'aria-label="Practices per objective and section">'
    ]
    for objective in range(1, 24):
        x = 30 + (objective - 1) * (2 * bar + gap)
        for offset, section, colour in ((0, "federal", "#1f5f8b"), (bar, "state", "#d98b26")):
            value = counts.get((objective, section), 0)
            size = round(value / highest * height)
            parts.append(
                f'<rect class="bar {section}" x="{x + offset}" y="{height - size + 10}" width="{bar - 1}" '
                f'height="{size}" fill="{colour}"><title>Objective {objective}, {section}: {value}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar}" y="{height + 26}" font-size="10" text-anchor="middle">{objective}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _states_table(practices: pa.Table, states: pa.Table) -> str:
    names = dict(
        zip(
            states.column("state_code").to_pylist(),
            states.column("name_es").to_pylist(),
            strict=True,
        )
    )
    counts = Counter(code for code in practices.column("state_code").to_pylist() if code)
    rows = "".join(
        f"<tr><td>{html.escape(names.get(code, code))}</td><td>{code}</td><td>{count}</td></tr>"
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return (
        '<table id="states"><thead><tr><th>State</th><th>ISO 3166-2</th><th>Practices</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _dictionary(release_dir: Path) -> str:
    sections = []
    for name, schema in table_schemas(local_package(release_dir)).items():
        rows = "".join(
            f"<tr><td><code>{html.escape(f['name'])}</code></td><td>{f['type']}</td>"
            f"<td>{html.escape(f.get('description', ''))}<br><i>{html.escape(f.get('description_es', ''))}</i></td></tr>"
            for f in schema["fields"]
        )
        sections.append(
            f"<details><summary><code>{name}</code>: {html.escape(schema.get('title', ''))}</summary>"
            f"<p>{html.escape(schema.get('description', ''))}</p>"
            f"<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>{rows}</tbody></table>"
            "</details>"
        )
    return "".join(sections)


def _bytes(release: dict[str, Any], resource: dict[str, Any]) -> str:
    size = file_size(release, resource)
    return "size unknown" if size is None else f"{size:,} bytes"


def _database_link(folder: str, release: dict[str, Any]) -> str:
    """The release's DuckDB database (releases published before there was one have none)."""
    if "database" not in release:
        return ""
    return (
        f'<a class="download" href="{folder}/{html.escape(release["database"])}">DuckDB '
        f"database</a> ({release['database_bytes']:,} bytes), "
    )


def _downloads(descriptor: dict[str, Any], folder: str, release: dict[str, Any]) -> str:
    resources = {r["name"]: r for r in descriptor["resources"]}
    rows = []
    for name in TABLE_NAMES:
        if name not in resources:
            continue
        csv_resource, parquet = resources[name], resources.get(f"{name}-parquet")
        links = [
            f'<a class="download" href="{folder}/{csv_resource["path"]}">CSV</a> ({_bytes(release, csv_resource)})'
        ]
        if parquet:
            links.append(
                f'<a class="download" href="{folder}/{parquet["path"]}">Parquet</a> ({_bytes(release, parquet)})'
            )
        rows.append(
            f"<tr><td><code>{name}</code></td><td>{csv_resource.get('rows', '')}</td><td>{' · '.join(links)}</td></tr>"
        )
    return (
        f'<p><a class="download" id="zip" href="{folder}/{release["zip"]}">{release["zip"]}</a> '
        f"({release['zip_bytes']:,} bytes), {_database_link(folder, release)}"
        f'<a href="{folder}/SHA256SUMS">SHA256SUMS</a>, '
        f'<a href="{folder}/datapackage.json">datapackage.json</a>, <a href="{folder}/CHANGELOG.md">changelog</a></p>'
        '<table id="downloads"><thead><tr><th>Table</th><th>Rows</th><th>Files</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}"
    "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}h1{font-size:1.6rem}.legend span{display:inline-block;width:1rem;height:.8rem;margin:0 .3rem}"
)


def render_index(releases: list[dict[str, Any]], release_dir: Path, publisher: Publisher) -> str:
    """index.html: the latest release (its files in ``release_dir``) with its downloads,
    data and dictionary, and every release with its changelog."""
    ordered = sorted(releases, key=lambda r: _semver(r["version"]), reverse=True)
    latest = ordered[0]
    folder = f"releases/{latest['version']}"
    descriptor = latest["descriptor"]
    practices = _read_csv(release_dir / csv_path("practices"))
    states = _read_csv(release_dir / csv_path("states"))
    citation = (release_dir / "CITATION.cff").read_text("utf-8")
    versions = "".join(
        f'<li class="version"><b>{r["version"]}</b> ({r["released"]}) — '
        f'<a href="releases/{r["version"]}/">files</a>, <a href="releases/{r["version"]}/{r["zip"]}">zip</a>'
        f"<details><summary>Changelog</summary><pre>{html.escape(r['changelog'])}</pre></details></li>"
        for r in ordered
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(descriptor["title"])}</title>
<style>{_STYLE}</style>
{json_ld(schema_org_dataset(latest, publisher, publisher.url("index.html")))}
</head>
<body>
<h1>{html.escape(descriptor["title"])}</h1>
<p lang="es"><i>{html.escape(descriptor["title_es"])}</i></p>
<p>{html.escape(descriptor["description"])}</p>
<p lang="es"><i>{html.escape(descriptor["description_es"])}</i></p>
<h2>Latest version: <span id="latest-version">{latest["version"]}</span></h2>
<p>Released {latest["released"]}. Source: {html.escape(descriptor["sources"][0]["title"])}
(sha256 <code>{descriptor["sources"][0]["sha256"]}</code>).
Licence of the data: <i>{html.escape(descriptor["licenses"][0]["title_es"])}</i></p>
{_downloads(descriptor, folder, latest)}
<h2>Practices per objective</h2>
<p class="legend"><span style="background:#1f5f8b"></span>federal <span style="background:#d98b26"></span>state</p>
{_chart(practices)}
<h2>Practices per implementing state</h2>
{_states_table(practices, states)}
<h2>Data dictionary</h2>
{_dictionary(release_dir)}
<h2>All versions</h2>
<ul id="versions">{versions}</ul>
<h2>How to cite</h2>
<pre>{html.escape(citation)}</pre>
<h2>How to check a download</h2>
<pre>pip install gcm-open
gcm-open validate {latest["zip"]}
sha256sum -c SHA256SUMS</pre>
<p>Every file of a release is listed with its sha256 in <code>SHA256SUMS</code> and, with its
size, in <code>datapackage.json</code>. <a href="catalog.json">DCAT catalog</a> ·
<a href="latest/">latest release</a></p>
</body>
</html>
"""
