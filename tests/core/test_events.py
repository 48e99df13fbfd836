"""Event extraction on our own sentences: predicates, roles, modality, dates and traps.

Each article is built from a hand-written text with the real Kiwi, lexicon, entity matcher
and date resolver, so these tests fail when any of the rules they rely on changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.events import extract_events
from core.kiwi import get_kiwi
from core.lexicon import load_lexicon
from core.model import Article, CleanText, EventMention, Removal, Token
from core.predicates import PredicateTableError, find_triggers, parse_predicates
from core.published import parse_partial_date
from core.segment import segment_article


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def article_of(text: str, published: str = "2024-04-20") -> Article:
    """A one-file article whose clean text is the whole source text."""
    article = Article(file="test.txt", path=Path("test.txt"), source_text=text, encoding="utf-8")
    article.published = parse_partial_date(published)
    article.clean = CleanText(text, list(range(len(text) + 1)))
    article.sentences = segment_article(article)
    return article


def events_of(text: str, lexicon, published: str = "2024-04-20") -> list[EventMention]:
    return extract_events(article_of(text, published), lexicon)


def tokens_of(text: str) -> list[Token]:
    return [Token(t.form, t.tag, t.start, t.start + t.len) for t in get_kiwi().tokenize(text)]


# --- predicates from morphemes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("메타가 모델을 공개했다.", "공개하다"),
        ("동맹을 출범시켰다.", "출범하다"),
        ("애플이 모델을 오픈소스로 내놨다.", "내놓다"),
        ("구글이 허깅페이스와 손잡았다.", "손잡다"),
        ("새 칩이 공개된 뒤", "공개하다"),
        ("두 회사가 협업에 나섰다.", "협업하다"),
    ],
)
def test_inflected_predicates_are_found(text, lemma):
    assert [t.lemma for t in find_triggers(tokens_of(text))] == [lemma]


@pytest.mark.parametrize("text", ["공개 범위가 넓다.", "비공개 방침이다.", "출시 전 체험판"])
def test_predicate_nouns_without_a_verb_do_not_fire(text):
    assert find_triggers(tokens_of(text)) == []


def test_a_bad_predicate_row_names_its_line():
    with pytest.raises(PredicateTableError, match="mine.tsv:3"):
        parse_predicates(
            [{"lemma": "쏘다", "morphs": "쏘/VV", "event_type": "launch", "_source": "mine.tsv:3"}]
        )
    with pytest.raises(PredicateTableError, match="FORM/TAG"):
        parse_predicates([{"lemma": "쏘다", "morphs": "쏘", "event_type": "other"}])


def test_a_user_row_adds_a_predicate(tmp_path, monkeypatch, lexicon):
    from core.predicates import load_predicates

    user = tmp_path / "user"
    user.mkdir()
    (user / "event_predicates.tsv").write_text(
        "lemma\tmorphs\tevent_type\theadline\n공유하다\t공유/NNG\trelease\t공유\n", encoding="utf-8"
    )
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(user))
    load_predicates.cache_clear()
    try:
        found = events_of("메타는 지난 3일 라마 3를 공유했다.", lexicon)
    finally:
        load_predicates.cache_clear()
    assert [(e.predicate, e.objects) for e in found] == [("공유하다", ["Llama 3"])]


# --- actors, objects, two events in one sentence -------------------------------------------


def test_alias_glued_to_a_particle_is_actor_and_object(lexicon):
    [event] = events_of("앤트로픽이 지난 5일 클로드 3를 공개했다.", lexicon)
    assert event.actors == ["Anthropic"]
    assert event.objects == ["Claude 3"]
    assert event.event_type == "release"
    assert event.modality == "happened"


def test_two_events_in_one_sentence_share_topic_and_date(lexicon):
    release, deal = events_of(
        "엔비디아는 지난 3일 새 칩을 공개하고 허깅페이스와 파트너십을 체결했다.", lexicon
    )
    assert (release.event_type, release.actors) == ("release", ["NVIDIA"])
    assert deal.event_type == "partnership"
    assert deal.actors == ["NVIDIA", "Hugging Face"]
    assert deal.objects == ["Hugging Face"]
    assert release.date.date_start == deal.date.date_start == dt.date(2024, 4, 3)
    assert (release.date_link, deal.date_link) == ("clause", "sentence")


def test_passive_release_names_the_maker_as_actor(lexicon):
    [event] = events_of("라마 3.1이 지난 7일 오픈소스로 공개됐다.", lexicon)
    assert event.actors == ["Meta"]
    assert event.objects == ["Llama 3.1"]
    assert event.event_type == "open_release"


def test_a_name_inside_another_word_is_no_actor(lexicon):
    assert events_of("메타버스 기업들이 새 플랫폼을 공개했다.", lexicon) == []


# --- traps: what is not an event ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "오픈소스는 누구나 코드를 쓸 수 있도록 공개하는 것을 뜻한다.",  # definition
        "메타가 모델을 공개하면 경쟁사가 빠르게 따라잡을 수 있다.",  # conditional
        '팀 쿡 애플 CEO는 "우리는 새 모델을 공개했다"고 말했다.',  # quoted speech
        "기업들은 보통 모델 일부만 공개한다.",  # generic: no entity acts
        "◇왜 메타는 모델을 오픈소스로 내놓을까",  # a question heading
        "그간 모델을 공개하지 않던 구글이 입장을 바꿨다.",  # habitual background
    ],
)
def test_not_an_event(text, lexicon):
    assert events_of(text, lexicon) == []


def test_an_event_named_only_to_date_another_is_not_reported_twice(lexicon):
    [event] = events_of("AI 얼라이언스가 출범한 다음 날 구글은 제미나이를 공개했다.", lexicon)
    assert event.objects == ["Gemini"]
    # 다음 날 has no anchor of its own here: undated rather than the day after publication
    assert event.date is None and event.date_link == "none"


# --- modality --------------------------------------------------------------------------------


def test_planned_event(lexicon):
    [event] = events_of("구글은 오는 6월 제미나이 새 버전을 출시할 예정이다.", lexicon)
    assert event.modality == "planned"
    assert event.event_type == "plan"
    assert event.objects == ["Gemini"]
    assert (event.date.date_start, event.date.date_end) == (
        dt.date(2024, 6, 1),
        dt.date(2024, 6, 30),
    )


def test_negated_event(lexicon):
    [event] = events_of("애플은 아직 자체 모델을 공개하지 않았다.", lexicon)
    assert event.modality == "negated"
    assert "안 해" in event.title


def test_reported_effort(lexicon):
    [event] = events_of("15일 업계에 따르면 오픈AI는 새 연합 결성을 추진하고 있다.", lexicon)
    assert (event.event_type, event.modality) == ("plan", "reported")


# --- dates -----------------------------------------------------------------------------------


def test_undated_event_is_not_pinned_to_publication(lexicon):
    [event] = events_of("마이크로소프트는 새 모델을 출시했다.", lexicon)
    assert event.date is None and event.date_link == "none"


def test_the_date_of_the_report_does_not_date_the_event(lexicon):
    [event] = events_of("15일 업계에 따르면 삼성전자는 가우스를 공개했다.", lexicon)
    assert event.date is None


def test_discourse_link_to_the_previous_date(lexicon):
    first, second = events_of(
        "메타는 지난 6일 라마 3를 공개했다. 이날 구글도 젬마를 내놨다.", lexicon
    )
    assert first.date.date_start == dt.date(2024, 4, 6)
    assert second.actors == ["Google"]
    assert second.date.date_start == dt.date(2024, 4, 6)
    assert second.date_link == "discourse"


def test_offsets_are_source_offsets_when_cleaning_removed_text(lexicon):
    source = "[광고] 무단전재 금지\n메타는 지난 6일 라마 3를 공개했다."
    cut = source.index("\n") + 1
    kept = source[cut:]
    article = Article(file="t.txt", path=Path("t.txt"), source_text=source, encoding="utf-8")
    article.published = parse_partial_date("2024-04-20")
    article.clean = CleanText(
        kept, list(range(cut, len(source) + 1)), [Removal(0, cut, "ad", "line")]
    )
    article.sentences = segment_article(article)
    [event] = extract_events(article, lexicon)
    assert source[event.char_start : event.char_end] == event.sentence == kept
    assert source[event.date.start : event.date.end] == "지난 6일"
    assert source[event.trigger_start : event.trigger_end].startswith("공개")


def test_titles_come_from_the_sentence(lexicon):
    release, deal = events_of(
        "엔비디아는 지난 3일 새 칩을 공개하고 허깅페이스와 파트너십을 체결했다.", lexicon
    )
    assert release.title == "엔비디아, 새 칩 공개"
    assert deal.title == "엔비디아, 허깅페이스와 파트너십 체결"


def test_unknown_publication_date_leaves_relative_dates_unresolved(lexicon):
    article = article_of("메타는 지난 6일 라마 3를 공개했다. 이날 구글도 젬마를 내놨다.")
    article.published = None
    first, second = extract_events(article, lexicon)
    assert first.objects == ["Llama 3"] and second.objects == ["Gemma"]
    # the expressions are kept (the table shows what the text said) but not placed
    dates = [(e.date.text, e.date.date_start, e.date.precision) for e in (first, second)]
    assert dates == [("지난 6일", None, "unknown"), ("이날", None, "unknown")]


def test_investment_names_the_company_invested_in(lexicon):
    [event] = events_of("마이크로소프트가 지난 2일 미스트랄 AI에 투자했다.", lexicon)
    assert (event.event_type, event.actors, event.objects) == (
        "investment",
        ["Microsoft"],
        ["Mistral AI"],
    )


def test_an_announced_intention_is_kept_an_opinion_is_not(lexicon):
    [event] = events_of("xAI는 그록을 오픈소스로 공개하겠다고 밝혔다.", lexicon)
    assert (event.event_type, event.modality, event.objects) == ("plan", "planned", ["Grok"])
    assert events_of("오픈AI가 새 모델을 내놨다고 보긴 어렵다.", lexicon) == []
    assert events_of("오픈AI는 GPT-4o를 공개하지 않았다고 부인했다.", lexicon) == []


def test_an_event_followed_on_by_another(lexicon):
    first, second = events_of(
        "메타는 지난 4월 라마 3를 출시한 데 이어 7월에는 라마 3.1을 내놨다.", lexicon
    )
    assert (first.objects, second.objects) == (["Llama 3"], ["Llama 3.1"])
    assert first.date.text == "지난 4월" and second.date.text == "7월"


def test_a_date_as_the_sentence_predicate(lexicon):
    [event] = events_of("구글이 딥마인드를 인수한 것은 2014년이다.", lexicon)
    assert event.event_type == "acquisition"
    assert event.date.date_start == dt.date(2014, 1, 1)


def test_next_month_is_relative_to_publication_not_discourse(lexicon):
    [event] = events_of("알리바바 클라우드가 큐웬 새 모델을 다음 달 출시한다.", lexicon)
    assert event.modality == "planned"
    assert event.date_link == "clause"
    assert event.date.date_start == dt.date(2024, 5, 1)


#: a paragraph written for this test after the rules were in place (first run: 7 of 7 events
#: found, none extra); it guards against rules that only fit the seeds
HELD_OUT = (
    "미스트랄 AI는 지난 10일 새 언어 모델 '미스트랄 라지'를 공개했다. 이 모델은 API로만 제공된다. "
    "같은 날 엔비디아는 허깅페이스와 손잡고 추론 서비스를 내놨다. "
    "업계에서는 오픈소스 모델이 빠르게 확산될 것으로 본다. 삼성전자는 내달 가우스 2를 출시할 계획이다. "
    "딥시크가 모델을 공개하면 시장이 흔들릴 수 있다. 한편 IBM과 메타는 AI 얼라이언스 회원사를 늘리기로 했다. "
    "알리바바는 지난 5일 큐웬 2.5를 오픈소스로 공개하고 개발자 행사를 개최했다. "
    '오픈AI 관계자는 "새 모델을 곧 공개한다"고 말했다. 구글은 지난 12일 젬마 2의 새 버전을 내놓았다.'
)


def test_held_out_paragraph(lexicon):
    found = [
        (e.sentence_index, e.event_type, e.actors[0], e.date.date_start if e.date else None)
        for e in events_of(HELD_OUT, lexicon, published="2024-09-15")
    ]
    assert found == [
        (0, "release", "Mistral AI", dt.date(2024, 9, 10)),
        (2, "partnership", "NVIDIA", dt.date(2024, 9, 10)),
        (2, "release", "NVIDIA", dt.date(2024, 9, 10)),
        (4, "plan", "Samsung Electronics", dt.date(2024, 10, 1)),
        (7, "open_release", "Alibaba", dt.date(2024, 9, 5)),
        (7, "conference", "Alibaba", dt.date(2024, 9, 5)),
        (9, "open_release", "Google", dt.date(2024, 9, 12)),
    ]


def test_reported_by_a_third_party_and_dated_by_the_announcement(lexicon):
    [reported] = events_of("오픈AI가 GPT-4o를 공개했다고 블룸버그가 보도했다.", lexicon)
    assert (reported.objects, reported.modality) == (["GPT-4o"], "reported")
    [announced] = events_of("업스테이지는 솔라 LLM을 공개한다고 16일 밝혔다.", lexicon)
    assert announced.objects == ["Solar"]
    assert announced.date.date_start == dt.date(2024, 4, 16)


def test_separated_idioms_and_user_friendly_verbs(lexicon):
    [deal] = events_of("오픈AI와 마이크로소프트가 손을 잡았다.", lexicon)
    assert deal.event_type == "partnership" and deal.actors == ["OpenAI", "Microsoft"]
    [release] = events_of("IBM은 그래나이트 모델을 오픈소스로 풀었다.", lexicon)
    assert (release.event_type, release.objects) == ("open_release", ["Granite"])
    assert events_of("학생들이 문제를 풀었다.", lexicon) == []


def test_a_future_month_without_a_plan_word_makes_a_plan(lexicon):
    [event] = events_of("구글은 6월에 제미나이 새 버전을 출시한다.", lexicon)
    assert (event.event_type, event.modality) == ("plan", "planned")
    assert event.date.date_start == dt.date(2024, 6, 1)


def test_a_repeated_predicate_is_one_event(lexicon):
    found = events_of(
        "구글 클라우드는 지난 2월 구글이 발표한 '제미나이 1.5 프로'를 제공하기로 했는데, "
        "이를 '버텍스 AI'를 통해 제공한다.",
        lexicon,
    )
    assert [(e.event_type, e.actors, e.objects) for e in found] == [
        ("announcement", ["Google"], ["Gemini 1.5 Pro"]),
        ("release", ["Google Cloud"], ["Gemini 1.5 Pro"]),
    ]
    assert found[0].date.text == "지난 2월" and found[1].date is None


def test_a_failing_date_resolver_costs_dates_not_events(lexicon):
    def broken(text, published, *, tokens=None, anchor=None):
        raise ValueError("bad calendar")

    article = article_of("메타는 지난 6일 라마 3를 공개했다.")
    [event] = extract_events(article, lexicon, resolve=broken)
    assert event.objects == ["Llama 3"] and event.date is None
    assert any("bad calendar" in p.reason and "문장 1" in p.reason for p in article.problems)


def test_a_bad_user_row_is_skipped_and_reported(tmp_path, monkeypatch, lexicon):
    from core.camps import load_cues
    from core.events import table_problems
    from core.predicates import load_predicates

    (tmp_path / "event_predicates.tsv").write_text(
        "lemma\tmorphs\tevent_type\n쏘다\t쏘/VV\tlaunch\n", encoding="utf-8"
    )
    (tmp_path / "camp_cues.tsv").write_text("cue\tcamp\n반쯤 공개\thalf\n", encoding="utf-8")
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    load_predicates.cache_clear()
    load_cues.cache_clear()
    try:
        problems = table_problems()
        found = events_of("메타는 지난 6일 라마 3를 공개했다.", lexicon)
    finally:
        load_predicates.cache_clear()
        load_cues.cache_clear()
    reasons = [str(p) for p in problems]
    assert any("event_predicates.tsv" in r and ":2" in r and "launch" in r for r in reasons)
    assert any("camp_cues.tsv" in r and ":2" in r for r in reasons)
    assert [e.objects for e in found] == [["Llama 3"]]  # the bundled rows still work


def test_an_embedded_question_is_no_event(lexicon):
    assert events_of("메타는 라마 4를 공개할지 아직 결정하지 않았다.", lexicon) == []


#: a second paragraph of our own. First run: 3 of 6 events right; 행사를 연다 and 투자를 유치했다
#: were missed and 손잡고 ... 탑재하는 방안을 논의 came out as two events that had happened.
#: The table rows and the plan noun 방안 added since are what this test keeps.
HELD_OUT_2 = (
    "오픈AI는 지난 13일 새 모델 'GPT-4o'를 공개했다. 이 모델은 음성과 이미지를 실시간으로 처리한다. "
    "이튿날 구글은 연례 개발자 회의에서 제미나이 1.5 플래시를 선보였다. "
    "전문가들은 두 회사의 경쟁이 더 치열해질 것으로 내다봤다. 마이크로소프트는 다음 주 개발자 행사를 연다. "
    "앞서 메타는 지난달 라마 3를 오픈소스로 내놨다. "
    "스태빌리티AI가 새 이미지 모델을 공개할 경우 경쟁 구도가 바뀔 수 있다. "
    "애플은 오픈AI와 손잡고 아이폰에 챗GPT를 탑재하는 방안을 논의하고 있다. "
    '업스테이지는 "솔라 모델을 곧 공개하겠다"고 말했다. '
    "한편 앤트로픽은 지난 4일 아마존웹서비스(AWS)로부터 투자를 유치했다고 밝혔다."
)


def test_second_held_out_paragraph(lexicon):
    found = [
        (e.sentence_index, e.event_type, e.modality, e.actors[0], e.title)
        for e in events_of(HELD_OUT_2, lexicon, published="2024-05-20")
    ]
    assert found == [
        (0, "release", "happened", "OpenAI", "오픈AI, GPT-4o 공개"),
        (2, "release", "happened", "Google", "구글, 제미나이 1.5 플래시 공개"),
        (4, "conference", "planned", "Microsoft", "마이크로소프트, 개발자 행사 개최 예정"),
        (5, "open_release", "happened", "Meta", "메타, 라마 3 오픈소스 공개"),
        (7, "partnership", "planned", "Apple", "애플, 오픈AI와 협력 예정"),
        (7, "plan", "planned", "Apple", "애플, 챗GPT 탑재 예정"),
        (9, "investment", "happened", "Anthropic", "앤트로픽, 아마존웹서비스 투자 유치"),
    ]


def test_entity_mentions_found_already_give_the_same_events(seeds_corpus, lexicon):
    from core.entities import find_mentions

    found = unlinked = 0
    for article in seeds_corpus.articles:
        entities = [
            m
            for sentence in article.sentences
            for m in find_mentions(sentence, article.source_text, lexicon, include_unlinked=True)
        ]
        unlinked += sum(not m.entity_id for m in entities)  # passed in too, and ignored
        alone = extract_events(article, lexicon)
        reused = extract_events(article, lexicon, entity_mentions=entities)
        assert reused == alone
        found += len(alone)
    assert found > 20 and unlinked > 0
