"""The window's real load runs in a child process and shows what a build in this process
would: the same articles, problems, events and source-viewer marks; cancel and errors
behave as they always did."""

from __future__ import annotations

import pandas as pd
import pytest

from gui.load_job import load_job, pipeline_build, pipeline_timeline
from gui.process_job import running_children
from gui.source_marks import article_marks


@pytest.fixture()
def real_window(qtbot, settings):
    from gui.main_window import MainWindow

    window = MainWindow(settings=settings)  # the real pipeline
    qtbot.addWidget(window)
    return window


def test_the_seeds_load_as_a_build_here_would(real_window, seeds_dir, qtbot):
    progress = []
    real_window.state.load_progressed.connect(lambda d, t, m: progress.append((d, t)))
    with qtbot.waitSignal(real_window.state.corpus_loaded, timeout=180_000):
        real_window.load_corpus(seeds_dir)
    corpus, timeline = real_window.state.corpus, real_window.state.timeline
    here, here_timeline = load_job(seeds_dir, pipeline_build, pipeline_timeline)(
        lambda *_: None, lambda: False
    )

    assert progress and progress[-1][0] == progress[-1][1]  # the bar was filled
    assert [a.file for a in corpus.articles] == [a.file for a in here.articles]
    assert corpus.all_problems() == here.all_problems()
    assert len(timeline.events) == 26
    for name in ("events", "mentions", "articles", "entities"):
        pd.testing.assert_frame_equal(getattr(timeline, name), getattr(here_timeline, name))
    marks = [article_marks(article) for article in corpus.articles]
    assert marks == [article_marks(built) for built in here.articles]
    assert any(m.kind == "date" for found in marks for m in found)  # dates need the tokens
    assert real_window.problems_dock.windowTitle() == f"문제 ({len(here.all_problems())})"
    assert running_children() == 0


def test_cancelling_a_real_load_ends_its_process(real_window, seeds_dir, qtbot):
    started = []
    real_window.state.load_progressed.connect(lambda *_: started.append(1))
    with qtbot.waitSignal(real_window.state.load_cancelled, timeout=60_000):
        real_window.load_corpus(seeds_dir)
        qtbot.waitUntil(lambda: bool(started), timeout=60_000)
        real_window.cancel_load()

    assert real_window.state.corpus is None
    assert not real_window.is_loading()
    assert running_children() == 0


def test_a_missing_folder_is_reported_with_its_reason(real_window, tmp_path, qtbot):
    missing = tmp_path / "없는 폴더"
    with qtbot.waitSignal(real_window.state.load_failed, timeout=60_000) as blocker:
        real_window.load_corpus(missing)

    folder, reason = blocker.args
    assert folder == str(missing)
    assert reason == f"corpus folder not found: {missing}"
    assert "없는 폴더" in real_window.last_message.text()
    assert running_children() == 0
