"""Rules for labels and losses: y against the model's output and the compiled loss.

Pure (standard library only), like the rest of :mod:`kerashape_magic.core`. The labels are
described by the facts layer (``DataFact.labels = (kind, num_classes)``, read from at most a
few thousand values by :func:`kerashape_magic.facts.label_kind`); the output by
``ModelFact.output_shape`` and its last layer's ``activation``; the loss by ``ModelFact.loss``.
When the objects are out of reach, the message's two shapes (labels first, output second)
stand in for them and the wording says "looks like".

Where the knowledge comes from (Keras 3.15 source, behaviour re-measured here):

* keras/src/backend/tensorflow/nn.py: ``categorical_crossentropy`` and
  ``binary_crossentropy`` need a target of the output's rank and shape ("Arguments `target`
  and `output` must have the same rank (ndim)" / "... the same shape");
  ``sparse_categorical_crossentropy`` needs one class index per output row ("Argument
  `output` must have rank (ndim) `target.ndim - 1`") in ``[0, units)`` (TensorFlow's
  tensorflow/core/kernels/sparse_xent_op.cc: "Received a label value of 11 which is outside
  the valid range of [0, 10)" on CPU; NaN on GPU).
* keras/src/losses/loss.py ``squeeze_or_expand_to_same_rank``: before those checks a
  trailing axis of size 1 is squeezed or added, so labels ``(N,)`` and ``(N, 1)`` both meet an
  output ``(None, 1)``, and a one-hot ``(N, 1, C)`` meets ``(None, C)`` silently.
* keras/src/utils/numerical_utils.py ``to_categorical``: drops a trailing axis of size 1
  (``(N, 1)`` gives ``(N, C)``) and, without ``num_classes``, uses ``max + 1``: a split that
  lacks the top class gets too few columns. Keras 2's ``np_utils.to_categorical`` and
  ``np.eye(C)[y]`` keep the axis: ``(N, 1, C)`` (corpus case 30).
* Categorical crossentropy normalises the output over its last axis, so over one unit it is
  always 0 (measured: Keras 3.15 trains with loss 0.0 and learns nothing); a softmax over one
  unit always outputs 1.0.
* Keras 2 / tf.keras: "Shapes (None, 1) and (None, 10) are incompatible"
  (tensorflow/python/framework/tensor_shape.py, raised from keras/backend.py
  ``categorical_crossentropy``; first shape = target) and "A target array with shape ... was
  passed for an output of shape ... while using as loss" (keras/engine/training_utils.py):
  seed corpus cases 15 (one-hot with 6 classes into Dense(10): the output layer is wrong, not
  the labels), 18 (one-hot labels with a sparse loss: argmax) and 30 (squeeze first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple, cast

from ..shapes import align, fmt
from ..shapes import fits as _fits
from ..shapes import plural as _plural
from ..types import AxisRow, DataFact, Diagnosis, Facts, LayerFact, MoveRequest, Shape
from ..vocab import BINARY_LOSSES as BINARY
from ..vocab import CATEGORICAL_LOSSES as CATEGORICAL
from ..vocab import INFERENCE_METHODS, LABEL_FAMILIES
from ..vocab import SPARSE_LOSSES as SPARSE
from .build import diagnosis
from .context import NO_MESSAGE, Context

_INDICES = ("class_indices", "binary")


def loss_name(name: Optional[str]) -> Optional[str]:
    """The snake_case name of a Keras loss, from a name, a class name or a function name.

    Example:
        >>> loss_name("SparseCategoricalCrossentropy"), loss_name("categorical_crossentropy")
        ('sparse_categorical_crossentropy', 'categorical_crossentropy')
        >>> loss_name("mse"), loss_name(None)
        ('mean_squared_error', None)
    """
    if not name or not isinstance(name, str):
        return None
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return {
        "mse": "mean_squared_error",
        "mae": "mean_absolute_error",
        "kld": "kl_divergence",
        "kullback_leibler_divergence": "kl_divergence",
    }.get(snake, snake)


def loss_family(name: Optional[str]) -> Optional[str]:
    """``"categorical"``, ``"sparse"``, ``"binary"``, ``"other"`` or None (no loss known).

    Example:
        >>> loss_family("categorical_crossentropy"), loss_family("mean_squared_error"), loss_family(None)
        ('categorical', 'other', None)
    """
    if name is None:
        return None
    if name in SPARSE:
        return "sparse"
    if name in CATEGORICAL:
        return "categorical"
    if name in BINARY:
        return "binary"
    return "other"


# --------------------------------------------------------------------------- the loss's ops

#: Keras 3 names the ops of its compiled loss under ``compile_loss/`` (keras/src/trainers/
#: compile_utils.py, ``CompileLoss``): ``{{node compile_loss/mean_squared_error/sub}}``.
_KERAS3_LOSS_NODES = ("compile_loss/", "/loss/", "loss/")
#: Keras 2 names them after the loss itself: ``Loss.__call__`` opens
#: ``backend.name_scope(self._name_scope)``, the loss's ``name`` (tf_keras 2.21,
#: tf_keras/src/losses.py; ``compile("mse")`` wraps the function ``mean_squared_error`` under
#: its own name, tf_keras/src/engine/compile_utils.py ``LossesContainer._get_loss_object``):
#: ``{{node mean_squared_error/SquaredDifference}}``. These are the names of its built-in losses
#: (the functions and the classes' default names of tf_keras/src/losses.py).
KERAS2_LOSS_SCOPES = frozenset(
    (
        "mean_squared_error",
        "mean_absolute_error",
        "mean_absolute_percentage_error",
        "mean_squared_logarithmic_error",
        "squared_hinge",
        "hinge",
        "categorical_hinge",
        "huber",
        "huber_loss",
        "log_cosh",
        "logcosh",
        "categorical_crossentropy",
        "categorical_focal_crossentropy",
        "sparse_categorical_crossentropy",
        "binary_crossentropy",
        "binary_focal_crossentropy",
        "kl_divergence",
        "kullback_leibler_divergence",
        "poisson",
        "cosine_similarity",
    )
)
# the first name scope of a TF node: TF 2.x ``{{node a/b}}`` and TF 1.x ``'a/b' (op: 'Op')``; TF makes
# a scope opened twice unique with ``_1``, ``_2`` (one loss per output of a multi-output model)
_NODE_SCOPE_RX = re.compile(r"\{\{node ([\w.\-]+?)(?:_\d+)?/|'([\w.\-]+?)(?:_\d+)?/[^'\n]*' \(op: ")
# Keras 2's "in user code:" frame listing passing through its compiled loss:
# tf_keras/src/engine/compile_utils.py ``LossesContainer.__call__`` and tf_keras/src/losses.py
_LOSS_FRAME_RX = re.compile(r"(?:engine[/\\]compile_utils|[/\\]losses)\.py\", line \d+, in ")


def in_the_loss(parsed, loss: Optional[str] = None) -> bool:
    """Whether the failing op belongs to the compiled loss (labels against output, not input).

    Keras 3's node names (``compile_loss/...``), Keras 2's (the loss's own name as the node's
    first scope: a built-in loss, or ``loss``, the compiled loss's name, for a custom one) and
    Keras 2's frame listing (``compile_utils.py`` / ``losses.py``) say so.

    Args:
        parsed: the parsed message (``text`` is read).
        loss: the compiled loss's name, if known (``ModelFact.loss``), e.g. ``"my_loss"``.

    Example:
        >>> from kerashape_magic.core.messages import parse
        >>> in_the_loss(parse("Dimensions must be equal, but are 4 and 8 for '{{node "
        ...     "mean_squared_error/SquaredDifference}} = SquaredDifference[T=DT_FLOAT](a, b)' "
        ...     "with input shapes: [?,4], [?,8]."))
        True
        >>> in_the_loss(parse("Dimensions must be equal, but are 4 and 8 for '{{node "
        ...     "sequential/dense_1/MatMul}} = MatMul[T=DT_FLOAT](a, b)' with input shapes: [?,4], [8,2]."))
        False
    """
    text = parsed.text
    if any(n in text for n in _KERAS3_LOSS_NODES) or _LOSS_FRAME_RX.search(text):
        return True
    own = loss_name(loss)
    for m in _NODE_SCOPE_RX.finditer(text):
        scope = (m.group(1) or m.group(2)).lower()
        if scope in KERAS2_LOSS_SCOPES or (own is not None and scope == own):
            return True
    return False


# --------------------------------------------------------------------------- what is known


@dataclass(frozen=True)
class _Labels:
    """The labels, the output and the loss, from the facts or else from the message."""

    y: Optional[DataFact]
    shape: Shape
    kind: Optional[str]  # DataFact.labels kind; None when only the message is known
    classes: Optional[int]
    output: Shape
    activation: Optional[str]
    layer: Optional[LayerFact]
    loss: Optional[str]
    family: Optional[str]
    act_layer: Optional[LayerFact] = None

    @property
    def units(self) -> Optional[int]:
        return self.output[-1] if self.output else None

    @property
    def lead(self) -> Shape:
        """The output without its last (units) axis: what a sparse loss wants."""
        return tuple(self.output[:-1])

    dataset: Optional[str] = None  # the (x, y) dataset the labels travel in, if that is where they are

    @property
    def who(self) -> str:
        if self.y is not None:
            return "`%s` %s" % (self.y.name or self.y.source, fmt(self.shape))
        return "the labels%s %s" % (" in `%s`" % self.dataset if self.dataset else "", fmt(self.shape))

    @property
    def out_layer(self) -> str:
        if self.layer is not None:
            return "the output layer %s %r" % (self.layer.class_name, self.layer.name)
        return "the output layer"


def _output_layer(facts: Facts) -> Tuple[Optional[LayerFact], Optional[LayerFact]]:
    """(the last layer with ``units``, the last layer with an ``activation``)."""
    m = facts.model
    layers = m.layers if m is not None else ()
    unit_layer = next((lay for lay in reversed(layers) if lay.get("units") is not None), None)
    act_layer = next((lay for lay in reversed(layers) if lay.get("activation") is not None), None)
    return unit_layer, act_layer


def _known(parsed, facts: Facts) -> Optional[_Labels]:
    m = facts.model
    y = facts.role("y")
    shape = y.shape if y is not None and y.shape else parsed.first_shape
    if shape is None and parsed.family == "label_range":
        shape = (None,)  # sparse_xent_op.cc: one class index per sample
    output = m.output_shape if m is not None and m.output_shape else parsed.other_shape
    if output is None and parsed.family == "label_range" and parsed.expected_value:
        output = (None, parsed.expected_value)
    if not shape or not output:
        return None
    kind, classes = y.labels if y is not None and y.labels else (None, None)
    if y is None and parsed.family == "label_range" and parsed.label_value is not None:
        kind, classes = "class_indices", parsed.label_value + 1
    layer, act_layer = _output_layer(facts)
    act = act_layer.get("activation") if act_layer is not None else None
    act = act if isinstance(act, str) else None
    loss = loss_name(m.loss if m is not None and m.loss else parsed.loss)
    if loss is None and parsed.family == "shapes_incompatible":
        # K2: raised from keras/backend.py categorical_crossentropy (corpus section 3a)
        loss = "categorical_crossentropy"
    x = facts.role("x")
    dataset = (x.name or x.source) if x is not None and x.type_name == "Dataset" and y is None else None
    return _Labels(
        y if y is not None and y.shape else None,
        tuple(shape),
        kind,
        classes,
        tuple(output),
        act,
        layer,
        loss,
        loss_family(loss),
        act_layer,
        dataset,
    )


def _form(s: _Labels) -> str:
    """How the labels line up with the output: ``indices``, ``onehot``, ``onehot_extra_axis``,
    ``multi_hot``, ``values``, ``misaligned`` (other sample axes) or ``other``."""
    Out, Y, kind = s.output, s.shape, s.kind
    L = len(Out) - 1
    r = len(Y)
    if r < L or not all(_fits(a, b) for a, b in zip(Y[1:L], Out[1:L])):
        return "misaligned"
    integers = kind in _INDICES or (s.y is not None and s.y.dtype.startswith(("int", "uint")))
    if (
        r == L + 1
        and Y[-1] is not None
        and Y[-1] > 1
        and integers
        and kind not in ("onehot", "multi_hot")
        and (s.family == "sparse")
    ):
        return "misaligned"  # integer labels per step (labels (N, 20) against one prediction per sample)
    if r > L and Y[-1] is None:
        return "other"
    if r == L or (r == L + 1 and Y[-1] == 1):
        if kind is None or kind in _INDICES:
            return "indices"
        return "values" if kind == "continuous" else "other"
    if r == L + 1:
        if kind in ("onehot", None):
            return "onehot"
        return {"multi_hot": "multi_hot", "continuous": "values"}.get(kind, "other")
    if r == L + 2 and Y[-2] == 1 and kind in ("onehot", None):
        return "onehot_extra_axis"
    return "other"


def _describe(s: _Labels) -> str:
    k = s.classes
    if s.kind == "class_indices":
        return "holds class indices 0..%d (one integer per sample)" % (k - 1) if k else "holds class indices"
    if s.kind == "binary":
        return "holds binary labels 0/1 (one per sample)"
    if s.kind == "onehot":
        # kind "onehot" is read from an array of rank >= 2 (facts.py), whose last size is known
        return "is one-hot with %d classes" % cast(int, s.shape[-1])
    if s.kind == "multi_hot":
        return "holds multi-hot rows (several 1s per row: multi-label)"
    if s.kind == "continuous":
        return "holds continuous values"
    form = _form(s)
    look = "looks" if s.y is not None else "look"
    if form == "indices":
        return "%s like one class index per sample" % look
    if form in ("onehot", "onehot_extra_axis"):
        return "%s like one-hot rows of %s classes" % (look, s.shape[-1])
    return "has this shape" if s.y is not None else "have this shape"


@dataclass
class _Finding:
    rule: str
    summary: str
    requests: Sequence[Optional[MoveRequest]]
    notes: List[str]
    expected: Shape
    rows: Optional[Tuple[AxisRow, ...]] = None


def _ok_note(s: _Labels) -> str:
    return "%s fits %s with the output %s." % (s.who, s.loss or "the loss", fmt(s.output))


# --------------------------------------------------------------------------- the rules


def _last_size(s: _Labels) -> int:
    """The labels' last size, for the forms that compare it with the units (``onehot``,
    ``multi_hot``, ``onehot_extra_axis``): ``_form`` says ``"other"`` when it is unknown."""
    C = s.shape[-1]
    assert C is not None
    return C


def _units_advice(s: _Labels, classes: int, act: str, loss: str) -> str:
    return (
        "Give the model one output unit per class: keras.layers.Dense(%d, activation=%r) as its last layer, "
        "with "
        "loss=%r, and train it again (that layer's weights start anew)." % (classes, act, loss)
    )


def _analyse(s: _Labels, facts: Facts, mode: str) -> Optional[_Finding]:
    """The finding for these labels, output and loss, or None when they fit."""
    form = _form(s)
    U, fam, loss, act = s.units, s.family, s.loss, s.activation
    y = s.y
    check = mode == "check"
    silent = " Keras 3 accepts this without an error." if check else ""
    lead = s.lead
    if U is None:
        return None

    if form == "misaligned":
        exp = lead if fam == "sparse" else tuple(s.output)
        Y = s.shape
        rows = (AxisRow("batch_size", Y[0], None, "ok"),) + tuple(
            AxisRow(
                "timesteps" if i == 1 else "axis %d" % i,
                Y[i],
                exp[i] if i < len(exp) else None,
                "extra" if i >= len(exp) else "ok" if _fits(Y[i], exp[i]) else "mismatch",
            )
            for i in range(1, len(Y))
        )
        return _Finding(
            "label_axes",
            "%s does not line up with the model's output %s: %s."
            % (
                s.who,
                fmt(s.output),
                "the labels have more axes per sample than the output"
                if len(s.shape) > len(s.output)
                else "one prediction per sample, but the labels have %s steps" % s.shape[1]
                if len(s.shape) > len(lead)
                else "the sample axes differ",
            ),
            [],
            [
                "If the labels hold one value per timestep, the last recurrent layer needs "
                "return_sequences=True; if "
                "the model should predict one value per sample, the labels need one value per sample."
            ],
            exp,
            rows,
        )

    if form == "onehot_extra_axis":
        C = _last_size(s)
        if C != U:
            return _units_finding(s, C, facts)
        squeezed = tuple(s.shape[:-2]) + (C,)
        if fam == "sparse":
            requests = [
                MoveRequest(
                    "argmax_labels",
                    {
                        "y": y,
                        "result": tuple(s.shape[:-1]),
                        "rationale": "Takes the index of the 1 in each one-hot row; "
                        "sparse_categorical_crossentropy wants "
                        "class indices. No information is lost.",
                    },
                )
                if y is not None
                else None
            ]
        else:
            requests = [
                MoveRequest(
                    "squeeze_labels",
                    {
                        "y": y,
                        "axis": len(s.shape) - 2,
                        "result": squeezed,
                        "rationale": "Drops the size-1 axis that to_categorical (Keras 2) or "
                        "np.eye(C)[y] kept from "
                        "labels shaped (N, 1); every value stays where it was.",
                    },
                )
                if y is not None
                else None
            ]
        names = _label_names(len(s.shape) - 1)
        rows = tuple(
            AxisRow(n, d, o, "ok" if _fits(d, o) else "mismatch")
            for n, d, o in zip(names[:-1], s.shape[:-2], lead)
        )
        rows += (AxisRow("axis %d" % (len(s.shape) - 2), 1, None, "extra"), AxisRow("classes", C, U, "ok"))
        return _Finding(
            "onehot_extra_axis",
            "%s has an extra axis of size 1 before its %d classes: the labels were one-hot "
            "encoded while shaped (N, 1). The output is %s; squeeze that axis.%s"
            % (s.who, C, fmt(s.output), silent),
            requests,
            [
                "Keras 2's to_categorical and np.eye(C)[y] keep a (N, 1) column's axis; squeeze the labels "
                "first: to_categorical(np.squeeze(y, axis=-1), C) (corpus case 30)."
            ],
            squeezed,
            rows,
        )

    if U == 1:
        return _single_unit(s, facts, form, check)

    if form == "indices":
        k = s.classes
        if k is not None and k > U and (fam in ("sparse", "categorical", "binary") or act == "softmax"):
            return _indices_exceed(s, k, check, facts)
        if fam == "sparse" or fam is None:
            return None
        expected = (tuple(s.shape[:-1]) if len(s.shape) > len(lead) else tuple(s.shape)) + (U,)
        to_cat = (
            MoveRequest(
                "to_categorical",
                {
                    "y": y,
                    "num_classes": U,
                    "result": expected,
                    "rationale": "One-hot encodes each class index into a row of %d (num_classes from "
                    "the output "
                    "layer's %d units, so every class gets its column even if this split lacks some)."
                    % (U, U),
                },
            )
            if y is not None and s.kind in _INDICES
            else None
        )
        sparse = MoveRequest(
            "change_loss",
            {
                "kind": "sparse_loss",
                "loss": "sparse_categorical_crossentropy",
                "rationale": "Keeps the labels as they are and switches to the sparse twin of the loss, "
                "which takes one "
                "class index per sample. The new model keeps every weight and the optimizer settings (its "
                "optimizer state starts again)%s." % _smoothing_lost(facts),
            },
        )
        if fam == "categorical":
            options = ("sparse", "onehot") if loss == "categorical_crossentropy" else ("onehot",)
            why = "%s expects one-hot rows shaped like the output %s" % (loss, fmt(s.output))
        elif fam == "binary":
            # a softmax over the classes wants the sparse loss; one-hot rows against it would make
            # "accuracy" resolve to binary_accuracy and read high. Sigmoid units (multi-label) take
            # one-hot rows.
            options = ("sparse",) if act == "softmax" else ("onehot",)
            why = "%s compares each of the %d outputs with its own 0/1 target" % (loss, U)
        elif act == "softmax":
            options = ("sparse", "onehot")
            why = "%s compares it element by element with the softmax output %s" % (
                loss or "the loss",
                fmt(s.output),
            )
        else:
            return (
                _Finding(
                    "label_shape",
                    "%s %s, but the model predicts %d values per sample %s%s."
                    % (s.who, _describe(s), U, fmt(s.output), " with %s" % loss if loss else ""),
                    [],
                    [],
                    s.output,
                )
                if (fam is not None or not check)
                else None
            )
        requests = [{"sparse": sparse, "onehot": to_cat}[o] for o in options]
        remedy = {
            ("sparse", "onehot"): "Keep the indices and use the sparse loss, or one-hot encode them.",
            ("sparse",): "Keep the indices and use sparse_categorical_crossentropy.",
            ("onehot",): "One-hot encode them into %d columns." % U,
        }[options]
        notes = []
        if fam == "binary" and s.kind == "binary" and U == 2:
            notes.append(
                "Or keep binary_crossentropy and make the output keras.layers.Dense(1, "
                "activation='sigmoid'): "
                "one probability per sample."
            )
        return _Finding(
            "class_indices_categorical_loss" if fam == "categorical" else "class_indices_" + (fam or "loss"),
            "%s %s, but %s. %s%s" % (s.who, _describe(s), why, remedy, silent),
            requests,
            notes,
            expected,
        )

    if form == "onehot":
        C = _last_size(s)
        if C != U:
            return _units_finding(s, C, facts)
        if fam != "sparse":
            return None
        requests = [
            MoveRequest(
                "change_loss",
                {
                    "kind": "categorical_loss",
                    "loss": "categorical_crossentropy",
                    "rationale": "Keeps the one-hot labels and switches to categorical_crossentropy, "
                    "which takes them as they "
                    "are. The new model keeps every weight and the optimizer settings (its optimizer state "
                    "starts "
                    "again).",
                },
            ),
            MoveRequest(
                "argmax_labels",
                {
                    "y": y,
                    "result": tuple(s.shape[:-1]),
                    "rationale": "Takes the index of the 1 in each one-hot row (class 3 -> 3): what "
                    "sparse_categorical_crossentropy expects. No information is lost.",
                },
            )
            if y is not None and s.kind == "onehot"
            else None,
        ]
        return _Finding(
            "onehot_sparse_loss",
            "%s %s, but sparse_categorical_crossentropy expects one class index per "
            "sample, shape %s. Use categorical_crossentropy, or turn the rows into indices with argmax."
            % (s.who, _describe(s), fmt(lead)),
            requests,
            [
                "Reshaping one-hot rows into indices is never right; argmax reads which column holds the 1 "
                "(corpus case 18)."
            ],
            lead,
        )

    if form == "multi_hot":
        C = _last_size(s)
        if C != U:
            return _units_finding(s, C, facts)
        if fam == "binary":
            return None
        requests = [
            MoveRequest(
                "change_loss",
                {
                    "kind": "binary_loss",
                    "loss": "binary_crossentropy",
                    "rationale": "Multi-label targets (several 1s per row) need binary_crossentropy: one "
                    "yes/no per class.",
                },
            )
            if act == "sigmoid"
            else None
        ]
        return _Finding(
            "multi_hot_labels",
            "%s %s, but %s treats each row as one class out of %d.%s"
            % (s.who, _describe(s), loss or "the loss", U, silent),
            requests,
            [
                "Multi-label classification: a sigmoid output (one probability per class) with "
                "binary_crossentropy."
                + ("" if act == "sigmoid" else " The output's activation is %r, not 'sigmoid'." % act)
            ],
            s.output,
        )

    if form == "values" and fam in ("categorical", "sparse"):
        return _Finding(
            "continuous_labels",
            "%s %s, but %s expects class labels (%s)."
            % (s.who, _describe(s), loss, "class indices" if fam == "sparse" else "one-hot rows"),
            [],
            [
                "For regression use a loss such as mean_squared_error and a linear output; for "
                "classification, turn the "
                "values into class indices first."
            ],
            lead if fam == "sparse" else s.output,
        )

    if form == "other" or (
        form == "values" and not _same_after_squeeze(s.shape, s.output) and fam is not None
    ):
        if fam is None and check and not _units_differ(s):
            return None
        return _Finding(
            "label_shape",
            "%s does not fit the model's output %s%s."
            % (s.who, fmt(s.output), " with %s" % loss if loss else ""),
            [_value_units_fix(s, facts)],
            [],
            lead if fam == "sparse" else s.output,
        )
    return None


def _units_differ(s: _Labels) -> bool:
    """Labels and output agree on every axis but the last, where the output has another number
    of units than the labels have values: an element-wise loss broadcasts them silently
    (Keras 3 trains a (None, 3) output against (N, 1) targets without a word)."""
    Y, Out = s.shape, s.output
    return (
        Y is not None
        and Out is not None
        and len(Y) == len(Out) >= 2
        and all(o is None or y == o for y, o in zip(Y[:-1], Out[:-1]))
        and Y[-1] is not None
        and Out[-1] is not None
        and Y[-1] != Out[-1]
    )


def _value_units_fix(s: _Labels, facts: Facts) -> Optional[MoveRequest]:
    """The output layer rebuilt with one unit per label value (regression targets), when the
    output's last axis alone disagrees and the output layer is a Dense-like layer."""
    if not _units_differ(s) or s.layer is None or s.layer.class_name not in ("Dense", "EinsumDense"):
        return None
    if _as_trained(facts):
        return None
    assert s.shape[-1] is not None and s.output[-1] is not None  # _units_differ: both are known
    return MoveRequest(
        "edit_output",
        {
            "layer": s.layer,
            "units": s.shape[-1],
            "activation": None,
            "rationale": "The labels hold %d value%s per sample; the output layer %r gives %d. With %d "
            "units the output has "
            "the labels' shape, so the loss compares each prediction with its own target instead of "
            "broadcasting one against the others."
            % (s.shape[-1], "" if s.shape[-1] == 1 else "s", s.layer.name, s.output[-1], s.shape[-1]),
        },
    )


def _same_after_squeeze(Y: Shape, Out: Shape) -> bool:
    """Whether labels Y meet output Out as Keras's compiled loss lines them up
    (keras/src/losses/loss.py squeeze_or_expand_to_same_rank: a trailing 1 is added or dropped)."""
    Y, Out = tuple(Y), tuple(Out)
    if len(Y) == len(Out) - 1 and Out[-1] == 1:
        Y = Y + (1,)
    elif len(Y) == len(Out) + 1 and Y[-1] == 1:
        Y = Y[:-1]
    return len(Y) == len(Out) and all(_fits(a, b) for a, b in zip(Y[1:], Out[1:]))


def _smoothing_lost(facts: Facts) -> str:
    config = dict(facts.model.loss_config) if facts.model is not None else {}
    if config.get("label_smoothing"):
        return (
            "; the sparse loss has no label_smoothing, so the smoothing of %s is dropped"
            % config["label_smoothing"]
        )
    return ""


#: Calls that use the model as trained (keras/src/trainers/trainer.py): a new output layer would be untrained.
_AS_TRAINED = (
    "%s uses the model as trained: rebuilding its output layer would throw away what it learned, so "
    "kerashape offers no rebuild here. Evaluate with the labels the model was trained on."
)


def _as_trained(facts: Facts) -> bool:
    return facts.call.method in INFERENCE_METHODS and facts.call.method not in ("__call__", "call")


def _units_finding(s: _Labels, classes: int, facts: Facts) -> _Finding:
    """The labels are fine; the output layer has the wrong number of units (corpus case 15)."""
    U = s.units
    assert U is not None  # reached from _analyse only, which returns when the units are unknown
    what = {"onehot": "one-hot with %d classes", "multi_hot": "multi-hot with %d classes"}.get(
        s.kind or "", "%d columns per sample"
    ) % classes
    if _form(s) == "onehot_extra_axis":
        what += " (and an extra axis of size 1)"
    notes = [
        _units_advice(
            s,
            classes,
            "softmax",
            # a loss family is only set with a loss (_known: family = loss_family(loss))
            s.loss
            if s.loss is not None and s.family in ("categorical", "sparse")
            else "categorical_crossentropy",
        )
    ]
    if classes < U:
        notes.append(
            "If there really are %d classes and this split lacks the last %d, one-hot encode with "
            "to_categorical(..., num_classes=%d) instead: without num_classes it counts max label + 1."
            % (U, U - classes, U)
        )
    notes.append(
        "Converting the labels (to_categorical, argmax) or switching the loss would not help here: the "
        "number of classes and the number of output units must agree."
    )
    requests = []
    shift = (
        _shift_request(s, "onehot")
        if classes == U + 1 and s.kind == "onehot" and _form(s) == "onehot"
        else None
    )
    if shift is not None:
        requests.append(shift)
    if _as_trained(facts):
        notes.append(_AS_TRAINED % facts.call.method)
        if (
            classes < U
            and s.kind == "onehot"
            and s.y is not None
            and _form(s) == "onehot"
            and s.family != "sparse"
        ):
            requests.append(
                MoveRequest(
                    "pad_onehot",
                    {
                        "y": s.y,
                        "num_classes": U,
                        "result": tuple(s.shape[:-1]) + (U,),
                        "rationale": "Assumes the model's %d classes are right and these rows were "
                        "one-hot encoded "
                        "without num_classes (to_categorical then counts max label + 1 = %d): adds %d "
                        "columns of zeros for the classes this split lacks; every 1 stays in its column."
                        % (U, classes, U - classes),
                    },
                )
            )
    elif U > 1 and s.family in ("categorical", "binary", "other"):
        requests.append(
            MoveRequest(
                "edit_output",
                {
                    "layer": s.layer,
                    "units": classes,
                    "activation": None,
                    "rationale": "Rebuilds the model with %d units in %s: every other weight is kept, "
                    "that layer's "
                    "kernel and bias start anew (they were for %d classes), so train again. The labels "
                    "and the loss stay as they are." % (classes, s.out_layer, U),
                },
            )
        )
    return _Finding(
        "output_units",
        "%s is %s, but %s has %s (output %s): the model must output one score per "
        "class, so that layer needs %d units."
        % (s.who, what, s.out_layer, _plural(U, "unit"), fmt(s.output), classes),
        requests,
        notes,
        s.output,
    )


def _shift_request(s: _Labels, form: str) -> Optional[MoveRequest]:
    """1-based class ids (1..K) for K units: the largest id (or the one-hot width) is one too many.

    Shifting the ids (``y - 1``, or dropping the always-empty first one-hot column) comes before
    widening the output, which would invent a class that never occurs; its verifier reads the
    labels to confirm that no id is 0 (core/moves/labels.py ``shift_labels``).
    """
    if s.y is None or s.units is None or s.units < 2:
        return None
    return MoveRequest(
        "shift_labels",
        {
            "y": s.y,
            "form": form,
            "num_classes": s.units,
            "rationale": "Assumes the classes are numbered 1..%d (no label is 0): %s, so every class keeps "
            "its own output unit and no class is invented. Shift new labels the same way."
            % (
                s.units,
                "subtracts 1 from every id"
                if form == "indices"
                else "to_categorical counted max id + 1 = %d columns and the first is empty in every "
                "row; dropping it gives to_categorical(ids - 1, %d)" % (s.units + 1, s.units),
            ),
        },
    )


def _indices_exceed(s: _Labels, k: int, check: bool, facts: Facts) -> _Finding:
    U = s.units
    assert U is not None  # reached from _analyse only, which returns when the units are unknown
    requests = []
    shift = _shift_request(s, "indices") if k == U + 1 else None
    if shift is not None:
        requests.append(shift)
    if U > 1 and s.family == "sparse" and s.y is not None and not _as_trained(facts):
        requests.append(
            MoveRequest(
                "edit_output",
                {
                    "layer": s.layer,
                    "units": k,
                    "activation": None,
                    "rationale": "Rebuilds the model with %d units in %s, one per class: every other "
                    "weight is kept, "
                    "that layer's kernel and bias start anew, so train again. %d is the largest class "
                    "index kerashape read, plus 1 (it reads the first few thousand labels): check that no "
                    "label is larger." % (k, s.out_layer, k),
                },
            )
        )
    notes = [_units_advice(s, k, "softmax", "sparse_categorical_crossentropy")]
    if _as_trained(facts):
        notes.append(_AS_TRAINED % facts.call.method)
    if k == U + 1:
        notes.append(
            "If your classes are numbered 1..%d rather than 0..%d, subtract 1 from the labels instead."
            % (U, U - 1)
        )
    consequence = (
        " With sparse_categorical_crossentropy training stops with 'Received a label value of %d which is "
        "outside the valid range of [0, %d)' on a CPU, and gives NaN losses on a GPU." % (k - 1, U)
        if s.family == "sparse"
        else ""
    )
    return _Finding(
        "classes_exceed_units",
        "%s %s: %d classes, but %s has %s (output %s), so only class%s "
        "0..%d ha%s a score.%s"
        % (
            s.who,
            _describe(s),
            k,
            s.out_layer,
            _plural(U, "unit"),
            fmt(s.output),
            "es" if U > 1 else "",
            U - 1,
            "ve" if U > 1 else "s",
            consequence,
        ),
        requests,
        notes,
        s.shape,
        tuple(
            AxisRow("batch_size" if i == 0 else "axis %d" % i, d, None if i == 0 else d, "ok")
            for i, d in enumerate(s.shape)
        )
        + (AxisRow("classes", k, U, "mismatch"),),
    )


def _single_unit(s: _Labels, facts: Facts, form: str, check: bool) -> Optional[_Finding]:
    """An output of one unit: binary classification (or regression)."""
    finding = _single_unit_labels(s, facts, form, check)
    if s.activation != "softmax":
        return finding
    advice = (
        "A softmax over a single unit always outputs 1.0, so the model cannot learn: use "
        "activation='sigmoid' on a "
        "Dense(1) output with binary_crossentropy for two classes, or Dense(number of classes, "
        "activation='softmax') with sparse_categorical_crossentropy."
    )
    if finding is not None:
        finding.notes.insert(0, advice)
        return finding
    requests = []
    if s.family == "binary" and form == "indices":
        requests.append(
            MoveRequest(
                "edit_output",
                {
                    "layer": s.act_layer,
                    "units": None,
                    "activation": "sigmoid",
                    "rationale": "A sigmoid gives one probability per sample, what binary_crossentropy "
                    "expects with "
                    "0/1 labels. Every weight is kept (an activation has none).",
                },
            )
        )
    return _Finding(
        "softmax_single_unit",
        "%s ends in a softmax over a single unit %s: it always outputs 1.0, so "
        "the model cannot learn.%s"
        % (
            s.out_layer[0].upper() + s.out_layer[1:],
            fmt(s.output),
            " Keras 3 trains on it without an error." if check else "",
        ),
        requests,
        [advice],
        s.shape,
    )


def _single_unit_labels(s: _Labels, facts: Facts, form: str, check: bool) -> Optional[_Finding]:
    fam, y, k = s.family, s.y, s.classes
    silent = " Keras 3 trains on it without an error." if check else ""
    if form == "indices" and k is not None and k > 2 and fam in ("sparse", "categorical", "binary"):
        return _indices_exceed(
            s, k, check, facts
        )  # (with mean_squared_error, integers may be a regression target)
    if form == "indices" and fam in ("categorical", "sparse") and (s.kind == "binary" or k in (1, 2)):
        fix: Optional[MoveRequest] = MoveRequest(
            "change_loss",
            {
                "kind": "binary_loss",
                "loss": "binary_crossentropy",
                "rationale": "One sigmoid unit with 0/1 labels is binary classification: "
                "binary_crossentropy. The new model "
                "keeps every weight and the optimizer settings (its optimizer state starts again).",
            },
        )
        why = (
            "categorical_crossentropy normalises the output over its last axis, so over one unit the loss "
            "is always 0 and nothing is learned"
            if fam == "categorical"
            else "sparse_categorical_crossentropy over one unit accepts only class 0: label 1 is out of "
            "range (an error on a CPU, NaN on a GPU)"
        )
        return _Finding(
            "binary_labels_%s_loss" % fam,
            "%s %s, and the output is one unit %s, but %s.%s"
            % (s.who, _describe(s), fmt(s.output), why, silent),
            [fix],
            [],
            s.shape,
        )
    if form == "onehot" and s.shape[-1] == 2 and fam == "binary":
        fix = (
            MoveRequest(
                "argmax_labels",
                {
                    "y": y,
                    "result": tuple(s.shape[:-1]),
                    "rationale": "Turns each one-hot pair into one 0/1 label (column 1 holds the 1 -> "
                    "1): what one sigmoid "
                    "unit "
                    "with binary_crossentropy expects. No information is lost.",
                },
            )
            if y is not None and s.kind == "onehot"
            else None
        )
        return _Finding(
            "onehot_single_unit",
            "%s %s, but the output is one sigmoid unit %s: binary_crossentropy wants "
            "one 0/1 label per sample, shape %s." % (s.who, _describe(s), fmt(s.output), fmt(s.output)),
            [fix],
            [
                "Or keep the one-hot labels and make the output keras.layers.Dense(2, activation='softmax') "
                "with categorical_crossentropy."
            ],
            s.output,
        )
    if form in ("onehot", "multi_hot"):
        return _units_finding(s, _last_size(s), facts)
    if (
        form in ("other", "values")
        and not _same_after_squeeze(s.shape, s.output)
        and not (fam is None and check and not _units_differ(s))
    ):
        return _Finding(
            "label_shape",
            "%s does not fit the model's output %s%s."
            % (s.who, fmt(s.output), " with %s" % s.loss if s.loss else ""),
            [_value_units_fix(s, facts)],
            [],
            s.output,
        )
    return None


def _label_names(ndim: int) -> Tuple[str, ...]:
    if ndim <= 1:
        return ("batch_size",)
    if ndim == 2:
        return ("batch_size", "classes")
    return (
        ("batch_size",)
        + tuple("timesteps" if i == 1 else "axis %d" % i for i in range(1, ndim - 1))
        + ("classes",)
    )


def label_rule(parsed, facts: Facts, mode: str) -> Optional[Diagnosis]:
    """Explain a mismatch between the labels, the model's output and the loss (or None).

    In ``"error"`` mode (a loss or label message was raised) it always explains, falling back
    on the message's two shapes; in ``"check"`` mode it reports only what does not fit,
    including what Keras 3 accepts silently (categorical crossentropy over one unit, class
    indices beyond the output's units).

    Example:
        >>> from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact
        >>> from kerashape_magic.core.rules.context import NO_MESSAGE
        >>> m = ModelFact("model", "Sequential", ((None, 8),), declared=True, built=True,
        ...               output_shape=(None, 10),
        ...               loss="categorical_crossentropy",
        ...               layers=(LayerFact("dense", "Dense",
        ...                                 config=(("units", 10), ("activation", "softmax"))),))
        >>> y = DataFact("y_train", "y_train", "y", "ndarray", (100,), "int64", labels=("class_indices", 10))
        >>> d = label_rule(NO_MESSAGE, Facts(model=m, data=(y,)), "check")
        >>> d.kind, d.received_shape, d.expected_shape, [r.move for r in d.requests]
        ('label_mismatch', (100,), (None, 10), ['change_loss', 'to_categorical'])
        >>> from kerashape_magic.core.moves import propose
        >>> print(propose(d, Facts(model=m, data=(y,))).fixes[0].code, end="")
        import kerashape
        model = kerashape.rebuild(model, loss="sparse_categorical_crossentropy")
    """
    family = parsed.family
    if family == "incompatible_shapes" and not _about_loss(
        parsed, facts.model.loss if facts.model is not None else None
    ):
        return None
    s = _known(parsed, facts)
    if s is None:
        return _message_finding(parsed, facts, None) if mode == "error" else None
    finding = _analyse(s, facts, mode)
    if finding is None:
        return _message_finding(parsed, facts, s) if mode == "error" else None
    return _diagnosis(parsed, facts, s, finding)


def _about_loss(parsed, loss: Optional[str] = None) -> bool:
    """An ``Incompatible shapes`` error raised while computing the loss or a metric (node names,
    Keras 2's frames: :func:`in_the_loss`, or words of the loss and metric names)."""
    if parsed.wrapper is not None:
        return False
    text = parsed.text.lower()
    words = ("loss", "metric", "crossentropy", "squared_error", "absolute_error", "hinge", "accuracy")
    return any(w in text for w in words) or in_the_loss(parsed, loss)


def _diagnosis(parsed, facts: Facts, s: _Labels, finding: _Finding) -> Diagnosis:
    expected = tuple(finding.expected)
    if expected:
        expected = (None,) + expected[1:]  # any batch size, as Keras prints the output
    received = tuple(s.shape)
    names = _label_names(max(len(expected), len(received), 1))
    rows = finding.rows if finding.rows is not None else align(received, expected, names) if expected else ()
    # extra axes (one-hot rows where indices are wanted) get their label name, not "axis 1"
    rows = tuple(
        replace(r, name=names[i]) if r.status == "extra" and i < len(names) and finding.rows is None else r
        for i, r in enumerate(rows)
    )
    axis = next((i for i, r in enumerate(rows) if r.status != "ok"), None)
    layer = s.layer
    notes = list(finding.notes)
    if s.kind is None and s.y is None:
        notes.append(
            "kerashape could not look at the labels themselves; this reads the shapes in Keras's message."
        )
    summary = finding.summary[:1].upper() + finding.summary[1:]
    return diagnosis(
        kind="label_mismatch",
        rule=finding.rule,
        facts=facts,
        data=s.y,
        received=received,
        expected=expected,
        layer_class=layer.class_name if layer else None,
        layer_name=layer.name if layer else parsed.layer_name,
        summary=summary,
        requests=finding.requests,
        parsed=parsed,
        rows=rows,
        axis=axis,
        notes=notes,
    )


def _message_finding(parsed, facts: Facts, s: Optional[_Labels]) -> Optional[Diagnosis]:
    """Error mode, nothing better known: say what Keras compared, in its own shapes."""
    first, other = parsed.first_shape, parsed.other_shape
    fam = parsed.family
    if fam == "label_range" and parsed.label_value is not None and parsed.expected_value:
        summary = (
            "A label has the value %d, but the output has %d units, so the loss accepts only classes 0..%d: "
            "the "
            "output layer needs one unit per class (or the labels start at 1)."
            % (parsed.label_value, parsed.expected_value, parsed.expected_value - 1)
        )
    elif first is not None and other is not None:
        summary = "Keras compared the labels %s with the model's output %s%s and they do not fit." % (
            fmt(first),
            fmt(other),
            " (loss %s)" % parsed.loss if parsed.loss else "",
        )
    else:
        summary = "The labels do not fit the model's output (%s)." % fam
    notes = []
    if s is not None:
        notes.append(
            "%s The mismatch may come from a metric (metrics=[...]) or from another output." % _ok_note(s)
        )
    return Diagnosis(
        "label_mismatch",
        parsed.layer_name,
        tuple(first) if first else None,
        tuple(other) if other else None,
        None,
        summary,
        (),
        "label_message",
        parsed.wrapper,
        s.y.name if s is not None and s.y is not None else None,
        facts.model.name if facts.model else None,
        (),
        tuple(notes),
        ("Keras said (%s): %s" % (fam, parsed.text[:500]),),
        parsed.text,
        facts.uninspected,
        (),
    )


def legacy_target(parsed) -> bool:
    """Keras 1/2 "Error when checking target: expected dense_1 to have ..." (about y, not x)."""
    prefix = (parsed.prefix or "").lower()
    return parsed.family in ("legacy_expected_dims", "legacy_expected_shape") and "target" in prefix


def legacy_target_rule(parsed, facts: Facts, mode: str) -> Optional[Diagnosis]:
    """Keras 2's target check (keras/engine/training_utils.py): the labels against the output layer.

    The message names the output layer and the labels' shape (corpus cases 18 and 30); with
    the model and the labels in reach the label rules explain it, else the message does.
    """
    d = (
        label_rule(NO_MESSAGE, facts, "check")
        if facts.role("y") is not None and facts.model is not None
        else None
    )
    if d is not None:
        return replace(
            d,
            message=parsed.text,
            details=d.details + ("Keras said (%s): %s" % (parsed.family, parsed.text[:500]),),
        )
    rec = parsed.received_shape
    nd = parsed.expected_ndim
    exp = parsed.expected_shape
    name = parsed.name or parsed.layer_name
    notes = []
    if rec and nd and len(rec) == nd + 1 and rec[1] == 1:
        summary = (
            "The labels %s have an extra axis of size 1: the output layer %r gives %d axes. One-hot "
            "encoding labels "
            "shaped (N, 1) keeps that axis; squeeze it (np.squeeze(y, axis=1))." % (fmt(rec), name, nd)
        )
        notes.append(
            "to_categorical(np.squeeze(y, axis=-1), num_classes) gives (N, num_classes) (corpus case 30)."
        )
    elif rec and exp and len(exp) == len(rec) and exp[-1] == 1 and rec[-1] and rec[-1] > 1:
        summary = (
            "The labels %s have %d columns where the output layer %r expects %s: with "
            "sparse_categorical_crossentropy they must be class indices; one-hot rows need argmax (or use "
            "categorical_crossentropy)." % (fmt(rec), rec[-1], name, fmt(exp))
        )
    else:
        summary = "The labels %s do not fit the output layer %r (expected %s)." % (
            fmt(rec),
            name,
            fmt(exp) if exp else "ndim=%s" % nd,
        )
    return Diagnosis(
        "label_mismatch",
        name,
        tuple(rec) if rec else None,
        tuple(exp) if exp else None,
        None,
        summary,
        (),
        "legacy_target",
        None,
        None,
        facts.model.name if facts.model else None,
        (),
        tuple(notes),
        ("Keras said (%s): %s" % (parsed.family, parsed.text[:500]),),
        parsed.text,
        facts.uninspected,
        (),
    )


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the label and loss families (``target_output``, ``shapes_incompatible``,
    ``logits_labels``, ``incompatible_shapes``, ``label_range``)."""
    if ctx.family not in LABEL_FAMILIES:
        return None
    return label_rule(ctx.parsed, ctx.facts, "check" if ctx.mode == "objects" else ctx.mode)


def legacy_rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns Keras 1/2's "Error when checking target" (about y, not x)."""
    if not legacy_target(ctx.parsed):
        return None
    return legacy_target_rule(ctx.parsed, ctx.facts, "check" if ctx.mode == "objects" else ctx.mode)


#: dtype names (``DataFact.dtype``: NumPy's ``dtype.name``) of text: ``str320`` for ``<U10``,
#: ``bytes80`` for ``|S10``, pandas's ``string``. Keras 3 cannot make a tensor of them for a loss
#: (keras/src/backend/common/variables.py ``standardize_dtype``: "Invalid dtype: str320").
_TEXT_DTYPES = re.compile(r"(str|bytes)\d*|string|<U\d+|\|S\d+")


def string_labels_rule(ctx: Context) -> Optional[Diagnosis]:
    """Class names as labels (``"setosa"``...) for a model whose loss wants numbers.

    Read from the objects (the labels' dtype), whatever the message says: Keras 3 says "Invalid
    dtype: str320", Keras 2 "could not convert string to float" or "Cast string to float is not
    supported". Asks for ``encode_labels`` (one id per distinct name, the names kept); its
    verifier checks that the distinct names fit the output.
    """
    facts = ctx.facts
    m = facts.model
    if m is None or facts.call.method not in ("fit", "evaluate", "train_on_batch", "test_on_batch"):
        return None
    for role in ("y", "val_y"):
        y = facts.role(role)
        if y is None or not _TEXT_DTYPES.fullmatch(y.dtype or ""):
            continue
        if y.shape is not None and (len(y.shape) > 2 or (len(y.shape) == 2 and y.shape[1] != 1)):
            continue  # one name per sample only; text sequences are not class labels
        name = y.name or y.source
        units = m.output_shape[-1] if m.output_shape else None
        loss = m.loss or "the loss"
        return diagnosis(
            kind="dtype_mismatch",
            rule="string_labels",
            facts=facts,
            parsed=ctx.parsed,
            summary="`%s` %s holds class names (dtype %s), but %s computes on numbers: each name needs "
            "a class id%s."
            % (
                name,
                fmt(y.shape) if y.shape else "",
                y.dtype,
                loss,
                " (0..%d for the output's %d units)" % (units - 1, units) if units else "",
            ),
            data=y,
            received=y.shape,
            expected=m.output_shape,
            requests=[
                MoveRequest(
                    "encode_labels",
                    {
                        "y": y,
                        "rationale": "Gives each distinct name an id (0..K-1, in sorted order) and keeps the "
                        "names in `%s_classes`, to decode predictions (%s_classes[pred.argmax(-1)]). Encode "
                        "test or validation labels with the same classes: "
                        "np.searchsorted(%s_classes, y_test), never a new np.unique of their own (a split "
                        "lacking a name would shift the ids)." % (name, name, name),
                    },
                )
            ],
            notes=[
                "With categorical_crossentropy, one-hot encode the ids afterwards: "
                "keras.utils.to_categorical(ids, num_classes)."
            ],
        )
    return None
