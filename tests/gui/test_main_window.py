"""The main window over hand-built corpora: list, viewer, source toggle, loading, dropping."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox

from core.model import Cancelled, Corpus
from gui.main_window import BUILD_SHARE, PROGRESS_SCALE
from gui.source_viewer import document_positions


def _column(window, column: int) -> list[str]:
    model = window.article_table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_window_lists_articles_with_publisher_and_date_precision(
    make_window, fixed_build, load_into, small_corpus
):
    window = make_window(fixed_build)
    window.show()
    load_into(window, small_corpus.root)

    assert _column(window, 0) == ["오픈소스 모델 공개 소식", "폐쇄형 모델 진영의 반격"]
    assert _column(window, 1) == ["가상일보", "—"]
    assert _column(window, 2) == ["2024-01-31", "2023-12 (월)"]
    assert _column(window, 3) == ["목록(manifest)", "목록(manifest)"]
    assert window.windowTitle().startswith("작은코퍼스")
    assert "기사 2건" in window.counts_label.text()
    assert "문제 2건" in window.counts_label.text()  # one unreadable file + one note


def test_first_article_is_selected_and_its_clean_text_shown(
    make_window, fixed_build, load_into, small_corpus
):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)

    first = small_corpus.articles[0]
    assert window.state.selected_article.file == "a.txt"
    assert window.article_table.currentIndex().row() == 0
    shown = window.source_viewer.text_view.toPlainText()
    assert shown == first.clean.text.replace("\r\n", "\n")
    assert "광고 문의" not in shown and "홍길동" not in shown
    assert "가상일보" in window.source_viewer.header.text()
    assert "목록(manifest)" in window.source_viewer.header.text()


def test_selecting_another_article_shows_its_text(
    make_window, fixed_build, load_into, small_corpus
):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)

    with_signal = []
    window.state.article_selected.connect(with_signal.append)
    window.article_table.select_row(1)

    second = small_corpus.articles[1]
    assert [a.file for a in with_signal] == ["b.txt"]
    assert window.source_viewer.text_view.toPlainText() == second.clean.text
    assert "무단 전재" not in window.source_viewer.text_view.toPlainText()
    assert "2023-12 <span" in window.source_viewer.header.text()
    assert "월 단위 · 목록(manifest): “2023-12”" in window.source_viewer.header.text()


def test_source_toggle_shows_source_with_removed_spans_greyed(
    make_window, fixed_build, load_into, small_corpus, grey_positions
):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)
    article = small_corpus.articles[0]

    window.source_viewer.show_source_action.trigger()

    assert window.source_viewer.is_source_mode()
    shown = window.source_viewer.text_view.toPlainText()
    assert shown == article.source_text.replace("\r\n", "\n")
    positions = document_positions(article.source_text)
    document = window.source_viewer.text_view.document()
    removed = set()
    for removal in article.clean.removals:
        # a paragraph break carries no character format of its own in a QTextDocument
        span = range(positions[removal.start], positions[removal.end])
        removed.update(p for p in span if document.characterAt(p) != "\u2029")
    assert len(removed) > 30, "the hand-built article has two removed lines"
    assert grey_positions(window) == removed
    # the emoji is two UTF-16 units, and the text after it still lines up
    after_emoji = positions[article.source_text.index("클릭")]
    assert document.characterAt(after_emoji) + document.characterAt(after_emoji + 1) == "클릭"

    window.source_viewer.show_source_action.trigger()
    assert window.source_viewer.text_view.toPlainText() == article.clean.text.replace("\r\n", "\n")


def test_source_mode_is_kept_across_articles_and_remembered(
    make_window, fixed_build, load_into, small_corpus, settings
):
    from gui import settings as keys

    window = make_window(fixed_build)
    load_into(window, small_corpus.root)
    window.source_viewer.set_source_mode(True)
    window.article_table.select_row(1)

    assert window.source_viewer.text_view.toPlainText() == small_corpus.articles[1].source_text
    assert settings.get(keys.SHOW_SOURCE) is True


def test_problems_panel_lists_file_severity_and_reason(
    make_window, fixed_build, load_into, small_corpus
):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)
    model = window.problems_panel.model

    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert rows == [
        ["broken.txt", "오류", "UTF-8/CP949로 읽을 수 없음"],
        ["b.txt", "참고", "날짜가 월까지만 알려짐"],
    ]
    window.problems_panel.view.doubleClicked.emit(model.index(1, 0))
    assert window.state.selected_article.file == "b.txt"
    # the panel is a tab beside the entities whose title counts the problems
    assert window.problems_dock.windowTitle() == "문제 (2)"
    assert window.tabifiedDockWidgets(window.entity_dock) == [window.problems_dock]


def test_failed_load_shows_folder_and_reason_and_keeps_corpus(
    make_window, fixed_build, load_into, small_corpus, qtbot, tmp_path
):
    calls = []

    def build(root, progress, cancelled):
        calls.append(Path(root))
        if len(calls) > 1:
            raise ValueError("기사 파일이 하나도 없습니다")
        return fixed_build(root, progress, cancelled)

    window = make_window(build)
    load_into(window, small_corpus.root)
    bad = tmp_path / "빈폴더"

    with qtbot.waitSignal(window.state.load_failed, timeout=10_000) as blocker:
        window.load_corpus(bad)

    assert blocker.args[0] == str(bad)
    assert "기사 파일이 하나도 없습니다" in blocker.args[1]
    box = window.last_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert str(bad) in box.text() and "기사 파일이 하나도 없습니다" in box.text()
    assert window.state.corpus.root == small_corpus.root
    assert _column(window, 1) == ["가상일보", "—"]
    assert not window.is_loading() and not window.cancel_button.isVisible()
    box.accept()


def test_slow_load_can_be_cancelled(make_window, fixed_build, load_into, small_corpus, qtbot, gate):
    started = threading.Event()

    def slow_build(root, progress, cancelled):
        if Path(root) == small_corpus.root:
            return fixed_build(root, progress, cancelled)
        started.set()
        for step in range(10_000):
            if cancelled():
                raise Cancelled()
            progress(step, 10_000, "천천히")
            gate.wait(0.01)
        return Corpus(Path(root))

    window = make_window(slow_build)
    window.show()
    load_into(window, small_corpus.root)
    slow = small_corpus.root.parent / "느린폴더"

    window.load_corpus(slow)
    assert window.is_loading()
    # one bar across reading and analysis: reading fills the first part of it
    qtbot.waitUntil(lambda: window.progress_bar.value() > 0, timeout=10_000)
    assert window.progress_bar.maximum() == PROGRESS_SCALE
    assert window.progress_bar.value() <= BUILD_SHARE * PROGRESS_SCALE
    assert window.cancel_button.isVisible() and window.progress_bar.isVisible()
    with qtbot.waitSignal(window.state.load_cancelled, timeout=10_000) as blocker:
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)

    assert started.is_set()
    assert blocker.args == [str(slow)]
    assert window.state.corpus.root == small_corpus.root
    assert not window.is_loading() and not window.progress_bar.isVisible()


def test_a_new_load_supersedes_a_running_one(make_window, fixed_build, small_corpus, qtbot, gate):
    def build(root, progress, cancelled):
        if Path(root).name == "느린폴더":
            while not cancelled():
                gate.wait(0.01)
            raise Cancelled()
        return fixed_build(root, progress, cancelled)

    window = make_window(build)
    window.load_corpus(small_corpus.root.parent / "느린폴더")
    loaded = []
    window.state.corpus_loaded.connect(loaded.append)
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000):
        window.load_corpus(small_corpus.root)

    assert [c.root for c in loaded] == [small_corpus.root]


def _drag_and_drop(window, urls: list[QUrl]) -> tuple[QDragEnterEvent, QDropEvent]:
    """Deliver a drag-enter then a drop of ``urls`` to the window's handlers.

    QApplication only routes drop events that come from a real drag in progress, so the
    handlers are called directly with events built as the platform would build them.
    """
    mime = QMimeData()
    mime.setUrls(urls)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton)
    enter = QDragEnterEvent(QPoint(10, 10), *args, Qt.KeyboardModifier.NoModifier)
    enter.setAccepted(False)
    window.dragEnterEvent(enter)
    drop = QDropEvent(QPointF(10, 10), *args, Qt.KeyboardModifier.NoModifier)
    drop.setAccepted(False)
    window.dropEvent(drop)
    return enter, drop


def test_dropping_a_folder_loads_it(make_window, fixed_build, small_corpus, qtbot, tmp_path):
    window = make_window(fixed_build)
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000) as blocker:
        enter, drop = _drag_and_drop(window, [QUrl.fromLocalFile(str(small_corpus.root))])

    assert enter.isAccepted() and drop.isAccepted()
    assert blocker.args[0].root == small_corpus.root
    assert window.settings.recent_corpora()[0] == small_corpus.root.resolve()


def test_dropping_a_file_is_refused(make_window, fixed_build, qtbot, tmp_path):
    window = make_window(fixed_build)
    a_file = tmp_path / "기사.txt"
    a_file.write_text("본문", encoding="utf-8")

    enter, drop = _drag_and_drop(window, [QUrl.fromLocalFile(str(a_file))])

    assert not enter.isAccepted() and not drop.isAccepted()
    assert not window.is_loading()


def test_recent_menu_reloads_a_folder(make_window, fixed_build, load_into, small_corpus, qtbot):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == [str(small_corpus.root.resolve())]

    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000) as blocker:
        actions[0].trigger()
    assert blocker.args[0].root == small_corpus.root.resolve()


def test_open_folder_action_asks_for_a_folder(
    make_window, fixed_build, small_corpus, qtbot, monkeypatch
):
    from gui import main_window

    asked = []

    def fake_dialog(parent, caption, start):
        asked.append(caption)
        return str(small_corpus.root)

    monkeypatch.setattr(main_window.QFileDialog, "getExistingDirectory", fake_dialog)
    window = make_window(fixed_build)
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000) as blocker:
        window.open_action.trigger()

    assert asked and blocker.args[0].root == small_corpus.root


def test_geometry_is_saved_in_the_window_group(make_window, fixed_build, settings, tmp_path):
    window = make_window(fixed_build)
    window.resize(900, 600)
    window.close()
    text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "[window]" in text and "geometry=" in text and "splitter=" in text


def test_sorted_table_still_selects_the_article_shown_in_a_row(
    make_window, fixed_build, load_into, small_corpus
):
    window = make_window(fixed_build)
    load_into(window, small_corpus.root)

    window.article_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert _column(window, 2) == ["2023-12 (월)", "2024-01-31"]
    window.article_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _column(window, 2) == ["2024-01-31", "2023-12 (월)"]
    # selecting the top row selects the article shown there, not corpus row 0
    window.article_table.select_row(1)
    assert window.state.selected_article.file == "b.txt"
