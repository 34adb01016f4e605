"""The frame every page of the portal shares, and the portal's words in Spanish and English.

A page is written in Spanish first (``lang="es"``) with its English twin under ``en/``;
its head says what it is to browsers, search engines and link previews (description,
canonical URL, language alternates, Open Graph), and a Content-Security-Policy lets it run
only the portal's own scripts. Every value is escaped with :func:`text` or :func:`attribute`
where it enters the HTML.
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from importlib import resources

from gcm_open.portal.catalog import Publisher

LANGUAGES = ("es", "en")
# The portal's own files, in ``assets/`` of the portal and of every release folder.
ASSETS = ("portal.css", "explorer.js", "favicon.svg")
# Only the portal's own scripts, styles and images; Pagefind's search runs WebAssembly
# from the portal ('wasm-unsafe-eval' allows compiling it, not eval of text).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; "
    "form-action 'self'"
)

_WORDS: dict[str, tuple[str, str]] = {
    "site": ("Compendio 2022 de prácticas migratorias", "Compendio 2022 of migration practices"),
    "skip": ("Saltar al contenido", "Skip to content"),
    "home": ("Inicio", "Home"),
    "portal": ("Portal", "Portal"),
    "this-release": ("Esta versión", "This release"),
    "explore": ("Explorar las prácticas", "Explore the practices"),
    "other-language": ("English", "Español"),
    "navigation": ("Navegación del portal", "Portal navigation"),
    "footer": (
        "Datos abiertos hechos con gcm-open a partir del Compendio 2022; textos de las "
        "prácticas en español, como se publicaron.",
        "Open data made with gcm-open from the Compendio 2022; the practices' texts are in "
        "Spanish, as published.",
    ),
    "release": ("Versión", "Release"),
    "released": ("publicada el", "released"),
    "objective": ("Objetivo", "Objective"),
    "section": ("Sección", "Section"),
    "federal": ("Federal", "Federal"),
    "state": ("Estatal", "State"),
    "implementing-state": ("Estado", "State"),
    "lead": ("Institución responsable", "Lead institution"),
    "mentioned": ("Instituciones mencionadas", "Institutions mentioned"),
    "populations": ("Poblaciones", "Populations"),
    "countries": ("Países", "Countries"),
    "figures": ("Cifras", "Figures"),
    "description": ("Descripción", "Description"),
    "results": ("Resultados", "Results"),
    "challenges": ("Retos", "Challenges"),
    "no-challenges": ("La práctica no reporta retos.", "The practice reports no challenges."),
    "links": ("Enlaces", "Links"),
    "footnotes": ("Notas al pie", "Footnotes"),
    "source": ("En la fuente", "In the source"),
    "pages": ("páginas", "pages"),
    "lines": ("líneas", "lines"),
    "cite": ("Cómo citar", "How to cite"),
    "related-objective": ("Otras prácticas del mismo objetivo", "Other practices of the objective"),
    "related-state": ("Otras prácticas del mismo estado", "Other practices of the state"),
    "related-institution": (
        "Otras prácticas de la misma institución",
        "Other practices of the institution",
    ),
    "none": ("no consta", "none"),
    "value": ("Valor", "Value"),
    "printed": ("Impreso", "Printed"),
    "unit": ("Unidad", "Unit"),
    "kind": ("Tipo", "Kind"),
    "part": ("Parte", "Part"),
    "line": ("Línea", "Line"),
    "search": ("Buscar en títulos y textos", "Search titles and texts"),
    "all": ("Todos", "All"),
    "institution": ("Institución", "Institution"),
    "population": ("Población", "Population"),
    "country": ("País", "Country"),
    "clear": ("Quitar los filtros", "Clear the filters"),
    "count": ("prácticas", "practices"),
    "practice": ("Práctica", "Practice"),
    "data": ("Datos de la práctica", "The practice's data"),
    "practices-csv": ("CSV de las prácticas", "CSV of practices"),
    "figures-csv": ("CSV de las cifras", "CSV of figures"),
    "chart-title": ("Prácticas por objetivo y sección", "Practices per objective and section"),
    "data-table": ("Las mismas cifras en una tabla", "The same figures as a table"),
    "total": ("Total", "Total"),
    "map-title": (
        "Prácticas por estado, las que implementa y las que lo nombran: cada estado lleva a "
        "sus prácticas",
        "Practices per state, those it implements and those that name it: each state links "
        "to its practices",
    ),
    "map-legend": (
        "Gris: ninguna práctica; del azul claro al oscuro, de menos a más. Cada casilla "
        "muestra la clave del estado y su número de prácticas.",
        "Grey: no practice; light to dark blue, fewer to more. Each tile shows the state's "
        "code and its number of practices.",
    ),
    "states-title": ("Prácticas por estado", "Practices per state"),
    "latest": ("Versión más reciente", "Latest release"),
    "download-zip": ("Descargar todo (zip)", "Download everything (zip)"),
    "explore-n": ("Explorar las {n} prácticas", "Explore the {n} practices"),
    "tables": ("Tablas", "Tables"),
    "table": ("Tabla", "Table"),
    "rows": ("Filas", "Rows"),
    "files": ("Archivos", "Files"),
    "file": ("Archivo", "File"),
    "bytes": ("Bytes", "Bytes"),
    "check": ("Cómo comprobar una descarga", "How to check a download"),
    "check-intro": (
        "En una terminal con Python, curl y sha256sum (coreutils):",
        "In a terminal with Python, curl and sha256sum (coreutils):",
    ),
    "versions": ("Todas las versiones", "All releases"),
    "changelog": ("Cambios", "Changelog"),
    "dictionary": ("Diccionario de datos", "Data dictionary"),
    "field": ("Campo", "Field"),
    "type": ("Tipo", "Type"),
    "catalog": ("Catálogo DCAT", "DCAT catalog"),
    "database": ("Base de datos DuckDB", "DuckDB database"),
    "checksums": ("Sumas SHA-256", "SHA-256 sums"),
    "digest-in-sums": ("en SHA256SUMS", "in SHA256SUMS"),
    "licence": ("Licencia de los datos", "Licence of the data"),
    "source-document": ("Fuente", "Source"),
    "no-script": (
        "La búsqueda necesita JavaScript; sin él, la lista muestra todas las prácticas.",
        "Search needs JavaScript; without it, the list shows every practice.",
    ),
}


def word(lang: str, key: str) -> str:
    """A word of the portal in ``lang``."""
    spanish, english = _WORDS[key]
    return spanish if lang == "es" else english


def practices(count: int, lang: str) -> str:
    """``count`` practices, in ``lang``.

    >>> practices(1, "es"), practices(2, "en")
    ('1 práctica', '2 practices')
    """
    if lang == "es":
        return f"{count} práctica" if count == 1 else f"{count} prácticas"
    return f"{count} practice" if count == 1 else f"{count} practices"


def text(value: object) -> str:
    """``value`` as HTML text: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def attribute(value: object) -> str:
    """``value`` as a quoted attribute value."""
    return f'"{text(value)}"'


def relative(page: str, target: str) -> str:
    """The link from ``page`` to ``target``, both paths in the same folder tree.

    >>> relative("practicas/2022-F-01-01.html", "assets/portal.css")
    '../assets/portal.css'
    >>> relative("en/index.html", "index.html")
    '../index.html'
    """
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def safe_link(url: str) -> str | None:
    """``url`` when it is one a page may link to (http or https), else None."""
    return url if url.lower().startswith(("http://", "https://")) else None


def asset(name: str) -> bytes:
    """One of the portal's own files (:data:`ASSETS`)."""
    return resources.files("gcm_open.portal").joinpath("assets", name).read_bytes()


@dataclass(frozen=True)
class Page:
    """A page of the portal: where it goes in its folder tree, and what it says."""

    path: str
    lang: str
    title: str
    description: str
    body: str
    # The same page in the other language, when there is one.
    twin: str | None = None
    scripts: tuple[str, ...] = ()
    head: str = ""


def render(page: Page, publisher: Publisher, folder: str) -> str:
    """The whole HTML document of ``page``, served from ``folder`` of the portal ("" for
    its root, ``releases/1.0.0/`` for a release)."""
    english = "" if page.lang == "es" else "en/"
    # A release folder is also served as latest/, so its links to the portal's root are
    # absolute; within the folder they are relative.
    if folder:
        links = [
            (publisher.url(f"{english}index.html"), word(page.lang, "portal")),
            (relative(page.path, f"{english}index.html"), word(page.lang, "this-release")),
            (relative(page.path, f"{english}explorar/index.html"), word(page.lang, "explore")),
        ]
    else:
        links = [
            (relative(page.path, f"{english}index.html"), word(page.lang, "home")),
            (
                relative(page.path, f"latest/{english}explorar/index.html"),
                word(page.lang, "explore"),
            ),
        ]
    navigation = "".join(f"<a href={attribute(href)}>{label}</a>\n" for href, label in links)
    canonical = publisher.url(f"{folder}{page.path}")
    alternates = ""
    switch = ""
    if page.twin is not None:
        other = "en" if page.lang == "es" else "es"
        pair = {page.lang: page.path, other: page.twin}
        alternates = "".join(
            f'<link rel="alternate" hreflang="{lang}" href={attribute(publisher.url(folder + pair[lang]))}>'
            for lang in LANGUAGES
        )
        switch = (
            f'<a href={attribute(relative(page.path, page.twin))} hreflang="{other}" '
            f'lang="{other}">{word(page.lang, "other-language")}</a>'
        )
    scripts = "".join(
        f"<script defer src={attribute(relative(page.path, script))}></script>"
        for script in page.scripts
    )
    css = relative(page.path, "assets/portal.css")
    icon = relative(page.path, "assets/favicon.svg")
    return f"""<!DOCTYPE html>
<html lang="{page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<title>{text(page.title)}</title>
<meta name="description" content={attribute(page.description)}>
<link rel="canonical" href={attribute(canonical)}>
{alternates}
<meta property="og:type" content="website">
<meta property="og:site_name" content={attribute(word(page.lang, "site"))}>
<meta property="og:title" content={attribute(page.title)}>
<meta property="og:description" content={attribute(page.description)}>
<meta property="og:url" content={attribute(canonical)}>
<meta property="og:locale" content="{"es_MX" if page.lang == "es" else "en_US"}">
<link rel="icon" href={attribute(icon)} type="image/svg+xml">
<link rel="stylesheet" href={attribute(css)}>
{page.head}{scripts}
</head>
<body>
<a class="skip" href="#main">{word(page.lang, "skip")}</a>
<header>
<nav aria-label={attribute(word(page.lang, "navigation"))}>
{navigation}{switch}
</nav>
</header>
<main id="main" tabindex="-1">
{page.body}
</main>
<footer><p>{word(page.lang, "footer")}</p></footer>
</body>
</html>
"""
