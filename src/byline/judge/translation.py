"""Machine translation into English, for tracing copies across languages.

Byline reads another language through Apertium, the rule-based machine translation system
that Debian ships with its language data (``apt-get install apertium-eng-spa``; nothing is
downloaded at run time). A Spanish copy of an English article, translated back into English
sentence by sentence, shares most of the article's content words sentence for sentence and in
order; another outlet's own Spanish report of the event shares some of them, in its own order.
``byline.judge.provenance`` compares the two that way when it is given a translator.

The translator is optional: without Apertium (or without a language pair), a copy in another
language is judged by its names, numbers and quotes alone, as before. The languages are those
whose Apertium pair into English is installed (``apertium-eng-spa`` gives Spanish); a text's
language is told by its share of each language's most common words (``wordfreq``, a core
dependency).

This module runs a local program (``apertium``), never the network; it is kept out of the
pure judge, which only receives ``Translator.to_english`` as a function.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from byline.judge.text import sentences, words

# The Apertium modes that translate into English, by the wordfreq language code of their
# source: Debian's apertium-eng-spa (the one pair tried here; Debian packages no
# German-English pair).
PAIRS = {"es": "spa-eng"}
MODES = Path(os.environ.get("BYLINE_APERTIUM_MODES", "/usr/share/apertium/modes"))
COMMON_WORDS = 100  # a language's most common words, to tell which language a text is in
MIN_COMMON_SHARE = 0.3  # a text in a language has at least this share of its common words
TIMEOUT_S = 30.0  # seconds one translation may take before it is given up
MAX_CHARS = 20_000  # the start of a long text is enough to compare it


class Translator:
    """Translate texts into English with the installed Apertium pairs."""

    def __init__(self, pairs: dict[str, str] | None = None) -> None:
        self.pairs = dict(PAIRS if pairs is None else pairs)

    def languages(self) -> list[str]:
        return sorted(self.pairs)

    def language(self, text: str) -> str | None:
        """The language (among those this translator reads) the text is written in, or None."""
        return _language(text, tuple(self.languages()))

    def to_english(self, text: str) -> tuple[tuple[str, str], ...] | None:
        """The text's sentences (``byline.judge.text.sentences``), each with its English
        translation, or None when its language is not one this translator reads (or the
        translation failed). A long text is read from its start (``MAX_CHARS``)."""
        language = self.language(text)
        if language is None:
            return None
        return _translate(text[:MAX_CHARS], self.pairs[language])


def _installed_pairs(modes: Path = MODES) -> dict[str, str]:
    if shutil.which("apertium") is None:
        return {}
    return {lang: mode for lang, mode in PAIRS.items() if (modes / f"{mode}.mode").is_file()}


@functools.cache
def translator() -> Translator | None:
    """The process's translator: every installed pair into English, or None without any."""
    pairs = _installed_pairs()
    return Translator(pairs) if pairs else None


def available() -> bool:
    return translator() is not None


@functools.cache
def _common(language: str) -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(top_n_list(language, COMMON_WORDS))


@functools.lru_cache(maxsize=1024)
def _language(text: str, languages: tuple[str, ...]) -> str | None:
    tokens = words(text[:MAX_CHARS])
    if not tokens:
        return None
    best, best_share = None, 0.0
    for language in (*languages, "en"):
        common = _common(language)
        share = sum(token in common for token in tokens) / len(tokens)
        if share > best_share:
            best, best_share = language, share
    if best == "en" or best_share < MIN_COMMON_SHARE:
        return None
    return best


@functools.lru_cache(maxsize=1024)
def _translate(text: str, mode: str) -> tuple[tuple[str, str], ...] | None:
    parts = sentences(text)
    if not parts:
        return ()
    # One sentence a line: Apertium keeps line breaks, so the n-th line out is the n-th
    # sentence in; "-u" leaves unknown words as they are (a name stays a name).
    source = "\n".join(" ".join(part.split()) for part in parts) + "\n"
    try:
        done = subprocess.run(
            ["apertium", "-u", mode],
            input=source,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(parts):
        return None
    return tuple(zip(parts, (line.strip() for line in lines), strict=True))
