"""The entity panel: the timeline's entities grouped by type, with counts and camp colour.

``entity_panel_frame`` lays the entities frame out as the panel shows it: a header row per
type (Korean group name and count), then its entities by mention count; unlinked
candidates come last in a group of their own. ``EntityPanelModel`` shows that frame through
the frame adapter, with a check box on every entity row. Checking entities filters the
events (``AppState.set_filter``); selecting one highlights its events
(``AppState.select_entity``).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.search import UNLINKED_PREFIX, EventFilter
from core.timeline import Timeline
from gui.camp_colors import CAMP_DESCRIPTIONS, camp_label, camp_qcolor
from gui.frame_model import KEY_ROLE, SIZE_SAMPLE_ROWS, FrameModel, fit_columns
from gui.state import VIEW_PREPARERS, AppState

#: entity types in Korean, in the order the panel lists their groups
TYPE_GROUPS = {
    "organisation": "기업·단체",
    "model": "모델",
    "product": "제품·서비스",
    "person": "인물",
    "alliance": "연합",
    "institution": "기관",
    "event": "행사",
    "type": "분류",
}
OTHER_GROUP = "기타"
UNLINKED_GROUP = "미확인 후보"
PANEL_COLUMNS = [
    ("label", "개체"),
    ("camp_shown", "진영"),
    ("mentions", "언급"),
    ("events", "사건"),
]
_Index = QModelIndex | QPersistentModelIndex
_CHECK_STATE = int(Qt.ItemDataRole.CheckStateRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FONT = int(Qt.ItemDataRole.FontRole)


def entity_key(row: dict[str, object]) -> str:
    """The key of an entity row: its id, or ``?name`` for an unlinked candidate."""
    if row.get("linked") and row.get("entity_id"):
        return str(row["entity_id"])
    return f"{UNLINKED_PREFIX}{row.get('name', '')}"


def entity_panel_frame(entities: pd.DataFrame) -> pd.DataFrame:
    """Group header rows and entity rows, in the order the panel lists them."""
    columns = ["key", "label", "camp", "camp_shown", "mentions", "events", "is_group", "tip"]
    groups: dict[str, list[dict[str, object]]] = {}
    for row in entities.to_dict("records"):
        linked = bool(row.get("linked"))
        group = (
            TYPE_GROUPS.get(str(row.get("entity_type")), OTHER_GROUP) if linked else UNLINKED_GROUP
        )
        camp = str(row.get("camp") or "")
        surfaces = str(row.get("surfaces") or "")
        groups.setdefault(group, []).append(
            {
                "key": entity_key(row),
                "label": str(row.get("name") or row.get("entity_id") or ""),
                "camp": camp,
                "camp_shown": camp_label(camp) if camp else "",
                "mentions": int(row.get("mentions") or 0),
                "events": int(row.get("events") or 0),
                "is_group": False,
                "tip": "\n".join(
                    part
                    for part in (
                        str(row.get("entity_id") or ""),
                        f"표기: {surfaces}" if surfaces else "",
                        CAMP_DESCRIPTIONS.get(camp, ""),
                        str(row.get("camp_evidence") or ""),
                    )
                    if part
                ),
            }
        )
    order = [*TYPE_GROUPS.values(), OTHER_GROUP, UNLINKED_GROUP]
    rows: list[dict[str, object]] = []
    for group in sorted(groups, key=order.index):
        members = sorted(groups[group], key=lambda r: (-int(r["mentions"]), str(r["label"])))  # type: ignore[call-overload]
        rows.append(
            {
                "key": f"#group:{group}",
                "label": f"{group} ({len(members)})",
                "camp": "",
                "camp_shown": "",
                "mentions": sum(int(r["mentions"]) for r in members),  # type: ignore[call-overload]
                "events": "",
                "is_group": True,
                "tip": "",
            }
        )
        rows.extend(members)
    return pd.DataFrame(rows, columns=columns)


#: the name under which a load makes the panel's frame off the GUI thread
ENTITY_PANEL_VIEW = "entity_panel"
VIEW_PREPARERS[ENTITY_PANEL_VIEW] = lambda _corpus, timeline: entity_panel_frame(timeline.entities)


class EntityPanelModel(FrameModel):
    """Qt model of the panel frame: checkable entity rows, bold group rows, camp swatches."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(PANEL_COLUMNS, key="key", tooltips={"label": "tip"}, parent=parent)
        self._checked: set[str] = set()
        self._bold = QFont()  # one font for every group row of every paint
        self._bold.setBold(True)

    def set_timeline(self, timeline: Timeline, frame: pd.DataFrame | None = None) -> None:
        """Show ``timeline``'s entities; ``frame`` is its ``entity_panel_frame`` if made."""
        self._checked = set()
        self.set_frame(frame if frame is not None else entity_panel_frame(timeline.entities))

    def checked(self) -> frozenset[str]:
        return frozenset(self._checked)

    def set_checked(self, keys: frozenset[str]) -> None:
        if set(keys) == self._checked:
            return
        self._checked = set(keys)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )

    def is_group(self, row: int) -> bool:
        return bool(self.value(row, "is_group"))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_group(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()
        if row < 0:
            return None
        role = int(role)
        if role == _CHECK_STATE:
            if index.column() != 0 or self.is_group(row):
                return None
            key = str(self.value(row, "key"))
            return Qt.CheckState.Checked if key in self._checked else Qt.CheckState.Unchecked
        if role == _DECORATION:
            if index.column() != 1 or self.is_group(row):
                return None
            camp = str(self.value(row, "camp"))
            return camp_qcolor(camp) if camp else None
        if role == _FONT:
            return self._bold if self.is_group(row) else None
        return super().data(index, role)

    def setData(self, index: _Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column():
            return False
        if self.is_group(index.row()):
            return False
        key = str(self.value(index.row(), "key"))
        on = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        if on:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class EntityPanel(QWidget):
    """Qt view of the timeline's entities; writes checked and selected entities to the state."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._following = False
        self.model = EntityPanelModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # fitted once per timeline (fit_columns), not ResizeToContents: that mode measures
        # its sample of rows again at every layout, a Python call per cell and role
        for column in range(1, len(PANEL_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.summary = QLabel()
        self.clear_button = QPushButton("체크 해제")
        self.clear_button.setToolTip("체크한 개체로 거른 것을 모두 풉니다")
        self.clear_button.clicked.connect(self.clear_checks)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.model.dataChanged.connect(self._data_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        state.timeline_loaded.connect(self._timeline_loaded)
        state.filters_changed.connect(self._filters_changed)
        state.entity_selected.connect(self._entity_selected)
        self._update_summary()

    def keys(self) -> list[str]:
        """Keys of the entity rows (group rows left out), top to bottom."""
        frame = self.model.frame
        if "key" not in frame.columns:
            return []
        return [str(k) for k, g in zip(frame["key"], frame["is_group"], strict=True) if not g]

    def row_of(self, key: str) -> int:
        return self.model.row_of(key)

    def set_checked(self, key: str, on: bool) -> None:
        """Check or uncheck the entity ``key`` as a click on its box would."""
        row = self.row_of(key)
        if row >= 0:
            state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
            self.model.setData(self.model.index(row, 0), state, Qt.ItemDataRole.CheckStateRole)

    def select(self, key: str | None) -> None:
        """Select the entity ``key`` as a click on its row would."""
        row = self.row_of(key) if key else -1
        if row < 0:
            self.view.clearSelection()
            self._state.select_entity(None)
            return
        self.view.selectRow(row)

    def clear_checks(self) -> None:
        self._state.set_filter(dataclasses.replace(self._state.filter, entities=frozenset()))

    def _timeline_loaded(self, timeline: Timeline) -> None:
        self._following = True
        try:
            self.model.set_timeline(
                timeline, self._state.prepared_view(ENTITY_PANEL_VIEW, timeline)
            )
            fit_columns(self.view, self.model, range(1, len(PANEL_COLUMNS)))
        finally:
            self._following = False
        self._update_summary()

    def _data_changed(self, *_args: object) -> None:
        if self._following:
            return
        chosen = self.model.checked()
        if chosen != self._state.filter.entities:
            self._state.set_filter(dataclasses.replace(self._state.filter, entities=chosen))
        self._update_summary()

    def _filters_changed(self, chosen: EventFilter) -> None:
        self._following = True
        try:
            self.model.set_checked(chosen.entities)
        finally:
            self._following = False
        self._update_summary()

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._following:
            return
        key = current.data(KEY_ROLE) if current.isValid() else None
        if key is not None and self.model.is_group(current.row()):
            key = None
        self._state.select_entity(key)

    def _entity_selected(self, key: str | None) -> None:
        row = self.row_of(key) if key else -1
        current = self.view.currentIndex().row()
        if row == current:
            return
        self._following = True
        try:
            if row < 0:
                self.view.clearSelection()
            else:
                self.view.selectRow(row)
        finally:
            self._following = False

    def _update_summary(self) -> None:
        entities = len(self.keys())
        checked = len(self.model.checked())
        text = f"개체 {entities}개"
        if checked:
            text += f" · {checked}개로 거르는 중"
        self.summary.setText(text)
        self.clear_button.setEnabled(bool(checked))
