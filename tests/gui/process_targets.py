"""Child-side jobs for the process-job tests (no Qt here: the child imports this by name).

Each is a ``PieceTarget``: ``fn(*args, progress=..., cancelled=...)`` yielding pieces.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from core.loading import CorpusError
from core.model import Cancelled


class ListAssembler:
    """Collects the pieces; the result is the list of them."""

    def __init__(self) -> None:
        self.pieces: list = []

    def add(self, piece: object) -> None:
        self.pieces.append(piece)

    def finish(self) -> list:
        return self.pieces


def count_up(steps: int, *, progress, cancelled) -> Iterator[object]:
    """Reports each step, yields its square, then the child's process id."""
    for step in range(1, steps + 1):
        progress(step, steps, f"{step}단계")
        yield step * step
    yield ("pid", os.getpid())


def refuse_folder(folder: str, *, progress, cancelled) -> Iterator[object]:
    """Fails the way a bad corpus folder fails."""
    raise CorpusError(f"폴더가 없습니다: {folder}")
    yield  # a generator, like every target


def wait_for_cancel(pid_file: str, *, progress, cancelled) -> Iterator[object]:
    """Writes its process id, then checks ``cancelled`` until it answers True."""
    Path(pid_file).write_text(str(os.getpid()))
    progress(0, 1, "기다리는 중")
    while not cancelled():
        time.sleep(0.01)
    raise Cancelled()
    yield


def ignore_cancel(pid_file: str, *, progress, cancelled) -> Iterator[object]:
    """Writes its process id, then sleeps without ever checking ``cancelled``."""
    Path(pid_file).write_text(str(os.getpid()))
    progress(0, 1, "듣지 않는 중")
    time.sleep(120)
    yield "너무 늦음"


def die(code: int, *, progress, cancelled) -> Iterator[object]:
    """Ends the process at once, as a crash would, without a last word."""
    progress(0, 1, "곧 끝남")
    os._exit(code)
    yield
