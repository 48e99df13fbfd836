"""The one Kiwi analyser of this process, configured from ``resources/``.

Loading Kiwi takes about 1.5 s and 0.5 GB, so every stage shares one instance through
``get_kiwi()``. Its user words and span patterns come from two tables a user can read and
extend (``kiwi_words.tsv``, ``kiwi_patterns.tsv``); entity identity does not live here but
in our own lexicon, since Kiwi's built-in multi-word dictionary can override user words.
"""

from __future__ import annotations

import os
import re
import threading
from typing import TYPE_CHECKING

from core.model import Problem
from core.resources import read_table

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None
_problems: list[Problem] = []


def get_kiwi() -> Kiwi:
    """The shared, configured Kiwi; loaded on first use (thread-safe)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                _kiwi = _load()
    return _kiwi


def load_problems() -> list[Problem]:
    """Rows of ``kiwi_words.tsv``/``kiwi_patterns.tsv`` that Kiwi refused, and why."""
    get_kiwi()
    return list(_problems)


def _load() -> Kiwi:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=_threads())
    _problems[:] = configure(kiwi, read_table("kiwi_words.tsv"), read_table("kiwi_patterns.tsv"))
    return kiwi


def _threads() -> int | None:
    """Kiwi's worker threads: ``CAMP_TIMELINE_KIWI_THREADS``, else Kiwi's default.

    A process of ``core.analyse``'s pool sets 1 (0 makes Kiwi refuse batch calls).
    """
    value = os.environ.get("CAMP_TIMELINE_KIWI_THREADS", "").strip()
    try:
        return int(value) if value else None
    except ValueError:
        return None


def configure(
    kiwi: Kiwi, word_rows: list[dict[str, str]], pattern_rows: list[dict[str, str]]
) -> list[Problem]:
    """Add user words and span patterns to ``kiwi``; the rows it refused, with the reason.

    A bad row (a user's broken regex, an unknown tag) is reported and skipped: one typo in
    an extension table must not stop every article from being analysed.
    """
    problems: list[Problem] = []
    for row in word_rows:
        where = row.get("_source", "kiwi_words.tsv")
        try:
            if not row.get("form", "").strip():
                raise ValueError("empty form")
            score = float(row.get("score") or 0.0)
            kiwi.add_user_word(row["form"].strip(), row.get("tag") or "NNP", score)
        except (ValueError, RuntimeError) as exc:
            problems.append(Problem(where, f"user word skipped: {exc}"))
    for row in pattern_rows:
        where = row.get("_source", "kiwi_patterns.tsv")
        try:
            if not row.get("pattern", ""):
                raise ValueError("empty pattern")
            kiwi.add_re_word(re.compile(row["pattern"]), row.get("tag") or "NNP")
        except (re.error, ValueError, RuntimeError) as exc:
            problems.append(Problem(where, f"pattern skipped: {exc}"))
    return problems
