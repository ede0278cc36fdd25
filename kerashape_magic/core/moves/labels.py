"""Label, loss and output moves: the fixes the label rules ask for (``core/rules/labels.py``,
``outputs.py``, ``cardinality.py``), registered by name in :data:`LABEL_MOVES`.

A rule returns :class:`~kerashape_magic.core.types.MoveRequest`\\ s; ``core.moves.propose``
calls ``LABEL_MOVES[request.move].build(facts, **request.args)``. Every builder returns a
:class:`~kerashape_magic.core.types.Fix` or ``None`` when the objects do not allow it (an
expression instead of a variable, an uncompiled model, a layer name that is not plain).

Where the knowledge comes from (Keras 3.15): keras/src/utils/numerical_utils.py
``to_categorical``; keras/src/losses/losses.py (the loss names and classes, ``from_logits``);
keras/src/losses/loss.py ``squeeze_or_expand_to_same_rank``. The label verifiers live in
``kerashape_magic/verify_labels.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, Optional, Sequence, Tuple

from ..types import DataFact, Facts, Fix, LayerFact, MoveSpec, Shape
from ..vocab import LOSS_CLASSES
from . import templates as F


def _loss_expr(facts: Facts, loss: str) -> Tuple[str, str]:
    """(the ``loss=`` argument, its import line): a name, or a class keeping ``from_logits``."""
    if loss not in LOSS_CLASSES:
        raise ValueError("no fix template for loss %r" % (loss,))
    config = dict(facts.model.loss_config) if facts.model is not None else {}
    if config.get("from_logits") is True:
        keras, imp = F._module(facts, "keras", "keras")
        return "%s.losses.%s(from_logits=True)" % (keras, LOSS_CLASSES[loss]), imp
    return '"%s"' % loss, ""


def loss_fix(facts: Facts, kind: str, loss: str, rationale: str, title: str = "") -> Optional[Fix]:
    """``model = kerashape.rebuild(model, loss="sparse_categorical_crossentropy")``.

    A new model object (weights copied, same optimizer settings and metrics): the old one
    stays untouched so that Undo can put it back. ``from_logits=True`` is kept.
    """
    m = facts.model
    if m is None or not F.is_identifier(m.name) or m.loss is None:
        return None  # rebuild() compiles only a model that was compiled
    ks, imp = F._module(facts, "kerashape", "kerashape")
    expr, imp2 = _loss_expr(facts, loss)
    src = "%s%s%s = %s.rebuild(%s, loss=%s)\n" % (imp, imp2, m.name, ks, m.name, expr)
    logits = dict(m.loss_config).get("from_logits") is True
    return Fix(
        kind,
        title or "Compile %s with %s" % (m.name, loss),
        F.code(src),
        rationale,
        None,
        target=m.name,
        op=("loss", loss, logits),
    )


_LAYER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,100}")
_ACTIVATIONS = ("softmax", "sigmoid", "linear")


def edit_output_fix(
    facts: Facts, layer: Optional[LayerFact], units: Optional[int], activation: Optional[str], rationale: str
) -> Optional[Fix]:
    """``model = kerashape.rebuild(model, edit={"dense_1": {"units": 6}})``: the output layer changed.

    Uses the ``edit=`` of :func:`kerashape_magic.actions.rebuild` (a new model keeping every
    weight whose shape still fits; the edited layer's kernel starts anew). The layer name
    comes from the model, and must be a plain name to sit in a string literal.
    """
    m = facts.model
    if (
        m is None
        or layer is None
        or not F.is_identifier(m.name)
        or not _LAYER_NAME.fullmatch(layer.name or "")
    ):
        return None
    changes = []
    if units is not None:
        changes.append('"units": %d' % F._int(units))
    if activation is not None:
        if activation not in _ACTIVATIONS:
            return None
        changes.append('"activation": "%s"' % activation)
    if not changes:
        return None
    ks, imp = F._module(facts, "kerashape", "kerashape")
    src = '%s%s = %s.rebuild(%s, edit={"%s": {%s}})\n' % (
        imp,
        m.name,
        ks,
        m.name,
        layer.name,
        ", ".join(changes),
    )
    what = " and ".join(
        ([("%d units" % units)] if units is not None else [])
        + ([("activation=%r" % activation)] if activation is not None else [])
    )
    return Fix(
        "edit_layer",
        "Rebuild %s with %s in its output layer %r" % (m.name, what, layer.name),
        F.code(src),
        rationale,
        None,
        target=m.name,
        op=("edit_output", layer.name, units, activation),
    )


def to_categorical_fix(
    facts: Facts, y: DataFact, num_classes: int, result: Shape, rationale: str
) -> Optional[Fix]:
    """``y = keras.utils.to_categorical(y, num_classes=10)``: one-hot rows, one column per class."""
    if not F.is_identifier(y.name):
        return None
    keras, imp = F._module(facts, "keras", "keras")
    src = "%s%s = %s.utils.to_categorical(%s, num_classes=%d)\n" % (
        imp,
        y.name,
        keras,
        F._data_expr(y.name, y.type_name),
        F._int(num_classes),
    )
    return F.data_fix(
        facts,
        "to_categorical",
        "One-hot encode %s into %d classes" % (y.name, num_classes),
        src,
        rationale,
        tuple(result),
        target=y.name,
        op=("to_categorical", num_classes),
    )


def pad_onehot_fix(
    facts: Facts, y: DataFact, num_classes: int, result: Shape, rationale: str
) -> Optional[Fix]:
    """``y = keras.utils.to_categorical(np.argmax(y, axis=-1), num_classes=10)``: one-hot rows widened
    with zero columns, as ``to_categorical`` would have made them given ``num_classes``."""
    if not F.is_identifier(y.name):
        return None
    keras, imp = F._module(facts, "keras", "keras")
    np, imp2 = F._module(facts, "numpy", "np")
    src = "%s%s%s = %s.utils.to_categorical(%s.argmax(%s, axis=-1), num_classes=%d)\n" % (
        imp,
        imp2,
        y.name,
        keras,
        np,
        F._data_expr(y.name, y.type_name),
        F._int(num_classes),
    )
    return F.data_fix(
        facts,
        "to_categorical",
        "Widen the one-hot rows of %s to %d classes" % (y.name, num_classes),
        src,
        rationale,
        tuple(result),
        target=y.name,
        op=("onehot_pad", num_classes),
    )


def argmax_fix(facts: Facts, y: DataFact, result: Shape, rationale: str) -> Optional[Fix]:
    """``y = np.argmax(y, axis=-1)``: one-hot rows to class indices."""
    if not F.is_identifier(y.name):
        return None
    np, imp = F._module(facts, "numpy", "np")
    src = "%s%s = %s.argmax(%s, axis=-1)\n" % (imp, y.name, np, F._data_expr(y.name, y.type_name))
    return F.data_fix(
        facts,
        "argmax",
        "Turn the one-hot rows of %s into class indices" % y.name,
        src,
        rationale,
        tuple(result),
        target=y.name,
        op=("argmax", -1),
    )


def squeeze_labels_fix(facts: Facts, y: DataFact, axis: int, result: Shape, rationale: str) -> Optional[Fix]:
    """``y = np.squeeze(y, axis=1)`` on the labels (verified against the loss, not the input)."""
    fix = (
        F.squeeze(facts, y.name, y.type_name, axis, tuple(result), rationale)
        if F.is_identifier(y.name)
        else None
    )
    return replace(fix, op=("label_squeeze", axis)) if fix is not None else None


def scrambles_samples(before: Optional[Shape], after: Shape) -> str:
    """Why a reshape of labels ``before`` -> ``after`` would mix samples, or ``""``.

    A reshape keeps each sample's values together only when every new sample is made of whole
    old rows (flattened labels regrouped: ``(N*k,) -> (N, k)``, ``(N*T, F) -> (N, T, F)``).
    When an old row holds more values than a new sample (``(3, 100) -> (100, 3)``: each old
    row is one target for every sample), its values would be spread over several samples.

    Example:
        >>> scrambles_samples((300,), (100, 3)), scrambles_samples((600, 2), (100, 6, 2))
        ('', '')
        >>> scrambles_samples((3, 100), (100, 3))[:40]
        'each row of 100 values would be spread o'
    """
    if not before or len(before) < 2 or any(d is None for d in before) or any(d is None for d in after[1:]):
        return ""
    old_row = 1
    for d in before[1:]:
        old_row *= int(d or 1)
    new_row = 1
    for d in after[1:]:
        new_row *= int(d or 1)
    if old_row <= new_row and new_row % old_row == 0:
        return ""
    return (
        "each row of %d values would be spread over several samples of %d values: the reshape would "
        "pair labels with the wrong samples" % (old_row, new_row)
    )


def reversed_labels(before: Optional[Shape], after: Shape) -> bool:
    """True when labels ``before`` are exactly ``after`` with its two axes exchanged, unambiguously:
    ``(k, N)`` for ``(N, k)`` with ``k != N`` (``y.T``).

    Example:
        >>> reversed_labels((3, 100), (100, 3)), reversed_labels((4, 4), (4, 4))
        (True, False)
        >>> reversed_labels((300,), (100, 3))
        False
    """
    return (
        before is not None
        and len(before) == 2
        and len(after) == 2
        and before[0] is not None
        and before[0] != before[1]
        and tuple(before) == (after[1], after[0])
    )


def transpose_labels_fix(facts: Facts, y: DataFact, shape: Shape, rationale: str) -> Optional[Fix]:
    """``y = np.transpose(y)``: labels stored one row per target, ``(k, N)``, for an output ``(N, k)``.

    Only when the two sizes differ (``k != N``): then the sample axis is the one whose size is x's
    count, and no other arrangement fits. Works on NumPy, tf.Tensor (through NumPy) and pandas
    (``np.transpose(df)`` is ``df.T``).
    """
    if not F.is_identifier(y.name) or not reversed_labels(y.shape, tuple(shape)):
        return None
    np, imp = F._module(facts, "numpy", "np")
    return F.data_fix(
        facts,
        "transpose",
        "Transpose %s to %s (one row per sample)" % (y.name, tuple(shape)),
        "%s%s = %s.transpose(%s)\n" % (imp, y.name, np, y.name),
        rationale,
        tuple(shape),
        target=y.name,
        op=("label_transpose",),
        move="transpose_labels",
    )


def reshape_labels_fix(facts: Facts, y: DataFact, shape: Shape, rationale: str) -> Optional[Fix]:
    """``y = y.reshape(100, 20)`` on the labels (verified against the loss, not the input).

    Labels never scramble: a reshape that would spread one old row over several samples is kept
    only as a candidate ruled out with the reason (Details), never offered; when the labels are
    the wanted shape with its two axes exchanged (``(k, N)`` for ``(N, k)``, ``k != N``) the
    transpose is proposed instead (:func:`transpose_labels_fix`), its rationale saying why not the
    reshape.
    """
    shape = tuple(shape)
    why = scrambles_samples(y.shape, shape)
    if why and reversed_labels(y.shape, shape):
        return transpose_labels_fix(
            facts,
            y,
            shape,
            "The labels hold one row per target (%s) and the model wants one row per sample (%s): "
            "transposing keeps every value with its sample. A reshape to %s would run but %s."
            % (tuple(y.shape or ()), shape, shape, why),
        )
    fix = F.reshape(facts, y.name, y.type_name, shape, rationale) if F.is_identifier(y.name) else None
    if fix is None:
        return None
    fix = replace(fix, op=("label_reshape", shape))
    return replace(fix, verification="ruled out: " + why) if why else fix


def split_labels_fix(
    facts: Facts, y: DataFact, blocks: Sequence[Tuple[int, int, bool]], rationale: str
) -> Optional[Fix]:
    """``y = [y[:, 0], y[:, 1:4]]``: one label array per output of a model with several outputs.

    Args:
        facts: the facts.
        y: the labels, one 2-D array ``(N, columns)``.
        blocks: ``(first column, end column, squeeze)`` per output, in the model's output
            order; ``squeeze`` takes one column as a 1-D array.
        rationale: why, in plain words.
    """
    if not F.is_identifier(y.name) or not blocks:
        return None
    parts = [
        "%s[:, %d]" % (y.name, F._int(a)) if squeeze else "%s[:, %d:%d]" % (y.name, F._int(a), F._int(b))
        for a, b, squeeze in blocks
    ]
    return F.data_fix(
        facts,
        "split_labels",
        "Split %s into one label array per output" % y.name,
        "%s = [%s]\n" % (y.name, ", ".join(parts)),
        rationale,
        None,
        target=y.name,
        op=("split_labels", tuple((a, b, s) for a, b, s in blocks)),
        move="split_labels",
    )


def shift_labels_fix(facts: Facts, y: DataFact, form: str, num_classes: int, rationale: str) -> Optional[Fix]:
    """1-based class ids for ``num_classes`` output units, shifted to 0-based.

    ``form == "indices"``: ``y = np.asarray(y) - 1`` (ids 1..K -> 0..K-1). ``form == "onehot"``:
    ``y = np.asarray(y)[..., 1:]`` (``to_categorical`` of ids 1..K made K+1 columns, the first
    always empty; dropping it is ``to_categorical(y - 1, K)``). The verifier reads the labels to
    check the premise (no id 0, an empty first column): otherwise the fix would merge or drop a
    class.
    """
    if not F.is_identifier(y.name) or form not in ("indices", "onehot"):
        return None
    np, imp = F._module(facts, "numpy", "np")
    if form == "indices":
        src = "%s%s = %s.asarray(%s) - 1\n" % (imp, y.name, np, y.name)
        title = "Shift the class ids of %s from 1..%d to 0..%d" % (y.name, num_classes, num_classes - 1)
        result = tuple(y.shape) if y.shape else None
    else:
        src = "%s%s = %s.asarray(%s)[..., 1:]\n" % (imp, y.name, np, y.name)
        title = "Drop the always-empty first column of %s (class ids were 1..%d)" % (y.name, num_classes)
        result = tuple(y.shape[:-1]) + (F._int(num_classes),) if y.shape else None
    return F.data_fix(
        facts,
        "shift_labels",
        title,
        src,
        rationale,
        result,
        target=y.name,
        op=("label_shift", form, F._int(num_classes)),
        move="shift_labels",
    )


def encode_labels_fix(facts: Facts, y: DataFact, rationale: str) -> Optional[Fix]:
    """``y_classes, y = np.unique(y, return_inverse=True)``: class names to class ids 0..K-1.

    ``y_classes`` keeps the names (sorted) for decoding predictions (``y_classes[pred.argmax(-1)]``)
    and for encoding other labels the same way (``np.searchsorted(y_classes, y_test)``).
    """
    if not F.is_identifier(y.name):
        return None
    np, imp = F._module(facts, "numpy", "np")
    classes = "%s_classes" % y.name
    src = "%s%s, %s = %s.unique(%s.asarray(%s), return_inverse=True)\n%s = %s.reshape(%s, -1)\n" % (
        imp,
        classes,
        y.name,
        np,
        np,
        y.name,
        y.name,
        np,
        y.name,
    )
    return F.data_fix(
        facts,
        "encode_labels",
        "Encode the class names of %s as class ids (names kept in %s)" % (y.name, classes),
        src,
        rationale,
        (tuple(y.shape[:1]) if y.shape else None),
        target=y.name,
        op=("label_encode",),
        move="encode_labels",
    )


#: The label, loss and output moves, by the name a rule's MoveRequest gives.
LABEL_MOVES: Dict[str, MoveSpec] = {
    # compile a copy with another loss (sparse <-> categorical <-> binary), from_logits kept
    "change_loss": MoveSpec(loss_fix, "loss", structured=True),
    # rebuild with other units / activation in the output layer
    "edit_output": MoveSpec(edit_output_fix, "edit_output", structured=True),
    # class indices -> one-hot rows, num_classes from the output layer
    "to_categorical": MoveSpec(to_categorical_fix, "to_categorical", structured=True),
    # one-hot rows widened with zero columns to the output's classes
    "pad_onehot": MoveSpec(pad_onehot_fix, "onehot_pad", structured=True),
    # one-hot rows -> class indices
    "argmax_labels": MoveSpec(argmax_fix, "argmax", structured=True),
    # drop a size-1 axis of the labels
    "squeeze_labels": MoveSpec(squeeze_labels_fix, "label_squeeze", structured=True),
    # regroup flattened labels into samples (never across samples: then ruled out, or transposed)
    "reshape_labels": MoveSpec(reshape_labels_fix, "label_reshape", structured=True),
    # labels stored one row per target, (k, N) -> (N, k), k != N
    "transpose_labels": MoveSpec(transpose_labels_fix, "label_transpose", structured=True),
    # 1-based class ids (1..K) for K output units: ids - 1, or the always-empty first one-hot column dropped
    "shift_labels": MoveSpec(shift_labels_fix, "label_shift", structured=True),
    # class names (strings) -> class ids, one per distinct name, the names kept for decoding
    "encode_labels": MoveSpec(encode_labels_fix, "label_encode", structured=True),
    # one label array per output of a model with several outputs
    "split_labels": MoveSpec(split_labels_fix, "code"),
}
