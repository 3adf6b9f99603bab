"""Provenance benchmark: Byline's provenance engine against two baselines, side by side, on
the development set of ``bench/provenance_devset.py`` (docs/provenance-devset.md).

- **Byline**: ``byline.pipeline.judge`` (story clustering, then ``provenance.judge``), the
  path of ``byline provenance``; ``--gold-stories`` runs ``provenance.judge`` alone and gives
  the baselines the gold stories, to separate provenance's errors from clustering's.
- **exact hash**: a copy is an article whose normalised text hash (``byline``'s
  ``text_hash``: NFKC, lower case, word tokens) equals an earlier article's; it is labelled
  ``scraped``, origin the earliest such article.
- **MinHash near-duplicate**: datasketch ``MinHashLSH`` (128 permutations, word 5-shingles)
  at Jaccard >= 0.8 (checked on the shingle sets): ``scraped``, origin the earliest
  earlier article at or above the threshold.

Both baselines label an article that copies nothing ``original`` when it is the first of
its story and ``independent`` otherwise, with the stories of Byline's clusterer from the
same run, so only copy detection differs.

Metrics (each part is its own stream, in publication order):

- precision and recall per relation (precision "—" when a method never predicts it);
- origin accuracy over the gold copies: the predicted ``origin_id`` is the gold *root*
  (the wire article for a copy of a syndicated copy); a copy predicted as no copy counts as
  wrong. ``via chain`` also accepts an origin whose own predicted chain leads to the root;
- false-copy rate: gold ``independent`` reports labelled as any copy (and, separately, gold
  originals and independents together).

Run from the repository root: ``.venv/bin/python bench/provenance.py`` (``--help``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from datasketch import MinHash, MinHashLSH  # noqa: E402

from bench.provenance_devset import DEFAULT_BASIL, SEED, DevItem, basil_devset, demo_devset  # noqa: E402
from byline.judge import provenance as engine  # noqa: E402
from byline.judge.fingerprint import fingerprint, text_hash  # noqa: E402
from byline.judge.stories import cluster, publication_order  # noqa: E402
from byline.judge.text import words  # noqa: E402
from byline.pipeline import judge as pipeline_judge  # noqa: E402
from byline.records import COPY_RELATIONS, RELATIONS, Fingerprint, JudgeInput, Provenance  # noqa: E402

MINHASH_THRESHOLD = 0.8
MINHASH_PERM = 128
MINHASH_SHINGLE = 5


# --------------------------------------------------------------------------- baselines


def _not_copy(record: JudgeInput, story: str, seen_stories: set[str]) -> Provenance:
    relation = "independent" if story in seen_stories else "original"
    return Provenance(record.id, relation, None, 0.0)


def exact_hash_baseline(items: Sequence[JudgeInput], stories: Sequence[str]) -> list[Provenance]:
    first_with: dict[str, str] = {}
    seen_stories: set[str] = set()
    result: dict[int, Provenance] = {}
    for i in publication_order(items):
        record = items[i]
        key = text_hash(record.text)
        if key in first_with:
            result[i] = Provenance(record.id, "scraped", first_with[key], 1.0)
        else:
            first_with[key] = record.id
            result[i] = _not_copy(record, stories[i], seen_stories)
        seen_stories.add(stories[i])
    return [result[i] for i in range(len(items))]


def _shingles(text: str) -> set[str]:
    tokens = words(text)
    n = MINHASH_SHINGLE
    return {" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))}


def minhash_baseline(items: Sequence[JudgeInput], stories: Sequence[str]) -> list[Provenance]:
    lsh = MinHashLSH(threshold=MINHASH_THRESHOLD, num_perm=MINHASH_PERM)
    shingles: dict[str, set[str]] = {}
    order: dict[str, int] = {}
    seen_stories: set[str] = set()
    result: dict[int, Provenance] = {}
    for position, i in enumerate(publication_order(items)):
        record = items[i]
        own = _shingles(record.text)
        sketch = MinHash(num_perm=MINHASH_PERM)
        sketch.update_batch([s.encode("utf-8") for s in own])
        matches = []
        for key in lsh.query(sketch):
            other = shingles[key]
            jaccard = len(own & other) / len(own | other) if own | other else 0.0
            if jaccard >= MINHASH_THRESHOLD:
                matches.append(key)
        if matches:
            origin = min(matches, key=lambda k: order[k])
            result[i] = Provenance(record.id, "scraped", origin, 1.0)
        else:
            result[i] = _not_copy(record, stories[i], seen_stories)
        seen_stories.add(stories[i])
        key = f"{position}:{record.id}"
        shingles[key] = own
        order[key] = position
        lsh.insert(key, sketch)
    # keys carry the position so duplicate ids cannot collide; strip it from origins
    return [
        Provenance(p.id, p.relation, p.origin_id.split(":", 1)[1], p.score) if p.origin_id else p
        for p in (result[i] for i in range(len(items)))
    ]


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class RelationScore:
    support: int  # gold items with this relation
    predicted: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.support if self.support else None


@dataclass(frozen=True)
class Scores:
    n: int
    relations: dict[str, RelationScore]
    copies: int
    origin_correct: int
    origin_chain_correct: int
    independents: int
    independents_as_copies: int
    non_copies: int
    non_copies_as_copies: int

    @property
    def origin_accuracy(self) -> float:
        return self.origin_correct / self.copies if self.copies else 1.0

    @property
    def origin_chain_accuracy(self) -> float:
        return self.origin_chain_correct / self.copies if self.copies else 1.0

    @property
    def false_copy_rate(self) -> float:
        return self.independents_as_copies / self.independents if self.independents else 0.0

    @property
    def non_copy_false_rate(self) -> float:
        return self.non_copies_as_copies / self.non_copies if self.non_copies else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "relations": {
                rel: {
                    "support": s.support,
                    "predicted": s.predicted,
                    "precision": s.precision,
                    "recall": s.recall,
                }
                for rel, s in self.relations.items()
            },
            "origin_accuracy": self.origin_accuracy,
            "origin_chain_accuracy": self.origin_chain_accuracy,
            "false_copy_rate": self.false_copy_rate,
            "non_copy_false_rate": self.non_copy_false_rate,
        }


def score(gold: Sequence[DevItem], predicted: Sequence[Provenance]) -> Scores:
    """Score predictions (in the same order as ``gold``)."""
    if [g.record.id for g in gold] != [p.id for p in predicted]:
        raise ValueError("predictions are not aligned with the gold items")
    origin_of = {p.id: p.origin_id for p in predicted}
    relations = {}
    for rel in RELATIONS:
        relations[rel] = RelationScore(
            support=sum(1 for g in gold if g.relation == rel),
            predicted=sum(1 for p in predicted if p.relation == rel),
            correct=sum(
                1 for g, p in zip(gold, predicted, strict=True) if g.relation == p.relation == rel
            ),
        )
    copies = [(g, p) for g, p in zip(gold, predicted, strict=True) if g.relation in COPY_RELATIONS]
    independents = [p for g, p in zip(gold, predicted, strict=True) if g.relation == "independent"]
    non_copies = [
        p for g, p in zip(gold, predicted, strict=True) if g.relation not in COPY_RELATIONS
    ]
    return Scores(
        n=len(gold),
        relations=relations,
        copies=len(copies),
        origin_correct=sum(
            1 for g, p in copies if p.origin_id is not None and p.origin_id == g.root
        ),
        origin_chain_correct=sum(
            1
            for g, p in copies
            if p.origin_id is not None and engine.root_origin(p.id, origin_of) == g.root
        ),
        independents=len(independents),
        independents_as_copies=sum(1 for p in independents if p.relation in COPY_RELATIONS),
        non_copies=len(non_copies),
        non_copies_as_copies=sum(1 for p in non_copies if p.relation in COPY_RELATIONS),
    )


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Run:
    method: str
    predicted: list[Provenance]
    scores: Scores
    seconds: float


def run_methods(gold: Sequence[DevItem], gold_stories: bool = False) -> list[Run]:
    """Byline and the two baselines over one part (its own stream)."""
    records = [g.record for g in gold]
    runs = []
    start = time.perf_counter()
    fps: list[Fingerprint] = [fingerprint(r.title, r.text) for r in records]
    if gold_stories:  # provenance alone: it needs no stories, only the baselines do
        predicted = engine.judge(records, fps)
    else:
        predicted = pipeline_judge(records, fps).provenance
    seconds = time.perf_counter() - start
    runs.append(Run("Byline", predicted, score(gold, predicted), seconds))
    stories = [g.story for g in gold] if gold_stories else [a.story for a in cluster(records, fps)]
    baselines: list[tuple[str, Callable[[Sequence[JudgeInput], Sequence[str]], list[Provenance]]]]
    baselines = [
        ("exact hash", exact_hash_baseline),
        ("MinHash LSH >= 0.8", minhash_baseline),
    ]
    for name, method in baselines:
        start = time.perf_counter()
        predicted = method(records, stories)
        seconds = time.perf_counter() - start
        runs.append(Run(name, predicted, score(gold, predicted), seconds))
    return runs


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(part: str, runs: Sequence[Run]) -> str:
    """A Markdown table: one row per method."""
    rels = ("original", "independent", "syndicated", "scraped", "spun")
    head = (
        "| Method | "
        + " | ".join(f"{r[:4]}. P | {r[:4]}. R" for r in rels)
        + " | Origin = root | Origin via chain | False-copy rate | Seconds |"
    )
    rule = "|---|" + "--:|" * (2 * len(rels) + 4)
    rows = [f"**{part}** ({runs[0].scores.n} articles)", "", head, rule]
    for run in runs:
        s = run.scores
        cells = []
        for rel in rels:
            cells += [_fmt(s.relations[rel].precision), _fmt(s.relations[rel].recall)]
        rows.append(
            f"| {run.method} | "
            + " | ".join(cells)
            + f" | {s.origin_accuracy:.3f} | {s.origin_chain_accuracy:.3f}"
            + f" | {s.false_copy_rate:.1%} ({s.independents_as_copies}/{s.independents})"
            + f" | {run.seconds:.2f} |"
        )
    return "\n".join(rows)


def failures(gold: Sequence[DevItem], predicted: Sequence[Provenance]) -> list[dict[str, Any]]:
    """Every wrong label or wrong origin, with the recipe that made the item."""
    found = []
    for g, p in zip(gold, predicted, strict=True):
        wrong_origin = g.relation in COPY_RELATIONS and p.origin_id != g.root
        if g.relation != p.relation or wrong_origin:
            found.append(
                {
                    "id": g.record.id,
                    "gold": g.relation,
                    "predicted": p.relation,
                    "gold_root": g.root,
                    "gold_parent": g.origin,
                    "predicted_origin": p.origin_id,
                    "kind": g.record.source_kind,
                    "recipe": g.recipe,
                    "evidence": list(p.evidence),
                }
            )
    return found


def confusion(gold: Sequence[DevItem], predicted: Sequence[Provenance]) -> str:
    counts = Counter((g.relation, p.relation) for g, p in zip(gold, predicted, strict=True))
    head = "gold \\ predicted".ljust(14) + "".join(r[:11].rjust(12) for r in RELATIONS)
    lines = [head]
    for g in RELATIONS:
        lines.append(g.ljust(14) + "".join(str(counts[(g, p)]).rjust(12) for p in RELATIONS))
    return "\n".join(lines)


def load_parts(parts: str, basil: Path, seed: int) -> dict[str, list[DevItem]]:
    loaded: dict[str, list[DevItem]] = {}
    if parts in ("demo", "all"):
        loaded["demo"] = demo_devset(seed)
    if parts in ("basil", "all"):
        if basil.exists():
            loaded["basil"] = basil_devset(basil, seed)
        else:
            print(f"skipped: basil part — {basil} not found")
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("demo", "basil", "all"), default="all")
    parser.add_argument("--basil", type=Path, default=DEFAULT_BASIL, help="BASIL folder")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--gold-stories",
        action="store_true",
        help="judge provenance alone (no story clustering) and give the baselines the gold stories",
    )
    parser.add_argument(
        "--failures", type=int, default=0, help="print up to N Byline failures per part"
    )
    parser.add_argument("--json", type=Path, help="write scores and Byline's failures as JSON here")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    for part, gold in load_parts(args.part, args.basil, args.seed).items():
        runs = run_methods(gold, args.gold_stories)
        print(table(part, runs), end="\n\n")
        byline_run = runs[0]
        print(f"Byline confusion ({part}):\n{confusion(gold, byline_run.predicted)}\n")
        wrong = failures(gold, byline_run.predicted)
        by_kind = Counter(
            f"{w['gold']} -> {w['predicted']} [{w['recipe'].split(' ')[0]}]" for w in wrong
        )
        print(f"Byline failures ({part}): {len(wrong)}")
        for key, count in by_kind.most_common():
            print(f"  {count:4d}  {key}")
        for w in wrong[: args.failures]:
            print(json.dumps(w, ensure_ascii=False))
        print()
        report[part] = {
            "runs": {r.method: {**r.scores.to_json(), "seconds": r.seconds} for r in runs},
            "failures": wrong,
        }
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
