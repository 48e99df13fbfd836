"""``camp-timeline dates --published DATE TEXT...``: the resolver, checked from outside."""

from __future__ import annotations

import json
import sys

from core.dates.resolver import resolve
from core.published import DateFormatError, parse_partial_date


def run_dates(published: str, texts: list[str]) -> int:
    """Print one JSON line per expression of each text, texts in order; 2 on a bad date."""
    try:
        pub = parse_partial_date(published)
    except DateFormatError as exc:
        print(f"camp-timeline dates: --published: {exc}", file=sys.stderr)
        return 2
    for text in texts:
        for expr in resolve(text, pub):
            print(json.dumps(expr.to_dict(), ensure_ascii=False))
    return 0
