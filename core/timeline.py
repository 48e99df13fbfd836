"""The timeline: a corpus's merged events, their mentions, articles and entities as frames.

``build_timeline`` merges the per-article mentions of a built corpus (``core.pipeline.build``
found them) across articles and lays the result out as pandas DataFrames, the one shape the
window's tables, the plot and the exports all read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from core.export import CONTRACT_COLUMNS, EXTRA_COLUMNS, NOTES_SEPARATOR
from core.merge import lexicon_entities, merge_mentions, written_date
from core.model import Cancelled, Corpus, EntityMention, Event, EventMention
from core.progress import CancelledFn, ProgressFn

if TYPE_CHECKING:
    from core.lexicon import Lexicon


EVENT_COLUMNS = list(CONTRACT_COLUMNS) + list(EXTRA_COLUMNS)
MENTION_COLUMNS = [
    "event_id", "primary", "file", "sentence_index", "sentence", "char_start", "char_end",
    "event_type", "predicate", "trigger_start", "trigger_end", "actors", "objects", "entities",
    "modality", "date_start", "date_end", "precision", "date_text", "date_link", "camp",
    "camp_evidence", "title", "confidence",
]  # fmt: skip
#: mentions the text says did not happen (공개하지 않았다): kept apart from the events
NEGATED_COLUMNS = [c for c in MENTION_COLUMNS if c not in {"event_id", "primary"}]
ARTICLE_COLUMNS = [
    "file", "title", "publisher", "url", "published", "published_source", "encoding",
    "sentences", "mentions", "events", "problems",
]  # fmt: skip
ENTITY_COLUMNS = [
    "entity_id", "name", "entity_type", "parent", "camp", "camp_evidence", "linked",
    "mentions", "articles", "events", "surfaces",
]  # fmt: skip


@dataclass
class Timeline:
    """A built timeline: frames for the views and exports, and the objects behind them."""

    events: pd.DataFrame
    mentions: pd.DataFrame
    articles: pd.DataFrame
    entities: pd.DataFrame
    event_list: list[Event] = field(default_factory=list)
    #: negated mentions (공개하지 않았다, 투자하지 않기로 했다): never events, listed apart
    negated: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NEGATED_COLUMNS))

    def __len__(self) -> int:
        return len(self.events)


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def _join(items: Iterable[str]) -> str:
    return ";".join(item for item in items if item)


def _fallback_title(event: Event) -> str:
    # events normally bring their own Korean headline; this only keeps the cell non-empty
    primary = event.primary
    who = primary.actors[0] if primary.actors else ""
    what = primary.objects[0] if primary.objects else ""
    return ", ".join(part for part in (who, f"{what} {primary.predicate}".strip()) if part)


def _event_row(event: Event) -> dict[str, Any]:
    primary = event.primary
    date = primary.date if event.date_start is not None else None
    evidence: list[str] = []
    for mention in event.mentions:
        evidence.extend(e for e in mention.camp_evidence if e not in evidence)
    return {
        "event_id": event.event_id,
        "date_start": _iso(event.date_start),
        "date_end": _iso(event.date_end),
        "precision": event.precision,
        "date_text": event.date_text,
        "title": event.title or _fallback_title(event),
        "event_type": event.event_type,
        "camp": event.camp,
        "actors": _join(event.actors),
        "entities": _join(event.entities),
        "sources": _join(event.sources),
        "sentence": primary.sentence,
        "char_start": primary.char_start,
        "char_end": primary.char_end,
        "confidence": event.confidence,
        "modality": primary.modality,
        "camp_evidence": _join(evidence),
        "notes": NOTES_SEPARATOR.join(event.notes),
        "planned": bool(primary.modality == "planned" or (date is not None and date.planned)),
        "approximate": bool(primary.date is not None and primary.date.approximate),
        "local_time": bool(date is not None and date.local_time),
        "mention_count": len(event.mentions),
    }


def _mention_row(event: Event | None, mention: EventMention) -> dict[str, Any]:
    date = mention.date
    return {
        "event_id": event.event_id if event is not None else "",
        "primary": event is not None and mention is event.primary,
        "file": mention.file,
        "sentence_index": mention.sentence_index,
        "sentence": mention.sentence,
        "char_start": mention.char_start,
        "char_end": mention.char_end,
        "event_type": mention.event_type,
        "predicate": mention.predicate,
        "trigger_start": mention.trigger_start,
        "trigger_end": mention.trigger_end,
        "actors": _join(mention.actors),
        "objects": _join(mention.objects),
        "entities": _join(mention.entities),
        "modality": mention.modality,
        "date_start": _iso(date.date_start) if date else "",
        "date_end": _iso(date.date_end) if date else "",
        "precision": date.precision if date else "unknown",
        "date_text": written_date(date),
        "date_link": mention.date_link,
        "camp": mention.camp,
        "camp_evidence": _join(mention.camp_evidence),
        "title": mention.title,
        "confidence": mention.confidence,
    }


def _negated_row(mention: EventMention) -> dict[str, Any]:
    row = _mention_row(None, mention)
    return {name: row[name] for name in NEGATED_COLUMNS}


def _entity_frame(
    entity_mentions: Mapping[str, list[EntityMention]], events: list[Event], lexicon: object
) -> pd.DataFrame:
    known = lexicon_entities(lexicon)
    counts: Counter[str] = Counter()
    articles: dict[str, set[str]] = {}
    surfaces: dict[str, list[str]] = {}
    guessed: dict[str, str] = {}  # discovered entities (not in the lexicon): their type guess
    for file, found in entity_mentions.items():
        for item in found:
            key = item.entity_id or f"?{item.surface}"  # unlinked candidates keyed by surface
            if item.entity_id and item.entity_type:
                guessed.setdefault(key, item.entity_type)
            counts[key] += 1
            articles.setdefault(key, set()).add(file)
            seen = surfaces.setdefault(key, [])
            if item.surface not in seen:
                seen.append(item.surface)
    in_events: Counter[str] = Counter(e for event in events for e in set(event.entities))
    camp_of = getattr(lexicon, "camp_of", None)
    rows = []
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        entity = known.get(key)
        # a discovered entity has an id but no lexicon row (when there is a lexicon to tell)
        linked = not key.startswith("?") and (entity is not None or not known)
        decision = camp_of(key) if linked and callable(camp_of) else None
        rows.append(
            {
                "entity_id": "" if key.startswith("?") else key,
                "name": getattr(entity, "name_ko", "") or key.removeprefix("?"),
                "entity_type": getattr(entity, "entity_type", "") or guessed.get(key, ""),
                "parent": getattr(entity, "parent", "") or "",
                "camp": decision.camp if decision else getattr(entity, "camp", "") or "",
                "camp_evidence": decision.evidence
                if decision
                else getattr(entity, "camp_evidence", "") or "",
                "linked": linked,
                "mentions": counts[key],
                "articles": len(articles[key]),
                "events": in_events.get(key, 0),
                "surfaces": _join(surfaces[key]),
            }
        )
    return pd.DataFrame(rows, columns=ENTITY_COLUMNS)


def assemble_timeline(
    corpus: Corpus,
    mentions: Mapping[str, list[EventMention]],
    lexicon: object = None,
    entity_mentions: Mapping[str, list[EntityMention]] | None = None,
) -> Timeline:
    """Merge per-article event mentions and lay out the four frames."""
    published = {a.file: a.published.start for a in corpus.articles if a.published is not None}
    all_mentions = [m for file in sorted(mentions) for m in mentions[file]]
    # 공개하지 않았다 reports that nothing happened: it is no event on the timeline
    negated = [m for m in all_mentions if m.modality == "negated"]
    events = merge_mentions(
        [m for m in all_mentions if m.modality != "negated"], lexicon, published
    )
    # from_records: the same frame as DataFrame(rows), a third faster on 20k+ rows
    event_frame = pd.DataFrame.from_records([_event_row(e) for e in events], columns=EVENT_COLUMNS)
    mention_frame = pd.DataFrame.from_records(
        [_mention_row(e, m) for e in events for m in e.mentions], columns=MENTION_COLUMNS
    )
    events_per_file: Counter[str] = Counter(f for e in events for f in e.sources)
    article_rows = [
        {
            "file": a.file,
            "title": a.title,
            "publisher": a.publisher,
            "url": a.url,
            "published": a.published.iso() if a.published else "",
            "published_source": a.published_source.value,
            "encoding": a.encoding,
            "sentences": len(a.sentences),
            "mentions": len(mentions.get(a.file, [])),
            "events": events_per_file.get(a.file, 0),
            "problems": len(a.problems),
        }
        for a in corpus.articles
    ]
    return Timeline(
        events=event_frame,
        mentions=mention_frame,
        articles=pd.DataFrame.from_records(article_rows, columns=ARTICLE_COLUMNS),
        entities=_entity_frame(entity_mentions or {}, events, lexicon),
        event_list=events,
        negated=pd.DataFrame.from_records(
            [_negated_row(m) for m in negated], columns=NEGATED_COLUMNS
        ),
    )


def build_timeline(
    corpus: Corpus,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    lexicon: Lexicon | None = None,
) -> Timeline:
    """Merge the event mentions of ``corpus`` (an ``AnalysedCorpus`` from
    ``core.pipeline.build``) across articles, with ``lexicon`` (default: the user's).

    Extracts nothing: a corpus without its mentions is refused with a ``TypeError``.
    Raises ``Cancelled`` before merging when ``cancelled()`` answers True.
    """
    mentions = getattr(corpus, "event_mentions", None)
    missing = [a.file for a in corpus.articles if mentions is None or a.file not in mentions]
    if missing:
        raise TypeError(
            f"build_timeline merges an analysed corpus (core.pipeline.build); "
            f"{len(missing)} articles have no mentions, first {missing[0]}"
        )
    if cancelled is not None and cancelled():
        raise Cancelled()
    total = len(corpus.articles)
    if progress is not None:
        progress(total, total, "사건 병합")
    if lexicon is None:
        from core.lexicon import load_lexicon

        lexicon = load_lexicon()
    return assemble_timeline(
        corpus, mentions or {}, lexicon, getattr(corpus, "entity_mentions", {})
    )
