"""The main window: article table, source viewer, problems panel, and corpus loading.

Loading runs ``build(folder, progress, cancelled)`` (``core.pipeline.build`` unless another
is injected) on the worker; the result reaches ``AppState`` on the main thread. A failed
or cancelled load leaves the previous corpus in place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
)

from core.loading import CorpusError
from core.model import Corpus
from gui import settings as keys
from gui.article_table import ArticleTable
from gui.problems_panel import ProblemsPanel
from gui.settings import Settings
from gui.source_viewer import SourceViewer
from gui.state import AppState
from gui.worker import CancelledFn, Job, ProgressFn, run_job

log = logging.getLogger(__name__)

BuildFn = Callable[[Path, ProgressFn, CancelledFn], Corpus]
APP_TITLE = "camp-timeline"


def pipeline_build(root: Path, progress: ProgressFn, cancelled: CancelledFn) -> Corpus:
    """The real pipeline (imported on first use: it loads Kiwi, which takes a while)."""
    from core.pipeline import build

    return build(root, progress=progress, cancelled=cancelled)


def folder_from_urls(urls: list[QUrl]) -> Path | None:
    """The one local folder among dropped URLs, else None."""
    folders = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
    folders = [f for f in folders if f.is_dir()]
    return folders[0] if len(folders) == 1 else None


class MainWindow(QMainWindow):
    """The app's window over one ``AppState``."""

    def __init__(
        self,
        state: AppState | None = None,
        settings: Settings | None = None,
        build: BuildFn | None = None,
    ) -> None:
        super().__init__()
        self.state = state or AppState(self)
        self.settings = settings or Settings()
        self._build = build or pipeline_build
        self._job: Job | None = None
        self._loading_folder: Path | None = None
        #: the last message box shown (kept so that it stays alive and tests can read it)
        self.last_message: QMessageBox | None = None

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.article_table = ArticleTable(self.state)
        self.source_viewer = SourceViewer(self.state)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.article_table)
        self.splitter.addWidget(self.source_viewer)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.problems_panel = ProblemsPanel(self.state)
        self.problems_dock = QDockWidget("문제", self)
        self.problems_dock.setObjectName("problems_dock")
        self.problems_dock.setWidget(self.problems_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)

        self._make_status_bar()
        self._make_menus()
        self._connect_state()
        self._restore_settings()

    # -- construction -------------------------------------------------------------------

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.counts_label = QLabel("코퍼스 없음")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton("취소")
        self.cancel_button.clicked.connect(self.cancel_load)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.counts_label)
        self._set_busy(False)

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("파일(&F)")
        self.open_action = QAction("폴더 열기…", self)
        self.open_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(self.choose_folder)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("최근 코퍼스", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        quit_action = QAction("끝내기", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("보기(&V)")
        view_menu.addAction(self.source_viewer.show_source_action)
        view_menu.addAction(self.problems_dock.toggleViewAction())
        self._fill_recent_menu(self.settings.recent_corpora())

    def _connect_state(self) -> None:
        self.state.corpus_loaded.connect(self._corpus_loaded)
        self.state.article_selected.connect(self._article_selected)
        self.source_viewer.source_mode_changed.connect(
            lambda on: self.settings.set(keys.SHOW_SOURCE, on)
        )

    def _restore_settings(self) -> None:
        geometry = self.settings.get(keys.WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        state = self.settings.get(keys.WINDOW_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:  # the text is what a reader came for; the problems get a strip below it
            self.resizeDocks([self.problems_dock], [150], Qt.Orientation.Vertical)
        splitter = self.settings.get(keys.WINDOW_SPLITTER)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        self.source_viewer.set_source_mode(bool(self.settings.get(keys.SHOW_SOURCE)))

    def _save_settings(self) -> None:
        self.settings.set(keys.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState())
        self.settings.set(keys.WINDOW_SPLITTER, self.splitter.saveState())
        self.settings.sync()

    # -- loading ------------------------------------------------------------------------

    def is_loading(self) -> bool:
        return self._job is not None

    def choose_folder(self) -> None:
        """File > Open folder…: ask for a folder and load it."""
        start = self.state.corpus_root
        folder = QFileDialog.getExistingDirectory(
            self, "코퍼스 폴더 열기", str(start.parent if start else Path.home())
        )
        if folder:
            self.load_corpus(Path(folder))

    def load_corpus(self, folder: Path) -> Job:
        """Start loading ``folder`` on the worker; a load already running is cancelled."""
        if self._job is not None:
            self._job.cancel()
        folder = Path(folder)
        job = run_job(
            lambda progress, cancelled: self._build(folder, progress, cancelled),
            name=f"load {folder}",
        )
        self._job = job
        self._loading_folder = folder
        job.progressed.connect(
            lambda done, total, msg: self._load_progressed(job, done, total, msg)
        )
        job.succeeded.connect(lambda corpus: self._load_succeeded(job, folder, corpus))
        job.failed.connect(lambda exc: self._load_failed(job, folder, exc))
        job.was_cancelled.connect(lambda: self._load_cancelled(job, folder))
        self._set_busy(True)
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.statusBar().showMessage(f"불러오는 중: {folder}")
        self.state.load_started.emit(str(folder))
        return job

    def cancel_load(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage("취소하는 중…")

    def _is_current(self, job: Job) -> bool:
        return job is self._job

    def _end_load(self) -> None:
        self._job = None
        self._loading_folder = None
        self._set_busy(False)

    def _load_progressed(self, job: Job, done: int, total: int, message: str) -> None:
        if not self._is_current(job):
            return
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, max(total, 1)))
        # QProgressBar reads % as a placeholder in its format
        label = message.replace("%", "")
        self.progress_bar.setFormat(f"%p%  {label}" if len(label) < 30 else "%p%")
        self.state.load_progressed.emit(done, total, message)

    def _load_succeeded(self, job: Job, folder: Path, corpus: Corpus) -> None:
        if not self._is_current(job):
            return
        self._end_load()
        self.statusBar().showMessage(f"불러옴: {folder}", 5000)
        self._fill_recent_menu(self.settings.remember_corpus(folder))
        self.state.set_corpus(corpus)

    def _load_failed(self, job: Job, folder: Path, exc: BaseException) -> None:
        if not self._is_current(job):
            return
        self._end_load()
        if isinstance(exc, CorpusError):
            reason = str(exc)
        else:
            reason = f"예상하지 못한 오류 ({type(exc).__name__}): {exc}"
            log.error("loading %s failed", folder, exc_info=(type(exc), exc, exc.__traceback__))
        self.statusBar().showMessage(f"불러오지 못함: {folder}", 5000)
        self.state.load_failed.emit(str(folder), reason)
        kept = self.state.corpus_root
        text = f"다음 폴더를 코퍼스로 열 수 없습니다.\n\n폴더: {folder}\n이유: {reason}"
        if kept is not None:
            text += f"\n\n지금 코퍼스({kept.name})를 그대로 둡니다."
        self.show_message(QMessageBox.Icon.Warning, "코퍼스를 열 수 없습니다", text)

    def _load_cancelled(self, job: Job, folder: Path) -> None:
        if not self._is_current(job):
            return
        self._end_load()
        self.statusBar().showMessage(f"불러오기를 취소했습니다: {folder}", 5000)
        self.state.load_cancelled.emit(str(folder))

    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self.progress_bar.reset()

    # -- reactions to the state ---------------------------------------------------------

    def _corpus_loaded(self, corpus: Corpus) -> None:
        self.setWindowTitle(f"{corpus.root.name} — {APP_TITLE}")
        sentences = sum(len(a.sentences) for a in corpus.articles)
        problems = len(corpus.all_problems())
        self.counts_label.setText(
            f"기사 {len(corpus.articles)}건 · 문장 {sentences}개 · 문제 {problems}건"
        )
        if corpus.articles:
            self.article_table.select_row(0)

    def _article_selected(self, article: object) -> None:
        file = getattr(article, "file", None)
        self.statusBar().showMessage(file or "", 3000)

    def _fill_recent_menu(self, recent: list[Path]) -> None:
        self.recent_menu.clear()
        for folder in recent:
            action = self.recent_menu.addAction(str(folder))
            action.triggered.connect(lambda _checked=False, f=folder: self.load_corpus(f))
        self.recent_menu.setEnabled(bool(recent))

    # -- messages -----------------------------------------------------------------------

    def show_message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a window-modal message without blocking the event loop."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, b=box: self._forget_message(b))
        self.last_message = box
        box.open()
        return box

    def _forget_message(self, box: QMessageBox) -> None:
        if self.last_message is box:
            self.last_message = None

    # -- drag and drop, closing ---------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and folder_from_urls(mime.urls()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        folder = folder_from_urls(mime.urls()) if mime.hasUrls() else None
        if folder is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.load_corpus(folder)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            self._job.cancel()
            # its final signal may arrive after the window is gone: make it a no-op
            self._end_load()
        self._save_settings()
        super().closeEvent(event)
