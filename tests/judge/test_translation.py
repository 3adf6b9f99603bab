"""Copies across languages: machine translation into English (Apertium, a Debian package) and
the sentence alignment that reads a translation against its English origin.

The texts are the project's own (a fictional event, sample data). The tests that translate
need Apertium's Spanish-English pair (``make translator`` installs it) and skip without it;
the alignment and the candidate index are tested with translations given by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from byline.judge import provenance, translation
from byline.judge.align import align_translation
from byline.judge.fingerprint import fingerprint
from byline.judge.text import content_words
from byline.records import JudgeInput

ENGLISH = (
    "The harbour authority of Port Vellana closed the northern pier on Tuesday after a cargo "
    "crane collapsed during a storm.\n"
    "Two workers were taken to the regional hospital with minor injuries, the authority said "
    "in a statement.\n"
    "Engineers from the ministry of transport will inspect the remaining cranes before the "
    "pier reopens next week.\n"
    "Shipping companies were told to divert their vessels to the southern terminal until the "
    "inspection ends."
)
# A translation of ENGLISH, sentence for sentence.
SPANISH_COPY = (
    "La autoridad portuaria de Port Vellana cerró el muelle norte el martes después de que "
    "una grúa de carga se desplomara durante una tormenta.\n"
    "Dos trabajadores fueron trasladados al hospital regional con heridas leves, dijo la "
    "autoridad en un comunicado.\n"
    "Los ingenieros del ministerio de transporte inspeccionarán las demás grúas antes de que "
    "el muelle vuelva a abrir la próxima semana.\n"
    "Se pidió a las compañías navieras que desviaran sus buques a la terminal sur hasta que "
    "termine la inspección."
)
# Another outlet's own Spanish report of the same event: its facts, its own sentences.
SPANISH_OWN = (
    "Una fuerte tormenta derribó el martes una grúa en el puerto de Port Vellana.\n"
    "Según testigos, el viento superó los cien kilómetros por hora y varias embarcaciones "
    "quedaron dañadas.\n"
    "El alcalde pidió calma a los vecinos y prometió ayudas para los pescadores afectados.\n"
    "La oposición criticó la falta de mantenimiento de las instalaciones portuarias."
)
# Hand-made English readings of SPANISH_COPY's sentences (what a translator would give).
BY_HAND = (
    "The port authority of Port Vellana closed the north pier on Tuesday after a cargo crane "
    "collapsed during a storm.",
    "Two workers were taken to the regional hospital with light injuries, the authority said "
    "in a communiqué.",
    "The engineers of the transport ministry will inspect the other cranes before the pier "
    "opens again next week.",
    "Shipping companies were asked to divert their ships to the south terminal until the "
    "inspection ends.",
)
OWN_BY_HAND = (
    "A strong storm brought down a crane on Tuesday in the port of Port Vellana.",
    "According to witnesses, the wind passed a hundred kilometres an hour and several boats "
    "were damaged.",
    "The mayor asked the residents for calm and promised help for the affected fishermen.",
    "The opposition criticised the lack of maintenance of the port installations.",
)

needs_apertium = pytest.mark.skipif(
    not translation.available(), reason="Apertium's Spanish-English pair is not installed"
)


def _pairs(text: str, english: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    lines = text.split("\n")
    assert len(lines) == len(english)
    return tuple(zip(lines, english, strict=True))


def test_a_translation_aligns_sentence_for_sentence_and_an_own_report_does_not() -> None:
    copy = align_translation(ENGLISH, _pairs(SPANISH_COPY, BY_HAND), 0.4)
    assert len(copy.pairs) == 4
    assert copy.copy_coverage == 1.0 and copy.in_order == 1.0
    assert provenance._is_translation(copy)
    # The pairs show the copy's own (Spanish) sentences beside the origin's.
    assert copy.pairs[0][1].startswith("La autoridad portuaria")
    assert copy.pairs[0][0].startswith("The harbour authority")
    own = align_translation(ENGLISH, _pairs(SPANISH_OWN, OWN_BY_HAND), 0.4)
    assert not provenance._is_translation(own)
    assert own.copy_coverage < provenance.TRANSLATED_COVERAGE


def _record(key: str, text: str, hours: int, source: str, kind: str = "outlet") -> JudgeInput:
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    return JudgeInput(
        id=key, url=f"https://{source}/{key}", source=source, title="", text=text,
        published=start + timedelta(hours=hours), source_kind=kind,
    )  # fmt: skip


def _fake_translate(text: str) -> tuple[tuple[str, str], ...] | None:
    """A translator that knows the two Spanish texts above (by hand), as the judge sees one."""
    for spanish, english in ((SPANISH_COPY, BY_HAND), (SPANISH_OWN, OWN_BY_HAND)):
        if text == spanish:
            return _pairs(spanish, english)
    return None


def test_the_judge_traces_a_translated_copy_through_a_translator() -> None:
    items = [
        _record("en", ENGLISH, 0, "vellana-herald.example"),
        _record("es-copy", SPANISH_COPY, 5, "noticias-granja.example", "aggregator"),
        _record("es-own", SPANISH_OWN, 6, "diario-costa.example"),
    ]
    fps = [fingerprint(i.title, i.text) for i in items]
    without = {p.id: p for p in provenance.judge(items, fps)}
    assert without["es-copy"].origin_id is None  # four shared facts: too few to tell
    labels = {p.id: p for p in provenance.judge(items, fps, translate=_fake_translate)}
    assert labels["es-copy"].relation == "spun"
    assert labels["es-copy"].origin_id == "en"
    assert any("machine translation" in line for line in labels["es-copy"].evidence)
    assert labels["es-copy"].aligned  # the evidence shows aligned sentence pairs
    assert labels["es-own"].relation == "independent"
    assert labels["es-own"].origin_id is None


def test_an_english_copy_of_a_spanish_original_shows_the_original_first() -> None:
    items = [
        _record("es", SPANISH_COPY, 0, "diario-vellana.example"),
        _record("en-copy", ENGLISH, 5, "world-news-farm.example", "aggregator"),
    ]
    fps = [fingerprint(i.title, i.text) for i in items]
    labels = {p.id: p for p in provenance.judge(items, fps, translate=_fake_translate)}
    copy = labels["en-copy"]
    assert copy.relation == "spun" and copy.origin_id == "es"
    origin_sentence, copy_sentence = copy.aligned[0]
    assert origin_sentence in SPANISH_COPY and copy_sentence in ENGLISH


def test_a_text_in_another_language_is_indexed_by_its_translation_too() -> None:
    index = provenance._Candidates(64)
    english = provenance._Item(
        0,
        _record("en", ENGLISH, 0, "a.example"),
        fingerprint("", ENGLISH),
        frozenset(content_words(ENGLISH)),
    )
    index.add(english)
    spanish = provenance._Item(
        1, _record("es", SPANISH_COPY, 1, "b.example"), fingerprint("", SPANISH_COPY)
    )
    keys = provenance._translation_fingerprint(spanish.record, _fake_translate)
    assert keys is not None
    # Too few shingles or names in common to be found as a copy in the same language ...
    assert index.find(spanish) == [] and index.find(spanish, keys=keys) == []
    # ... but the translation's content words find the English article.
    assert [c.index for c in index.across(spanish, keys)] == [0]
    index.add(spanish, keys=keys)
    assert [c.index for c in index.across(english)] == [1]  # and the other way round
    index.remove(1)  # forgotten under the keys it was indexed by
    assert 1 not in index.live and 1 not in index.translated
    assert all(1 not in held for held in index.immutables.values())


@needs_apertium
def test_apertium_reads_spanish_and_leaves_english_alone() -> None:
    found = translation.translator()
    assert found is not None and "es" in found.languages()
    assert found.language(SPANISH_COPY) == "es"
    assert found.language(ENGLISH) is None
    assert found.to_english(ENGLISH) is None
    translated = found.to_english(SPANISH_COPY)
    assert translated is not None and len(translated) == 4
    assert translated[0][0].startswith("La autoridad portuaria")
    assert "Port Vellana" in translated[0][1] and "storm" in translated[0][1].lower()


@needs_apertium
def test_the_pipeline_finds_a_spanish_translation_with_apertium() -> None:
    from byline.pipeline import JudgeParams, judge

    items = [
        _record("en", ENGLISH, 0, "vellana-herald.example"),
        _record("es-copy", SPANISH_COPY, 5, "noticias-granja.example", "aggregator"),
        _record("es-own", SPANISH_OWN, 6, "diario-costa.example"),
    ]
    labels = {p.id: p for p in judge(items).provenance}
    assert labels["es-copy"].origin_id == "en"
    assert labels["es-own"].origin_id is None
    off = {p.id: p for p in judge(items, params=JudgeParams(translation=False)).provenance}
    assert off["es-copy"].origin_id is None
