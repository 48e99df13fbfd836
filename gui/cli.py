"""The ``camp-timeline`` command: open the app, build headless, check dates.

Headless subcommands (``build``, ``dates``) import no Qt (``build --png`` draws offscreen), so
they run on machines without a display and start fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


#: the memory one analysis process holds, mostly its Kiwi model
WORKER_BYTES = 512 * 1024 * 1024


def worker_limit() -> tuple[int, str]:
    """The most analysis processes this machine can run, and why: one per usable core,
    and no more than its memory holds at one Kiwi (about 0.5 GB) per process."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    memory = _memory_bytes()
    by_memory = max(1, memory // WORKER_BYTES) if memory else cores
    limit = max(1, min(cores, by_memory))
    why = f"{cores} usable core{'s' if cores != 1 else ''}"
    if memory:
        why += f", {memory / 1024**3:.1f} GB of memory at about 0.5 GB of Kiwi per process"
    return limit, why


def _memory_bytes() -> int:
    """Physical memory, or a container's lower limit; 0 when unknown."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        total = 0
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit() and (not total or int(limit) < total):
            total = int(limit)
    except OSError:
        pass
    return max(0, total)


def _workers(text: str) -> int:
    value = _positive(text)
    limit, why = worker_limit()
    if value > limit:
        raise argparse.ArgumentTypeError(
            f"{value} is more than this machine can run: at most {limit} ({why})"
        )
    return value


def _output(text: str) -> str | Path:
    """``-`` (standard output) as written; any other name as a path (``./-`` is a file)."""
    return text if text == "-" else Path(text)


def _scheduler(text: str) -> str:
    host_port = text.split("://", 1)[1] if "://" in text else ""
    if text == "local" or (
        text.startswith(("tcp://", "tls://")) and host_port.rpartition(":")[2].isdigit()
    ):
        return text
    raise argparse.ArgumentTypeError(
        f"expected tcp://HOST:PORT, tls://HOST:PORT or local, got {text!r}"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="camp-timeline",
        description="Explore a folder of Korean news articles about the AI race as a timeline.",
    )
    from gui.about import app_version

    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    sub = parser.add_subparsers(dest="command")

    p_open = sub.add_parser("open", help="open the app on a corpus folder")
    p_open.add_argument("corpus", type=Path)

    p_build = sub.add_parser("build", help="load, clean and analyse a corpus without a window")
    p_build.add_argument("corpus", type=Path)
    p_build.add_argument(
        "--csv",
        type=_output,
        metavar="OUT.csv",
        help="write the timeline CSV here (- for standard output; the report then goes to "
        "standard error)",
    )
    p_build.add_argument(
        "--json", type=_output, metavar="OUT.json", help="write the timeline JSON here (or -)"
    )
    p_build.add_argument(
        "--png",
        type=_output,
        metavar="OUT.png",
        help="draw the whole timeline to this PNG (offscreen; needs Qt, no display)",
    )

    p_build.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="analyse articles in N processes (default 1: one process, Kiwi's own threads); "
        "at most one per usable core and per 0.5 GB of memory",
    )
    p_build.add_argument(
        "--scheduler",
        type=_scheduler,
        metavar="ADDRESS",
        help="analyse articles on a Dask cluster: tcp://HOST:PORT or tls://HOST:PORT, or"
        " 'local' to start one here (needs the cluster extra; a remote scheduler's workers"
        " receive the articles' text)",
    )
    p_build.add_argument(
        "--no-cache",
        action="store_true",
        help="analyse every article again, neither reading nor writing the user's cache",
    )

    p_build.add_argument(
        "--no-review",
        action="store_true",
        help="the raw extraction: leave out the analyst's review kept beside the corpus",
    )
    p_build.add_argument(
        "--include-rejected",
        action="store_true",
        help="keep the events the analyst rejected in the outputs (marked review=rejected)",
    )

    p_dates = sub.add_parser("dates", help="resolve the temporal expressions of texts")
    p_dates.add_argument(
        "--published", required=True, help="publication date: 2024-08-12, 2024-08, 2024 ..."
    )
    p_dates.add_argument("texts", nargs="+", metavar="TEXT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; Ctrl-C ends it with "interrupted" and exit code 130 (no traceback;
    an export under way removes its temporary file)."""
    interrupted = []

    def on_interrupt(signum: int, frame: object) -> None:
        interrupted.append(signum)
        raise KeyboardInterrupt

    # remembered, because Kiwi turns an interrupt raised inside its callbacks into ValueError
    try:
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread (an embedding program): its own handling stays
        previous = None
    try:
        return _run(argv)
    except BaseException:
        if not interrupted:
            raise
        print("camp-timeline: interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            # once interrupted, a second Ctrl-C while the interpreter winds down (thread
            # joins at exit) must not turn exit 130 into a death by SIGINT
            signal.signal(signal.SIGINT, signal.SIG_IGN if interrupted else previous)


def _run(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from gui.build_command import run_build

        return run_build(args)
    if args.command == "dates":
        from core.dates.command import run_dates

        return run_dates(args.published, args.texts)
    # no folder: the app reopens the last corpus if it still exists, else the seeds
    corpus = args.corpus if args.command == "open" else None
    from gui.launch_check import missing_for_window

    missing = missing_for_window()
    if missing:
        # before Qt is imported: without a display or its libraries Qt aborts the process
        print(
            f"camp-timeline: cannot open the window: {missing}; "
            "`camp-timeline build CORPUS` analyses and exports without a window",
            file=sys.stderr,
        )
        return 2
    from gui.app import run_app

    return run_app(corpus)


if __name__ == "__main__":
    sys.exit(main())
