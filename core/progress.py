"""The two callables every long stage takes, declared once for all of them."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total, message)``: ``done`` of ``total`` steps, with what was just done
ProgressFn = Callable[[int, int, str], None]
#: answers True once the user asked to stop; stages ask it between steps
CancelledFn = Callable[[], bool]
