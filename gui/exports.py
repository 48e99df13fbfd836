"""File > Export: the timeline as CSV, JSON (``core.export``) and PNG (``gui.png_export``).

Every export asks for a path, writes atomically (a failed export leaves no partial file and
keeps an older one), and says what happened: the status bar on success, an error dialog
naming the file and the reason on failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from core.export import ExportError, write_csv, write_json
from core.review import only_events, without_rejected
from core.timeline import Timeline
from gui import settings as keys
from gui.settings import Settings
from gui.state import AppState

log = logging.getLogger(__name__)

ShowMessage = Callable[[QMessageBox.Icon, str, str], QMessageBox]
Writer = Callable[[Timeline, Path], None]


def _write_png(timeline: Timeline, path: Path, corpus: Path | None) -> None:
    from gui.png_export import export_timeline_png, timeline_title

    export_timeline_png(timeline.events, path, title=timeline_title(corpus))


class Exporter:
    """The export actions of one window, over its state."""

    def __init__(
        self,
        state: AppState,
        window: QMainWindow,
        show_message: ShowMessage,
        settings: Settings,
    ) -> None:
        self._state = state
        self._window = window
        self._settings = settings
        self._show = show_message
        self.csv_action = QAction("CSV로 내보내기…", window)
        self.csv_action.triggered.connect(lambda: self.export("csv"))
        self.json_action = QAction("JSON으로 내보내기…", window)
        self.json_action.triggered.connect(lambda: self.export("json"))
        self.png_action = QAction("PNG 그림으로 내보내기…", window)
        self.png_action.triggered.connect(lambda: self.export("png"))
        #: off: the whole timeline (less the events the analyst rejected, as ``build``
        #: writes it); on: the events the filters show now
        self.shown_only_action = QAction("보이는 사건만 내보내기", window)
        self.shown_only_action.setCheckable(True)
        self.shown_only_action.setToolTip(
            "켜면 지금 필터로 보이는 사건만, 끄면 타임라인 전체(거부한 사건 제외)를 내보냅니다"
        )
        state.timeline_loaded.connect(lambda _t: self._update_enabled())
        self._update_enabled()

    def actions(self) -> list[QAction]:
        return [self.csv_action, self.json_action, self.png_action, self.shown_only_action]

    def _update_enabled(self) -> None:
        has_corpus = self._state.corpus is not None
        for action in self.actions():
            action.setEnabled(has_corpus)

    def _start_path(self, suffix: str) -> str:
        folder = str(self._settings.get(keys.EXPORT_DIR))
        root = self._state.corpus_root
        name = f"{root.name if root else 'timeline'}-timeline.{suffix}"
        return str(Path(folder or Path.home()) / name)

    def export(self, kind: str) -> Path | None:
        """Ask for a path and write the timeline there as ``kind`` (csv, json or png)."""
        filters = {
            "csv": "CSV (*.csv)",
            "json": "JSON (*.json)",
            "png": "PNG 그림 (*.png)",
        }
        chosen, _filter = QFileDialog.getSaveFileName(
            self._window, "내보내기", self._start_path(kind), filters[kind]
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(f".{kind}")
        return self.write(kind, path)

    def write(self, kind: str, path: Path) -> Path | None:
        """Write the current timeline to ``path``; an error dialog on failure."""
        timeline = self._state.timeline
        if self.shown_only_action.isChecked():
            timeline = only_events(timeline, self._state.visible_ids)
        else:
            timeline = without_rejected(timeline)
        try:
            if kind == "csv":
                write_csv(timeline, path)
            elif kind == "json":
                write_json(timeline, path)
            else:
                _write_png(timeline, path, self._state.corpus_root)
        except (ExportError, OSError, ValueError) as exc:
            log.warning("export to %s failed: %s", path, exc)
            self._show(
                QMessageBox.Icon.Critical,
                "내보내지 못했습니다",
                f"다음 파일에 쓸 수 없습니다.\n\n파일: {path}\n이유: {exc}\n\n"
                "이미 있던 파일은 그대로 둡니다.",
            )
            return None
        self._settings.set(keys.EXPORT_DIR, str(path.parent))
        self._window.statusBar().showMessage(f"내보냄: {path} (사건 {len(timeline)}건)", 5000)
        return path
