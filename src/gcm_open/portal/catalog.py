"""What the portal says of its data to machines: the DCAT-US catalog harvesters read and
the schema.org ``Dataset`` search engines read from its pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gcm_open.package.layout import DESCRIPTOR
from gcm_open.versions import version_order

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
    ordered = sorted(releases, key=lambda r: version_order(r["version"]), reverse=True)
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
            or MEDIA_TYPES.get(str(resource.get("format", "")).lower(), "application/octet-stream"),
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
