"""The review's dialogs: correcting an event (or making one by hand), and choosing a name.

Each is window-modal and opened with ``open()``, never ``exec()``: the event loop keeps
running and tests drive the dialog like a user. An edit ``core.review`` refuses is not
accepted; the dialog stays open and says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from core.camps import CAMPS
from core.predicates import EVENT_TYPES
from core.review import DATE_PRECISIONS, ReviewError, validate_edits
from gui.camp_colors import camp_label
from gui.event_table import PRECISION_WORDS, type_word

#: the fields the dialog shows, with their labels
FIELDS = (
    ("title", "제목"),
    ("date_start", "시작 (2024, 2024-08, 2024-08-07)"),
    ("date_end", "끝 (비우면 시작과 같은 기간)"),
    ("precision", "정밀도"),
    ("event_type", "유형"),
    ("camp", "진영"),
    ("actors", "주체 (;로 구분)"),
)


class EventEditDialog(QDialog):
    """The fields of one event; ``on_accept(edits)`` gets only the fields changed.

    ``machine`` holds the machine's values, shown beside each field and in its tooltip;
    ``current`` the values as the analyst last left them.
    """

    def __init__(
        self,
        title: str,
        current: Mapping[str, Any],
        machine: Mapping[str, Any],
        on_accept: Callable[[dict[str, str]], None],
        parent: QWidget | None = None,
        *,
        all_fields: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._current = {name: _text(current.get(name)) for name, _ in FIELDS}
        self._on_accept = on_accept
        self._all = all_fields
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        for name, label in FIELDS:
            widget: QLineEdit | QComboBox
            if name in ("precision", "event_type", "camp"):
                widget = QComboBox()
                if name == "precision":
                    widget.addItem("날짜에서 (자동)", "")
                choices = {
                    "precision": [(p, PRECISION_WORDS.get(p, p)) for p in DATE_PRECISIONS],
                    "event_type": [(t, type_word(t)) for t in EVENT_TYPES],
                    "camp": [(c, camp_label(c)) for c in CAMPS],
                }[name]
                for value, shown in choices:
                    widget.addItem(f"{shown} ({value})", value)
                widget.setCurrentIndex(max(widget.findData(self._current[name]), 0))
            else:
                widget = QLineEdit(self._current[name])
            original = _text(machine.get(name))
            if original:
                widget.setToolTip(f"기계가 뽑은 값: {original}")
            widget.setObjectName(name)
            self.edits[name] = widget
            form.addRow(label, widget)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setStyleSheet("color: #b00020")
        self.reason.setWordWrap(True)
        form.addRow(self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self, name: str) -> str:
        widget = self.edits[name]
        if isinstance(widget, QComboBox):
            return str(widget.currentData() or "")
        return widget.text().strip()

    def changed(self) -> dict[str, str]:
        """The fields whose value differs from the current one (all of them for a new event).

        A changed date field brings the other two with it: the three make one interval.
        """
        names = [n for n, _ in FIELDS if self._all or self.value(n) != self._current[n]]
        if {"date_start", "date_end", "precision"} & set(names):
            names += [n for n in ("date_start", "date_end", "precision") if n not in names]
            if self.value("precision") == self._current["precision"] and not self._all:
                names.remove("precision")  # inferred from the new dates
        out = {name: self.value(name) for name in names}
        if "date_start" in out and not self._all and out["date_end"] == self._current["date_end"]:
            out["date_end"] = ""  # a new start alone is the whole of its period, not to the old end
        return out

    def accept(self) -> None:
        edits = self.changed()
        try:
            validate_edits(edits)
        except ReviewError as exc:
            self.reason.setText(str(exc))
            return
        self.reason.clear()
        super().accept()
        if edits:
            self._on_accept(edits)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
