"""Rules for labels and losses: y against the model's output and the compiled loss.

Pure (standard library only), like the rest of :mod:`kerashape_magic.core`.
"""

from __future__ import annotations

from typing import Optional

from .types import Diagnosis, Facts


def label_rule(parsed, facts: Facts, mode: str) -> Optional[Diagnosis]:
    """Explain a mismatch between the labels, the model's output and the loss (or None)."""
    return None
