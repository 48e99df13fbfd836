"""Search and filtering of events without Qt: particles, aliases, camps, dates, order."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import pytest

from core.lexicon import load_lexicon
from core.search import EventFilter, SearchIndex, apply_filter, date_order, parse_query, stems

COLUMNS = ["event_id", "date_start", "date_end", "title", "event_type", "camp", "actors",
           "entities", "sentence", "date_text", "sources"]  # fmt: skip


def _events() -> pd.DataFrame:
    rows = [
        ["e1", "2024-03-05", "2024-03-05", "메타, 새 모델 공개", "open_release", "open", "Meta",
         "Meta", "메타가 지난 5일 새 모델을 공개했다.", "지난 5일", "a.txt"],
        ["e2", "", "", "구글, 협력 발표", "partnership", "closed", "Google", "Google;Samsung",
         "구글은 삼성과 손잡았다고 밝혔다.", "", "b.txt"],
        ["e3", "2023-12-01", "2023-12-31", "노바젠테크 연합 가입", "alliance", "crossover", "",
         "", "신생기업 노바젠테크 가 연합에 합류했다.", "지난해 12월", "a.txt;b.txt"],
        ["e4", "2024-01-01", "2024-06-30", "오픈AI 계획", "plan", "closed", "OpenAI", "OpenAI",
         "오픈AI는 상반기 중 새 서비스를 내놓겠다고 했다.", "상반기", "c.txt"],
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_stems_strip_one_particle_and_keep_short_stems_out():
    assert stems("메타가") == ["메타가", "메타"]
    assert "구글" in stems("구글에서")
    assert stems("이가") == ["이가"]  # a one-syllable stem is not a name
    assert stems("AI") == ["AI"]


def test_a_particle_the_user_adds_is_stripped_without_a_restart():
    folder = os.environ["CAMP_TIMELINE_RESOURCES"]  # an empty folder per test (conftest)
    assert stems("메타더러") == ["메타더러"]  # read once before the user's table exists
    with open(os.path.join(folder, "search_particles.tsv"), "w", encoding="utf-8") as out:
        out.write("particle\n더러\n")
    assert stems("메타더러") == ["메타더러", "메타"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("메타", {"e1"}),
        ("메타가", {"e1"}),  # the particle typed along with the name
        ("Meta", {"e1"}),  # an English alias finds the Korean text
        ("meta", {"e1"}),  # Latin case does not matter
        ("구글의", {"e2"}),
        ("오픈 AI는", {"e4"}),  # two words, each found ('AI는' by its stem)
        ("메타 구글", set()),  # every word must match the same event
        ("오픈AI는", {"e4"}),
        ("노바젠테크가", {"e3"}),  # no lexicon entry: plain stem search
        ("노바젠 테크", {"e3"}),  # spacing is ignored inside a word's folded form
        ("모델 공개", {"e1"}),
        ("삼성", {"e2"}),  # through the entities column and the sentence
        ("없는단어", set()),
    ],
)
def test_index_matches_particles_and_aliases(lexicon, query, expected):
    index = SearchIndex(_events(), lexicon)
    assert index.matches(query) == expected


def test_a_name_ending_like_a_particle_is_not_cut(lexicon):
    (term,) = parse_query("제미나이", lexicon)
    assert term.entity_id == "Gemini"
    assert "제미나" not in term.keys


def test_blank_query_matches_all_and_highlights_nothing(lexicon):
    events = _events()
    visible, matched = apply_filter(events, EventFilter(query="  "), SearchIndex(events, lexicon))
    assert visible == {"e1", "e2", "e3", "e4"} and matched == set()


def test_camps_types_and_entities_narrow_the_events(lexicon):
    events = _events()
    index = SearchIndex(events, lexicon)
    assert apply_filter(events, EventFilter(camps=frozenset({"closed"})), index)[0] == {"e2", "e4"}
    types = frozenset({"plan", "alliance"})
    assert apply_filter(events, EventFilter(event_types=types), index)[0] == {"e3", "e4"}
    both = EventFilter(entities=frozenset({"Google", "OpenAI"}))
    assert apply_filter(events, both, index)[0] == {"e2", "e4"}
    unlinked = EventFilter(entities=frozenset({"?노바젠테크"}))
    assert apply_filter(events, unlinked, index)[0] == {"e3"}


def test_date_range_keeps_overlapping_intervals_and_hides_undated(lexicon):
    events = _events()
    chosen = EventFilter(date_from=dt.date(2023, 12, 20), date_to=dt.date(2024, 2, 1))
    # e3 (December) overlaps at its end, e4 (first half) at its start; e1 is after; e2 undated
    assert apply_filter(events, chosen)[0] == {"e3", "e4"}
    assert apply_filter(events, EventFilter(date_from=dt.date(2024, 3, 5)))[0] == {"e1", "e4"}


def test_query_highlights_without_hiding_unless_asked(lexicon):
    events = _events()
    index = SearchIndex(events, lexicon)
    visible, matched = apply_filter(events, EventFilter(query="Meta"), index)
    assert visible == {"e1", "e2", "e3", "e4"} and matched == {"e1"}
    visible, matched = apply_filter(events, EventFilter(query="Meta", only_matches=True), index)
    assert visible == matched == {"e1"}
    hidden = EventFilter(query="Meta", camps=frozenset({"closed"}))
    assert apply_filter(events, hidden, index) == ({"e2", "e4"}, set())


def test_date_order_puts_undated_last():
    assert date_order(_events()) == ["e3", "e4", "e1", "e2"]
