"""Sentence alignment and word diffs between a copy and its candidate origin (pure)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from byline.judge.text import content_words, sentences, words

ALIGN_MIN_RATIO = 0.5
EMBED_MIN_COSINE = 0.85  # with embeddings: a reworded sentence aligns at this cosine

# Given the origin's and the copy's sentences, a matrix of their cosine similarities
# (origin rows, copy columns); see ``byline.judge.embeddings``.
Similarity = Callable[[list[str], list[str]], Any]
MAX_SUBSTITUTION_WORDS = 3
_DIGIT = re.compile(r"\d")


QUOTATION_TEXT_SHARE = 0.75  # a copy this much quotation is a statement printed whole


@dataclass(frozen=True)
class Alignment:
    """How the sentences of ``copy`` line up with the sentences of ``origin``."""

    pairs: tuple[tuple[str, str, float], ...]  # (origin sentence, copy sentence, ratio)
    copy_sentences: int
    origin_sentences: int
    substitutions: tuple[tuple[str, str], ...]
    aligned_words: int
    substituted_words: int
    copy_words: int = 0  # words in all of the copy's sentences
    copy_aligned_words: int = 0  # words in the copy's aligned sentences
    origin_positions: tuple[int, ...] = ()  # each pair's origin sentence number, copy order
    quoted_words: int = 0  # words of the copy's sentences that stand inside quotation marks
    quoted_aligned_words: int = 0  # of them, words in aligned sentences
    pairs_quoted: tuple[bool, ...] = ()  # each pair's copy sentence: a quotation

    @property
    def in_order(self) -> float:
        """Share of the aligned pairs that follow the origin's sentence order (the longest
        run of pairs whose origin sentences never go back, over all pairs). A text rewritten
        sentence by sentence keeps its origin's order; another outlet's report of the same
        facts tells them in its own."""
        tails: list[int] = []
        for position in self.origin_positions:
            k = bisect.bisect_right(tails, position)
            if k == len(tails):
                tails.append(position)
            else:
                tails[k] = position
        return len(tails) / len(self.origin_positions) if self.origin_positions else 0.0

    @property
    def copy_coverage(self) -> float:
        """Share of the copy's words that sit in sentences aligned with the origin. Counting
        words, not sentences, keeps a short copy's page furniture ("Source link", "Leave a
        Reply") from outvoting its few real sentences.

        Quotations that both texts carry are left out of the count: two outlets quoting one
        statement, a police chief's words or a minister's tweet, share those sentences word
        for word without either copying the other. The copy's quotations that align are
        taken out of the aligned words and of all its words alike, so leaving them out can
        only lower the coverage, never make a link. A text mostly made of quotations (a
        statement printed whole) keeps them: there they are the text."""
        words, aligned = self.copy_words, self.copy_aligned_words
        if self.shared_quotations:
            words -= self.quoted_aligned_words
            aligned -= self.quoted_aligned_words
        return aligned / words if words else 0.0

    @property
    def shared_quotations(self) -> bool:
        """Whether ``copy_coverage`` left out quotations both texts carry: not when three
        quarters of the copy's words are quotation (a statement printed whole, with a line
        of its own around it). Half was the mark until 2026-12-07; a local paper's report
        quoting a police statement at length (51 % of its words) then read as a copy of the
        BBC's, which quoted the same statement."""
        return (
            self.quoted_aligned_words > 0
            and self.quoted_words < self.copy_words * QUOTATION_TEXT_SHARE
        )

    @property
    def origin_coverage(self) -> float:
        """Share of the origin's sentences found in the copy."""
        used = {origin for origin, _, _ in self.pairs}
        return len(used) / self.origin_sentences if self.origin_sentences else 0.0

    @property
    def mean_ratio(self) -> float:
        return sum(r for _, _, r in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def substitution_rate(self) -> float:
        return self.substituted_words / self.aligned_words if self.aligned_words else 0.0


def _substitutions(a: list[str], b: list[str]) -> tuple[list[tuple[str, str]], int]:
    found: list[tuple[str, str]] = []
    count = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "replace" and max(i2 - i1, j2 - j1) <= MAX_SUBSTITUTION_WORDS:
            before, after = " ".join(a[i1:i2]), " ".join(b[j1:j2])
            if _DIGIT.search(before) or _DIGIT.search(after):
                continue  # "2 000 → 2000", "six decades → 60 years": house style, not a spin
            if _house_style(before, after):
                continue  # "first stage → first-stage", "neighborhoods → neighbourhoods"
            found.append((before, after))
            count += i2 - i1
    return found, count


_NOT_LETTER = re.compile(r"[\W_]+")
HOUSE_STYLE_MIN_LETTERS = 5


def _house_style(before: str, after: str) -> bool:
    """Whether a replacement is copy-editing rather than a swapped word: the same letters
    hyphenated or spaced another way ("re-entry → reentry", "first stage → first-stage"),
    or one long word with one letter changed, added or dropped (a spelling convention or a
    typo fixed: "neighborhoods → neighbourhoods", "yavav → yadav"). A spinner replaces a
    word with another word; it does not touch a hyphen or a letter."""
    a, b = _NOT_LETTER.sub("", before), _NOT_LETTER.sub("", after)
    if a == b:
        return True
    if " " in before.strip() or " " in after.strip():
        return False
    if min(len(a), len(b)) < HOUSE_STYLE_MIN_LETTERS or abs(len(a) - len(b)) > 1:
        return False
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """Whether two different strings are one substitution, insertion or deletion apart."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


_OPEN = "\u201c\u00ab"  # “ «
_CLOSE = "\u201d\u00bb"  # ” »
QUOTED_MIN_SHARE = 0.6  # a sentence is a quotation when this share of its letters is quoted


@functools.lru_cache(maxsize=2048)
def quoted_sentences(text: str) -> tuple[bool, ...]:
    """For each sentence of the text (as ``sentences`` splits it), whether it is a quotation:
    more than ``QUOTED_MIN_SHARE`` of its letters and digits stand inside quotation marks
    (curly, straight or guillemets; a quotation left open runs to the end of its paragraph,
    as a quote that continues into the next paragraph is written)."""
    flags: list[bool] = []
    for block in text.splitlines():
        block = block.strip()
        if not block:
            continue
        inside = False
        marks: list[bool] = []  # each character of the block: inside quotation marks
        for ch in block:
            if ch in _OPEN or (ch == '"' and not inside):
                inside = True
            elif ch in _CLOSE or (ch == '"' and inside):
                inside = False
            marks.append(inside)
        cursor = 0
        for sentence in sentences(block):
            start = block.find(sentence, cursor)
            if start < 0:
                start = cursor
            cursor = start + len(sentence)
            span = [
                m
                for ch, m in zip(block[start:cursor], marks[start:cursor], strict=True)
                if ch.isalnum()
            ]
            chars, quoted_chars = len(span), sum(span)
            flags.append(chars > 0 and quoted_chars > QUOTED_MIN_SHARE * chars)
    return tuple(flags)


@functools.lru_cache(maxsize=2048)
def _split(text: str) -> tuple[tuple[str, list[str]], ...]:
    """A text's sentences with their normalised words, cached: an article is aligned with
    several candidates, and a candidate with several articles."""
    return tuple((s, words(s)) for s in sentences(text))


def align(
    origin_text: str,
    copy_text: str,
    similarity: Similarity | None = None,
    min_ratio: float = ALIGN_MIN_RATIO,
) -> Alignment:
    """Align each sentence of the copy with its most similar origin sentence (word-level
    ratio). With ``similarity`` (sentence embeddings), a copy sentence that matches no origin
    sentence word by word still aligns with the one whose meaning is closest, when their
    cosine reaches ``EMBED_MIN_COSINE``. ``min_ratio``: the word-level ratio at which two
    sentences align (lower for paraphrases, whose sentences keep fewer words)."""
    origin = _split(origin_text)
    copy = _split(copy_text)
    quoted = quoted_sentences(copy_text)  # split as ``_split`` splits: one flag a sentence
    cosines = (
        similarity([s for s, _ in origin], [s for s, _ in copy])
        if similarity is not None and origin and copy
        else None
    )
    origin_sets = [frozenset(w) for _, w in origin]
    holders: dict[str, list[int]] = {}  # word → the origin sentences that use it
    for j, token_set in enumerate(origin_sets):
        for token in token_set:
            holders.setdefault(token, []).append(j)
    pairs: list[tuple[str, str, float]] = []
    positions: list[int] = []
    pairs_quoted: list[bool] = []
    substitutions: list[tuple[str, str]] = []
    aligned_words = substituted = copy_aligned_words = quoted_aligned = 0
    for column, (text, tokens) in enumerate(copy):
        token_set = frozenset(tokens)
        shared: dict[int, int] = {}
        for token in token_set:
            for j in holders.get(token, ()):
                shared[j] = shared.get(j, 0) + 1
        best, best_ratio = -1, 0.0
        # Origin sentences sharing the most words first; Jaccard below 0.2 is never a match.
        for j in sorted(shared, key=lambda j: (-shared[j], j)):
            if shared[j] / (len(token_set) + len(origin_sets[j]) - shared[j]) < 0.2:
                continue
            matcher = SequenceMatcher(a=origin[j][1], b=tokens, autojunk=False)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue  # cannot beat the best so far
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = j, ratio
        matched = best >= 0 and best_ratio >= min_ratio
        if not matched and cosines is not None:
            row = max(range(len(origin)), key=lambda j: float(cosines[j][column]))
            if float(cosines[row][column]) >= EMBED_MIN_COSINE:
                matched, best = True, row
                best_ratio = SequenceMatcher(a=origin[row][1], b=tokens, autojunk=False).ratio()
        if matched:
            pairs.append((origin[best][0], text, round(best_ratio, 3)))
            positions.append(best)
            pairs_quoted.append(quoted[column])
            copy_aligned_words += len(tokens)
            if quoted[column]:
                quoted_aligned += len(tokens)
            subs, count = _substitutions(origin[best][1], tokens)
            substitutions.extend(subs)
            aligned_words += len(origin[best][1])
            substituted += count
    return Alignment(
        pairs=tuple(pairs),
        copy_sentences=len(copy),
        origin_sentences=len(origin),
        substitutions=tuple(substitutions),
        aligned_words=aligned_words,
        substituted_words=substituted,
        copy_words=sum(len(tokens) for _, tokens in copy),
        copy_aligned_words=copy_aligned_words,
        origin_positions=tuple(positions),
        quoted_words=sum(len(t) for (_, t), f in zip(copy, quoted, strict=True) if f),
        quoted_aligned_words=quoted_aligned,
        pairs_quoted=tuple(pairs_quoted),
    )


Segment = tuple[str, bool]  # (display text, changed)


def word_diff(origin_sentence: str, copy_sentence: str) -> tuple[list[Segment], list[Segment]]:
    """Both sentences as runs of display text, each run marked changed or kept, for showing
    an aligned pair with the substituted words highlighted. Words are compared normalised
    (case, quotes and punctuation ignored); the text shown is the sentence's own."""
    a_tokens, b_tokens = origin_sentence.split(), copy_sentence.split()
    a_keys = [" ".join(words(t)) or t for t in a_tokens]
    b_keys = [" ".join(words(t)) or t for t in b_tokens]
    a_runs: list[Segment] = []
    b_runs: list[Segment] = []

    def add(runs: list[Segment], tokens: list[str], changed: bool) -> None:
        if not tokens:
            return
        text = " ".join(tokens)
        if runs and runs[-1][1] == changed:
            runs[-1] = (runs[-1][0] + " " + text, changed)
        else:
            runs.append((text, changed))

    matcher = SequenceMatcher(a=a_keys, b=b_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        add(a_runs, a_tokens[i1:i2], changed)
        add(b_runs, b_tokens[j1:j2], changed)
    return a_runs, b_runs


@functools.cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def _meaning_words(sentence: str) -> frozenset[str]:
    """A sentence's content words, stemmed ("resigned", "resigns" → "resign"): what a
    translation keeps of a sentence when its wording changes."""
    return frozenset(_stemmer().stemWords(content_words(sentence)))


def align_translation(
    origin_text: str, translated: Sequence[tuple[str, str]], min_overlap: float
) -> Alignment:
    """Align a copy in another language with an English origin. ``translated`` holds the
    copy's sentences with their English translations; each sentence pairs, through its
    translation, with the origin sentence whose stemmed content words it shares most (Dice
    coefficient at least ``min_overlap``, two words at least). The pairs show the copy's own
    sentences; the ratio is the overlap."""
    origin = [s for s, _ in _split(origin_text)]
    origin_sets = [_meaning_words(s) for s in origin]
    pairs: list[tuple[str, str, float]] = []
    positions: list[int] = []
    pairs_quoted: list[bool] = []
    copy_words = copy_aligned_words = 0
    for sentence, english in translated:
        size = len(words(sentence))
        copy_words += size
        mine = _meaning_words(english)
        best, best_overlap = -1, 0.0
        for j, theirs in enumerate(origin_sets):
            shared = len(mine & theirs)
            if shared < 2:
                continue
            overlap = 2 * shared / (len(mine) + len(theirs))
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        if best >= 0 and best_overlap >= min_overlap:
            pairs.append((origin[best], sentence, round(best_overlap, 3)))
            positions.append(best)
            flags = quoted_sentences(sentence)
            pairs_quoted.append(bool(flags) and all(flags))
            copy_aligned_words += size
    return Alignment(
        pairs=tuple(pairs),
        copy_sentences=len(translated),
        origin_sentences=len(origin),
        substitutions=(),
        aligned_words=0,
        substituted_words=0,
        copy_words=copy_words,
        copy_aligned_words=copy_aligned_words,
        origin_positions=tuple(positions),
        pairs_quoted=tuple(pairs_quoted),
    )
