"""The provenance development set: real originals, made copies with gold labels (test
tooling; how each copy is made is documented in docs/provenance-devset.md).

Two parts, each its own stream judged on its own:

- ``demo``: the bundled fictional corpus (``byline.demo.corpus``, 98 articles of 14 events
  with gold labels, copies included), plus copies made here of its originals, independent
  reports and syndicated copies. Needs no shared data, so the eval gate always runs it.
- ``basil``: BASIL's 300 real articles (../shared/data/basil: 100 events, each reported by
  the New York Times, Fox News and HuffPost in their own words), some presented as wire copy,
  plus copies made here. Skipped where the data is absent.

Copies: ``syndicated`` (an outlet carries the text with a credit line in one of several
forms, or with none but a wire agency as origin, and its own page chrome, sometimes trimmed),
``scraped`` (a content farm's verbatim copy with farm chrome, truncated, or reflowed),
``spun`` (``bench/provenance_spinner.py``, one of five styles per copy) and chains (a scraped
or spun copy of a syndicated copy: the gold root is the wire original). Every copy is
published after its parent (minutes to days). Everything is seeded: the same seed gives the
same set, byte for byte.

Run from the repository root: ``.venv/bin/python bench/provenance_devset.py --out set.jsonl``
writes the set as JSONL (the record fields ``byline provenance`` reads, plus ``gold_*``
fields and ``recipe``) and prints the counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASIL = ROOT.parent / "shared" / "data" / "basil"
SEED = 20261130

if str(ROOT) not in sys.path:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(ROOT))

from bench.provenance_spinner import spin  # noqa: E402
from byline.demo.corpus import Corpus, load_corpus  # noqa: E402
from byline.records import JudgeInput, Relation  # noqa: E402

# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    name: str
    kind: str  # outlet | wire | aggregator (byline.demo.corpus.OUTLET_KINDS)
    domain: str
    short: str = ""  # a wire agency's dateline credit: "(AFP) —"


AGENCIES = (
    Source("Reuters", "wire", "wire-reuters.example", "Reuters"),
    Source("The Associated Press", "wire", "wire-ap.example", "AP"),
    Source("Agence France-Presse", "wire", "wire-afp.example", "AFP"),
)
# Licensed outlets that carry wire and partner copy (fictional).
SYNDICATORS = (
    Source("Pinecrest Tribune", "outlet", "pinecrest-tribune.example"),
    Source("The Morning Courier", "outlet", "morning-courier.example"),
    Source("Harborline Daily", "outlet", "harborline-daily.example"),
    Source("Valley Sentinel", "outlet", "valley-sentinel.example"),
    Source("The Lakeview Gazette", "outlet", "lakeview-gazette.example"),
)
# Content farms: uncredited copiers. Most declare themselves aggregators; some pass as outlets.
FARMS = (
    Source("World News Hub 24", "aggregator", "worldnewshub24.example"),
    Source("Daily Trend Report", "aggregator", "dailytrendreport.example"),
    Source("NewsFlash Globe", "aggregator", "newsflashglobe.example"),
    Source("TopStory Now", "aggregator", "topstorynow.example"),
)
FARM_OUTLETS = (
    Source("Capital Ledger Online", "outlet", "capitalledger-online.example"),
    Source("Metro Daily Brief", "outlet", "metrodailybrief.example"),
)
BASIL_OUTLETS = {
    "nyt": Source("The New York Times", "outlet", "nytimes.com"),
    "fox": Source("Fox News", "outlet", "foxnews.com"),
    "hpo": Source("HuffPost", "outlet", "huffpost.com"),
}

FARM_HEADERS = ("World News", "Home » World News", "Trending Now", "Latest News")
FARM_FOOTERS = (
    "Source link",
    "Related Articles",
    "Leave a Reply",
    "Cancel reply",
    "Back to top button",
    "Share this:",
    "Like this:",
    "Loading...",
    "You May Also Like",
)
OUTLET_HEADERS = ("Advertisement", "Share this article", "Listen to this article", "Politics")
PEOPLE = ("Jonas Brell", "Ada Whitlow", "Karim Osei", "Lena Marsh", "Tobias Kern", "Ines Dao")

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class DevItem:
    """One article of the set, with its gold labels and how it was made."""

    record: JudgeInput
    relation: Relation
    origin: str | None  # gold: the article this one copies (its direct parent)
    root: str | None  # gold: the first origin of the chain (what provenance must name)
    story: str  # gold event
    recipe: str  # how it was made ("spun/roundtrip rate=0.27 ...")
    part: str
    body: tuple[str, ...] = field(default=(), repr=False)  # paragraphs without page chrome

    def to_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "id": record.id,
            "url": record.url,
            "source": record.source,
            "source_kind": record.source_kind,
            "title": record.title,
            "text": record.text,
            "published": record.published.isoformat() if record.published else None,
            "gold_relation": self.relation,
            "gold_origin": self.origin,
            "gold_root": self.root,
            "gold_story": self.story,
            "recipe": self.recipe,
            "part": self.part,
        }


def _slug(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words[:8]) or "article"


class _Builder:
    """Makes copies of the items already in the set; every choice comes from ``rng``."""

    def __init__(self, part: str, prefix: str, seed: int) -> None:
        self.part = part
        self.prefix = prefix
        self.rng = random.Random(f"{seed}:{part}")
        self.items: list[DevItem] = []
        self.by_id: dict[str, DevItem] = {}
        self._next = 0

    def add(self, item: DevItem) -> DevItem:
        if item.record.id in self.by_id:
            raise ValueError(f"duplicate id {item.record.id}")
        self.items.append(item)
        self.by_id[item.record.id] = item
        return item

    def _copy(
        self,
        parent: DevItem,
        source: Source,
        title: str,
        paragraphs: Sequence[str],
        body: Sequence[str],
        relation: Relation,
        minutes: tuple[int, int],
        recipe: str,
    ) -> DevItem:
        self._next += 1
        copy_id = f"{self.prefix}{self._next:04d}"
        assert parent.record.published is not None
        published = parent.record.published + timedelta(minutes=self.rng.randint(*minutes))
        record = JudgeInput(
            id=copy_id,
            url=f"https://{source.domain}/{published:%Y/%m/%d}/{_slug(title)}-{self._next}",
            source=source.name,
            title=title,
            text="\n".join(paragraphs),
            published=published,
            source_kind=source.kind,
        )
        root = parent.root if parent.relation in ("syndicated", "scraped", "spun") else None
        return self.add(
            DevItem(
                record=record,
                relation=relation,
                origin=parent.record.id,
                root=root or parent.record.id,
                story=parent.story,
                recipe=recipe,
                part=self.part,
                body=tuple(body),
            )
        )

    # -- syndicated
    def syndicate(self, parent: DevItem, agency: Source | None) -> DevItem:
        """A licensed outlet carries ``parent``: wire copy (``agency`` is the parent's
        agency) or a partner's article (``agency`` None), credited in one of several forms."""
        rng = self.rng
        outlet = rng.choice(SYNDICATORS)
        body = list(parent.body)
        trimmed = 0
        if len(body) > 5 and rng.random() < 0.35:
            trimmed = rng.randint(1, 2)
            body = body[:-trimmed]
        if agency is not None:
            form = rng.choices(
                ("dash", "dateline", "reporting", "source", "copyright", "none"),
                weights=(3, 3, 2, 2, 1, 2),
            )[0]
        else:
            form = rng.choices(("partner-dash", "partner-source", "partner-appeared"), (2, 1, 1))[0]
        body = _credit(body, form, agency or Source(parent.record.source, "outlet", ""), rng)
        chrome_top = rng.sample(OUTLET_HEADERS, rng.randint(0, 2))
        year = parent.record.published.year if parent.record.published else 2026
        chrome_end = rng.sample(
            (f"Sign up for the {outlet.name} newsletter.", f"© {year} {outlet.name}"),
            rng.randint(0, 2),
        )
        if len(body) > 4 and rng.random() < 0.4:  # an advertisement slot inside the text
            body_with_ads = [*body[:3], "Advertisement", *body[3:]]
        else:
            body_with_ads = body
        title = parent.record.title
        if rng.random() < 0.3:
            title = f"UPDATE 1-{title}"
        elif rng.random() < 0.3:
            title = f"{title} | {outlet.name}"
        recipe = f"syndicated/{form} trimmed={trimmed} chrome={len(chrome_top) + len(chrome_end)}"
        return self._copy(
            parent,
            outlet,
            title,
            [*chrome_top, *body_with_ads, *chrome_end],
            body,
            "syndicated",
            (5, 360),
            recipe,
        )

    # -- scraped
    def scrape(self, parent: DevItem, farms: Sequence[Source] = FARMS) -> DevItem:
        rng = self.rng
        farm = rng.choice(farms)
        form = rng.choices(("bare", "verbatim", "truncated", "reflowed"), weights=(2, 3, 2, 2))[0]
        body = list(parent.body)
        if form == "truncated":
            keep = max(2, round(len(body) * rng.uniform(0.3, 0.7)))
            body = body[:keep]
            if rng.random() < 0.5:
                body.append(rng.choice(("Read more…", "Continue reading", "(…)")))
        elif form == "reflowed":
            body = _reflow(body, rng)
        header: list[str] = []
        footer: list[str] = []
        if form != "bare":  # bare: the chrome is gone (an extractor that learnt the site's)
            header = rng.sample(FARM_HEADERS, rng.randint(0, 1))
            if rng.random() < 0.4:
                header.append(parent.record.title)
            footer = rng.sample(FARM_FOOTERS, rng.randint(2, 5))
        title = parent.record.title
        if rng.random() < 0.5:
            title = f"{title} - {farm.name}"
        recipe = f"scraped/{form} paragraphs={len(body)}/{len(parent.body)}"
        return self._copy(
            parent,
            farm,
            title,
            [*header, *body, *footer],
            body,
            "scraped",
            (10, 2880),
            recipe,
        )

    # -- spun
    def spin(self, parent: DevItem, farms: Sequence[Source] = FARMS + FARM_OUTLETS) -> DevItem:
        rng = self.rng
        farm = rng.choice(farms)
        result, profile = spin(rng, parent.record.title, list(parent.body))
        body = result.text.split("\n")
        chrome = rng.random() < 0.7
        header = rng.sample(FARM_HEADERS, 1) if chrome and rng.random() < 0.5 else []
        footer = rng.sample(FARM_FOOTERS, rng.randint(2, 5)) if chrome else []
        title = result.title
        if rng.random() < 0.4:
            title = f"{title} | {rng.choice(('World News', 'US News', 'Politics News'))}"
        recipe = (
            f"spun/{profile.name} target={profile.rate:.2f} rate={result.rate:.2f} "
            + " ".join(result.notes)
        ).strip()
        return self._copy(
            parent,
            farm,
            title,
            [*header, *body, *footer],
            body,
            "spun",
            (30, 4320),
            recipe,
        )


def _credit(body: list[str], form: str, agency: Source, rng: random.Random) -> list[str]:
    body = list(body)
    name, short = agency.name, agency.short or agency.name
    if form == "dash":
        body.append(f"— {name}")
    elif form == "dateline":
        first = body[0]
        head, dash, rest = first.partition(" — ")
        if dash and head.isupper() and len(head) < 40 and f"({short})" not in head:
            body[0] = f"{head} ({short}) — {rest}"
        elif f"({short})" not in first:
            body[0] = f"({short}) — {first}"
    elif form == "reporting":
        a, b, c = rng.sample(PEOPLE, 3)
        body.append(f"(Reporting by {a} and {b}; Editing by {c})")
    elif form == "source":
        body.append(f"Source: {name}")
    elif form == "copyright":
        body.append(f"Copyright {name}. All rights reserved.")
    elif form == "partner-dash":
        body.append(f"— {name}")
    elif form == "partner-source":
        body.insert(0, f"Source: {name}")
    elif form == "partner-appeared":
        body.append(f"This article originally appeared in {name}.")
    return body


def _reflow(body: list[str], rng: random.Random) -> list[str]:
    """Straight quotes and hyphens, paragraphs merged in pairs, an advert between two."""
    text = [
        p.replace("“", '"').replace("”", '"').replace("’", "'").replace(" — ", " - ") for p in body
    ]
    merged = [" ".join(text[i : i + 2]) for i in range(0, len(text), 2)]
    if len(merged) > 2:
        merged.insert(rng.randrange(1, len(merged)), "ADVERTISEMENT")
    return merged


# --------------------------------------------------------------------------- the demo part


def demo_devset(seed: int = SEED, corpus: Corpus | None = None) -> list[DevItem]:
    """The demo corpus with its gold labels, plus copies made of its articles."""
    corpus = corpus or load_corpus()
    builder = _Builder("demo", "d", seed)
    for article in sorted(corpus.articles, key=lambda a: (a.published, a.id)):
        outlet = corpus.outlets[article.outlet]
        relation: Relation = article.relation
        copy = relation in ("syndicated", "scraped", "spun")
        builder.add(
            DevItem(
                record=JudgeInput(
                    id=article.id,
                    url=f"https://{outlet.slug}.example/{article.published:%Y/%m/%d}/{article.slug}",
                    source=outlet.name,
                    title=article.headline,
                    text="\n".join(article.paragraphs),
                    published=article.published,
                    source_kind=outlet.kind,
                    standfirst=article.standfirst,
                ),
                relation=relation,
                origin=article.origin or None,
                root=corpus.root_origin(article.id).id if copy else None,
                story=article.event_id,
                recipe="demo corpus (hand-written)",
                part="demo",
                body=tuple(article.paragraphs),
            )
        )
    rng = builder.rng
    for event in sorted(corpus.events):
        members = [i for i in builder.items if i.story == event]
        original = next(i for i in members if i.relation == "original")
        independents = [i for i in members if i.relation == "independent"]
        syndicated = [i for i in members if i.relation == "syndicated"]
        if original.record.source_kind == "wire":
            agency = Source(original.record.source, "wire", "", "CPA")
            syndicated.append(builder.syndicate(original, agency))
        parents = [original, *independents]
        weights = [3.0] + [2.0 / max(1, len(independents))] * len(independents)
        for _ in range(2):
            builder.spin(rng.choices(parents, weights)[0])
        builder.scrape(rng.choices(parents, weights)[0])
        if syndicated and rng.random() < 0.6:
            chain_parent = rng.choice(syndicated)
            if rng.random() < 0.6:
                builder.spin(chain_parent, FARMS)
            else:
                builder.scrape(chain_parent)
    return _with_gold_firsts(builder.items)


# --------------------------------------------------------------------------- the BASIL part


def _basil_articles(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for path in sorted(folder.glob("articles/*/*.json")):
        rows.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
    return rows


def _paragraphs(data: dict[str, Any]) -> list[str]:
    paragraphs = data["body-paragraphs"]
    if isinstance(paragraphs, str):
        paragraphs = json.loads(paragraphs)
    out = [p if isinstance(p, str) else " ".join(p) for p in paragraphs]
    return [" ".join(p.split()) for p in out if p.strip()]


def basil_devset(folder: Path = DEFAULT_BASIL, seed: int = SEED) -> list[DevItem]:
    """BASIL's articles (some presented as wire copy) and copies made of them."""
    builder = _Builder("basil", "b", seed)
    events: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for stem, data in _basil_articles(folder):
        events.setdefault(str(data["triplet-uuid"]), []).append((stem, data))
    rng = builder.rng
    for event, members in sorted(events.items()):
        wire_at = rng.randrange(len(members)) if rng.random() < 0.45 else -1
        wire_first = rng.random() < 0.7
        originals: list[DevItem] = []
        for position, (stem, data) in enumerate(members):
            day = datetime.fromisoformat(str(data["date"])[:10]).replace(tzinfo=UTC)
            published = day + timedelta(minutes=rng.randint(7 * 60, 19 * 60))
            paragraphs = _paragraphs(data)
            source = BASIL_OUTLETS[str(data["source"]).lower()]
            recipe = f"basil article ({source.name})"
            if position == wire_at:
                agency = rng.choice(AGENCIES)
                if wire_first:
                    published = day + timedelta(minutes=rng.randint(5 * 60, 7 * 60))
                if rng.random() < 0.5:
                    paragraphs = _credit(paragraphs, "dateline", agency, rng)
                source = agency
                recipe = f"basil article ({data['source']}) presented as {agency.short} wire copy"
            item = DevItem(
                record=JudgeInput(
                    id=stem,
                    url=str(data.get("url") or f"https://{source.domain}/{stem}"),
                    source=source.name,
                    title=str(data.get("title") or ""),
                    text="\n".join(paragraphs),
                    published=published,
                    source_kind=source.kind,
                ),
                relation="independent",  # settled by _with_gold_firsts
                origin=None,
                root=None,
                story=event,
                recipe=recipe,
                part="basil",
                body=tuple(paragraphs),
            )
            originals.append(builder.add(item))
        first = min(originals, key=lambda i: (i.record.published, i.record.id))
        weights = [2.0 if i is first else 1.0 for i in originals]
        if wire_at >= 0:
            wire = originals[wire_at]
            agency = next(a for a in AGENCIES if a.name == wire.record.source)
            syndicated = [builder.syndicate(wire, agency) for _ in range(rng.randint(1, 2))]
            if rng.random() < 0.6:
                chain_parent = rng.choice(syndicated)
                if rng.random() < 0.6:
                    builder.spin(chain_parent, FARMS)
                else:
                    builder.scrape(chain_parent)
        elif rng.random() < 0.15:
            builder.syndicate(rng.choices(originals, weights)[0], None)
        for _ in range(rng.randint(1, 2)):
            builder.spin(rng.choices(originals, weights)[0])
        if rng.random() < 0.6:
            parent = rng.choices(originals, weights)[0]
            farms = FARMS if parent.record.source_kind == "wire" else FARMS + FARM_OUTLETS
            builder.scrape(parent, farms)
    return _with_gold_firsts(builder.items)


def _with_gold_firsts(items: list[DevItem]) -> list[DevItem]:
    """Non-copies (docs/provenance.md): an article copied by another is ``original``; in a
    story where nothing is copied, the first published is ``original``; every other
    non-copy is ``independent``. The set is returned in publication order."""
    ordered = sorted(
        items, key=lambda i: (i.record.published or datetime.max.replace(tzinfo=UTC), i.record.id)
    )
    copied = {i.origin for i in items if i.origin}
    stories_with_copies = {i.story for i in items if i.record.id in copied}
    seen: set[str] = set()
    result = []
    for item in ordered:
        if item.relation in ("original", "independent"):
            first = item.story not in seen and item.story not in stories_with_copies
            relation: Relation = "original" if item.record.id in copied or first else "independent"
            item = replace(item, relation=relation)
        seen.add(item.story)
        result.append(item)
    return result


# --------------------------------------------------------------------------- command line


def summary(items: Sequence[DevItem]) -> str:
    counts = Counter(i.relation for i in items)
    recipes = Counter(
        i.recipe.split(" ")[0] for i in items if i.relation not in ("original", "independent")
    )
    chains = sum(1 for i in items if i.origin and i.root and i.origin != i.root)
    kinds = Counter(i.record.source_kind for i in items)
    lines = [
        f"{len(items)} articles: "
        + ", ".join(
            f"{rel} {counts[rel]}"
            for rel in ("original", "independent", "syndicated", "scraped", "spun")
        ),
        f"chains (copy of a copy, gold root != parent): {chains}",
        "recipes: " + ", ".join(f"{k} {v}" for k, v in sorted(recipes.items())),
        "source kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("demo", "basil", "all"), default="all")
    parser.add_argument("--basil", type=Path, default=DEFAULT_BASIL, help="BASIL folder")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, help="write the set as JSONL here")
    args = parser.parse_args(argv)
    items: list[DevItem] = []
    if args.part in ("demo", "all"):
        demo = demo_devset(args.seed)
        print("demo part:", summary(demo), sep="\n")
        items += demo
    if args.part in ("basil", "all"):
        if not args.basil.exists():
            print(f"skipped: basil part — {args.basil} not found")
        else:
            basil = basil_devset(args.basil, args.seed)
            print("basil part:", summary(basil), sep="\n")
            items += basil
    if args.out:
        with args.out.open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
        print(f"wrote {len(items)} records to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
