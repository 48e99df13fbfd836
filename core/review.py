"""The analyst's review laid over the machine's timeline (no Qt).

A review is a set of annotations, each ``(kind, key) -> data``:

- ``event``: accept/reject, star, tags, note and corrections of one event; ``key`` is the
  event's provenance (``event_keys``: primary article, sentence span, event type, object),
  never a row number or an id a rebuild may change;
- ``added``: an event the analyst added from a sentence (``key`` starts ``added|``);
- ``merge``: the event ``key`` merged into the event ``data["into"]``;
- ``split``: the mention ``key`` split out of the event ``data["from"]`` into its own event
  (after the merges, so a mention merged in can be split out again);
- ``entity``: this corpus's edits of one entity (camp, a discovered name linked to a known
  entity), applied here, never written into the user's tables;
- ``view``: a saved view (filters, search, visible range); it changes no event.

``apply_review`` is the one way a review reaches a timeline: the window and ``build``
both call it on the timeline the extraction made. An annotation whose provenance no longer
matches (an edited article, a changed pipeline) is listed as orphaned with its text; it
stays in the review and attaches again if its event comes back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from core.camps import CAMPS
from core.export import ORIGINAL_COLUMN, REVIEW_COLUMNS  # noqa: F401 (read from here too)
from core.model import Corpus, Problem
from core.predicates import EVENT_TYPES
from core.review_store import ReviewStore, review_path
from core.timeline import Timeline

EVENT = "event"
ADDED = "added"
MERGE = "merge"
SPLIT = "split"
ENTITY = "entity"
VIEW = "view"
#: the kinds that change the timeline (``view`` is kept beside them)
TIMELINE_KINDS = (EVENT, ADDED, MERGE, SPLIT, ENTITY)

ACCEPTED = "accepted"
REJECTED = "rejected"
UNREVIEWED = "unreviewed"
#: the fields an analyst may correct, in the order ``edited`` names them
EDITABLE = ("date_start", "date_end", "precision", "title", "event_type", "camp", "actors")
DATE_PRECISIONS = (
    "day", "week", "month", "quarter", "half", "year", "decade", "range", "unknown",
)  # fmt: skip
#: frame columns only the window reads: the provenance key and the machine's originals
KEY_COLUMN = "review_key"

Annotations = dict[tuple[str, str], dict[str, Any]]


class ReviewError(ValueError):
    """An edit that cannot be accepted; the message says why (shown in the editor)."""


@dataclass(frozen=True)
class Orphan:
    """An annotation whose event is not in this timeline, with the text it was made on."""

    kind: str
    key: str
    label: str


@dataclass
class Reviewed:
    """A timeline with a review applied, how many annotations attached, and the orphans."""

    timeline: Timeline
    applied: int = 0
    orphans: list[Orphan] = field(default_factory=list)


# -- provenance keys ------------------------------------------------------------------------


def provenance_key(file: str, start: int, end: int, event_type: str, obj: str) -> str:
    return f"{file}|{int(start)}|{int(end)}|{event_type}|{obj}"


def _first(cell: object) -> str:
    return cell.split(";", 1)[0] if isinstance(cell, str) and cell else ""


def event_keys(timeline: Timeline) -> list[str]:
    """Each event's provenance key, in the events frame's order."""
    events, mentions = timeline.events, timeline.mentions
    if not len(events):
        return []
    objects: dict[str, str] = {}
    if len(mentions) and "objects" in mentions.columns:
        primary = mentions[mentions["primary"].astype(bool)]
        objects = dict(
            zip(
                primary["event_id"].astype(str),
                (_first(o) for o in primary["objects"]),
                strict=True,
            )
        )
    return [
        provenance_key(_first(sources), start, end, event_type, objects.get(str(event_id), ""))
        for event_id, sources, start, end, event_type in zip(
            events["event_id"], events["sources"], events["char_start"], events["char_end"],
            events["event_type"], strict=True,
        )
    ]  # fmt: skip


def mention_key(row: Mapping[str, Any]) -> str:
    """The provenance key of one mention row (an event's key is its primary mention's)."""
    return provenance_key(
        str(row["file"]), row["char_start"], row["char_end"], str(row["event_type"]),
        _first(row.get("objects")),
    )  # fmt: skip


def _short_id(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def event_label(row: Mapping[str, Any]) -> str:
    """The text an orphaned annotation is listed with: the title and the sentence."""
    title = str(row.get("title") or "")
    sentence = str(row.get("sentence") or "")
    return f"{title} — {sentence}" if title and sentence else title or sentence


# -- corrections ----------------------------------------------------------------------------


def _partial(text: str, last: bool) -> tuple[dt.date, str]:
    """A partial ISO date (``2024``, ``2024-08``, ``2024-08-07``) as its first or last day."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(parts) == 1 and len(parts[0]) == 4:
            return (dt.date(numbers[0], 12, 31) if last else dt.date(numbers[0], 1, 1)), "year"
        if len(parts) == 2 and len(parts[0]) == 4:
            year, month = numbers
            day = calendar.monthrange(year, month)[1] if last else 1
            return dt.date(year, month, day), "month"
        if len(parts) == 3 and len(parts[0]) == 4:
            return dt.date(*numbers), "day"
    except (ValueError, TypeError):
        pass
    raise ReviewError(f"날짜를 읽을 수 없습니다: {text!r} (예: 2024, 2024-08, 2024-08-07)")


def normalise_date(start: str, end: str = "", precision: str = "") -> dict[str, str]:
    """``date_start``, ``date_end`` and ``precision`` from an analyst's (partial) dates.

    A partial start means its first day, a partial end its last (``2024-08`` alone is the
    whole month); the precision is the dates' own unless given. An empty start is undated.
    """
    start, end, precision = start.strip(), end.strip(), precision.strip()
    if precision and precision not in DATE_PRECISIONS:
        raise ReviewError(f"알 수 없는 정밀도: {precision} ({', '.join(DATE_PRECISIONS)})")
    if not start:
        if end:
            raise ReviewError("끝 날짜만 있고 시작 날짜가 없습니다")
        return {"date_start": "", "date_end": "", "precision": "unknown"}
    first, start_precision = _partial(start, last=False)
    last, _ = _partial(end or start, last=True)
    if last < first:
        raise ReviewError(f"끝 날짜({last})가 시작 날짜({first})보다 앞섭니다")
    if not precision:
        precision = start_precision if not end or end == start else "range"
    return {"date_start": first.isoformat(), "date_end": last.isoformat(), "precision": precision}


def validate_edits(edits: Mapping[str, Any]) -> dict[str, str]:
    """``edits`` checked and put in the frame's form; ``ReviewError`` says what is wrong."""
    out: dict[str, str] = {}
    unknown = [name for name in edits if name not in EDITABLE]
    if unknown:
        raise ReviewError(f"고칠 수 없는 항목: {', '.join(unknown)}")
    if {"date_start", "date_end", "precision"} & set(edits):
        out.update(
            normalise_date(
                str(edits.get("date_start", "")),
                str(edits.get("date_end", "")),
                str(edits.get("precision", "")),
            )
        )
    if "title" in edits:
        title = str(edits["title"]).strip()
        if not title:
            raise ReviewError("제목이 비어 있습니다")
        out["title"] = title
    if "event_type" in edits:
        if edits["event_type"] not in EVENT_TYPES:
            raise ReviewError(f"알 수 없는 사건 유형: {edits['event_type']}")
        out["event_type"] = str(edits["event_type"])
    if "camp" in edits:
        if edits["camp"] not in CAMPS:
            raise ReviewError(f"알 수 없는 진영: {edits['camp']} ({', '.join(CAMPS)})")
        out["camp"] = str(edits["camp"])
    if "actors" in edits:
        cell = edits["actors"]
        names = cell if isinstance(cell, (list, tuple)) else str(cell).replace(",", ";").split(";")
        out["actors"] = ";".join(n.strip() for n in names if n.strip())
    return out


def added_event(
    file: str,
    start: int,
    end: int,
    sentence: str,
    title: str,
    event_type: str = "other",
    camp: str = "neutral",
    date: Mapping[str, str] | None = None,
    actors: str = "",
) -> tuple[str, dict[str, Any]]:
    """The ``added`` annotation ``(key, data)`` of an event the analyst adds by hand."""
    checked = validate_edits(
        {"title": title, "event_type": event_type, "camp": camp, "actors": actors, **(date or {})}
    )
    data = {"file": file, "char_start": int(start), "char_end": int(end), "sentence": sentence}
    data.update(checked)
    data["label"] = event_label(data)
    return f"added|{provenance_key(file, start, end, checked['event_type'], '')}", data


# -- applying -------------------------------------------------------------------------------


def _split_cell(cell: object) -> list[str]:
    return [p for p in cell.split(";") if p] if isinstance(cell, str) else []


#: the fields a mention split out of an event gives its new event
_FROM_MENTION = (
    "date_start", "date_end", "precision", "date_text", "title", "event_type", "camp", "actors",
    "entities", "sentence", "char_start", "char_end", "confidence", "modality", "camp_evidence",
)  # fmt: skip


def _blank_event(columns: Iterable[str]) -> dict[str, Any]:
    defaults = {"char_start": 0, "char_end": 0, "confidence": 1.0, "mention_count": 1}
    flags = {"planned", "approximate", "local_time"}
    return {c: defaults.get(c, False if c in flags else "") for c in columns}


class _Lists:
    """A frame as column lists, rows appended and removed cheaply, then a frame again."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.columns = list(frame.columns)
        self.cols: dict[str, list[Any]] = {c: frame[c].tolist() for c in self.columns}
        self.alive = [True] * len(frame)

    def __len__(self) -> int:
        return len(self.alive)

    def append(self, row: Mapping[str, Any]) -> int:
        for column in self.columns:
            self.cols[column].append(row.get(column))
        self.alive.append(True)
        return len(self.alive) - 1

    def row(self, i: int) -> dict[str, Any]:
        return {c: self.cols[c][i] for c in self.columns}

    def frame(self, extra: Mapping[str, list[Any]] | None = None) -> pd.DataFrame:
        data = dict(self.cols)
        data.update(extra or {})
        frame = pd.DataFrame(data, columns=[*self.columns, *(extra or {})])
        if not all(self.alive):
            frame = frame[self.alive].reset_index(drop=True)
        return frame


def apply_review(
    machine: Timeline,
    annotations: Annotations,
    texts: Mapping[str, str] | None = None,
    keys: list[str] | None = None,
) -> Reviewed:
    """``machine`` with ``annotations`` laid over it (``machine`` itself is not changed).

    ``texts`` (file -> source text) lets an added event be checked against its article;
    without it an added event attaches when its article is in the timeline. ``keys`` are
    ``event_keys(machine)`` if the caller has them already. The events frame gains the
    ``REVIEW_COLUMNS``, ``review_key`` and ``original`` (the machine's values of the
    corrected fields); rejected events stay in it, marked.
    """
    keys = list(keys if keys is not None else event_keys(machine))
    ev = _Lists(machine.events)
    n_machine = len(ev)
    row_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        row_of.setdefault(key, i)
    orphans: list[Orphan] = []
    applied = 0
    by_kind: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for (kind, key), data in annotations.items():
        by_kind.setdefault(kind, []).append((key, data))
    for items in by_kind.values():
        items.sort(key=lambda item: item[0])  # the same review applies the same way

    structural = any(by_kind.get(k) for k in (ADDED, MERGE, SPLIT))
    me = _Lists(machine.mentions) if structural else None
    touched: set[int] = set()
    ids = ev.cols["event_id"]

    if by_kind.get(MERGE):
        assert me is not None
        into = {key: str(data.get("into", "")) for key, data in by_kind[MERGE]}
        owned: dict[Any, list[int]] = {}
        for j, owner in enumerate(me.cols["event_id"]):
            owned.setdefault(owner, []).append(j)
        for key, data in by_kind[MERGE]:
            target, seen = into[key], {key}
            while target in into and target not in seen:  # A into B into C: A goes to C
                seen.add(target)
                target = into[target]
            absorbed, kept = row_of.get(key), row_of.get(target)
            if absorbed is None or kept is None or absorbed == kept or not ev.alive[absorbed]:
                orphans.append(Orphan(MERGE, key, str(data.get("label", ""))))
                continue
            ev.alive[absorbed] = False
            gone, stays = ids[absorbed], ids[kept]
            moved = owned.pop(gone, [])
            for j in moved:
                me.cols["event_id"][j] = stays
                me.cols["primary"][j] = False
            owned.setdefault(stays, []).extend(moved)
            merged = _split_cell(ev.cols["entities"][kept])
            merged += [e for e in _split_cell(ev.cols["entities"][absorbed]) if e not in merged]
            ev.cols["entities"][kept] = ";".join(merged)
            touched.add(kept)
            applied += 1

    if me is not None and by_kind.get(SPLIT):
        by_key: dict[str, list[int]] = {}
        for j in range(len(me)):
            by_key.setdefault(mention_key(me.row(j)), []).append(j)
        for key, data in by_kind[SPLIT]:
            source = row_of.get(str(data.get("from", "")))
            found = None
            if source is not None:
                found = next(
                    (
                        j
                        for j in by_key.get(key, [])
                        if me.cols["event_id"][j] == ids[source] and not me.cols["primary"][j]
                    ),
                    None,
                )
            if found is None:
                orphans.append(Orphan(SPLIT, key, str(data.get("label", ""))))
                continue
            mention = me.row(found)
            row = _blank_event(ev.columns)
            row.update({name: mention[name] for name in _FROM_MENTION if name in row})
            row["title"] = row.get("title") or ev.cols["title"][source]
            row["event_id"] = _short_id("split", key)
            row["sources"] = mention["file"]
            row["planned"] = mention.get("modality") == "planned"
            new = ev.append(row)
            row_of.setdefault(key, new)
            me.cols["event_id"][found] = row["event_id"]
            me.cols["primary"][found] = True
            touched.update({source, new})
            applied += 1

    if by_kind.get(ADDED):
        assert me is not None
        files = set(machine.articles["file"]) if "file" in machine.articles.columns else set()
        for key, data in by_kind[ADDED]:
            file = str(data.get("file", ""))
            start, end = int(data.get("char_start", 0)), int(data.get("char_end", 0))
            sentence = str(data.get("sentence", ""))
            present = (
                texts[file][start:end] == sentence if texts is not None and file in texts
                else texts is None and file in files
            )  # fmt: skip
            if not present:
                orphans.append(Orphan(ADDED, key, str(data.get("label", ""))))
                continue
            row = _blank_event(ev.columns)
            row.update({k: v for k, v in data.items() if k in row})
            row.update(
                {"event_id": _short_id("user", key), "sources": file, "modality": "happened"}
            )
            new = ev.append(row)
            row_of[key] = new
            mention = {c: "" for c in me.columns}
            mention.update({k: v for k, v in row.items() if k in me.columns})
            mention.update(
                {"primary": True, "file": file, "sentence_index": -1, "trigger_start": start,
                 "trigger_end": start, "predicate": "", "objects": "", "date_link": "analyst"}
            )  # fmt: skip
            me.append(mention)
            applied += 1

    if me is not None and touched:
        _recount(ev, me, touched)

    row_keys = keys + [""] * (len(ev) - n_machine)
    for key, row in row_of.items():
        if row >= n_machine:
            row_keys[row] = key
    review = [UNREVIEWED] * len(ev)
    starred = [False] * len(ev)
    tags = [""] * len(ev)
    note = [""] * len(ev)
    edited = [""] * len(ev)
    original: list[dict[str, Any]] = [{} for _ in range(len(ev))]
    for key, data in by_kind.get(EVENT, []):
        i = row_of.get(key)
        if i is None:
            orphans.append(Orphan(EVENT, key, str(data.get("label", ""))))
            continue
        if not ev.alive[i]:
            continue  # merged into another event: kept for when the merge is undone
        marks, values, original[i] = _event_marks(data, {n: ev.cols[n][i] for n in EDITABLE})
        review[i], starred[i], tags[i], note[i], edited[i] = marks
        for name, value in values.items():
            ev.cols[name][i] = value
        applied += 1

    entities = machine.entities
    if by_kind.get(ENTITY):
        entities, count = _apply_entities(ev, entities, by_kind[ENTITY], edited, original, orphans)
        applied += count

    events = ev.frame(
        {
            "review": review,
            "starred": starred,
            "tags": tags,
            "note": note,
            "edited": edited,
            KEY_COLUMN: row_keys,
            ORIGINAL_COLUMN: original,
        }
    )
    mentions = me.frame() if me is not None else machine.mentions
    timeline = Timeline(
        events=events,
        mentions=mentions,
        articles=machine.articles,
        entities=entities,
        event_list=machine.event_list if not structural else [],
    )
    return Reviewed(timeline, applied, orphans)


def _event_marks(
    data: Mapping[str, Any] | None, current: Mapping[str, Any]
) -> tuple[tuple[str, bool, str, str, str], dict[str, Any], dict[str, Any]]:
    """One event annotation read: (review, starred, tags, note, edited), the corrected
    fields' new values, and their values before (``current``: the machine's)."""
    data = data or {}
    state = data.get("review")
    changes = data.get("edits") or {}
    if changes:
        try:
            changes = validate_edits(changes)
        except ReviewError:
            changes = {}  # a stored edit this version refuses is left out, not guessed at
    values: dict[str, Any] = {}
    original: dict[str, Any] = {}
    for name in EDITABLE:
        if name in changes and changes[name] != current[name]:
            original[name] = current[name]
            values[name] = changes[name]
    marks = (
        state if state in (ACCEPTED, REJECTED) else UNREVIEWED,
        bool(data.get("starred")),
        ";".join(str(t) for t in data.get("tags") or []),
        str(data.get("note") or ""),
        ";".join(values),
    )
    return marks, values, original


def patch_review(
    previous: Reviewed,
    machine: Timeline,
    annotations: Annotations,
    changed: Iterable[tuple[str, str]],
    keys: list[str],
    had: set[tuple[str, str]],
) -> tuple[Reviewed, list[str]] | None:
    """``apply_review(machine, annotations)`` made from ``previous`` (the same review but
    for the ``changed`` annotations, of which ``had`` were in it) by redoing only the events
    those touch, with the ids of those events; None when a change is not one event's marks or corrections (a merge,
    split, added event or entity edit changes rows: apply the whole review instead).
    """
    changed = list(changed)
    if any(kind != EVENT for kind, _ in changed):
        return None
    events = previous.timeline.events
    if KEY_COLUMN not in events.columns:
        return None
    machine_row = {key: i for i, key in reversed(list(enumerate(keys)))}
    row_of = {key: i for i, key in reversed(list(enumerate(events[KEY_COLUMN].tolist())))}
    events = events.copy()
    column = {name: events.columns.get_loc(name) for name in events.columns}
    orphans = [o for o in previous.orphans if (o.kind, o.key) not in set(changed)]
    known = set(previous.timeline.entities["entity_id"])
    entity_camps = {
        key: data["camp"]
        for (kind, key), data in annotations.items()
        if kind == ENTITY and key in known and data.get("camp") in CAMPS
    }
    applied = previous.applied
    ids: list[str] = []
    for kind, key in changed:
        data = annotations.get((kind, key))
        i = row_of.get(key)
        if i is None:
            if key not in machine_row and data is not None:
                orphans.append(Orphan(EVENT, key, str(data.get("label", ""))))
            continue  # merged into another event, or orphaned: no row to redo
        m = machine_row.get(key)
        if m is None:
            return None  # an event the analyst added or split out: its base is not here
        base = {name: machine.events.iat[m, column[name]] for name in EDITABLE}
        marks, values, original = _event_marks(data, base)
        # the camp an entity edit gives the events it alone acted in, as ``_apply_entities``
        camp = entity_camps.get(str(values.get("actors", base["actors"])))
        if camp is not None and "camp" not in original and values.get("camp", base["camp"]) != camp:
            original["camp"] = base["camp"]
            values["camp"] = camp
            marks = (*marks[:4], ";".join([*_split_cell(marks[4]), "camp"]))
        for name in EDITABLE:
            events.iat[i, column[name]] = values.get(name, base[name])
        for name, value in zip(("review", "starred", "tags", "note", "edited"), marks, strict=True):
            events.iat[i, column[name]] = value
        events.iat[i, column[ORIGINAL_COLUMN]] = original
        applied += (data is not None) - ((kind, key) in had)
        ids.append(str(events.iat[i, column["event_id"]]))
    timeline = Timeline(
        events, previous.timeline.mentions, previous.timeline.articles,
        previous.timeline.entities, previous.timeline.event_list,
    )  # fmt: skip
    return Reviewed(timeline, applied, orphans), ids


def _recount(ev: _Lists, me: _Lists, rows: set[int]) -> None:
    """Sources (primary first) and mention counts of the events in ``rows``."""
    ids = {ev.cols["event_id"][i]: i for i in rows}
    files: dict[int, list[tuple[bool, str]]] = {i: [] for i in rows}
    for owner, primary, file in zip(
        me.cols["event_id"], me.cols["primary"], me.cols["file"], strict=True
    ):
        i = ids.get(owner)
        if i is not None:
            files[i].append((not primary, file))
    for i, found in files.items():
        found.sort(key=lambda item: item[0])  # primary first, the rest in their order
        seen: list[str] = []
        for _, file in found:
            if file not in seen:
                seen.append(file)
        ev.cols["sources"][i] = ";".join(seen)
        if "mention_count" in ev.cols:
            ev.cols["mention_count"][i] = len(found)


def _apply_entities(
    ev: _Lists,
    entities: pd.DataFrame,
    items: list[tuple[str, dict[str, Any]]],
    edited: list[str],
    original: list[dict[str, Any]],
    orphans: list[Orphan],
) -> tuple[pd.DataFrame, int]:
    """This corpus's entity edits: a camp set, a discovered name linked to an entity, an
    alias added to one.

    A camp applies to the entity's row and to the events it alone acted in (unless the
    analyst corrected that event's camp); a link or an alias names the entity in every
    event whose sentence holds the name (and links the discovered name of that spelling).
    """
    entities = entities.copy()
    keys = [
        e if e else f"?{n}" for e, n in zip(entities["entity_id"], entities["name"], strict=True)
    ]

    def name_in_events(name: str, target: str) -> None:
        if f"?{name}" in keys:
            found_row = keys.index(f"?{name}")
            entities.loc[found_row, "entity_id"] = target
            entities.loc[found_row, "linked"] = True
        for i, sentence in enumerate(ev.cols["sentence"]):
            if isinstance(sentence, str) and name in sentence:
                found = _split_cell(ev.cols["entities"][i])
                if target not in found:
                    ev.cols["entities"][i] = ";".join([*found, target])

    applied = 0
    for key, data in items:
        if key not in keys:
            orphans.append(Orphan(ENTITY, key, str(data.get("label", key))))
            continue
        row = keys.index(key)
        camp = data.get("camp")
        if camp in CAMPS:
            entities.loc[row, "camp"] = camp
            entities.loc[row, "camp_evidence"] = "분석가 지정"
            entity_id = str(entities.loc[row, "entity_id"])
            for i, actors in enumerate(ev.cols["actors"]):
                mine = entity_id and actors == entity_id and "camp" not in original[i]
                if mine and ev.cols["camp"][i] != camp:
                    original[i]["camp"] = ev.cols["camp"][i]
                    ev.cols["camp"][i] = camp
                    edited[i] = ";".join([*_split_cell(edited[i]), "camp"])
        link = str(data.get("link_to") or "")
        if link and key.startswith("?"):
            name_in_events(key[1:], link)
        if not key.startswith("?"):
            for alias in data.get("aliases") or []:
                if isinstance(alias, str) and alias.strip():
                    name_in_events(alias.strip(), key)
        applied += 1
    return entities, applied


# -- reading a reviewed timeline ------------------------------------------------------------


def without_rejected(timeline: Timeline) -> Timeline:
    """``timeline`` without the events the analyst rejected (the CSV's default)."""
    events = timeline.events
    if "review" not in events.columns:
        return timeline
    kept = events[events["review"] != REJECTED].reset_index(drop=True)
    if len(kept) == len(events):
        return timeline
    ids = set(kept["event_id"])
    mentions = timeline.mentions
    if len(mentions):
        mentions = mentions[mentions["event_id"].isin(ids)].reset_index(drop=True)
    return Timeline(kept, mentions, timeline.articles, timeline.entities, [])


def only_events(timeline: Timeline, ids: set[str]) -> Timeline:
    """``timeline`` restricted to the events ``ids`` (an export of what is shown)."""
    events = timeline.events
    kept = events[events["event_id"].astype(str).isin(ids)].reset_index(drop=True)
    mentions = timeline.mentions
    if len(mentions):
        mentions = mentions[mentions["event_id"].astype(str).isin(ids)].reset_index(drop=True)
    return Timeline(kept, mentions, timeline.articles, timeline.entities, [])


def reviewed_count(events: pd.DataFrame) -> int:
    """How many events the analyst accepted or rejected."""
    if "review" not in events.columns:
        return 0
    return int((events["review"] != UNREVIEWED).sum())


def updated(data: Mapping[str, Any] | None, **changes: Any) -> dict[str, Any] | None:
    """An event annotation with ``changes`` made; None when nothing is left in it."""
    out = dict(data or {})
    out.update(changes)
    for name in ("review", "starred", "tags", "note", "edits"):
        if name in out and not out[name]:
            del out[name]
    if out.get("review") == UNREVIEWED:
        del out["review"]
    if set(out) <= {"label"}:
        return None
    return out


def load_review(root: Path) -> tuple[Annotations, Path, list[Problem]]:
    """The review kept for corpus ``root``: its annotations, its file, and what went wrong
    reading it (a file set aside); nothing is created by reading."""
    store = ReviewStore(review_path(root))
    try:
        annotations = store.read()
    finally:
        store.close()
    return annotations, store.path, list(store.problems)


def corpus_texts(corpus: Corpus) -> dict[str, str]:
    return {a.file: a.source_text for a in corpus.articles}


def apply_corpus_review(
    corpus: Corpus, timeline: Timeline, *, use_review: bool = True, include_rejected: bool = False
) -> tuple[Timeline, list[str], str]:
    """What ``build`` writes: ``timeline`` with the corpus's review applied (unless
    ``use_review`` is False), rejected events left out unless ``include_rejected``.

    Also gives report lines (the review file, orphans, a file set aside) and the summary's
    part (``3 annotations applied``, '' without a review file).
    """
    if not use_review:
        return apply_review(timeline, {}).timeline, [], ""
    annotations, path, problems = load_review(corpus.root)
    reviewed = apply_review(timeline, annotations, corpus_texts(corpus))
    lines = [f"review: {problem}" for problem in problems]
    if annotations or path.exists():
        lines.append(f"review: {path}")
    for orphan in reviewed.orphans:
        lines.append(f"review: orphaned {orphan.kind} annotation ({orphan.key}): {orphan.label}")
    result = reviewed.timeline if include_rejected else without_rejected(reviewed.timeline)
    applied = reviewed.applied
    summary = f"{applied} annotation{'s' if applied != 1 else ''} applied" if annotations else ""
    return result, lines, summary
