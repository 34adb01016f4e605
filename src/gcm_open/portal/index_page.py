"""The portal's front page (``index.html``, ``en/index.html``): what the data are, the way
into the practices, the newest release's downloads, the pictures, every release and how to
cite and check them."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from gcm_open.package.reading import local_package, table_schemas
from gcm_open.portal.catalog import (
    Publisher,
    file_size,
    json_ld,
    schema_org_dataset,
)
from gcm_open.portal.data import ReleaseData
from gcm_open.portal.frame import Page, attribute, relative, text, word
from gcm_open.portal.pictures import objectives_chart, state_tiles
from gcm_open.portal.release_page import changelog_html, check_section
from gcm_open.schemas import TABLE_NAMES
from gcm_open.versions import version_order


def _size(release: dict[str, Any], resource: dict[str, Any]) -> str:
    size = file_size(release, resource)
    return "" if size is None else f" ({size:,} bytes)"


def _downloads(release: dict[str, Any], folder: str, page: str, lang: str) -> str:
    resources = {r["name"]: r for r in release["descriptor"]["resources"]}
    rows = []
    for name in TABLE_NAMES:
        if name not in resources:
            continue
        links = []
        for resource, label in (
            (resources[name], "CSV"),
            (resources.get(f"{name}-parquet"), "Parquet"),
        ):
            if resource is None:
                continue
            href = relative(page, f"{folder}/{resource['path']}")
            links.append(
                f'<a class="download" href={attribute(href)}>{label}<span class="context"> '
                f"{word(lang, 'table').lower()} {text(name)}</span></a>{_size(release, resource)}"
            )
        rows.append(
            f"<tr><td><code>{text(name)}</code></td><td>{text(resources[name].get('rows', ''))}</td>"
            f"<td>{' · '.join(links)}</td></tr>"
        )
    head = "".join(f'<th scope="col">{word(lang, key)}</th>' for key in ("table", "rows", "files"))
    return (
        f'<div class="scroll" tabindex="0" role="region" aria-label={attribute(word(lang, "tables"))}>'
        f'<table id="downloads"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _dictionary(release_dir: Path, lang: str) -> str:
    sections = []
    key = "description_es" if lang == "es" else "description"
    for name, schema in table_schemas(local_package(release_dir)).items():
        rows = "".join(
            f"<tr><td><code>{text(f['name'])}</code></td><td>{text(f['type'])}</td>"
            f"<td>{text(f.get(key) or f.get('description', ''))}</td></tr>"
            for f in schema["fields"]
        )
        head = "".join(
            f'<th scope="col">{word(lang, k)}</th>' for k in ("field", "type", "description")
        )
        sections.append(
            f"<details><summary><code>{text(name)}</code>: {text(schema.get('title', ''))}</summary>"
            f'<div class="scroll" tabindex="0" role="region" aria-label={attribute(name)}>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></details>"
        )
    return "".join(sections)


def _version_item(release: dict[str, Any], page: str, english: str, lang: str) -> str:
    version = release["version"]
    files = relative(page, f"releases/{version}/{english}index.html")
    changelog = relative(page, f"releases/{version}/CHANGELOG.html")
    return (
        f'<li class="version"><b>{text(version)}</b> ({text(release["released"])}) · '
        f"<a href={attribute(files)}>{word(lang, 'files')} {text(version)}</a> · "
        f"<a href={attribute(changelog)}>{word(lang, 'changelog')} {text(version)}</a>"
        f'<details><summary>{word(lang, "changelog")}</summary><div lang="en">'
        f"{changelog_html(release['changelog'])}</div></details></li>"
    )


def render_index(
    releases: list[dict[str, Any]],
    release_dir: Path,
    data: ReleaseData,
    publisher: Publisher,
    lang: str,
) -> Page:
    """The front page in ``lang``: the newest release (its files in ``release_dir``, its
    tables read into ``data``) and every release."""
    ordered = sorted(releases, key=lambda r: version_order(r["version"]), reverse=True)
    latest = ordered[0]
    descriptor = latest["descriptor"]
    page = "index.html" if lang == "es" else "en/index.html"
    english = "" if lang == "es" else "en/"
    folder = f"releases/{latest['version']}"
    explorer = relative(page, f"latest/{english}explorar/index.html")
    citation = (release_dir / "CITATION.cff").read_text("utf-8")
    versions = "".join(_version_item(r, page, english, lang) for r in ordered)
    source = descriptor["sources"][0]
    title = descriptor["title_es"] if lang == "es" else descriptor["title"]
    summary = descriptor["description_es"] if lang == "es" else descriptor["description"]
    zip_href = relative(page, f"{folder}/{latest['zip']}")
    database = ""
    if "database" in latest:
        database = (
            f"<li><a href={attribute(relative(page, folder + '/' + latest['database']))}>"
            f"{word(lang, 'database')}</a> ({latest['database_bytes']:,} bytes)</li>"
        )
    body = f"""<h1>{text(title)}</h1>
<p>{text(summary)}</p>
<ul class="downloads">
<li><a class="primary" href={attribute(explorer)}>{word(lang, "explore-n").format(n=len(data.practices))}</a></li>
<li><a class="primary" id="zip" href={attribute(zip_href)}>{word(lang, "download-zip")}</a> ({latest["zip_bytes"]:,} bytes)</li>
</ul>
<h2>{word(lang, "latest")}: <span id="latest-version">{text(latest["version"])}</span></h2>
<p>{word(lang, "released").capitalize()} {text(latest["released"])}. {word(lang, "source-document")}: <span lang="es">{text(source["title"])}</span>
(sha256 <code>{text(source["sha256"])}</code>). {word(lang, "licence")}: <span lang="es">{text(descriptor["licenses"][0].get("title_es", ""))}</span>.</p>
<ul class="downloads">
{database}<li><a href={attribute(relative(page, f"{folder}/SHA256SUMS"))}>SHA256SUMS</a></li>
<li><a href={attribute(relative(page, f"{folder}/datapackage.json"))}>datapackage.json</a></li>
<li><a href={attribute(relative(page, f"{folder}/{english}index.html"))}>{word(lang, "files")} {text(latest["version"])}</a></li>
<li><a href={attribute(relative(page, "catalog.json"))}>{word(lang, "catalog")}</a></li>
</ul>
{_downloads(latest, folder, page, lang)}
<h2>{word(lang, "chart-title")}</h2>
{objectives_chart(data, lang)}
<h2>{word(lang, "states-title")}</h2>
<p>{word(lang, "map-title")}.</p>
{state_tiles(data, lang, explorer)}
{check_section(publisher, latest, lang)}
<h2>{word(lang, "versions")}</h2>
<ul id="versions">{versions}</ul>
<h2>{word(lang, "cite")}</h2>
<pre tabindex="0">{text(citation)}</pre>
<h2>{word(lang, "dictionary")}</h2>
{_dictionary(release_dir, lang)}"""
    return Page(
        path=page,
        lang=lang,
        title=title,
        description=textwrap.shorten(summary, 300, placeholder=" …"),
        body=body,
        twin="en/index.html" if lang == "es" else "index.html",
        head=json_ld(schema_org_dataset(latest, publisher, publisher.url(page))),
    )
