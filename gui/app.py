"""Starting the window: the one place that creates the Qt application object."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui.fonts import use_bundled_font_as_default
from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


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


def run_app(corpus: Path) -> int:
    """Open the main window on ``corpus`` and run until it is closed; the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    family = use_bundled_font_as_default(app)
    log.info("default font: %s", family or "(bundled font missing)")
    window = MainWindow()
    sys.excepthook = make_excepthook(
        lambda t, e, tb: error_dialog(t, e, tb, QApplication.activeWindow() or window)
    )
    window.show()
    window.load_corpus(Path(corpus))
    code = app.exec()
    # a load cancelled at closing stops at its next check; let it end before Python does
    QThreadPool.globalInstance().waitForDone(30_000)
    return code
