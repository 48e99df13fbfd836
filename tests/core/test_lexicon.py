"""The entity lexicon: bundled tables, hierarchy, camps, user extension, bad rows."""

from __future__ import annotations

import os

import pytest

from core.lexicon import CAMPS, ENTITY_TYPES, build_lexicon, load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_bundled_tables_load_without_problems(lexicon):
    assert lexicon.problems == []
    assert len(lexicon) > 100
    for entity in lexicon:
        assert entity.entity_type in ENTITY_TYPES, entity
        assert entity.camp in (*CAMPS, ""), entity
        assert not entity.parent or entity.parent in lexicon, entity
        assert entity.entity_id in entity.aliases and entity.name_ko in entity.aliases


def test_every_explicit_camp_has_evidence(lexicon):
    missing = [e.entity_id for e in lexicon if e.camp in ("open", "closed") and not e.camp_evidence]
    assert missing == []


MAJOR_PLAYERS = [
    "OpenAI", "Anthropic", "Google", "DeepMind", "Meta", "Microsoft", "Amazon", "AWS", "Apple",
    "NVIDIA", "Intel", "AMD", "IBM", "Hugging Face", "Stability AI", "Mistral AI", "DeepSeek",
    "Alibaba", "Qwen", "xAI", "Grok", "Naver", "HyperCLOVA X", "LG AI Research", "EXAONE",
    "Samsung", "Samsung Gauss", "Kakao", "Upstage", "Solar", "AI Alliance", "Llama", "Gemini",
    "Gemma", "Claude", "GPT-4", "ChatGPT",
]  # fmt: skip


def test_major_players_are_present(lexicon):
    assert [name for name in MAJOR_PLAYERS if name not in lexicon] == []


@pytest.mark.parametrize(
    ("entity_id", "parent"),
    [
        ("Gemma", "Google"),
        ("Gemini", "Google"),
        ("CodeGemma", "Gemma"),
        ("EXAONE", "LG AI Research"),
        ("EXAONE 3.0", "EXAONE"),
        ("Llama", "Meta"),
        ("Llama 3.1", "Llama"),
        ("Google Cloud", "Google"),
        ("DeepMind", "Google"),
        ("ChatGPT", "OpenAI"),
        ("Copilot", "Microsoft"),
        ("Bedrock", "AWS"),
        ("AWS", "Amazon"),
        ("Gaudi", "Intel"),
        ("Gaudi 2", "Gaudi"),
        ("HyperCLOVA X", "Naver"),
        ("Naver Cloud", "Naver"),
        ("Claude", "Anthropic"),
        ("Claude 3", "Claude"),
        ("Ferret", "Apple"),
        ("Stable Diffusion", "Stability AI"),
        ("Gemini 1.5 Pro", "Gemini"),
        ("PaLM 2", "PaLM"),
    ],
)
def test_parents(lexicon, entity_id, parent):
    assert lexicon.get(entity_id).parent == parent


def test_ancestors_run_to_the_root(lexicon):
    assert lexicon.ancestors("CodeGemma") == ["Gemma", "Google", "Alphabet"]
    assert lexicon.ancestors("Amazon Q") == ["AWS", "Amazon"]
    assert "OpenAI" in lexicon.ancestors("GPT-4o")
    assert lexicon.ancestors("Meta") == []
    assert lexicon.is_within("Llama 3.1", "Meta") and not lexicon.is_within("Meta", "Llama")


@pytest.mark.parametrize(
    ("entity_id", "camp", "decided_by"),
    [
        ("Google", "closed", "Google"),
        ("Gemma", "open", "Gemma"),
        ("CodeGemma", "open", "Gemma"),  # inherits Gemma's, not Google's
        ("Gemini 1.5 Pro", "closed", "Gemini"),
        ("Meta", "open", "Meta"),
        ("Llama 3.1", "open", "Llama 3.1"),
        ("OpenAI", "closed", "OpenAI"),
        ("GPT-4o", "closed", "OpenAI"),
        ("Claude 3", "closed", "Anthropic"),
        ("Microsoft", "closed", "Microsoft"),
        ("Hugging Face", "open", "Hugging Face"),
        ("Stability AI", "open", "Stability AI"),
        ("EXAONE 3.0", "open", "EXAONE 3.0"),
        ("AI Alliance", "open", "AI Alliance"),
        ("IBM", "open", "IBM"),
        ("NVIDIA", "neutral", "NVIDIA"),
        ("Bloomberg", "neutral", "Bloomberg"),
        ("NASA", "neutral", "NASA"),
        ("Mark Zuckerberg", "open", "Meta"),
        ("Sam Altman", "closed", "OpenAI"),
    ],
)
def test_camps(lexicon, entity_id, camp, decided_by):
    decision = lexicon.camp_of(entity_id)
    assert (decision.camp, decision.decided_by) == (camp, decided_by)
    assert decision.evidence


def test_unknown_entity_has_no_camp(lexicon):
    assert lexicon.camp_of("No Such Thing").camp == ""
    assert lexicon.get("No Such Thing") is None


@pytest.mark.parametrize(
    ("alias", "entity_id"),
    [
        ("허깅페이스", "Hugging Face"),
        ("허깅 페이스", "Hugging Face"),
        ("Hugging Face", "Hugging Face"),
        ("huggingface", "Hugging Face"),
        ("샘 올트먼", "Sam Altman"),
        ("샘 올트만", "Sam Altman"),
        ("샘 알트먼", "Sam Altman"),
        ("올트만", "Sam Altman"),
        ("알트먼", "Sam Altman"),
        ("Sam Altman", "Sam Altman"),
        ("제미나이", "Gemini"),
        ("제미니", "Gemini"),
        ("GEMINI", "Gemini"),
        ("앤트로픽", "Anthropic"),
        ("엔트로픽", "Anthropic"),
        ("AI 동맹", "AI Alliance"),
        ("AI얼라이언스", "AI Alliance"),
        ("라마 3.1", "Llama 3.1"),
        ("Llama 3.1", "Llama 3.1"),
        ("팜(PaLM) 2", "PaLM 2"),
        ("GPT‐4", "GPT-4"),  # a Unicode hyphen
        ("아마존 리인벤트", "AWS re:Invent"),
        ("블룸버그 통신", "Bloomberg"),
    ],
)
def test_resolve_aliases(lexicon, alias, entity_id):
    assert lexicon.resolve(alias).entity_id == entity_id


def _rows(*rows: dict[str, str]) -> list[dict[str, str]]:
    return [{**row, "_source": f"test.tsv:{n}"} for n, row in enumerate(rows, start=2)]


def test_bad_rows_are_reported_with_their_line_and_skipped():
    lexicon = build_lexicon(
        _rows(
            {"entity_id": "Acme", "type": "organisation", "name_ko": "애크미"},
            {"entity_id": "Widget", "type": "gadget", "name_ko": "위젯"},
            {"entity_id": "", "type": "model", "name_ko": "이름없음"},
            {"entity_id": "Rocket", "type": "model", "name_ko": "로켓", "camp": "half-open"},
            {"entity_id": "Orphan", "type": "model", "name_ko": "고아", "parent": "Nobody"},
            {"entity_id": "Loop A", "type": "model", "name_ko": "루프A", "parent": "Loop B"},
            {"entity_id": "Loop B", "type": "model", "name_ko": "루프B", "parent": "Loop A"},
            {"entity_id": "Acme Labs", "type": "organisation", "name_ko": "애크미"},
            {"entity_id": "Shell", "type": "model", "name_ko": "셸", "ambiguous": "조개"},
        ),
        _rows({"entity_id": "Ghost", "alias": "유령"}, {"entity_id": "Acme", "alias": ""}),
    )
    reasons = "\n".join(str(p) for p in lexicon.problems)
    assert "test.tsv:3: Widget: unknown type 'gadget'" in reasons
    assert "test.tsv:4: row without an entity_id" in reasons
    assert "Rocket: unknown camp 'half-open'" in reasons
    assert "Orphan: parent 'Nobody' is not in the lexicon" in reasons
    assert "closes a cycle" in reasons
    assert "alias '애크미' of Acme Labs already belongs to Acme" in reasons
    assert "names unknown entity 'Ghost'" in reasons
    assert "Acme: empty alias" in reasons
    assert "Shell: ambiguous '조개' is not one of its aliases" in reasons
    assert "Widget" not in lexicon and "Rocket" in lexicon
    assert lexicon.get("Rocket").camp == ""
    assert lexicon.get("Orphan").parent == ""
    assert lexicon.ancestors("Loop A") in (["Loop B"], [])  # the cycle is cut
    # ... at one edge only: the other loop member keeps its parent
    assert sorted(lexicon.get(e).parent for e in ("Loop A", "Loop B")) in (
        ["", "Loop A"],
        ["", "Loop B"],
    )
    assert lexicon.resolve("애크미").entity_id == "Acme"


def test_later_row_refines_an_entity():
    lexicon = build_lexicon(
        _rows(
            {"entity_id": "Acme", "type": "organisation", "name_ko": "애크미", "camp": "closed",
             "camp_evidence": "API only", "aliases": "ACME Corp"},
            {"entity_id": "Acme", "camp": "open", "camp_evidence": "weights released",
             "aliases": "애크미랩"},
        )
    )  # fmt: skip
    acme = lexicon.get("Acme")
    assert (acme.camp, acme.camp_evidence, acme.entity_type) == (
        "open",
        "weights released",
        "organisation",
    )
    assert {"ACME Corp", "애크미랩", "애크미", "Acme"} <= set(acme.aliases)


def test_user_tables_extend_the_bundled_ones():
    folder = os.environ["CAMP_TIMELINE_RESOURCES"]  # an empty folder per test (conftest)
    bundled = load_lexicon()
    assert load_lexicon() is bundled  # cached while nothing changes
    with open(os.path.join(folder, "entities.tsv"), "w", encoding="utf-8") as out:
        out.write("entity_id\ttype\tname_ko\tparent\tcamp\tcamp_evidence\taliases\n")
        out.write("Nova Gen\torganisation\t노바젠\t\topen\tpublished its weights\tNovaGen\n")
        out.write("Meta\t\t\t\t\t\t메타플랫폼\n")
    with open(os.path.join(folder, "entity_aliases.tsv"), "w", encoding="utf-8") as out:
        out.write("entity_id\talias\nGoogle\t구글사\n")
    extended = load_lexicon()
    assert extended is not bundled
    assert extended.problems == []
    assert extended.resolve("novagen").entity_id == "Nova Gen"
    assert extended.camp_of("Nova Gen").camp == "open"
    assert extended.resolve("메타플랫폼").entity_id == "Meta"
    assert extended.get("Meta").camp == "open"  # the user row added an alias only
    assert extended.resolve("구글사").entity_id == "Google"
    assert "Nova Gen" not in bundled


def test_noise_words(lexicon):
    assert lexicon.is_ambiguous("The Economist", "이코노미스트")
    assert not lexicon.is_ambiguous("The Economist", "The Economist")
    assert lexicon.is_noise("AI") and lexicon.is_noise("llm") and lexicon.is_noise("미국")
    assert not lexicon.is_noise("허깅페이스")


def test_unreadable_user_table_is_reported_and_the_bundled_lexicon_still_loads():
    folder = os.environ["CAMP_TIMELINE_RESOURCES"]
    with open(os.path.join(folder, "entity_aliases.tsv"), "wb") as out:
        out.write("entity_id\talias\nGoogle\t구글사\n".encode("cp949"))  # not UTF-8
    lexicon = load_lexicon()
    assert "Google" in lexicon and lexicon.resolve("구글사") is None
    [problem] = lexicon.problems
    assert problem.file.endswith("entity_aliases.tsv") and "not read" in problem.reason
