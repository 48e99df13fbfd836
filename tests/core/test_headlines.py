"""Short Korean headlines from an event's actors, objects and type."""

from __future__ import annotations

import pytest

from core.headlines import has_final_consonant, make_title, with_particle
from core.lexicon import load_lexicon
from core.model import EventMention


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def mention(event_type, actors, objects, modality="happened", predicate="공개하다"):
    return EventMention(
        file="t.txt",
        sentence_index=0,
        sentence="",
        char_start=0,
        char_end=0,
        event_type=event_type,
        predicate=predicate,
        trigger_start=0,
        trigger_end=0,
        actors=actors,
        objects=objects,
        modality=modality,
    )


@pytest.mark.parametrize(
    ("word", "consonant"),
    [
        ("구글", True),
        ("허깅페이스", False),
        ("인텔", True),
        ("메타", False),
        ("IBM", True),
        ("AWS", False),
        ("라마 3.1", True),
        ("GPT-4o", False),
    ],
)
def test_final_consonant(word, consonant):
    assert has_final_consonant(word) is consonant


def test_with_particle():
    assert with_particle("허깅페이스") == "허깅페이스와"
    assert with_particle("구글") == "구글과"


def test_open_release_title(lexicon):
    title = make_title(mention("open_release", ["Meta"], ["Llama 3.1"]), lexicon, "공개")
    assert title == "메타, 라마 3.1 오픈소스 공개"


def test_partnership_title_names_the_partner(lexicon):
    m = mention(
        "partnership", ["Google Cloud", "Hugging Face"], ["Hugging Face"], predicate="체결하다"
    )
    assert make_title(m, lexicon, "파트너십 체결") == "구글 클라우드, 허깅페이스와 파트너십 체결"


def test_alliance_title_is_the_alliance(lexicon):
    m = mention("alliance", ["Meta", "IBM"], ["AI Alliance"], predicate="출범하다")
    assert make_title(m, lexicon, "출범") == "AI 얼라이언스 출범"


def test_planned_and_negated_titles(lexicon):
    planned = mention("plan", ["Google"], ["Google Vids"], modality="planned", predicate="추가하다")
    assert make_title(planned, lexicon, "추가") == "구글, 구글 비즈 추가 예정"
    negated = mention("release", ["Apple"], [], modality="negated")
    assert make_title(negated, lexicon, "공개") == "애플, 공개 안 해"


def test_unknown_entity_falls_back_to_its_id_and_type_phrase(lexicon):
    m = mention("leak", ["Someone New"], [], predicate="유출하다")
    assert make_title(m, lexicon) == "Someone New, 유출"


def test_object_as_written_when_no_entity_is_the_object(lexicon):
    plan = mention("plan", ["OpenAI"], [], predicate="추진하다")
    assert make_title(plan, lexicon, "추진", "글로벌 연합 결성") == "오픈AI, 글로벌 연합 결성 추진"
    deal = mention("partnership", ["Intel", "Naver Cloud"], ["Naver Cloud"], predicate="체결하다")
    assert (
        make_title(deal, lexicon, "협약 체결", "업무협약") == "인텔, 네이버클라우드와 업무협약 체결"
    )


def test_the_organisation_speaks_for_its_people(lexicon):
    m = mention("open_release", ["Mark Zuckerberg", "Meta"], ["Llama 3.1"])
    assert make_title(m, lexicon, "공개") == "메타, 라마 3.1 오픈소스 공개"
    alone = mention("meeting", ["Sam Altman"], ["Gina Raimondo"], predicate="만나다")
    assert make_title(alone, lexicon, "회동") == "샘 올트먼, 지나 러몬도와 회동"
