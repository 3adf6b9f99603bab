"""How far two independent annotators agree on the real provenance set's labels, and where
Byline stands against that.

The real set's gold (``bench/realdata/provenance``) is one gatherer's reading of each page,
and many of its labels are inferred from house style rather than a credit line. Before its
targets (relation exact 0.90) can be read as reachable, the labels themselves need a
measure: a second annotator (a separate session that never saw the gold, Byline's labels or
the other batch) labelled a sample of its events **blind** — the pages shuffled
within each event, their ids and event names replaced, no gold, no Byline — under the same
definitions (bench/realdata/README.md). This script

- ``--sample OUT``: writes that blind sample again (the events and the ids are drawn with
  fixed seeds from the parts that existed when it was drawn, ``SAMPLED_PARTS``), with the
  key from blind ids back to the set's, so anyone can redo the exercise;
- by default: compares the second annotator's labels (``bench/realdata/agreement``) with the
  gold, and Byline's labels (``pipeline.judge`` over the whole set, as
  ``bench/real_provenance.py`` runs it) with both: relation agreement and Cohen's kappa,
  each with a 95 % interval (bootstrap over the sampled events), agreement on the origin of
  in-set copies, the confusion between the two annotators, and Byline's relation exact where
  the two annotators agree.

Run from the repository root: ``.venv/bin/python bench/provenance_agreement.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_provenance import DEFAULT_DATA, load_pages  # noqa: E402
from bench.real_stream import records  # noqa: E402

SECOND = ROOT / "bench" / "realdata" / "agreement" / "provenance-second.jsonl"
RELATIONS = ("original", "syndicated", "scraped", "spun", "independent")
# The parts of the set when the sample was drawn (2026-12-07, 1,515 pages): adding parts later
# must not change which events it holds.
SAMPLED_PARTS = tuple(f"copies{n}" for n in ("", *range(2, 13))) + tuple(
    f"wire{n}" for n in ("", *range(2, 11))
)
# Which events, a seed a round: six of the copies parts', six of the wire parts' each round
# (the first round's 118 pages, then a second round drawn to narrow the interval).
EVENT_SEEDS = (2026, 2027)
ID_SEED = 7  # the blind ids
BLIND_FIELDS = ("id", "url", "source", "source_kind", "title", "text", "published", "story")
BLIND_FIELDS += ("language",)


def blind_sample(folder: Path = DEFAULT_DATA) -> tuple[list[list[dict[str, Any]]], dict[str, str]]:
    """The blind batches (their records, as the annotators saw them), two a round, and the
    key from each blind id to the set's id. Each round draws six events of the copies parts
    and six of the wire parts that no earlier round drew (``EVENT_SEEDS``)."""
    events: dict[str, list[dict[str, Any]]] = {}
    part_of: dict[str, str] = {}
    for part in sorted(SAMPLED_PARTS):
        for row in records(folder, parts=(part,)):
            events.setdefault(row["story"], []).append(row)
            part_of[row["story"]] = part
    drawn: set[str] = set()
    shuffled: list[list[dict[str, Any]]] = []
    for seed in EVENT_SEEDS:
        rng = random.Random(seed)
        copies = sorted(s for s in events if part_of[s].startswith("copies") and s not in drawn)
        wire = sorted(s for s in events if part_of[s].startswith("wire") and s not in drawn)
        pick = rng.sample(copies, 6) + rng.sample(wire, 6)
        drawn.update(pick)
        for group in (pick[:3] + pick[6:9], pick[3:6] + pick[9:]):
            rows: list[dict[str, Any]] = []
            for story in group:
                members = list(events[story])
                rng.shuffle(members)
                rows += [{k: r[k] for k in BLIND_FIELDS} for r in members]
            shuffled.append(rows)
    key: dict[str, str] = {}
    ids = random.Random(ID_SEED)
    batches: list[list[dict[str, Any]]] = []
    for n, rows in enumerate(shuffled, start=1):
        by_story: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_story.setdefault(row["story"], []).append(row)
        batch: list[dict[str, Any]] = []
        for s, (_, members) in enumerate(by_story.items(), start=1):
            numbers = list(range(1, len(members) + 1))
            ids.shuffle(numbers)
            renamed = []
            for row, number in zip(members, numbers, strict=True):
                blind = f"b{n}e{s}-p{number:02d}"
                key[blind] = row["id"]
                renamed.append({**row, "id": blind, "story": f"b{n}e{s}"})
            batch += sorted(renamed, key=lambda r: r["id"])
        batches.append(batch)
    return batches, key


def kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two labellings of the same items: (observed − chance agreement) /
    (1 − chance), chance from each labeller's own label shares (Cohen 1960)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    chance = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def load_second(path: Path = SECOND) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["id"]: row for row in rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/provenance_agreement.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the set's folder")
    parser.add_argument("--second", type=Path, default=SECOND, help="the second labels")
    parser.add_argument(
        "--sample",
        type=Path,
        metavar="OUT",
        help="write the blind sample (batch1.jsonl, batch2.jsonl and key.json) into OUT",
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"skipped: {args.data} not found")
        return 0
    if args.sample:
        batches, key = blind_sample(args.data)
        args.sample.mkdir(parents=True, exist_ok=True)
        for n, batch in enumerate(batches, start=1):
            lines = [json.dumps(row, ensure_ascii=False) for row in batch]
            (args.sample / f"batch{n}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
        (args.sample / "key.json").write_text(json.dumps(key, indent=0) + "\n", "utf-8")
        print(f"{sum(map(len, batches))} pages in {len(batches)} batches written to {args.sample}")
        return 0
    if not args.second.exists():
        print(f"skipped: {args.second} not found")
        return 0
    return report(args.data, load_second(args.second))


def report(folder: Path, second: dict[str, dict[str, Any]]) -> int:
    from byline.pipeline import judge

    pages = load_pages(folder)
    shuffled = list(pages)
    random.Random(11).shuffle(shuffled)  # as bench/real_provenance.py judges them
    byline = {p.id: p for p in judge([p.record for p in shuffled]).provenance}
    sample = [p for p in pages if p.record.id in second]
    missing = set(second) - {p.record.id for p in sample}
    if missing:
        print(f"error: {len(missing)} second labels name no page of the set", file=sys.stderr)
        return 1
    gold = [p.relation for p in sample]
    other = [second[p.record.id]["relation"] for p in sample]
    ours = [byline[p.record.id].relation for p in sample]
    n = len(sample)

    stories = sorted({p.story for p in sample})
    rows_of = {s: [i for i, p in enumerate(sample) if p.story == s] for s in stories}
    draws = random.Random(2000)
    resamples = [
        [i for s in draws.choices(stories, k=len(stories)) for i in rows_of[s]] for _ in range(2000)
    ]

    def agree(a: Sequence[str], b: Sequence[str]) -> str:
        hits = sum(x == y for x, y in zip(a, b, strict=True))
        shares = sorted(sum(a[i] == b[i] for i in rows) / len(rows) for rows in resamples)
        low, high = shares[int(0.025 * len(shares))], shares[int(0.975 * len(shares)) - 1]
        return f"{hits / n:.3f} ({hits} of {n}; {low:.2f}–{high:.2f}) | {kappa(a, b):.3f}"

    events = len({p.story for p in sample})
    print(f"Blind second labels of {n} pages in {events} events of the real provenance set.\n")
    print("| pair | relation agreement (95 % interval) | Cohen's kappa |")
    print("|---|--:|--:|")
    print(f"| gatherer (gold) and second annotator | {agree(gold, other)} |")
    print(f"| Byline and gold | {agree(ours, gold)} |")
    print(f"| Byline and second annotator | {agree(ours, other)} |")
    rooted = [p for p in sample if p.relation in ("syndicated", "scraped", "spun") and p.origin]
    same = sum(second[p.record.id].get("origin") == p.origin for p in rooted)
    found = sum(byline[p.record.id].origin_id == p.origin for p in rooted)
    print(
        f"\nOrigin of the {len(rooted)} copies whose gold origin is a page of the set: the "
        f"second annotator names the same page for {same}, Byline for {found}."
    )
    both = [i for i in range(n) if gold[i] == other[i]]
    hits = sum(ours[i] == gold[i] for i in both)
    print(
        f"Where the two annotators agree ({len(both)} pages), Byline's relation exact is "
        f"{hits / len(both):.3f} ({hits} of {len(both)})."
    )
    confident = [i for i in range(n) if second[sample[i].record.id].get("confidence") == "high"]
    if confident:
        hits = sum(gold[i] == other[i] for i in confident)
        print(
            f"On the {len(confident)} pages the second annotator was sure of, the two annotators "
            f"agree on {hits} ({hits / len(confident):.3f})."
        )
    print("\nThe two annotators' labels (gold in rows, second annotator in columns):\n")
    print("| gold \\ second | " + " | ".join(RELATIONS) + " |")
    print("|---|" + "--:|" * len(RELATIONS))
    table = Counter(zip(gold, other, strict=True))
    for g in RELATIONS:
        print(f"| {g} | " + " | ".join(str(table[(g, o)]) for o in RELATIONS) + " |")
    print("\nCommand: `.venv/bin/python bench/provenance_agreement.py`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
