"""The window's one background job of a load: read a corpus, then build its timeline.

Both stages report through one progress callable, scaled so that a single bar runs from
0 to ``PROGRESS_SCALE`` across them; both check the same ``cancelled`` callable.

The real pipeline runs in a child process (``start_load`` with the default stages): in a
thread it would hold the GIL for seconds and freeze the window. Stages injected by a caller
(tests, the start-up checks) run on the worker thread as plain functions, as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from core.child_build import (
    BUILD_SHARE,
    PROGRESS_SCALE,
    LoadAssembler,
    build_pieces,
    cached_build,
    run_stages,
    scaled,
)
from core.model import Corpus
from core.timeline import Timeline
from gui.state import PreparedLoad, prepare_load
from gui.worker import CancelledFn, Job, ProgressFn, run_job

BuildFn = Callable[[Path, ProgressFn, CancelledFn], Corpus]
AnalyseFn = Callable[[Corpus, ProgressFn, CancelledFn], Timeline]

__all__ = [
    "BUILD_SHARE",
    "PROGRESS_SCALE",
    "AnalyseFn",
    "BuildFn",
    "load_job",
    "pipeline_build",
    "pipeline_timeline",
    "scaled",
    "start_load",
]


def pipeline_build(root: Path, progress: ProgressFn, cancelled: CancelledFn) -> Corpus:
    """The real pipeline (``core.child_build.cached_build``: loads Kiwi on first use).

    Each article is analysed and kept in the user's cache, so the timeline stage only
    merges; reopening an unchanged corpus reads the cache.
    """
    return cached_build(root, progress, cancelled)


def pipeline_timeline(corpus: Corpus, progress: ProgressFn, cancelled: CancelledFn) -> Timeline:
    """The real analysis: entities, events and merging over a loaded corpus."""
    from core.timeline import build_timeline

    return build_timeline(corpus, progress=progress, cancelled=cancelled)


def load_job(
    folder: Path, build: BuildFn, analyse: AnalyseFn
) -> Callable[[ProgressFn, CancelledFn], tuple[Corpus, Timeline]]:
    """The one background job of a load: read the corpus, then build its timeline."""

    def job(progress: ProgressFn, cancelled: CancelledFn) -> tuple[Corpus, Timeline]:
        return run_stages(folder, build, analyse, progress, cancelled)

    return job


class _WindowAssembler:
    """The load's pieces put together on the reader thread, plus what the window reads next.

    Showing a corpus derives its event rows, date order, search index (with the lexicon)
    and the widgets' views (``gui.state.prepare_load``: the tables' frames, and the first
    article's entity and date marks, which the source viewer shows at once); on the GUI
    thread these froze the window for seconds at 10k articles (and 0.3 s for the date
    resolver's import alone, as nothing in this process has imported it: the build ran in
    the child), so all of it is done here and the job's result is
    ``(corpus, timeline, prepared)``.
    """

    def __init__(self) -> None:
        self._pieces = LoadAssembler()

    def add(self, piece: tuple) -> None:
        self._pieces.add(piece)

    def finish(self) -> tuple[Corpus, Timeline, PreparedLoad]:
        """The corpus, its timeline and what showing them derives (``prepare_load``)."""
        # gui.source_marks imports these on first use, which would be on the GUI thread
        import core.dates
        import core.entities  # noqa: F401

        corpus, timeline = self._pieces.finish()
        # the analyst's review goes over the timeline here too: what is prepared is what
        # the window shows (the reviewed timeline, the orphans among the problems)
        from gui.review_session import read_review

        review = read_review(corpus, timeline)
        # the search index loads the lexicon; the rows, order, index and the widgets' frames
        # made here leave the GUI thread only references to swap when the corpus is shown
        return corpus, timeline, prepare_load(review.corpus, review.timeline, review=review)


def start_load(folder: Path, build: BuildFn, analyse: AnalyseFn, name: str) -> Job:
    """Start loading ``folder``; its job succeeds with ``(corpus, timeline)``, plus the
    ``PreparedLoad`` of them when the build ran in a child.

    The real stages (``pipeline_build`` and ``pipeline_timeline``) run in a child process
    (``core.child_build.build_pieces``, the same build with the same cache) and the result
    is prepared for showing on the reader thread (``_WindowAssembler``); any other stages
    run on the worker thread.
    """
    # the child's pipes are handed over as inherited descriptors, which needs POSIX
    if build is pipeline_build and analyse is pipeline_timeline and os.name == "posix":
        from gui.process_job import run_process_job

        return run_process_job(build_pieces, (Path(folder),), _WindowAssembler(), name=name)
    return run_job(load_job(folder, build, analyse), name=name)
