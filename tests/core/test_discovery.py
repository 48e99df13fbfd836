"""Names the lexicon lacks (discovered entities), versions, and the ``unknown`` camp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.camps import decide_camp
from core.entities import find_mentions
from core.kiwi import get_kiwi
from core.lexicon import load_lexicon
from core.model import EntityMention, Sentence, Token
from gui.cli import main


def sentence_of(text: str) -> Sentence:
    tokens = [Token(t.form, t.tag, t.start, t.start + t.len) for t in get_kiwi().tokenize(text)]
    return Sentence(0, text, 0, len(text), 0, len(text), tokens)


def mentions(text: str, **options: bool) -> list[tuple[str, str, str]]:
    """(entity id, surface, type) of every mention, checking offsets on the way."""
    found = find_mentions(sentence_of(text), text, load_lexicon(), **options)
    for m in found:
        assert text[m.start : m.end] == m.surface
    return [(m.entity_id, m.surface, m.entity_type) for m in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a company prefix, and a quoted name after a model word, Kiwi cutting both apart
        ("(주)다온비전은 거대언어모델 '별빛-3 12B'를 내놨다.",
         [("다온비전", "다온비전", "organisation"), ("별빛-3 12B", "별빛-3 12B", "model")]),
        # a company word before the name; a model word before a Latin name
        ("스타트업 노바젠테크가 새 모델 QRX를 선보였다.",
         [("노바젠테크", "노바젠테크", "organisation"), ("QRX", "QRX", "model")]),
        # the name's own ending, and both spellings joined from the parenthesis
        ("하늘소프트(HanulSoft)는 신제품을 냈다.",
         [("하늘소프트", "하늘소프트(HanulSoft)", "organisation")]),
        # a person before an employer before a title
        ("박지훈 노바젠 대표는 말했다.",
         [("박지훈", "박지훈", "person"), ("노바젠", "노바젠", "organisation")]),
        # a person before an employer the lexicon knows, and a title
        ("박지훈 네이버 대표는 말했다.",
         [("박지훈", "박지훈", "person"), ("Naver", "네이버", "organisation")]),
        # Latin letters with digits have a model's shape
        ("이번에 나온 Zeta-7은 빠르다.", [("Zeta-7", "Zeta-7", "model")]),
        # a conference named next to a conference word
        ("지난달 열린 개발자 행사 '별빛 데이'에서 말했다.", [("별빛 데이", "별빛 데이", "event")]),
        # a lexicon name in parentheses names the unknown spelling before it
        ("IBM도 왓슨(Watsonx)을 내세웠다.",
         [("IBM", "IBM", "organisation"), ("Watsonx", "왓슨(Watsonx)", "product")]),
    ],
)
def test_a_name_the_lexicon_lacks_is_discovered_with_a_type(text, expected):
    assert mentions(text, discover=True) == expected


def test_a_name_without_a_type_cue_stays_an_unlinked_candidate():
    # nothing says what 마루솔 is: no event may name it, the entity panel still lists it
    assert mentions("마루솔은 어제 발표했다.", discover=True) == []
    assert mentions("마루솔은 어제 발표했다.", include_unlinked=True) == [("", "마루솔", "")]


def test_discovery_is_off_unless_asked():
    assert mentions("스타트업 노바젠테크가 새 모델을 선보였다.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a version the lexicon has
        ("젬마3를 썼다.", [("Gemma 3", "젬마3")]),
        # versions it lacks: under the family, never the family itself
        ("젬마 4를 썼다.", [("Gemma 4", "젬마 4")]),
        ("엑사원 5.0을 썼다.", [("EXAONE 5.0", "엑사원 5.0")]),
        ("라마 3.1 405B를 썼다.", [("Llama 3.1 405B", "라마 3.1 405B")]),
        ("첫 모델 '엑사원(1.0)'을 썼다.", [("EXAONE 1.0", "엑사원(1.0)")]),
        # a size after a parenthesised alias
        ("야누스 프로(Janus Pro) 7B도 나왔다.", [("Janus-Pro 7B", "야누스 프로(Janus Pro) 7B")]),
        # counters are not versions
        ("라마 3마리가 있다.", [("Llama", "라마")]),
        ("젬마 2배 빠르다.", [("Gemma", "젬마")]),
        ("젬마 40% 늘었다.", [("Gemma", "젬마")]),
    ],
)
def test_a_version_splits_from_its_family(text, expected):
    assert [(i, s) for i, s, _ in mentions(text, discover=True)] == expected


def test_a_discovered_version_inherits_its_familys_camp():
    lexicon = load_lexicon()
    view = lexicon.with_discovered([EntityMention("Gemma 4", "젬마 4", 0, 4, "model")])
    assert view.get("Gemma 4").parent == "Gemma"
    assert view.camp_of("Gemma 4").camp == "open"
    assert "Gemma 4" not in lexicon  # the shared lexicon is not changed


def discovered_view(*found: tuple[str, str]):
    return load_lexicon().with_discovered(
        [EntityMention(name, name, 0, len(name), kind) for name, kind in found]
    )


def test_a_discovered_model_without_a_cue_is_unknown_not_neutral():
    view = discovered_view(("별빛-3", "model"))
    camp, evidence, _ = decide_camp(
        "release", ["Google"], ["별빛-3"], "구글이 별빛-3을 공개했다", "구글이 별빛-3을 공개했다", view
    )
    assert camp == "unknown"
    assert "별빛-3" in evidence[0]


def test_a_discovered_model_takes_the_cue_of_its_own_clause():
    view = discovered_view(("별빛-3", "model"))
    clause = "별빛-3을 오픈소스로 공개했다"
    camp, _, open_release = decide_camp("release", [], ["별빛-3"], clause, clause, view)
    assert (camp, open_release) == ("open", True)


def test_a_cue_elsewhere_in_the_sentence_does_not_decide_a_discovered_model():
    view = discovered_view(("별빛-3", "model"))
    sentence = "라마는 오픈소스로 풀렸지만 별빛-3을 공개했다"
    camp, _, _ = decide_camp("release", [], ["별빛-3"], "별빛-3을 공개했다", sentence, view)
    assert camp == "unknown"


def test_a_lexicon_actor_beside_a_discovered_person_is_not_unknown():
    view = discovered_view(("박지훈", "person"))
    camp, _, _ = decide_camp("announcement", ["Naver", "박지훈"], [], "발표했다", "발표했다", view)
    assert camp == "neutral"


def test_the_lexicon_wins_over_the_text_and_says_so():
    clause = "큐웬2.5-맥스를 오픈소스로 공개했다"
    camp, evidence, open_release = decide_camp(
        "release", ["Alibaba"], ["Qwen2.5-Max"], clause, clause, load_lexicon()
    )
    assert (camp, open_release) == ("closed", False)
    assert "text says open" in evidence[0]


def test_an_invented_company_releasing_an_invented_model_is_an_event(tmp_path: Path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "다온비전, 새 모델 공개\n\n"
        "(주)다온비전은 지난 3일 거대언어모델 '별빛-3 12B'를 오픈소스로 공개했다.\n",
        encoding="utf-8",
    )
    (corpus / "manifest.csv").write_text("file,published\na.txt,2025-03-05\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["build", str(corpus), "--json", str(out), "--no-cache"]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    release = [e for e in events if "별빛-3 12B" in e["entities"]]
    assert len(release) == 1
    assert release[0]["actors"] == ["다온비전"]
    assert release[0]["date_start"] == "2025-03-03"
    assert release[0]["camp"] == "open"


def test_a_discovered_conference_is_not_unknown():
    view = discovered_view(("별빛 데이", "event"))
    camp, _, _ = decide_camp(
        "conference", ["Microsoft"], ["별빛 데이"], "별빛 데이를 열었다", "별빛 데이를 열었다", view
    )
    assert camp == "closed"  # as for a conference of the lexicon: the organiser's camp


def test_the_entity_table_lists_a_discovered_name_as_unlinked_with_its_type(tmp_path: Path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "새 모델 공개\n\n스타트업 노바젠테크는 지난 3일 새 모델을 공개했다.\n", encoding="utf-8"
    )
    (corpus / "manifest.csv").write_text("file,published\na.txt,2025-03-05\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["build", str(corpus), "--json", str(out), "--no-cache"]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["entities"]
    row = next(r for r in rows if r["name"] == "노바젠테크")
    assert (row["entity_id"], row["entity_type"], row["linked"]) == (
        "노바젠테크", "organisation", False
    )


def test_a_bare_version_belongs_to_the_family_named_just_before():
    from core.entities import article_mentions

    text = "다온은 작년 라마 3.0을 썼다. 올해는 3.5 버전의 새 모델을 냈다."
    cut = text.index(" 올해")
    first = sentence_of(text[:cut])
    second = sentence_of(text[cut + 1 :])
    second = Sentence(
        1, second.text, cut + 1, len(text), cut + 1, len(text),
        [Token(t.form, t.tag, t.start + cut + 1, t.end + cut + 1) for t in second.tokens],
    )  # fmt: skip
    found = article_mentions([first, second], text, load_lexicon())
    assert [(m.entity_id, m.surface) for m in found if m.sentence_index == 1] == [
        ("Llama 3.5", "3.5")
    ]


def test_a_bare_version_is_released_under_its_familys_name(tmp_path: Path):
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "다온랩 소식\n\n다온랩은 2023년 5월 라마 3.0을 처음 내놨다. "
        "다온랩은 지난해 8월 3.5 버전을 오픈소스로 공개했다.\n",
        encoding="utf-8",
    )
    (corpus / "manifest.csv").write_text("file,published\na.txt,2025-03-05\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["build", str(corpus), "--json", str(out), "--no-cache"]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    assert [(e["entities"], e["date_start"], e["title"]) for e in events] == [
        (["다온랩", "Llama 3"], "2023-05-01", "다온랩, 라마 3 공개"),  # 3.0 is the lexicon's 3
        (["다온랩", "Llama 3.5"], "2024-08-01", "다온랩, 라마 3.5 오픈소스 공개"),
    ]
