"""The page of one practice: everything the release holds about it, where it is in the
source, how to cite it, and the practices that share its objective, state or institution."""

from __future__ import annotations

import textwrap
import urllib.parse
from typing import Any

from gcm_open.portal.catalog import Publisher
from gcm_open.portal.data import ReleaseData, Row
from gcm_open.portal.frame import Page, attribute, relative, safe_link, text, word
from gcm_open.schemas import load_schema

# The folders of the practice pages, by language.
PRACTICE_FOLDERS = {"es": "practicas", "en": "en/practicas"}
_KINDS = {
    "count": ("conteo", "count"),
    "money": ("dinero", "money"),
    "percent": ("porcentaje", "percent"),
    "duration": ("duración", "duration"),
    "other": ("otra", "other"),
}
# The parts of a practice a figure can be printed in.
PARTS = load_schema("practice_figures").enum("part")
# At most this many related practices are listed; the explorer link shows them all.
RELATED_SHOWN = 12


def practice_path(practice_id: str, lang: str) -> str:
    """Where a practice's page is in a release folder.

    >>> practice_path("2022-F-07-04", "en")
    'en/practicas/2022-F-07-04.html'
    """
    return f"{PRACTICE_FOLDERS[lang]}/{practice_id}.html"


def release_home(lang: str) -> str:
    """Where a release folder's own page is, in ``lang``."""
    return "index.html" if lang == "es" else "en/index.html"


def explorer_path(lang: str) -> str:
    """Where the explorer is in a release folder."""
    return "explorar/index.html" if lang == "es" else "en/explorar/index.html"


def objective_title(objective: Row, lang: str) -> str:
    """An objective's number and title in ``lang``."""
    title = objective["title_es"] if lang == "es" else objective["title_en"]
    return f"{objective['objective_id']}. {title}"


def _paragraphs(value: str | None) -> str:
    paragraphs = [part.strip() for part in (value or "").split("\n") if part.strip()]
    return "".join(f'<p lang="es">{text(part)}</p>' for part in paragraphs)


def _filter_link(page: str, lang: str, key: str, value: str, label: str, *, spanish: bool) -> str:
    """A link to the explorer showing the practices with ``key`` = ``value``."""
    href = f"{relative(page, explorer_path(lang))}?{urllib.parse.urlencode({key: value})}"
    marked = ' lang="es"' if spanish else ""
    return f"<a href={attribute(href)}{marked}>{text(label)}</a>"


def _listing(items: list[str], lang: str) -> str:
    if not items:
        return f"<span>{word(lang, 'none')}</span>"
    return ", ".join(items)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _kind(kind: str | None, lang: str) -> str:
    names = _KINDS.get(kind or "")
    return text(kind or "") if names is None else names[0 if lang == "es" else 1]


def _figures(figures: list[Row], lang: str) -> str:
    if not figures:
        return ""
    rows = "".join(
        f'<tr><td>{text(_number(row["value"]))}</td><td lang="es">{text(row["printed"])}</td>'
        f'<td lang="es">{text(row["unit"] or "")}</td>'
        f"<td>{_kind(row['kind'], lang)}</td>"
        f"<td>{word(lang, row['part']) if row['part'] in PARTS else text(row['part'] or '')}</td>"
        f"<td>{text(row['line_no'] or '')}</td></tr>"
        for row in figures
    )
    head = "".join(
        f'<th scope="col">{word(lang, key)}</th>'
        for key in ("value", "printed", "unit", "kind", "part", "line")
    )
    label = word(lang, "figures")
    return (
        f'<h2 id="cifras">{label}</h2><div class="scroll" tabindex="0" role="region" '
        f"aria-label={attribute(label)}><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def _related(page: str, lang: str, key: str, others: list[Row], filter_link: str) -> str:
    if not others:
        return ""
    items = "".join(
        f'<li><a href={attribute(relative(page, practice_path(p["practice_id"], lang)))} lang="es">'
        f"{text(p['title'])}</a> <small>{text(p['practice_id'])}</small></li>"
        for p in others[:RELATED_SHOWN]
    )
    return f"<h3>{word(lang, key)} ({len(others)})</h3><p>{filter_link}</p><ul>{items}</ul>"


def render_practice_page(
    data: ReleaseData,
    practice: Row,
    lang: str,
    *,
    release: dict[str, Any],
    publisher: Publisher,
) -> Page:
    """The page of ``practice`` in ``lang`` (its texts stay in Spanish, marked so)."""
    practice_id = practice["practice_id"]
    page = practice_path(practice_id, lang)
    twin = practice_path(practice_id, "en" if lang == "es" else "es")
    objective = data.objectives[practice["objective_id"]]
    english = lang == "en"

    def institution(institution_id: str) -> str:
        name = data.institution_name(institution_id)
        return _filter_link(page, lang, "institucion", institution_id, name, spanish=True)

    def state(code: str) -> str:
        return _filter_link(page, lang, "estado", code, data.state_name(code), spanish=True)

    leads = [institution(i) for i in data.leads(practice_id)]
    mentioned = [institution(i) for i in data.mentioned(practice_id)]
    states = [state(code) for code in data.state_codes(practice)]
    populations = [
        _filter_link(
            page,
            lang,
            "poblacion",
            row["population_id"],
            data.population_label(row["population_id"], lang),
            spanish=not english,
        )
        for row in data.of("practice_populations", practice_id)
    ]
    countries = [
        _filter_link(
            page,
            lang,
            "pais",
            row["country_code"],
            data.country_name(row["country_code"], lang),
            spanish=not english,
        )
        for row in data.of("practice_countries", practice_id)
    ]
    section = word(lang, "federal" if practice["section"] == "federal" else "state")
    objective_link = _filter_link(
        page,
        lang,
        "objetivo",
        str(practice["objective_id"]),
        objective_title(objective, lang),
        spanish=not english,
    )
    other = "en" if lang == "es" else "es"
    facts = [
        ("practice", f"<code>{text(practice_id)}</code>"),
        (
            "objective",
            f'{objective_link}<br><small lang="{other}">{text(objective_title(objective, other))}</small>',
        ),
        ("section", section),
        ("lead", _listing(leads, lang)),
        ("implementing-state", _listing(states, lang)),
        ("mentioned", _listing(mentioned, lang)),
        ("populations", _listing(populations, lang)),
        ("countries", _listing(countries, lang)),
        (
            "source",
            f"{word(lang, 'pages')} {practice['page_start']}–{practice['page_end']}, "
            f"{word(lang, 'lines')} {practice['line_start']}–{practice['line_end']}",
        ),
    ]
    facts_html = "".join(f"<dt>{word(lang, key)}</dt><dd>{value}</dd>" for key, value in facts)
    challenges = (
        _paragraphs(practice["challenges"])
        if practice["challenges_reported"]
        else f"<p>{word(lang, 'no-challenges')}</p>"
    )
    links = []
    for row in data.of("practice_links", practice_id):
        url = safe_link(row["url"])
        shown = text(row["url"])
        links.append(
            f"<li><a href={attribute(url)}>{shown}</a></li>"
            if url
            else f"<li><code>{shown}</code></li>"
        )
    notes = "".join(
        f'<li value="{row["number"]}" lang="es">{text(row["text"])}</li>'
        for row in data.of("footnotes", practice_id)
    )
    url = publisher.url(f"releases/{release['version']}/{page}")
    source = release["descriptor"]["sources"][0]
    citation = (
        f"{source['publisher']} ({(source.get('published') or '')[:4]}). {practice['title']} "
        f"[{practice_id}]. {source['title']}. gcm-open {release['version']} "
        f"({release['released']}). {url}"
    )
    same_objective = [
        p
        for p in data.practices
        if p["objective_id"] == practice["objective_id"] and p["practice_id"] != practice_id
    ]
    # The practices of the same state as the explorer's state filter finds them.
    same_state = [
        p
        for p in data.practices
        if practice["state_code"] in data.states_by_practice[p["practice_id"]]
        and p["practice_id"] != practice_id
    ]
    lead_ids = data.leads_by_practice[practice_id]
    same_institution = [
        p
        for p in data.practices
        if p["practice_id"] != practice_id and lead_ids & data.leads_by_practice[p["practice_id"]]
    ]
    related = _related(page, lang, "related-objective", same_objective, objective_link)
    if practice["state_code"]:
        related += _related(page, lang, "related-state", same_state, state(practice["state_code"]))
    if lead_ids:
        related += _related(
            page,
            lang,
            "related-institution",
            same_institution,
            ", ".join(institution(i) for i in sorted(lead_ids)),
        )
    data_links = (
        f"<a href={attribute(relative(page, 'data/practices.csv'))}>{word(lang, 'practices-csv')}</a>"
        f" · <a href={attribute(relative(page, 'data/practice_figures.csv'))}>"
        f"{word(lang, 'figures-csv')}</a>"
    )
    body = f"""<p class="crumbs"><a href={attribute(relative(page, release_home(lang)))}>{word(lang, "release")} {text(release["version"])}</a> › {objective_link}</p>
<article data-pagefind-body>
<h1 lang="es">{text(practice["title"])}</h1>
<dl class="facts" data-pagefind-ignore>{facts_html}</dl>
<h2>{word(lang, "description")}</h2>{_paragraphs(practice["description"])}
<h2>{word(lang, "results")}</h2>{_paragraphs(practice["results"])}
<h2>{word(lang, "challenges")}</h2>{challenges}
</article>
{_figures(data.of("practice_figures", practice_id), lang)}
{f"<h2>{word(lang, 'links')}</h2><ul>{''.join(links)}</ul>" if links else ""}
{f"<h2>{word(lang, 'footnotes')}</h2><ol>{notes}</ol>" if notes else ""}
<h2>{word(lang, "cite")}</h2>
<p class="citation" lang="es">{text(citation)}</p>
<p>{word(lang, "release")} {text(release["version"])}, {word(lang, "released")} {text(release["released"])}. {word(lang, "data")}: {data_links}</p>
{related}"""
    description = f"{objective_title(objective, lang)} · {practice['title']}"
    return Page(
        path=page,
        lang=lang,
        title=f"{textwrap.shorten(practice['title'], 90, placeholder=' …')} · {practice_id}",
        description=textwrap.shorten(description, 300, placeholder=" …"),
        body=body,
        twin=twin,
    )
