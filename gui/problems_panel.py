"""The problems panel: files that failed to load, or loaded with something off, and why."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from core.model import Corpus, Problem, Severity
from gui.frame_model import KEY_ROLE, FrameModel
from gui.korean import reason_text
from gui.state import AppState

SEVERITY_LABELS = {Severity.ERROR: "오류", Severity.WARNING: "경고", Severity.NOTE: "참고"}

PROBLEM_COLUMNS = [("file", "파일"), ("severity", "심각도"), ("reason", "이유")]


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem, in the order given."""
    rows = [
        {
            "file": problem.file,
            "severity": SEVERITY_LABELS.get(problem.severity, str(problem.severity)),
            "reason": reason_text(problem.reason),
        }
        for problem in problems
    ]
    return pd.DataFrame(rows, columns=["file", "severity", "reason"])


class ProblemsPanel(QWidget):
    """Qt view of ``Corpus.all_problems()``; double-clicking a problem selects its article."""

    #: the number of problems shown changed
    count_changed = Signal(int)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.model = FrameModel(PROBLEM_COLUMNS, key="file", tooltips={"reason": "reason"})
        self.model.setParent(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        state.corpus_loaded.connect(self._corpus_loaded)

    def _corpus_loaded(self, corpus: Corpus) -> None:
        self.model.set_frame(problems_frame(corpus.all_problems()))
        self.count_changed.emit(self.model.rowCount())

    def _double_clicked(self, index: QModelIndex) -> None:
        file = index.data(KEY_ROLE)
        if file and self._state.article_by_file(file) is not None:
            self._state.select_article(file)
