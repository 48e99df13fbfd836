"""Properties of the date resolver on arbitrary text (hypothesis).

Whatever the text and publication date: no exception, ordered intervals whose length
agrees with the precision, offsets that slice back to the text, and the same answer twice.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import resolve
from core.dates.intervals import agrees
from core.model import DateSource, Published
from core.published import parse_partial_date

# pieces of Korean news date phrasing, recombined with digits and punctuation
_PIECES = [
    "지난", "오는", "바로 다음", "다음", "이번", "올", "올해", "지난해", "작년", "내년", "재작년",
    "년", "월", "일", "주", "달", "분기", "반기", "상반기", "하반기", "년대", "초", "중순", "말",
    "께", "경", "부터", "까지", "에서", "~", "-", ".", "(현지시간)", "현지 시간", "이날", "전날",
    "다음 날", "이튿날", "어제", "오늘", "내일", "연초", "연말", "최근", "곧", "그간", "앞서",
    "했다", "할 예정이다", "한다", "했으며", " ", "\n", "%", "개", "시간", "간", "동안", "만에",
]
_digits = st.integers(min_value=0, max_value=2100).map(str)
_piece = st.one_of(st.sampled_from(_PIECES), _digits)
news_like = st.lists(_piece, max_size=25).map("".join)
hangul_digits_punct = st.text(
    alphabet=st.sampled_from(
        "가나다라마바사아자차카타파하년월일주말초중께경지난오는0123456789.,~-()[]% \n"
    ),
    max_size=60,
)
any_text = st.one_of(news_like, hangul_digits_punct, st.text(max_size=60))


@st.composite
def publications(draw: st.DrawFn) -> Published | None:
    kind = draw(st.sampled_from(["day", "month", "year", "none"]))
    # mostly news-era days, sometimes the ends of the calendar (year 1, year 9999)
    day = draw(st.one_of(
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), st.dates()
    ))
    if kind == "none":
        return None
    if kind == "day":
        return parse_partial_date(day.isoformat(), DateSource.MANIFEST)
    if kind == "month":
        return parse_partial_date(f"{day.year:04d}-{day.month:02d}")
    return parse_partial_date(f"{day.year:04d}")


_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_settings
@given(text=any_text, published=publications())
def test_intervals_are_ordered_honest_and_slice_back(
    text: str, published: Published | None
) -> None:
    for expr in resolve(text, published):
        assert 0 <= expr.start < expr.end <= len(text)
        assert text[expr.start:expr.end] == expr.text
        assert (expr.date_start is None) == (expr.date_end is None)
        if expr.date_start is not None and expr.date_end is not None:
            assert expr.date_start <= expr.date_end
        assert agrees(expr.precision, expr.date_start, expr.date_end), expr.to_dict()
        assert expr.part in (None, "early", "mid", "late")


@_settings
@given(text=any_text, published=publications())
def test_same_input_same_output(text: str, published: Published | None) -> None:
    first = [e.to_dict() for e in resolve(text, published)]
    assert first == [e.to_dict() for e in resolve(text, published)]


@_settings
@given(text=news_like, published=publications(), anchor=st.dates(
    min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_anchor_never_breaks_the_invariants(
    text: str, published: Published | None, anchor: dt.date
) -> None:
    for expr in resolve(text, published, anchor=anchor):
        assert text[expr.start:expr.end] == expr.text
        assert agrees(expr.precision, expr.date_start, expr.date_end)


@_settings
@given(published=publications(), day=st.integers(min_value=1, max_value=31))
def test_relative_day_never_claims_more_than_the_publication_allows(
    published: Published | None, day: int
) -> None:
    exprs = resolve(f"회사는 지난 {day}일 모델을 공개했다.", published)
    assert [e.text for e in exprs] == [f"지난 {day}일"]
    expr = exprs[0]
    if published is None:
        assert expr.date_start is None and expr.precision == "unknown"
    elif expr.date_start is None:
        assert expr.precision == "unknown"  # only at the ends of the calendar
        assert published.start.year <= 2  # only at the start of the calendar
    elif published.precision == "year":
        # the day of the year is unknown: widened to a range, flagged approximate
        assert expr.precision == "range" and expr.approximate
    else:
        assert expr.precision == "day" and expr.date_start.day == day
        assert expr.date_start <= published.end


def test_agrees_rejects_dishonest_intervals() -> None:
    d = dt.date
    assert not agrees("day", d(2024, 1, 1), d(2024, 1, 2))
    assert not agrees("month", d(2024, 1, 21), d(2024, 2, 3))
    assert not agrees("quarter", d(2024, 3, 1), d(2024, 4, 30))
    assert not agrees("half", d(2024, 6, 1), d(2024, 7, 31))
    assert not agrees("month", d(2024, 12, 6), d(2024, 12, 6))  # a day claimed as a month
    assert not agrees("year", d(2024, 1, 1), d(2024, 6, 30))  # a half claimed as a year
    assert agrees("month", d(2024, 7, 21), d(2024, 7, 31))  # 지난달 말
    assert agrees("year", d(2023, 9, 1), d(2023, 12, 31))  # 지난해 말
    assert not agrees("unknown", d(2024, 1, 1), d(2024, 1, 1))
    assert not agrees("range", d(2024, 2, 1), d(2024, 1, 1))
    assert agrees("week", d(2024, 8, 12), d(2024, 8, 18))
    assert agrees("decade", d(1990, 1, 1), d(1999, 12, 31))


@_settings
@given(text=any_text)
def test_trigger_scan_finds_every_match_a_full_scan_finds(text: str) -> None:
    """The speed-up (trying rules only where an expression can begin) loses nothing."""
    from core.dates.patterns import RULES
    from core.dates.resolver import _candidates

    fast = {(f.rule.name, f.start, f.end) for f in _candidates(text)}
    for rule in RULES:
        for match in rule.regex.finditer(text):
            if match.end() > match.start():
                assert (rule.name, match.start(), match.end()) in fast


@_settings
@given(text=any_text, published=publications())
def test_text_ruled_out_by_may_hold_date_has_no_expression(
    text: str, published: Published | None
) -> None:
    """The early exit (sentences without a digit or cue word skip the resolver) is safe: no
    rule matches anywhere in such a text, and no vague word is in it."""
    from core.dates.patterns import RULES, load_cues
    from core.dates.resolver import may_hold_date

    if may_hold_date(text):
        return
    for rule in RULES:
        assert not any(m.end() > m.start() for m in rule.regex.finditer(text)), rule.name
    assert not any(form in text for form in load_cues().vague)
    assert resolve(text, published) == []


def test_may_hold_date_on_sentences() -> None:
    from core.dates.resolver import may_hold_date

    assert not may_hold_date("회사는 새 언어 모델을 오픈소스로 공개했다.")
    assert may_hold_date("회사는 3일 새 모델을 공개했다.")
    assert may_hold_date("회사는 지난달 새 모델을 공개했다.")
    assert may_hold_date("회사는 최근 새 모델을 공개했다.")  # a vague word only
    assert may_hold_date("두 회사는 이날 협약을 맺었다.")
