"""The cache's entry format: plain JSON lists, zlib-compressed; never pickle.

A cache file is data from disk: decoding it must not be able to run code, and a bad entry
must fail with ValueError/TypeError/KeyError/IndexError/zlib.error (read as a miss), not
give a wrong analysis. Lists in field order keep entries small.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from core.analyse import ArticleAnalysis
from core.model import (
    CleanText,
    EntityMention,
    EventMention,
    Problem,
    Removal,
    Sentence,
    Severity,
    TimeExpr,
    Token,
)

#: the JSON layout of one entry; an entry of another format is a miss
FORMAT_VERSION = 1
#: errors that mean "this entry is not readable"
DECODE_ERRORS = (ValueError, TypeError, KeyError, IndexError, zlib.error)


_TIME_FIELDS = (
    "start", "end", "text", "date_start", "date_end", "precision", "part", "local_time",
    "planned", "approximate", "open_start", "open_end", "rule",
)  # fmt: skip
_EVENT_FIELDS = (
    "file", "sentence_index", "sentence", "char_start", "char_end", "event_type", "predicate",
    "trigger_start", "trigger_end", "actors", "objects", "entities", "modality", "date",
    "date_link", "camp", "camp_evidence", "title", "confidence",
)  # fmt: skip


def _time_out(expr: TimeExpr) -> list[Any]:
    values = [getattr(expr, name) for name in _TIME_FIELDS]
    for i in (3, 4):
        values[i] = values[i].isoformat() if values[i] is not None else None
    return values


def _time_in(values: list[Any]) -> TimeExpr:
    fields = dict(zip(_TIME_FIELDS, values, strict=True))
    for name in ("date_start", "date_end"):
        fields[name] = dt.date.fromisoformat(fields[name]) if fields[name] else None
    return TimeExpr(**fields)


def problems_out(problems: list[Problem]) -> list[list[str]]:
    """Problems as JSON-ready rows (file, reason, severity)."""
    return [[p.file, p.reason, p.severity.value] for p in problems]


def problems_in(rows: list[Any]) -> list[Problem]:
    """The problems ``problems_out`` wrote; raises ValueError/TypeError on a bad row."""
    return [Problem(f, r, Severity(s)) for f, r, s in rows]


def _sentence_out(s: Sentence) -> list[Any]:
    tokens = [[t.form, t.tag, t.start, t.end] for t in s.tokens]
    return [s.index, s.text, s.start, s.end, s.clean_start, s.clean_end, tokens]


def _event_out(mention: EventMention) -> list[Any]:
    values = [getattr(mention, name) for name in _EVENT_FIELDS]
    date = _EVENT_FIELDS.index("date")
    if values[date] is not None:
        values[date] = _time_out(values[date])
    return values


def encode(analysis: ArticleAnalysis) -> bytes:
    """One analysis as compressed JSON (lists in field order, no pickle)."""
    body = {
        "v": FORMAT_VERSION,
        "s": [_sentence_out(s) for s in analysis.sentences],
        "m": [_event_out(e) for e in analysis.events],
        "e": [
            [e.entity_id, e.surface, e.start, e.end, e.entity_type, e.sentence_index]
            for e in analysis.entities
        ],
        "p": problems_out(analysis.problems),
    }
    return _pack(body)


def decode(data: bytes) -> ArticleAnalysis:
    """The analysis ``encode`` wrote; raises ValueError/TypeError/KeyError on a bad entry."""
    body = _unpack(data)
    sentences = [
        Sentence(i, text, s, e, cs, ce, [Token(*t) for t in tokens])
        for i, text, s, e, cs, ce, tokens in body["s"]
    ]
    events = []
    for values in body["m"]:
        fields = dict(zip(_EVENT_FIELDS, values, strict=True))
        if fields["date"] is not None:
            fields["date"] = _time_in(fields["date"])
        events.append(EventMention(**fields))
    entities = [EntityMention(*values) for values in body["e"]]
    return ArticleAnalysis(sentences, events, entities, problems_in(body["p"]))


def _pack(body: Any) -> bytes:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 1)


def _unpack(data: bytes) -> Any:
    body = json.loads(zlib.decompress(data).decode("utf-8"))
    if not isinstance(body, dict) or body.get("v") != FORMAT_VERSION:
        raise ValueError("entry of another format")
    return body


def _offset_runs(offsets: list[int]) -> list[int]:
    """``offsets`` as flat (clean index, source index) pairs where a run of +1 steps starts."""
    runs: list[int] = []
    previous = None
    for index, value in enumerate(offsets):
        if previous is None or value != previous + 1:
            runs += (index, value)
        previous = value
    return runs


def _offsets(runs: list[int], length: int) -> list[int]:
    out: list[int] = []
    starts = runs[0::2]
    values = runs[1::2]
    for k, (start, value) in enumerate(zip(starts, values, strict=True)):
        end = starts[k + 1] if k + 1 < len(starts) else length
        if start != len(out) or end <= start:
            raise ValueError("bad offset runs")
        out.extend(range(value, value + end - start))
    return out


def _clean_out(clean: CleanText) -> list[Any]:
    removals = [[r.start, r.end, r.rule, r.kind] for r in clean.removals]
    return [clean.text, len(clean.offsets), _offset_runs(clean.offsets), removals]


def encode_cleaning(cleans: list[CleanText], problems: list[Problem]) -> bytes:
    """A corpus's cleaned texts (in article order) and the problems cleaning reported."""
    return _pack(
        {
            "v": FORMAT_VERSION,
            "c": [_clean_out(c) for c in cleans],
            "p": problems_out(problems),
        }
    )


def decode_cleaning(data: bytes) -> tuple[list[CleanText], list[Problem]]:
    """What ``encode_cleaning`` wrote; raises one of ``DECODE_ERRORS`` on a bad entry."""
    body = _unpack(data)
    cleans = [
        CleanText(text, _offsets(runs, length), [Removal(*r) for r in removals])
        for text, length, runs, removals in body["c"]
    ]
    for clean in cleans:
        if len(clean.offsets) != len(clean.text) + 1:
            raise ValueError("offsets do not fit the text")
    return cleans, problems_in(body["p"])
