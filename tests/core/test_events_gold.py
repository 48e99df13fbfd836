"""The event extractor on the five seeds against the hand-written gold (gold_events.tsv).

A gold row names its sentence by an anchor substring; a predicted mention matches a gold
row of the same sentence, pairing by object first and then by the distance between the
trigger and the anchor. Precision and recall are over mentions; the attribute scores
(type, date, camp, modality, actor, object) are over matched pairs. The figures are
printed (run with ``-s``) and held to thresholds a little under what the extractor
measures, so a regression fails while a one-off judgement call does not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.events import extract_events
from core.lexicon import load_lexicon
from core.merge import written_date
from core.model import EventMention
from core.resources import parse_table

GOLD = Path(__file__).with_name("gold_events.tsv")

# measured when this test was written: precision 0.97, recall 1.00, every attribute 1.00
# except object 0.97 -- on the very seeds the rules were developed on, so these are
# training figures; the thresholds leave room for changes in cleaning and the lexicon
MIN_PRECISION = 0.85
MIN_RECALL = 0.85
MIN_ATTRIBUTE = {"type": 0.85, "date": 0.85, "camp": 0.85, "actor": 0.9, "modality": 0.85}


@dataclass
class GoldRow:
    file: str
    anchor: str
    start: int
    sentence_index: int
    row: dict[str, str]


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def predicted(seeds_corpus, lexicon) -> dict[str, list[EventMention]]:
    return {a.file: extract_events(a, lexicon) for a in seeds_corpus.articles}


@pytest.fixture(scope="module")
def gold(seeds_corpus) -> list[GoldRow]:
    articles = {a.file: a for a in seeds_corpus.articles}
    rows = []
    for row in parse_table(GOLD.read_text(encoding="utf-8"), str(GOLD)):
        article = articles[row["file"]]
        text = article.source_text
        assert text.count(row["anchor"]) == 1, f"{row['_source']}: anchor not unique"
        start = text.index(row["anchor"])
        sentence = next(s for s in article.sentences if s.start <= start < s.end)
        rows.append(GoldRow(row["file"], row["anchor"], start, sentence.index, row))
    return rows


def _distance(mention: EventMention, gold: GoldRow) -> int:
    end = gold.start + len(gold.anchor)
    if mention.trigger_end <= gold.start:
        return gold.start - mention.trigger_end
    if mention.trigger_start >= end:
        return mention.trigger_start - end
    return 0


def _match(gold: list[GoldRow], predicted: dict[str, list[EventMention]]):
    """Greedy pairing within each sentence: same object first, then nearest trigger."""
    candidates = []
    for g in gold:
        for m in predicted[g.file]:
            if m.sentence_index == g.sentence_index:
                same_object = g.row["object"] in m.objects if g.row["object"] else not m.objects
                candidates.append((not same_object, _distance(m, g), id(g), g, m))
    candidates.sort(key=lambda c: c[:3])
    pairs, used_gold, used_pred = [], set(), set()
    for _, _, _, g, m in candidates:
        if id(g) in used_gold or id(m) in used_pred:
            continue
        used_gold.add(id(g))
        used_pred.add(id(m))
        pairs.append((g, m))
    return pairs


def _same_or_related(predicted_id: str, gold_id: str, lexicon) -> bool:
    if predicted_id == gold_id:
        return True
    return gold_id in lexicon.ancestors(predicted_id) or predicted_id in lexicon.ancestors(gold_id)


def _date_ok(g: dict[str, str], m: EventMention) -> bool:
    start = dt.date.fromisoformat(g["date_start"]) if g["date_start"] else None
    end = dt.date.fromisoformat(g["date_end"]) if g["date_end"] else None
    got = (m.date.date_start, m.date.date_end) if m.date else (None, None)
    return got == (start, end)


def _scores(pairs, lexicon) -> dict[str, float]:
    checks = {
        "type": lambda g, m: m.event_type == g["event_type"],
        "date": _date_ok,
        "camp": lambda g, m: m.camp == g["camp"],
        "modality": lambda g, m: m.modality == g["modality"],
        "actor": lambda g, m: any(
            _same_or_related(a, g["actors"].split(";")[0], lexicon) for a in m.actors
        ),
        "object": lambda g, m: (g["object"] in m.objects) if g["object"] else True,
    }
    return {
        name: sum(check(g.row, m) for g, m in pairs) / max(1, len(pairs))
        for name, check in checks.items()
    }


def test_precision_and_recall_on_the_seeds(gold, predicted, lexicon):
    pairs = _match(gold, predicted)
    n_pred = sum(len(v) for v in predicted.values())
    precision = len(pairs) / max(1, n_pred)
    recall = len(pairs) / max(1, len(gold))
    scores = _scores(pairs, lexicon)
    print(f"\nevent mentions: gold {len(gold)}, predicted {n_pred}, matched {len(pairs)}")
    print(f"precision {precision:.2f}  recall {recall:.2f}")
    print("on matched pairs: " + "  ".join(f"{k} {v:.2f}" for k, v in scores.items()))
    for file, mentions in sorted(predicted.items()):
        print(f"  {file}: {len(mentions)} predicted, {sum(g.file == file for g in gold)} gold")
    matched_pred = {id(m) for _, m in pairs}
    matched_gold = {id(g) for g, _ in pairs}
    for mentions in predicted.values():
        for m in mentions:
            if id(m) not in matched_pred:
                print(f"  extra: {m.file} [{m.sentence_index}] {m.event_type} {m.title}")
    for g in gold:
        if id(g) not in matched_gold:
            print(f"  missed: {g.file} {g.anchor} ({g.row['event_type']})")
    for g, m in pairs:
        wrong = [k for k, check in _scores([(g, m)], lexicon).items() if check < 1]
        if wrong:
            print(f"  {g.file} {g.anchor}: wrong {', '.join(wrong)} -> {m.title}")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL
    for name, minimum in MIN_ATTRIBUTE.items():
        assert scores[name] >= minimum, name


@pytest.mark.parametrize(
    ("file", "obj", "event_type", "start", "end", "camp"),
    [
        (
            "004_ec613ed2d7ce5ee1.txt",
            "Llama 3.1",
            "open_release",
            "2024-07-21",
            "2024-07-31",
            "open",
        ),
        (
            "004_ec613ed2d7ce5ee1.txt",
            "EXAONE 3.0",
            "open_release",
            "2024-08-07",
            "2024-08-07",
            "open",
        ),
        ("001_0200a4a0cae8c2e1.txt", "AI Alliance", "alliance", "2023-12-06", "2023-12-06", "open"),
        ("000_adb5c0859fc24b80.txt", "AI Alliance", "alliance", "2023-12-01", "2023-12-31", "open"),
        ("001_0200a4a0cae8c2e1.txt", "Gemini", "release", "2023-12-07", "2023-12-07", "closed"),
        ("000_adb5c0859fc24b80.txt", "Gemini", "release", "2023-12-01", "2023-12-31", "closed"),
        ("000_adb5c0859fc24b80.txt", "Ferret", "open_release", "2023-12-01", "2023-12-31", "open"),
        ("002_66adaed47b9baad8.txt", "Google", "leak", "2023-05-04", "2023-05-04", "neutral"),
        ("003_a39cdc22e6d86e9a.txt", "Gaudi", "release", "2024-04-09", "2024-04-09", "neutral"),
        ("003_a39cdc22e6d86e9a.txt", "Google Vids", "plan", "2024-06-01", "2024-06-30", "closed"),
    ],
)
def test_design_card_events(predicted, file, obj, event_type, start, end, camp):
    found = [m for m in predicted[file] if obj in m.objects and m.event_type == event_type]
    assert found, f"no {event_type} of {obj} in {file}"
    m = found[0]
    assert m.date is not None
    assert (m.date.date_start.isoformat(), m.date.date_end.isoformat()) == (start, end)
    assert m.camp == camp
    assert m.camp_evidence and m.title


def test_partnership_of_a_closed_actor_with_the_open_camp_is_a_crossover(predicted):
    deals = [
        m
        for m in predicted["000_adb5c0859fc24b80.txt"]
        if m.event_type == "partnership" and "Google Cloud" in m.actors
    ]
    assert deals and deals[0].camp == "crossover"
    # 최근 in a past report: the 30 days up to publication, said so, never a pinned day
    date = deals[0].date
    assert date is not None and date.approximate and date.precision == "range"
    assert (date.date_start, date.date_end) == (dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    assert date.text == "최근" and "추정" in written_date(date)


def test_mentions_point_back_at_kept_source_text(seeds_corpus, predicted):
    for article in seeds_corpus.articles:
        removed = article.clean.removals if article.clean else []
        for m in predicted[article.file]:
            assert article.source_text[m.char_start : m.char_end] == m.sentence
            assert m.char_start <= m.trigger_start < m.trigger_end <= m.char_end
            for r in removed:
                assert not (r.start < m.trigger_end and m.trigger_start < r.end), m.title
            if m.date is not None:
                assert article.source_text[m.date.start : m.date.end] == m.date.text
            else:
                assert m.date_link == "none"
