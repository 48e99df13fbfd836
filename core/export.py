"""The timeline as files: the contract's CSV (section 4) and its JSON twin.

Both are written atomically (``core.atomic``): a failed export leaves no partial file and
keeps the previous one. The CSV is UTF-8 with a BOM so spreadsheet programs read Hangul;
list cells are ``;``-separated, as the events frame already holds them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from core.atomic import ExportError, atomic_open

if TYPE_CHECKING:
    from core.timeline import Timeline

__all__ = [
    "CONTRACT_COLUMNS",
    "EXTRA_COLUMNS",
    "LIST_COLUMNS",
    "REVIEW_COLUMNS",
    "ExportError",
    "write_csv",
    "write_json",
]

#: the columns the contract promises, in the order we write them
CONTRACT_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "precision",
    "date_text",
    "title",
    "event_type",
    "camp",
    "actors",
    "entities",
    "sources",
    "sentence",
    "char_start",
    "char_end",
    "confidence",
)
#: compatible extensions, written after the contract's columns
EXTRA_COLUMNS = (
    "modality",
    "camp_evidence",
    "notes",
    "planned",
    "approximate",
    "local_time",
    "mention_count",
)
#: the analyst's review (``core.review``), written after the others when the frame has them
REVIEW_COLUMNS = ("review", "starred", "tags", "note", "edited")
#: frame columns holding ``;``-separated lists (split into arrays in the JSON)
LIST_COLUMNS = ("actors", "entities", "sources", "camp_evidence", "tags", "edited")
#: the machine's values of the fields the analyst corrected (a dict per event, JSON only)
ORIGINAL_COLUMN = "original"
#: ``notes`` are sentences that may contain ``;``, so they are joined with this instead
NOTES_SEPARATOR = " | "


def _event_columns(events: pd.DataFrame) -> list[str]:
    missing = [c for c in CONTRACT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events frame lacks contract columns: {', '.join(missing)}")
    extra = [c for c in EXTRA_COLUMNS if c in events.columns]
    return list(CONTRACT_COLUMNS) + extra + [c for c in REVIEW_COLUMNS if c in events.columns]


def write_csv(timeline: Timeline, path: Path | str) -> None:
    """Write the events as the contract's CSV; raises ``ExportError`` naming the file."""
    events = timeline.events
    columns = _event_columns(events)

    frame = events[columns].copy()
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            frame[name] = frame[name].map(_csv_cell)
    with atomic_open(path, encoding="utf-8") as stream:
        stream.write("\ufeff")  # the BOM: Excel reads UTF-8 Hangul only with it
        frame.to_csv(stream, index=False, lineterminator="\n")


#: what a spreadsheet reads as the start of a formula (OWASP's CSV injection list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A text cell as the CSV writes it: a leading ``'`` when it would start a formula, so
    a spreadsheet shows the text instead of running it (the JSON keeps the text raw)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A frame cell as a JSON value (numpy scalars and NaN are not JSON)."""
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _split(cell: Any, separator: str = ";") -> list[str]:
    if not isinstance(cell, str) or not cell:
        return []
    return [part for part in cell.split(separator) if part]


def _records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    columns = list(frame.columns) if columns is None else columns
    out = []
    for row in frame[columns].itertuples(index=False, name=None):
        out.append({name: _plain(value) for name, value in zip(columns, row, strict=True)})
    return out


def timeline_document(timeline: Timeline) -> dict[str, Any]:
    """The JSON export as a Python object: events (lists as arrays), the negated mentions
    apart from them (``공개하지 않았다``: no event, but what the text says), articles, entities."""
    events = timeline.events
    columns = _event_columns(events)
    records = _records(events, columns)
    for record in records:
        for name in LIST_COLUMNS:
            if name in record:
                record[name] = _split(record[name])
        if "notes" in record:
            record["notes"] = _split(record["notes"], NOTES_SEPARATOR)
    if ORIGINAL_COLUMN in events.columns:
        for record, original in zip(records, events[ORIGINAL_COLUMN], strict=True):
            record["original"] = dict(original) if isinstance(original, dict) else {}
    mentions = timeline.mentions
    if len(mentions) and "event_id" in mentions.columns:
        by_event: dict[str, list[dict[str, Any]]] = {}
        for mention in _records(mentions):
            by_event.setdefault(str(mention["event_id"]), []).append(mention)
        for record in records:
            record["mentions"] = by_event.get(str(record["event_id"]), [])
    negated = _records(timeline.negated)
    for record in negated:
        for name in ("actors", "objects", "entities", "camp_evidence"):
            record[name] = _split(record.get(name))
    return {
        "format": "camp-timeline",
        "version": 1,
        "events": records,
        "negated_mentions": negated,
        "articles": _records(timeline.articles),
        "entities": _records(timeline.entities),
    }


def write_json(timeline: Timeline, path: Path | str) -> None:
    """Write events, articles and entities as one UTF-8 JSON document, atomically."""
    document = timeline_document(timeline)
    with atomic_open(path, encoding="utf-8") as stream:
        stream.write(_one_record_per_line(document))


def _one_record_per_line(document: dict[str, Any]) -> str:
    """JSON with each event, article and entity on a line of its own.

    Readable and diffable like an indented dump, but every record goes through the fast
    C encoder (``indent`` would switch the whole dump to the pure-Python one).
    """
    parts = []
    for key, value in document.items():
        name = json.dumps(key)
        if isinstance(value, list):
            items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{name}: [\n  {items}\n]" if value else f"{name}: []")
        else:
            parts.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
