"""Precision and recall of a package's tags against the hand-read practices.

    python scripts/tagging_quality.py [--package datapackage]
        [--reference sample|traps|heldout|heldout-2|...|heldout-12]
        [--show N] [--second-reading]

The reference is ``tests/fixtures/hand_read/practices.json`` (54 practices drawn at random,
read by hand without seeing the tags; its ``about`` says how), with ``--reference traps``
the 17 trap cases of ``traps.json``, or with ``--reference heldout`` the 24 practices of
``institutions_heldout.json``, drawn apart from the sample and read for their institutions
only, after the reference data was curated on the other two (only its leads and
institutions are compared); ``--reference heldout-2``, 24 more drawn and read the same
way after the reference was curated on the whole document, and read for their
populations too (``heldout_2.json``); ``--reference heldout-3``, 24 more read for both
after the fixes the second led to, with the conventions of ``tags_guide.md``
(``heldout_3.json``); ``--reference heldout-4`` to ``heldout-11``, 24 more each, read
the same way after the fixes the draw before led to (``heldout_4.json`` to
``heldout_11.json``), and ``--reference heldout-12``, the 13 practices left, read the
same way (``heldout_12.json``). Each kind of tag is compared as a set of (practice,
value) pairs:

- populations: the populations a practice targets, against the package's rows of basis
  ``target`` (groups only counted in the results are not targets);
- leads and mentioned institutions apart (a practice's lead, as either side names it,
  is not compared among its mentions, nor a federal practice's own government, the
  Gobierno de México, as a state practice's is its lead), a reference name matched to the
  package's institutions by id, name, glossary name or alias (accents, case and an
  article after "de" ignored), or else by the words its reader copied, where the package
  tags the same words on the same line; a reference body the package cannot name at all
  counts as missed;
- states and countries: by ISO code (reference names looked up in the package's names);
- links: by URL, without scheme, ``www.``, trailing slash or period; the random sample's
  readers read the text without its footnotes, so links printed in footnotes are left out
  of its comparison (the trap cases' readers read the footnotes too).
- leads: one per practice, the unit a label names first (``UPMRIP-SEGOB``: UPMRIP); a
  state practice's label names its state, whose government leads (a reader may name the
  office of it that runs the practice).

Prints one table row per kind, and with ``--show`` the first N misses and extras. With
``--second-reading``, a draw read twice (``heldout_8_second.json``,
``heldout_9_second.json``, ``heldout_11_second.json``: the same practices read again by
readers who saw neither the package nor the first reading) is compared with its first
reading in the same way, in the package's place: how far two careful readers agree.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pycountry

REPO = Path(__file__).resolve().parents[1]
HAND_READ = REPO / "tests" / "fixtures" / "hand_read"
REFERENCES = {
    "sample": HAND_READ / "practices.json",
    "traps": HAND_READ / "traps.json",
    "heldout": HAND_READ / "institutions_heldout.json",
    "heldout-2": HAND_READ / "heldout_2.json",
    "heldout-3": HAND_READ / "heldout_3.json",
    "heldout-4": HAND_READ / "heldout_4.json",
    "heldout-5": HAND_READ / "heldout_5.json",
    "heldout-6": HAND_READ / "heldout_6.json",
    "heldout-7": HAND_READ / "heldout_7.json",
    "heldout-8": HAND_READ / "heldout_8.json",
    "heldout-9": HAND_READ / "heldout_9.json",
    "heldout-10": HAND_READ / "heldout_10.json",
    "heldout-11": HAND_READ / "heldout_11.json",
    "heldout-12": HAND_READ / "heldout_12.json",
}
# Draws read a second time, by readers who saw neither the package nor the first reading.
SECOND_READINGS = {
    "heldout-8": HAND_READ / "heldout_8_second.json",
    "heldout-9": HAND_READ / "heldout_9_second.json",
    "heldout-11": HAND_READ / "heldout_11_second.json",
}
NAMES = REPO / "src" / "gcm_open" / "data" / "reference"

Pair = tuple[str, str]


def _key(text: str) -> str:
    """A name to compare: accents, case, marks and an article first or after "de" left
    out ("Gobierno de los Estados Unidos" is the "Gobierno de Estados Unidos"; "los
    gobiernos locales", as one reader copies them, are another's "gobiernos locales")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", plain.lower()).split()
    return " ".join(
        word
        for index, word in enumerate(words)
        if not (word in _ARTICLES and (index == 0 or words[index - 1] == "de"))
    )


_ARTICLES = frozenset({"el", "la", "los", "las"})


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _institution_names(package: Path) -> dict[str, str]:
    """Every name or acronym of the package's institutions -> id."""
    names: dict[str, str] = {}
    rows = _rows(package / "data" / "institutions.csv")
    # The reference's own rows first: a state body named after a federal one or a group
    # does not take over the name of the group ("Secretarías de Salud").
    for row in sorted(rows, key=lambda row: row["source"].startswith("The body of ")):
        for name in (row["institution_id"], row["name_es"], row.get("glossary_name", "")):
            if name:
                names.setdefault(_key(name), row["institution_id"])
    for row in _rows(package / "data" / "institution_aliases.csv"):
        names.setdefault(_key(row["alias"]), row["institution_id"])
    return names


def _reference_institution(entry: dict[str, str], names: dict[str, str]) -> str:
    """The package id of a body the reference names, or its name when there is none."""
    written = [entry.get("printed", ""), entry.get("name", "")]
    candidates = written + [re.sub(r"\s*\([^()]*\)", "", text) for text in written]
    # Brackets hold an acronym ("Name (ACRONYM)", "(UPMRIP-SEGOB)") or a reader's note on
    # the body ("Red consular ... (Secretaría de Relaciones Exteriores)"): tried last.
    bracketed = [inner for text in written for inner in re.findall(r"\(([^()]+)\)", text)]
    bracketed += [part for inner in bracketed for part in re.split(r"[-/]|, ", inner)]
    for candidate in candidates:
        found = names.get(_key(candidate))
        if found:
            return found
    # "Unidad de ... de la Secretaría de Gobernación": the longest package name it starts with.
    for candidate in candidates:
        key = _key(candidate)
        starts = [name for name in names if len(name) >= 12 and key.startswith(name + " ")]
        if starts:
            return names[max(starts, key=len)]
    for candidate in bracketed:
        found = names.get(_key(candidate))
        if found:
            return found
    return f"? {entry.get('name') or entry.get('printed')}"


def _mentioned(
    pid: str,
    entry: dict[str, Any],
    names: dict[str, str],
    printed: dict[PrintedAt, str],
    by_printing: bool = False,
) -> str:
    """The package id of a body a reader names in a practice: by its name, or, for a
    name the package's institutions do not hold, by the words the reader copied, where
    the package tags the same words on the same line (an acronym in brackets after them
    aside): the reader and the package then name the same printed body, and its
    identity is the package's. ``by_printing``: a name neither resolves is told by those
    words and their line, as another reader of the practice would copy them."""
    institution_id = _reference_institution(entry, names)
    if institution_id.startswith("? ") and "line" in entry:  # the first draws give no line
        at = (pid, int(entry["line"]), _key(_without_acronym(entry["printed"])))
        if by_printing:
            institution_id = f"? line {at[1]}: {at[2]}"
        return printed.get(at, institution_id)
    return institution_id


# A practice, a source line and the words printed there.
PrintedAt = tuple[str, int, str]


def _without_acronym(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", text)


def _printed_mentions(package: Path) -> dict[PrintedAt, str]:
    """The package's mentions by the words that name them where first printed (none
    for a package of before ``line_no``)."""
    return {
        (row["practice_id"], int(row["line_no"]), _key(_without_acronym(row["evidence"]))): row[
            "institution_id"
        ]
        for row in _rows(package / "data" / "practice_institutions.csv")
        if row["role"] == "mentioned" and row.get("line_no")
    }


def _state_body(
    institution_id: str, entry: dict[str, str], states: dict[str, str], ids: set[str]
) -> str:
    """A body a reader names as a state's ("Comisión Estatal de Derechos Humanos de Nuevo
    León", kind state or autonomous) that resolves to a federal body or a group of the
    states' bodies is that state's, where the package has it (MX-NLE-CEDH)."""
    code = states.get(_key(entry.get("state") or ""))
    if entry.get("kind") not in ("state", "autonomous") or not code:
        return institution_id
    suffix = institution_id.removeprefix("ESTATALES-")
    return f"{code}-{suffix}" if f"{code}-{suffix}" in ids else institution_id


def _country(name: str) -> str:
    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        pass
    try:
        return str(pycountry.countries.search_fuzzy(name)[0].alpha_3)
    except LookupError:
        return f"? {name}"


def _url(text: str) -> str:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", text.strip().rstrip(".,;)"), flags=re.I)
    return bare.rstrip("/").lower()


def reference_practices(reference: Path) -> list[dict[str, Any]]:
    practices: list[dict[str, Any]] = json.loads(reference.read_text("utf-8"))["practices"]
    return practices


def reference_pairs(
    package: Path, reference: Path, by_printing: bool = False
) -> tuple[dict[str, set[Pair]], set[Pair]]:
    """The reference's pairs of each kind, and the offices the readers named as leading a
    state practice (its government leads; the office is not a mention either);
    ``by_printing`` as in :func:`_mentioned`."""
    practices = reference_practices(reference)
    names = _institution_names(package)
    states = {_key(row["name"]): row["iso_3166_2"] for row in _rows(NAMES / "mx_states_inegi.csv")}
    for row in _rows(NAMES / "state_names.csv"):
        states.setdefault(_key(row["name"]), row["state_code"])
    ids = set(names.values())
    printed = _printed_mentions(package)
    pairs: dict[str, set[Pair]] = {kind: set() for kind in KINDS}
    offices_leading: set[Pair] = set()
    for practice in practices:
        pid = practice["practice_id"]
        targets = practice.get("target_populations", [])
        pairs["populations"] |= {(pid, tag["population_id"]) for tag in targets}
        lead = {"printed": practice["lead_institution"], "name": practice["lead_institution"]}
        lead_id = _reference_institution(lead, names)
        if practice.get("lead_state"):
            # A state practice's label names its state: its government leads, whichever
            # office of it the reader named ("Secretaría del Trabajo del Estado de Nuevo
            # León" being that state's, MX-NLE-ST, as a mention would be).
            lead["kind"], lead["state"] = practice.get("lead_kind", ""), practice["lead_state"]
            offices_leading.add((pid, _state_body(lead_id, lead, states, ids)))
            lead_id = f"GOB-{states.get(_key(practice['lead_state']), '?')}"
        pairs["leads"].add((pid, lead_id))
        pairs["institutions"] |= {
            (
                pid,
                _state_body(_mentioned(pid, body, names, printed, by_printing), body, states, ids),
            )
            for body in practice["mentioned_institutions"]
        }
        pairs["states"] |= {
            (pid, states.get(_key(state["name"]), f"? {state['name']}"))
            for state in practice.get("states", [])
        }
        countries = practice.get("countries", [])
        pairs["countries"] |= {(pid, _country(country["name"])) for country in countries}
        pairs["links"] |= {(pid, _url(link["url"])) for link in practice.get("links", [])}
    return pairs, offices_leading


def package_pairs(
    package: Path, practices: set[str], footnotes_read: bool = True
) -> dict[str, set[Pair]]:
    data = package / "data"

    def of(
        table: str,
        column: str,
        value: Callable[[str], str] = str,
        where: Callable[[dict[str, str]], bool] = lambda row: True,
    ) -> set[Pair]:
        return {
            (row["practice_id"], value(row[column]))
            for row in _rows(data / f"{table}.csv")
            if row["practice_id"] in practices and where(row)
        }

    return {
        "populations": of(
            "practice_populations",
            "population_id",
            where=lambda row: row.get("basis", "target") == "target",
        ),
        "leads": _leads(
            [
                row
                for row in _rows(data / "practice_institutions.csv")
                if row["practice_id"] in practices and row["role"] == "lead"
            ]
        ),
        "institutions": of("practice_institutions", "institution_id", where=_role("mentioned")),
        "states": of("practice_states", "state_code"),
        "countries": of("practice_countries", "country_code"),
        "links": of(
            "practice_links",
            "url",
            _url,
            where=lambda row: footnotes_read or row["source"] != "footnote",
        ),
    }


def _parents(package: Path) -> dict[str, str]:
    """Each of the package's institutions -> its parent's id (empty for none)."""
    return {
        row["institution_id"]: row["parent_id"]
        for row in _rows(package / "data" / "institutions.csv")
    }


def align_leads(expected: set[Pair], found: set[Pair], package: Path) -> set[Pair]:
    """A reader who names a unit of the body a label names (the Senate's committee for
    "Senado de la República") names the lead: the reference's lead is taken up to the
    package's where that is one of its parents."""
    parents = _parents(package)
    aligned = set()
    for pid, institution_id in expected:
        ancestor = institution_id
        while ancestor and (pid, ancestor) not in found:
            ancestor = parents.get(ancestor, "")
        aligned.add((pid, ancestor or institution_id))
    return aligned


def _governments_leading(leads: set[Pair], package: Path) -> set[Pair]:
    """A state practice's lead, where its label names an office of the state's
    government (MX-TLA-DAM), is that government (GOB-MX-TLA), as the reference reads
    every state practice."""
    parents = _parents(package)
    governments = set()
    for pid, institution_id in leads:
        ancestor = institution_id
        while "-S-" in pid and ancestor in parents and not ancestor.startswith("GOB-"):
            ancestor = parents[ancestor]
        governments.add((pid, ancestor if ancestor.startswith("GOB-") else institution_id))
    return governments


def leave_out_leads(
    expected: dict[str, set[Pair]],
    found: dict[str, set[Pair]],
    package: Path,
    offices_leading: set[Pair],
) -> None:
    """Mentioned institutions are compared without the practice's lead, as either side
    names it: a reader who names the office that leads puts it among the leads, where
    the package has the government its label names, and the other way round. Its own
    government is left out too, as a state practice's is, being its lead: a federal
    practice's "Gobierno de México" (the package tags it where printed;
    ``tags_guide.md`` asks readers not to list it)."""
    rows = _rows(package / "data" / "practice_institutions.csv")
    leads = (
        {(row["practice_id"], row["institution_id"]) for row in rows if row["role"] == "lead"}
        | expected["leads"]
        | offices_leading
        | {(pid, _FEDERAL_GOVERNMENT) for pid, _ in expected["leads"] if "-F-" in pid}
    )
    expected["institutions"] -= leads
    found["institutions"] -= leads


_FEDERAL_GOVERNMENT = "GOB-MX"


def _leads(rows: list[dict[str, str]]) -> set[Pair]:
    """One lead per practice: a label of a unit and its parent (UPMRIP-SEGOB) names the
    unit; one of two bodies (SRE-INM), the first it names."""
    by_practice: dict[str, list[str]] = {}
    for row in rows:
        by_practice.setdefault(row["practice_id"], []).append(row["institution_id"])
    labels = {row["practice_id"]: row["evidence"] for row in rows}
    leads = set()
    for pid, ids in by_practice.items():
        label = labels[pid]
        ids.sort(key=lambda i: (label.find(i) if i in label else len(label), i))
        leads.add((pid, _unit(ids)))
    return leads


def _unit(ids: list[str]) -> str:
    parents = {row["institution_id"]: row["parent_id"] for row in _rows(NAMES / "institutions.csv")}
    children = [i for i in ids if parents.get(i) in ids]
    return children[0] if children else ids[0]


def _role(role: str) -> Callable[[dict[str, str]], bool]:
    return lambda row: row["role"] == role


KINDS = ("populations", "leads", "institutions", "states", "countries", "links")
# The kinds each reference's readers read: the held-out readers read institutions (and
# the second draw's, populations).
KINDS_READ = {
    "sample": KINDS,
    "traps": KINDS,
    "heldout": ("leads", "institutions"),
    "heldout-2": ("populations", "leads", "institutions"),
    "heldout-3": ("populations", "leads", "institutions"),
    "heldout-4": ("populations", "leads", "institutions"),
    "heldout-5": ("populations", "leads", "institutions"),
    "heldout-6": ("populations", "leads", "institutions"),
    "heldout-7": ("populations", "leads", "institutions"),
    "heldout-8": ("populations", "leads", "institutions"),
    "heldout-9": ("populations", "leads", "institutions"),
    "heldout-10": ("populations", "leads", "institutions"),
    "heldout-11": ("populations", "leads", "institutions"),
    "heldout-12": ("populations", "leads", "institutions"),
}


def table(
    expected: dict[str, set[Pair]], found: dict[str, set[Pair]], kinds: tuple[str, ...] = KINDS
) -> list[str]:
    """The Markdown table of counts, precision and recall per kind."""
    rows = [
        "| kind | reference | package | both | precision | recall |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind in kinds:
        both = expected[kind] & found[kind]
        precision = len(both) / len(found[kind]) if found[kind] else 1.0
        recall = len(both) / len(expected[kind]) if expected[kind] else 1.0
        rows.append(
            f"| {kind} | {len(expected[kind])} | {len(found[kind])} | {len(both)} "
            f"| {precision:.2f} | {recall:.2f} |"
        )
    return rows


def compare(
    package: Path, reference: Path, footnotes_read: bool
) -> tuple[dict[str, set[Pair]], dict[str, set[Pair]]]:
    """The reference's pairs and the package's, ready to compare."""
    expected, offices_leading = reference_pairs(package, reference)
    practices = {p["practice_id"] for p in reference_practices(reference)}
    found = package_pairs(package, practices, footnotes_read=footnotes_read)
    found["leads"] = _governments_leading(found["leads"], package)
    expected["leads"] = align_leads(expected["leads"], found["leads"], package)
    leave_out_leads(expected, found, package, offices_leading)
    return expected, found


def agreement(
    package: Path, first: Path, second: Path
) -> tuple[dict[str, set[Pair]], dict[str, set[Pair]]]:
    """Two readings of the same practices, ready to compare as the package is with one:
    how far careful readers agree is what a package can be asked to reach. Both are read
    through the package's names of institutions (and its leads are left out of the
    mentions with theirs), so the figures move a little as its reference data does."""
    expected, first_offices = reference_pairs(package, first, by_printing=True)
    found, second_offices = reference_pairs(package, second, by_printing=True)
    if {pid for pid, _ in expected["leads"]} != {pid for pid, _ in found["leads"]}:
        raise SystemExit(f"{second.name} does not read the practices of {first.name}")
    leave_out_leads(expected, found, package, first_offices | second_offices | found["leads"])
    return expected, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, default=REPO / "datapackage")
    parser.add_argument("--reference", choices=sorted(REFERENCES), default="sample")
    parser.add_argument("--show", type=int, default=0, help="misses and extras to list")
    parser.add_argument(
        "--second-reading",
        action="store_true",
        help="compare the reference's second reading with it, in the package's place",
    )
    args = parser.parse_args()
    reference = REFERENCES[args.reference]
    practices = {p["practice_id"] for p in reference_practices(reference)}
    if args.second_reading:
        if args.reference not in SECOND_READINGS:
            parser.error(f"--reference {args.reference} has no second reading")
        second = SECOND_READINGS[args.reference]
        expected, found = agreement(args.package, reference, second)
        print(
            f"{second.name} against {reference.name}, {len(practices)} practices; "
            "the package column is the second reading"
        )
    else:
        # The readers of the random sample read the practices' text, not their footnotes.
        footnotes_read = args.reference == "traps"
        expected, found = compare(args.package, reference, footnotes_read=footnotes_read)
        print(f"{len(practices)} hand-read practices ({reference.name}); pairs (practice, value)")
    kinds = KINDS_READ[args.reference]
    print("\n".join(table(expected, found, kinds)))
    for kind in kinds:
        differences = (
            ("missed", expected[kind] - found[kind]),
            ("extra", found[kind] - expected[kind]),
        )
        for label, pairs in differences:
            for pid, value in sorted(pairs)[: args.show]:
                print(f"{kind} {label}: {pid} {value}")


if __name__ == "__main__":
    main()
