"""Start-up pieces of the app: the error hook and the error dialog."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from gui.app import error_dialog, make_excepthook


class _Emitter(QObject):
    fired = Signal()


def _boom() -> None:
    raise RuntimeError("슬롯 안에서 난 오류")


def test_error_dialog_is_readable_and_carries_the_traceback(qtbot):
    try:
        _boom()
    except RuntimeError as exc:
        box = error_dialog(type(exc), exc, exc.__traceback__)
    qtbot.addWidget(box)

    assert box.isVisible()
    assert "RuntimeError: 슬롯 안에서 난 오류" in box.text()
    assert "계속 쓸 수 있습니다" in box.text()
    assert "_boom" in box.detailedText()


def test_hook_logs_and_shows_and_never_raises(caplog):
    shown = []

    def show(exc_type, exc, tb):
        shown.append(exc)
        raise ValueError("the dialog itself failed")

    hook = make_excepthook(show)
    error = RuntimeError("처리되지 않은 오류")
    with caplog.at_level(logging.ERROR, logger="gui.app"):
        hook(RuntimeError, error, None)

    assert shown == [error]
    messages = [r.getMessage() for r in caplog.records]
    assert "unhandled exception" in messages
    assert "could not show the error dialog" in messages


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_reaches_the_hook_and_the_app_keeps_running(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(sys, "excepthook", make_excepthook(lambda t, e, tb: shown.append(e)))
    emitter = _Emitter()
    emitter.fired.connect(_boom)

    QTimer.singleShot(0, emitter.fired.emit)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5_000)

    assert isinstance(shown[0], RuntimeError)
    # the event loop still runs after the failed slot
    with qtbot.waitSignal(emitter.fired, timeout=5_000):
        QTimer.singleShot(0, emitter.fired.emit)
    assert len(shown) == 2


RUN_APP_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from core.model import Corpus
import gui.main_window as main_window
from gui.app import run_app

def fake_build(root, progress, cancelled):
    progress(1, 1, "done")
    return Corpus(Path(root))

def quit_when_loaded(window_load):
    def load(self, folder):
        job = window_load(self, folder)
        def report(corpus):
            print("title:", self.windowTitle())
            print("font:", QApplication.font().family())
            print("hook:", sys.excepthook.__qualname__)
            QApplication.quit()
        self.state.corpus_loaded.connect(report)
        return job
    return load

main_window.pipeline_build = fake_build
main_window.MainWindow.load_corpus = quit_when_loaded(main_window.MainWindow.load_corpus)
sys.exit(run_app(Path(sys.argv[1])))
"""


def test_run_app_opens_the_window_with_the_bundled_font_and_hook(tmp_path, run_app_script):
    corpus = tmp_path / "코퍼스"
    corpus.mkdir()

    lines = run_app_script(RUN_APP_SCRIPT, corpus).splitlines()
    assert "title: 코퍼스 — camp-timeline" in lines
    assert "font: NanumSquare" in lines
    assert "hook: make_excepthook.<locals>.hook" in lines
