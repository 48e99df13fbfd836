"""Titles from the text: the first short line before the body that is not a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.loading import detect_title, load_corpus
from core.model import Article, CleanText
from core.titles import MAX_TITLE_CHARS, title_from_text

BODY = "한 연구소가 새 언어 모델을 공개했다. 모델은 누구나 내려받아 쓸 수 있다.\n"


def article(text: str) -> Article:
    return Article(file="a.txt", path=Path("a.txt"), source_text=text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("연구소, 새 언어 모델 공개\n" + BODY, "연구소, 새 언어 모델 공개"),
        # blank lines and a rule before the headline
        ("\n\n———\n  연구소, 새 언어 모델 공개  \n" + BODY, "연구소, 새 언어 모델 공개"),
        # a question is a headline, not a body sentence
        ("왜 연구소는 모델을 풀었을까\n" + BODY, "왜 연구소는 모델을 풀었을까"),
        # dateline and byline lines above the headline are skipped
        (
            "입력 2024.03.07 오전 10:15\n김하늘 기자 sky@example.kr\n모델 공개 경쟁\n" + BODY,
            "모델 공개 경쟁",
        ),
        # kickers and no headline: the first kicker (the documented choice)
        ("개발자 100만명 참여\n공개 모델 생태계 확대\n" + BODY, "개발자 100만명 참여"),
        # runs of spaces inside the line collapse
        ("모델   공개\t경쟁\n" + BODY, "모델 공개 경쟁"),
    ],
)
def test_titles(text: str, title: str) -> None:
    assert detect_title(article(text)) == (title, "text")


@pytest.mark.parametrize(
    "text",
    [
        # the text starts with its body: no title is better than a sentence
        BODY + "짧은 줄\n",
        # a long first line is body text even without a sentence end
        "가" * (MAX_TITLE_CHARS + 1) + "\n짧은 줄\n",
        "",
        "\n   \n",
    ],
)
def test_no_title(text: str) -> None:
    assert detect_title(article(text)) == ("", "unknown")


def test_the_cleaned_text_is_used_when_there_is_one() -> None:
    source = "광고 배너 문구 - 지금 클릭\n연구소, 새 언어 모델 공개\n" + BODY
    a = article(source)
    assert detect_title(a) == ("광고 배너 문구 - 지금 클릭", "text")
    cut = len("광고 배너 문구 - 지금 클릭\n")
    a.clean = CleanText(source[cut:], list(range(cut, len(source) + 1)))
    assert detect_title(a) == ("연구소, 새 언어 모델 공개", "text")


def test_the_scan_stops_after_a_few_lines() -> None:
    kickers = "".join(f"{n}\n" for n in range(20))  # lines without a letter are skipped...
    assert title_from_text(kickers + "늦은 제목\n" + BODY) == ""  # ...but still counted


SEED_TITLES = {
    "000_adb5c0859fc24b80.txt": "전세계 200만명 개발자 소속",  # first kicker: no headline
    "001_0200a4a0cae8c2e1.txt": "챗GPT 벌써 일년, 한층 치열해진 개발 경쟁과 AI 연합",
    "002_66adaed47b9baad8.txt": "[테크토크]왜 구글은 'AI 해자'가 없다고 했을까",
    "003_a39cdc22e6d86e9a.txt": '"뭉쳐야 산다"…AI 주도권 선점 노린 빅테크, 동맹 강화 안간힘',
}


def test_seed_titles_from_the_source(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    by_file = {a.file: a for a in corpus.articles}
    for file, title in SEED_TITLES.items():
        assert detect_title(by_file[file]) == (title, "text"), file
        assert by_file[file].title_source == "unknown"  # the loader leaves it to the pipeline


def test_seed_004_title_once_the_advert_line_is_cleaned(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    a = next(x for x in corpus.articles if x.file.startswith("004_"))
    advert = "드림카 월드컵 - 2024년 실시간 업데이트\n"
    assert a.source_text.startswith(advert)
    # the source alone gives the advert: only cleaning can tell it is boilerplate
    assert detect_title(a)[0] == advert.strip()
    cut = len(advert)
    a.clean = CleanText(a.source_text[cut:], list(range(cut, len(a.source_text) + 1)))
    assert detect_title(a) == ("오픈소스·폐쇄소스 이번 승자는", "text")


def test_seed_titles_through_the_pipeline(seeds_corpus) -> None:  # type: ignore[no-untyped-def]
    """The real cleaner removes 004's advert line before ``detect_title`` reads the text."""
    titles = {a.file: (a.title, a.title_source) for a in seeds_corpus.articles}
    expected = {**SEED_TITLES, "004_ec613ed2d7ce5ee1.txt": "오픈소스·폐쇄소스 이번 승자는"}
    assert titles == {file: (title, "text") for file, title in expected.items()}
