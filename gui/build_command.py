"""``camp-timeline build CORPUS``: the pipeline without a window, reported as text.

Imports no Qt (except to draw ``--png``, offscreen), so it runs on machines without a
display; it lives in ``gui`` only because it is part of the command line.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from core.atomic import ExportError
from core.cache import AnalysisCache
from core.engines import EngineError
from core.export import write_csv, write_json
from core.loading import CorpusError
from core.model import Cancelled
from core.pipeline import build
from core.report import corpus_report
from core.timeline import Timeline, build_timeline


def run_build(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Build ``args.corpus`` and print its article table, problems and summary.

    Articles are analysed in ``args.workers`` processes (default 1), or on the Dask
    cluster at ``args.scheduler`` (``local``: one started here, its dashboard printed), and
    kept in the user's cache unless ``args.no_cache``; a cache file set aside is listed
    with the problems as a note.

    With ``--csv``/``--json``/``--png``, also writes the timeline there (atomically; the
    PNG is drawn offscreen by the window's ``TimelineView``, the only path importing Qt).
    Returns 0 on success; 2 when the folder is missing or holds no readable article; 1 when
    an output cannot be written.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    writers: dict[str, Callable[[Timeline, Path], None]] = {
        "csv": write_csv,
        "json": write_json,
        "png": lambda timeline, path: _write_png(timeline, path, args.corpus),
    }
    outputs = [(path, writers[name]) for name in writers if (path := getattr(args, name, None))]
    for path, _ in outputs:
        # fail before the long analysis when the output folder is plainly missing
        if not path.parent.is_dir() or path.is_dir():
            where = (
                "is a directory" if path.is_dir() else f"{path.parent} is not an existing folder"
            )
            print(f"camp-timeline build: cannot write {path}: {where}", file=err)
            return 1
    workers = getattr(args, "workers", None)
    scheduler = getattr(args, "scheduler", None)
    cache = None if getattr(args, "no_cache", False) else AnalysisCache()
    try:
        with contextlib.ExitStack() as stack:
            if scheduler == "local":
                # started here rather than in the build, so its dashboard can be shown first
                from core.engines import local_cluster

                cluster = stack.enter_context(local_cluster(workers))
                print(f"Dask dashboard: {cluster.dashboard_link}", file=err)
                scheduler = cluster.scheduler_address
            corpus = build(args.corpus, workers=workers, scheduler=scheduler, cache=cache)
        timeline = build_timeline(corpus) if corpus.articles else None
    except CorpusError as exc:
        print(f"camp-timeline build: {exc}", file=err)
        return 2
    except EngineError as exc:
        print(f"camp-timeline build: {exc}", file=err)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print("camp-timeline build: interrupted", file=err)
        return 130
    finally:
        if cache is not None:
            cache.close()
    if not corpus.articles:
        print(f"camp-timeline build: no readable article in {args.corpus}", file=err)
        for problem in corpus.all_problems():
            print(f"  {problem}", file=err)
        return 2
    assert timeline is not None  # built whenever there are articles
    for line in corpus_report(corpus, len(timeline.events)):
        print(line, file=out)
    try:
        for path, write in outputs:
            write(timeline, path)
            print(f"wrote {path}", file=out)
    except ExportError as exc:
        print(f"camp-timeline build: {exc}", file=err)
        return 1
    return 0


def _write_png(timeline: Timeline, path: Path, corpus: Path) -> None:
    """Draw the whole timeline to ``path``; Qt is imported here and only here."""
    from gui.png_export import ensure_offscreen_app, export_timeline_png, timeline_title

    ensure_offscreen_app()
    export_timeline_png(timeline.events, path, title=timeline_title(corpus))
