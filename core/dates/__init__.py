"""Korean news dates: find temporal expressions and resolve them to honest intervals."""

from core.dates.resolver import resolve

__all__ = ["resolve"]
