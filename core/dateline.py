"""Finding an article's publication dateline in its text (``입력 2024.08.12 오전 9:30``).

A dateline is a short line near the top or the bottom of an article that is mostly a
date: ``2023. 5. 20. 18:00`` after the author's name, ``2024.04.19 08:52``, ``입력
2024-08-12``, ``기사입력 2024.08.12. 오후 3:05``. A date inside a body sentence (a long
line, or one that ends like a sentence) is never taken for one. A line may carry several
dates (``입력 ... 수정 ...``): labels that mean first publication win over unlabelled
dates, which win over revision dates (``수정``). The labels are a resource table
(``resources/dateline_labels.tsv``) a user can extend.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.model import DateSource, Published
from core.resources import cached_until_user_tables_change, read_table

#: how many non-empty lines at the top and at the bottom may hold a dateline
HEAD_LINES = 12
TAIL_LINES = 8
#: a dateline is short; a longer line is body text even when it holds a date
MAX_LINE_CHARS = 100
#: what may stand on an unlabelled dateline besides the date: an author's name and 기자,
#: a publisher's name; more words than that make it a line of text
MAX_UNLABELLED_REST = 20
MAX_UNLABELLED_WORDS = 3

_DATE = (
    r"(?<!\d)(?:"
    r"(?P<y>(?:19|20)\d{2})\s*(?P<sep>[.\-/])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})\.?"
    r"|(?P<ky>(?:19|20)\d{2})\s*년\s*(?P<km>\d{1,2})\s*월\s*(?P<kd>\d{1,2})\s*일"
    r")(?!\d)"
)
_WEEKDAY = r"(?:\s*\(\s*[월화수목금토일]\s*\))?"
_TIME = (
    r"(?:\s*(?P<ampm>오전|오후|AM|PM|am|pm)?\s*(?<!\d)(?P<H>\d{1,2})\s*:\s*(?P<M>\d{2})"
    r"(?::\d{2})?(?!\d))?"
)
#: a body sentence's end: 다. 요. 죠. (니다. included), possibly inside closing quotes
_SENTENCE_END = re.compile(r"[다요죠][.!?。]+['\"”’」』)\]]*\s*$")


def ends_like_sentence(line: str) -> bool:
    """True when a line ends the way a body sentence does (``...했다.``, ``...입니다.``)."""
    return bool(_SENTENCE_END.search(line))


@dataclass(frozen=True)
class Dateline:
    """A dateline found in a text: the date it gives and where it stands."""

    published: Published  # source DATELINE; text is the dateline as written
    start: int  # span of label + date + time in the text
    end: int
    label: str  # "" when unlabelled
    kind: str  # published | modified | unlabelled

    @property
    def span(self) -> str:
        """The span as ``article.metadata["dateline_span"]`` stores it."""
        return f"{self.start}:{self.end}"


class DatelineFinder:
    """Finds datelines with a set of labels (by default the resource table's)."""

    def __init__(self, labels: dict[str, str] | None = None) -> None:
        if labels is None:
            labels = load_labels()
        self.labels = labels
        alternatives = sorted(labels, key=len, reverse=True)  # 기사입력 before 입력
        label_re = "|".join(re.escape(label) for label in alternatives) or r"(?!x)x"
        self._pattern = re.compile(
            rf"(?:(?P<label>{label_re})\s*[:：]?\s*)?{_DATE}{_WEEKDAY}{_TIME}"
        )

    def find(self, text: str) -> Dateline | None:
        """The article's dateline, or None when no line looks like one."""
        candidates: list[tuple[int, int, Dateline]] = []
        lines = _candidate_lines(text)
        for order, (line_start, line) in enumerate(lines):
            for dateline in self.in_line(line, line_start):
                rank = {"published": 0, "unlabelled": 1, "modified": 2}[dateline.kind]
                candidates.append((rank, order, dateline))
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c[0], c[1], c[2].start))[2]

    def in_line(self, line: str, line_start: int = 0) -> list[Dateline]:
        """Every dateline a single line holds (offsets shifted by ``line_start``)."""
        stripped = line.strip()
        if not stripped or len(stripped) > MAX_LINE_CHARS or ends_like_sentence(stripped):
            return []
        matches = list(self._pattern.finditer(line))
        if not matches:
            return []
        rest = line
        for m in reversed(matches):
            rest = rest[: m.start()] + rest[m.end() :]
        rest_chars = len(re.sub(r"\s+", "", rest))
        rest_words = len(re.findall(r"\w+", rest))
        name_only = rest_chars <= MAX_UNLABELLED_REST and rest_words <= MAX_UNLABELLED_WORDS
        found = []
        for m in matches:
            label = m["label"] or ""
            if not label and not name_only:
                continue
            published = _published(m)
            if published is None:
                continue
            kind = self.labels.get(label, "unlabelled") if label else "unlabelled"
            found.append(
                Dateline(published, line_start + m.start(), line_start + m.end(), label, kind)
            )
        return found


def load_labels() -> dict[str, str]:
    """Label -> kind (``published`` or ``modified``) from ``dateline_labels.tsv``."""
    labels: dict[str, str] = {}
    for row in read_table("dateline_labels.tsv"):
        label = row.get("label", "").strip()
        kind = row.get("kind", "").strip()
        if label and kind in ("published", "modified"):
            labels[label] = kind
    return labels


@cached_until_user_tables_change("dateline_labels.tsv")
def default_finder() -> DatelineFinder:
    """The finder with the resource table's labels, made once per version of the table."""
    return DatelineFinder()


def find_dateline(text: str, finder: DatelineFinder | None = None) -> Dateline | None:
    """The dateline of a text (see ``DatelineFinder``; by default the table's labels)."""
    return (finder or default_finder()).find(text)


def _candidate_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the first and last non-empty lines, top first, each once."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line))
        pos += len(line) + 1
    if len(lines) <= HEAD_LINES + TAIL_LINES:
        return lines
    return lines[:HEAD_LINES] + lines[-TAIL_LINES:]


def _published(m: re.Match[str]) -> Published | None:
    year, month, day = (m["y"], m["m"], m["d"]) if m["y"] else (m["ky"], m["km"], m["kd"])
    try:
        date = dt.date(int(year), int(month), int(day))
        time = None
        if m["H"] is not None:
            hour = int(m["H"])
            ampm = (m["ampm"] or "").lower()
            if ampm in ("오후", "pm") and hour < 12:
                hour += 12
            elif ampm in ("오전", "am") and hour == 12:
                hour = 0
            time = dt.time(hour, int(m["M"]))
    except ValueError:  # 2024.13.45 or 25:70 is not a dateline
        return None
    precision = "minute" if time else "day"
    return Published(date, date, precision, DateSource.DATELINE, m.group(0).strip(), time)
