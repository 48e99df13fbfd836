"""The cache's entry format: plain JSON lists and flat number arrays, zlib-compressed; never pickle.

A cache file is data from disk: decoding it must not be able to run code, and a bad entry
must fail with ValueError/TypeError/KeyError/IndexError/zlib.error (read as a miss), not
give a wrong analysis. Lists in field order keep entries small.

An analysis entry is one zlib stream: a 4-byte little-endian length, that many bytes of
JSON (sentences, events, entities, problems, and the token table's shape), then the
article's tokens column by column (``core.token_pack``): 32-bit starts, ends and form
ends, the tag numbers, and the forms as UTF-8. Tokens are most of an analysis; as columns
they decode into a ``TokenPack`` at memory speed instead of one Python list per token.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np

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
)
from core.token_pack import TokenPack, sentences_pack, split_pack, tag_typecode

#: the JSON layout of one entry; an entry of another format is a miss
FORMAT_VERSION = 3  # 1: a JSON list per token; 2: no article key in the entry
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


def _event_out(mention: EventMention) -> list[Any]:
    values = [getattr(mention, name) for name in _EVENT_FIELDS]
    date = _EVENT_FIELDS.index("date")
    if values[date] is not None:
        values[date] = _time_out(values[date])
    return values


_intern = sys.intern
#: event fields whose few distinct values repeat in every article (one string each)
_EVENT_WORDS = ("file", "event_type", "predicate", "modality", "date_link", "camp")
_EVENT_WORD_LISTS = ("actors", "objects", "entities", "camp_evidence")


def _event_in(values: list[Any]) -> EventMention:
    fields = dict(zip(_EVENT_FIELDS, values, strict=True))
    if fields["date"] is not None:
        fields["date"] = _time_in(fields["date"])
    for name in _EVENT_WORDS:
        fields[name] = _intern(fields[name])
    for name in _EVENT_WORD_LISTS:
        fields[name] = [_intern(v) for v in fields[name]]
    return EventMention(**fields)


def _little(values: array) -> bytes:
    """An array's bytes, little-endian whatever the machine (entries stay portable)."""
    if sys.byteorder == "big" and values.itemsize > 1:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _column(data: memoryview, at: int, typecode: str, count: int) -> tuple[array, int]:
    """``count`` little-endian numbers of ``typecode`` from ``data[at:]``, and the next offset."""
    values = array(typecode)
    end = at + count * values.itemsize
    if end > len(data):
        raise ValueError("token columns cut short")
    values.frombytes(data[at:end])
    if sys.byteorder == "big" and values.itemsize > 1:
        values.byteswap()
    return values, end


def _tokens_out(pack: TokenPack) -> tuple[list[Any], bytes]:
    """The token table's shape for the JSON part, and its columns as bytes."""
    forms = pack.forms.encode("utf-8", "surrogatepass")
    shape = [len(pack), len(pack.forms), len(forms), list(pack.tag_names)]
    columns = [_little(c) for c in (pack.starts, pack.ends, pack.form_ends, pack.tags)]
    return shape, b"".join(columns) + forms


def _tokens_in(shape: list[Any], data: memoryview) -> TokenPack:
    count, chars, size, names = shape
    if not (isinstance(count, int) and count >= 0 and isinstance(names, list)):
        raise ValueError("bad token table")
    if len(names) > 65536:
        raise ValueError("bad token table")
    starts, at = _column(data, 0, "i", count)
    ends, at = _column(data, at, "i", count)
    form_ends, at = _column(data, at, "i", count + 1)
    tags, at = _column(data, at, tag_typecode(len(names)), count)
    if at + size != len(data):
        raise ValueError("token forms cut short")
    forms = str(data[at:], "utf-8", "surrogatepass")
    if len(forms) != chars:
        raise ValueError("token forms of another length")
    pack = TokenPack(forms, form_ends, tuple(_intern(str(n)) for n in names), tags, starts, ends)
    pack.check()
    return pack


def encode(analysis: ArticleAnalysis, key: str = "") -> bytes:
    """One analysis as one compressed entry (JSON lists in field order, token columns),
    holding the article ``key`` it is stored under (``decode`` checks it)."""
    sentences = analysis.sentences
    shape, columns = _tokens_out(sentences_pack(sentences))
    body = {
        "v": FORMAT_VERSION,
        "k": key,
        "s": [
            [s.index, s.text, s.start, s.end, s.clean_start, s.clean_end, len(s.tokens)]
            for s in sentences
        ],
        "t": shape,
        "m": [_event_out(e) for e in analysis.events],
        "e": [
            [e.entity_id, e.surface, e.start, e.end, e.entity_type, e.sentence_index]
            for e in analysis.entities
        ],
        "p": problems_out(analysis.problems),
    }
    # surrogatepass: a file name that is not UTF-8 keeps its escapes through the cache
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    return zlib.compress(struct.pack("<I", len(text)) + text + columns, 1)


def decode(data: bytes, key: str | None = None) -> ArticleAnalysis:
    """The analysis ``encode`` wrote; raises one of ``DECODE_ERRORS`` on a bad entry, and
    on an entry stored for another article key than ``key`` (when given).

    The sentences' tokens come back as runs of one ``TokenPack``, not as lists.
    """
    raw = memoryview(zlib.decompress(data))
    if len(raw) < 4:
        raise ValueError("entry cut short")
    (size,) = struct.unpack_from("<I", raw)
    body = _checked(json.loads(str(raw[4 : 4 + size], "utf-8", "surrogatepass")))
    if key is not None and body.get("k") != key:
        raise ValueError("entry stored for another article")
    rows = body["s"]
    pack = _tokens_in(body["t"], raw[4 + size :])
    token_runs = split_pack(pack, [row[6] for row in rows])
    sentences = [
        Sentence(i, text, s, e, cs, ce, tokens)  # type: ignore[arg-type]  # a TokenRun
        for (i, text, s, e, cs, ce, _count), tokens in zip(rows, token_runs, strict=True)
    ]
    events = [_event_in(values) for values in body["m"]]
    entities = [
        EntityMention(_intern(eid), _intern(surface), start, end, _intern(kind), index)
        for eid, surface, start, end, kind, index in body["e"]
    ]
    return ArticleAnalysis(sentences, events, entities, problems_in(body["p"]))


def _pack(body: Any) -> bytes:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _checked(body: Any) -> Any:
    if not isinstance(body, dict) or body.get("v") != FORMAT_VERSION:
        raise ValueError("entry of another format")
    return body


def _unpack(data: bytes) -> Any:
    return _checked(json.loads(zlib.decompress(data).decode("utf-8", "surrogatepass")))


def _offset_runs(offsets: Sequence[int]) -> list[int]:
    """``offsets`` as flat (clean index, source index) pairs where a run of +1 steps starts."""
    values = np.asarray(offsets, dtype=np.int64)
    if not len(values):
        return []
    starts = np.concatenate(([0], np.flatnonzero(np.diff(values) != 1) + 1))
    runs = np.empty(2 * len(starts), dtype=np.int64)
    runs[0::2], runs[1::2] = starts, values[starts]
    return [int(v) for v in runs]


def _all_offsets(described: list[tuple[Any, Any]]) -> list[array]:
    """The offsets of every (runs, length) that ``_offset_runs`` described, worked out for
    the whole corpus in one numpy step (a step per article costs more than its numbers);
    ValueError if any cannot be."""
    deltas: list[int] = []
    sizes: list[int] = []
    bounds = [0]
    for runs, length in described:
        base = bounds[-1]
        if type(length) is not int or length < 0 or not isinstance(runs, list):
            raise ValueError("bad offset runs")
        if len(runs) % 2 or (length and not runs) or any(type(v) is not int for v in runs):
            raise ValueError("bad offset runs")
        for k in range(0, len(runs), 2):
            start, value = runs[k], runs[k + 1]
            end = runs[k + 2] if k + 2 < len(runs) else length
            if (k == 0 and start != 0) or end <= start:  # from 0, strictly rising
                raise ValueError("bad offset runs")
            deltas.append(value - start - base)
            sizes.append(end - start)
        bounds.append(base + length)
    out = np.arange(bounds[-1], dtype=np.int64) + np.repeat(
        np.asarray(deltas, dtype=np.int64), np.asarray(sizes, dtype=np.int64)
    )
    if len(out) and (out.min() < 0 or out.max() >= 2**31):
        raise ValueError("offsets out of range")
    raw = memoryview(out.astype(np.int32).tobytes())
    found = []
    for lo, hi in pairwise(bounds):
        offsets = array("i")
        offsets.frombytes(raw[4 * lo : 4 * hi])
        found.append(offsets)
    return found


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
    rows = body["c"]
    offsets = _all_offsets([(runs, length) for _text, length, runs, _removals in rows])
    cleans = [
        CleanText(text, found, [Removal(*r) for r in removals])
        for (text, _length, _runs, removals), found in zip(rows, offsets, strict=True)
    ]
    for clean in cleans:
        if len(clean.offsets) != len(clean.text) + 1:
            raise ValueError("offsets do not fit the text")
    return cleans, problems_in(body["p"])
