"""Cleaning: boilerplate rules one by one, spliced fragments, offsets, the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.cleaning import _Cleaner, clean_corpus, clean_text, load_rules, removed_lines
from core.loading import load_article
from core.model import Article, CleanText, Problem, Severity

#: a line that starts or ends with whitespace or an invisible character
PADDED = re.compile(r"^[\s\u200b\ufeff]|[\s\u200b\ufeff]$")
BODY = "구글은 지난주 새로운 번역 모델을 공개했다. 업계는 이를 환영했다."


def make_article(name: str, text: str) -> Article:
    return Article(file=name, path=Path(name), source_text=text, encoding="utf-8")


def seed_articles(seeds_dir: Path) -> list[Article]:
    """The seeds as the loader reads them (decoded, NFC), not yet cleaned."""
    loaded = [load_article(p, p.name) for p in sorted(seeds_dir.glob("*.txt"))]
    articles = [a for a in loaded if isinstance(a, Article)]
    assert len(articles) == len(loaded) == 5, loaded
    return articles


def assert_offsets_valid(source: str, clean: CleanText) -> None:
    """Every clean char is the source char at its offset; offsets strictly increase."""
    assert len(clean.offsets) == len(clean.text) + 1
    for i, ch in enumerate(clean.text):
        assert source[clean.offsets[i]] == ch
    assert all(a < b for a, b in zip(clean.offsets, clean.offsets[1:], strict=False))
    if clean.text:
        assert clean.offsets[-1] == clean.offsets[-2] + 1
    # the removals are exactly the characters that were not kept
    kept = set(clean.offsets[:-1])
    removed: set[int] = set()
    for r in clean.removals:
        assert 0 <= r.start < r.end <= len(source)
        assert r.kind in ("line", "fragment")
        span = set(range(r.start, r.end))
        assert not span & removed, "removals overlap"
        removed |= span
    assert removed | kept == set(range(len(source)))
    assert not removed & kept
    # no blank-line runs, no whitespace-only lines, no padding
    assert "\n\n\n" not in clean.text
    assert not clean.text.startswith("\n")
    for line in clean.text.split("\n"):
        assert not PADDED.search(line), line


# -- line rules: one row per phrase, with the rule expected to fire (None: kept) ----------

LINE_CASES = [
    ("홍길동 기자 gildong@example.co.kr", "byline-email"),
    ("김하늘·박바다 기자 sky@news.example.com", "byline-email"),
    ("gildong@example.com", "byline-email"),
    ("이서준 특파원", "byline-bare"),
    ("박지민 2024. 3. 5. 09:30", "author-dateline"),
    ("입력 2024.03.05 09:30 수정 2024.03.05 10:10", "author-dateline"),
    ("ⓒ 가상일보, 무단 전재 및 재배포 금지", "copyright-sign"),
    ("<저작권자 ⓒ 가상뉴스 무단전재-재배포 금지>", "copyright-reprint"),
    ("Copyright © 가상경제신문 All rights reserved.", "copyright-sign"),
    ("서울 도심의 새 연구소 전경 [사진출처=가상통신]", "photo-caption"),
    ("행사장에 모인 개발자들 (사진=가상전자 제공)", "photo-caption"),
    ("음성재생 설정", "reader-voice"),
    ("본문 듣기", "reader-voice"),
    ("번역beta Translated by 가상번역기", "reader-translate"),
    ("번역", "reader-translate"),
    ("글자크기 설정 슬라이더를 옮기면 크기가 바뀝니다.", "reader-fontsize"),
    ("이 글자크기로 변경됩니다.", "reader-fontsize-done"),
    ("(예시) 가장 빠른 소식을 전하는 가상뉴스를 만나보세요.", "fontsize-preview"),
    ("공유 프린트 스크랩", "reader-controls"),
    ("구독하기", "reader-controls"),
    ("이 기사에 대해 어떻게 생각하시나요?", "reader-poll"),
    ("이 기사를 추천합니다", "reader-poll"),
    ("가상일보를 네이버 뉴스에서 구독하세요!", "subscribe-promo"),
    ("기사 제보 tip@example.com", "tip-line"),
    ("제보 및 보도자료: 카카오톡 가상일보", "tip-line"),
    ("배너", "ad-label"),
    ("광고", "ad-label"),
    (
        "'가상 리포트'는 기자들이 현장을 해설하는 칼럼입니다. 매주 화요일 연재됩니다.",
        "column-intro",
    ),
    # body text that shares words with the rules must stay
    ("번역 기능을 공유하는 서비스가 늘었다.", None),
    ("글자 크기를 키우는 기능은 노년층에게 인기다.", None),
    ("정부는 콘텐츠 무단 복제를 막는 법안을 내놨다.", None),
    ("홍길동 기자는 현장을 찾아 개발자들을 만났다.", None),
    ("광고 시장도 AI 덕분에 커지고 있다.", None),
    ("2024년 3월 5일 구글은 새 모델을 공개했다.", None),
    ("시민들의 제보가 사건 해결에 결정적이었다.", None),
    ("유료 구독 모델을 도입하는 언론사가 늘었다.", None),
    ("☞오픈 모델(Open Model)", None),
]


@pytest.mark.parametrize(("line", "rule"), LINE_CASES)
def test_line_rule(line: str, rule: str | None) -> None:
    source = f"{BODY}\n{line}\n{BODY}\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    fired = {r.rule for r in clean.removals if r.kind == "line"} - {"blank"}
    if rule is None:
        assert fired == set()
        assert line in clean.text
    else:
        assert fired == {rule}
        assert line not in clean.text.split("\n")
        assert clean.text == f"{BODY}\n{BODY}\n"


FRAGMENT_CASES = [
    ("[가상일보=홍길동 기자] 구글이 새 모델을 냈다.", "byline-prefix", "구글이 새 모델을 냈다."),
    (
        "[가상일보=홍길동 기자]\u00a0구글이 새 모델을 냈다.",
        "byline-prefix",
        "구글이 새 모델을 냈다.",
    ),
    (
        "(서울=가상통신) 홍길동 기자 = 구글이 새 모델을 냈다.",
        "agency-prefix",
        "구글이 새 모델을 냈다.",
    ),
    (
        "구글이 새 모델을 냈다(사진=가상통신). 업계가 주목했다.",
        "photo-credit",
        "구글이 새 모델을 냈다. 업계가 주목했다.",
    ),
    (
        "구글이 새 모델을 냈다. 업계가 주목했다. 홍길동 기자 gil@example.com",
        "byline-email-tail",
        "구글이 새 모델을 냈다. 업계가 주목했다.",
    ),
]


@pytest.mark.parametrize(("line", "rule", "expected"), FRAGMENT_CASES)
def test_fragment_rule(line: str, rule: str, expected: str) -> None:
    source = f"제목 줄\n{line}\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == f"제목 줄\n{expected}\n"
    assert {r.rule for r in clean.removals} - {"whitespace"} == {rule}
    assert all(r.kind == "fragment" for r in clean.removals)


def test_tail_removes_the_related_list_to_the_end() -> None:
    related = "관련기사\n새 모델 공개 임박\n가상전자 실적 발표\n\n12건의 관련기사 더보기\n배너\n"
    source = f"{BODY}\n\n{related}"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == f"{BODY}\n"
    assert {r.rule for r in clean.removals} - {"blank"} == {"related-articles"}


def test_tail_followed_by_body_removes_only_its_line() -> None:
    body2 = "이어지는 본문은 새 모델의 성능을 자세히 설명한다. 전문가들은 신중한 평가를 내놨다."
    source = f"{BODY}\n관련기사\n{body2}\n"
    clean = clean_text(source)
    assert clean.text == f"{BODY}\n{body2}\n"


def test_blank_lines_collapse_and_whitespace_lines_go() -> None:
    source = "\n\n첫 문단이다.\n\n\u00a0\n\n \t\n둘째 문단이다.  \n\n\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == "첫 문단이다.\n\n둘째 문단이다.\n"


def test_invisible_padding_counts_as_blank() -> None:
    source = "\ufeff첫 문단이다.\u200b\n\u200b\n\u200b \u00a0\n둘째 문단이다.\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == "첫 문단이다.\n\n둘째 문단이다.\n"


def test_crlf_line_ends_are_trimmed_without_inventing_chars() -> None:
    source = "첫 줄이다.\r\n\r\n홍길동 기자 gil@example.com\r\n둘째 줄이다.\r\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == "첫 줄이다.\n\n둘째 줄이다.\n"


def tidied(line: str) -> str:
    """A line as the cleaner leaves it by definition: format characters gone, padding
    trimmed, each run of whitespace reduced to its first character."""
    line = line.replace("\u200b", "")
    line = re.sub(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$", "", line)
    return re.sub(r"(\s)\s+", r"\1", line)


SPACED = ["새", "모델을", "공개했다.", "오픈소스", " ", "  ", "\t", "\u00a0", "\u200b", "\r", "\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SPACED), max_size=40).map("".join))
def test_whitespace_is_tidied_as_defined(source: str) -> None:
    # lines no rule touches: trimmed and collapsed
    # (without the corpus-wide repeats, which a random text of few words can trigger)
    cleaner = _Cleaner(source)
    cleaner.apply_rules(load_rules()[0])
    clean = cleaner.finish()
    assert_offsets_valid(source, clean)
    kept = [tidied(line) for line in source.split("\n")]
    assert [line for line in clean.text.split("\n") if line] == [line for line in kept if line]
    assert {r.rule for r in clean.removals} <= {"whitespace", "blank", "format-character"}


def test_whitespace_around_a_removed_fragment_is_collapsed() -> None:
    # a picture credit goes from the middle of the line: the spaces after it are left
    # next to the word before it and collapse to one, as on a line nothing was cut from
    source = "오픈 모델은 (사진=가상전자)  공개됐다.\u00a0\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text == "오픈 모델은 공개됐다.\n"
    assert [(r.rule, source[r.start : r.end]) for r in clean.removals] == [
        ("photo-credit", " (사진=가상전자)"),
        ("whitespace", " "),
        ("whitespace", "\u00a0"),
    ]


def test_removal_span_of_a_line_includes_its_break() -> None:
    source = f"{BODY}\n배너\n{BODY}"
    clean = clean_text(source)
    (removal,) = clean.removals
    assert source[removal.start : removal.end] == "배너\n"
    assert removal.kind == "line" and removal.rule == "ad-label"


# -- the table: user rows, bad rows ----------------------------------------------------


def test_user_rows_extend_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    (tmp_path / "boilerplate.tsv").write_text(
        "name\tscope\tpattern\tnote\nmy-promo\tline\t오늘의 운세 보러 가기.*\tmy own promo line\n",
        encoding="utf-8",
    )
    source = f"{BODY}\n오늘의 운세 보러 가기 ▶\n{BODY}\n"
    clean = clean_text(source)
    assert clean.text == f"{BODY}\n{BODY}\n"
    assert [r.rule for r in clean.removals] == ["my-promo"]


def test_bad_user_rows_are_reported_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMP_TIMELINE_RESOURCES", str(tmp_path))
    table = tmp_path / "boilerplate.tsv"
    table.write_text(
        "name\tscope\tpattern\tnote\n"
        "broken\tline\t[unclosed\tbad regex\n"
        "odd-scope\tpage\t배너\tunknown scope\n"
        "empty\tfragment\t\\s*\tmatches nothing\n",
        encoding="utf-8",
    )
    rules, problems = load_rules()
    assert {r.name for r in rules} >= {"byline-email", "related-articles"}
    assert not {"broken", "odd-scope", "empty"} & {r.name for r in rules}
    assert len(problems) == 3
    assert all(p.severity is Severity.WARNING for p in problems)
    assert all(str(table) in p.file for p in problems)
    assert "invalid pattern" in problems[0].reason and "broken" in problems[0].reason
    assert "scope 'page'" in problems[1].reason
    assert "empty" in problems[2].reason

    articles = [make_article("a.txt", f"{BODY}\n배너\n"), make_article("b.txt", BODY)]
    clean_corpus(articles)
    assert articles[0].clean is not None and articles[0].clean.text == f"{BODY}\n"
    assert len(articles[0].problems) == 3  # shown once, with the first article
    assert articles[1].problems == []

    corpus_problems: list[Problem] = []
    articles = [make_article("a.txt", BODY)]
    clean_corpus(articles, corpus_problems)
    assert len(corpus_problems) == 3 and articles[0].problems == []


def test_bundled_table_is_valid() -> None:
    rules, problems = load_rules()
    assert problems == []
    assert {r.scope for r in rules} == {"line", "tail", "fragment"}
    assert len({r.name for r in rules}) == len(rules)


# -- spliced fragments (core/repeats.py) on our own articles -----------------------------

SPLICED = (
    "가상전자, 새 AI 칩 공개\n"
    "오늘의 퀴즈왕 - 매일 업데이트\n"
    "가상전자는 새 AI 칩을 공개했다. 칩은 전력,오늘의 퀴즈왕효율 면에서 앞선다.\n"
    "연구진은 설계,오늘의 퀴즈왕검증 과정을 모두 마쳤다. 한글 검색 기능도 더했다.\n"
    "◇한글 검색,오늘의 퀴즈왕성능은?\n"
    "한글 검색 시장은 커지고 있다. 한글 검색은 오래된 기술이다. 한글 검색이 다시 주목받는다.\n"
)


def test_spliced_ad_is_removed_and_repeated_body_phrase_kept() -> None:
    clean = clean_text(SPLICED)
    assert_offsets_valid(SPLICED, clean)
    assert "퀴즈왕" not in clean.text
    assert "칩은 전력,효율 면에서 앞선다." in clean.text
    assert "연구진은 설계,검증 과정을 모두 마쳤다." in clean.text
    assert "◇한글 검색,성능은?" in clean.text
    assert clean.text.startswith("가상전자, 새 AI 칩 공개\n가상전자는")
    assert clean.text.count("한글 검색") == 5  # repeated a lot, never glued: kept
    assert {r.rule for r in clean.removals} == {"repeated-fragment"}


def test_known_splice_is_also_cut_where_a_space_follows() -> None:
    # once the fragment is known to be spliced, an occurrence after a comma goes too
    source = SPLICED + "자료,오늘의 퀴즈왕 분석 결과도 냈다.\n"
    clean = clean_text(source)
    assert_offsets_valid(source, clean)
    assert clean.text.endswith("\n자료,분석 결과도 냈다.\n")


def test_repetition_without_interruption_is_kept() -> None:
    # a phrase after commas and before spaces, five times: normal list writing
    text = (
        "오픈 모델 진영은 커졌다. 기업들은 비용,오픈 모델 생태계,인재를 본다.\n"
        "정부도 오픈 모델 정책을 냈다. 학계는 오픈 모델 연구를 늘렸다. 오픈 모델 시대다.\n"
    )
    clean = clean_text(text)
    assert clean.text == text
    assert clean.removals == []


@pytest.mark.parametrize(
    "text",
    [
        # one word written together with various nouns: compounds, not a splice
        (
            "인공지능반도체 수요가 늘었다. 인공지능칩 가격도 올랐다.\n"
            "업계는 인공지능서버 투자를 늘린다. 인공지능반도체 설계 인력도 부족하다.\n"
        ),
        # several words glued to nouns, but after spaces and never standing alone
        (
            "새 AI 반도체칩 시장이 열렸다. 회사는 AI 반도체설계 조직을 키웠다.\n"
            "정부도 AI 반도체시장 지원책을 냈다. 학계는 AI 반도체 연구를 늘렸다.\n"
        ),
    ],
)
def test_glued_compounds_are_kept(text: str) -> None:
    clean = clean_text(text)
    assert clean.text == text
    assert clean.removals == []


def test_fragment_spliced_across_the_corpus() -> None:
    ad = "무료 웹툰 보기"
    texts = [
        f"첫 기사는 반도체를 다룬다. 공급망,{ad}수요가 모두 늘었다.\n",
        f"둘째 기사는 전기차를 다룬다. 배터리,{ad}충전 속도가 관건이다.\n",
        f"셋째 기사는 로봇을 다룬다. 센서,{ad}제어 기술이 발전했다.\n",
        "넷째 기사는 무료 웹툰 보기 서비스를 다룬다.\n",
    ]
    articles = [make_article(f"{i}.txt", t) for i, t in enumerate(texts)]
    clean_corpus(articles)
    cleaned = [a.clean.text for a in articles if a.clean is not None]
    assert cleaned[0] == "첫 기사는 반도체를 다룬다. 공급망,수요가 모두 늘었다.\n"
    assert cleaned[1] == "둘째 기사는 전기차를 다룬다. 배터리,충전 속도가 관건이다.\n"
    assert cleaned[2] == "셋째 기사는 로봇을 다룬다. 센서,제어 기술이 발전했다.\n"
    assert cleaned[3] == texts[3]  # a body use, not glued, is kept
    # alone, each article has the ad once: not enough to call it spliced
    assert clean_text(texts[0]).text == texts[0]


# -- the seeds ------------------------------------------------------------------------

ABSENT = {
    "000": ["yrchoi@asiae.co.kr", "최유리 기자", "무단전재", "ⓒ"],
    "001": [
        "칼럼입니다",
        "[더테크=조재호 기자]",
        "관련기사",
        "더보기",
        "배너",
        "\u00a0",
    ],
    "002": [
        "임주형 2023. 5. 20. 18:00",
        "음성재생",
        "Translated by",
        "글자크기",
        "(예시)",
        "다음뉴스",
        "이미지출처",
        "샘 올트만 오픈AI 최고경영자",
        "킹스크로스",
        "skepped@asiae.co.kr",
        "Copyright",
        "무단전재",
        "어떻게 생각하시나요",
    ],
    "003": [],
    "004": ["드림카", "월드컵", "실시간 업데이트"],
}

PRESENT = {
    "000": ["전세계 200만명 개발자 소속\n", "생성형 AI 생태계 선점 포석\n", "합종연횡하는 전략"],
    "001": [
        "챗GPT 벌써 일년, 한층 치열해진 개발 경쟁과 AI 연합\n",
        "MS-오픈AI와 구글, AWS 등 선도그룹과 AI 얼라이언스의 결성\n",
        "메타와 IBM이 주도한 인공지능(AI) 연합인",
        "새로운 흐름을 만들어낼 수 있을지 관심이 가는 부분이다.",
    ],
    "002": [
        "[테크토크]왜 구글은 'AI 해자'가 없다고 했을까\n",
        "커뮤니티가 빅테크 압도할 수도\n",
        "훈련 노하우가 곧 AI 기술…영업비밀 감추는 빅테크\n",
        "빅테크 폐쇄 전략 맞서는 오픈소스 '공개 전략'\n",
        '"우리에게는 해자(moat)가 없고',
        "구글이 아직 자신들에게 '해자'가 없음을 인정한 이유입니다.",
    ],
    "003": ['"뭉쳐야 산다"…AI 주도권', '매우 의미가 있다고 판단했다"고 말했다.'],
    "004": [
        "오픈소스·폐쇄소스 이번 승자는\n",
        "◇왜 오픈소스로 내놓을까\n",
        "◇개방 對 폐쇄 AI,승자는?\n",
        "학습할 때 사용한 데이터,매개변수 등",
        "“학계,연구 기관,스타트업 등이",
        "☞오픈소스(Open Source)\n",
    ],
}


@pytest.fixture(scope="module")
def cleaned_seeds(seeds_dir: Path) -> dict[str, Article]:
    articles = seed_articles(seeds_dir)
    clean_corpus(articles)
    return {a.file[:3]: a for a in articles}


@pytest.mark.parametrize("seed", sorted(ABSENT))
def test_seed_boilerplate_absent_and_body_present(
    cleaned_seeds: dict[str, Article], seed: str
) -> None:
    article = cleaned_seeds[seed]
    assert article.clean is not None
    for text in ABSENT[seed]:
        assert text not in article.clean.text, text
    for text in PRESENT[seed]:
        assert text in article.clean.text, text
    assert article.problems == []


@pytest.mark.parametrize("seed", sorted(ABSENT))
def test_seed_offsets(cleaned_seeds: dict[str, Article], seed: str) -> None:
    article = cleaned_seeds[seed]
    assert article.clean is not None
    assert_offsets_valid(article.source_text, article.clean)


def test_seed_003_needs_no_cleaning(cleaned_seeds: dict[str, Article]) -> None:
    article = cleaned_seeds["003"]
    assert article.clean is not None
    assert article.clean.text == article.source_text
    assert article.clean.removals == []
    assert removed_lines(article.source_text, article.clean) == []


def test_removals_of_one_rule_are_joined() -> None:
    source = "첫 문단이다.\n\u00a0\n\n\n둘째 문단이다.\n"
    clean = clean_text(source)
    assert clean.text == "첫 문단이다.\n\n둘째 문단이다.\n"
    assert [(r.start, r.end, r.rule) for r in clean.removals] == [
        (8, 9, "blank"),
        (10, 12, "blank"),
    ]


# -- properties -----------------------------------------------------------------------

PIECES = [
    "구글", "오픈소스", "모델을", " ", " ", "\n", "\n", "\u00a0", "\r", "\t", "기자", "@",
    "a.com", "[", "]", "=", "(", ")", "관련기사", "배너", ".", ",", "다.", "요?", "가", "AI",
    "퀴즈왕", "이미지출처", "사진=", "ⓒ", "무단전재", "금지", "2024. 5. 1.", "12:30", "번역",
    "글자크기 설정", "◇", "\u200b", "홍길동 ",
]  # fmt: skip

texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_clean_text_property(source: str) -> None:
    clean = clean_text(source)
    assert_offsets_valid(source, clean)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=4))
def test_clean_corpus_property(sources: list[str]) -> None:
    articles = [make_article(f"{i}.txt", s) for i, s in enumerate(sources)]
    clean_corpus(articles)
    for article in articles:
        assert article.clean is not None
        assert_offsets_valid(article.source_text, article.clean)
