"""Placing one matched date pattern on the calendar, given a reference day.

The reference is the publication day (or, for ``이날``/``전날``/``바로 다음 7일``, the
discourse day the caller knows). ``direction`` says which way a date without its year or
month points: ``past`` (on or before), ``future`` (on or after), ``after`` (strictly
after) or ``present`` (the nearest).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.dates import intervals as iv
from core.dates.patterns import (
    DISCOURSE_DAYS,
    DISCOURSE_YEARS,
    HANGUL_DAYS,
    REL_DAY_OFFSET,
    REL_MONTH_OFFSET,
    REL_WEEK_OFFSET,
    REL_YEAR_OFFSET,
    SEASONS,
    WEEKDAYS,
    YEAR_PART_WORDS,
    Rule,
    squash,
)

PAST_PRE = {"지난"}
FUTURE_PRE = {"오는", "다가오는"}
NEXT_PRE = {"다음", "바로다음"}

PRECISION = {
    "ymd": "day", "d": "day", "rm_d": "day", "rel_day": "day", "day_range": "range", "ym": "month",
    "rel_month": "month", "quarter": "quarter", "half": "half", "y": "year",
    "year_part": "year", "decade": "decade", "rel_week": "week", "ago": "day",
    "month_range": "range", "season": "range", "weekday": "day", "year_range": "range",
}


@dataclass
class Found:
    """A pattern match in the text, with what was read around it."""

    rule: Rule
    match: re.Match[str]
    start: int
    end: int
    part: str | None = None
    approximate: bool = False

    def group(self, name: str) -> str | None:
        try:
            value = self.match.group(name)
        except IndexError:
            return None
        return squash(value) if value else None

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def pre(self) -> str | None:
        return self.group("pre")

    def is_absolute(self) -> bool:
        """Whether the text alone fixes the date (a written year, or a decade)."""
        return self.kind == "decade" or (
            self.group("yabs") is not None
            and self.kind in ("ymd", "ym", "quarter", "half", "year_part", "y", "day_range",
                              "month_range", "season", "year_range")
        )

    def needs_anchor(self) -> bool:
        """Whether the expression refers to the discourse day rather than publication."""
        if self.kind == "rel_day":
            return (self.group("rd") or "") in DISCOURSE_DAYS
        if self.group("yrel") in DISCOURSE_YEARS:
            return True
        return self.kind in ("d", "ymd") and self.pre in NEXT_PRE

    def discourse_only(self) -> bool:
        """``이듬해``, ``같은 해``: without the discourse date there is nothing to count from."""
        return self.group("yrel") in DISCOURSE_YEARS

    def day_of_month_only(self) -> bool:
        """A day without month (``지난 6일``): a month-precision publication fixes it."""
        return self.kind == "d" or (self.kind == "day_range" and self.group("m") is None
                                    and self.group("yabs") is None and self.group("yrel") is None)


Placed = tuple[dt.date, dt.date, str]  # start, end, precision


def _month_offset(found: Found) -> int:
    return REL_MONTH_OFFSET.get(found.group("rm") or "", 0)


def _direction(found: Found, tense: str) -> str:
    pre = found.pre
    if pre in PAST_PRE:
        return "past"
    if pre in FUTURE_PRE:
        return "future"
    if pre in NEXT_PRE:
        return "after"
    return tense


def _year(found: Found, ref: dt.date) -> int | None:
    yabs = found.group("yabs")
    if yabs:
        return int(yabs)
    yrel = found.group("yrel") or (found.pre if found.pre == "올" else None)
    if yrel:
        return ref.year + REL_YEAR_OFFSET.get(yrel, 0)
    return None


def _day(found: Found, ref: dt.date, tense: str, m: int | None, d: int) -> dt.date | None:
    y = _year(found, ref)
    if m is None:
        return iv.pick(iv.day_candidates(d, ref), ref, _direction(found, tense))
    if y is not None:
        return dt.date(y, m, d) if iv.valid_day(y, m, d) else None
    return iv.pick(iv.month_day_candidates(m, d, ref), ref, _direction(found, tense))


def _month(found: Found, ref: dt.date, tense: str, m: int) -> tuple[int, int] | None:
    y = _year(found, ref)
    if y is not None:
        return y, m
    direction = _direction(found, tense)
    if found.pre in PAST_PRE:
        direction = "before"  # 지난 4월 in an April article is last year's April
    this = dt.date(ref.year, ref.month, 1)
    candidates = [dt.date(year, m, 1) for year in (ref.year - 1, ref.year, ref.year + 1)]
    chosen = iv.pick(candidates, this, direction)
    return (chosen.year, chosen.month) if chosen else None


def place(found: Found, ref: dt.date, tense: str) -> Placed | None:
    """The interval ``found`` means when read from day ``ref``; None if impossible."""
    kind = found.kind
    part = found.part
    precision = PRECISION[kind]
    m_text = found.group("m")
    m = int(m_text) if m_text else None
    if kind == "ymd":
        day = _day(found, ref, tense, m, int(found.group("d") or 0))
        return (day, day, precision) if day else None
    if kind == "d":
        day = _day(found, ref, tense, None, int(found.group("d") or 0))
        return (day, day, precision) if day else None
    if kind == "day_range":
        d1, d2 = int(found.group("d1") or 0), int(found.group("d2") or 0)
        first = _day(found, ref, tense, m, d1)
        if first is None:
            return None
        y, mon = first.year, first.month
        if d2 < d1:
            y, mon = iv.add_months(y, mon, 1)
        if not iv.valid_day(y, mon, d2):
            return None
        return first, dt.date(y, mon, d2), precision
    if kind == "ym" and m is not None:
        ym = _month(found, ref, tense, m)
        if ym is None:
            return None
        return (*iv.month(ym[0], ym[1], part), precision)
    if kind == "ago":
        return _ago(found, ref)
    if kind == "month_range" and m is not None:
        first_month = _month(found, ref, tense, m)
        if first_month is None:
            return None
        m2 = int(found.group("m2") or 0)
        y2 = first_month[0] + (1 if m2 < m else 0)
        return iv.month(*first_month)[0], iv.month(y2, m2)[1], precision
    if kind == "season":
        return _season(found, ref, tense)
    if kind == "year_range":
        y1, y2 = int(found.group("y1") or 0), int(found.group("yabs") or 0)
        return (iv.year(y1)[0], iv.year(y2)[1], precision) if y1 <= y2 else None
    if kind == "weekday":
        return _weekday(found, ref)
    if kind == "rm_d":
        y, mon = iv.add_months(ref.year, ref.month, _month_offset(found))
        d = int(found.group("d") or 0)
        if not iv.valid_day(y, mon, d):
            return None
        return dt.date(y, mon, d), dt.date(y, mon, d), precision
    if kind == "rel_month":
        y, mon = iv.add_months(ref.year, ref.month, _month_offset(found))
        return (*iv.month(y, mon, part), precision)
    if kind == "rel_week":
        return (*iv.week(ref, REL_WEEK_OFFSET.get(found.group("rw") or "", 0)), precision)
    if kind == "rel_day":
        day = ref + dt.timedelta(days=REL_DAY_OFFSET.get(found.group("rd") or "", 0))
        return day, day, precision
    written = _year(found, ref)
    year = ref.year if written is None else written
    if kind == "quarter":
        q = int(found.group("q") or 1)
        return (*_unit_of_year(found, ref, tense, lambda y: iv.quarter(y, q)), precision)
    if kind == "half":
        h = 1 if found.group("h") == "상" else 2
        return (*_unit_of_year(found, ref, tense, lambda y: iv.half(y, h, part)), precision)
    if kind == "year_part":
        third = YEAR_PART_WORDS.get(found.group("yp") or "", part)
        return (*_unit_of_year(found, ref, tense, lambda y: iv.year(y, third)), precision)
    if kind == "y":
        return (*iv.year(year, part), precision)
    if kind == "decade":
        digits = found.group("dec") or "0"
        value = int(digits)
        # 90년대 is the 1990s, 20년대 the 2020s
        century = 1900 if value >= 3 else 2000
        decade_start = value * 10 if len(digits) == 3 else century + value * 10
        return (*iv.decade(decade_start, part), precision)
    return None


def _ago(found: Found, ref: dt.date) -> Placed | None:
    """``3일 전``, ``2주 뒤``, ``10년 전``: a day is exact, longer units only to their unit."""
    n = HANGUL_DAYS.get(found.group("hn") or "") or int(found.group("n") or 0)
    sign = -1 if found.group("dir") == "전" else 1
    unit = found.group("unit") or "일"
    n0 = found.group("n0")
    if n0 is not None:  # 2~3년 뒤: the hull of both readings, an approximate range
        first = _offset(int(n0), sign, unit, ref)
        last = _offset(n, sign, unit, ref)
        if first is None or last is None:
            return None
        return min(first[0], last[0]), max(first[1], last[1]), "range"
    return _offset(n, sign, unit, ref)


def _offset(n: int, sign: int, unit: str, ref: dt.date) -> Placed | None:
    try:
        if unit == "일":
            day = ref + dt.timedelta(days=sign * n)
            return day, day, "day"
        if unit.startswith("주"):
            return (*iv.week(ref, sign * n), "week")
        if unit in ("개월", "달"):
            y, m = iv.add_months(ref.year, ref.month, sign * n)
            return (*iv.month(y, m), "month")
        return (*iv.year(ref.year + sign * n), "year")
    except (OverflowError, ValueError):
        return None  # beyond the calendar (9999년 후)


def _season(found: Found, ref: dt.date, tense: str) -> Placed | None:
    """``올 가을``, ``지난 여름``, ``내년 봄``: three months, a range (seasons are no unit)."""
    first, length = SEASONS[found.group("season") or "봄"]
    year = _year(found, ref)
    if year is None:
        direction = "before" if found.pre in PAST_PRE else "future"
        starts = [dt.date(y, first, 1) for y in (ref.year - 1, ref.year, ref.year + 1)]
        if direction == "future":
            # a season still running counts as the coming one (오는 여름 in July)
            now = (ref.year, ref.month)
            starts = [s for s in starts if iv.add_months(s.year, s.month, length - 1) >= now]
            chosen = min(starts) if starts else None
        else:
            chosen = iv.pick(starts, dt.date(ref.year, ref.month, 1), "before")
        if chosen is None:
            return None
        year = chosen.year
    end_year, end_month = iv.add_months(year, first, length - 1)
    return dt.date(year, first, 1), iv.month(end_year, end_month)[1], "range"


def _weekday(found: Found, ref: dt.date) -> Placed:
    """``지난주 금요일``, ``오는 월요일``: a day of a named week, or the nearest such day."""
    index = WEEKDAYS.index(found.group("wd") or "월")
    rw = found.group("rw")
    if rw is not None:
        monday = iv.week(ref, REL_WEEK_OFFSET.get(rw, 0))[0]
        day = monday + dt.timedelta(days=index)
    elif found.pre == "지난":
        day = ref - dt.timedelta(days=(ref.weekday() - index - 1) % 7 + 1)
    elif found.pre == "이번":
        day = iv.week(ref)[0] + dt.timedelta(days=index)
    else:
        day = ref + dt.timedelta(days=(index - ref.weekday() - 1) % 7 + 1)
    return day, day, "day"


def _unit_of_year(
    found: Found, ref: dt.date, tense: str, span: Callable[[int], iv.Interval]
) -> iv.Interval:
    """A quarter or half: of the written year, else the one the tense points to.

    ``4분기 매출이 줄었다`` in a February article is last year's fourth quarter (the latest
    one already begun); ``오는 1분기`` the next one not yet over; otherwise this year's.
    """
    written = _year(found, ref)
    if written is not None:
        return span(written)
    direction = _direction(found, tense)
    spans = [span(y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    if direction == "past":
        begun = [s for s in spans if s[0] <= ref]
        return begun[-1] if begun else span(ref.year)
    if direction in ("future", "after"):
        open_ = [s for s in spans if s[1] >= ref]
        return open_[0] if open_ else span(ref.year)
    return span(ref.year)
