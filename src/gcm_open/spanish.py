"""Spanish words: whether simplemma's dictionary knows a word, and a word's lemma.

The PDF reader asks whether a word broken at a line end is a word; the tagging of
populations compares lemmas ("niñas" -> "niño", "residen" -> "residir"). Loading
simplemma's Spanish dictionary takes about a second, so the answers are kept in a file
of the cache directory when one is given, and the dictionary is loaded only for a word
the file does not have.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from gcm_open.cache import cache_dir
from gcm_open.normalize.text import fold


class SpanishWords:
    """simplemma's answers for Spanish words, remembered in ``remembered`` if given."""

    def __init__(self, remembered: Path | None = None) -> None:
        self._path = remembered
        self._known: dict[str, bool] = {}
        self._lemmas: dict[str, str] = {}
        self._folded = _FoldedLemmas(self)
        self._changed = False
        if remembered is not None and remembered.is_file():
            try:
                stored = json.loads(remembered.read_text("utf-8"))
                self._known = dict(stored["known"])
                self._lemmas = dict(stored["lemmas"])
            except (OSError, ValueError, KeyError, TypeError):
                self._known, self._lemmas = {}, {}  # a damaged cache file is rebuilt

    @classmethod
    def in_cache(cls) -> SpanishWords:
        """Answers kept in :func:`cache_dir`, per simplemma version."""
        from importlib.metadata import version

        return cls(cache_dir() / f"spanish-simplemma-{version('simplemma')}.json")

    def __call__(self, word: str) -> bool:
        """Whether the dictionary knows ``word`` (any inflected form)."""
        if word not in self._known:
            import simplemma

            self._known[word] = bool(simplemma.is_known(word, lang="es"))
            self._changed = True
        return self._known[word]

    def lemma(self, word: str) -> str:
        """The lemma of a lower-case ``word`` ("niñas" -> "niño"); the word itself when
        the dictionary does not know it.

        >>> SpanishWords().lemma("residen")
        'residir'
        """
        if word not in self._lemmas:
            import simplemma

            self._lemmas[word] = simplemma.lemmatize(word, lang="es")
            self._changed = True
        return self._lemmas[word]

    @cached_property
    def folded_lemma(self) -> Callable[[str], str]:
        """:meth:`lemma`, without accents or case ("niñas" -> "niño", "vivían" -> "vivir");
        a number or a mark as it is. A dictionary's lookup, the answer worked out the
        first time a word is asked: the tagging asks for every word of the compendium.

        >>> SpanishWords().folded_lemma("indígenas"), SpanishWords().folded_lemma("2021")
        ('indigena', '2021')
        """
        return self._folded.__getitem__

    def save(self) -> None:
        """Write the answers back to the cache file, if any were added."""
        if self._path is None or not self._changed:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_suffix(f".{os.getpid()}.tmp")
        stored = {"known": self._known, "lemmas": self._lemmas}
        temporary.write_text(json.dumps(stored, ensure_ascii=False, sort_keys=True), "utf-8")
        temporary.replace(self._path)
        self._changed = False


class _FoldedLemmas(dict[str, str]):
    """Folded lemmas by word, each worked out when first looked up."""

    def __init__(self, words: SpanishWords) -> None:
        super().__init__()
        self._words = words

    def __missing__(self, word: str) -> str:
        folded = self[word] = fold(self._words.lemma(word)) if word[:1].isalpha() else word
        return folded
