"""The filter bar: camp toggles, event type, date range and the search box.

It writes an ``EventFilter`` to the state on every change and follows the state's filter
(so that the entity panel's checks and a new timeline keep it honest). The matching itself
is Qt-free, in ``core.search``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from core.search import EventFilter
from core.timeline import Timeline
from gui.camp_colors import CAMP_DESCRIPTIONS, CAMPS, camp_label, camp_qcolor
from gui.korean import type_word
from gui.state import AppState

ALL_TYPES = "모든 유형"
#: the search box is at least wide enough for this
SEARCH_ROOM_TEXT = "메타, 오픈소스 공개 발표"
#: how long typing may pause before the search runs (keeps typing smooth on big timelines)
SEARCH_DELAY_MS = 150


def swatch(color: QColor, size: int = 12) -> QIcon:
    """A small square of ``color`` (camp toggles, legends)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(color)
    return QIcon(pixmap)


def hollow_swatch(color: QColor, size: int = 12) -> QIcon:
    """An empty square outlined in ``color``: a hidden camp's toggle."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(color)
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class FilterBar(QWidget):
    """Qt view of the state's filters: edits here become ``AppState.set_filter`` calls."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._following = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)

        self.camp_buttons: dict[str, QToolButton] = {}
        for camp in CAMPS:
            button = QToolButton()
            button.setText(camp_label(camp))
            button.setIcon(swatch(camp_qcolor(camp)))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setCheckable(True)
            button.setChecked(True)
            # reachable with Tab, but a click leaves the focus where it was: Space or J/K
            # meant for the timeline never land on a toggle
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.toggled.connect(self._edited)
            button.toggled.connect(lambda shown, c=camp: self._show_camp_state(c, shown))
            self.camp_buttons[camp] = button
            self._show_camp_state(camp, True)
            layout.addWidget(button)

        self.type_box = QComboBox()
        self.type_box.addItem(ALL_TYPES, "")
        self.type_box.setToolTip("사건 유형")
        self.type_box.currentIndexChanged.connect(self._edited)
        layout.addWidget(self.type_box)

        self.range_check = QCheckBox("기간")
        self.range_check.setToolTip("이 기간과 겹치는 사건만 (날짜 없는 사건은 숨김)")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            edit.dateChanged.connect(self._edited)
        self.range_check.toggled.connect(self._range_toggled)
        layout.addWidget(self.range_check)
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("~"))
        layout.addWidget(self.date_to)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("검색 (Ctrl+F): 메타가, Meta, 오픈소스 공개…")
        self.search_box.setClearButtonEnabled(True)
        # room for a typical query (``메타, 오픈소스``) beside the clear button
        self.search_box.setMinimumWidth(
            self.search_box.fontMetrics().horizontalAdvance(SEARCH_ROOM_TEXT) + 48
        )
        self.search_box.setToolTip(
            "조사를 붙여도(메타가) 다른 이름으로 써도(Meta) 찾습니다. 낱말은 모두 맞아야 합니다."
            " Enter를 누를 때마다 다음 일치 사건으로 갑니다."
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._edited)
        self.search_box.textEdited.connect(lambda _text: self._search_timer.start())
        # Enter searches at once and walks the matches in date order, one per press
        self.search_box.returnPressed.connect(self._next_match)
        self.only_matches = QCheckBox("일치만")
        self.only_matches.setToolTip("검색과 일치하지 않는 사건을 숨깁니다")
        self.only_matches.toggled.connect(self._edited)
        self.count_label = QLabel()
        for widget in (self.range_check, self.only_matches):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(self.search_box, 1)
        layout.addWidget(self.only_matches)
        layout.addWidget(self.count_label)

        state.timeline_loaded.connect(self._timeline_loaded)
        state.filters_changed.connect(self._filters_changed)

    # -- reading the widgets ------------------------------------------------------------

    def current_filter(self) -> EventFilter:
        """The filter the widgets show, keeping the entity checks made elsewhere."""
        camps = frozenset(c for c, b in self.camp_buttons.items() if b.isChecked())
        kind = self.type_box.currentData() or ""
        ranged = self.range_check.isChecked()
        return dataclasses.replace(
            self._state.filter,
            camps=frozenset() if len(camps) == len(CAMPS) else camps,
            event_types=frozenset({kind}) if kind else frozenset(),
            date_from=_to_date(self.date_from.date()) if ranged else None,
            date_to=_to_date(self.date_to.date()) if ranged else None,
            query=self.search_box.text(),
            only_matches=self.only_matches.isChecked(),
        )

    def set_query(self, text: str) -> None:
        """Type ``text`` into the search box and search at once."""
        self.search_box.setText(text)
        self._search_now()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- reactions ----------------------------------------------------------------------

    def _show_camp_state(self, camp: str, shown: bool) -> None:
        """A shown camp's toggle is pressed in, filled and tinted with its colour; a hidden
        one is flat, hollow, grey and struck through: the state reads at a glance."""
        button = self.camp_buttons[camp]
        color = camp_qcolor(camp)
        button.setIcon(swatch(color) if shown else hollow_swatch(color))
        font = button.font()
        font.setStrikeOut(not shown)
        button.setFont(font)
        r, g, b = color.red(), color.green(), color.blue()
        button.setStyleSheet(
            f"QToolButton:checked {{ background: rgba({r},{g},{b},45);"
            f" border: 1px solid rgb({r},{g},{b}); border-radius: 3px; padding: 1px 4px; }}"
            "QToolButton:!checked { color: #888; border: 1px dashed #bbb;"
            " border-radius: 3px; padding: 1px 4px; }"
        )
        state = "보이는 중: 눌러서 숨기기" if shown else "숨김: 눌러서 보이기"
        button.setToolTip(f"{CAMP_DESCRIPTIONS[camp]} — {state}")

    def _search_now(self) -> None:
        self._search_timer.stop()
        self._edited()

    def _next_match(self) -> None:
        self._search_now()
        self._state.step_match(1)

    def _range_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._edited()

    def _edited(self, *_args: object) -> None:
        if self._following:
            return
        self._state.set_filter(self.current_filter())

    def _timeline_loaded(self, timeline: Timeline) -> None:
        self._following = True
        try:
            events = timeline.events
            kinds = sorted({str(t) for t in events["event_type"]}) if len(events) else []
            self.type_box.clear()
            self.type_box.addItem(ALL_TYPES, "")
            for kind in kinds:
                self.type_box.addItem(type_word(kind), kind)
            starts = [s for s in events["date_start"] if isinstance(s, str) and s]
            ends = [e for e in events["date_end"] if isinstance(e, str) and e]
            if starts and ends:
                self.date_from.setDate(QDate.fromString(min(starts), "yyyy-MM-dd"))
                self.date_to.setDate(QDate.fromString(max(ends), "yyyy-MM-dd"))
        finally:
            self._following = False

    def _filters_changed(self, chosen: EventFilter) -> None:
        self._following = True
        try:
            for camp, button in self.camp_buttons.items():
                button.setChecked(not chosen.camps or camp in chosen.camps)
            kind = next(iter(chosen.event_types), "") if len(chosen.event_types) == 1 else ""
            position = self.type_box.findData(kind)
            self.type_box.setCurrentIndex(max(position, 0))
            self.range_check.setChecked(bool(chosen.date_from or chosen.date_to))
            self.date_from.setEnabled(self.range_check.isChecked())
            self.date_to.setEnabled(self.range_check.isChecked())
            if self.search_box.text() != chosen.query:
                self.search_box.setText(chosen.query)
            self.only_matches.setChecked(chosen.only_matches)
        finally:
            self._following = False
        self._update_count(chosen)

    def _update_count(self, chosen: EventFilter) -> None:
        total = len(self._state.events)
        shown = len(self._state.visible_ids)
        text = f"사건 {shown}/{total}"
        if chosen.query.strip():
            text += f" · 일치 {len(self._state.matched_ids)}"
        self.count_label.setText(text)
