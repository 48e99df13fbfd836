"""Writing a file so that readers see either the old content or the complete new one.

An export that fails half way (a full disk, a crash, an encoding error in the middle of
the rows) must not leave a truncated file or destroy the previous export. We write to a
temporary file in the same directory (so the final rename stays on one filesystem), flush
and fsync it, then ``os.replace`` it over the target, which is atomic on POSIX and Windows.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import sys
import tempfile
import time
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


def _escape_surrogates(error: UnicodeError) -> tuple[str, int]:
    """Write a surrogate escape (a file name's byte that is not UTF-8) as ``\\udcff``; any
    other character the encoding lacks is still an error."""
    if isinstance(error, UnicodeEncodeError):
        bad = error.object[error.start : error.end]
        if all("\ud800" <= ch <= "\udfff" for ch in bad):
            return "".join(f"\\u{ord(ch):04x}" for ch in bad), error.end
    raise error


#: the error handler of every export stream
ESCAPE_SURROGATES = "camp-timeline-escape-surrogates"
codecs.register_error(ESCAPE_SURROGATES, _escape_surrogates)


class StandardOutput:
    """The output ``-``: standard output, written as a stream (it cannot be replaced)."""

    def __str__(self) -> str:
        return "standard output"

    def __repr__(self) -> str:
        return "STDOUT"


STDOUT = StandardOutput()
#: a temporary file of an export is ``.NAME.XXXXXXXX.tmp`` (``tempfile.mkstemp``'s 8 characters)
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
#: a temporary file untouched this long belongs to a killed export, never to a live one
STALE_TEMP_SECONDS = 3600


def target_problem(path: Path) -> str:
    """Why ``path`` must not be replaced by an export, or "" when it may: only a regular
    file or a new name in an existing folder (never a link, FIFO, device or folder)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        return _reason(error)
    if mode is not None and stat.S_ISLNK(mode):
        return "is a symbolic link; name the file it points to, or a new file"
    if mode is not None and stat.S_ISDIR(mode):
        return "is a directory"
    if mode is not None and not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, socket or device); exports replace files only"
    if not directory.is_dir():
        return f"{directory} is not an existing folder"
    return ""


def sweep_stale_temps(directory: Path, now: float | None = None) -> None:
    """Remove the temporary files of exports killed over an hour ago in ``directory``."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if not _TEMP.match(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMP_SECONDS:
                    os.unlink(entry.path)


@contextlib.contextmanager
def atomic_open(
    path: Path | str | StandardOutput, *, encoding: str = "utf-8", newline: str | None = ""
) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only if the ``with`` block succeeds.

    Any exception inside the block removes the temporary file, leaves ``path`` as it was
    and propagates; failures to create, flush or rename raise ``ExportError``, and so does
    a target that is not a regular file or a new name (``target_problem``). ``STDOUT``
    gives standard output itself, written as the block goes. Temporary files that killed
    exports left in the folder over an hour ago are removed first.
    """
    if isinstance(path, StandardOutput):
        try:
            with _standard_output(encoding, newline) as stream:
                yield stream
        except OSError as error:  # a closed pipe (``| head``), a full disk behind ``>``
            if isinstance(error, BrokenPipeError):
                _quiet_stdout()
            raise ExportError("-", _reason(error)) from error
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    problem = target_problem(target)
    if problem:
        raise ExportError(target, problem)
    sweep_stale_temps(directory)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise ExportError(target, _reason(error)) from error
    temp = Path(temp_name)
    try:
        # a file name that is not UTF-8 (kept as surrogate escapes) is written escaped
        with os.fdopen(
            fd, "w", encoding=encoding, newline=newline, errors=ESCAPE_SURROGATES
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


@contextlib.contextmanager
def _standard_output(encoding: str, newline: str | None) -> Iterator[IO[str]]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # already a text stream without bytes beneath (tests, IDEs)
        yield sys.stdout
        sys.stdout.flush()
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(buffer, encoding=encoding, newline=newline, errors=ESCAPE_SURROGATES)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()  # standard output stays open for the summary and Python's exit


def _quiet_stdout() -> None:
    """Point standard output at /dev/null: what is still buffered for a reader that is gone
    would fail again when Python exits, with a second message."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


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
