"""The ``camp-timeline`` command: open the app, build headless, check dates.

Headless subcommands (``build``, ``dates``) import no Qt (``build --png`` draws offscreen), so
they run on machines without a display and start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from core.paths import default_corpus


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


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
    sub = parser.add_subparsers(dest="command")

    p_open = sub.add_parser("open", help="open the app on a corpus folder")
    p_open.add_argument("corpus", type=Path)

    p_build = sub.add_parser("build", help="load, clean and analyse a corpus without a window")
    p_build.add_argument("corpus", type=Path)
    p_build.add_argument("--csv", type=Path, metavar="OUT.csv", help="write the timeline CSV here")
    p_build.add_argument(
        "--json", type=Path, metavar="OUT.json", help="write the timeline JSON here"
    )
    p_build.add_argument(
        "--png",
        type=Path,
        metavar="OUT.png",
        help="draw the whole timeline to this PNG (offscreen; needs Qt, no display)",
    )

    p_build.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="analyse articles in N processes (default 1: one process, Kiwi's own threads)",
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

    p_dates = sub.add_parser("dates", help="resolve the temporal expressions of texts")
    p_dates.add_argument(
        "--published", required=True, help="publication date: 2024-08-12, 2024-08, 2024 ..."
    )
    p_dates.add_argument("texts", nargs="+", metavar="TEXT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        from gui.build_command import run_build

        return run_build(args)
    if args.command == "dates":
        from core.dates.command import run_dates

        return run_dates(args.published, args.texts)
    corpus = args.corpus if args.command == "open" else default_corpus()
    from gui.app import run_app

    return run_app(corpus)


if __name__ == "__main__":
    sys.exit(main())
