"""Sequence, window and batching moves the rules ask for (``core/rules/ragged.py``,
``reshape_size.py``, ``cardinality.py``), registered by name in :data:`SEQUENCE_MOVES`.

Each builder writes the code through :mod:`kerashape_magic.core.moves.templates` (NumPy,
tf.Tensor, pandas, list and tf.data ``map`` forms) and returns ``None`` when the objects do
not allow it. Where the knowledge comes from (Keras 3.15 / TensorFlow 2.x):
keras/src/utils/sequence_utils.py ``pad_sequences``; tensorflow/python/data/ops/dataset_ops.py
``padded_batch`` / ``batch``; ``tf.image.resize``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Dict, Optional, Tuple

from ..shapes import fmt, prod
from ..types import DataFact, Facts, Fix, MoveSpec, Shape
from . import templates as F


def resize_each(
    facts: Facts,
    name: str,
    type_name: str,
    size: Tuple[int, int],
    rationale: str,
    source: Optional[str] = None,
    batch: Optional[int] = None,
) -> Optional[Fix]:
    """Pictures of different sizes resampled one by one to the model's size
    (:func:`kerashape_magic.core.moves.templates.resize_each`)."""
    return F.resize_each(facts, name, type_name, size, rationale, source=source, batch=batch)


def batch_padded(facts: Facts, name: str, size: int, rationale: str) -> Optional[Fix]:
    """``ds = ds.padded_batch(32)`` for a dataset of single sequences of different lengths."""
    return F.batch_dataset(facts, name, size, rationale, padded=True)


def padded_batch(facts: Facts, target: str, source: str, batch_size: int, rationale: str) -> Optional[Fix]:
    """``batched = dataset.padded_batch(32)``: re-batch the unbatched dataset with padding."""
    return F.padded_batch(facts, target, source, batch_size, rationale)


def pad_sequences(
    facts: Facts, name: Optional[str], maxlen: Optional[int], dtype: str, rationale: str, loses: bool
) -> Optional[Fix]:
    """``seqs = keras.utils.pad_sequences(seqs, padding="post", dtype="float32")``."""
    return F.pad_sequences(facts, name, maxlen, dtype, rationale, loses)


def sliding_windows(
    facts: Facts, name: Optional[str], type_name: str, t: int, f: int, rows: int
) -> Optional[Fix]:
    """Every window of ``t`` consecutive rows (:func:`~.templates.sliding_windows`)."""
    return F.sliding_windows(facts, name, type_name, t, f, rows)


def row_blocks(facts: Facts, name: Optional[str], type_name: str, t: int, f: int, rows: int) -> Optional[Fix]:
    """Blocks of ``t`` consecutive rows, no row shared (:func:`~.templates.row_blocks`)."""
    return F.row_blocks(facts, name, type_name, t, f, rows)


def regroup_samples(facts: Facts, x: DataFact, shape: Shape, rationale: str) -> Optional[Fix]:
    """``X = X.reshape(-1, 48, 1)``: data cut into samples of the wrong size, regrouped into
    samples of ``shape[1:]`` (the values of one sample are consecutive, as a reshape leaves them).

    ``sample_rows`` is the smallest number of old rows whose values make whole new samples,
    so that verification slices rows that regroup exactly.
    """
    if x.shape is None:
        return None
    fix = F.reshape(
        facts,
        x.name,
        x.type_name,
        (-1,) + tuple(shape[1:]),
        rationale,
        "Reshape %s to %s" % (x.name, fmt(shape)),
    )
    if fix is None:
        return None
    old, new = prod(x.shape[1:]) or 1, prod(shape[1:]) or 1
    return replace(fix, resulting_shape=tuple(shape), sample_rows=new // math.gcd(old, new))


#: The sequence, window and batching moves, by the name a rule's MoveRequest gives.
SEQUENCE_MOVES: Dict[str, MoveSpec] = {
    # resample pictures of different sizes one by one to the model's size (lossy)
    "resize_each": MoveSpec(resize_each, "code"),
    # padded_batch for a dataset of single sequences of different lengths
    "batch_padded": MoveSpec(batch_padded, "code"),
    # re-batch the dataset a .batch() came from with padded_batch
    "padded_batch": MoveSpec(padded_batch, "padded_batch", structured=True),
    # pad a list / object array of sequences to the longest one
    "pad_sequences": MoveSpec(pad_sequences, "code"),
    # rows -> every window of t consecutive rows
    "sliding_windows": MoveSpec(sliding_windows, "code"),
    # rows -> blocks of t consecutive rows
    "row_blocks": MoveSpec(row_blocks, "code"),
    # samples of the wrong size regrouped (the sample count disagrees with the labels')
    "regroup_samples": MoveSpec(regroup_samples, "code"),
}
