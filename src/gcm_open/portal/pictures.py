"""The portal's pictures, as inline SVG that needs no script: practices per objective
(named, with their values on the bars, and a data table beside it), and a tile map of
the 32 states coloured by their practices, each tile a link to the state's practices."""

from __future__ import annotations

import textwrap
import urllib.parse
from collections import Counter

from gcm_open.portal.data import ReleaseData
from gcm_open.portal.frame import attribute, practices, text, word

# (column, row) of each state in a grid shaped like Mexico: the Baja California peninsula
# west, the Yucatán peninsula east.
TILES = {
    "MX-BCN": (0, 0),
    "MX-SON": (1, 0),
    "MX-CHH": (2, 0),
    "MX-COA": (3, 0),
    "MX-NLE": (4, 0),
    "MX-BCS": (0, 1),
    "MX-SIN": (1, 1),
    "MX-DUR": (2, 1),
    "MX-ZAC": (3, 1),
    "MX-SLP": (4, 1),
    "MX-TAM": (5, 1),
    "MX-NAY": (1, 2),
    "MX-JAL": (2, 2),
    "MX-AGU": (3, 2),
    "MX-GUA": (4, 2),
    "MX-QUE": (5, 2),
    "MX-HID": (6, 2),
    "MX-COL": (1, 3),
    "MX-MIC": (2, 3),
    "MX-MEX": (3, 3),
    "MX-CMX": (4, 3),
    "MX-TLA": (5, 3),
    "MX-VER": (6, 3),
    "MX-GRO": (3, 4),
    "MX-MOR": (4, 4),
    "MX-PUE": (5, 4),
    "MX-TAB": (7, 4),
    "MX-CAM": (8, 4),
    "MX-YUC": (9, 4),
    "MX-OAX": (5, 5),
    "MX-CHP": (6, 5),
    "MX-ROO": (9, 5),
}
# Shades of the tiles, lightest for none; the darker two carry white labels.
_SHADES = 5
_WIDTH = 400
_BAR_SPACE = 300


def _label_lines(label: str, width: int = 56, most: int = 3) -> list[str]:
    lines = textwrap.wrap(label, width)
    if len(lines) > most:
        lines = [
            *lines[: most - 1],
            textwrap.shorten(" ".join(lines[most - 1 :]), width, placeholder=" …"),
        ]
    return lines


def objectives_chart(data: ReleaseData, lang: str) -> str:
    """Practices per objective, federal and state, as labelled horizontal bars, followed
    by the same figures as a table."""
    counts = Counter((p["objective_id"], p["section"]) for p in data.practices)
    highest = max(counts.values(), default=1)
    title_key = "title_es" if lang == "es" else "title_en"
    parts, rows, y = [], [], 4
    for objective_id in sorted(data.objectives):
        objective = data.objectives[objective_id]
        label = f"{objective_id}. {objective[title_key]}"
        for line in _label_lines(label):
            y += 16
            parts.append(f'<text x="0" y="{y}">{text(line)}</text>')
        values = []
        for section in ("federal", "state"):
            value = counts.get((objective_id, section), 0)
            values.append(value)
            length = round(value / highest * _BAR_SPACE)
            y += 4
            parts.append(
                f'<rect class="bar {section}" x="0" y="{y}" width="{max(length, 1)}" height="12">'
                f"<title>{text(label)}, {word(lang, section)}: {value}</title></rect>"
                f'<text x="{length + 5}" y="{y + 11}">{value} {word(lang, section).lower()}</text>'
            )
            y += 12
        y += 10
        rows.append(
            f'<tr><th scope="row">{text(label)}</th><td>{values[0]}</td><td>{values[1]}</td>'
            f"<td>{sum(values)}</td></tr>"
        )
    caption = word(lang, "chart-title")
    legend = (
        f'<p class="legend" aria-hidden="true"><span class="federal"></span>{word(lang, "federal")} '
        f'<span class="state"></span>{word(lang, "state")}</p>'
    )
    svg = (
        f'<svg id="chart" class="chart" role="img" viewBox="0 0 {_WIDTH} {y}" '
        f'aria-labelledby="chart-title"><title id="chart-title">{text(caption)}</title>'
        f"{''.join(parts)}</svg>"
    )
    head = "".join(
        f'<th scope="col">{word(lang, key)}</th>'
        for key in ("objective", "federal", "state", "total")
    )
    table = (
        f"<details><summary>{word(lang, 'data-table')}</summary>"
        f'<div class="scroll" tabindex="0" role="region" aria-label={attribute(caption)}>'
        f'<table id="objectives-table"><caption>{text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></details>"
    )
    return legend + svg + table


def state_tiles(data: ReleaseData, lang: str, explorer: str) -> str:
    """The 32 states as tiles coloured by their practices (those they implement and those
    that name them: what the explorer's state filter finds), each linking to ``explorer``
    filtered to the state."""
    counts = Counter(code for codes in data.states_by_practice.values() for code in codes)
    highest = max(counts.values(), default=1)
    tiles = []
    size = 40
    for code, (column, row) in TILES.items():
        count = counts.get(code, 0)
        shade = 0 if count == 0 else 1 + min(_SHADES - 2, (count - 1) * (_SHADES - 1) // highest)
        # The accessible name starts with what the tile shows.
        label = f"{code[3:]} {count}: {data.state_name(code)}, {practices(count, lang)}"
        x, y = column * size, row * size
        href = f"{explorer}?{urllib.parse.urlencode({'estado': code})}"
        tiles.append(
            f"<a href={attribute(href)} "
            f"aria-label={attribute(label)}>"
            f'<rect class="n{shade}" x="{x + 1}" y="{y + 1}" width="{size - 2}" height="{size - 2}" rx="3">'
            f"<title>{text(label)}</title></rect>"
            f'<text class="{"dark" if shade >= 3 else "light"}" x="{x + size / 2}" y="{y + 18}">'
            f'{code[3:]}<tspan x="{x + size / 2}" dy="14"> {count}</tspan></text></a>'
        )
    columns = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    return (
        f"<p>{word(lang, 'map-legend')}</p>"
        f'<svg class="tiles" viewBox="0 0 {columns * size} {rows * size}" role="group" '
        f"aria-label={attribute(word(lang, 'map-title'))}>{''.join(tiles)}</svg>"
    )
