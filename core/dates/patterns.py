"""The surface patterns of Korean news dates, and the cue tables the resolver reads.

Each rule is a named regular expression over the raw text; the resolver gives each rule's
match a meaning. Guards (look-arounds) keep durations (``3일간``, ``25년간``, ``1년 지나``),
counts, versions (``3.1``) and names (``re:Invent 2023``) from matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.resources import cached_until_user_tables_change, read_table

#: no digit, decimal point or thousands separator right before a number
_NB = r"(?<![\d.,:/\-])"
#: a day or year count followed by a duration word is not a date
_NOT_DURATION = (
    r"(?!\s*(?:간|동안|째|만에|만의|이\s*지나|가\s*지나|지나|이상|이내|가량|치|연속|걸[리린려렸릴]|소요|정도"
    r"|남짓|안팎|무료|체험|\d+\s*(?:회|번|차례|건|시간)))"
)
_YEAR_ABS = _NB + (
    r"(?P<yabs>(?:19|20)\d{2})\s*년(?!\s*(?:간|동안|대|째|만에|치|이\s*지나|가\s*지나))"
)
#: relative year words; ``올`` only as a prefix (checked by the rules that allow it)
_YEAR_REL = (
    r"(?P<yrel>올해|금년|지난\s?해|작년|재작년|내년|내후년|이듬해|같은\s?해|그해"
    r"|올(?=\s*(?:\d|상|하|초|말|연|봄|여름|가을|겨울|[1-4]\s*분기)))"
)
_YEAR = rf"(?:{_YEAR_ABS}|(?<![가-힣]){_YEAR_REL})"
_PRE = r"(?:(?<![가-힣])(?P<pre>지난|오는|다가오는|바로\s*다음|다음|올)\s*)"
_MONTH = rf"{_NB}(?P<m>1[0-2]|0?[1-9])\s*월(?!\s*(?:간|동안|요일|급|드|세))"
_DAY = rf"{_NB}(?P<d>3[01]|[12]\d|0?[1-9])\s*일(?!본|부(?!터|로)|대|원|반|환|단|치)"

#: a part of a month, year, half or decade written after it (``말``, ``초순``, ``께``)
PART = re.compile(
    r"\s*(?P<part>초순|상순|중순|하순|초반|중반|후반|말경|전후|초|중|말|께|경|쯤|무렵)"
    r"(?=$|[^가-힣]|에|부터|까지|엔|의|께|쯤|경|이|로|인|을|은|는|과|와|도|만|무렵|께|엔)"
)
#: a day may only be approximated (``7일께``), not cut into parts
DAY_APPROX = re.compile(
    r"\s*(?P<part>전후|께|경|쯤|무렵)(?=$|[^가-힣]|에|부터|까지|의|이|로|인|은|는|과|와|도)"
)

PART_MEANING: dict[str, tuple[str | None, bool]] = {
    "초순": ("early", False),
    "상순": ("early", False),
    "초반": ("early", False),
    "초": ("early", False),
    "중순": ("mid", False),
    "중반": ("mid", False),
    "하순": ("late", False),
    "후반": ("late", False),
    "말": ("late", False),
    "말경": ("late", True),
    "중": (None, False),
    "께": (None, True),
    "경": (None, True),
    "쯤": (None, True),
    "무렵": (None, True),
    "전후": (None, True),
}

#: ``(현지시간)`` after a date, or ``현지시간`` before it: the local date abroad
LOCAL_AFTER = re.compile(
    r"(?:\s*(?:오전|오후|새벽|아침|저녁|밤|낮)?\s*(?:\d{1,2}\s*시(?:\s*\d{1,2}\s*분)?)?)?\s*\(\s*(?:[가-힣]{1,6}\s*)?현지\s*시[간각]\s*(?:기준)?\s*\)")
LOCAL_BEFORE = re.compile(r"(?<![(가-힣])현지\s*시[간각]\s*(?:기준|으로)?\s*,?\s*$")
#: between the two ends of a range, and after its end
RANGE_GAP = re.compile(r"^\s*(?:(?P<word>에서|부터)|(?P<sym>[~∼〜\-–—]))\s*$")
RANGE_END = re.compile(r"\s*(?:까지|사이)")
OPEN_END = re.compile(r"\s*(?:부터|이후|이래)")
OPEN_START = re.compile(r"\s*(?:까지|이전)")


@dataclass(frozen=True)
class Rule:
    """A named surface pattern; ``kind`` tells the resolver how to read its groups."""

    name: str
    kind: str
    regex: re.Pattern[str]


def _rule(name: str, kind: str, pattern: str) -> Rule:
    return Rule(name, kind, re.compile(pattern))


RULES: tuple[Rule, ...] = (
    _rule(
        "iso_date",
        "ymd",
        rf"(?<![vV])(?<!버전)(?<!버전 ){_NB}(?P<yabs>(?:19|20)\d{{2}})\s*(?P<sep>[.\-/])\s*"
        r"(?P<m>1[0-2]|0?[1-9])\s*(?P=sep)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d]|\.\d)\.?",
    ),
    _rule("day_range", "day_range",
          rf"{_PRE}?(?:{_YEAR}\s*)?(?:{_MONTH}\s*)?{_NB}(?P<d1>3[01]|[12]\d|0?[1-9])\s*일?\s*[~∼〜\-–]\s*"
          rf"(?P<d2>3[01]|[12]\d|0?[1-9])\s*일{_NOT_DURATION}"),
    _rule("month_range", "month_range",
          rf"{_PRE}?(?:{_YEAR}\s*)?{_NB}(?P<m>1[0-2]|0?[1-9])\s*월?\s*[~∼〜\-–]\s*(?P<m2>1[0-2]|0?[1-9])\s*월"
          r"(?!\s*(?:간|동안))"),
    _rule("year_range", "year_range",
          rf"{_NB}(?P<y1>(?:19|20)\d{{2}})\s*년?\s*[~∼〜\-–]\s*(?P<yabs>(?:19|20)\d{{2}})\s*년"
          r"(?:\s*(?:간|동안))?"),
    _rule("season", "season",
          rf"(?:{_PRE}|{_YEAR}\s*)(?<![가-힣])(?P<season>봄|여름|가을|겨울)"
          r"(?=$|[^가-힣]|에|철|부터|까지|의|께|쯤|엔|을|은|이|중|무렵)"),
    _rule("month_day", "ymd", rf"{_PRE}?(?:{_YEAR}\s*)?{_MONTH}\s*{_DAY}{_NOT_DURATION}"),
    _rule("month", "ym", rf"{_PRE}?(?:{_YEAR}\s*)?{_MONTH}"),
    _rule("day", "d", rf"{_PRE}?{_DAY}{_NOT_DURATION}"),
    _rule("quarter", "quarter", rf"{_PRE}?(?:{_YEAR}\s*)?{_NB}(?P<q>[1-4])\s*분기"),
    _rule("half", "half", rf"{_PRE}?(?:{_YEAR}\s*)?(?<![가-힣])(?P<h>상|하)\s*반기"),
    _rule("decade", "decade", rf"{_NB}(?P<dec>(?:19|20)?\d)0\s*년대"),
    _rule("year_part", "year_part",
          rf"(?:{_YEAR}\s*)?(?<![가-힣])(?P<yp>연초|연말(?!정산)|연중|연내)"),
    _rule("year", "y",
          rf"(?:{_YEAR_ABS}|(?<![가-힣])(?P<yrel>올해|금년|지난\s?해|작년|재작년|내년|내후년|이듬해"
          r"|같은\s?해|그해|올(?=\s*(?:초|말))))"),
    _rule("ago", "ago",
          rf"(?:{_NB}(?:(?P<n0>\d{{1,3}})\s*[~∼〜\-]\s*)?(?P<n>\d{{1,3}})\s*(?P<unit>일|주일?|개월|달|년)|(?<![가-힣])(?P<hn>하루|이틀|사흘|나흘))"
          r"\s*(?P<dir>전|후|뒤)(?![가-힣]*(?:후|반|략|망|문|국|체|달|세|력|환|통|개))"),
    _rule("weekday", "weekday",
          r"(?<![가-힣])(?:(?P<rw>지난\s?주|이번\s?주|금주|다음\s?주|차주)\s*|(?P<pre>지난|오는|다가오는|이번)\s*)"
          r"(?P<wd>[월화수목금토일])요일"),
    _rule("rel_month_day", "rm_d",
          rf"(?<![가-힣])(?P<rm>지난\s?달|이번\s?달|이달|다음\s?달|내달)\s*{_DAY}{_NOT_DURATION}"),
    _rule("rel_month", "rel_month",
          r"(?<![가-힣])(?P<rm>지난\s?달|이번\s?달|이달|다음\s?달|내달|다다음\s?달)"),
    _rule("rel_week", "rel_week",
          r"(?<![가-힣])(?P<rw>지난\s?주|이번\s?주|금주|다음\s?주|차주|다다음\s?주)(?![가-힣]*(?:년|간|동안|째))"),
    _rule("rel_day", "rel_day",
          r"(?<![가-힣])(?P<rd>이날|그날|같은\s?날|당일|전날|전일|다음\s?날|이튿날|어제|오늘(?!날)|그제(?!서야|야)|"
          r"그저께|엊그제|내일|모레)"),
)

#: where an expression can begin: every rule starts with a number or one of these words,
#: so the rules are tried only there (scanning long lines at every position is slow)
TRIGGER = re.compile(
    r"(?<!\d)\d|지난|오는|다가오는|바로|다음|다다음|이번|올|금년|작년|재작년|내년|내후년|이듬해|그해"
    r"|이날|그날|같은|당일|전날|전일|이튿날|어제|오늘|그제|그저께|엊그제|내일|모레|이달|내달|금주|차주"
    r"|연초|연말|연중|연내|[상하]\s*반기|하루|이틀|사흘|나흘"
)

#: offsets (days) of the relative day words from their reference day
REL_DAY_OFFSET = {
    "이날": 0, "그날": 0, "같은날": 0, "당일": 0, "전날": -1, "전일": -1, "다음날": 1, "이튿날": 1,
    "어제": -1, "오늘": 0, "그제": -2, "그저께": -2, "엊그제": -2, "내일": 1, "모레": 2,
}
#: year words that only the discourse can place (no fallback to publication)
DISCOURSE_YEARS = {"이듬해", "같은해", "그해"}
#: relative day words that refer to the discourse date when the caller knows it
DISCOURSE_DAYS = {"이날", "그날", "같은날", "당일", "전날", "전일", "다음날", "이튿날"}
REL_MONTH_OFFSET = {"지난달": -1, "이번달": 0, "이달": 0, "다음달": 1, "내달": 1, "다다음달": 2}
WEEKDAYS = "월화수목금토일"  # Monday first, as datetime.weekday()
REL_WEEK_OFFSET = {"지난주": -1, "이번주": 0, "금주": 0, "다음주": 1, "차주": 1, "다다음주": 2}
#: first month and length in months of each season (winter runs into the next year)
SEASONS = {"봄": (3, 3), "여름": (6, 3), "가을": (9, 3), "겨울": (12, 3)}
HANGUL_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4}
#: the part of the year that 연초 and 연말 name by themselves (연중, 연내: the whole year)
YEAR_PART_WORDS = {"연초": "early", "연말": "late"}
REL_YEAR_OFFSET = {
    "올해": 0, "금년": 0, "올": 0, "지난해": -1, "작년": -1, "재작년": -2, "내년": 1, "내후년": 2,
    "이듬해": 1, "같은해": 0, "그해": 0,
}


_SPACES = re.compile(r"\s+")


def squash(word: str) -> str:
    """A relative word without inner spaces (``지난 달`` -> ``지난달``)."""
    return _SPACES.sub("", word)


@dataclass(frozen=True)
class Cues:
    """The tense cues and vague words, from ``resources/date_*.tsv``."""

    tense: dict[tuple[str, str], str]  # (form, tag) -> past | future
    vague: dict[str, tuple[bool, frozenset[str]]]  # form -> (planned, not_when_next tags)


@cached_until_user_tables_change("date_tense_cues.tsv", "date_vague.tsv")
def load_cues() -> Cues:
    """Read the cue tables (a user's rows extend the bundled ones); again when they change."""
    tense: dict[tuple[str, str], str] = {}
    for row in read_table("date_tense_cues.tsv"):
        for tag in (row.get("tags") or "").split(","):
            if row.get("form") and tag.strip() and row.get("kind") in ("past", "future"):
                tense[(row["form"], tag.strip())] = row["kind"]
    vague: dict[str, tuple[bool, frozenset[str]]] = {}
    for row in read_table("date_vague.tsv"):
        if row.get("form"):
            planned = (row.get("planned") or "0").strip() == "1"
            not_next = frozenset(
                t.strip() for t in (row.get("not_when_next") or "").split(",") if t.strip()
            )
            vague[row["form"]] = (planned, not_next)
    return Cues(tense, vague)
