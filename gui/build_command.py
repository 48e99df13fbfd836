"""``camp-timeline build CORPUS``: the pipeline without a window, reported as text.

Imports no Qt, so it runs on machines without a display; it lives in ``gui`` only because
it is part of the command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from core.loading import CorpusError
from core.model import Cancelled
from core.pipeline import build
from core.report import corpus_report


def run_build(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Build ``args.corpus`` and print its article table, problems and summary.

    Returns 0 on success; 2 when the folder is missing or holds no readable article.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        corpus = build(args.corpus)
    except CorpusError as exc:
        print(f"camp-timeline build: {exc}", file=err)
        return 2
    except (Cancelled, KeyboardInterrupt):
        print("camp-timeline build: interrupted", file=err)
        return 130
    if not corpus.articles:
        print(f"camp-timeline build: no readable article in {args.corpus}", file=err)
        for problem in corpus.all_problems():
            print(f"  {problem}", file=err)
        return 2
    for line in corpus_report(corpus):
        print(line, file=out)
    return 0
