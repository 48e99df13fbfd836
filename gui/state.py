"""What the window's widgets share: the corpus, its timeline, the selection and the filters.

Widgets never call each other; they write here and listen to the signals. That keeps the
timeline view, the event table, the entity panel, the source viewer, the article table and
the problems panel independent of one another: linked selection is one ``select_event``
call whose signal every view follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QObject, Signal

from core.lexicon import load_lexicon
from core.model import Article, Corpus
from core.search import EventFilter, SearchIndex, apply_filter, date_order
from core.timeline import ARTICLE_COLUMNS as TIMELINE_ARTICLE_COLUMNS
from core.timeline import ENTITY_COLUMNS, EVENT_COLUMNS, MENTION_COLUMNS, Timeline


def empty_timeline() -> Timeline:
    """A timeline with no events (a corpus loaded without analysis, or with none found)."""
    return Timeline(
        events=pd.DataFrame(columns=EVENT_COLUMNS),
        mentions=pd.DataFrame(columns=MENTION_COLUMNS),
        articles=pd.DataFrame(columns=TIMELINE_ARTICLE_COLUMNS),
        entities=pd.DataFrame(columns=ENTITY_COLUMNS),
    )


@dataclass(frozen=True)
class PreparedLoad:
    """What showing a corpus derives from it and its timeline, made before it is shown.

    ``prepare_load`` needs no Qt and may run on any thread: a load makes it on its reader
    thread, so that the GUI thread only swaps references when the corpus is shown (made on
    the GUI thread, a 10k-article corpus's rows, order and search index froze the window).
    ``views`` holds what the widgets show, made by the ``VIEW_PREPARERS`` (each widget
    reads its own with ``AppState.prepared_view``).
    """

    corpus: Corpus
    timeline: Timeline
    articles: dict[str, Article]
    rows: dict[str, dict[str, object]]
    order: list[str]
    index: SearchIndex
    #: the corpus's sentences and problems (the status bar counts them)
    sentence_count: int = 0
    problem_count: int = 0
    views: dict[str, Any] = field(default_factory=dict)
    #: the corpus's review as read for this load (``gui.review_session.ReviewRead``)
    review: Any = None


#: what a widget shows, made from a corpus and its timeline off the GUI thread:
#: name -> maker (no Qt in it), called as ``make(corpus, timeline)``
VIEW_PREPARERS: dict[str, Callable[[Corpus, Timeline], Any]] = {}


def prepare_load(
    corpus: Corpus,
    timeline: Timeline | None = None,
    *,
    with_views: bool = True,
    review: Any = None,
) -> PreparedLoad:
    """Everything ``AppState.set_corpus`` derives from ``corpus`` and ``timeline`` (no Qt)."""
    timeline = timeline if timeline is not None else empty_timeline()
    articles: dict[str, Article] = {}
    for article in corpus.articles:  # the first of a file wins, as a scan would find it
        articles.setdefault(article.file, article)
    events = timeline.events
    views = (
        {name: make(corpus, timeline) for name, make in VIEW_PREPARERS.items()}
        if with_views
        else {}
    )
    return PreparedLoad(
        corpus=corpus,
        timeline=timeline,
        articles=articles,
        rows={str(r["event_id"]): r for r in _records(events)},
        order=date_order(events),
        index=SearchIndex(events, load_lexicon()),
        sentence_count=sum(len(a.sentences) for a in corpus.articles),
        problem_count=len(corpus.all_problems()),
        views=views,
        review=review,
    )


class AppState(QObject):
    """The shared state of one main window."""

    #: a corpus finished loading and is now current (its timeline is already in place)
    corpus_loaded = Signal(object)  # Corpus
    #: the current timeline changed (sent just before ``corpus_loaded``)
    timeline_loaded = Signal(object)  # Timeline
    #: the selected article changed (None when nothing is selected)
    article_selected = Signal(object)  # Article | None
    #: the selected event changed (its id, or None); its article is selected first
    event_selected = Signal(object)  # str | None
    #: the filters changed; ``visible_ids`` and ``matched_ids`` are already updated
    filters_changed = Signal(object)  # EventFilter
    #: the events to highlight changed (search matches and the selected entity's events)
    highlight_changed = Signal(object)  # frozenset[str]
    #: the entity selected in the entity panel changed (its key, or None)
    entity_selected = Signal(object)  # str | None
    #: some events changed in place (the same events in the same order): their ids
    events_changed = Signal(object)  # list[str]
    #: a load of this folder started
    load_started = Signal(str)
    #: a load progressed: done, total, message
    load_progressed = Signal(int, int, str)
    #: a load of this folder failed; the previous corpus stays current
    load_failed = Signal(str, str)  # folder, reason
    #: a load was cancelled; the previous corpus stays current
    load_cancelled = Signal(str)  # folder

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._corpus: Corpus | None = None
        self._articles: dict[str, Article] = {}
        self._timeline: Timeline = empty_timeline()
        self._article: Article | None = None
        self._event_id: str | None = None
        self._entity: str | None = None
        self._filter = EventFilter()
        self._rows: dict[str, dict[str, object]] = {}
        self._order: list[str] = []
        self._index: SearchIndex | None = None
        self._visible: set[str] = set()
        self._matched: set[str] = set()
        self._highlighted: frozenset[str] = frozenset()
        self._views: dict[str, Any] = {}
        self._counts = (0, 0)

    # -- what is current ----------------------------------------------------------------

    @property
    def corpus(self) -> Corpus | None:
        return self._corpus

    @property
    def corpus_root(self) -> Path | None:
        return self._corpus.root if self._corpus is not None else None

    @property
    def timeline(self) -> Timeline:
        return self._timeline

    @property
    def events(self) -> pd.DataFrame:
        return self._timeline.events

    @property
    def selected_article(self) -> Article | None:
        return self._article

    @property
    def selected_event(self) -> str | None:
        return self._event_id

    @property
    def selected_entity(self) -> str | None:
        return self._entity

    @property
    def filter(self) -> EventFilter:
        return self._filter

    @property
    def visible_ids(self) -> set[str]:
        """Ids of the events the filters let through."""
        return set(self._visible)

    def visible_ids_or_none(self) -> set[str] | None:
        """The visible ids, or None when no filter restricts anything (the views' "all")."""
        if self._filter.is_empty() and len(self._visible) == len(self._rows):
            return None  # (rejected events are hidden even by an empty filter)
        return set(self._visible)

    @property
    def matched_ids(self) -> set[str]:
        """Ids of the visible events the search text matches."""
        return set(self._matched)

    @property
    def highlighted_ids(self) -> frozenset[str]:
        return self._highlighted

    def event_row(self, event_id: str | None) -> dict[str, object] | None:
        """The events-frame row of ``event_id`` as a dict, or None."""
        return self._rows.get(event_id) if event_id else None

    def event_order(self) -> list[str]:
        """Visible event ids in date order (undated last)."""
        return [e for e in self._order if e in self._visible]

    def article_mentions(self, file: str) -> pd.DataFrame:
        """The event mentions whose sentence is in article ``file``."""
        mentions = self._timeline.mentions
        if not len(mentions):
            return mentions
        return mentions[mentions["file"] == file]

    def corpus_counts(self) -> tuple[int, int]:
        """(sentences, problems) of the current corpus (counted when it was prepared)."""
        return self._counts

    def prepared_view(self, name: str, shown: Timeline | Corpus) -> Any | None:
        """What ``VIEW_PREPARERS[name]`` made before the corpus was shown, or None (the
        widget then makes it itself).

        ``shown`` is the timeline (or corpus) the widget is about to show: a view is given
        only if it was made from that very object, the current one.
        """
        view = self._views.get(name)
        if view is None:
            return None
        current = self._timeline if isinstance(shown, Timeline) else self._corpus
        return view if shown is current else None

    def entity_event_ids(self, key: str) -> set[str]:
        """Ids of the events that involve entity ``key`` (an id, or ``?name``)."""
        only = EventFilter(entities=frozenset({key}))
        return apply_filter(self.events, only, self._index)[0]

    # -- changing it --------------------------------------------------------------------

    def set_corpus(
        self,
        corpus: Corpus,
        timeline: Timeline | None = None,
        prepared: PreparedLoad | None = None,
    ) -> None:
        """Make ``corpus`` and its ``timeline`` current; selections and filters are cleared.

        ``prepared`` (``prepare_load`` of this very corpus and timeline, made off the GUI
        thread) saves deriving it here; one made from other objects is ignored. Listeners
        of ``corpus_loaded`` may select at once: they run last.
        """
        if prepared is None or prepared.corpus is not corpus or prepared.timeline is not timeline:
            prepared = prepare_load(corpus, timeline, with_views=False)
        had_article, had_event = self._article is not None, self._event_id is not None
        had_entity = self._entity is not None
        self._corpus = corpus
        self._articles = prepared.articles
        self._timeline = prepared.timeline
        self._views = prepared.views
        self._counts = (prepared.sentence_count, prepared.problem_count)
        self._article = None
        self._event_id = None
        self._entity = None
        self._filter = EventFilter()
        self._rows = prepared.rows
        self._order = prepared.order
        self._index = prepared.index
        self._refilter()
        if had_article:
            self.article_selected.emit(None)
        if had_event:
            self.event_selected.emit(None)
        if had_entity:
            self.entity_selected.emit(None)
        self.timeline_loaded.emit(self._timeline)
        self.filters_changed.emit(self._filter)
        self.highlight_changed.emit(self._highlighted)
        self.corpus_loaded.emit(corpus)

    def replace_timeline(self, timeline: Timeline) -> None:
        """Show ``timeline`` (the same corpus's, e.g. after a review action) instead of the
        current one, keeping the selection, the filters and the selected entity.

        ``timeline_loaded`` and ``filters_changed`` are sent as for a new corpus, then the
        selected event again (or None when it is gone) so that the views follow it.
        """
        if self._corpus is None:
            return
        prepared = prepare_load(self._corpus, timeline, with_views=False)
        self._timeline = prepared.timeline
        self._views = {}
        self._rows = prepared.rows
        self._order = prepared.order
        self._index = prepared.index
        self._refilter()
        if self._event_id is not None and self._event_id not in self._rows:
            self._event_id = None
        self.timeline_loaded.emit(self._timeline)
        self.filters_changed.emit(self._filter)
        self.highlight_changed.emit(self._highlighted)
        self.event_selected.emit(self._event_id)

    def update_events(self, timeline: Timeline, ids: list[str]) -> set[str]:
        """Show ``timeline``, the current one with the events ``ids`` changed in place (a
        review mark or correction): only those rows are read again. Sends
        ``events_changed``, and ``filters_changed`` only if what the filters let through
        changed. Returns the names of the columns that changed.
        """
        events = timeline.events
        positions = []
        wanted = set(ids)
        for position, event_id in enumerate(events["event_id"].tolist()):
            if event_id in wanted:
                positions.append(position)
        changed: set[str] = set()
        rows = dict(self._rows)
        for position, record in zip(positions, _records(events.iloc[positions]), strict=True):
            key = str(record["event_id"])
            old = rows.get(key) or {}
            changed.update(name for name, value in record.items() if old.get(name) != value)
            rows[key] = record
        self._timeline = timeline
        self._views = {}
        self._rows = rows
        if self._index is not None:
            self._index = self._index.with_rows(events, positions)
        if changed & {"date_start", "date_end"}:
            self._order = date_order(events)
        visible, highlighted = self._visible, self._highlighted
        self._refilter()
        self.events_changed.emit(list(ids))
        if visible != self._visible:
            self.filters_changed.emit(self._filter)
        if highlighted != self._highlighted:
            self.highlight_changed.emit(self._highlighted)
        return changed

    def article_by_file(self, file: str) -> Article | None:
        """The current corpus's article read from ``file``, or None."""
        return self._articles.get(file)

    def select_article(self, file: str | None) -> None:
        """Select the article whose ``file`` is given (None or unknown clears it).

        A selected event reported elsewhere is deselected: the viewer shows one article.
        """
        article = self.article_by_file(file) if file else None
        if article is self._article:
            return
        self._article = article
        self.article_selected.emit(article)
        row = self.event_row(self._event_id)
        if row is not None and (article is None or article.file not in _sources(row)):
            self._event_id = None
            self.event_selected.emit(None)

    def select_event(self, event_id: str | None) -> None:
        """Select an event (None or unknown clears it) and an article that reports it."""
        if event_id is not None and event_id not in self._rows:
            event_id = None
        if event_id == self._event_id:
            return
        self._event_id = event_id
        row = self.event_row(event_id)
        if row is not None:
            # an article already shown that reports the event stays (a click on one of its
            # sentences must not jump to another article); else the primary source
            file = _primary_file(row)
            if self._article is None or self._article.file not in _sources(row):
                self._article = self.article_by_file(file)
                self.article_selected.emit(self._article)
        self.event_selected.emit(event_id)

    def step_event(self, step: int) -> str | None:
        """Select the next (``step`` > 0) or previous visible event in date order."""
        order = self.event_order()
        if not order:
            return None
        if self._event_id in order:
            position = order.index(self._event_id) + step
            position = max(0, min(position, len(order) - 1))
        else:
            position = 0 if step > 0 else len(order) - 1
        self.select_event(order[position])
        return self._event_id

    def step_match(self, step: int = 1) -> str | None:
        """Select the next (or previous) search match in date order, wrapping around."""
        order = [e for e in self.event_order() if e in self._matched]
        if not order:
            return None
        if self._event_id in order:
            position = (order.index(self._event_id) + step) % len(order)
        elif step > 0 and self._event_id:
            # the first match after the selected (unmatched) event, else wrap to the first
            after = set(self._order[self._order.index(self._event_id) + 1 :])
            position = next((k for k, e in enumerate(order) if e in after), 0)
        else:
            position = 0 if step > 0 else -1
        self.select_event(order[position])
        return self._event_id

    def set_filter(self, chosen: EventFilter) -> None:
        """Apply new filters; a selected event they hide stays selected but is not shown."""
        if chosen == self._filter:
            return
        self._filter = chosen
        self._refilter()
        self.filters_changed.emit(chosen)
        self.highlight_changed.emit(self._highlighted)

    def select_entity(self, key: str | None) -> None:
        """Select an entity (id or ``?name``): its events are highlighted."""
        if key == self._entity:
            return
        self._entity = key
        self._update_highlight()
        self.entity_selected.emit(key)
        self.highlight_changed.emit(self._highlighted)

    def _refilter(self) -> None:
        self._visible, self._matched = apply_filter(self.events, self._filter, self._index)
        self._update_highlight()

    def _update_highlight(self) -> None:
        ids = set(self._matched)
        if self._entity:
            ids |= self.entity_event_ids(self._entity)
        self._highlighted = frozenset(ids)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """``frame.to_dict("records")`` from column lists (plain Python values as well), a
    tenth of the time at 10k events."""
    columns = list(frame.columns)
    cells = [frame[c].tolist() for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*cells, strict=True)]


def _sources(row: dict[str, object]) -> list[str]:
    return str(row.get("sources") or "").split(";")


def _primary_file(row: dict[str, object]) -> str:
    return _sources(row)[0]
