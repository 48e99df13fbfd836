"""Calendar intervals for the date resolver: months, parts, quarters, weeks, and their checks.

Every interval is inclusive (``start <= end``). A *part* (early, mid, late) cuts a unit
into thirds: days 1-10 / 11-20 / 21-end of a month, Jan-Apr / May-Aug / Sep-Dec of a
year, years 0-3 / 4-6 / 7-9 of a decade, so that ``지난달 말`` is the 21st to the end.
"""

from __future__ import annotations

import calendar
import datetime as dt

Interval = tuple[dt.date, dt.date]

PARTS = ("early", "mid", "late")


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def valid_day(year: int, month: int, day: int) -> bool:
    if not (dt.MINYEAR <= year <= dt.MAXYEAR and 1 <= month <= 12):
        return False
    return 1 <= day <= last_day(year, month)


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """The (year, month) ``delta`` months after ``year``-``month``."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month(year: int, mon: int, part: str | None = None) -> Interval:
    """A month, or its early (1-10), mid (11-20) or late (21-end) third."""
    end = last_day(year, mon)
    if part == "early":
        return dt.date(year, mon, 1), dt.date(year, mon, 10)
    if part == "mid":
        return dt.date(year, mon, 11), dt.date(year, mon, 20)
    if part == "late":
        return dt.date(year, mon, 21), dt.date(year, mon, end)
    return dt.date(year, mon, 1), dt.date(year, mon, end)


def year(y: int, part: str | None = None) -> Interval:
    """A calendar year, or its early (Jan-Apr), mid (May-Aug) or late (Sep-Dec) third."""
    if part == "early":
        return dt.date(y, 1, 1), dt.date(y, 4, 30)
    if part == "mid":
        return dt.date(y, 5, 1), dt.date(y, 8, 31)
    if part == "late":
        return dt.date(y, 9, 1), dt.date(y, 12, 31)
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def quarter(y: int, q: int) -> Interval:
    first = 3 * (q - 1) + 1
    return dt.date(y, first, 1), dt.date(y, first + 2, last_day(y, first + 2))


def half(y: int, h: int, part: str | None = None) -> Interval:
    """First (h=1) or second (h=2) half of a year; a part narrows it to two months."""
    first = 1 if h == 1 else 7
    if part == "early":
        return dt.date(y, first, 1), dt.date(y, first + 1, last_day(y, first + 1))
    if part == "mid":
        return dt.date(y, first + 2, 1), dt.date(y, first + 3, last_day(y, first + 3))
    if part == "late":
        return dt.date(y, first + 4, 1), dt.date(y, first + 5, last_day(y, first + 5))
    return dt.date(y, first, 1), dt.date(y, first + 5, last_day(y, first + 5))


def decade(first_year: int, part: str | None = None) -> Interval:
    """The decade starting at ``first_year`` (a multiple of ten), or a third of it."""
    if part == "early":
        return dt.date(first_year, 1, 1), dt.date(first_year + 3, 12, 31)
    if part == "mid":
        return dt.date(first_year + 4, 1, 1), dt.date(first_year + 6, 12, 31)
    if part == "late":
        return dt.date(first_year + 7, 1, 1), dt.date(first_year + 9, 12, 31)
    return dt.date(first_year, 1, 1), dt.date(first_year + 9, 12, 31)


def week(day: dt.date, delta_weeks: int = 0) -> Interval:
    """Monday..Sunday of the week containing ``day``, shifted by ``delta_weeks``."""
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=delta_weeks)
    return monday, monday + dt.timedelta(days=6)


def day_candidates(d: int, ref: dt.date) -> list[dt.date]:
    """Day ``d`` of the months around ``ref``'s (two either way, for the 31st), where it exists."""
    out = []
    for delta in (-2, -1, 0, 1, 2):
        y, m = add_months(ref.year, ref.month, delta)
        if valid_day(y, m, d):
            out.append(dt.date(y, m, d))
    return out


def month_day_candidates(m: int, d: int, ref: dt.date) -> list[dt.date]:
    """``m``/``d`` in the year before, of and after ``ref``, where it exists (29 Feb)."""
    return [dt.date(y, m, d) for y in (ref.year - 1, ref.year, ref.year + 1) if valid_day(y, m, d)]


def pick(candidates: list[dt.date], ref: dt.date, direction: str) -> dt.date | None:
    """The candidate a reader means: ``past`` latest <= ref, ``future`` earliest >= ref,
    ``after`` earliest > ref, ``before`` latest < ref, else the nearest (earlier on a tie)."""
    if not candidates:
        return None
    if direction == "past":
        past = [c for c in candidates if c <= ref]
        return max(past) if past else None
    if direction == "before":
        before = [c for c in candidates if c < ref]
        return max(before) if before else None
    if direction == "future":
        future = [c for c in candidates if c >= ref]
        return min(future) if future else None
    if direction == "after":
        after = [c for c in candidates if c > ref]
        return min(after) if after else None
    return min(candidates, key=lambda c: (abs((c - ref).days), c))


def agrees(precision: str, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether an interval is exactly what its precision allows: no wider, no narrower.

    ``day`` is one day; ``week`` seven; ``month``, ``year``, ``half`` and ``decade`` are the
    whole unit or one of its parts (thirds; two-month parts of a half); ``quarter`` the
    whole quarter; ``range`` any ordered interval; ``unknown`` has no dates.
    """
    if precision == "unknown":
        return start is None and end is None
    if start is None or end is None or start > end:
        return False
    span = (start, end)
    parts = (None, *PARTS)
    if precision == "day":
        return start == end
    if precision == "week":
        return (end - start).days == 6
    if precision == "month":
        return span in [month(start.year, start.month, p) for p in parts]
    if precision == "quarter":
        return span == quarter(start.year, (start.month - 1) // 3 + 1)
    if precision == "half":
        return span in [half(start.year, 1 if start.month <= 6 else 2, p) for p in parts]
    if precision == "year":
        return span in [year(start.year, p) for p in parts]
    if precision == "decade":
        return span in [decade(start.year // 10 * 10, p) for p in parts]
    return precision == "range"
