"""The main window: the explorer over one corpus and its timeline.

Filter bar on top; the timeline view above the event table (with the article table in a
second tab) and the source viewer; the entity panel and the problems panel in docks.
The window only builds the layout, the menus and the keyboard, and binds the timeline
view to the state; the widgets talk to each other through ``AppState`` alone.

Loading runs one job: ``build(folder, progress, cancelled)`` (``core.pipeline.build``
unless another is injected), then ``analyse(corpus, progress, cancelled)``
(``core.timeline.build_timeline``), with one progress bar across both and a cancel that
stops either. The real pipeline runs in a child process (``gui.load_job.start_load``), so
the window never waits on it; injected stages run on the worker thread. The corpus and its
timeline reach ``AppState`` on the main thread. A failed or cancelled load leaves the
previous corpus in place.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.loading import CorpusError
from core.model import Corpus
from core.timeline import Timeline
from gui import settings as keys
from gui.about import about_html, shortcuts_html
from gui.article_table import ArticleTable
from gui.corpus_view import CorpusView
from gui.entity_panel import EntityPanel
from gui.event_table import EventTable
from gui.exports import Exporter
from gui.filter_bar import FilterBar
from gui.korean import entity_names, reason_text
from gui.load_job import (  # noqa: F401 (re-exported: tests and the app import them from here)
    BUILD_SHARE,
    PROGRESS_SCALE,
    AnalyseFn,
    BuildFn,
    load_job,
    pipeline_build,
    pipeline_timeline,
    start_load,
)
from gui.problems_panel import ProblemsPanel
from gui.review_actions import ReviewController
from gui.settings import Settings
from gui.source_viewer import SourceViewer
from gui.state import AppState, PreparedLoad
from gui.timeline_labels import GROUPINGS
from gui.timeline_view import TimelineView
from gui.worker import Job

log = logging.getLogger(__name__)

APP_TITLE = "camp-timeline"
#: the share of the available screen (each way) the first window takes
DEFAULT_SCREEN_SHARE = 0.85


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
        analyse: AnalyseFn | None = None,
    ) -> None:
        super().__init__()
        self.state = state or AppState(self)
        self.settings = settings or Settings()
        self._build = build or pipeline_build
        self._analyse = analyse or pipeline_timeline
        self._job: Job | None = None
        #: the last message box shown (kept so that it stays alive and tests can read it)
        self.last_message: QMessageBox | None = None

        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.filter_bar = FilterBar(self.state)
        self.timeline_view = TimelineView()
        self.event_table = EventTable(self.state)
        self.article_table = ArticleTable(self.state)
        self.source_viewer = SourceViewer(self.state)
        self.tables = QTabWidget()
        self.tables.addTab(self.event_table, "사건")
        self.tables.addTab(self.article_table, "기사")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tables)
        self.splitter.addWidget(self.source_viewer)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.addWidget(self.timeline_view)
        self.main_splitter.addWidget(self.splitter)
        # the timeline the taller: its lanes need rows for their labels
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 2)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        self.entity_panel = EntityPanel(self.state)
        self.entity_dock = QDockWidget("개체", self)
        self.entity_dock.setObjectName("entity_dock")
        self.entity_dock.setWidget(self.entity_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.entity_dock)
        self.problems_panel = ProblemsPanel(self.state)
        self.problems_dock = QDockWidget("문제", self)
        self.problems_dock.setObjectName("problems_dock")
        self.problems_dock.setWidget(self.problems_panel)
        # a tab beside the entities, not a strip under the text: most corpora have few
        # problems, and the tab's title carries their count
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.problems_dock)
        self.tabifyDockWidget(self.entity_dock, self.problems_dock)
        self.entity_dock.raise_()
        self.problems_panel.count_changed.connect(
            lambda count: self.problems_dock.setWindowTitle(f"문제 ({count})")
        )
        self.exporter = Exporter(self.state, self, self.show_message, self.settings)

        self._make_status_bar()
        self._make_menus()
        self.review = ReviewController(self)
        # the review's actions on the event under the pointer (the menu selected it first)
        self.timeline_view.context_menu_requested.connect(
            lambda menu, event_id: event_id and self.review.add_to_menu(menu)
        )
        self._connect_state()
        self._bind_timeline_view()
        self._restore_settings()
        self.timeline_view.setFocus(Qt.FocusReason.OtherFocusReason)

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
        for action in self.exporter.actions():
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction("끝내기", self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        event_menu = self.menuBar().addMenu("사건(&E)")
        self.previous_action = self._action(
            "이전 사건", ["Alt+Left", "K"], lambda: self.state.step_event(-1), while_typing=False
        )
        self.next_action = self._action(
            "다음 사건", ["Alt+Right", "J"], lambda: self.state.step_event(1), while_typing=False
        )
        self.open_source_action = self._action(
            "원문에서 보기", ["Return", "Enter"], self.open_source, while_typing=False
        )
        self.find_action = self._action(
            "찾기…", [QKeySequence(QKeySequence.StandardKey.Find)], self.filter_bar.focus_search
        )
        # Z, not Ctrl+Shift+Z: that is Redo
        self.zoom_to_event_action = self._action(
            "선택한 사건으로 확대", ["Z"], self.zoom_to_event, while_typing=False
        )
        for action in (
            self.previous_action,
            self.next_action,
            self.open_source_action,
            self.zoom_to_event_action,
        ):
            event_menu.addAction(action)
        event_menu.addSeparator()
        event_menu.addAction(self.find_action)

        view_menu = self.menuBar().addMenu("보기(&V)")
        self.zoom_in_action = self._action("확대", ["Ctrl++", "Ctrl+="], self.timeline_view.zoom_in)
        self.zoom_out_action = self._action("축소", ["Ctrl+-"], self.timeline_view.zoom_out)
        self.fit_action = self._action("전체 보기", ["Ctrl+0"], self.timeline_view.fit)
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.source_viewer.show_source_action)
        view_menu.addAction(self.entity_dock.toggleViewAction())
        view_menu.addAction(self.problems_dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addMenu(self._make_group_menu())
        self._make_help_menu()
        self._fill_recent_menu(self.settings.recent_corpora())

    def _make_group_menu(self) -> QMenu:
        """View > 묶기: what the timeline's lanes stand for (also in its right-click menu)."""
        menu = QMenu("시간축 묶기", self)
        self.group_actions = QActionGroup(self)
        self.group_actions.setExclusive(True)
        for key, word in GROUPINGS.items():
            action = QAction(f"{word}별", self, checkable=True)
            action.setData(key)
            action.triggered.connect(lambda _checked=False, k=key: self.set_group_by(k))
            self.group_actions.addAction(action)
            menu.addAction(action)
        self.timeline_view.group_by_changed.connect(self._group_by_changed)
        self.timeline_view.context_menu_requested.connect(
            lambda context, _event_id: context.addMenu(menu)
        )
        return menu

    def set_group_by(self, group_by: str) -> None:
        """Lanes by camp, actor or event type; remembered for the next start."""
        self.timeline_view.set_group_by(group_by)

    def _group_by_changed(self, group_by: str) -> None:
        for action in self.group_actions.actions():
            action.setChecked(action.data() == group_by)
        self.settings.set(keys.GROUP_BY, group_by)

    def _make_help_menu(self) -> None:
        help_menu = self.menuBar().addMenu("도움말(&H)")
        self.shortcuts_action = self._action("단축키", ["F1"], self.show_shortcuts)
        self.about_action = QAction("camp-timeline 정보", self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def show_shortcuts(self) -> QMessageBox:
        """F1: every shortcut of the window's menus, in a non-blocking box."""
        actions = [a for menu in self.menuBar().findChildren(QMenu) for a in menu.actions()]
        actions = list(dict.fromkeys(a for a in actions if not a.isSeparator()))
        return self.show_message(QMessageBox.Icon.Information, "단축키", shortcuts_html(actions))

    def show_about(self) -> QMessageBox:
        """Help > About: the version and the licences (the font's OFL among them)."""
        return self.show_message(QMessageBox.Icon.Information, "camp-timeline 정보", about_html())

    def _action(
        self,
        text: str,
        shortcuts: list[str | QKeySequence],
        slot: Callable[[], object],
        *,
        while_typing: bool = True,
    ) -> QAction:
        """An action with its shortcuts, live in the whole window or outside the filter bar.

        With ``while_typing`` False the keys work only where the focus is in the timeline,
        the tables, the viewer or the entity panel: in the search box Enter walks the
        matches and J/K are letters, so the shortcut must not even see those keys there.
        """
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(lambda _checked=False: slot())
        if while_typing:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.main_splitter.addAction(action)
            self.entity_dock.addAction(action)
        return action

    def _bind_timeline_view(self) -> None:
        """The timeline view is a plain widget; the window binds it to the state both ways."""
        view, state = self.timeline_view, self.state
        state.timeline_loaded.connect(
            lambda timeline: view.set_events(timeline.events, entity_names(timeline.entities))
        )
        state.filters_changed.connect(lambda _f: view.set_visible_ids(state.visible_ids_or_none()))
        state.highlight_changed.connect(view.set_highlighted_ids)
        state.event_selected.connect(view.select_event)
        view.event_clicked.connect(state.select_event)
        view.source_requested.connect(lambda _event_id: self.open_source())
        self.event_table.doubleClicked.connect(lambda _index: self.open_source())
        view.event_hovered.connect(self._event_hovered)

    def _event_hovered(self, event_id: str) -> None:
        row = self.state.event_row(event_id)
        if row is not None:
            self.statusBar().showMessage(f"{row.get('date_text') or ''} {row.get('title')}", 3000)

    def zoom_to_event(self) -> None:
        """Centre the timeline on the selected event, zoomed to its interval."""
        if self.state.selected_event is not None:
            self.timeline_view.select_event(self.state.selected_event, zoom=True)

    def open_source(self) -> None:
        """Show the selected event's sentence in the source viewer and give it the focus."""
        event_id = self.state.selected_event
        if event_id is None:
            self.state.step_event(1)
            event_id = self.state.selected_event
        if event_id is None:
            return
        self.source_viewer.reveal_selection()

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
            self._default_geometry()
        for key, restore in (
            (keys.WINDOW_STATE, self.restoreState),
            (keys.WINDOW_SPLITTER, self.splitter.restoreState),
            (keys.WINDOW_MAIN_SPLITTER, self.main_splitter.restoreState),
        ):
            saved = self.settings.get(key)
            if isinstance(saved, QByteArray) and not saved.isEmpty():
                restore(saved)
        self.source_viewer.set_source_mode(bool(self.settings.get(keys.SHOW_SOURCE)))
        group_by = str(self.settings.get(keys.GROUP_BY))
        self.set_group_by(group_by if group_by in GROUPINGS else "camp")
        self._group_by_changed(self.timeline_view.group_by)

    def _default_geometry(self) -> None:
        """The first window: most of the available screen, centred."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        width = round(area.width() * DEFAULT_SCREEN_SHARE)
        height = round(area.height() * DEFAULT_SCREEN_SHARE)
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)
        self.splitter.setSizes([width * 3 // 5, width * 2 // 5])
        self.main_splitter.setSizes([height * 3 // 5, height * 2 // 5])

    def corpus_view(self) -> CorpusView:
        """The view of the corpus shown: its filters (not the entity checks) and range."""
        chosen = dataclasses.replace(self.state.filter, entities=frozenset())
        shown = len(self.timeline_view.events) > 0
        return CorpusView(chosen, self.timeline_view.x_range() if shown else None)

    def save_corpus_view(self) -> None:
        """Keep the shown corpus's view in the settings, for the next time it is opened."""
        root = self.state.corpus_root
        if root is not None:
            self.settings.save_corpus_view(root, self.corpus_view().to_json())

    def restore_corpus_view(self, folder: Path) -> None:
        """Bring back the view last kept for the corpus in ``folder``, if any."""
        view = CorpusView.from_json(self.settings.corpus_view(folder))
        if view is None:
            return
        self.state.set_filter(view.filter)
        if view.x_range is not None:
            self.timeline_view.view_box.setXRange(*view.x_range, padding=0.0)

    def _save_settings(self) -> None:
        self.save_corpus_view()
        self.settings.set(keys.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState())
        self.settings.set(keys.WINDOW_SPLITTER, self.splitter.saveState())
        self.settings.set(keys.WINDOW_MAIN_SPLITTER, self.main_splitter.saveState())
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
        job = start_load(folder, self._build, self._analyse, name=f"load {folder}")
        self._job = job
        job.progressed.connect(
            lambda done, total, msg: self._load_progressed(job, done, total, msg)
        )
        job.succeeded.connect(lambda result: self._load_succeeded(job, folder, *result))
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

    def _load_succeeded(
        self,
        job: Job,
        folder: Path,
        corpus: Corpus,
        timeline: Timeline,
        prepared: PreparedLoad | None = None,
    ) -> None:
        if not self._is_current(job):
            return
        self._end_load()
        self.statusBar().showMessage(f"불러옴: {folder}", 5000)
        self._fill_recent_menu(self.settings.remember_corpus(folder))
        self.settings.set(keys.LAST_CORPUS, str(Path(folder).resolve()))
        corpus, timeline, prepared = self.review.on_load(corpus, timeline, prepared)
        shown = self.state.corpus_root
        # another corpus: the one shown keeps its view and the new one gets its own back;
        # the same folder loaded again starts afresh, as a new timeline does
        switching = shown is None or shown.resolve() != Path(folder).resolve()
        if switching:
            self.save_corpus_view()
        self.state.set_corpus(corpus, timeline, prepared)
        if switching:
            self.restore_corpus_view(folder)

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
        # the signal keeps the pipeline's reason; the dialog says it in Korean
        text = (
            f"다음 폴더를 코퍼스로 열 수 없습니다.\n\n폴더: {folder}\n이유: {reason_text(reason)}"
        )
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
        sentences, problems = self.state.corpus_counts()
        events = len(self.state.events)
        self.counts_label.setText(
            f"기사 {len(corpus.articles)}건 · 문장 {sentences}개 · 사건 {events}건"
            f" · 문제 {problems}건"
        )
        if corpus.articles:
            self.article_table.select_row(0)
        # the keys act on the timeline at once (J/K, Enter), not on a toggle of the filters
        self.timeline_view.setFocus(Qt.FocusReason.OtherFocusReason)

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
        self.review.close()
        super().closeEvent(event)
