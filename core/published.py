"""Parsing the partial ISO dates of the manifest and of ``--published``."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from core.model import DateSource, Published

_ISO = re.compile(
    r"^\s*(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)


class DateFormatError(ValueError):
    """A date string that is not one of the accepted partial ISO forms."""


def parse_partial_date(text: str, source: DateSource = DateSource.MANIFEST) -> Published:
    """``2024-08-07``, ``2024-08-07T18:00[+09:00]``, ``2024-08`` or ``2024`` as a Published.

    Raises DateFormatError with a readable reason for anything else, including
    impossible dates such as ``2024-02-30``.
    """
    match = _ISO.match(text)
    if not match:
        raise DateFormatError(
            f"'{text}' is not a date (expected YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM or YYYY)"
        )
    year = int(match["y"])
    month = int(match["m"]) if match["m"] else None
    day = int(match["d"]) if match["d"] else None
    try:
        if month is None:
            return Published(dt.date(year, 1, 1), dt.date(year, 12, 31), "year", source, text.strip())
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return Published(
                dt.date(year, month, 1), dt.date(year, month, last), "month", source, text.strip()
            )
        date = dt.date(year, month, day)
        time = None
        offset = None
        if match["H"]:
            time = dt.time(int(match["H"]), int(match["M"]))
            if match["tz"]:
                offset = _parse_offset(match["tz"])
        precision = "minute" if time else "day"
        return Published(date, date, precision, source, text.strip(), time, offset)
    except ValueError as exc:
        raise DateFormatError(f"'{text}' is not a valid date ({exc})") from None


def _parse_offset(tz: str) -> dt.timedelta:
    if tz == "Z":
        return dt.timedelta(0)
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:  # ISO 8601: an offset is under 24 hours
        raise ValueError(f"offset {tz} is not a time zone (hours 00-23, minutes 00-59)")
    return sign * dt.timedelta(hours=hours, minutes=minutes)
