"""The measurements the harness runs, each in a process of its own.

``python tests/benchmarks/harness_probes.py PROBE ARGS...`` prints one JSON object on its
last line of output. The harness (``harness.py``) starts these; they can also be run alone.

- ``build FOLDER [--workers N] [--lines-out PATH]``: Kiwi load, the build as the window's load job runs it
  (``core.pipeline.build`` analysing every article through the cache, then
  ``core.timeline.build_timeline``), bare Kiwi tokenisation of the same cleaned text, CSV
  and PNG export of the timeline.
- ``floor LINES.json``: bare Kiwi tokenisation of the lines ``build --lines-out`` wrote,
  in a fresh process (first pass and a second, warm pass).
- ``rebuild FOLDER [--workers N]``: the same build again in a fresh process (the harness
  gives it the cache folder the first build filled).
- ``frames N ...``: frame times of the timeline view while panning and zooming
  (``bench_timeline``'s synthetic events and script).
- ``responsive FOLDER``: the main window loading FOLDER while a 10 ms timer on the GUI
  thread records how late it fires: what a key press or click would wait (and the peak
  memory of the build's child process, where the window builds in one); a bystander
  process ticking alone alongside tells how late the busy machine itself made things.
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _accepted(fn: Callable, **options: object) -> dict:
    """The ``options`` that ``fn`` takes (the parallel build adds ``workers``)."""
    names = inspect.signature(fn).parameters
    return {k: v for k, v in options.items() if k in names and v is not None}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _build_fn() -> Callable:
    from core.pipeline import build

    return build


def _app_build(folder: Path, workers: int | None) -> tuple[object, object, dict]:
    """Build ``folder`` as the window's load job does: every article analysed (on
    ``workers`` processes where the pipeline takes them) through the analysis cache of
    ``XDG_CACHE_HOME``, then the timeline. Older pipelines get what they take."""
    from core.pipeline import build
    from core.timeline import build_timeline

    options: dict = {}
    if "analyse" in inspect.signature(build).parameters:
        from core.cache import AnalysisCache

        options = {"analyse": True, "cache": AnalysisCache()}
        workers = workers or 1  # the window's default
    options.update(_accepted(build, workers=workers))
    out: dict = {"workers": str(options.get("workers", 1))}
    t = time.perf_counter()
    corpus = build(folder, **options)
    out["pipeline_s"] = time.perf_counter() - t
    t = time.perf_counter()
    timeline = build_timeline(corpus)
    out["timeline_s"] = time.perf_counter() - t
    out["build_s"] = out["pipeline_s"] + out["timeline_s"]
    cache = options.get("cache")
    if cache is not None:
        cache.close()
    return corpus, timeline, out


def probe_build(folder: Path, workers: int | None, lines_out: Path | None = None) -> dict:
    from corpus_gen import cleaned_lines

    from core.export import write_csv
    from core.kiwi import get_kiwi

    # a serial build uses this process's Kiwi: load it first, so that neither the build nor
    # the floor pays for it; a parallel build's workers load their own, and this process
    # loads one for the floor only after the build (so the build's peak is its own)
    serial = workers == 1 or "analyse" not in inspect.signature(_build_fn()).parameters
    t = time.perf_counter()
    kiwi = get_kiwi() if serial else None
    kiwi_load = time.perf_counter() - t
    corpus, timeline, out = _app_build(folder, workers)
    out["peak_after_build_mb"] = _peak_mb()
    if kiwi is None:
        t = time.perf_counter()
        kiwi = get_kiwi()
        kiwi_load = time.perf_counter() - t
    out["kiwi_load_s"] = kiwi_load
    out["articles"] = len(corpus.articles)
    out["events"] = len(timeline.events)
    # the build's worker processes (if any): the largest one's peak
    out["worker_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0

    # the floor: every cleaned character through Kiwi once, lines as the pipeline splits them
    lines = cleaned_lines(corpus)
    out["chars"] = sum(len(line) for line in lines)
    if lines_out is not None:  # for the floor probe: the same lines in a fresh Kiwi
        lines_out.write_text(json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    t = time.perf_counter()
    for _tokens in kiwi.tokenize(lines):
        pass
    out["kiwi_tokenise_s"] = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as scratch:
        t = time.perf_counter()
        write_csv(timeline, Path(scratch) / "timeline.csv")
        out["csv_s"] = time.perf_counter() - t
        from gui.png_export import ensure_offscreen_app, export_timeline_png

        ensure_offscreen_app()
        t = time.perf_counter()
        export_timeline_png(timeline.events, Path(scratch) / "timeline.png", title="benchmark")
        out["png_s"] = time.perf_counter() - t
    return out


def probe_floor(lines_path: Path) -> dict:
    """Bare Kiwi tokenisation of the lines a build probe wrote, in a fresh process: the
    model's load timed apart, then the first pass (which pays Kiwi's first-analysis set-up,
    as a build in a fresh process does) and a second pass over the same lines (warm)."""
    from core.kiwi import get_kiwi

    lines = json.loads(lines_path.read_text(encoding="utf-8"))
    t = time.perf_counter()
    kiwi = get_kiwi()
    out = {"kiwi_load_s": time.perf_counter() - t}
    for name in ("kiwi_fresh_s", "kiwi_warm_s"):
        t = time.perf_counter()
        for _tokens in kiwi.tokenize(lines):
            pass
        out[name] = time.perf_counter() - t
    return out


def probe_rebuild(folder: Path, workers: int | None) -> dict:
    """The same build in a fresh process (imports done first, Kiwi's load counted if the
    build loads it): what reopening an unchanged corpus costs with the cache left behind."""
    import core.pipeline  # imports are not the build's cost
    import core.timeline  # noqa: F401

    t = time.perf_counter()
    _corpus, _timeline, out = _app_build(folder, workers)
    out["rebuild_s"] = time.perf_counter() - t
    out["kiwi_loaded"] = "kiwipiepy" in sys.modules
    return out


def probe_frames(counts: list[int]) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bench_timeline import script, synthetic_frame
    from PySide6.QtWidgets import QApplication

    from gui.fonts import register_bundled_fonts
    from gui.timeline_view import TimelineView

    QApplication.instance() or QApplication([])
    register_bundled_fonts()
    out = {}
    for n in counts:
        view = TimelineView()
        view.resize(1400, 600)
        view.show()
        QApplication.processEvents()
        t = time.perf_counter()
        view.set_events(synthetic_frame(n))
        view.grab()
        load = time.perf_counter() - t
        times, binned = [], 0
        for step in script(view):
            t = time.perf_counter()
            step()  # the view lays out bins, labels and badges as the range changes
            view.grab()
            times.append(time.perf_counter() - t)
            binned += bool(getattr(view, "binned_lanes", lambda: ())())
        out[str(n)] = {
            "load_s": load,
            "median_ms": statistics.median(times) * 1000,
            "worst_ms": max(times) * 1000,
            "frames": len(times),
            "binned_frames": binned,
        }
        view.close()
        view.deleteLater()
        QApplication.processEvents()
    return out


#: a bystander process with the same 10 ms tick and nothing else to do: how late it is says
#: how much of the window's lateness was the shared machine's, not the window's
CONTROL_TICKER = """
import json, select, sys, time
gaps, last = [], time.perf_counter()
while not select.select([sys.stdin], [], [], 0.01)[0]:
    now = time.perf_counter()
    gaps.append((now - last) * 1000 - 10)
    last = now
print(json.dumps({"worst_ms": max(gaps, default=0.0), "over_100ms": sum(g > 100 for g in gaps)}))
"""


def _control_ticker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CONTROL_TICKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


#: a tick this much later than due counts as a pause whose place the watchdog records
WATCH_LATE_S = 0.1


def _watch_gui_thread(ticks: list[float], stop: threading.Event) -> list[str]:
    """Start a watchdog: while the GUI thread's 10 ms timer is over ``WATCH_LATE_S`` late,
    it notes where that thread is (the project's own frames, innermost first); the list it
    returns fills as it goes, one line per distinct place of one pause.

    It needs the GIL to look, so it sees the GUI thread between bytecodes: inside a long
    C++ call it sees the Python line that made the call.
    """
    gui = threading.main_thread().ident
    places: list[str] = []

    def place() -> str:
        frame = sys._current_frames().get(gui)
        names = []
        while frame is not None and len(names) < 6:
            code = frame.f_code
            if str(ROOT) in code.co_filename and "benchmarks" not in code.co_filename:
                where = Path(code.co_filename).relative_to(ROOT)
                names.append(f"{where}:{frame.f_lineno} {code.co_name}")
            frame = frame.f_back
        return " < ".join(names) or "(outside the project's code)"

    def watch() -> None:
        seen_for: float | None = None
        while not stop.wait(0.02):
            last = ticks[-1]
            if time.perf_counter() - last < WATCH_LATE_S:
                continue
            here = f"pause after {last - ticks[0]:.2f} s: {place()}"
            if seen_for != last or (places and places[-1] != here):
                places.append(here)
                seen_for = last

    threading.Thread(target=watch, name="gui watchdog", daemon=True).start()
    return places


def probe_responsive(folder: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    QApplication.processEvents()
    interval_ms = 10
    ticks: list[float] = []
    loaded: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def done(*_args: object) -> None:
        loaded.append(time.perf_counter())
        QTimer.singleShot(1500, app.quit)  # keep ticking through the shown corpus

    window.state.timeline_loaded.connect(done)
    window.state.load_failed.connect(done)
    control = _control_ticker()
    start = time.perf_counter()
    ticks.append(start)
    stop_watch = threading.Event()
    paused_at = _watch_gui_thread(ticks, stop_watch)
    timer.start()
    window.load_corpus(folder)
    app.exec()
    timer.stop()
    stop_watch.set()
    # read before the bystander is reaped: once waited for, it counts among the children
    child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    bystander = json.loads(control.communicate("", timeout=60)[0] or "{}")
    end_of_build = loaded[0] if loaded else ticks[-1]
    gaps_build = [
        (b - a) * 1000 - interval_ms for a, b in itertools.pairwise(ticks) if b <= end_of_build
    ]
    gaps_after = [
        (b - a) * 1000 - interval_ms for a, b in itertools.pairwise(ticks) if b > end_of_build
    ]
    gaps_build.sort()

    def quantile(values: list[float], q: float) -> float:
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    return {
        "load_s": end_of_build - start,
        # the window's build runs in a child process where the window supports it
        "build_in_child": "gui.process_job" in sys.modules,
        "child_peak_mb": child_peak_mb,
        "ticks": len(gaps_build),
        "late_median_ms": statistics.median(gaps_build) if gaps_build else float("nan"),
        "late_p99_ms": quantile(gaps_build, 0.99),
        "late_worst_ms": gaps_build[-1] if gaps_build else float("nan"),
        "late_over_100ms": sum(g > 100 for g in gaps_build),
        "late_worst_showing_ms": max(gaps_after) if gaps_after else float("nan"),
        # the bystander ran through the build and the showing: its lateness is the machine's
        "bystander_worst_ms": bystander.get("worst_ms", float("nan")),
        "bystander_over_100ms": bystander.get("over_100ms", -1),
        # where the GUI thread was during pauses over WATCH_LATE_S (the first 20 places)
        "paused_at": paused_at[:20],
    }


def main(argv: list[str]) -> int:
    probe, args = argv[0], argv[1:]
    workers = int(args[args.index("--workers") + 1]) if "--workers" in args else None
    if probe == "build":
        lines_out = Path(args[args.index("--lines-out") + 1]) if "--lines-out" in args else None
        result = probe_build(Path(args[0]), workers, lines_out)
    elif probe == "floor":
        result = probe_floor(Path(args[0]))
    elif probe == "rebuild":
        result = probe_rebuild(Path(args[0]), workers)
    elif probe == "frames":
        result = probe_frames([int(a) for a in args])
    elif probe == "responsive":
        result = probe_responsive(Path(args[0]))
    else:
        raise SystemExit(f"unknown probe {probe!r}: build, floor, rebuild, frames, responsive")
    result["peak_self_mb"] = _peak_mb()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
