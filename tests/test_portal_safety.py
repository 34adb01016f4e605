"""What a publish writes into the portal's pages cannot be turned into markup: hostile
notes, titles and URLs come out as text, a bad release date is refused in one line, and a
refused first publish leaves nothing behind."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PUBLISHER, PUBLISHER_OPTIONS
from gcm_open.cli import main
from gcm_open.release import publish
from test_validate import _rewrite, _rows

HOSTILE = "\"><script>alert(1)</script><img src=x onerror=alert(2)> & <!-- ' --> </textarea>"


class _Markup(html.parser.HTMLParser):
    """Every element and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _injected(page: Path) -> list[str]:
    parser = _Markup()
    parser.feed(page.read_text("utf-8"))
    found = []
    for tag, attributes in parser.elements:
        if tag in {"img", "textarea"}:
            found.append(tag)
        if tag == "script" and not (
            attributes.get("type") == "application/ld+json"
            or str(attributes.get("src")).endswith("assets/explorer.js")
        ):
            found.append(f"script {attributes}")
        found += [f"{tag} {name}" for name in attributes if name.startswith("on")]
        found += [
            f"{tag} {name}={value}"
            for name, value in attributes.items()
            if name in ("href", "src") and str(value).lower().lstrip().startswith("javascript:")
        ]
    return found


def test_hostile_notes_titles_and_urls_come_out_as_text(package: Path, tmp_path: Path) -> None:
    practices = _rows(package, "practices")
    practices[0]["title"] = f"Título {HOSTILE}"
    practices[0]["description"] = f"Descripción {HOSTILE}"
    _rewrite(package, "practices", practices)
    links = _rows(package, "practice_links")
    links[0]["url"] = "javascript:alert(3)"
    links[1]["url"] = f"https://example.org/{HOSTILE}"
    _rewrite(package, "practice_links", links)
    portal = tmp_path / "portal"
    publish(
        "1.0.0", package=package, portal=portal, released="2022-10-05", notes=HOSTILE, **PUBLISHER
    )
    pages = sorted(portal.rglob("*.html"))
    assert len(pages) > 4 * 346
    assert {page.name: _injected(page) for page in pages if _injected(page)} == {}
    practice = portal / "latest" / "practicas" / f"{practices[0]['practice_id']}.html"
    assert "Título &quot;&gt;&lt;script&gt;" in practice.read_text("utf-8")
    assert "Policy" in practice.read_text("utf-8")


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2022-13-45", "Error: --date '2022-13-45': not a date written YYYY-MM-DD"),
        (
            "2022-01-01; <script>alert(1)</script>",
            "Error: --date '2022-01-01; <script>alert(1)</script>': not a date",
        ),
        ("2022-1-5", "Error: --date '2022-1-5': not a date written YYYY-MM-DD"),
        ("2999-01-01", "Error: --date 2999-01-01: after today"),
        ("2022-10-04", "Error: --date 2022-10-04: before the previous release's date (2022-10-05)"),
    ],
)
def test_a_bad_release_date_is_a_one_line_error(
    package: Path, tmp_path: Path, date: str, message: str
) -> None:
    portal = tmp_path / "portal"
    publish("1.0.0", package=package, portal=portal, released="2022-10-05", **PUBLISHER)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    rows = _rows(package, "practices")
    rows[0]["title"] += " (corregido)"
    _rewrite(package, "practices", rows)
    result = CliRunner().invoke(
        main,
        [
            *("publish", "--version", "1.0.1", "--package", str(package)),
            *("--portal", str(portal), "--date", date),
        ],
    )
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_refused_first_publish_leaves_no_lock(package: Path, tmp_path: Path) -> None:
    rows = _rows(package, "practices")
    rows[0]["objective_id"] = 99
    _rewrite(package, "practices", rows)
    result = CliRunner().invoke(
        main,
        [
            *("publish", "--version", "1.0.0", "--package", str(package)),
            *("--portal", str(tmp_path / "portal"), "--date", "2022-10-05", *PUBLISHER_OPTIONS),
        ],
    )
    assert result.exit_code == 1, result.output
    assert sorted(tmp_path.iterdir()) == [package]
