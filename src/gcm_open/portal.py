"""The static open-data portal: index.html and the DCAT catalog, made from the releases.

Everything is generated from ``releases.json`` and the files of the releases; the page
needs no script, no font and no stylesheet from elsewhere, so it works from any static
host and offline.
"""

from __future__ import annotations

import html
from collections import Counter
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
}


def _url(base_url: str, path: str) -> str:
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


def file_size(release: dict[str, Any], resource: dict[str, Any]) -> int | None:
    """The size of a release's file: as measured at publish time (releases published
    before sizes were recorded give the descriptor's ``bytes``)."""
    size = release.get("sizes", {}).get(resource.get("path"), resource.get("bytes"))
    return size if isinstance(size, int) else None


def dcat_catalog(releases: list[dict[str, Any]], base_url: str) -> dict[str, Any]:
    """A DCAT-US 1.1 catalog (``data.json`` shape) listing every release, newest first."""
    datasets = []
    for release in sorted(releases, key=lambda r: _semver(r["version"]), reverse=True):
        descriptor = release["descriptor"]
        source = descriptor["sources"][0]
        folder = f"releases/{release['version']}"
        distributions = []
        for resource in descriptor["resources"]:
            path = resource["path"]
            schema = resource.get("schema") or resource.get("tableSchema")
            distribution: dict[str, Any] = {
                "@type": "dcat:Distribution",
                "title": f"{resource['name']} ({resource.get('format', '').upper()})",
                "downloadURL": _url(base_url, f"{folder}/{path}"),
                "mediaType": resource.get("mediatype", "application/octet-stream"),
                "format": resource.get("format", "").upper(),
                "byteSize": file_size(release, resource),
            }
            if schema:
                distribution["describedBy"] = _url(base_url, f"{folder}/{schema}")
                distribution["describedByType"] = "application/json"
            distributions.append(distribution)
        distributions.append(
            {
                "@type": "dcat:Distribution",
                "title": "Complete package (zip)",
                "downloadURL": _url(base_url, f"{folder}/{release['zip']}"),
                "mediaType": "application/zip",
                "format": "ZIP",
                "byteSize": release["zip_bytes"],
                "describedBy": _url(base_url, f"{folder}/{DESCRIPTOR}"),
                "describedByType": "application/json",
            }
        )
        period = release["temporal"]
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "identifier": f"{descriptor['name']}-{release['version']}",
                "title": f"{descriptor['title']} (version {release['version']})",
                "description": f"{descriptor['description']} / {descriptor['description_es']}",
                "keyword": descriptor["keywords"],
                "modified": release["released"],
                "issued": release["released"],
                "publisher": {"@type": "org:Organization", "name": source["publisher"]},
                "contactPoint": {"@type": "vcard:Contact", "fn": source["publisher"]},
                "accessLevel": "public",
                "landingPage": _url(base_url, "index.html"),
                "accrualPeriodicity": "R/P1Y",
                "license": descriptor["licenses"][0]["path"],
                "rights": descriptor["licenses"][0]["title_es"],
                "spatial": "Mexico",
                "temporal": period,
                "language": ["es"],
                "version": release["version"],
                "distribution": distributions,
            }
        )
    return {
        "@context": DCAT_CONTEXT,
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_SCHEMA,
        "describedBy": f"{DCAT_SCHEMA}/catalog.json",
        "dataset": datasets,
    }


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


def render_index(releases: list[dict[str, Any]], release_dir: Path) -> str:
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
