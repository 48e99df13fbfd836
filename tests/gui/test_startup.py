"""Start-up order: a window is painted before the corpus is loaded, and Kiwi comes later.

The app runs in a subprocess (offscreen) with ``CAMP_TIMELINE_STARTUP_TRACE=1``, which makes
``run_app`` print its milestones and quit once the corpus is shown. The build is slowed
down on purpose (it waits until the main window has been painted, or gives up after a
while), so "the window came first" cannot pass by luck of timing.
"""

from __future__ import annotations

SLOW_BUILD_SCRIPT = r"""
import sys, threading
from pathlib import Path
from core.model import Corpus
import gui.app as app
import gui.main_window as main_window

painted = threading.Event()
mark = app.StartupTrace.mark

def mark_and_flag(self, name):
    mark(self, name)
    if name == "window_painted":
        painted.set()

app.StartupTrace.mark = mark_and_flag

def slow_build(root, progress, cancelled):
    # a build that cannot finish before the window has been painted (or 20 s went by)
    sys.stdout.write(f"startup build_saw_paint {painted.wait(20)}\n")
    sys.stdout.flush()
    progress(1, 1, "done")
    return Corpus(Path(root))

main_window.pipeline_build = slow_build
sys.exit(app.run_app(Path(sys.argv[1])))
"""

REAL_BUILD_SCRIPT = r"""
import sys
from pathlib import Path
from gui.app import run_app
sys.exit(run_app(Path(sys.argv[1])))
"""


TRACE = {"CAMP_TIMELINE_STARTUP_TRACE": "1"}


def milestones(stdout: str) -> dict[str, str]:
    """The first time of each ``startup NAME TIME`` line the traced app printed, in order."""
    order: dict[str, str] = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "startup":
            order.setdefault(parts[1], parts[2])
    return order


def position(order: dict[str, str], name: str) -> int:
    assert name in order, f"milestone {name} missing from {list(order)}"
    return list(order).index(name)


def test_window_is_painted_before_the_corpus_loads(tmp_path, run_app_script):
    corpus = tmp_path / "코퍼스"
    corpus.mkdir()

    order = milestones(run_app_script(SLOW_BUILD_SCRIPT, corpus, **TRACE))

    assert order.get("build_saw_paint") == "True"
    assert position(order, "starting_window_painted") < position(order, "window_shown")
    assert position(order, "window_painted") < position(order, "load_started")
    assert position(order, "load_started") < position(order, "corpus_shown")
    assert float(order["window_painted"]) <= float(order["corpus_shown"])


def test_kiwi_is_not_imported_on_the_way_to_the_first_paint(seeds_dir, run_app_script):
    order = milestones(run_app_script(REAL_BUILD_SCRIPT, seeds_dir, **TRACE))

    # the real load imports kiwipiepy in the worker, after the window was painted
    assert "kiwipiepy_imported=False" in order
    assert position(order, "window_painted") < position(order, "corpus_shown")
