"""Camps from the object's openness, the actor's camp (through ancestors) and cue words."""

from __future__ import annotations

import pytest

from core.camps import CampCueError, decide_camp, entity_camp, find_cues, load_cues, parse_cues
from core.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_object_openness_decides_a_release(lexicon):
    camp, evidence, open_release = decide_camp(
        "release", ["Google"], ["Gemma"], "젬마를 공개했다", "구글이 젬마를 공개했다", lexicon
    )
    assert camp == "open"
    assert any("Gemma" in e for e in evidence)
    assert open_release  # Google is Gemma's maker
    camp, _, open_release = decide_camp(
        "release", ["Google"], ["Gemini"], "제미나이를 공개했다", "", lexicon
    )
    assert (camp, open_release) == ("closed", False)


def test_a_product_without_a_camp_inherits_its_ancestors(lexicon):
    assert entity_camp("CodeGemma", lexicon) == ("open", "Gemma")
    assert entity_camp("Google Cloud", lexicon) == ("closed", "Google")


def test_distributing_someone_elses_open_model_is_not_an_open_release(lexicon):
    camp, evidence, open_release = decide_camp(
        "release", ["Google Cloud"], ["CodeGemma"], "코드젬마도 제공된다", "", lexicon
    )
    assert camp == "open"
    assert "via Gemma" in evidence[0]
    assert not open_release


def test_a_cue_decides_when_the_object_is_unknown(lexicon):
    camp, evidence, open_release = decide_camp(
        "release", ["Apple"], [], "새 모델을 오픈소스로 내놨다", "", lexicon
    )
    assert (camp, open_release) == ("open", True)
    assert "오픈소스로" in evidence[0]
    camp, evidence, _ = decide_camp("release", ["Intel"], [], "API만 유료로 제공한다", "", lexicon)
    assert camp == "closed" and "API만" in evidence[0]


def test_closed_actor_joining_the_open_camp_is_a_crossover(lexicon):
    camp, evidence, _ = decide_camp(
        "partnership",
        ["Google Cloud", "Hugging Face"],
        ["Hugging Face"],
        "허깅페이스와 파트너십을 체결했다",
        "",
        lexicon,
    )
    assert camp == "crossover"
    assert any("Google Cloud: closed" in e for e in evidence)
    assert any("Hugging Face: open" in e for e in evidence)


def test_partnership_within_one_camp_is_not_a_crossover(lexicon):
    camp, _, _ = decide_camp(
        "partnership", ["Meta", "Hugging Face"], ["Hugging Face"], "", "", lexicon
    )
    assert camp == "open"


def test_alliance_takes_the_alliances_camp(lexicon):
    camp, evidence, _ = decide_camp(
        "alliance", ["Meta", "IBM", "Intel"], ["AI Alliance"], "AI 동맹을 출범시켰다", "", lexicon
    )
    assert camp == "open" and "AI Alliance" in evidence[0]


def test_nothing_known_is_neutral_and_says_so(lexicon):
    camp, evidence, _ = decide_camp("meeting", ["Intel"], [], "만났다", "", lexicon)
    assert (camp, evidence) == ("neutral", ["no camp evidence"])


def test_cues_match_any_spacing_and_case():
    cues = parse_cues(
        [{"cue": "오픈 소스로", "camp": "open"}, {"cue": "API only", "camp": "closed"}]
    )
    assert [c.cue for c in find_cues("모델을 오픈소스로 공개", tuple(cues))] == ["오픈 소스로"]
    assert [c.cue for c in find_cues("offered as api ONLY", tuple(cues))] == ["API only"]


def test_a_bad_cue_row_names_its_line():
    with pytest.raises(CampCueError, match="cues.tsv:4"):
        parse_cues([{"cue": "공개", "camp": "half-open", "_source": "cues.tsv:4"}])


def test_a_user_cue_extends_the_table(tmp_path, monkeypatch):
    (tmp_path / "camp_cues.tsv").write_text(
        "cue\tcamp\tstrength\n가중치 비공개\tclosed\tstrong\n", encoding="utf-8"
    )
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    load_cues.cache_clear()
    try:
        assert "가중치 비공개" in [c.cue for c in load_cues()]
    finally:
        load_cues.cache_clear()
