"""Story clustering benchmark: Byline's streaming story engine against three baselines, side
by side in one run, on BASIL and on two harder streams built from it.

BASIL (../shared/data/basil) holds 100 events from 2010-2019, each reported by three outlets;
the gold story of an article is its ``triplet-uuid``. The streams (``bench/clustering_streams``):
``BASIL`` as published; ``squeezed``, every event inside 10 days; ``paired``, squeezed with the
two events of each same-topic pair starting on the same day. Articles are fed in publication
order. Score: B-cubed precision, recall and F1 (averaged over articles).

Baselines, each with the same 96-hour window: exact headline match; title-word Jaccard (the
approach NewsBlur shipped); an online TF-IDF centroid clusterer (each article joins the live
cluster whose centroid is most similar, scanning every live cluster). The Jaccard and
centroid baselines run twice: with the threshold that is their best on BASIL as published, and
with their best on the squeezed stream; either way the comparison favours them.

Then an ablation: Byline with features taken away or added one at a time. Entities come from
``byline.judge.entities`` (spaCy); embeddings (all-MiniLM-L6-v2) only when the ``ml`` extra is
installed. Run from the repository root: ``.venv/bin/python bench/clustering.py``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "basil"

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench import clustering_streams, protocol  # noqa: E402
from byline.judge import entities as entity_model  # noqa: E402
from byline.judge.entities import Entity  # noqa: E402
from byline.judge.fingerprint import fingerprint  # noqa: E402
from byline.judge.stories import (  # noqa: E402
    EMBEDDING_WEIGHT,
    THRESHOLD,
    Features,
    Weights,
    batch_features,
    cluster_stream,
    embedding_text,
    publication_order,
    sentence_embeddings,
)
from byline.judge.text import content_words, words  # noqa: E402
from byline.records import Fingerprint, JudgeInput  # noqa: E402

WINDOW = timedelta(hours=96)


def load_basil(folder: Path) -> tuple[list[JudgeInput], list[str]]:
    """Article records and their gold story ids, in file order."""
    items, gold, _ = clustering_streams.load_basil(folder)
    return items, gold


def _bcubed_scores(predicted: Sequence[str], gold: Sequence[str]) -> list[tuple[float, float]]:
    """Each article's B³ precision and recall."""
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    scores = []
    for i in range(len(predicted)):
        same_pred, same_gold = by_pred[predicted[i]], by_gold[gold[i]]
        both = len(same_pred & same_gold)
        scores.append((both / len(same_pred), both / len(same_gold)))
    return scores


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    scores = _bcubed_scores(predicted, gold)
    precision = sum(p for p, _ in scores) / len(predicted)
    recall = sum(r for _, r in scores) / len(predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_interval(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float] | None:
    """A 95 % interval for the B³ F1 of ``predicted``: each article's B³ precision and recall
    are taken as scored on the whole stream, and whole gold stories are resampled (bench/
    protocol.py), since the articles of one story are right or wrong together."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for story, (precision, recall) in zip(gold, _bcubed_scores(predicted, gold), strict=True):
        row = sums[story]
        row[0] += precision
        row[1] += recall
        row[2] += 1
    return protocol.bcubed_f1_interval(list(sums.values()))


# ── baselines ────────────────────────────────────────────────────────────────────────────


def _near(a: JudgeInput, b: JudgeInput) -> bool:
    return not (a.published and b.published and abs(a.published - b.published) > WINDOW)


def exact_title(items: Sequence[JudgeInput], threshold: float = 0.0) -> list[str]:
    """Baseline: an article joins the story of an earlier one with the same normalised
    headline inside the window."""
    latest: dict[str, tuple[str, JudgeInput]] = {}
    story_of: dict[int, str] = {}
    for i in publication_order(items):
        key = " ".join(words(items[i].title))
        found = latest.get(key)
        story = found[0] if key and found and _near(items[i], found[1]) else items[i].id
        story_of[i] = story
        latest[key] = (story, items[i])
    return [story_of[i] for i in range(len(items))]


def title_jaccard(items: Sequence[JudgeInput], threshold: float) -> list[str]:
    """Baseline: join the story of the most similar earlier headline (word-set Jaccard) inside
    the same time window, else start a new story."""
    seen: list[tuple[set[str], str, JudgeInput]] = []
    story_of: dict[int, str] = {}
    for i in publication_order(items):
        title_words = set(content_words(items[i].title))
        best, best_score = items[i].id, 0.0
        for other_words, story, other in seen:
            if not _near(items[i], other):
                continue
            union = title_words | other_words
            score = len(title_words & other_words) / len(union) if union else 0.0
            if score > best_score:
                best, best_score = story, score
        story = best if best_score >= threshold else items[i].id
        story_of[i] = story
        seen.append((title_words, story, items[i]))
    return [story_of[i] for i in range(len(items))]


def _tfidf(counts: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
    v = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


@dataclass
class _Centroid:
    story: str
    counts: Counter[str]
    latest: JudgeInput


def tfidf_centroid(items: Sequence[JudgeInput], threshold: float) -> list[str]:
    """Baseline: the classic single-pass clusterer. Each article (headline and text, TF-IDF
    with document frequencies of the stream so far) joins the live cluster whose centroid is
    most similar by cosine, scanning every cluster whose latest article is in the window."""
    df: Counter[str] = Counter()
    seen = 0
    clusters: list[_Centroid] = []
    story_of: dict[int, str] = {}
    for i in publication_order(items):
        item = items[i]
        counts = Counter(content_words(item.title + " " + item.text))
        df.update(counts.keys())
        seen += 1

        mine = _tfidf(counts, df, seen)
        best, best_score = None, 0.0
        for cluster in clusters:
            if not _near(item, cluster.latest):
                continue
            theirs = _tfidf(cluster.counts, df, seen)
            score = sum(w * theirs.get(t, 0.0) for t, w in mine.items())
            if score > best_score:
                best, best_score = cluster, score
        if best is not None and best_score >= threshold:
            best.counts.update(counts)
            best.latest = item
            story_of[i] = best.story
        else:
            clusters.append(_Centroid(item.id, counts, item))
            story_of[i] = item.id
    return [story_of[i] for i in range(len(items))]


# ── Byline ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Variant:
    name: str
    weights: Weights
    options: dict[str, object]
    entities: bool = False
    embeddings: bool = False
    threshold: float | None = None


DEFAULT = Weights()
VARIANTS = (
    Variant("Byline (default: headline + lead, body, names)", DEFAULT, {}),
    Variant("headline + lead TF-IDF only", Weights(1, 0, 0, 0), {}),
    Variant("− body", replace(DEFAULT, body=0.0), {}),
    Variant("− names and numbers", replace(DEFAULT, names=0.0), {}),
    Variant("+ entities (spaCy)", DEFAULT, {}, entities=True),
    Variant("no time decay", DEFAULT, {"decay": 0.0}),
    Variant("single link (best member only)", DEFAULT, {"link": 1}),
    Variant("no merges or splits", DEFAULT, {"reshape": False}),
    Variant("+ embeddings (ml)", replace(DEFAULT, embedding=EMBEDDING_WEIGHT), {}, embeddings=True),
    Variant("+ entities + embeddings (ml)", replace(DEFAULT, embedding=0.3), {}, True, True),
    Variant("embeddings only (ml, threshold 0.3)", Weights(0, 0, 0, 0, 1), {}, False, True, 0.3),
)


@dataclass
class Prepared:
    """Every article's fingerprint, entities and (when the ml extra is here) embedding,
    computed once, with the seconds each took."""

    items: list[JudgeInput]
    fingerprints: list[Fingerprint]
    entities: list[tuple[Entity, ...]]
    embeddings: list[tuple[float, ...]] | None
    seconds: dict[str, float]

    def features(self, order: Sequence[JudgeInput], variant: Variant) -> list[Features]:
        """The variant's features for the same articles in ``order``."""
        features = batch_features(
            self.items,
            self.fingerprints,
            self.entities if variant.entities else None,
            self.embeddings if variant.embeddings else None,
        )
        by_id = {item.id: f for item, f in zip(self.items, features, strict=True)}
        return [by_id[item.id] for item in order]


def prepare(items: Sequence[JudgeInput], with_embeddings: bool) -> Prepared:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    fps = [fingerprint(item.title, item.text) for item in items]
    seconds["fingerprint"] = time.perf_counter() - started
    started = time.perf_counter()
    batch_features(items, fps)
    seconds["body terms"] = time.perf_counter() - started
    started = time.perf_counter()
    found = entity_model.extract_many([(item.title, item.text) for item in items])
    seconds["entities (spaCy, model load included)"] = time.perf_counter() - started
    embeddings = None
    if with_embeddings:
        started = time.perf_counter()
        embeddings = sentence_embeddings([embedding_text(i.title, i.text) for i in items])
        seconds["embeddings (model load included)"] = time.perf_counter() - started
    return Prepared(list(items), fps, found, embeddings, seconds)


def run_byline(
    items: Sequence[JudgeInput], features: Sequence[Features], variant: Variant, threshold: float
) -> tuple[list[str], float, int]:
    started = time.perf_counter()
    result = cluster_stream(
        items,
        features,
        WINDOW,
        variant.threshold or threshold,
        weights=variant.weights,
        **variant.options,
    )
    seconds = time.perf_counter() - started
    return [a.story for a in result.assignments], seconds, len(result.events)


def _has_ml() -> bool:
    from byline.judge import embeddings

    return embeddings.available()


Method = Callable[[Sequence[JudgeInput], float], list[str]]
BASELINES: tuple[tuple[str, Method, float], ...] = (
    ("exact headline match", exact_title, 0.0),
    ("title-word Jaccard (NewsBlur-style), best on BASIL:", title_jaccard, 0.05),
    ("title-word Jaccard, best on squeezed:", title_jaccard, 0.15),
    ("online TF-IDF centroid, best on BASIL:", tfidf_centroid, 0.12),
    ("online TF-IDF centroid, best on squeezed:", tfidf_centroid, 0.2),
)


def _cells(predicted: list[str], gold: Sequence[str]) -> tuple[str, float]:
    p, r, f1 = bcubed(predicted, gold)
    return f"{p:.3f} | {r:.3f} | {f1:.3f}", f1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the BASIL folder")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="Byline's threshold")
    parser.add_argument("--no-ml", action="store_true", help="skip the embedding variants")
    args = parser.parse_args(argv)
    if not (args.data / "articles").is_dir():
        print(f"skipped: BASIL data {args.data} not found")
        return 0
    streams = clustering_streams.streams(args.data)
    everything = {item.id: item for stream in streams for item in stream.items}
    with_ml = _has_ml() and not args.no_ml
    prepared = prepare([everything[k] for k in sorted(everything)], with_ml)
    header = " | ".join(f"{s.name} P | R | F1" for s in streams)
    print("Story clustering, B-cubed precision, recall and F1 on each stream\n")
    print(f"| Method | {header} | Articles/s |")
    print("|---|" + "--:|" * (3 * len(streams) + 1))
    total = sum(len(s.items) for s in streams)
    f1s: dict[str, list[float]] = {}
    for name, method, threshold in BASELINES:
        cells, seconds = [], 0.0
        for stream in streams:
            started = time.perf_counter()
            predicted = method(stream.items, threshold)
            seconds += time.perf_counter() - started
            cell, f1 = _cells(predicted, stream.gold)
            cells.append(cell)
            f1s.setdefault(name, []).append(f1)
        label = f"{name} {threshold}" if threshold else name
        print(f"| {label} | {' | '.join(cells)} | {total / seconds:.0f} |")
    ablation = []
    for variant in VARIANTS:
        if variant.embeddings and not with_ml:
            continue
        cells, seconds, events = [], 0.0, 0
        for stream in streams:
            features = prepared.features(stream.items, variant)
            predicted, took, n_events = run_byline(stream.items, features, variant, args.threshold)
            seconds += took
            events += n_events
            cell, f1 = _cells(predicted, stream.gold)
            cells.append(cell)
            f1s.setdefault(variant.name, []).append(f1)
        ablation.append((variant.name, cells, total / seconds, events))
    name, cells, rate, _ = ablation[0]
    print(f"| **{name}** | {' | '.join(cells)} | {rate:.0f} |")
    ratios = ", ".join(
        f"{s.name} ×{f1s[name][k] / max(f1s[b[0]][k] for b in BASELINES):.3f}"
        for k, s in enumerate(streams)
    )
    print(f"\n**Byline / best baseline on each stream, B³ F1: {ratios}**")
    print(f"\nAblation (threshold {args.threshold} unless named):\n")
    print(f"| Byline variant | {header} | Articles/s | Merges + splits |")
    print("|---|" + "--:|" * (3 * len(streams) + 2))
    for name, cells, rate, events in ablation:
        print(f"| {name} | {' | '.join(cells)} | {rate:.0f} | {events} |")
    n = len(prepared.items)
    spent = ", ".join(f"{k} {n / v:.0f}/s" for k, v in prepared.seconds.items())
    print(f"\nFeature extraction, articles per second: {spent}")
    if not with_ml:
        print("(embedding variants skipped: the ml extra is not installed)")
    print("\nCommand: `.venv/bin/python bench/clustering.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
