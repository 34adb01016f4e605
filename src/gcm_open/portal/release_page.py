"""The page of a release folder (``releases/<version>/index.html``, also served as
``latest/index.html``): its files with sizes, rows and checksums, its changelog, how to
cite it and how to check it; and its changelog as HTML."""

from __future__ import annotations

import textwrap
from typing import Any

from gcm_open.portal.catalog import Publisher, json_ld, schema_org_dataset
from gcm_open.portal.frame import Page, attribute, relative, text, word
from gcm_open.portal.practice_page import explorer_path

# A file of a release: its path in the folder, size, sha256 and, for a table, its rows.
ReleaseFile = tuple[str, int, str, int | None]


def changelog_html(changelog: str) -> str:
    """A changelog as gcm-open writes it (headings, paragraphs, lists of ``- `` items
    nested by two spaces, an item continued on indented lines) as HTML, every character of
    it escaped."""
    parts: list[str] = []
    depth = 0
    for line in changelog.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith("- "):
            level = 1 + indent // 2
            while depth < level:
                parts.append("<ul>")
                depth += 1
            while depth > level:
                parts.append("</li></ul>")
                depth -= 1
            if parts[-1] != "<ul>":
                parts.append("</li>")
            parts.append(f"<li>{text(stripped[2:])}")
            continue
        if depth and indent and stripped:
            parts.append(f" {text(stripped)}")
            continue
        while depth:
            parts.append("</li></ul>")
            depth -= 1
        if line.startswith("# "):
            parts.append(f"<h2>{text(line[2:])}</h2>")
        elif stripped:
            parts.append(f"<p>{text(stripped)}</p>")
    parts.extend("</li></ul>" for _ in range(depth))
    return "".join(parts)


def check_commands(publisher: Publisher, release: dict[str, Any]) -> str:
    """The commands that check a downloaded release, as the pages print them: run in one
    terminal, in an empty folder (gcm-open goes into a virtual environment of its own, as
    Debian's and Ubuntu's Python ask)."""
    folder = publisher.url(f"releases/{release['version']}")
    return (
        f"curl -fsSLO {folder}/{release['zip']}\n"
        f"curl -fsSLO {folder}/SHA256SUMS\n"
        "sha256sum --check --ignore-missing SHA256SUMS\n"
        "python3 -m venv gcm-open-env && . gcm-open-env/bin/activate\n"
        "python3 -m pip install gcm-open\n"
        f"gcm-open validate {release['zip']}"
    )


def check_section(publisher: Publisher, release: dict[str, Any], lang: str) -> str:
    """How to check a download, with commands that pass as written."""
    return (
        f'<h2 id="check">{word(lang, "check")}</h2><p>{word(lang, "check-intro")}</p>'
        f'<pre id="check-commands" tabindex="0">{text(check_commands(publisher, release))}</pre>'
    )


def _digest(name: str, digest: str, lang: str) -> str:
    # DuckDB writes a random identifier into its file's header, so its digest differs
    # from one publish to the next; the page, made from the same package, does not.
    if name.endswith(".duckdb"):
        return word(lang, "digest-in-sums")
    return f"<code>{text(digest)}</code>"


def render_release_page(
    release: dict[str, Any],
    publisher: Publisher,
    files: list[ReleaseFile],
    lang: str,
) -> Page:
    """The page of a release folder in ``lang``."""
    descriptor = release["descriptor"]
    path = "index.html" if lang == "es" else "en/index.html"
    prefix = "" if lang == "es" else "../"
    rows = "".join(
        f"<tr><td><a href={attribute(prefix + name)}>{text(name)}</a></td>"
        f"<td>{'' if table_rows is None else text(f'{table_rows:,}')}</td><td>{size:,}</td>"
        f"<td>{_digest(name, digest, lang)}</td></tr>"
        for name, size, digest, table_rows in files
    )
    head = "".join(
        f'<th scope="col">{word(lang, key)}</th>' for key in ("file", "rows", "bytes", "checksums")
    )
    title = f"{descriptor['title_es' if lang == 'es' else 'title']} · {word(lang, 'release')} {release['version']}"
    citation = release.get("citation", "")
    body = f"""<h1>{text(descriptor["title_es"] if lang == "es" else descriptor["title"])}, {word(lang, "release")} <span id="version">{text(release["version"])}</span></h1>
<p>{word(lang, "released").capitalize()} {text(release["released"])}.</p>
<ul class="downloads">
<li><a class="primary" href={attribute(prefix + release["zip"])}>{word(lang, "download-zip")}: {text(release["zip"])}</a></li>
<li><a href={attribute(relative(path, explorer_path(lang)))}>{word(lang, "explore")}</a></li>
<li><a href={attribute(prefix + "SHA256SUMS")}>SHA256SUMS</a></li>
<li><a href={attribute(prefix + "CHANGELOG.html")}>{word(lang, "changelog")}</a></li>
</ul>
<h2>{word(lang, "files")}</h2>
<div class="scroll" tabindex="0" role="region" aria-label={attribute(word(lang, "files"))}>
<table id="files"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>
{check_section(publisher, release, lang)}
<h2>{word(lang, "changelog")}</h2>
<div lang="en">{changelog_html(release["changelog"])}</div>
<h2>{word(lang, "cite")}</h2>
<pre tabindex="0">{text(citation)}</pre>"""
    summary = descriptor["description_es"] if lang == "es" else descriptor["description"]
    page_url = publisher.url(f"releases/{release['version']}/{path}")
    return Page(
        path=path,
        lang=lang,
        title=title,
        description=textwrap.shorten(summary, 300, placeholder=" …"),
        body=body,
        twin="en/index.html" if lang == "es" else "index.html",
        head=json_ld(schema_org_dataset(release, publisher, page_url)),
    )


def render_changelog_page(release: dict[str, Any]) -> Page:
    """``CHANGELOG.html``: the release's changelog as a page, in UTF-8 whatever the server
    says of ``CHANGELOG.md``."""
    return Page(
        path="CHANGELOG.html",
        lang="en",
        title=f"Changelog {release['version']}",
        description=f"What changed in release {release['version']}",
        body=f"<h1>Changelog {text(release['version'])}</h1>{changelog_html(release['changelog'])}",
    )
