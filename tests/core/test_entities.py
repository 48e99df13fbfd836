"""Entity matching on Kiwi token boundaries, unlinked candidates, and recall on the seeds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.entities import find_candidates, find_mentions, unlinked_candidates
from core.kiwi import get_kiwi
from core.lexicon import build_lexicon, load_lexicon
from core.model import Sentence, Token


def sentence_of(source: str, start: int = 0, end: int | None = None, index: int = 0) -> Sentence:
    """``source[start:end]`` as one Sentence, tokenised by the shared Kiwi, source offsets."""
    end = len(source) if end is None else end
    text = source[start:end]
    tokens = [
        Token(t.form, t.tag, start + t.start, start + t.start + t.len)
        for t in get_kiwi().tokenize(text)
    ]
    return Sentence(index, text, start, end, start, end, tokens)


def hand_tokenised(source: str, tokens: list[Token]) -> Sentence:
    """All of ``source`` as one Sentence with the tokens given (Kiwi's cuts written out)."""
    return Sentence(0, source, 0, len(source), 0, len(source), tokens)


def found(text: str) -> list[tuple[str, str]]:
    """(entity id, surface) of every mention in ``text``, checking the offsets on the way."""
    mentions = find_mentions(sentence_of(text), text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    return [(m.entity_id, m.surface) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # aliases glued to particles
        ("메타가 라마 3.1을 오픈소스로 공개했다.", [("Meta", "메타"), ("Llama 3.1", "라마 3.1")]),
        ("오픈AI의 GPT-4o는 유료다.", [("OpenAI", "오픈AI"), ("GPT-4o", "GPT-4o")]),
        ("엔비디아까지 인텔처럼 나섰다.", [("NVIDIA", "엔비디아"), ("Intel", "인텔")]),
        # names inside other words never match
        ("메타버스 플랫폼과 인텔리전스, 애플리케이션 개발이 화두다.", []),
        ("AMDX라는 회사가 있다.", []),
        ("구글링으로 자료를 찾았다.", []),
        ("챗GPT가 인기다.", [("ChatGPT", "챗GPT")]),
        # longest match wins
        ("구글 클라우드는 제미나이 1.5 프로를 제공한다.",
         [("Google Cloud", "구글 클라우드"), ("Gemini 1.5 Pro", "제미나이 1.5 프로")]),
        ("구글 클라우드 넥스트 2024에서 발표했다.",
         [("Google Cloud Next 2024", "구글 클라우드 넥스트 2024")]),
        ("제미나이 프로로 바꿨다.", [("Gemini Pro", "제미나이 프로")]),
        # spacing variants and English aliases, Latin case ignored
        ("허깅 페이스와 허깅페이스, HuggingFace, Hugging Face 모두 같다.",
         [("Hugging Face", "허깅 페이스"), ("Hugging Face", "허깅페이스"),
          ("Hugging Face", "HuggingFace"), ("Hugging Face", "Hugging Face")]),
        ("AI얼라이언스와 AI 얼라이언스는 같은 연합이다.",
         [("AI Alliance", "AI얼라이언스"), ("AI Alliance", "AI 얼라이언스")]),
        ("OPENAI와 huggingface가 만났다.", [("OpenAI", "OPENAI"), ("Hugging Face", "huggingface")]),
        ("샘 올트먼과 샘 알트먼, 그리고 올트만은 한 사람이다.",
         [("Sam Altman", "샘 올트먼"), ("Sam Altman", "샘 알트먼"), ("Sam Altman", "올트만")]),
        ("엔트로픽과 앤트로픽, Anthropic은 같다.",
         [("Anthropic", "엔트로픽"), ("Anthropic", "앤트로픽"), ("Anthropic", "Anthropic")]),
        # parenthesised names: one mention, or two that do not overlap
        ("구글이 제미나이(Gemini)를 공개했다.", [("Google", "구글"), ("Gemini", "제미나이(Gemini)")]),
        ("자체 LLM인 ‘팜(PaLM) 2’ 등", [("PaLM 2", "팜(PaLM) 2")]),
        ("코드젬마(CodeGemma)도 나왔다.", [("CodeGemma", "코드젬마(CodeGemma)")]),
        ("아마존 리인벤트(AWS re:Invent 2023)에서는",
         [("AWS re:Invent 2023", "아마존 리인벤트(AWS re:Invent 2023)")]),
        ("개방형 안드로이드(구글)가 폐쇄형 iOS(애플)와 경쟁한다.",
         [("Android", "안드로이드"), ("Google", "구글"), ("iOS", "iOS"), ("Apple", "애플")]),
        ("마이크로소프트(MS)가 투자했다.", [("Microsoft", "마이크로소프트(MS)")]),
        # a version number at the end of a sentence
        ("LG AI연구원이 엑사원 3.0.", [("LG AI Research", "LG AI연구원"), ("EXAONE 3.0", "엑사원 3.0")]),
        ("국내에서도 LG AI 연구원이 ‘엑사원 3.0′의 경량 모델을 공개했다.",
         [("LG AI Research", "LG AI 연구원"), ("EXAONE 3.0", "엑사원 3.0")]),
        # nested names and hyphenated pairs
        ("MS-오픈AI의 GPT와 MS 코파일럿", [("Microsoft", "MS"), ("OpenAI", "오픈AI"),
                                     ("GPT", "GPT"), ("Microsoft", "MS"), ("Copilot", "코파일럿")]),
        ("美오픈AI가 발표했다.", [("OpenAI", "오픈AI")]),
        # a person whose surname Kiwi reads as a verb
        ("데이비드 하는 인터뷰에서 말했다.", [("David Ha", "데이비드 하")]),
        # a quoted name Kiwi tags as an adverb, and the adverb itself
        ("검색엔진 ‘빙’과 클라우드 서비스 ‘애저’", [("Bing", "빙"), ("Azure", "애저")]),
        ("빙 돌아서 갔다.", []),
        # an "adverb" with a case particle, confirmed by its maker in the sentence
        ("마이크로소프트의 빙은 검색 엔진이다.", [("Microsoft", "마이크로소프트"), ("Bing", "빙")]),
        ("빙과를 먹었다.", []),  # a word, not Bing + 과
        # ordinary-word aliases need a quote or an ancestor in the sentence
        ("골드만삭스의 수석 이코노미스트는 금리를 말했다.", []),
        ("영국 주간지 ‘이코노미스트’와 인터뷰했다.", [("The Economist", "이코노미스트")]),
        ("바닷가에서 소라를 주웠다.", []),
        ("오픈AI의 소라에 맞선다.", [("OpenAI", "오픈AI"), ("Sora", "소라")]),
        ("Sora는 영상을 만든다.", [("Sora", "Sora")]),  # the English name is not ambiguous
        # a particle Kiwi glued into an unknown noun
        ("큐웬도 새 모델을 냈다.", [("Qwen", "큐웬")]),
    ],
)  # fmt: skip
def test_find_mentions(text, expected):
    assert found(text) == expected


def test_mentions_keep_source_offsets_and_sentence_data():
    source = "첫 문장은 여기 있다.\n둘째 문장에서 허깅 페이스가 구글 클라우드와 손잡았다."
    start = source.index("둘째")
    sentence = sentence_of(source, start, len(source), index=7)
    mentions = find_mentions(sentence, source)
    assert [(m.entity_id, source[m.start : m.end]) for m in mentions] == [
        ("Hugging Face", "허깅 페이스"),
        ("Google Cloud", "구글 클라우드"),
    ]
    assert all(m.sentence_index == 7 for m in mentions)
    assert [m.entity_type for m in mentions] == ["organisation", "organisation"]


def test_name_split_by_kiwi_into_several_tokens_still_matches():
    # As Kiwi cuts it without the version patterns: name, number, particle.
    source = "라마 3.1을 엑사원 3.0."
    tokens = [
        Token("라마", "NNP", 0, 2),
        Token("3.1", "SN", 3, 6),
        Token("을", "JKO", 6, 7),
        Token("엑사원", "NNP", 8, 11),
        Token("3.0.", "W_SERIAL", 12, 16),  # Kiwi's serial rule swallows the full stop
    ]
    sentence = hand_tokenised(source, tokens)
    assert [(m.entity_id, m.surface) for m in find_mentions(sentence, source)] == [
        ("Llama 3.1", "라마 3.1"),
        ("EXAONE 3.0", "엑사원 3.0"),
    ]


def test_particle_swallowed_into_a_proper_noun_token():
    # Kiwi without our user words reads '얼라이언스의' as one NNP.
    source = "AI 얼라이언스의 결성"
    tokens = [
        Token("AI", "SL", 0, 2),
        Token("얼라이언스의", "NNP", 3, 9),
        Token("결성", "NNG", 10, 12),
    ]
    sentence = hand_tokenised(source, tokens)
    assert [(m.entity_id, m.surface) for m in find_mentions(sentence, source)] == [
        ("AI Alliance", "AI 얼라이언스")
    ]


def test_candidate_with_a_swallowed_particle_counts_under_the_bare_name():
    source = "루미너스랩이 나섰다. 루미너스랩은 작다."
    tokens = [
        Token("루미너스랩이", "NNP", 0, 6),
        Token("나서", "VV", 7, 9),
        Token(".", "SF", 10, 11),
        Token("루미너스랩", "NNP", 12, 17),
        Token("은", "JX", 17, 18),
        Token("작", "VA", 19, 20),
    ]
    sentence = hand_tokenised(source, tokens)
    assert unlinked_candidates([sentence], source, load_lexicon()) == {"루미너스랩": 2}


def test_names_do_not_span_text_that_cleaning_removed():
    # '광고' between the two words was removed by cleaning: no token covers it.
    source = "구글 광고클라우드가 나섰다."
    tokens = [
        Token("구글", "NNP", 0, 2),
        Token("클라우드", "NNP", 5, 9),
        Token("가", "JKS", 9, 10),
        Token("나서", "VV", 11, 13),
        Token("었", "EP", 12, 13),
        Token("다", "EF", 13, 14),
        Token(".", "SF", 14, 15),
    ]
    sentence = Sentence(0, "구글 클라우드가 나섰다.", 0, len(source), 0, 12, tokens)
    assert [m.entity_id for m in find_mentions(sentence, source)] == ["Google"]


def test_empty_sentence_has_no_mentions():
    assert find_mentions(Sentence(0, "", 0, 0, 0, 0, []), "") == []


def test_an_empty_lexicon_given_is_used_not_replaced_by_the_bundled_one():
    text = "메타가 노바젠테크와 손잡았다."
    empty = build_lexicon([])
    assert find_mentions(sentence_of(text), text, empty) == []
    assert [c.surface for c in find_candidates(sentence_of(text), text, empty)] == [
        "메타",
        "노바젠테크",
    ]


def test_unlinked_candidates_are_counted_and_noise_is_dropped():
    source = "노바젠테크가 Zephyrix Labs와 손잡았다.\n노바젠테크는 AI와 LLM, GPU를 쓴다. 미국 x"
    second = source.index("\n") + 1
    sentences = [sentence_of(source, 0, second - 1), sentence_of(source, second, index=1)]
    counts = unlinked_candidates(sentences, source, load_lexicon())
    assert counts == {"노바젠테크": 2, "Zephyrix Labs": 1}


def test_candidates_never_overlap_linked_mentions():
    text = "구글 클라우드와 노바젠테크, 그리고 H100을 말했다."
    sentence = sentence_of(text)
    lexicon = load_lexicon()
    candidates = find_candidates(sentence, text, lexicon)
    assert [(c.entity_id, c.surface) for c in candidates] == [("", "노바젠테크")]
    both = find_mentions(sentence, text, lexicon, include_unlinked=True, discover=False)
    assert [m.surface for m in both] == ["구글 클라우드", "H100", "노바젠테크"]
    # discovered (its name ends like a company's), it is a mention among the others
    found = find_mentions(sentence, text, lexicon, include_unlinked=True)
    assert [(m.entity_id, m.surface) for m in found] == [
        ("Google Cloud", "구글 클라우드"), ("노바젠테크", "노바젠테크"), ("H100", "H100")
    ]


# --- the seeds ------------------------------------------------------------------------

#: Every entity we read in each seed (our reading of the articles), by canonical id.
SEED_GOLD = {
    "000_adb5c0859fc24b80.txt": {
        "Google", "Hugging Face", "OpenAI", "Microsoft", "Google Cloud", "TPU", "TPU v5e",
        "Thomas Kurian", "ChatGPT", "GPT-4", "Bing", "Azure", "PowerPoint", "Excel", "PaLM 2",
        "Gemini", "Meta", "IBM", "Intel", "AI Alliance", "Apple", "Ferret", "GPT Store",
        "Asia Economy", "Choi Yu-ri",
    },
    "001_0200a4a0cae8c2e1.txt": {
        "ChatGPT", "Microsoft", "OpenAI", "Google", "AWS", "AI Alliance", "The Tech",
        "Cho Jae-ho", "Meta", "IBM", "GPT", "Copilot", "Gemini", "Bard", "Bedrock", "Amazon Q",
        "AMD", "Intel", "Dell", "Sony Group", "Stability AI", "Hugging Face", "Yale University",
        "Cornell University", "Dartmouth College", "Hebrew University of Jerusalem",
        "Imperial College London", "University of Tokyo", "NASA", "NSF", "CERN", "Oracle",
        "Synergy Research Group", "NVIDIA", "AWS re:Invent 2023",
    },
    "002_66adaed47b9baad8.txt": {
        "Google", "OpenAI", "SemiAnalysis", "ChatGPT", "Sam Altman", "Yonhap News", "DeepMind",
        "Stability AI", "Stable Diffusion", "Meta AI", "Llama", "Google Brain", "David Ha",
        "The Economist", "Meta", "Microsoft", "Asia Economy", "Lim Ju-hyung",
    },
    "003_a39cdc22e6d86e9a.txt": {
        "OpenAI", "Google", "Bloomberg", "Sam Altman", "Martina Strong", "Gina Raimondo",
        "US Department of Commerce", "Gemini", "Google Cloud", "Google Cloud Next 2024",
        "Gemini 1.5 Pro", "Vertex AI", "Anthropic", "Claude 3", "Gemma", "CodeGemma", "Sora",
        "Google Workspace", "Google Vids", "Thomas Kurian", "Gemini 1.0 Pro", "NVIDIA", "Intel",
        "Intel Vision 2024", "Gaudi", "Naver Cloud", "Gaudi 2", "HyperCLOVA X", "NICL",
        "Kim Yu-won", "Naver",
    },
    "004_ec613ed2d7ce5ee1.txt": {
        "Mark Zuckerberg", "Meta", "Llama 3.1", "NVIDIA", "H100", "OpenAI", "GPT", "Google",
        "Gemini", "LG AI Research", "EXAONE 3.0", "Anthropic", "Claude", "LG", "EXAONE", "Unix",
        "Linux", "Android", "iOS", "Apple",
    },
}  # fmt: skip

#: Surfaces that must come out whole, with their entity (the design card's names).
SEED_SURFACES = [
    ("004_ec613ed2d7ce5ee1.txt", "Llama 3.1", "라마 3.1"),
    ("004_ec613ed2d7ce5ee1.txt", "EXAONE 3.0", "엑사원 3.0"),
    ("004_ec613ed2d7ce5ee1.txt", "LG AI Research", "LG AI 연구원"),
    ("001_0200a4a0cae8c2e1.txt", "AI Alliance", "AI얼라이언스"),
    ("001_0200a4a0cae8c2e1.txt", "Gemini", "제미나이(Gemini)"),
    ("000_adb5c0859fc24b80.txt", "AI Alliance", "AI 동맹"),
    ("000_adb5c0859fc24b80.txt", "PaLM 2", "팜(PaLM) 2"),
    ("003_a39cdc22e6d86e9a.txt", "Anthropic", "엔트로픽"),
    ("003_a39cdc22e6d86e9a.txt", "Claude 3", "클로드 3(Claude 3)"),
    ("002_66adaed47b9baad8.txt", "Sam Altman", "샘 올트만"),
]


def seed_sentences(text: str) -> list[Sentence]:
    """One Sentence per non-empty line of a seed (the matcher works on any token span)."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(sentence_of(text, pos, pos + len(line), index=len(out)))
        pos += len(line) + 1
    return out


@pytest.fixture(scope="module")
def seed_mentions(seeds_dir):
    lexicon = load_lexicon()
    result = {}
    for name in SEED_GOLD:
        text = (seeds_dir / name).read_text(encoding="utf-8")
        mentions = [m for s in seed_sentences(text) for m in find_mentions(s, text, lexicon)]
        assert all(text[m.start : m.end] == m.surface for m in mentions)
        result[name] = mentions
    return result


def test_seed_entities_recall_and_precision(seed_mentions):
    gold_total = hit_total = found_total = 0
    missed, extra = [], []
    for name, gold in SEED_GOLD.items():
        ids = {m.entity_id for m in seed_mentions[name]}
        gold_total += len(gold)
        found_total += len(ids)
        hit_total += len(gold & ids)
        missed += [(name[:3], e) for e in sorted(gold - ids)]
        extra += [(name[:3], e) for e in sorted(ids - gold)]
    recall, precision = hit_total / gold_total, hit_total / found_total
    print(
        f"\nseed entities: recall {recall:.3f} ({hit_total}/{gold_total}), "
        f"precision {precision:.3f} ({hit_total}/{found_total})"
    )
    print(f"missed: {missed}\nnot in gold: {extra}")
    # The gold is our own reading of the five seeds; every name in it is in the lexicon, so
    # anything short of full recall is a matcher bug, and a stray id is a false match.
    assert recall == 1.0, missed
    assert precision >= 0.97, extra


@pytest.mark.parametrize(("name", "entity_id", "surface"), SEED_SURFACES)
def test_seed_surfaces(seed_mentions, name, entity_id, surface):
    assert (entity_id, surface) in {(m.entity_id, m.surface) for m in seed_mentions[name]}


def test_seed_traps(seed_mentions):
    everything = [m for mentions in seed_mentions.values() for m in mentions]
    # 애플리케이션 (seed 000) is not Apple; 안드로이드(구글) is two mentions, not one.
    assert not any(m.entity_id == "Apple" and "애플리케이션" in m.surface for m in everything)
    android = [m for m in everything if m.entity_id == "Android"]
    assert [m.surface for m in android] == ["안드로이드"]


# --- Kiwi fixes (resources/kiwi_words.tsv, kiwi_patterns.tsv) --------------------------


def pieces(text: str) -> list[tuple[str, str]]:
    """(source text, tag) of each token, so spaces inside a token show as written."""
    return [(text[t.start : t.start + t.len], t.tag) for t in get_kiwi().tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("메타가 라마 3.1을", [("메타", "NNP"), ("가", "JKS"), ("라마 3.1", "NNP"), ("을", "JKO")]),
        ("오픈AI의", [("오픈AI", "NNP"), ("의", "JKG")]),
        ("GPT-4o와", [("GPT-4o", "NNP"), ("와", "JC")]),
        ("허깅페이스는", [("허깅페이스", "NNP"), ("는", "JX")]),
        ("엑사원 3.0을", [("엑사원 3.0", "NNP"), ("을", "JKO")]),
        ("엑사원 3.0.", [("엑사원 3.0", "NNP"), (".", "SF")]),  # no W_SERIAL '3.0.'
        ("제미나이 1.5 프로를", [("제미나이 1.5 프로", "NNP"), ("를", "JKO")]),
        ("가우디 2의", [("가우디 2", "NNP"), ("의", "JKG")]),
        ("하이퍼클로바X와", [("하이퍼클로바X", "NNP"), ("와", "JC")]),
        # counters are not versions
        ("라마 3마리", [("라마", "NNP"), ("3", "SN"), ("마리", "NNB")]),
        ("가우디 2개", [("가우디", "NNP"), ("2", "SN"), ("개", "NNB")]),
    ],
)
def test_kiwi_cuts_names_where_the_matcher_needs_them(text, expected):
    assert pieces(text) == expected


def test_kiwi_tables_load_cleanly_and_bad_rows_are_reported():
    from core.kiwi import configure, load_problems

    assert load_problems() == []
    # Rows Kiwi refuses are reported and leave the shared analyser unchanged.
    problems = configure(
        get_kiwi(),
        [{"form": "노바젠", "tag": "NOPE", "_source": "user/kiwi_words.tsv:3"},
         {"form": "노바젠", "tag": "NNP", "score": "high", "_source": "user/kiwi_words.tsv:4"}],
        [{"pattern": "(unclosed", "tag": "NNP", "_source": "user/kiwi_patterns.tsv:2"}],
    )  # fmt: skip
    assert [p.file for p in problems] == [
        "user/kiwi_words.tsv:3",
        "user/kiwi_words.tsv:4",
        "user/kiwi_patterns.tsv:2",
    ]
    assert "pattern skipped" in problems[2].reason


# --- invariants on generated text -----------------------------------------------------

_ALIASES = ["메타", "라마 3.1", "오픈AI", "허깅 페이스", "GPT-4o", "구글 클라우드", "제미나이(Gemini)",
            "엑사원 3.0", "AI얼라이언스", "Anthropic", "팜(PaLM) 2", "인텔", "애플", "MS"]  # fmt: skip
_GLUE = ["", "가", "의", "는", "을", "와", "까지", "리케이션", "버스", "링", "X", "."]
_FILLER = [" ", " 그리고 ", ", ", "·", "-", " 새 모델을 공개했다. ", "‘", "’ "]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_ALIASES), st.sampled_from(_GLUE),
                          st.sampled_from(_FILLER)), min_size=1, max_size=6))  # fmt: skip
def test_mentions_are_ordered_disjoint_exact_slices_on_token_starts(parts):
    text = "".join(alias + glue + filler for alias, glue, filler in parts)
    sentence = sentence_of(text)
    lexicon = load_lexicon()
    token_starts = {t.start for t in sentence.tokens}
    previous_end = -1
    found = find_mentions(sentence, text, lexicon, include_unlinked=True)
    known = lexicon.with_discovered(found)  # a discovered name (GPT-4oX) is known through it
    for m in found:
        assert text[m.start : m.end] == m.surface
        if m.entity_id:
            assert m.entity_id in known
            assert m.start in token_starts
            assert m.start >= previous_end
            previous_end = m.end
