"""Finding events by typed text and by the filter bar's choices (no Qt).

A typed word may carry a Korean particle (``메타가``) or name an entity by another alias
(``Meta`` for ``메타``): each word is reduced to its stems and, when the lexicon knows it,
widened to every alias of its entity. Text is compared in the lexicon's folded form
(``alias_key``: NFC, Latin case folded, spaces removed), so spacing never hides a match.
Every word of a query must match (AND).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from core.lexicon import alias_key
from core.resources import cached_until_user_tables_change, read_table

if TYPE_CHECKING:
    from core.lexicon import Lexicon

PARTICLES_TABLE = "search_particles.tsv"
#: a stem shorter than this is not worth searching for (``이가`` is not a name)
MIN_STEM = 2
#: the event columns a typed word is looked for in
SEARCH_COLUMNS = ("title", "actors", "entities", "sentence", "date_text", "sources", "event_type")
#: the key of an unlinked candidate in filters (its name after this prefix)
UNLINKED_PREFIX = "?"


@cached_until_user_tables_change(PARTICLES_TABLE)
def particles() -> tuple[str, ...]:
    """The particles stripped from typed words, longest first (bundled plus the user's)."""
    found = {row.get("particle", "").strip() for row in read_table(PARTICLES_TABLE)}
    return tuple(sorted((p for p in found if p), key=len, reverse=True))


def stems(word: str, known: Iterable[str] | None = None) -> list[str]:
    """``word`` and what remains of it after one trailing particle is removed.

    ``메타가`` gives ``['메타가', '메타']``; a stem shorter than ``MIN_STEM`` is dropped.
    """
    out = [word]
    for particle in particles() if known is None else known:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            stem = word[: -len(particle)]
            if stem not in out:
                out.append(stem)
    return out


@dataclass(frozen=True)
class Term:
    """One typed word: the folded strings that count as a match, and its entity if known."""

    word: str
    keys: tuple[str, ...]
    entity_id: str = ""


def parse_query(query: str, lexicon: Lexicon | None = None) -> list[Term]:
    """The terms of a typed query, each widened by particle stripping and entity aliases."""
    terms = []
    for word in query.split():
        candidates = stems(word)
        entity = None
        if lexicon is not None:
            # the word as typed first: 제미나이 is a name, not 제미나 + 이
            entity = next((e for c in candidates if (e := lexicon.resolve(c)) is not None), None)
        keys: list[str] = []
        spellings = list(candidates)
        if entity is not None:
            spellings = [word, entity.entity_id, entity.name_ko, *entity.aliases]
        for spelling in spellings:
            key = alias_key(spelling)
            if key and key not in keys:
                keys.append(key)
        terms.append(Term(word, tuple(keys), entity.entity_id if entity else ""))
    return terms


#: ``alias_key`` of event texts, remembered: the index is made again after a review action
#: that moves rows, and folding every text again took seconds at 10k events
_folded = functools.lru_cache(maxsize=1 << 15)(alias_key)

#: the per-event lists of a ``SearchIndex``
_ROW_FIELDS = (
    "ids", "camps", "types", "reviews", "starts", "ends", "sentences", "entities", "_haystacks",
)  # fmt: skip


class SearchIndex:
    """The events of one timeline, folded once for fast repeated queries and filters."""

    def __init__(self, events: pd.DataFrame, lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon
        n = len(events)

        def column(name: str) -> list[str]:
            if name not in events.columns:
                return [""] * n
            return [v if isinstance(v, str) else "" for v in events[name].tolist()]

        self.ids = [str(i) for i in events["event_id"].tolist()] if n else []
        self.camps = column("camp")
        self.types = column("event_type")
        self.reviews = column("review")
        self.starts = column("date_start")
        self.ends = [e or s for s, e in zip(self.starts, column("date_end"), strict=True)]
        self.sentences = [_folded(t) for t in column("sentence")]
        self.entities = [
            _split(a) | _split(b) for a, b in zip(column("entities"), column("actors"), strict=True)
        ]
        texts = [column(c) for c in SEARCH_COLUMNS if c in events.columns]
        self._haystacks = [_folded(" ".join(parts)) for parts in zip(*texts, strict=True)]
        if not texts:
            self._haystacks = [""] * n

    def with_rows(self, events: pd.DataFrame, positions: list[int]) -> SearchIndex:
        """This index with the rows at ``positions`` read again from ``events`` (the same
        events in the same order, a few of them changed), the rest shared."""
        part = SearchIndex(events.iloc[positions], self._lexicon)
        new = copy.copy(self)
        for name in _ROW_FIELDS:
            column = list(getattr(self, name))
            for k, i in enumerate(positions):
                column[i] = getattr(part, name)[k]
            setattr(new, name, column)
        return new

    def matches(self, query: str) -> set[str]:
        """Ids of the events every word of ``query`` matches (all events for a blank query)."""
        terms = parse_query(query, self._lexicon)
        if not terms:
            return set(self.ids)
        hits = set()
        for event_id, hay, entities in zip(self.ids, self._haystacks, self.entities, strict=True):
            if all(_term_matches(t, hay, entities) for t in terms):
                hits.add(event_id)
        return hits


def _term_matches(term: Term, hay: str, entities: frozenset[str]) -> bool:
    if term.entity_id and term.entity_id in entities:
        return True
    return any(key in hay for key in term.keys)


def _split(cell: object) -> frozenset[str]:
    if not isinstance(cell, str) or not cell:
        return frozenset()
    return frozenset(part for part in cell.split(";") if part)


@dataclass(frozen=True)
class EventFilter:
    """What the filter bar and the entity panel ask for; empty sets mean "no restriction".

    ``entities`` holds entity ids, or ``?name`` for an unlinked candidate; an event passes
    when it involves any of them. ``date_from``/``date_to`` keep events whose interval
    overlaps the range (undated events are hidden once a range is set). ``query`` marks
    matches; with ``only_matches`` it also hides the rest.
    """

    camps: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""
    only_matches: bool = False
    #: the analyst's review: "" hides rejected events, "unreviewed" shows only the events not
    #: yet accepted or rejected, "rejected" only the rejected ones
    review: str = ""

    def is_empty(self) -> bool:
        return not (
            self.review
            or self.camps
            or self.event_types
            or self.entities
            or self.date_from
            or self.date_to
            or (self.query.strip() and self.only_matches)
        )


def apply_filter(
    events: pd.DataFrame, chosen: EventFilter, index: SearchIndex | None = None
) -> tuple[set[str], set[str]]:
    """(visible ids, search-matched ids) of ``events`` under ``chosen``.

    ``index`` must be built over ``events`` (one is built when None). Matched ids are
    empty for a blank query (nothing to highlight).
    """
    index = index or SearchIndex(events)
    query = chosen.query.strip()
    matched = index.matches(query) if query else set()
    date_from = chosen.date_from.isoformat() if chosen.date_from else ""
    date_to = chosen.date_to.isoformat() if chosen.date_to else ""
    unlinked = [
        alias_key(k[len(UNLINKED_PREFIX) :])
        for k in chosen.entities
        if k.startswith(UNLINKED_PREFIX)
    ]
    linked = {k for k in chosen.entities if not k.startswith(UNLINKED_PREFIX)}
    visible = set()
    for i, event_id in enumerate(index.ids):
        review = index.reviews[i]
        if (review == "rejected") != (chosen.review == "rejected"):
            continue
        if chosen.review == "unreviewed" and review not in ("", "unreviewed"):
            continue
        if chosen.camps and index.camps[i] not in chosen.camps:
            continue
        if chosen.event_types and index.types[i] not in chosen.event_types:
            continue
        if chosen.entities and not (
            linked & index.entities[i] or any(n and n in index.sentences[i] for n in unlinked)
        ):
            continue
        if date_from or date_to:
            # ISO dates compare as strings; an undated event is outside every range
            start, end = index.starts[i], index.ends[i]
            if not start or (date_from and end < date_from) or (date_to and start > date_to):
                continue
        if query and chosen.only_matches and event_id not in matched:
            continue
        visible.add(event_id)
    return visible, matched & visible


def date_order(events: pd.DataFrame) -> list[str]:
    """Event ids in date order (start, then end), undated events last; stable otherwise."""
    if not len(events):
        return []
    n = len(events)
    starts = events["date_start"].tolist() if "date_start" in events.columns else [None] * n
    ends = events["date_end"].tolist() if "date_end" in events.columns else [None] * n
    keys = []
    # column lists, not itertuples: a row as a dict costs seconds over 10k events
    for position, (start, end, event_id) in enumerate(
        zip(starts, ends, events["event_id"].tolist(), strict=True)
    ):
        start = start or ""
        end = end or start
        keys.append((start == "", start, end, position, str(event_id)))
    return [key[-1] for key in sorted(keys)]
