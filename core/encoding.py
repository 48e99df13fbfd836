"""Turning the bytes of an article file into text, by evidence and never by blind fallback.

A file is decoded by what its bytes show: a byte order mark (UTF-8, UTF-16, UTF-32), else
strict UTF-8, else strict CP949 (the superset of EUC-KR) *and only if the result reads like
Korean text*. A CP949 decode that succeeds on bytes that were never Korean produces
mojibake (Hanja and rare Hangul syllables in a row), so it must also pass a plausibility
test. Anything else is refused with a reason a user can act on (the offset of the first
byte that is not UTF-8, NUL bytes of a binary file, ...).

The decoded text is then normalised: line endings to ``\\n`` and Unicode to NFC (macOS
writes Hangul file contents in NFD when copied from some tools). Normalisation happens
here, before any offset exists, so every later offset indexes the normalised text.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from dataclasses import dataclass, field

#: control characters a text file has no business holding: all C0/C1 codes except tab,
#: line feed, vertical tab, form feed, carriage return and \x1a (the DOS end-of-file mark)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_NON_ASCII_VISIBLE = re.compile(r"[^\x00-\x7f\s]")
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
#: above this share of other control characters, the "text" is binary data
_MAX_CONTROL_SHARE = 0.01
#: a CP949 decode is believed only if at least this share of its non-ASCII letters are
#: Hangul syllables (Korean news has a few Hanja; mojibake is mostly Hanja and symbols)
_MIN_HANGUL_SHARE = 0.6
#: ... and if the syllables are mostly the 2,350 common ones of KS X 1001: mojibake lands on
#: the rare syllables CP949 adds (lead bytes 0x81-0xC6 with a low trail byte) far more often
_MIN_COMMON_SYLLABLE_SHARE = 0.9

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NotText(ValueError):
    """Bytes that are not a text this loader can read; ``str()`` is the reason.

    ``kind`` is ``empty``, ``binary`` or ``undecodable`` so callers can choose wording or
    severity without parsing the message.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass
class Decoded:
    """A decoded, normalised text and what was done to get it."""

    text: str
    encoding: str  # codec name as Python spells it: utf-8, utf-8-sig, utf-16-le, cp949 ...
    notes: dict[str, str] = field(default_factory=dict)  # what normalisation changed


def decode_text(data: bytes) -> Decoded:
    """Decode and normalise the bytes of a text file; raise ``NotText`` with the reason."""
    if not data:
        raise NotText("empty", "empty file (0 bytes)")
    text, encoding = _decode(data)
    _check_controls(text)
    if not text.strip(" \t\n\r\f\v\x1a\u3000\u00a0\ufeff\u200b"):
        raise NotText("empty", "empty file (only whitespace)")
    return normalise(text, encoding)


def normalise(text: str, encoding: str) -> Decoded:
    """Line endings to ``\\n`` and Unicode to NFC, noting what changed."""
    notes: dict[str, str] = {}
    if "\r" in text:
        crlf = text.count("\r\n")
        notes["line_endings"] = "crlf" if crlf == text.count("\r") else "cr"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        notes["nfc_normalised"] = "yes"
    return Decoded(text, encoding, notes)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                # decode past the mark: the endian-specific codecs would keep it as U+FEFF
                return body.decode("utf-8" if codec == "utf-8-sig" else codec), codec
            except UnicodeDecodeError as exc:
                raise NotText(
                    "undecodable",
                    f"starts with a {_bom_label(codec)} byte order mark but is not valid "
                    f"{_bom_label(codec)}: {exc.reason} at byte {exc.start + len(bom)}",
                ) from None
    if b"\x00" in data:
        raise NotText("binary", _nul_reason(data))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise NotText(
            "undecodable",
            f"neither UTF-8 (invalid byte 0x{data[utf8_error.start]:02X} at byte "
            f"{utf8_error.start}, line {_line_of(data, utf8_error.start)}) nor CP949/EUC-KR "
            f"(invalid byte at {exc.start})",
        ) from None
    doubt = _korean_doubt(text)
    if doubt:
        raise NotText(
            "undecodable",
            f"not UTF-8 (invalid byte 0x{data[utf8_error.start]:02X} at byte "
            f"{utf8_error.start}, line {_line_of(data, utf8_error.start)}), and read as "
            f"CP949 it does not look like Korean text ({doubt})",
        )
    return text, "cp949"


def _bom_label(codec: str) -> str:
    return codec.replace("-sig", "").replace("-le", "").replace("-be", "").upper()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _nul_reason(data: bytes) -> str:
    nuls = data.count(b"\x00")
    # UTF-32 first: ASCII in UTF-32 also has a NUL after every byte, like UTF-16
    for codec, label in (
        ("utf-32-le", "little-endian UTF-32"),
        ("utf-32-be", "big-endian UTF-32"),
        ("utf-16-le", "little-endian UTF-16"),
        ("utf-16-be", "big-endian UTF-16"),
    ):
        if _reads_as_text(data, codec):
            return (
                f"contains {nuls} NUL bytes: looks like {label} without a byte order mark; "
                f"save it as UTF-8 (or {label.split()[-1]} with a mark)"
            )
    first = data.index(b"\x00")
    return f"not text: binary data ({nuls} NUL bytes, first at byte {first})"


def _reads_as_text(data: bytes, codec: str) -> bool:
    """Do these bytes decode under ``codec`` to mostly ASCII, Hangul and spaces?"""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return False
    plain = sum(
        1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r" or "\uac00" <= ch <= "\ud7a3"
    )
    return bool(text) and plain / len(text) >= 0.9


def _check_controls(text: str) -> None:
    if "\x00" in text:
        raise NotText("binary", f"not text: NUL character at position {text.index(chr(0))}")
    controls = len(_CONTROL.findall(text))
    if controls and controls / len(text) > _MAX_CONTROL_SHARE:
        raise NotText(
            "binary",
            f"not text: {controls} control characters in {len(text)} characters",
        )


def _korean_doubt(text: str) -> str:
    """Why a CP949 decode does not read like Korean, or "" when it does."""
    control = _CONTROL.search(text)
    if control:
        return f"control character U+{ord(control.group()):04X} at position {control.start()}"
    non_ascii = len(_NON_ASCII_VISIBLE.findall(text))
    if not non_ascii:  # pure ASCII always decodes as UTF-8; kept for completeness
        return ""
    syllables = _HANGUL_SYLLABLE.findall(text)
    share = len(syllables) / non_ascii
    if share < _MIN_HANGUL_SHARE:
        return f"only {share:.0%} of its non-ASCII characters are Hangul syllables"
    common_set = _ksx1001_syllables()
    common = sum(1 for ch in syllables if ch in common_set)
    if common / len(syllables) < _MIN_COMMON_SYLLABLE_SHARE:
        return f"{len(syllables) - common} of {len(syllables)} Hangul syllables are rare ones"
    return ""


@functools.cache
def _ksx1001_syllables() -> frozenset[str]:
    """The 2,350 Hangul syllables EUC-KR can encode (lead 0xB0-0xC8, trail 0xA1-0xFE)."""
    pairs = bytes(
        b for lead in range(0xB0, 0xC9) for trail in range(0xA1, 0xFF) for b in (lead, trail)
    )
    return frozenset(pairs.decode("euc-kr"))
