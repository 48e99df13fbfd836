"""The one Kiwi analyser of this process, configured from ``resources/``.

Loading Kiwi takes about 1.5 s and 0.5 GB, so every stage shares one instance through
``get_kiwi()``. Its user words and span patterns come from two tables a user can read and
extend (``kiwi_words.tsv``, ``kiwi_patterns.tsv``); entity identity does not live here but
in our own lexicon, since Kiwi's built-in multi-word dictionary can override user words.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from core.resources import read_table

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

_lock = threading.Lock()
_kiwi: Kiwi | None = None


def get_kiwi() -> Kiwi:
    """The shared, configured Kiwi; loaded on first use (thread-safe)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                _kiwi = _load()
    return _kiwi


def _load() -> Kiwi:
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    for row in read_table("kiwi_words.tsv"):
        kiwi.add_user_word(row["form"], row.get("tag") or "NNP", float(row.get("score") or 0.0))
    for row in read_table("kiwi_patterns.tsv"):
        kiwi.add_re_word(re.compile(row["pattern"]), row.get("tag") or "NNP")
    return kiwi
