"""The data every pipeline stage passes on: articles, their cleaned text, sentences, problems.

Offsets are Python string indices (code points) into ``Article.source_text``, the decoded
NFC text of the file, unless a name says ``clean_``. Every stage keeps them, so a viewer
or an export can always point back at the exact characters an item came from.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class DateSource(str, Enum):
    """Where an article's publication date came from."""

    MANIFEST = "manifest"
    DATELINE = "dateline"
    UNKNOWN = "unknown"


#: precisions a publication date can have, coarsest last
PUBLISHED_PRECISIONS = ("minute", "day", "month", "year")


@dataclass(frozen=True)
class Published:
    """A publication date that may be known only to the month or the year.

    ``start``..``end`` is the inclusive interval of days the article may have appeared on;
    a day-precision date has ``start == end``. ``time`` is set only when the source
    gave one (``2023-05-20T18:00``). Dates are in Korea time unless ``utc_offset`` says
    otherwise.
    """

    start: dt.date
    end: dt.date
    precision: str  # one of PUBLISHED_PRECISIONS
    source: DateSource
    text: str = ""  # as written in the manifest or the dateline
    time: dt.time | None = None
    utc_offset: dt.timedelta | None = None

    def iso(self) -> str:
        """The date as the contract writes it, no more precise than known."""
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.time is not None:
            return f"{self.start.isoformat()}T{self.time.strftime('%H:%M')}"
        return self.start.isoformat()


class Severity(str, Enum):
    ERROR = "error"  # the file could not be used
    WARNING = "warning"  # the file loaded, but something in or about it is off
    NOTE = "note"  # a decision worth knowing (e.g. manifest date preferred to dateline)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file, reported to the user with the file and reason."""

    file: str
    reason: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class Removal:
    """A span of the source text that cleaning removed, and why."""

    start: int
    end: int
    rule: str  # name of the pattern or detector that fired
    kind: str  # "line" (whole line) or "fragment" (inside a line)


@dataclass
class CleanText:
    """An article's text with boilerplate removed, and the way back to the source.

    ``offsets[i]`` is the source index of clean character ``i``; ``offsets`` has one more
    entry than ``text`` (the source index just past the last kept character), so a clean
    span ``[a, b)`` maps to the source span ``[offsets[a], offsets[b - 1] + 1)``.

    ``offsets`` is kept as an ``array('i')`` whatever sequence it is given as: one 4-byte
    number per character instead of a list of Python ints (about 36 bytes per character,
    half a gigabyte for a 10k-article corpus). It indexes, slices, bisects and compares
    with another array like the list did; to compare with a list, ``list(offsets)``.
    """

    text: str
    offsets: Sequence[int]
    removals: list[Removal] = field(default_factory=list)

    def __post_init__(self) -> None:
        offsets = self.offsets
        if not (isinstance(offsets, array) and offsets.typecode == "i"):
            self.offsets = array("i", offsets)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty clean span to the source span that covers it."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True, slots=True)
class Token:
    """A Kiwi morpheme with its offsets in the source text."""

    form: str
    tag: str
    start: int
    end: int


@dataclass
class Sentence:
    """One sentence of an article's cleaned text.

    ``text`` is the cleaned sentence; ``start``/``end`` are the source span that covers
    it (which includes any removed fragment spliced into it); ``clean_start``/``clean_end``
    index ``CleanText.text``.
    """

    index: int
    text: str
    start: int
    end: int
    clean_start: int
    clean_end: int
    #: a list while the sentence is being analysed; after the pipeline (and from the
    #: cache), a read-only ``core.token_pack.TokenRun`` of the same tokens, stored
    #: compactly. Read it as a sequence, never append to it.
    tokens: Sequence[Token] = field(default_factory=list)


@dataclass
class Article:
    """One article file of a corpus, from raw bytes to sentences."""

    file: str  # path relative to the corpus folder, with forward slashes
    path: Path
    source_text: str  # decoded, NFC
    encoding: str
    title: str = ""
    title_source: str = "unknown"  # manifest | text | unknown
    publisher: str = ""
    url: str = ""
    published: Published | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    clean: CleanText | None = None
    sentences: list[Sentence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def published_source(self) -> DateSource:
        return self.published.source if self.published else DateSource.UNKNOWN


@dataclass
class Corpus:
    """The articles of a folder and the problems met while reading it."""

    root: Path
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # corpus-level and unreadable files

    def all_problems(self) -> list[Problem]:
        """Corpus-level problems, then each article's, in file order."""
        out = list(self.problems)
        for article in self.articles:
            out.extend(article.problems)
        return out


class Cancelled(Exception):
    """Raised inside a pipeline run when its ``cancelled`` callable answers True."""


@dataclass
class TimeExpr:
    """A temporal expression found in a text and resolved against a publication date.

    ``start``/``end`` index the text given to the resolver. ``date_start``/``date_end``
    are inclusive and ``None`` when the expression cannot be placed (vague words, an
    unknown publication date for a relative expression). ``precision`` is one of the
    contract's: day, week, month, quarter, half, year, decade, range, unknown.
    """

    start: int
    end: int
    text: str
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    part: str | None = None  # early | mid | late, for 초/중순/말 ...
    local_time: bool = False  # (현지시간): the local date abroad, may differ from Korea's by a day
    planned: bool = False  # future or planned (오는, 예정, -ㄹ 계획)
    approximate: bool = False  # 최근, 께, 경 ...; or an open-ended range
    open_start: bool = False  # range with no known start
    open_end: bool = False  # range with no known end (지난 8월부터)
    rule: str = ""  # the rule that fired, for debugging

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "date_start": self.date_start.isoformat() if self.date_start else "",
            "date_end": self.date_end.isoformat() if self.date_end else "",
            "precision": self.precision,
            "part": self.part or "",
            "local_time": self.local_time,
            "planned": self.planned,
            "approximate": self.approximate,
            "open_start": self.open_start,
            "open_end": self.open_end,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A lexicon entity (or an unlinked proper-noun candidate) found in a sentence.

    ``start``/``end`` are source-text offsets of the alias as written (particles excluded);
    ``entity_id`` is the canonical name, or ``""`` for an unlinked candidate.
    """

    entity_id: str
    surface: str
    start: int
    end: int
    entity_type: str = ""
    sentence_index: int = -1


@dataclass
class EventMention:
    """One event as one sentence of one article reports it, with its evidence.

    ``char_start``/``char_end`` are the sentence's offsets in the article's source text,
    so ``source_text[char_start:char_end] == sentence``; ``trigger_start``/``trigger_end``
    locate the predicate that fired.
    """

    file: str
    sentence_index: int
    sentence: str
    char_start: int
    char_end: int
    event_type: str  # release, open_release, partnership, alliance, announcement, ...
    predicate: str  # lemma of the trigger, e.g. 공개하다
    trigger_start: int
    trigger_end: int
    actors: list[str] = field(default_factory=list)  # entity ids
    objects: list[str] = field(default_factory=list)  # entity ids
    entities: list[str] = field(default_factory=list)  # every entity id in the sentence
    modality: str = "happened"  # happened | planned | reported | negated
    date: TimeExpr | None = None  # the governing temporal expression (offsets in source)
    date_link: str = ""  # how the date was chosen: clause, sentence, discourse, none
    camp: str = "neutral"  # open | closed | neutral | crossover | unknown
    camp_evidence: list[str] = field(default_factory=list)
    title: str = ""
    confidence: float = 0.5


@dataclass
class Event:
    """A real-world event, merged from the mentions of one or more articles."""

    event_id: str
    mentions: list[EventMention]
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str
    date_text: str
    title: str
    event_type: str
    camp: str
    actors: list[str]
    entities: list[str]
    confidence: float
    notes: list[str] = field(default_factory=list)  # e.g. sources disagreeing on the date

    @property
    def primary(self) -> EventMention:
        return self.mentions[0]

    @property
    def sources(self) -> list[str]:
        seen: list[str] = []
        for mention in self.mentions:
            if mention.file not in seen:
                seen.append(mention.file)
        return seen
