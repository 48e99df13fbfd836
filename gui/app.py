"""Starting the window: the one place that creates the Qt application object.

Start-up is ordered so that something is on screen as early as possible: a small
"starting" window is painted first (this module imports only Qt), then the main window's
modules are imported (pandas and pyqtgraph: about a second) and the main window replaces
it, and only once the main window has been painted does the load job start on the worker,
where ``core.pipeline`` imports kiwipiepy and loads the Kiwi model. The main thread never
imports kiwipiepy.

``CAMP_TIMELINE_STARTUP_TRACE=1`` makes ``run_app`` print one line per milestone
(``startup <name> <seconds>``, seconds since ``CAMP_TIMELINE_T0``, an epoch time the caller
sets just before starting the process, else since this module was imported) and quit once
the corpus is shown; the benchmark harness and the start-up test read them.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from gui.fonts import use_bundled_font_as_default
from gui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_korean_translations(app: QApplication) -> QTranslator | None:
    """Load Qt's own Korean strings (file dialogs' 취소, 열기…) shipped with PySide6, so
    that the window speaks one language; the translator installed, or None when the file
    is missing."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Korean), "qtbase", "_", folder):
        log.warning("Qt's Korean translations not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


def error_dialog(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> QMessageBox:
    """A readable, non-blocking dialog about an unexpected error, traceback under Details."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "예상하지 못한 오류",
        f"작업 중 오류가 났습니다. 프로그램은 계속 쓸 수 있습니다.\n\n{exc_type.__name__}: {exc}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def make_excepthook(
    show: Callable[[type[BaseException], BaseException, TracebackType | None], object],
) -> ExceptHook:
    """An excepthook that logs the error and shows it, for exceptions raised in slots.

    Qt calls slots from its event loop; an exception escaping one reaches ``sys.excepthook``
    and, without this hook, would only be printed to a console the user may not have.
    """

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
        try:
            show(exc_type, exc, tb)
        except Exception:  # the hook itself must never raise
            log.exception("could not show the error dialog")

    return hook


TRACE_VARIABLE = "CAMP_TIMELINE_STARTUP_TRACE"
_IMPORTED_AT = time.time()
#: start the load anyway if no paint of the main window arrives by then (e.g. minimised)
PAINT_WAIT_MS = 1500


class StartupTrace:
    """Milestones of start-up printed as ``startup <name> <seconds>`` when tracing is on."""

    def __init__(self) -> None:
        self.enabled = os.environ.get(TRACE_VARIABLE, "") not in ("", "0")
        try:
            self.t0 = float(os.environ.get("CAMP_TIMELINE_T0", "") or _IMPORTED_AT)
        except ValueError:
            self.t0 = _IMPORTED_AT

    def mark(self, name: str) -> None:
        if self.enabled:
            # one write per line: the worker thread may print too
            sys.stdout.write(f"startup {name} {time.time() - self.t0:.4f}\n")
            sys.stdout.flush()


class FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of any widget of ``window``."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self._fire)  # never wait forever for a paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._then is not None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            # after this paint has finished, not inside it
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            QApplication.instance().removeEventFilter(self)
            then()


def starting_window() -> QWidget:
    """The small window shown while the main window's modules are imported."""
    label = QLabel("camp-timeline\n\n시작하는 중…")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWindowTitle("camp-timeline")
    label.resize(360, 160)
    return label


def _paint_now(widget: QWidget) -> None:
    """Show ``widget`` and let Qt paint it before the main thread goes busy."""
    widget.show()
    widget.repaint()
    QApplication.processEvents()


def run_app(corpus: Path | None) -> int:
    """Open the main window on ``corpus`` (None: the last corpus if it still exists, else
    the bundled seeds) and run until it is closed; the exit code."""
    trace = StartupTrace()
    trace.mark("python_ready")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    family = use_bundled_font_as_default(app)
    log.info("default font: %s", family or "(bundled font missing)")
    install_korean_translations(app)
    splash = starting_window()
    _paint_now(splash)
    trace.mark("starting_window_painted")

    from gui.main_window import MainWindow  # pandas, pyqtgraph: after something is shown

    window = MainWindow()
    if corpus is None:
        from core.paths import default_corpus

        corpus = window.settings.startup_corpus(default_corpus())
    sys.excepthook = make_excepthook(
        lambda t, e, tb: error_dialog(t, e, tb, QApplication.activeWindow() or window)
    )

    def start_load() -> None:
        trace.mark("window_painted")
        trace.mark(f"kiwipiepy_imported={'kiwipiepy' in sys.modules}")
        window.load_corpus(Path(corpus))
        trace.mark("load_started")

    def shown_corpus(_timeline: object) -> None:
        trace.mark("corpus_shown")
        if trace.enabled:
            QTimer.singleShot(0, app.quit)

    window.state.timeline_loaded.connect(shown_corpus)
    if trace.enabled:
        window.state.load_failed.connect(lambda *_: app.quit())
    FirstPaint(window, start_load)
    window.show()
    splash.close()
    trace.mark("window_shown")
    code = app.exec()
    # a load cancelled at closing stops at its next check; let it end before Python does
    QThreadPool.globalInstance().waitForDone(30_000)
    return code
