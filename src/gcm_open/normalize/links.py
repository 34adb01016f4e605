"""URLs in practices: printed with a scheme, as ``www.`` addresses or as bare domains,
in the text and in the footnotes; and the targets of the pages' link annotations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# A URL with a scheme or "www.", or a bare domain ending in a top-level domain a
# Mexican government text cites (``example.gob.mx``, ``cndh.org.mx``), with any path.
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"“”]+"
    r"|(?<![\w@./-])(?:[a-z0-9-]+\.)+(?:gob|org|com|edu|net|int)(?:\.[a-z]{2})?"
    r"(?:/[^\s<>\"“”]*)?(?![\w@-])",
    re.IGNORECASE,
)
_TRAILING = ".,;:)”’'\""
# What every URL above holds, in lower case: most texts hold none, and are not searched
# further. (Searched in the lowered text, the pattern opens with one of three marks, which
# the engine scans for in C; ignoring case, it would try every place in turn.)
_ANY_URL = re.compile(r"://|www\.|\.(?:gob|org|com|edu|net|int)\b")


@dataclass(frozen=True)
class PrintedUrl:
    """A URL as printed, without trailing punctuation, and where it starts."""

    url: str
    start: int


def urls_in(text: str) -> list[PrintedUrl]:
    """The URLs printed in ``text``, in order, without trailing punctuation; an e-mail
    address is no URL.

    >>> [found.url for found in urls_in(
    ...     "Ver https://www.gob.mx/inm. y (http://x.org/a_b), www.cndh.org.mx o "
    ...     "consulta.sre.gob.mx/citas; escribe a ayuda@imss.gob.mx")]
    ['https://www.gob.mx/inm', 'http://x.org/a_b', 'www.cndh.org.mx', \
'consulta.sre.gob.mx/citas']
    """
    if not _ANY_URL.search(text.lower()):
        return []
    return [
        PrintedUrl(match.group(0).rstrip(_TRAILING), match.start()) for match in _URL.finditer(text)
    ]


def same_url(first: str, second: str) -> bool:
    """Whether two printed URLs name the same resource (scheme, ``www.``, case of the
    host and a final slash aside)."""
    return canonical_url(first) == canonical_url(second)


def canonical_url(url: str) -> str:
    """``url`` without scheme, ``www.`` or final slash, its host in lower case."""
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE).rstrip("/")
    host, slash, path = bare.partition("/")
    return host.lower() + slash + path


# A link whose path ends in an e-mail address: a word processor turned a printed address
# into a link to a file of that name beside the document.
_EMAIL_PATH = re.compile(r"/([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/?$")


def email_path(url: str) -> str | None:
    """The e-mail address a link's path ends in, if it does.

    >>> email_path("https://d.docs.live.net/ba3d/2020/UISS/vigencia.migrante@imss.gob.mx")
    'vigencia.migrante@imss.gob.mx'
    >>> email_path("https://www.gob.mx/inm") is None, email_path("https://user@example.org/")
    (True, None)
    """
    found = _EMAIL_PATH.search(urlsplit(url).path)
    return found.group(1) if found else None
