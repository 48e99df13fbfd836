"""The window's one background job of a load: read a corpus, then build its timeline.

Both stages report through one progress callable, scaled so that a single bar runs from
0 to ``PROGRESS_SCALE`` across them; both check the same ``cancelled`` callable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.model import Corpus
from core.timeline import Timeline
from gui.worker import CancelledFn, ProgressFn

BuildFn = Callable[[Path, ProgressFn, CancelledFn], Corpus]
AnalyseFn = Callable[[Corpus, ProgressFn, CancelledFn], Timeline]

#: the progress bar's scale: reading and analysing each article (``pipeline_build``) fills
#: most of it; the timeline stage then only merges the articles' mentions
PROGRESS_SCALE = 1000
BUILD_SHARE = 0.9


def pipeline_build(root: Path, progress: ProgressFn, cancelled: CancelledFn) -> Corpus:
    """The real pipeline (imported on first use: it loads Kiwi, which takes a while).

    Each article is analysed here, on every core, and kept in the user's cache, so the
    timeline stage only merges; reopening an unchanged corpus reads the cache.
    """
    from core.analyse import default_workers
    from core.cache import AnalysisCache
    from core.pipeline import build

    cache = AnalysisCache()
    try:
        return build(
            root,
            progress=progress,
            cancelled=cancelled,
            analyse=True,
            workers=default_workers(),
            cache=cache,
        )
    finally:
        cache.close()


def pipeline_timeline(corpus: Corpus, progress: ProgressFn, cancelled: CancelledFn) -> Timeline:
    """The real analysis: entities, events and merging over a loaded corpus."""
    from core.timeline import build_timeline

    return build_timeline(corpus, progress=progress, cancelled=cancelled)


def scaled(progress: ProgressFn, low: float, high: float) -> ProgressFn:
    """A progress callable that maps ``done/total`` into ``[low, high]`` of the bar."""

    def report(done: int, total: int, message: str) -> None:
        fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        progress(round((low + (high - low) * fraction) * PROGRESS_SCALE), PROGRESS_SCALE, message)

    return report


def load_job(
    folder: Path, build: BuildFn, analyse: AnalyseFn
) -> Callable[[ProgressFn, CancelledFn], tuple[Corpus, Timeline]]:
    """The one background job of a load: read the corpus, then build its timeline."""

    def job(progress: ProgressFn, cancelled: CancelledFn) -> tuple[Corpus, Timeline]:
        corpus = build(folder, scaled(progress, 0.0, BUILD_SHARE), cancelled)
        timeline = analyse(corpus, scaled(progress, BUILD_SHARE, 1.0), cancelled)
        return corpus, timeline

    return job
