"""Merging mentions of the same real event across (and within) articles."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from core.merge import entity_parents, lexicon_entities, merge_mentions, type_family
from core.model import EventMention, TimeExpr
from tests.core.builders import event_mention

D = dt.date


def when(
    text: str, start: dt.date | None, end: dt.date | None = None, precision: str = "day"
) -> TimeExpr:
    return TimeExpr(0, len(text), text, start, end or start, precision if start else "unknown")


def mention(
    file: str,
    sentence_index: int,
    event_type: str,
    actors: list[str],
    objects: list[str],
    date: TimeExpr | None,
    *,
    predicate: str = "공개하다",
    camp: str = "neutral",
    modality: str = "happened",
    trigger: int = 5,
    title: str = "",
) -> EventMention:
    start = 100 * sentence_index
    return event_mention(
        file,
        sentence_index,
        f"{file} 문장 {sentence_index}",
        start,
        (start + trigger, start + trigger + 2),
        event_type,
        actors,
        objects,
        date,
        predicate=predicate,
        modality=modality,
        camp=camp,
        title=title,
        confidence=0.6,
    )


@dataclass
class FakeEntity:
    entity_id: str
    parent: str = ""


class FakeLexicon:
    def __init__(self, *entities: FakeEntity):
        self.entities = {e.entity_id: e for e in entities}


LEXICON = FakeLexicon(
    FakeEntity("Google"),
    FakeEntity("Google Cloud", "Google"),
    FakeEntity("Gemini", "Google"),
    FakeEntity("Gemini 1.5 Pro", "Gemini"),
    FakeEntity("Meta"),
    FakeEntity("Llama 3.1", "Meta"),
)

PUBLISHED = {"000.txt": D(2024, 1, 31), "001.txt": D(2023, 12, 8)}


def alliance_pair() -> list[EventMention]:
    return [
        mention(
            "000.txt",
            7,
            "alliance",
            ["Meta", "IBM", "Intel"],
            ["AI Alliance"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
            predicate="출범하다",
            camp="open",
            title="메타 등, AI 동맹 출범",
        ),
        mention(
            "001.txt",
            1,
            "alliance",
            ["AI Alliance"],
            [],
            when("지난 6일", D(2023, 12, 6)),
            predicate="출범하다",
            camp="open",
            title="AI얼라이언스 출범",
        ),
    ]


def test_same_event_in_two_articles_becomes_one_event_with_the_precise_date():
    events = merge_mentions(alliance_pair(), LEXICON, PUBLISHED)
    assert len(events) == 1
    event = events[0]
    assert event.sources == ["001.txt", "000.txt"]  # the day-precise source is primary
    assert (event.date_start, event.date_end, event.precision) == (
        D(2023, 12, 6),
        D(2023, 12, 6),
        "day",
    )
    assert event.date_text == "지난 6일"
    assert event.title == "AI얼라이언스 출범"
    assert event.camp == "open"
    assert event.actors == ["AI Alliance", "Meta", "IBM", "Intel"]
    assert any(
        "001.txt says 2023-12-06" in n and "000.txt says 2023-12-01..2023-12-31" in n
        for n in event.notes
    )
    assert event.confidence > 0.6  # two sources back it


def test_gemini_release_merges_through_the_shared_object():
    mentions = [
        mention(
            "000.txt",
            10,
            "release",
            ["Google"],
            ["Gemini"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
            predicate="내놓다",
            camp="closed",
        ),
        mention(
            "001.txt",
            20,
            "release",
            ["Google"],
            ["Gemini"],
            when("바로 다음 7일", D(2023, 12, 7)),
            camp="closed",
        ),
    ]
    [event] = merge_mentions(mentions, LEXICON, PUBLISHED)
    assert event.date_start == D(2023, 12, 7)
    assert event.primary.file == "001.txt"
    assert event.camp == "closed"


def test_different_events_on_the_same_day_stay_apart():
    day = when("지난 9일", D(2024, 4, 9))
    mentions = [
        mention(
            "003.txt", 3, "announcement", ["Google Cloud"], ["Gemini"], day, predicate="발표하다"
        ),
        mention("003.txt", 9, "release", ["Intel"], ["Gaudi"], day),
        mention(
            "003.txt",
            9,
            "partnership",
            ["Intel", "Naver Cloud"],
            ["Naver Cloud"],
            day,
            predicate="체결하다",
            trigger=40,
        ),
    ]
    events = merge_mentions(mentions, LEXICON)
    assert len(events) == 3
    assert len({e.event_id for e in events}) == 3


def test_two_releases_in_one_sentence_are_two_events_even_with_the_same_actor():
    mentions = [
        mention("003.txt", 5, "release", ["Google Cloud"], ["Claude 3"], None, trigger=10),
        mention("003.txt", 5, "release", ["Google Cloud"], ["CodeGemma"], None, trigger=30),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 2


def test_a_version_and_its_family_are_two_releases():
    # Gemini 1.5 Pro is a version under Gemini in the lexicon: same actor, same day
    family = mention("000.txt", 1, "release", ["Google"], ["Gemini"], when("9일", D(2024, 4, 9)))
    version = mention(
        "001.txt", 1, "release", ["Google"], ["Gemini 1.5 Pro"], when("9일", D(2024, 4, 9))
    )
    assert len(merge_mentions([family, version], LEXICON, PUBLISHED)) == 2


def test_different_objects_of_one_actor_do_not_merge_across_articles():
    month = when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month")
    mentions = [
        mention("000.txt", 1, "open_release", ["Apple"], ["Ferret"], month, camp="open"),
        mention(
            "001.txt",
            2,
            "open_release",
            ["Apple"],
            ["MLX"],
            when("지난 5일", D(2023, 12, 5)),
            camp="open",
        ),
    ]
    assert len(merge_mentions(mentions, LEXICON, PUBLISHED)) == 2


def test_non_overlapping_dates_of_one_object_merge_only_when_close_and_are_noted():
    close = [
        mention(
            "001.txt",
            1,
            "release",
            ["Google"],
            ["Gemini"],
            when("6일(현지시간)", D(2023, 12, 6)),
            camp="closed",
        ),
        mention(
            "000.txt",
            1,
            "release",
            ["Google"],
            ["Gemini"],
            when("7일", D(2023, 12, 7)),
            camp="closed",
        ),
    ]
    [event] = merge_mentions(close, LEXICON, PUBLISHED)
    assert event.primary.file == "001.txt"  # equal precision: the earlier publication leads
    assert any(
        n.startswith("dates disagree") and "2023-12-06" in n and "2023-12-07" in n
        for n in event.notes
    )

    far = [
        mention(
            "000.txt",
            1,
            "release",
            ["Google"],
            ["Gemini"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
        ),
        mention(
            "003.txt",
            1,
            "announcement",
            ["Google Cloud"],
            ["Gemini"],
            when("지난 9일", D(2024, 4, 9)),
        ),
    ]
    assert len(merge_mentions(far, LEXICON)) == 2


def test_undated_mentions_never_merge_on_date_alone():
    # same type, both undated, no shared actor or object: nothing ties them
    mentions = [
        mention("000.txt", 1, "partnership", ["Google Cloud"], ["Hugging Face"], None),
        mention("003.txt", 1, "partnership", ["Intel"], ["Naver Cloud"], None),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 2


def test_an_undated_restatement_joins_the_dated_event_of_its_article():
    mentions = [
        mention(
            "004.txt",
            1,
            "open_release",
            ["Meta"],
            ["Llama 3.1"],
            when("지난달 말", D(2024, 7, 21), D(2024, 7, 31), "month"),
            camp="open",
        ),
        mention("004.txt", 3, "release", ["Meta"], [], None, predicate="내놓다", camp="open"),
    ]
    [event] = merge_mentions(mentions, LEXICON)
    assert event.event_type == "open_release"
    assert event.sources == ["004.txt"]
    assert len(event.mentions) == 2
    assert event.date_start == D(2024, 7, 21)


def test_an_announcement_without_object_does_not_join_a_release_of_something():
    mentions = [
        mention(
            "021.txt", 1, "announcement", ["LG AI Research"], [], when("14일", D(2021, 12, 14))
        ),
        mention(
            "016.txt",
            2,
            "release",
            ["LG AI Research"],
            ["EXAONE 1.0"],
            when("2021년 12월", D(2021, 12, 1), D(2021, 12, 31), "month"),
        ),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 2


def test_a_mention_with_its_own_vague_time_is_not_a_restatement():
    # 이번 주 만났다 and 최근에는 ... 만났다: two meetings of one person
    mentions = [
        mention(
            "003.txt",
            2,
            "meeting",
            ["Sam Altman"],
            [],
            when("이번 주", D(2024, 4, 8), D(2024, 4, 14), "week"),
            predicate="만나다",
        ),
        mention(
            "003.txt", 6, "meeting", ["Sam Altman"], [], when("최근", None), predicate="만나다"
        ),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 2


def test_planned_and_happened_in_one_article_stay_apart():
    mentions = [
        mention(
            "003.txt",
            2,
            "meeting",
            ["Sam Altman"],
            [],
            when("이번 주", D(2024, 4, 8), D(2024, 4, 14), "week"),
            predicate="만나다",
        ),
        mention(
            "003.txt",
            4,
            "meeting",
            ["Sam Altman"],
            [],
            when("이날", D(2024, 4, 11)),
            predicate="갖다",
            modality="planned",
        ),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 2


def test_parent_entities_link_a_subsidiary_to_its_group():
    mentions = [
        mention(
            "000.txt", 1, "partnership", ["Google"], ["Hugging Face"], None, predicate="협업하다"
        ),
        mention(
            "000.txt",
            2,
            "partnership",
            ["Google Cloud"],
            ["Hugging Face"],
            when("최근", None),
            predicate="체결하다",
            camp="crossover",
        ),
    ]
    [event] = merge_mentions(mentions, LEXICON)
    assert event.camp == "crossover"  # a decided camp beats the neutral primary
    assert event.date_start is None and event.precision == "unknown" and event.date_text == ""


def test_disagreeing_camps_are_noted():
    mentions = alliance_pair()
    mentions[1].camp = "neutral"
    mentions[0].camp = "open"
    mentions.append(
        mention(
            "002.txt",
            4,
            "alliance",
            ["Meta"],
            ["AI Alliance"],
            when("12월 초", D(2023, 12, 1), D(2023, 12, 10), "month"),
            camp="closed",
        )
    )
    mentions.append(
        mention(
            "005.txt",
            4,
            "alliance",
            ["IBM"],
            ["AI Alliance"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
            camp="open",
        )
    )
    [event] = merge_mentions(mentions, LEXICON, PUBLISHED)
    assert event.camp == "open"
    assert any(n.startswith("camps disagree") for n in event.notes)


def test_ids_and_events_do_not_depend_on_input_order():
    base = alliance_pair() + [
        mention(
            "000.txt",
            10,
            "release",
            ["Google"],
            ["Gemini"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
        ),
        mention(
            "001.txt", 20, "release", ["Google"], ["Gemini"], when("바로 다음 7일", D(2023, 12, 7))
        ),
        mention("003.txt", 9, "release", ["Intel"], ["Gaudi"], when("지난 9일", D(2024, 4, 9))),
        mention("000.txt", 2, "partnership", ["Google Cloud"], ["Hugging Face"], None),
    ]
    reference = [
        (e.event_id, e.sources, e.date_start) for e in merge_mentions(base, LEXICON, PUBLISHED)
    ]
    assert len(reference) == 4
    rng = random.Random(7)
    for _ in range(10):
        shuffled = base[:]
        rng.shuffle(shuffled)
        again = [
            (e.event_id, e.sources, e.date_start)
            for e in merge_mentions(shuffled, LEXICON, PUBLISHED)
        ]
        assert again == reference


def test_events_are_sorted_by_date_with_undated_last():
    mentions = [
        mention("000.txt", 2, "partnership", ["Google Cloud"], ["Hugging Face"], None),
        mention("003.txt", 9, "release", ["Intel"], ["Gaudi"], when("지난 9일", D(2024, 4, 9))),
        mention("001.txt", 20, "release", ["Google"], ["Gemini"], when("7일", D(2023, 12, 7))),
    ]
    events = merge_mentions(mentions, LEXICON)
    assert [e.date_start for e in events] == [D(2023, 12, 7), D(2024, 4, 9), None]


def test_entity_parents_reads_mappings_lists_and_nothing():
    assert entity_parents(LEXICON)["Google Cloud"] == "Google"
    assert entity_parents([FakeEntity("CodeGemma", "Gemma")]) == {"CodeGemma": "Gemma"}
    assert entity_parents(None) == {}
    assert lexicon_entities(LEXICON)["Gemini"] == FakeEntity("Gemini", "Google")
    assert lexicon_entities([FakeEntity("Meta")]) == {"Meta": FakeEntity("Meta")}
    assert lexicon_entities(object()) == lexicon_entities(None) == {}
    assert type_family("open_release") == type_family("announcement") != type_family("alliance")


def test_a_restatement_with_the_opposite_camp_is_not_pulled_in():
    # 개방 진영은 코드를 공개해 ... : a description of the other camp, not Gemini again
    mentions = [
        mention(
            "000.txt",
            3,
            "release",
            ["Google"],
            ["Gemini"],
            when("지난달", D(2023, 12, 1), D(2023, 12, 31), "month"),
            camp="closed",
        ),
        mention("000.txt", 5, "open_release", ["Google"], [], None, camp="open"),
    ]
    events = merge_mentions(mentions, LEXICON)
    assert len(events) == 2
    assert events[0].event_type == "release"


def test_a_primary_without_object_does_not_collect_other_releases():
    # the extractor missed the object of the dated announcement; the undated releases of
    # Gemini 1.5 Pro and Claude 3 by the same actor are other events, and not one another
    mentions = [
        mention(
            "003.txt",
            15,
            "announcement",
            ["Google Cloud"],
            [],
            when("지난 9일(현지 시간)", D(2024, 4, 9)),
            predicate="발표하다",
        ),
        mention("003.txt", 17, "release", ["Google Cloud"], ["Gemini 1.5 Pro"], None),
        mention("003.txt", 18, "release", ["Google Cloud"], ["Claude 3"], None),
    ]
    assert len(merge_mentions(mentions, LEXICON)) == 3


def test_a_wide_primary_interval_is_found_from_a_mention_dated_late_in_it():
    # the dated clusters of an entity are looked up in a window around the mention's own
    # interval; a month-long primary that starts weeks before the mention still overlaps it
    month = mention(
        "000.txt",
        1,
        "release",
        ["Google"],
        ["Gemini"],
        when("3월", D(2024, 3, 1), D(2024, 3, 31), "month"),
    )
    late_span = mention(
        "001.txt",
        2,
        "release",
        ["Google"],
        ["Gemini"],
        when("3월 하순부터 4월 하순까지", D(2024, 3, 25), D(2024, 4, 30), "range"),
    )
    after = mention(  # 41 days after the primary's end: past MAX_DISAGREEMENT_GAP
        "002.txt",
        1,
        "release",
        ["Google"],
        ["Gemini"],
        when("5월 11일", D(2024, 5, 11)),
    )
    events = merge_mentions([late_span, after, month], LEXICON, {})
    assert sorted(e.sources for e in events) == [["000.txt", "001.txt"], ["002.txt"]]
    near_gap = mention(  # 2 days after the month's end: the largest gap still merged
        "003.txt",
        1,
        "release",
        ["Google"],
        ["Gemini"],
        when("4월 2일", D(2024, 4, 2)),
    )
    week_later = mention(  # a week after: another event (the next release), not a slip
        "003.txt",
        1,
        "release",
        ["Google"],
        ["Gemini"],
        when("4월 7일", D(2024, 4, 7)),
    )
    assert len(merge_mentions([week_later, month], LEXICON, {})) == 2
    [merged] = merge_mentions([near_gap, month], LEXICON, {})
    assert merged.primary.file == "003.txt" and merged.sources == ["003.txt", "000.txt"]
