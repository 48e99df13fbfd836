"""The window over the real pipeline and the bundled seeds."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.korean import reason_text
from gui.main_window import MainWindow, pipeline_build
from gui.source_viewer import document_positions

# what seeds/manifest.csv says, as the table shows it
SEED_PUBLISHERS = ["아시아경제", "더테크", "아시아경제", "—", "—"]
SEED_DATES = ["2024-01-31", "2023-12 (월)", "2023-05-20 18:00", "2024-04-11", "2024-08 (월)"]


@pytest.fixture(scope="module")
def seeds_cache(tmp_path_factory, seeds_dir):
    """An analysis cache holding the seeds, filled here with this process's Kiwi: every
    window of this module reads the analysis back in its build process, as reopening a
    corpus does, instead of each paying a cold build process with a Kiwi of its own (the
    cold load through a build process is tests/gui/test_process_load.py's)."""
    from core.cache import AnalysisCache
    from core.pipeline import build

    folder = tmp_path_factory.mktemp("seeds-window-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAMP_TIMELINE_CACHE_DIR", str(folder))
        cache = AnalysisCache()
        try:
            build(seeds_dir, cache=cache)
        finally:
            cache.close()
    return folder


@pytest.fixture()
def seeds_window(qtbot, settings, seeds_dir, seeds_cache, monkeypatch) -> MainWindow:
    """A window that loaded the seeds through the real pipeline (in its build process)."""
    monkeypatch.setenv("CAMP_TIMELINE_CACHE_DIR", str(seeds_cache))
    window = MainWindow(settings=settings, build=pipeline_build)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=120_000):
        window.load_corpus(seeds_dir)
    return window


def _column(window: MainWindow, column: int) -> list[str]:
    model = window.article_table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_window_shows_the_five_seed_articles(seeds_window, seeds_dir):
    window = seeds_window

    assert window.windowTitle().startswith("seeds")
    assert _column(window, 1) == SEED_PUBLISHERS
    assert _column(window, 2) == SEED_DATES
    assert set(_column(window, 3)) == {"목록(manifest)"}
    titles = _column(window, 0)
    assert titles[2] == "[테크토크]왜 구글은 'AI 해자'가 없다고 했을까"
    assert all(title and not title.endswith(".txt") for title in titles)
    assert all(int(n) > 10 for n in _column(window, 4))
    assert "기사 5건" in window.counts_label.text()


def test_first_seed_is_selected_with_its_cleaned_text(seeds_window):
    window = seeds_window
    article = window.state.selected_article

    assert article is window.state.corpus.articles[0]
    assert window.source_viewer.text_view.toPlainText() == article.clean.text
    assert len(article.clean.text) < len(article.source_text)


def test_seed_source_view_greys_exactly_the_removed_spans(open_seeds, seeds_corpus, grey_positions):
    window = open_seeds()  # the session's timeline: no second analysis of the seeds
    # the article with the most removals (the 더테크 page with its menus and links)
    row = max(range(5), key=lambda i: len(seeds_corpus.articles[i].clean.removals))
    article = seeds_corpus.articles[row]
    window.article_table.select_row(row)
    window.source_viewer.set_source_mode(True)

    document = window.source_viewer.text_view.document()
    positions = document_positions(article.source_text)
    expected = {
        p
        for removal in article.clean.removals
        for p in range(positions[removal.start], positions[removal.end])
        if document.characterAt(p) != "\u2029"  # paragraph breaks carry no char format
    }

    assert len(article.clean.removals) > 5
    assert grey_positions(window) == expected


@pytest.mark.parametrize("case", ["missing", "empty", "no_article"])
def test_opening_a_bad_folder_names_it_and_keeps_the_seeds(seeds_window, qtbot, tmp_path, case):
    window = seeds_window
    bad = tmp_path / "나쁜폴더"
    if case != "missing":
        bad.mkdir()
    if case == "no_article":
        (bad / "notes.csv").write_text("a,b\n", encoding="utf-8")

    with qtbot.waitSignal(window.state.load_failed, timeout=60_000) as blocker:
        window.load_corpus(bad)

    box = window.last_message
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Warning
    assert str(bad) in box.text()
    # the signal keeps the pipeline's reason; the dialog gives it in Korean
    reason = reason_text(blocker.args[1])
    assert reason in box.text() and reason != blocker.args[1]
    assert "예상하지 못한" not in blocker.args[1]
    assert window.state.corpus.root.name == "seeds"
    assert _column(window, 1) == SEED_PUBLISHERS
    box.accept()
