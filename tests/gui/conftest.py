"""Fixtures for the window tests: hand-built corpora, private settings, no stray threads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from core.model import (
    Article,
    CleanText,
    Corpus,
    DateSource,
    Problem,
    Published,
    Removal,
    Sentence,
    Severity,
)

GUI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # the offscreen platform warns about a window-manager hint it cannot pass on; that is a
    # property of the test platform, not of our code
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


def clean_without(source: str, spans: list[tuple[int, int, str]]) -> CleanText:
    """The CleanText of ``source`` with ``spans`` (start, end, rule) cut out."""
    removed = set()
    for start, end, _rule in spans:
        removed.update(range(start, end))
    kept = [i for i in range(len(source)) if i not in removed]
    text = "".join(source[i] for i in kept)
    offsets = [*kept, (kept[-1] + 1) if kept else 0]
    removals = [
        Removal(start, end, rule, "line" if source[start:end].endswith("\n") else "fragment")
        for start, end, rule in spans
    ]
    return CleanText(text, offsets, removals)


def make_article(
    file: str,
    source: str,
    removed: list[str],
    *,
    title: str,
    publisher: str,
    published: Published | None,
    problems: list[Problem] | None = None,
) -> Article:
    """An article whose cleaning removed each (first occurrence of a) string in ``removed``."""
    spans = []
    for fragment in removed:
        start = source.index(fragment)
        spans.append((start, start + len(fragment), f"규칙-{len(spans) + 1}"))
    clean = clean_without(source, spans)
    sentences = []
    for i, line in enumerate(s for s in clean.text.split("\n") if s.strip()):
        clean_start = clean.text.index(line)
        clean_end = clean_start + len(line)
        start, end = clean.to_source(clean_start, clean_end)
        sentences.append(Sentence(i, line, start, end, clean_start, clean_end))
    return Article(
        file=file,
        path=Path("/nonexistent") / file,
        source_text=source,
        encoding="utf-8",
        title=title,
        title_source="manifest",
        publisher=publisher,
        url=f"https://news.example/{file}",
        published=published,
        clean=clean,
        sentences=sentences,
        problems=problems or [],
    )


def day(text: str, source: DateSource = DateSource.MANIFEST) -> Published:
    date = dt.date.fromisoformat(text)
    return Published(date, date, "day", source, text)


def month(year: int, mon: int) -> Published:
    start = dt.date(year, mon, 1)
    end = (dt.date(year + mon // 12, mon % 12 + 1, 1)) - dt.timedelta(days=1)
    return Published(start, end, "month", DateSource.MANIFEST, f"{year}-{mon:02d}")


#: our own two short articles: a removed byline/ad line, an emoji and CRLF before a removal
SOURCE_A = (
    "오픈소스 모델 공개 소식\r\n"
    "기자 홍길동 입력 2024.01.31\r\n"
    "한 연구소가 새 언어모델을 누구나 내려받도록 공개했다.\r\n"
    "광고 문의는 여기로 😀 클릭\r\n"
    "연구진은 다음 달 더 큰 모델도 내놓겠다고 밝혔다.\r\n"
)
SOURCE_B = (
    "폐쇄형 모델 진영의 반격\n"
    "두 회사가 손잡고 새 서비스를 선보였다. [사진=무단 전재 금지]\n"
    "업계는 경쟁이 더 치열해질 것으로 본다.\n"
)


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Corpus:
    """Two hand-written articles and one unreadable file, rooted at a real folder."""
    root = tmp_path / "작은코퍼스"
    root.mkdir()
    a = make_article(
        "a.txt",
        SOURCE_A,
        ["기자 홍길동 입력 2024.01.31\r\n", "광고 문의는 여기로 😀 클릭\r\n"],
        title="오픈소스 모델 공개 소식",
        publisher="가상일보",
        published=day("2024-01-31"),
    )
    b = make_article(
        "b.txt",
        SOURCE_B,
        [" [사진=무단 전재 금지]"],
        title="폐쇄형 모델 진영의 반격",
        publisher="",
        published=month(2023, 12),
        problems=[Problem("b.txt", "날짜가 월까지만 알려짐", Severity.NOTE)],
    )
    return Corpus(root, [a, b], [Problem("broken.txt", "UTF-8/CP949로 읽을 수 없음")])


@pytest.fixture()
def settings(tmp_path: Path):
    """Settings in a private INI file, so that tests never touch the user's."""
    from gui.settings import Settings

    return Settings.in_file(tmp_path / "settings.ini")


BuildFn = Callable[..., Corpus]


@pytest.fixture()
def fixed_build(small_corpus: Corpus) -> BuildFn:
    """A build function that reports progress and returns ``small_corpus`` for any folder."""

    def build(root: Path, progress, cancelled) -> Corpus:
        from core.analyse import analysed

        progress(1, 2, "읽는 중")
        progress(2, 2, "끝")
        # with its mentions, as core.pipeline.build gives a corpus: the timeline only merges
        return analysed(Corpus(Path(root), small_corpus.articles, small_corpus.problems))

    return build


@pytest.fixture()
def make_window(qtbot, settings):
    """Make a MainWindow with a given build function, closed at the end of the test."""
    from gui.main_window import MainWindow

    def make(build: BuildFn) -> MainWindow:
        window = MainWindow(settings=settings, build=build)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture()
def load_into(qtbot):
    """Load a folder into a window and wait until the corpus arrives."""

    def load(window, folder: Path) -> Corpus:
        with qtbot.waitSignal(window.state.corpus_loaded, timeout=60_000) as blocker:
            window.load_corpus(folder)
        return blocker.args[0]

    return load


@pytest.fixture(autouse=True)
def _no_dangling_threads(request):
    """Fail a test that leaves pool threads running or job signals undelivered."""
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QCoreApplication, QThreadPool

    from gui.worker import live_job_count

    pool = QThreadPool.globalInstance()
    finished = pool.waitForDone(30_000)
    for _ in range(100):  # let queued final signals reach the main thread
        if live_job_count() == 0:
            break
        QCoreApplication.processEvents()
    assert finished and pool.activeThreadCount() == 0, "a test left pool threads running"
    assert live_job_count() == 0, "a test left a job whose result was never delivered"


@pytest.fixture()
def gate():
    """A threading.Event a slow build waits on, released at teardown whatever happens."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture(scope="session")
def seeds_timeline(seeds_corpus):
    """The seeds' timeline, built once per test session (it takes seconds)."""
    from core.timeline import build_timeline

    return build_timeline(seeds_corpus)


@pytest.fixture()
def open_seeds(qtbot, settings, seeds_corpus, seeds_timeline):
    """Make a shown main window holding the seeds' corpus and timeline (no real build)."""
    from gui.main_window import MainWindow

    def make(store=settings) -> MainWindow:
        window = MainWindow(
            settings=store,
            build=lambda root, progress, cancelled: seeds_corpus,
            analyse=lambda corpus, progress, cancelled: seeds_timeline,
        )
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000):
            window.load_corpus(seeds_corpus.root)
        return window

    return make


@pytest.fixture()
def record_job() -> Callable[..., list[tuple]]:
    """Records a background job's signals in order: ``record_job(job)`` gives the list it
    fills (``finished`` carries whether it came on the main thread)."""
    from PySide6.QtCore import QThread

    def record(job) -> list[tuple]:
        events: list[tuple] = []
        main = QThread.currentThread()
        job.progressed.connect(lambda d, t, m: events.append(("progressed", d, t, m)))
        job.succeeded.connect(lambda r: events.append(("succeeded", r)))
        job.failed.connect(lambda e: events.append(("failed", e)))
        job.was_cancelled.connect(lambda: events.append(("cancelled",)))
        job.finished.connect(lambda: events.append(("finished", QThread.currentThread() is main)))
        return events

    return record


@pytest.fixture()
def grey_positions() -> Callable[..., set[int]]:
    """A function giving the document positions a window's source viewer draws greyed out
    (characters carrying the removed-text foreground)."""
    from gui.source_viewer import REMOVED_FOREGROUND

    def positions(window) -> set[int]:
        document = window.source_viewer.text_view.document()
        grey = set()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.charFormat().foreground().color() == REMOVED_FOREGROUND:
                    start = fragment.position()
                    grey.update(range(start, start + fragment.length()))
                iterator += 1
            block = block.next()
        return grey

    return positions


@pytest.fixture()
def show_timeline(qtbot):
    """Make a shown TimelineView of a given size (bundled fonts registered) holding ``frame``."""
    from gui.fonts import register_bundled_fonts
    from gui.timeline_view import TimelineView

    register_bundled_fonts()

    def show(frame, size: tuple[int, int] = (1000, 480)) -> TimelineView:
        widget = TimelineView()
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        widget.set_events(frame)
        return widget

    return show


@pytest.fixture()
def run_app_script(tmp_path: Path) -> Callable[..., str]:
    """Run a Python ``script`` with a corpus folder as its argument in a child process, on
    the offscreen platform with private settings; assert it exited 0 (showing its stderr)
    and give its standard output."""

    def run(script: str, folder: Path, **extra_env: str) -> str:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_CONFIG_HOME=str(tmp_path / "cfg"),
            **extra_env,
        )
        result = subprocess.run(
            [sys.executable, "-c", script, str(folder)],
            check=False,  # the exit code is asserted with the child's stderr
            capture_output=True,
            text=True,
            timeout=180,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run
