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
from typing import TYPE_CHECKING, Dict, Iterable, Optional, Tuple

from ..shapes import fmt, prod
from ..types import DataFact, Facts, Fix, MoveSpec, Shape
from . import templates as F

if TYPE_CHECKING:  # data.py imports nothing from here; the Situation is only read
    from .data import Situation


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


#: The first-layer classes that read integer token ids (keras/src/layers/core/embedding.py).
TOKEN_LAYERS = ("Embedding",)


def fit_token_length(s: "Situation") -> Iterable[Optional[Fix]]:
    """Pad or truncate 2-D token-id rows ``(N, T)`` to the declared length ``(None, E)`` with
    ``keras.utils.pad_sequences(X, maxlen=E, padding=..., truncating=...)``
    (keras/src/utils/sequence_utils.py), for a model whose first layer reads token ids.

    Two candidates, one per side: ``"pre"`` first, since it is ``pad_sequences``'s default and so
    the side text data is usually padded on, then ``"post"``. The facts do not say on which side
    the zeros of the rows lie, so each rationale states what it assumes. Cutting (T > E) drops
    positions from every row: lossless only when they hold padding, so such fixes are lossy.
    A ``tf.data.Dataset`` is left to ``padded_batch`` (core/rules/ragged.py).

    Example:
        >>> from kerashape_magic.core.types import DataFact, Diagnosis, Facts
        >>> from kerashape_magic.core.moves.data import Situation
        >>> x = DataFact("X_new", "X_new", "x", "ndarray", (3, 30), "int32")
        >>> d = Diagnosis("feature_mismatch", "embedding", (3, 30), (None, 18), 1, "")
        >>> s = Situation(d, Facts(data=(x,)), x, (3, 30), (None, 18), ("batch_size", "timesteps"),
        ...               "Embedding")
        >>> [f.code.splitlines()[-1] for f in fit_token_length(s)][0]
        'X_new = keras.utils.pad_sequences(X_new, maxlen=18, padding="pre", truncating="pre", dtype="int32")'
    """
    R, E = s.received, s.expected
    if len(R) != 2 or len(E) != 2 or not isinstance(R[1], int) or not isinstance(E[1], int) or R[1] == E[1]:
        return
    if s.layer_class not in TOKEN_LAYERS or s.tname == "Dataset" or not F.is_identifier(s.name):
        return
    name, maxlen = s.name, E[1]
    dtype = s.x.dtype if s.x.dtype in ("int32", "int64", "float32", "float64") else "int32"
    ks, imp = F._module(s.facts, "keras", "keras")
    rows = "%s.to_numpy()" % name if s.tname in ("DataFrame", "Series") else name
    cut = R[1] > maxlen
    for side, where in (("pre", "front"), ("post", "end")):
        if cut:
            why = (
                "Keeps the last %d of %d positions of every row and drops the %d at the %s, as "
                "pad_sequences(truncating=%r) does: lossless only if those positions are padding (zeros), "
                "i.e. if %s was padded at the %s; any real token there is lost."
                % (maxlen, R[1], R[1] - maxlen, where, side, name, where)
                if side == "pre"
                else "Keeps the first %d of %d positions of every row and drops the %d at the %s, as "
                "pad_sequences(truncating=%r) does: lossless only if %s was padded at the %s; any real "
                "token there is lost." % (maxlen, R[1], R[1] - maxlen, where, side, name, where)
            )
            title = "Cut %s to %d tokens at the %s" % (name, maxlen, where)
        else:
            why = (
                "Adds %d zeros (the padding id) at the %s of every row, up to the %d tokens the model "
                "was built for; no token is lost. Pad on the side the training rows were padded on."
                % (maxlen - R[1], where, maxlen)
            )
            title = "Pad %s to %d tokens at the %s" % (name, maxlen, where)
        src = '%s%s = %s.utils.pad_sequences(%s, maxlen=%d, padding="%s", truncating="%s", dtype="%s")\n' % (
            imp,
            name,
            ks,
            rows,
            F._int(maxlen),
            side,
            side,
            dtype,
        )
        yield replace(
            F.data_fix(
                s.facts,
                "pad_sequences",
                title,
                src,
                why,
                (R[0], maxlen),
                loses_data=cut,
                target=name,
                op=("pad_tokens", maxlen, side, dtype),
            ),
            move="fit_token_length",
        )


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
