"""Finding the temporal expressions of a Korean news text and resolving each to an interval.

``resolve`` scans the text with the rules of ``patterns``, extends each match with what
follows or precedes it (a part such as ``말``, ``(현지시간)``, ``부터``), joins range ends,
reads the tense of each date's clause from Kiwi morphemes, and places each expression
against the publication date, which may be known only to the month or the year: then a
relative expression is placed for the first and the last possible publication day and,
where the two differ, widened honestly to cover both.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import accumulate, pairwise
from typing import Any

from core.dates import intervals as iv
from core.dates.patterns import (
    DAY_APPROX,
    LOCAL_AFTER,
    LOCAL_BEFORE,
    OPEN_END,
    OPEN_START,
    PART,
    PART_MEANING,
    RANGE_END,
    RANGE_GAP,
    RULES,
    TRIGGER,
    YEAR_PART_WORDS,
    load_cues,
)
from core.dates.placing import FUTURE_PRE, NEXT_PRE, PAST_PRE, Found, Placed
from core.dates.placing import place as _place_unsafe
from core.dates.tense import FUTURE, PAST, PRESENT, clause_tense, tokenize
from core.model import Published, TimeExpr, Token

#: a text's tokens, or what makes them when first needed (most dates need none), or None
#: for Kiwi's own
Tokens = list[Token] | Callable[[], list[Token]] | None

_BARE_DAY = re.compile(r"(\d{1,2})\s*일")
_PARTABLE = {"ym", "y", "half", "decade", "rel_month", "quarter", "year_part"}
_PART_KINDS_ONLY_APPROX = {"quarter", "year_part"}


def _candidates(text: str) -> list[Found]:
    """Every rule's match at every place an expression can begin (``TRIGGER``)."""
    out: list[Found] = []
    for at in sorted({m.start() for m in TRIGGER.finditer(text)}):
        for rule in RULES:
            match = rule.regex.match(text, at)
            if match and match.end() > match.start():
                out.append(Found(rule, match, match.start(), match.end()))
    return out


def _scan(text: str) -> list[Found]:
    """All rule matches, longest first, without overlaps, in text order."""
    candidates = _candidates(text)
    candidates.sort(key=lambda f: (-(f.end - f.start), f.start))
    taken = _Spans()
    for cand in candidates:
        if taken.free(cand.start, cand.end):
            taken.add(cand.start, cand.end, cand)
    taken_found: list[Found] = taken.items()
    for found in taken_found:
        found.part = YEAR_PART_WORDS.get(found.group("yp") or "")
        _read_part(text, found)
    return taken_found


class _Spans:
    """Non-overlapping spans sorted by start, each with an item: whether a new span is free
    takes a bisection, not a pass over all spans taken."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._items: list[Any] = []

    def free(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` (not empty) overlaps no span taken."""
        i = bisect_left(self._starts, end)  # spans before i start before ``end``
        return i == 0 or self._ends[i - 1] <= start

    def add(self, start: int, end: int, item: Any) -> None:
        i = bisect_left(self._starts, end)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._items.insert(i, item)

    def items(self) -> list[Any]:
        return list(self._items)


def _read_part(text: str, found: Found) -> None:
    """Extend a match over a following part (``말``, ``초순``, ``께``) and record it."""
    pattern = PART if found.kind in _PARTABLE else DAY_APPROX
    if found.kind == "rel_week":
        return
    match = pattern.match(text, found.end)
    if not match:
        return
    part, approximate = PART_MEANING[match.group("part")]
    if part is not None and found.kind in _PART_KINDS_ONLY_APPROX:
        return
    found.part = part or found.part  # 연말께 stays late
    found.approximate = approximate
    found.end = match.end()
    if part is not None and (rough := DAY_APPROX.match(text, found.end)):
        found.approximate = True  # 말께, 초순경
        found.end = rough.end()


class _Context:
    """What every expression of one text is resolved against."""

    def __init__(
        self, text: str, published: Published | None, tokens: Tokens, anchor: dt.date | None,
    ) -> None:
        self.text = text
        self.published = published
        self.anchor = anchor
        self._tokens = tokens
        # read once per text: every bare date's tense and the vague words consult the tables
        self.cues = load_cues()

        self._starts: list[int] | None = None

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        elif callable(self._tokens):
            self._tokens = self._tokens()
        return self._tokens

    def first_token(self, after: int) -> int:
        """An index of ``tokens`` before which every token starts before ``after``: found by
        bisection when the tokens come in text order (Kiwi's do), else 0."""
        if self._starts is None:
            starts = [t.start for t in self.tokens]
            ordered = all(a <= b for a, b in pairwise(starts))
            self._starts = starts if ordered else []
        return bisect_left(self._starts, after)

    def tense(self, found: Found) -> str:
        if found.pre in PAST_PRE:
            return PAST
        if found.pre in FUTURE_PRE:
            return FUTURE
        return clause_tense(
            self.text, self.tokens, found.end, self.cues, self.first_token(found.end)
        )


def place(found: Found, ref: dt.date, tense: str) -> Placed | None:
    """``placing.place``, with dates beyond the calendar (year 1 or 9999) as unplaced."""
    try:
        return _place_unsafe(found, ref, tense)
    except (OverflowError, ValueError):
        return None


def _hull(a: Placed, b: Placed) -> tuple[dt.date, dt.date, str, bool]:
    """The smallest honest interval covering two readings, and whether it is approximate."""
    if a == b:
        return a[0], a[1], a[2], False
    start, end = min(a[0], b[0]), max(a[1], b[1])
    if start.day == 1 and (start.year, start.month) == (end.year, end.month) and (
        end.day == iv.last_day(end.year, end.month)
    ):
        return start, end, "month", False
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return start, end, "year", False
    return start, end, "range", True


def _resolve_one(found: Found, ctx: _Context) -> TimeExpr:
    """One match as a TimeExpr: placed on the calendar if the text and context allow."""
    text = ctx.text
    placed: tuple[dt.date, dt.date, str, bool] | None = None
    tense = ctx.tense(found)
    pub = ctx.published
    if found.is_absolute():
        one = place(found, dt.date(2000, 1, 1), tense)
        placed = (*one, False) if one else None
    elif ctx.anchor is not None and found.needs_anchor():
        one = place(found, ctx.anchor, tense)
        placed = (*one, False) if one else None
    elif found.discourse_only():
        placed = None
    elif pub is not None:
        if pub.precision == "month" and found.day_of_month_only():
            # the month is known: 지난 6일 in a December article is 6 December
            forward = tense == FUTURE or found.pre in FUTURE_PRE or found.pre in NEXT_PRE
            ref = pub.start if forward else pub.end
            one = place(found, ref, tense if tense in (PAST, FUTURE) else PAST)
            placed = (*one, False) if one else None
        else:
            first, last = place(found, pub.start, tense), place(found, pub.end, tense)
            if first and last:
                placed = _hull(first, last)
    expr = TimeExpr(
        start=found.start, end=found.end, text=text[found.start:found.end],
        date_start=None, date_end=None, precision="unknown", part=found.part,
        approximate=found.approximate, rule=found.rule.name,
    )
    if placed is not None:
        expr.date_start, expr.date_end, expr.precision, widened = placed
        # 3개월 전 is about three months ago (only 3일 전 is an exact day); seasons are loose
        rough = (found.kind == "ago" and expr.precision != "day") or found.kind == "season"
        expr.approximate = expr.approximate or widened or rough
    else:
        expr.rule += ":unplaced"
    future_word = found.pre in FUTURE_PRE or (found.group("yrel") in ("내년", "내후년"))
    after_publication = (
        pub is not None and expr.date_end is not None and expr.date_end > pub.end
    )
    # a present-tense predicate with a date reaching past publication reads as a plan
    # (상반기 중 설립한다); a heading without predicate (2024년 실시간 업데이트) does not
    expr.planned = future_word or tense == FUTURE or (tense == PRESENT and after_publication)
    return expr


def _local_time(text: str, expr: TimeExpr, floor: int) -> None:
    """Take in ``(현지시간)`` after the date or ``현지시간`` before it (not before ``floor``)."""
    after = LOCAL_AFTER.match(text, expr.end)
    if after:
        expr.end = after.end()
        expr.local_time = True
    before = LOCAL_BEFORE.search(text[max(floor, expr.start - 12):expr.start])
    if before:
        expr.start -= len(before.group(0))
        expr.local_time = True
    expr.text = text[expr.start:expr.end]


def _join_ranges(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """``X에서 Y까지`` and ``X~Y`` become one range; ``X부터`` and ``X까지`` open-ended."""
    out: list[TimeExpr] = []
    i = 0
    while i < len(exprs):
        a = exprs[i]
        b = exprs[i + 1] if i + 1 < len(exprs) else None
        if b is not None:
            b = _inherit_month(a, b)
            gap = RANGE_GAP.match(text[a.end:b.start])
            end_word = RANGE_END.match(text, b.end)
            ok = gap is not None and (gap.group("sym") is not None or end_word is not None)
            if ok and a.date_start and b.date_end and a.date_start <= b.date_end:
                end = end_word.end() if end_word else b.end
                out.append(TimeExpr(
                    start=a.start, end=end, text=text[a.start:end], date_start=a.date_start,
                    date_end=b.date_end, precision="range", local_time=a.local_time or b.local_time,
                    planned=a.planned or b.planned, approximate=a.approximate or b.approximate,
                    rule=f"range({a.rule},{b.rule})",
                ))
                i += 2
                continue
        _open(text, a)
        out.append(a)
        i += 1
    return out


def _inherit_month(a: TimeExpr, b: TimeExpr) -> TimeExpr:
    """A bare day ending a range takes its month from the start: ``11월 4일부터 8일까지``."""
    bare = _BARE_DAY.fullmatch(b.text)
    if not bare or a.date_end is None or a.precision != "day":
        return b
    d = int(bare.group(1))
    y, m = a.date_end.year, a.date_end.month
    if d < a.date_end.day:
        y, m = iv.add_months(y, m, 1)
    if not iv.valid_day(y, m, d):
        return b
    day = dt.date(y, m, d)
    return replace(b, date_start=day, date_end=day, precision="day", rule=b.rule + ":inherit")


def _open(text: str, expr: TimeExpr) -> None:
    if (match := OPEN_END.match(text, expr.end)) is not None:
        expr.open_end = True
    elif (match := OPEN_START.match(text, expr.end)) is not None:
        expr.open_start = True
    else:
        return
    expr.end = match.end()
    expr.text = text[expr.start:expr.end]
    expr.approximate = True


def _vague(ctx: _Context, taken: list[TimeExpr]) -> list[TimeExpr]:
    """Vague time words (``최근``, ``그간``, ``곧``) that begin and end on morpheme boundaries.

    Kiwi tags these words inconsistently (``최근`` is NNG or MAG, ``그간`` is 그 + 간), so the
    check is on boundaries: ``곧바로`` is one morpheme and does not count as ``곧``.
    """
    vague = ctx.cues.vague
    text = ctx.text
    if not any(form in text for form in vague):
        return []  # spare the tokeniser when no vague word can be there
    starts = {t.start for t in ctx.tokens}
    ends = {t.end for t in ctx.tokens}
    # the expressions taken, by start, with the furthest end so far: whether a word is free
    # of them is a bisection, not a pass over all of them
    by_start = sorted(taken, key=lambda t: t.start)
    taken_starts = [t.start for t in by_start]
    furthest = list(accumulate((t.end for t in by_start), max))
    out = []
    for form, (planned, not_next) in vague.items():
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            boundary = at in starts and end in ends and (at == 0 or not _is_hangul(text[at - 1]))
            before = bisect_left(taken_starts, end)  # the expressions starting before ``end``
            free = before == 0 or furthest[before - 1] <= at
            if boundary and free and not (
                not_next and _next_tag(ctx.tokens, end, ctx.first_token(end)) in not_next
            ):
                out.append(TimeExpr(
                    start=at, end=end, text=form, date_start=None, date_end=None,
                    precision="unknown", approximate=True, planned=planned, rule="vague",
                ))
            at = text.find(form, end)
    return out


_NOUN_PHRASE = ("NN", "SL", "SN", "SH", "XPN", "XSN", "MM", "NR", "NP")


def _next_tag(tokens: Sequence[Token], after: int, first: int = 0) -> str:
    """Tag of the first morpheme after ``after`` that is not part of a noun phrase, or END;
    the tokens before index ``first`` all start before ``after``."""
    for index in range(first, len(tokens)):
        token = tokens[index]
        if token.start >= after and not token.tag.startswith(_NOUN_PHRASE):
            return token.tag
    return "END"


def _is_hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def may_hold_date(text: str) -> bool:
    """False when ``resolve(text, ...)`` is sure to find nothing, whatever the publication
    date, tokens or anchor: no rule can begin anywhere in ``text`` (every match starts at a
    ``TRIGGER``) and no vague time word occurs in it. Most sentences of an article are so;
    a caller may skip preparing tokens for them."""
    return TRIGGER.search(text) is not None or any(form in text for form in load_cues().vague)


def resolve(
    text: str,
    published: Published | None,
    *,
    tokens: Tokens = None,
    anchor: dt.date | None = None,
) -> list[TimeExpr]:
    """The temporal expressions of ``text``, in text order, each resolved to an interval.

    ``published`` may be partial (month or year precision) or None (then only absolute
    expressions get dates); ``tokens`` are Kiwi tokens of ``text`` if the caller has them
    (or a function giving them, called only if a date's tense or a vague word needs them);
    ``anchor`` is the discourse day ``이날``/``전날``/``바로 다음 7일`` refer to.
    """
    if not may_hold_date(text):
        return []
    ctx = _Context(text, published, tokens, anchor)
    exprs: list[TimeExpr] = []
    for found in _scan(text):
        expr = _resolve_one(found, ctx)
        _local_time(text, expr, exprs[-1].end if exprs else 0)
        exprs.append(expr)
    exprs = _join_ranges(text, exprs)
    exprs.extend(_vague(ctx, exprs))
    exprs.sort(key=lambda e: (e.start, e.end))
    return exprs

