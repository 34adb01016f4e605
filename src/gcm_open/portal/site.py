"""Write the portal's pages: those of a release folder (a page per practice, the explorer
and its search index, the release's own page and changelog) and those of the portal's
root (the front page, sitemap, robots.txt)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from gcm_open.package.digests import sha256_file
from gcm_open.package.reading import local_package
from gcm_open.portal.catalog import Publisher
from gcm_open.portal.data import ReleaseData
from gcm_open.portal.explorer import render_explorer, write_search_index
from gcm_open.portal.frame import ASSETS, LANGUAGES, Page, asset, render
from gcm_open.portal.index_page import render_index
from gcm_open.portal.practice_page import render_practice_page
from gcm_open.portal.release_page import (
    ReleaseFile,
    render_changelog_page,
    render_release_page,
)
from gcm_open.versions import version_order


def _write(root: Path, page: Page, publisher: Publisher, folder: str) -> str:
    target = root / page.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(page, publisher, folder), "utf-8")
    return page.path


def _write_assets(root: Path) -> list[str]:
    (root / "assets").mkdir(exist_ok=True)
    for name in ASSETS:
        (root / "assets" / name).write_bytes(asset(name))
    return [f"assets/{name}" for name in ASSETS]


def _release_files(release_dir: Path) -> list[ReleaseFile]:
    """The files of a release folder before its pages are added: path, size, sha256 and,
    for a table, its rows."""
    rows = {
        resource["path"]: resource.get("rows")
        for resource in local_package(release_dir).descriptor["resources"]
        if isinstance(resource.get("path"), str)
    }
    return [
        (
            path.relative_to(release_dir).as_posix(),
            path.stat().st_size,
            sha256_file(path),
            rows.get(path.relative_to(release_dir).as_posix()),
        )
        for path in sorted(release_dir.rglob("*"))
        if path.is_file()
    ]


def write_release_site(release_dir: Path, release: dict[str, Any], publisher: Publisher) -> None:
    """Add the pages of a release to its folder ``release_dir``. ``release`` is what the
    portal records of it (version, date, zip, changelog, descriptor)."""
    files = _release_files(release_dir)
    data = ReleaseData.read(release_dir)
    folder = f"releases/{release['version']}/"
    _write_assets(release_dir)
    for lang in LANGUAGES:
        for practice in data.practices:
            page = render_practice_page(data, practice, lang, release=release, publisher=publisher)
            _write(release_dir, page, publisher, folder)
    # The index is made from the practice pages; the explorer needs its record ids.
    fragments = write_search_index(release_dir)
    for lang in LANGUAGES:
        explorer = render_explorer(data, lang, release=release, fragments=fragments)
        _write(release_dir, explorer, publisher, folder)
        _write(release_dir, render_release_page(release, publisher, files, lang), publisher, folder)
    _write(release_dir, render_changelog_page(release), publisher, folder)


def _sitemap(
    publisher: Publisher, newest: dict[str, Any], releases: list[dict[str, Any]], data: ReleaseData
) -> str:
    folder = f"releases/{newest['version']}"
    paths = ["index.html", "en/index.html"]
    paths += [f"releases/{r['version']}/index.html" for r in releases]
    paths += [f"{folder}/explorar/index.html", f"{folder}/en/explorar/index.html"]
    paths += [f"{folder}/practicas/{p['practice_id']}.html" for p in data.practices]
    entries = "".join(
        f"<url><loc>{xml_escape(publisher.url(path))}</loc></url>\n" for path in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def write_portal_site(
    root: Path, releases: list[dict[str, Any]], release_dir: Path, publisher: Publisher
) -> list[str]:
    """Write the portal's root pages into ``root`` (the newest release's files in
    ``release_dir``); the paths written, relative to ``root``."""
    newest = max(releases, key=lambda r: version_order(r["version"]))
    data = ReleaseData.read(release_dir)
    written = _write_assets(root)
    for lang in LANGUAGES:
        written.append(
            _write(root, render_index(releases, release_dir, data, publisher, lang), publisher, "")
        )
    (root / "sitemap.xml").write_text(_sitemap(publisher, newest, releases, data), "utf-8")
    (root / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {publisher.url('sitemap.xml')}\n", "utf-8"
    )
    return [*written, "sitemap.xml", "robots.txt"]
