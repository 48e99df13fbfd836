"""``camp-timeline build CORPUS``: the pipeline without a window, reported as text.

Imports no Qt (except to draw ``--png``, offscreen), so it runs on machines without a
display; it lives in ``gui`` only because it is part of the command line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from core.atomic import STDOUT, ExportError, StandardOutput, target_problem
from core.cache import AnalysisCache
from core.engines import EngineError
from core.export import write_csv, write_json
from core.loading import ARTICLE_SUFFIXES, CorpusError, display_name
from core.manifest import MANIFEST_NAME
from core.model import Cancelled
from core.pipeline import build
from core.report import corpus_report, problem_line
from core.review import apply_corpus_review
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
    Every output is checked before the analysis starts (``_outputs``): a regular file or a
    new name, never a file the build reads nor a new article inside the corpus, never one
    path twice; ``-`` writes the CSV or JSON to standard output, and the report then goes
    to standard error. Returns 0 on success; 2 when the folder is missing or holds no
    readable article; 1 when an output cannot be written; 130 when interrupted.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    writers: dict[str, Callable[[Timeline, Path | StandardOutput], None]] = {
        "csv": write_csv,
        "json": write_json,
        "png": lambda timeline, path: _write_png(timeline, path, args.corpus),
    }
    # every output is checked before the long analysis, and none is written if one is bad
    checked = _outputs(args, list(writers))
    if isinstance(checked, str):
        print(f"camp-timeline build: {display_name(checked)}", file=err)
        return 1
    outputs = [(target, writers[name]) for name, target in checked]
    if any(isinstance(target, StandardOutput) for target, _ in outputs):
        out = err  # standard output carries the export; the report goes to standard error
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
        print(f"camp-timeline build: {display_name(str(exc))}", file=err)
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
            print(f"  {problem_line(problem)}", file=err)
        return 2
    assert timeline is not None  # built whenever there are articles
    # the analyst's review goes over the extraction, never into it (--no-review: raw)
    timeline, report_lines, applied = apply_corpus_review(
        corpus,
        timeline,
        use_review=not getattr(args, "no_review", False),
        include_rejected=bool(getattr(args, "include_rejected", False)),
    )
    lines = corpus_report(corpus, len(timeline.events))
    if applied:  # before the events, which stay last where scripts look for them
        head, _, events = lines[-1].rpartition(", ")
        lines[-1] = f"{head}, {applied}, {events}"
    for line in [*lines[:-1], *report_lines, lines[-1]]:
        print(line, file=out)
    try:
        for path, write in outputs:
            write(timeline, path)
            print(f"wrote {display_name(str(path))}", file=out)
    except ExportError as exc:
        print(f"camp-timeline build: {display_name(str(exc))}", file=err)
        return 1
    return 0


def _outputs(
    args: argparse.Namespace, names: list[str]
) -> list[tuple[str, Path | StandardOutput]] | str:
    """(option, target) of every output asked for, or why one of them cannot be written:
    ``-`` is standard output (once, and not for a PNG); a path must be a regular file or a
    new name (``core.atomic.target_problem``), no file the build reads, and no path twice."""
    found: list[tuple[str, Path | StandardOutput]] = []
    seen: dict[str, str] = {}
    for name in names:
        value = getattr(args, name, None)
        if value is None:
            continue
        if isinstance(value, str) and value == "-":
            if name == "png":
                return "--png -: a PNG cannot go to standard output; name a file"
            if "-" in seen:
                return f"--{seen['-']} and --{name} both name standard output (-)"
            seen["-"] = name
            found.append((name, STDOUT))
            continue
        path = Path(value)
        reason = target_problem(path) or _read_by_build(path, Path(args.corpus))
        if reason:
            return f"cannot write {path}: {reason}"
        same = os.path.realpath(path)
        if same in seen:
            return f"--{seen[same]} and --{name} name the same file {path}; name two files"
        seen[same] = name
        found.append((name, path))
    return found


def _read_by_build(path: Path, corpus: Path) -> str:
    """Why writing ``path`` would overwrite or add to what a build of ``corpus`` reads."""
    real, root = os.path.realpath(path), os.path.realpath(corpus)
    if not real.startswith(root.rstrip(os.sep) + os.sep):
        return ""
    parts = Path(os.path.relpath(real, root)).parts
    if parts == (MANIFEST_NAME,):
        return "it is the corpus's manifest, which the build reads"
    if any(part.startswith(".") for part in parts) or not real.lower().endswith(ARTICLE_SUFFIXES):
        return ""
    if os.path.lexists(real):
        return "it is an article of the corpus, which the build reads"
    return "a new .txt/.md inside the corpus would be read as an article by the next build"


def _write_png(timeline: Timeline, path: Path, corpus: Path) -> None:
    """Draw the whole timeline to ``path``; Qt is imported here and only here."""
    from gui.png_export import ensure_offscreen_app, export_timeline_png, timeline_title

    ensure_offscreen_app()
    export_timeline_png(timeline.events, path, title=timeline_title(corpus))
