"""The linear-time cleaner, title search and date resolver give the answers they gave before.

The old way of each (the table patterns and regular expressions as they were, the tense read
from the first token on) is put back for a moment and compared with the new one on small
texts made of pieces that exercise it. Timings are in tests/benchmarks/bench_long_text.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import cleaning, titles
from core.cleaning import clean_text, load_rules
from core.dates import resolver
from core.dates.resolver import resolve
from core.dates.tense import tokenize
from core.published import parse_partial_date
from core.resources import read_table
from core.titles import title_from_text

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: the patterns as they were before they were made linear
OLD_PATTERNS = {
    "byline-email": (
        r"(?:[가-힣]{2,4}(?:\s*[·,]\s*[가-힣]{2,4})*\s*(?:기자|특파원|통신원|인턴기자|객원기자"
        r"|선임기자|전문기자|수습기자|에디터|논설위원|편집위원)?\s*[=/]?\s*)?[\w.+-]+@[\w-]+"
        r"(?:\.[\w-]+)+(?:\s*[,/]\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+)*"
    ),
    "photo-credit": r"\s*[\[(](?:이미지|사진|그래픽)\s*(?:출처)?\s*=\s*[^\])\n]{1,40}[\])]",
    "byline-email-tail": r"\s+[가-힣]{2,4}\s*(?:기자|특파원)\s+[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
}
OLD_PADDING = re.compile(rf"^[\s{_INVISIBLE}]+|[\s{_INVISIBLE}]+$")
OLD_TRAILING = re.compile(rf"[\s{_INVISIBLE}]+$")
OLD_BYLINE = re.compile(r"(?:기자|특파원|기고|논설위원)\s*$|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

PIECES = [
    "홍길동", " 기자", "기자 ", " ", "  ", "\t", "\n", "\u200b", "gil@example.com", "a.b",
    "@", "x.kr", " / ", "=", "(사진=가상전자)", "[이미지출처=가상]", "관련기사", "많이 본 뉴스",
    "모델을 공개했다.", "오픈소스", "입력 2024.08.12", "메타는", "27일", ",", "·",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def old_rules() -> list[cleaning.BoilerplateRule]:
    rows = [dict(row) for row in read_table(cleaning.TABLE)]
    for row in rows:
        row["pattern"] = OLD_PATTERNS.get(row["name"], row["pattern"])
    return load_rules(rows)[0]


@SETTINGS
@given(texts)
def test_the_cleaner_cleans_as_before(source: str) -> None:
    new = clean_text(source)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cleaning, "_PADDING", OLD_PADDING)
        patch.setattr(cleaning, "_TRAILING", OLD_TRAILING)
        old = clean_text(source, old_rules())
    assert (new.text, new.offsets, new.removals) == (old.text, old.offsets, old.removals)


@SETTINGS
@given(texts)
def test_the_title_is_found_as_before(text: str) -> None:
    new = title_from_text(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(titles, "_BYLINE", OLD_BYLINE)
        assert title_from_text(text) == new


DATED = [
    "메타는 27일 라마를 공개했다. ", "구글은 지난 3일 발표했고 ", "오는 5일 출시할 예정이다. ",
    "최근 ", "곧 ", "2024년 3월 1일부터 5일까지 ", "지난달 ", "내년 상반기 중 설립한다. ",
    "26일(현지시간) ", "\n", "이날 ", "공개했다. ",
]
PUBLISHED = parse_partial_date("2024-08-12")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(DATED), min_size=1, max_size=12).map("".join))
def test_the_resolver_resolves_as_before(text: str) -> None:
    tokens = tokenize(text)
    new = resolve(text, PUBLISHED, tokens=tokens)
    with pytest.MonkeyPatch.context() as patch:
        # every date's tense read from the first token on, as before
        patch.setattr(resolver._Context, "first_token", lambda self, after: 0)
        assert resolve(text, PUBLISHED, tokens=tokens) == new


def test_a_long_line_is_split_into_the_sentences_of_its_short_lines() -> None:
    from core.segment import MAX_LINE, segment_clean

    sentences = [
        f"{name}는 {day}일 새 모델 {k}을 공개했다."
        for k, (name, day) in enumerate(
            (name, day) for name in ("메타", "구글", "네이버", "엘지", "카카오", "삼성") for day in range(1, 29)
        )
    ]
    one_line = " ".join(sentences)
    assert len(one_line) > 1.5 * MAX_LINE
    long = segment_clean(clean_text(one_line))
    short = segment_clean(clean_text("\n".join(sentences)))
    assert [s.text for s in long] == [s.text for s in short] == sentences
    assert all(one_line[s.start:s.end] == s.text for s in long)
