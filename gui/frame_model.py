"""The one adapter through which pandas DataFrames reach Qt views.

``FrameModel`` shows some columns of a frame under display headers and resets when a new
frame arrives; rows are never copied into widgets by hand. A column named ``<col>_sort``,
when present, gives the sort key of ``<col>`` (so a date shown as ``2023-12 (월)`` sorts
by its first day).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QStyleOptionViewItem, QTableView

#: the role under which a cell gives its sort key
SORT_ROLE = Qt.ItemDataRole.UserRole
#: the role under which a row gives its key column's value (e.g. an article's file)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
#: rows sampled beside the visible ones when a view sizes columns to their contents: Qt's
#: default (1,000) asks for every cell of a thousand rows in several roles, which froze the
#: window for over a second when a big corpus was shown
SIZE_SAMPLE_ROWS = 50
#: rows measured per column by ``fit_columns``: those holding its longest texts
FIT_CANDIDATES = 8

# roles as plain ints: a view asks ``data`` for every cell in several roles (tens of
# thousands of calls when a big table is first sized), and comparing an int with an enum
# member costs more than the rest of the call
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_SORT = int(SORT_ROLE)
_KEY = int(KEY_ROLE)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
        self._values: dict[str, list[object]] = _Cells(self._frame)
        self._rows: dict[object, int] | None = {}
        self._count = 0
        #: each row's position in the frame as given (to restore that order: column -1)
        self._origin: list[int] = []
        #: the last ``sort`` asked for, applied to every new frame (None: the frame's order)
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None
        #: a column's cells as shown (strings), made on the first request for that column
        self._shown: dict[str, list[str]] = {}

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
        # ``DataFrame.at`` costs ~100 us a call (seconds for a few thousand rows); each made
        # when first asked for, as most of a frame's columns are never shown
        self._values = _Cells(self._frame)
        self._count = len(self._frame)
        self._origin = list(range(self._count))
        self._shown = {}
        # each selection asks for its row: a lookup made on the first request, not a scan
        # of the key column each time (nor a dictionary of every key before the table shows)
        self._rows = None
        if self._sorted_by is not None:
            order = self._order(*self._sorted_by)
            if order is not None:
                self._reorder(order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Put the rows in the order of ``column``'s sort keys (``-1``: the frame's order).

        The model sorts itself, with the keys in one Python list sorted at C speed, and keeps
        the order for the next frame. A sorting proxy would ask ``data`` for two keys per
        comparison, each a call into Python: seconds for a few thousand events, with the
        window frozen, each time a corpus is shown. Equal keys keep their order (as the
        proxy's stable sort does); persistent indexes (the selection) follow their rows.
        """
        self._sorted_by = (column, order)
        new_order = self._order(column, order)
        if new_order is None:
            return
        self.layoutAboutToBeChanged.emit()
        moved_to = [0] * self._count
        for new_row, old_row in enumerate(new_order):
            moved_to[old_row] = new_row
        old = self.persistentIndexList()
        self._reorder(new_order)
        self.changePersistentIndexList(
            old, [self.index(moved_to[i.row()], i.column()) for i in old]
        )
        self.layoutChanged.emit()

    def _order(self, column: int, order: Qt.SortOrder) -> list[int] | None:
        """Current rows in their order under ``(column, order)``, or None if unchanged."""
        if self._count < 2 or column >= len(self._columns):
            return None
        keys: list[Any]
        if column < 0:
            keys = list(self._origin)
        else:
            source = self._sort_source(self._columns[column][0])
            keys = [_sort_key(v) for v in self._values[source]]
        descending = order == Qt.SortOrder.DescendingOrder
        try:
            rows = sorted(range(self._count), key=keys.__getitem__, reverse=descending)
        except TypeError:  # keys of mixed kinds: numbers before text, as Qt's variants sort
            mixed = [(isinstance(k, str), k if isinstance(k, str) else float(k)) for k in keys]
            rows = sorted(range(self._count), key=mixed.__getitem__, reverse=descending)
        return None if rows == list(range(self._count)) else rows

    def _sort_source(self, column: str) -> str:
        """The frame column holding ``column``'s sort keys: ``<column>_sort`` if there is one."""
        sort_column = f"{column}_sort"
        return sort_column if sort_column in self._frame.columns else column

    def _reorder(self, rows: list[int]) -> None:
        """Make frame row ``rows[i]`` row ``i`` (the frame, its columns and caches)."""
        self._frame = self._frame.take(rows).reset_index(drop=True)
        self._values = _Cells(self._frame)  # columns made again from the reordered frame
        self._origin = [self._origin[r] for r in rows]
        self._shown = {name: [cells[r] for r in rows] for name, cells in self._shown.items()}
        self._rows = None

    def replace_rows(self, rows: pd.DataFrame) -> None:
        """Show ``rows`` (frame rows with this model's columns) in place of the rows with
        the same keys; keys not shown are ignored. The order stays as it is."""
        if self._key is None:
            return
        frame = self._frame
        names = [c for c in rows.columns if c in frame.columns]
        positions = [frame.columns.get_loc(c) for c in names]
        for record in rows[names].to_dict("records"):
            row = self.row_of(record[self._key])
            if row < 0:
                continue
            for name, position in zip(names, positions, strict=True):
                value = record[name]
                frame.iat[row, position] = value
                if name in self._values:
                    self._values[name][row] = value
                if name in self._shown:
                    self._shown[name][row] = value if type(value) is str else _display(value)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def value(self, row: int, column: str) -> object:
        """The frame's cell at ``row`` (a position) in ``column``, as a plain Python value."""
        return self._values[column][row]

    def row_of(self, key_value: object) -> int:
        """The row whose key column equals ``key_value``, or -1."""
        rows = self._rows
        if rows is None:
            rows = {}
            if self._key is not None:
                for row, value in enumerate(self._values[self._key]):
                    rows.setdefault(value, row)  # the first row of a key, as before
            self._rows = rows
        return rows.get(key_value, -1)

    def shown(self, column: str) -> list[str]:
        """Every cell of frame column ``column`` as the table shows it (made once a frame)."""
        cells = self._shown.get(column)
        if cells is None:
            # most cells are text already: only the others go through ``_display``
            cells = self._shown[column] = [
                v if type(v) is str else _display(v) for v in self._values[column]
            ]
        return cells

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        # asked once per index Qt makes (``hasIndex``): a plain int, not ``len(frame)``
        return 0 if parent.isValid() else self._count

    def column_name(self, column: int) -> str:
        """The frame column shown in view column ``column``."""
        return self._columns[column][0]

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = index.row()  # -1 for an invalid index
        if row < 0:
            return None
        column = self._columns[index.column()][0]
        role = int(role)
        if role == _DISPLAY:
            return self.shown(column)[row]
        if role == _SORT:
            return _sort_key(self._values[self._sort_source(column)][row])
        if role == _KEY:
            return self.shown(self._key)[row] if self._key is not None else None
        if role == _TOOLTIP:
            tip = self._tooltips.get(column)
            return (self.shown(tip)[row] or None) if tip is not None else None
        if role == _ALIGNMENT:
            value = self._values[column][row]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return _RIGHT
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


class _Cells(dict):
    """A frame's columns as plain lists, each made on its first lookup."""

    def __init__(self, frame: pd.DataFrame) -> None:
        super().__init__()
        self._frame = frame

    def __missing__(self, column: str) -> list[object]:
        cells = self[column] = self._frame[column].tolist()
        return cells


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


def fit_columns(view: QTableView, model: FrameModel, columns: Iterable[int]) -> None:
    """Size ``columns`` of ``view`` (showing ``model``, directly or through a proxy) as
    ``resizeColumnToContents`` would with every row sampled, at the cost of a few.

    Qt's own sizing asks the model for every sampled cell in several roles (a Python call
    each) and still misses a long text outside its sample; swapping it for this in the
    event table took the 10k-article hand-over's worst pause from 136-145 to 125-132 ms.
    Here only the rows holding a column's
    ``FIT_CANDIDATES`` longest texts (by characters, over all rows) go through the
    view's delegate, which measures them exactly as Qt would.
    """
    proxy = view.model()
    header = view.horizontalHeader()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    grid = 1 if view.showGrid() else 0
    for column in columns:
        texts = model.shown(model.column_name(column))
        rows = heapq.nlargest(FIT_CANDIDATES, range(len(texts)), key=lambda r: len(texts[r]))
        width = 0
        delegate = view.itemDelegateForColumn(column) or view.itemDelegate()
        for row in rows:
            index = model.index(row, column)
            if isinstance(proxy, QAbstractProxyModel):
                index = proxy.mapFromSource(index)
            if index.isValid():
                width = max(width, delegate.sizeHint(option, index).width() + grid)
        if not header.isHidden():
            width = max(width, header.sectionSizeHint(column))
        view.setColumnWidth(column, width)
