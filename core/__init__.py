"""camp-timeline's headless pipeline: articles in, a sourced event timeline out. No Qt here."""

__version__ = "0.1.0"
