"""Frame times of the timeline view while panning and zooming, with 10k and 100k events.

Run on demand (pytest does not collect this folder):
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_timeline.py [N ...]``.
Prints, per event count, the time to load the frame and the median and worst time of one
frame (range change, which lays out bins, labels and badges, then a full render with
``widget.grab()``) over a scripted sequence of zooms and pans, in wall time and in this
thread's CPU time (steadier on a shared machine); asserts nothing. The events are synthetic: random dates over
twelve years, a mix of day markers and month/quarter/range bars, all four camps, some
planned or approximate.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pandas as pd
from PySide6.QtWidgets import QApplication

PRECISIONS = ("day", "day", "day", "month", "quarter", "range", "week", "year")
CAMPS = ("open", "closed", "neutral", "crossover")


def synthetic_frame(n: int, seed: int = 3) -> pd.DataFrame:
    """``n`` made-up events between 2014 and 2026."""
    rng = np.random.default_rng(seed)
    first = np.datetime64("2014-01-01")
    starts = first + rng.integers(0, 12 * 365, n).astype("timedelta64[D]")
    precision = rng.choice(PRECISIONS, n)
    lengths = np.select(
        [precision == "day", precision == "week", precision == "month", precision == "quarter",
         precision == "year"],
        [0, 6, 30, 90, 364],
        default=rng.integers(2, 40, n),
    )  # fmt: skip
    ends = starts + lengths.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "event_id": [f"ev-{k:06d}" for k in range(n)],
            "date_start": starts.astype(str),
            "date_end": ends.astype(str),
            "precision": precision,
            "date_text": "지난달 말",
            "title": [f"가상기업{k % 97}, 모델 {k % 13}.{k % 7} 공개" for k in range(n)],
            "event_type": "release",
            "camp": rng.choice(CAMPS, n),
            "actors": "",
            "sources": "가상.txt",
            "confidence": 0.7,
            "planned": rng.random(n) < 0.1,
            "approximate": rng.random(n) < 0.1,
            "local_time": False,
        }
    )


def script(view) -> list:
    """Range changes: zoom from all to about a week in steps, pan across, zoom back out."""
    steps = []
    lo, hi = view.x_range()
    for _ in range(9):
        steps.append(view.zoom_in)
    for _ in range(10):
        steps.append(
            lambda: view.view_box.translateBy(x=(view.x_range()[1] - view.x_range()[0]) * 0.3)
        )
    for _ in range(9):
        steps.append(view.zoom_out)
    for _ in range(6):
        steps.append(lambda: view.view_box.translateBy(x=-(hi - lo) * 0.1))
    steps.append(view.fit)
    return steps


def measure(n: int) -> None:
    from gui.fonts import register_bundled_fonts
    from gui.timeline_view import TimelineView

    register_bundled_fonts()
    frame = synthetic_frame(n)
    view = TimelineView()
    view.resize(1400, 600)
    view.show()
    QApplication.processEvents()
    start = time.perf_counter()
    view.set_events(frame)
    view.grab()
    load = time.perf_counter() - start
    times, layouts, cpu = [], [], []
    for step in script(view):
        t0, c0 = time.perf_counter(), time.thread_time()
        step()  # the view lays out bins, labels and badges as the range changes
        t1 = time.perf_counter()
        view.grab()
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
        layouts.append(t1 - t0)
    print(
        f"{n:>7} events: load+first frame {load * 1000:7.0f} ms | frame median "
        f"{statistics.median(times) * 1000:6.1f} ms, worst {max(times) * 1000:6.1f} ms "
        f"(this thread's CPU: median {statistics.median(cpu) * 1000:5.1f}, worst "
        f"{max(cpu) * 1000:5.1f}) | range change and layout median "
        f"{statistics.median(layouts) * 1000:5.1f} ms, worst {max(layouts) * 1000:5.1f} ms "
        f"({len(times)} frames)"
    )
    view.close()


def main(argv: list[str]) -> None:
    QApplication.instance() or QApplication([])
    for n in [int(a) for a in argv] or [1_000, 10_000, 100_000]:
        measure(n)


if __name__ == "__main__":
    main(sys.argv[1:])
