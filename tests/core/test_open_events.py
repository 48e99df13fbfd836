"""Events from business and tech news beyond the seeds' vocabulary (issue 10, event half).

Every sentence here is our own, written to exercise one mechanism: the wider predicate
table, dated background clauses, actors as news writes them, attribution dates, 최근,
negation and merging. Traps sit next to each case.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core.events import extract_events
from core.export import write_json
from core.lexicon import load_lexicon
from core.merge import written_date
from core.model import Corpus
from core.predicates import EVENT_TYPES
from core.timeline import assemble_timeline
from tests.core.test_events import article_of, events_of


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def one(text: str, lexicon, published: str = "2024-04-20"):
    found = events_of(text, lexicon, published)
    assert len(found) == 1, [(e.title, e.event_type) for e in found]
    return found[0]


# --- item 2: trigger coverage --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "event_type", "objects"),
    [
        ("구글은 지난 9일 새 모델 '제미나이 울트라'를 소개했다.", "release", ["Gemini Ultra"]),
        ("메타는 지난 9일 라마 3를 오픈소스로 배포했다.", "open_release", ["Llama 3"]),
        ("구글은 지난 9일 제미나이 프로를 바드에 적용했다.", "apply", ["Gemini Pro", "Bard"]),
        ("마이크로소프트는 지난 9일 코파일럿에 GPT-4o를 도입했다.", "apply", ["Copilot", "GPT-4o"]),
        ("엔비디아 주가는 지난 9일 12% 폭락했다.", "market", []),
        ("엔비디아 주가는 지난 9일 3% 하락했다.", "market", []),
        ("아마존은 지난 9일 앤트로픽에 40억 달러를 출자했다.", "investment", ["Anthropic"]),
    ],
)
def test_business_and_tech_predicates(lexicon, text, event_type, objects):
    event = one(text, lexicon)
    assert event.event_type == event_type
    assert sorted(event.objects) == sorted(objects)
    assert event.date is not None and event.date.date_start == dt.date(2024, 4, 9)


def test_a_founding_is_dated_and_typed(lexicon):
    event = one("데미스 허사비스는 2010년 동료 두 명과 딥마인드를 창업했다.", lexicon)
    assert event.event_type == "founding"
    assert event.actors == ["Demis Hassabis"] and event.objects == ["DeepMind"]
    assert (event.date.date_start, event.date.date_end) == (
        dt.date(2010, 1, 1),
        dt.date(2010, 12, 31),
    )


def test_a_conference_held_needs_the_conference_it_names(lexicon):
    event = one(
        "지난 11월 27일 미국 라스베이거스에서 열린 아마존 리인벤트 2023에 관심이 쏠렸다.", lexicon
    )
    assert event.event_type == "conference" and event.objects == ["AWS re:Invent 2023"]
    assert event.date.date_start == dt.date(2023, 11, 27)
    # 시대가 열리다 is no conference
    assert events_of("생성형 AI 시대가 지난해 열리면서 경쟁이 심해졌다.", lexicon) == []


def test_weak_new_predicates_need_a_model_or_product(lexicon):
    assert events_of("구글은 지난 9일 새 정책을 직원들에게 소개했다.", lexicon) == []
    assert events_of("메타는 지난 9일 보도자료를 배포했다.", lexicon) == []


def test_every_event_type_has_a_korean_word_in_the_window():
    from gui.korean import EVENT_TYPE_WORDS  # plain data, no Qt

    for event_type in EVENT_TYPES:
        word = EVENT_TYPE_WORDS.get(event_type, "")
        assert word and word != event_type and any("가" <= ch <= "힣" for ch in word), event_type


# --- dated background clauses and noun-only reports ----------------------------------------


def test_a_dated_background_clause_is_an_event(lexicon):
    text = "메타가 2023년 라마 2를 내놓은 지 1년 만에 라마 3가 나왔다."
    found = events_of(text, lexicon)
    [event] = [e for e in found if e.objects == ["Llama 2"]]
    assert event.actors == ["Meta"]
    assert event.date.date_start == dt.date(2023, 1, 1)


def test_a_background_clause_without_its_own_date_is_no_event(lexicon):
    # the date after 이후 belongs to the main clause, not to the release before it
    found = events_of("메타가 라마 2를 공개한 이후 지난 9일 새 연구소가 문을 열었다.", lexicon)
    assert [e for e in found if "Llama 2" in e.objects] == []


def test_a_noun_only_report_with_a_date(lexicon):
    article = article_of(
        "메타는 라마 3를 내놨다. 지난해 말 출시 이후 가입자가 늘었다.", "2024-04-20"
    )
    found = extract_events(article, lexicon)
    dated = [e for e in found if e.sentence_index == 1]
    assert len(dated) == 1 and dated[0].actors == ["Meta"]
    date = dated[0].date  # 지난해 말: late 2023
    assert date.date_start >= dt.date(2023, 7, 1) and date.date_end == dt.date(2023, 12, 31)
    # without a date, a bare 출시 이후 is no report
    assert events_of("출시 이후 가입자가 늘었다.", lexicon) == []


def test_also_did_is_the_predicate_itself(lexicon):
    event = one("앤트로픽은 지난 4일 클로드 3를 공개하기도 했다.", lexicon)
    assert (event.actors, event.objects, event.modality) == (
        ["Anthropic"],
        ["Claude 3"],
        "happened",
    )


def test_a_dated_passive_description_is_a_report(lexicon):
    found = events_of("지난 15일 공개된 라마 3.1은 성능이 크게 좋아졌다.", lexicon)
    assert [(e.actors, e.objects) for e in found] == [(["Meta"], ["Llama 3.1"])]
    assert found[0].date.date_start == dt.date(2024, 4, 15)
    # undated, it is background
    assert events_of("공개된 라마 3.1은 성능이 크게 좋아졌다.", lexicon) == []


# --- item 3: actors --------------------------------------------------------------------------


def test_the_company_heading_a_relative_clause_acts(lexicon):
    found = events_of("지난해 11월 챗GPT를 공개한 오픈AI는 올해 매출이 늘었다.", lexicon)
    assert [(e.actors, e.objects) for e in found] == [(["OpenAI"], ["ChatGPT"])]
    assert found[0].date.date_start == dt.date(2023, 11, 1)


def test_a_product_naming_its_maker_is_not_the_object(lexicon):
    event = one("챗GPT 개발사 오픈AI는 지난 13일 GPT-4o를 공개했다.", lexicon)
    assert (event.actors, event.objects) == (["OpenAI"], ["GPT-4o"])
    event = one("챗GPT를 개발한 오픈AI가 지난 13일 GPT-4o를 공개했다.", lexicon)
    assert (event.actors, event.objects) == (["OpenAI"], ["GPT-4o"])


def test_the_possessor_acts_when_no_one_else_does(lexicon):
    # the lexicon files Bedrock under AWS; the text names its owner
    event = one("지난 9일 아마존의 베드락이 새로 공개됐다.", lexicon)
    assert event.actors == ["Amazon"] and event.objects == ["Bedrock"]


def test_a_collective_subject_is_kept_as_written_when_dated(lexicon):
    event = one("중국의 AI 기업들은 지난 1월 오픈소스 AI 모델을 대거 출시했다.", lexicon)
    assert event.actors == ["중국 AI 기업들"]
    assert event.camp == "open"
    # generic companies, undated: no event
    assert events_of("기업들은 새 모델을 출시했다.", lexicon) == []
    assert events_of("중국의 AI 기업들은 오픈소스 모델을 자주 출시한다.", lexicon) == []


def test_the_topic_carries_over_and_a_relative_subject_does_not_replace_it(lexicon):
    text = (
        "앤트로픽은 2021년 설립된 회사다. 오픈AI가 만든 챗GPT와 경쟁한다. "
        "지난 4일에는 클로드 3를 공개하기도 했다."
    )
    found = extract_events(article_of(text), lexicon)
    [release] = [e for e in found if e.objects == ["Claude 3"]]
    assert release.actors == ["Anthropic"]


def test_people_from_a_company_are_not_the_company(lexicon):
    found = events_of("앤트로픽은 오픈AI 출신 연구자들이 2021년 창업한 회사다.", lexicon)
    assert all("OpenAI" not in e.actors for e in found)
    assert [e.event_type for e in found] == ["founding"]


def test_an_interview_partner_written_with_a_noun(lexicon):
    event = one("샘 올트먼은 지난 9일 블룸버그 TV와 인터뷰했다.", lexicon)
    assert event.actors == ["Sam Altman"]


def test_a_gathering_held_is_not_held_by_the_sentence_topic(lexicon):
    text = "샘 올트먼은 지난 9일 라스베이거스에서 열린 아마존 리인벤트 2023에서 인터뷰했다."
    found = events_of(text, lexicon)
    held = [e for e in found if e.event_type == "conference"]
    assert held and held[0].actors == ["AWS"] and held[0].objects == ["AWS re:Invent 2023"]


def test_a_statement_through_a_channel_runs_to_the_verb_of_saying(lexicon):
    text = '샘 올트먼은 "새 모델은 더 빠르다"고 공식 블로그를 통해 14일 밝혔다.'
    event = one(text, lexicon)
    assert event.event_type == "statement" and event.actors == ["Sam Altman"]
    assert event.date.date_start == dt.date(2024, 4, 14)
    assert event.modality == "happened"


def test_a_company_describing_its_chief_is_not_an_actor(lexicon):
    event = one("메타 수장 마크 저커버그는 지난 9일 라마 3를 발표했다.", lexicon)
    assert event.actors == ["Mark Zuckerberg"]


def test_a_remark_given_is_no_release(lexicon):
    assert events_of("메타는 지난 9일 시장 전망을 내놨다.", lexicon) == []
    assert events_of("구글은 지난 9일 그 이유에 대한 설명을 내놓았다.", lexicon) == []


def test_a_product_opening_an_era_is_no_gathering(lexicon):
    assert events_of("챗GPT가 지난해 연 새 시대가 열리면서 경쟁이 심해졌다.", lexicon) == []


def test_y_also_released_takes_the_day_of_the_release_just_before(lexicon):
    text = "구글은 지난 9일 제미나이를 출시했다. 제미나이를 바탕으로 한 젬마도 출시했다."
    found = extract_events(article_of(text), lexicon)
    [also] = [e for e in found if e.sentence_index == 1]
    assert also.objects == ["Gemma"] and also.date_link == "discourse"
    assert also.date.date_start == dt.date(2024, 4, 9)
    # another actor, or no 도: no date carried over
    text = "메타는 지난 9일 라마 3를 출시했다. 구글은 제미나이도 출시했다."
    found = extract_events(article_of(text), lexicon)
    [other] = [e for e in found if e.sentence_index == 1]
    assert other.date is None or other.date.date_start is None


# --- item 4: dates ---------------------------------------------------------------------------


def test_an_attribution_with_a_long_source_never_dates_the_event(lexicon):
    event = one("20일 정보기술(IT) 업계에 따르면 메타는 라마 3를 공개했다.", lexicon)
    assert event.date is None or event.date.date_start is None


def test_same_day_word_after_a_dated_attribution_is_that_day(lexicon):
    event = one(
        "5일(현지시간) 외신에 따르면 이날 메타가 라마 3를 공개했다. ", lexicon, "2024-04-08"
    )
    assert event.date.date_start == dt.date(2024, 4, 5)


def test_a_third_party_report_date_is_not_the_event_date(lexicon):
    event = one("메타가 라마 3를 공개했다고 블룸버그가 18일 보도했다.", lexicon)
    assert event.modality == "reported"
    assert event.date is None or event.date.date_start is None
    # the company's own announcement keeps its day
    event = one("메타는 라마 3를 공개했다고 18일 밝혔다.", lexicon)
    assert event.date.date_start == dt.date(2024, 4, 18)


def test_recent_in_a_past_report_is_an_interval_ending_on_publication(lexicon):
    event = one("마이크로소프트는 최근 미스트랄 AI에 투자했다.", lexicon, "2024-04-20")
    date = event.date
    assert (date.date_start, date.date_end, date.precision) == (
        dt.date(2024, 3, 21),
        dt.date(2024, 4, 20),
        "range",
    )
    assert date.approximate and "추정" in written_date(date)
    dated = one("마이크로소프트는 지난 9일 미스트랄 AI에 투자했다.", lexicon)
    assert event.confidence < dated.confidence
    # a plan with 최근 is not placed before publication
    planned = one("마이크로소프트는 최근 미스트랄 AI에 투자할 계획이다.", lexicon)
    assert planned.date is None or planned.date.date_start is None


# --- item 5: negation and decisions --------------------------------------------------------


def test_a_negated_clause_gives_no_camp_cue(lexicon):
    text = "앤트로픽은 모델 가중치를 공개하지 않고 지난 9일 새 모델을 출시했다."
    found = events_of(text, lexicon)
    [release] = [e for e in found if e.modality != "negated"]
    assert release.actors == ["Anthropic"] and release.camp == "closed"
    assert not any("가중치" in why for why in release.camp_evidence)


def test_decided_is_happened_and_a_decision_not_to_is_negated(lexicon):
    event = one("아마존은 지난 9일 앤트로픽에 투자하기로 했다.", lexicon)
    assert event.modality == "happened" and event.event_type == "investment"
    event = one("아마존은 내년에 앤트로픽에 투자하기로 한다.", lexicon)
    assert event.modality == "planned"
    event = one("아마존은 앤트로픽에 투자하지 않기로 했다.", lexicon)
    assert event.modality == "negated"


def test_negated_mentions_are_listed_apart_in_the_json(lexicon, tmp_path: Path):
    text = "구글은 지난 9일 제미나이의 가중치를 공개하지 않았다. 메타는 지난 9일 라마 3를 공개했다."
    article = article_of(text)
    mentions = extract_events(article, lexicon)
    corpus = Corpus(root=tmp_path, articles=[article])
    timeline = assemble_timeline(corpus, {article.file: mentions}, lexicon)
    out = tmp_path / "t.json"
    write_json(timeline, out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [e["title"] for e in document["events"]] == ["메타, 라마 3 오픈소스 공개"]
    [negated] = document["negated_mentions"]
    assert negated["modality"] == "negated" and negated["actors"] == ["Google"]
    assert negated["sentence"].startswith("구글은") and negated["file"] == "test.txt"
    assert text[negated["char_start"] : negated["char_end"]] == negated["sentence"]


# --- item 7: merging ----------------------------------------------------------------------------


def test_merged_mentions_keep_every_sentence(lexicon, tmp_path: Path):
    text = "메타는 지난 9일 라마 3를 오픈소스로 공개했다. 이어 라마 3를 지난 9일 허깅페이스에 공개했다."
    article = article_of(text)
    corpus = Corpus(root=tmp_path, articles=[article])
    timeline = assemble_timeline(corpus, {article.file: extract_events(article, lexicon)}, lexicon)
    llama = [e for e in timeline.event_list if "Llama 3" in e.entities]
    assert sum(len(e.mentions) for e in llama) == 2
