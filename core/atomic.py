"""Writing a file so that readers see either the old content or the complete new one.

An export that fails half way (a full disk, a crash, an encoding error in the middle of
the rows) must not leave a truncated file or destroy the previous export. We write to a
temporary file in the same directory (so the final rename stays on one filesystem), flush
and fsync it, then ``os.replace`` it over the target, which is atomic on POSIX and Windows.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


class ExportError(Exception):
    """An output file could not be written; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot write {self.path}: {reason}")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


@contextlib.contextmanager
def atomic_open(
    path: Path | str, *, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the ``with`` block succeeds.

    Any exception inside the block removes the temporary file, leaves ``path`` as it was
    and propagates; failures to create, flush or rename raise ``ExportError``.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ExportError(target, "is a directory")
    if not directory.is_dir():
        raise ExportError(target, f"{directory} is not an existing folder")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise ExportError(target, _reason(error)) from error
    temp = Path(temp_name)
    try:
        # a file name that is not UTF-8 (kept as surrogate escapes) is written escaped
        with os.fdopen(
            fd, "w", encoding=encoding, newline=newline, errors="backslashreplace"
        ) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(target, temp)
        os.replace(temp, target)
    except OSError as error:
        _remove_quietly(temp)
        raise ExportError(target, _reason(error)) from error
    except BaseException:
        _remove_quietly(temp)
        raise


def write_text_atomic(
    path: Path | str, write: Callable[[IO[str]], None], *, encoding: str = "utf-8"
) -> None:
    """Call ``write(stream)`` and atomically install what it wrote at ``path``."""
    with atomic_open(path, encoding=encoding) as stream:
        write(stream)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Atomically install ``data`` (e.g. an encoded image) at ``path``.

    Same guarantees as ``atomic_open``: on any failure ``path`` keeps its old content, no
    temporary file is left behind, and an ``ExportError`` names the file and the reason.
    """
    # latin-1 maps bytes 0..255 one to one and newline="" translates nothing: byte-exact
    with atomic_open(path, encoding="latin-1", newline="") as stream:
        stream.write(data.decode("latin-1"))


def _keep_mode(target: Path, temp: Path) -> None:
    # mkstemp creates 0600; an export replacing a file should keep that file's permissions,
    # and a new one should be readable like any file the user saves
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644  # not via os.umask(): reading it means setting it, racy across threads
    os.chmod(temp, mode)


def _remove_quietly(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()
