"""No body sentence of a seed is lost by cleaning: every source sentence is checked.

Each source is cut into lines, then sentences. A sentence must either survive in the clean
text (after taking out the fragments cleaning removed from it, which must be on the gold
list of expected fragments), or be removed entirely while standing on a line of the
hand-written gold list of expected boilerplate below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.cleaning import clean_corpus
from core.loading import load_article
from core.model import Article

#: per seed, a short distinctive substring of every line cleaning must remove (our gold)
GOLD_LINES: dict[str, list[str]] = {
    "000": ["최유리 기자 yrchoi@asiae.co.kr", "<ⓒ투자가를 위한 경제콘텐츠 플랫폼"],
    "001": ["‘더테크 View’는 더테크 기자들의", "관련기사", "93건의 관련기사 더보기", "배너"],
    "002": [
        "임주형 2023. 5. 20. 18:00",
        "음성재생 설정",
        "번역beta Translated by kaka i",
        "글자크기 설정 파란원을",
        "이 글자크기로 변경됩니다.",
        "(예시) 가장 빠른 뉴스가",
        "샘 올트만 오픈AI 최고경영자 [이미지출처=EPA연합뉴스]",
        "[이미지출처=스테이블 디퓨전]",
        "킹스크로스 [이미지출처=연합뉴스]",
        "임주형 기자 skepped@asiae.co.kr",
        "Copyright © 아시아경제.",
        "이 기사에 대해 어떻게 생각하시나요?",
    ],
    "003": [],
    "004": ["드림카 월드컵 - 2024년 실시간 업데이트"],
}

#: per seed, the fragments cleaning must cut out of sentences that stay
GOLD_FRAGMENTS: dict[str, list[str]] = {
    "000": [],
    "001": ["[더테크=조재호 기자]"],
    "002": [],
    "003": [],
    "004": ["드림카 월드컵", "드림카 월드컵", "드림카 월드컵"],
}

#: a sentence ends after . ? ! (and closing quotes) before a space, or before a letter that
#: follows without a space (004 glues its sentences: "공개합니다.오픈소스가"); not in 3.1
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*(?=\s|[^\W\d_]|$)")


def sentences(source: str) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every sentence, whitespace trimmed."""
    out = []
    pos = 0
    for number, line in enumerate(source.split("\n")):
        start = 0
        cuts = [m.end() for m in _SENTENCE_END.finditer(line)] + [len(line)]
        for cut in cuts:
            piece = line[start:cut]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                out.append((number, pos + start + lead, pos + cut - trail))
            start = cut
        pos += len(line) + 1
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def cleaned(seeds_dir: Path) -> dict[str, Article]:
    loaded = [load_article(p, p.name) for p in sorted(seeds_dir.glob("*.txt"))]
    articles = [a for a in loaded if isinstance(a, Article)]
    assert len(articles) == len(loaded) == 5, loaded
    clean_corpus(articles)
    return {a.file[:3]: a for a in articles}


def test_gold_covers_every_seed(cleaned: dict[str, Article]) -> None:
    assert sorted(cleaned) == sorted(GOLD_LINES) == sorted(GOLD_FRAGMENTS)


@pytest.mark.parametrize("seed", sorted(GOLD_LINES))
def test_no_sentence_lost(cleaned: dict[str, Article], seed: str) -> None:
    article = cleaned[seed]
    source = article.source_text
    assert article.clean is not None
    clean = article.clean
    kept = set(clean.offsets[:-1])
    clean_squashed = squash(clean.text)
    lines = source.split("\n")
    fragments_seen: list[str] = []
    removed_line_numbers: set[int] = set()
    for number, start, end in sentences(source):
        visible = [k for k in range(start, end) if not source[k].isspace()]
        gone = [k for k in visible if k not in kept]
        if not gone:
            assert squash(source[start:end]) in clean_squashed, source[start:end]
            continue
        if len(gone) == len(visible):
            line = lines[number]
            assert any(gold in line for gold in GOLD_LINES[seed]), (
                f"sentence removed but its line is not expected boilerplate: {line!r}"
            )
            continue
        # partly removed: what went must be expected fragments, what stayed must be in the text
        runs = _removed_text(source, start, end, kept).split("\n")
        for run in filter(None, (r.strip() for r in runs)):
            assert run in GOLD_FRAGMENTS[seed], f"unexpected fragment removed: {run!r}"
            fragments_seen.append(run)
        rest = "".join(source[k] for k in range(start, end) if k in kept)
        assert squash(rest) in clean_squashed
    for number, line in enumerate(lines):
        line_start = sum(len(x) + 1 for x in lines[:number])
        span = range(line_start, line_start + len(line))
        if line.strip() and not any(k in kept for k in span):
            removed_line_numbers.add(number)
    assert sorted(fragments_seen) == sorted(GOLD_FRAGMENTS[seed])
    removed = [lines[n] for n in sorted(removed_line_numbers)]
    print(f"{article.file}: {len(removed)} lines removed of {sum(1 for x in lines if x.strip())}")
    assert len(removed) == len(GOLD_LINES[seed]), removed
    for gold in GOLD_LINES[seed]:
        assert any(gold in line for line in removed), gold


def _removed_text(source: str, start: int, end: int, kept: set[int]) -> str:
    """The removed characters of a span, runs separated by a line break."""
    out = []
    previous_removed = False
    for k in range(start, end):
        if k in kept:
            if previous_removed:
                out.append("\n")
            previous_removed = False
        else:
            out.append(source[k])
            previous_removed = True
    return "".join(out)


def test_splitter_on_our_own_text() -> None:
    text = "첫 문장이다. 둘째는 라마 3.1을 다룬다.셋째가 붙었다!\n\n“인용이다.” 끝"
    got = [text[s:e] for _, s, e in sentences(text)]
    assert got == [
        "첫 문장이다.",
        "둘째는 라마 3.1을 다룬다.",
        "셋째가 붙었다!",
        "“인용이다.”",
        "끝",
    ]
