"""The one adapter through which pandas DataFrames reach Qt views.

``FrameModel`` shows some columns of a frame under display headers and resets when a new
frame arrives; rows are never copied into widgets by hand. A column named ``<col>_sort``,
when present, gives the sort key of ``<col>`` (so a date shown as ``2023-12 (월)`` sorts
by its first day).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView

#: the role under which a cell gives its sort key
SORT_ROLE = Qt.ItemDataRole.UserRole
#: the role under which a row gives its key column's value (e.g. an article's file)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class FrameModel(QAbstractTableModel):
    """A read-only table model over a DataFrame.

    ``columns`` pairs a frame column with its header; ``key`` names the column whose value
    identifies a row (given under ``KEY_ROLE``); ``tooltips`` maps a shown column to the
    frame column holding its tooltip.
    """

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        key: str | None = None,
        tooltips: dict[str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._tooltips = dict(tooltips or {})
        self._frame = pd.DataFrame(columns=[name for name, _ in self._columns])
        self._values: dict[str, list[object]] = {name: [] for name, _ in self._columns}
        self._rows: dict[object, int] = {}

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Show ``frame`` instead of the current one (a model reset)."""
        missing = [name for name, _ in self._columns if name not in frame.columns]
        if missing:
            raise ValueError(f"frame lacks columns {missing}")
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        # plain per-column lists: a view asks for every visible cell in several roles, and
        # ``DataFrame.at`` costs ~100 us a call (seconds for a few thousand rows)
        self._values = {name: self._frame[name].tolist() for name in self._frame.columns}
        # each selection asks for its row: a lookup, not a scan of the key column
        self._rows = {}
        if self._key is not None:
            for row, key_value in enumerate(self._values[self._key]):
                self._rows.setdefault(key_value, row)  # the first row of a key, as before
        self.endResetModel()

    def value(self, row: int, column: str) -> object:
        """The frame's cell at ``row`` (a position) in ``column``, as a plain Python value."""
        return self._values[column][row]

    def row_of(self, key_value: object) -> int:
        """The row whose key column equals ``key_value``, or -1."""
        return self._rows.get(key_value, -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), self._columns[index.column()][0]
        values = self._values
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(values[column][row])
        if role == SORT_ROLE:
            sort_column = f"{column}_sort"
            source = sort_column if sort_column in values else column
            return _sort_key(values[source][row])
        if role == KEY_ROLE and self._key is not None:
            return _display(values[self._key][row])
        if role == Qt.ItemDataRole.ToolTipRole and column in self._tooltips:
            return _display(values[self._tooltips[column]][row]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = values[column][row]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


def _display(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _sort_key(value: object) -> object:
    # numpy scalars do not compare with Python values inside QVariant; hand out plain ones
    if hasattr(value, "item"):
        return value.item()  # type: ignore[union-attr]
    return "" if value is None else value


def select_view_row(view: QAbstractItemView, row: int) -> None:
    """Make view row ``row`` (as shown: sorted, filtered) the current, selected row."""
    index = view.model().index(row, 0)
    if index.isValid():
        view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
