"""What the explorer window costs: opening the seeds, then a timeline of a few thousand events.

Run on demand (pytest does not collect this folder): ``python tests/benchmarks/bench_explorer.py
[COPIES]``. Prints figures; asserts nothing. The big timeline is the seeds' events repeated
``COPIES`` times (default 120, about 3,000 events) under new ids, so every view, the search
index and the filters have real rows to go through.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pandas as pd
from PySide6.QtWidgets import QApplication

from core.timeline import Timeline


def main(copies: int = 120) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from gui.main_window import MainWindow
    from gui.settings import Settings

    window = MainWindow(settings=Settings.in_file(Path(tempfile.mkdtemp()) / "bench.ini"))
    window.resize(1500, 950)
    window.show()
    loaded: list[float] = []
    window.state.corpus_loaded.connect(lambda _c: loaded.append(time.perf_counter()))
    start = time.perf_counter()
    window.load_corpus(ROOT / "seeds")
    while not loaded:
        app.processEvents()
    events = window.state.events
    print(
        f"open seeds (read + analyse on the worker, Kiwi cold): {loaded[0] - start:.2f} s, "
        f"{len(events)} events"
    )

    seeds = window.state.timeline
    frames = []
    for k in range(copies):
        frame = events.copy()
        frame["event_id"] = [f"{e}-{k}" for e in frame["event_id"]]
        frames.append(frame)
    big = Timeline(pd.concat(frames, ignore_index=True), seeds.mentions.iloc[0:0],
                   seeds.articles, seeds.entities)  # fmt: skip
    start = time.perf_counter()
    window.state.set_corpus(window.state.corpus, big)
    app.processEvents()
    print(
        f"show {len(big)} events (table, timeline, panels, search index): "
        f"{time.perf_counter() - start:.2f} s"
    )
    for query in ("메타가", "Meta 공개", "구글의"):
        start = time.perf_counter()
        window.filter_bar.set_query(query)
        app.processEvents()
        print(
            f"search {query!r}: {(time.perf_counter() - start) * 1000:.0f} ms, "
            f"{len(window.state.matched_ids)} matched"
        )
    window.filter_bar.set_query("")
    start = time.perf_counter()
    window.entity_panel.set_checked("Google", True)
    app.processEvents()
    print(
        f"check an entity: {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(window.event_table.shown_ids())} shown"
    )
    start = time.perf_counter()
    steps = 50
    for _ in range(steps):
        window.state.step_event(1)
        app.processEvents()
    print(
        f"next event (table, timeline, viewer follow): "
        f"{(time.perf_counter() - start) * 1000 / steps:.1f} ms a step"
    )
    window.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 120)
