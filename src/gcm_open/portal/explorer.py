"""The explorer: every practice of a release in one list, filtered by objective, section,
state, institution, population and country, and searched in full text.

The list and its filters are in the page itself, so that it works without script and a
crawler finds every practice; ``assets/explorer.js`` filters it in place and keeps the
view in the address (``?q=salud&estado=MX-CHP``). The full-text search is Pagefind's,
built at publish time from the practices' texts with Spanish stemming: it needs no server
and sends no request outside the portal.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from gcm_open.errors import GcmOpenError
from gcm_open.portal.data import ReleaseData, Row
from gcm_open.portal.frame import Page, attribute, relative, text, word
from gcm_open.portal.practice_page import (
    PRACTICE_FOLDERS,
    explorer_path,
    objective_title,
    practice_path,
)

# The index of the full-text search, in a release folder.
SEARCH_FOLDER = "pagefind"
# What of Pagefind's output the explorer loads: its search library, its WebAssembly and
# the index; not its ready-made interfaces, which the explorer does not use.
_SEARCH_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
_SEARCH_SUFFIXES = (".pagefind", ".pf_meta")
_SEARCH_FOLDERS = ("fragment", "index")


class SearchIndexError(GcmOpenError):
    """The search index could not be built."""


# The explorer's filters, by their key in the page's address.
FILTERS = ("objetivo", "seccion", "estado", "institucion", "poblacion", "pais")


def practice_facets(data: ReleaseData, practice: Row) -> dict[str, list[str]]:
    """The values of each filter a practice has."""
    practice_id = practice["practice_id"]
    return {
        "objetivo": [str(practice["objective_id"])],
        "seccion": [practice["section"]],
        "estado": data.state_codes(practice),
        "institucion": list(
            dict.fromkeys(
                row["institution_id"] for row in data.of("practice_institutions", practice_id)
            )
        ),
        "poblacion": [row["population_id"] for row in data.of("practice_populations", practice_id)],
        "pais": [row["country_code"] for row in data.of("practice_countries", practice_id)],
    }


def _options(data: ReleaseData, lang: str) -> dict[str, list[tuple[str, str]]]:
    used: dict[str, set[str]] = {key: set() for key in FILTERS}
    for practice in data.practices:
        for key, values in practice_facets(data, practice).items():
            used[key].update(values)
    return {
        "objetivo": [
            (str(i), objective_title(data.objectives[i], lang))
            for i in sorted(data.objectives)
            if str(i) in used["objetivo"]
        ],
        "seccion": [("federal", word(lang, "federal")), ("state", word(lang, "state"))],
        "estado": sorted(
            ((code, data.state_name(code)) for code in used["estado"]),
            key=lambda item: item[1],
        ),
        "institucion": sorted(
            ((i, f"{data.institution_name(i)} ({i})") for i in used["institucion"]),
            key=lambda item: item[1].casefold(),
        ),
        "poblacion": sorted(
            ((i, data.population_label(i, lang)) for i in used["poblacion"]),
            key=lambda item: item[1].casefold(),
        ),
        "pais": sorted(
            ((code, data.country_name(code, lang)) for code in used["pais"]),
            key=lambda item: item[1].casefold(),
        ),
    }


_FILTER_LABELS = {
    "objetivo": "objective",
    "seccion": "section",
    "estado": "implementing-state",
    "institucion": "institution",
    "poblacion": "population",
    "pais": "country",
}


def render_explorer(
    data: ReleaseData, lang: str, *, release: dict[str, Any], fragments: dict[str, str]
) -> Page:
    """The explorer page of a release in ``lang``; ``fragments`` is the id of each
    practice's record in the search index (see :func:`write_search_index`)."""
    page = explorer_path(lang)
    selects = []
    for key, options in _options(data, lang).items():
        label = word(lang, _FILTER_LABELS[key])
        # States and institutions are named in Spanish in both languages.
        marked = ' lang="es"' if key in ("estado", "institucion") and lang != "es" else ""
        choices = "".join(
            f"<option value={attribute(value)}{marked}>{text(name)}</option>"
            for value, name in options
        )
        selects.append(
            f'<div class="field"><label for="f-{key}">{label}</label>'
            f'<select id="f-{key}" name="{key}"><option value="">{word(lang, "all")}</option>'
            f"{choices}</select></div>"
        )
    items = []
    for practice in data.practices:
        facets = practice_facets(data, practice)
        attributes = "".join(
            f" data-{key}={attribute(' '.join(values))}" for key, values in facets.items()
        )
        objective = data.objectives[practice["objective_id"]]
        place = data.state_name(practice["state_code"]) if practice["state_code"] else ""
        fragment = fragments.get(practice["practice_id"], "")
        where = f' · <span lang="es">{text(place)}</span>' if place else ""
        items.append(
            f"<li id={attribute(practice['practice_id'])} data-fragment={attribute(fragment)}"
            f"{attributes}>"
            f'<a href={attribute(relative(page, practice_path(practice["practice_id"], lang)))} lang="es">'
            f"{text(practice['title'])}</a><br><small>{text(practice['practice_id'])} · "
            f"{text(objective_title(objective, lang))}"
            f"{where}"
            f'</small><p class="excerpt" lang="es" hidden></p></li>'
        )
    count = len(data.practices)
    body = f"""<h1>{word(lang, "explore")}</h1>
<p>{word(lang, "release")} {text(release["version"])}, {word(lang, "released")} {text(release["released"])}.</p>
<form id="explorer" role="search" data-search={attribute(relative(page, f"{SEARCH_FOLDER}/pagefind.js"))}>
<div class="field wide"><label for="f-q">{word(lang, "search")}</label>
<input id="f-q" name="q" type="search" autocomplete="off"></div>
{"".join(selects)}
<p><button type="reset" id="clear">{word(lang, "clear")}</button></p>
</form>
<noscript><p>{word(lang, "no-script")}</p></noscript>
<p id="count" role="status" aria-live="polite"><span id="shown">{count}</span> {word(lang, "count")}</p>
<ol id="results">{"".join(items)}</ol>"""
    return Page(
        path=page,
        lang=lang,
        title=f"{word(lang, 'explore')} · {word(lang, 'site')}",
        description=f"{word(lang, 'explore')}: {count} · {word(lang, 'site')}",
        body=body,
        twin=explorer_path("en" if lang == "es" else "es"),
        scripts=("assets/explorer.js",),
        # Fetched while the page loads: a shared address with a search needs it at once.
        head=f'<link rel="modulepreload" href={attribute(relative(page, f"{SEARCH_FOLDER}/pagefind.js"))}>',
    )


def _index(release: Path, output: Path) -> None:
    """Run Pagefind's indexer over the Spanish practice pages, to completion.

    Its command, not its Python API: the API's service is stopped as soon as it has
    answered, which can cut off files it is still writing, and it pauses after every
    answer. Run in an empty folder, so that no Pagefind configuration file there applies.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        *("--site", str(release.absolute())),
        *("--glob", f"{PRACTICE_FOLDERS['es']}/*.html"),
        *("--output-path", str(output.absolute())),
        *("--force-language", "es"),
        "--silent",
    ]
    done = subprocess.run(command, cwd=output.parent, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
        raise SearchIndexError(f"the search index could not be built: {message[-1]}")


def _fragments(output: Path) -> dict[str, str]:
    """Which of Pagefind's records (a search result's ``id``) is which practice: read from
    the records (gzipped, after a signature, JSON with the page's URL), so that the
    explorer knows the practices a search found without loading every record."""
    fragments = {}
    for path in sorted((output / "fragment").glob("*.pf_fragment")):
        try:
            content = gzip.decompress(path.read_bytes())
            record = json.loads(content[content.index(b"{") :])
            url = str(record["url"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SearchIndexError(
                f"Pagefind's record {path.name} cannot be read ({error})"
            ) from None
        fragments[url.rsplit("/", 1)[-1].removesuffix(".html")] = path.stem
    return fragments


def write_search_index(release: Path) -> dict[str, str]:
    """Pagefind's index of the Spanish practice pages of the release folder ``release``
    (their ``data-pagefind-body``: title and texts), in ``release/pagefind``. Returns the
    id of each practice's record in the index, by practice id.

    Raises :class:`SearchIndexError` when Pagefind cannot run or its records cannot be
    read.
    """
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "bundle"
        try:
            _index(release, output)
        except OSError as error:
            raise SearchIndexError(f"the search index could not be built: {error}") from None
        fragments = _fragments(output)
        target = release / SEARCH_FOLDER
        for path in sorted(output.rglob("*")):
            relative_path = path.relative_to(output)
            keep = (
                path.name in _SEARCH_FILES
                or path.suffix in _SEARCH_SUFFIXES
                or relative_path.parts[0] in _SEARCH_FOLDERS
            )
            if path.is_file() and keep:
                (target / relative_path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target / relative_path)
    return fragments
