"""The event table: one row per event of the timeline, bound to the shared state.

``events_table_frame`` adds what the table shows (date as known, precision in words, camp
and type in Korean) to the events frame; ``EventTableModel`` shows it through the frame
adapter; ``EventTable`` is the view: it selects events in ``AppState``, follows the
selection made elsewhere, hides what the filters hide and marks highlighted rows.
"""

from __future__ import annotations

import calendar

import pandas as pd
from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from core.timeline import Timeline
from gui.camp_colors import camp_label, camp_qcolor
from gui.frame_model import (
    KEY_ROLE,
    SIZE_SAMPLE_ROWS,
    FrameModel,
    fit_columns,
    select_view_row,
)
from gui.state import VIEW_PREPARERS, AppState

#: how the table names a date's precision
PRECISION_WORDS = {
    "day": "일",
    "week": "주",
    "month": "월",
    "quarter": "분기",
    "half": "반기",
    "year": "연",
    "decade": "10년",
    "range": "기간",
    "unknown": "모름",
}
#: event types in Korean, as the table and the filter bar name them
EVENT_TYPE_WORDS = {
    "release": "출시",
    "open_release": "오픈소스 공개",
    "partnership": "제휴",
    "alliance": "연합",
    "announcement": "발표",
    "statement": "입장",
    "meeting": "회동",
    "conference": "행사",
    "leak": "유출",
    "plan": "계획",
    "investment": "투자",
    "acquisition": "인수",
    "founding": "설립",
    "apply": "적용",
    "policy": "정책",
    "market": "시장",
    "other": "기타",
}

EVENT_COLUMNS = [
    ("date_shown", "날짜"),
    ("precision_shown", "정밀도"),
    ("title", "제목"),
    ("type_shown", "유형"),
    ("camp_shown", "진영"),
    ("actors", "주체"),
    ("sources", "출처"),
]
#: the column that takes the width the others leave
TITLE_COLUMN = [name for name, _ in EVENT_COLUMNS].index("title")
_Index = QModelIndex | QPersistentModelIndex
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FONT = int(Qt.ItemDataRole.FontRole)


def type_word(event_type: str) -> str:
    return EVENT_TYPE_WORDS.get(event_type, event_type)


def format_event_date(start: object, end: object, precision: object) -> str:
    """An event's interval no more precise than known: ``2024-08``, ``2023-11-27 ~ 12-01``."""
    start = start if isinstance(start, str) else ""
    end = end if isinstance(end, str) and end else start
    if not start:
        return "날짜 없음"
    if precision == "day" or start == end:
        return start
    # a whole month or year reads as such; a part of one (지난달 말: 07-21..07-31) keeps its days
    if precision == "month" and start[:7] == end[:7] and _is_whole_month(start, end):
        return start[:7]
    if precision == "year" and start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        return start[:4]
    same_year = start[:4] == end[:4]
    return f"{start} ~ {end[5:] if same_year else end}"


def _is_whole_month(start: str, end: str) -> bool:
    try:
        last = calendar.monthrange(int(start[:4]), int(start[5:7]))[1]
    except ValueError:
        return False
    return start[8:] == "01" and end[8:] == f"{last:02d}"


def events_table_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The events frame with the shown columns and their sort keys added."""
    frame = events.copy()
    if not len(frame):
        for column, _header in EVENT_COLUMNS:
            frame[column] = pd.Series(dtype=object)
        frame["date_shown_sort"] = pd.Series(dtype=object)
        frame["tooltip"] = pd.Series(dtype=object)
        return frame
    frame["date_shown"] = [
        format_event_date(s, e, p)
        for s, e, p in zip(frame["date_start"], frame["date_end"], frame["precision"], strict=True)
    ]
    # undated events sort last; equal starts by their end
    frame["date_shown_sort"] = [
        f"{s or '9999'}|{e or s or '9999'}"
        for s, e in zip(frame["date_start"], frame["date_end"], strict=True)
    ]
    frame["precision_shown"] = [PRECISION_WORDS.get(p, p) for p in frame["precision"]]
    frame["type_shown"] = [type_word(t) for t in frame["event_type"]]
    frame["camp_shown"] = [camp_label(c) for c in frame["camp"]]
    frame["tooltip"] = [
        f"{title}\n날짜: {text or '—'}\n문장: {sentence}"
        for title, text, sentence in zip(
            frame["title"], frame["date_text"], frame["sentence"], strict=True
        )
    ]
    return frame


#: the name under which a load makes the table's frame off the GUI thread
EVENT_TABLE_VIEW = "event_table"
VIEW_PREPARERS[EVENT_TABLE_VIEW] = lambda _corpus, timeline: events_table_frame(timeline.events)


class EventTableModel(FrameModel):
    """Qt model of the events frame; a row's key is its event id.

    The camp cell carries the camp's colour as a swatch; highlighted events are bold.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            EVENT_COLUMNS,
            key="event_id",
            tooltips={"title": "tooltip", "date_shown": "date_text"},
            parent=parent,
        )
        self._highlighted: frozenset[str] = frozenset()
        self._camp_column = [name for name, _ in EVENT_COLUMNS].index("camp_shown")
        self._bold = QFont()  # one font for every highlighted cell of every paint
        self._bold.setBold(True)

    def set_timeline(self, timeline: Timeline, frame: pd.DataFrame | None = None) -> None:
        """Show ``timeline``'s events; ``frame`` is its ``events_table_frame`` if made already."""
        self.set_frame(frame if frame is not None else events_table_frame(timeline.events))

    def set_highlighted(self, ids: frozenset[str]) -> None:
        self._highlighted = frozenset(ids)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [Qt.ItemDataRole.FontRole],
            )

    def is_highlighted(self, row: int) -> bool:
        return self.shown("event_id")[row] in self._highlighted

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if row < 0:
            return None
        role = int(role)
        if role == _DECORATION:
            return (
                camp_qcolor(self.value(row, "camp"))
                if index.column() == self._camp_column
                else None
            )
        if role == _FONT:
            return self._bold if self.is_highlighted(row) else None
        return super().data(index, role)


class _VisibleEvents(QSortFilterProxyModel):
    """Hides events the filters hide; sorting is the model's own (``FrameModel.sort``).

    The view's sort requests are passed on to the model, so this proxy never sorts (its own
    sort would call into Python twice per comparison).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._visible: set[str] | None = None

    def set_visible(self, ids: set[str] | None) -> None:
        self.beginFilterChange()
        self._visible = None if ids is None else set(ids)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._visible is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(KEY_ROLE) in self._visible


class EventTable(QTableView):
    """Qt view of the timeline's events; selecting a row selects the event in the state."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._following = False  # True while the view follows the state's selection
        self.event_model = EventTableModel(self)
        self._proxy = _VisibleEvents(self)
        self._proxy.setSourceModel(self.event_model)
        self.setModel(self._proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        for column in range(len(EVENT_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentRowChanged.connect(self._current_row_changed)
        state.timeline_loaded.connect(self._timeline_loaded)
        state.event_selected.connect(self._event_selected)
        state.filters_changed.connect(
            lambda _f: self._proxy.set_visible(state.visible_ids_or_none())
        )
        state.highlight_changed.connect(self.event_model.set_highlighted)

    def event_at(self, row: int) -> str | None:
        """The id of the event shown in view row ``row``."""
        index = self._proxy.index(row, 0)
        return index.data(KEY_ROLE) if index.isValid() else None

    def shown_ids(self) -> list[str]:
        """Ids of the events shown, top to bottom."""
        return [self.event_at(row) or "" for row in range(self._proxy.rowCount())]

    def view_row_of(self, event_id: str) -> int:
        row = self.event_model.row_of(event_id)
        if row < 0:
            return -1
        return self._proxy.mapFromSource(self.event_model.index(row, 0)).row()

    def select_row(self, row: int) -> None:
        select_view_row(self, row)

    def _timeline_loaded(self, timeline: Timeline) -> None:
        self._following = True
        try:
            frame = self._state.prepared_view(EVENT_TABLE_VIEW, timeline)
            self.event_model.set_timeline(timeline, frame)
            self._proxy.set_visible(None)
            # the title column stretches: measuring its (longest) texts would be wasted
            fit_columns(
                self, self.event_model, (c for c in range(len(EVENT_COLUMNS)) if c != TITLE_COLUMN)
            )
            self.horizontalHeader().setSectionResizeMode(
                TITLE_COLUMN, QHeaderView.ResizeMode.Stretch
            )
        finally:
            self._following = False

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        self._state.select_event(current.data(KEY_ROLE) if current.isValid() else None)

    def _event_selected(self, event_id: str | None) -> None:
        self._following = True
        try:
            row = self.view_row_of(event_id) if event_id else -1
            if row < 0:
                self.selectionModel().clearSelection()
                self.selectionModel().setCurrentIndex(
                    QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
                )
                return
            if self.currentIndex().row() != row:
                self.select_row(row)
            self.scrollTo(self._proxy.index(row, 0))
        finally:
            self._following = False
