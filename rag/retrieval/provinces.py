"""Names of Vietnam's provinces and cities, from ``rag/lexicon/provinces.toml``, to notice a
question about a place that has no plan."""
from __future__ import annotations

from rag import lexicon


def province_names() -> tuple[str, ...]:
    return tuple(lexicon.load("provinces")["names"])
