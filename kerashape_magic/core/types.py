"""Plain data that crosses kerashape's layers: facts in, a diagnosis out.

Nothing here holds a tensor, an array or an exception: only shape tuples, names and
strings, so that every layer can be tested on its own (the way rich turns a traceback
into dataclasses before rendering it).

Shapes are tuples of ``int`` or ``None`` (``None`` = any size, as Keras prints it), with
the batch axis first: ``(None, 24, 3)`` is Keras's ``(batch_size, timesteps, features)``.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Tuple

if TYPE_CHECKING:
    from typing import TypeGuard  # Python 3.10+; only read by the type checker (annotations are strings)

Shape = Tuple[Optional[int], ...]


def is_identifier(name: Optional[str]) -> TypeGuard[str]:
    """True for ``X_train`` or ``self.data``: a name fix code may rebind (rules and moves
    both ask); False for expressions and keywords.

    Example:
        >>> is_identifier("X_train"), is_identifier("data.X"), is_identifier("X[0]")
        (True, True, False)
    """
    if not name or not isinstance(name, str):
        return False
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in name.split("."))


#: Diagnosis kinds (DESIGN.md; keep these names).
KINDS = (
    "missing_axis",
    "flattened_input",
    "feature_mismatch",
    "timestep_mismatch",
    "spatial_mismatch",
    "axis_order",
    "rank_mismatch",
    "label_mismatch",
    "cardinality_mismatch",
    "ragged_sequences",
    "reshape_size",
    "batch_size_mismatch",
    "output_structure",
    "dtype_mismatch",
    "input_structure",  # inputs under keys / in a structure the model's inputs do not name
)

#: Fix kinds (DESIGN.md; keep these names).
FIX_KINDS = (
    "reshape",
    "expand_dims",
    "squeeze",
    "transpose",
    "repeat",
    "pad_sequences",
    "padded_batch",
    "to_categorical",
    "argmax",
    "sparse_loss",
    "categorical_loss",
    "binary_loss",
    "rebuild_input",
    "edit_layer",
    "resize",
    "window",
    "batch",
    "unbatch",
    "split_labels",
    "flatten",
    "shift_labels",  # 1-based class ids -> 0-based: core/moves/labels.py shift_labels_fix
    "encode_labels",  # class names -> class ids (np.unique): core/moves/labels.py encode_labels_fix
    "drop_channel",  # keep the first k channels (RGBA -> RGB): core/moves/data.py drop_channel
    "stack",  # a Python list of same-shape samples made one array: core/moves/data.py stack_samples
    "split_inputs",  # one array split into a multi-input model's inputs: core/moves/data.py split_inputs
    "align_columns",  # a DataFrame's columns lined up by name with another's: core/moves/data.py
)

#: Fix kinds that change the model (a rebuilt copy, a recompiled loss); every other kind
#: changes the data or the labels.
MODEL_FIX_KINDS = ("rebuild_input", "edit_layer", "sparse_loss", "categorical_loss", "binary_loss")


class KerashapeError(ValueError):
    """The one error kerashape's own API raises (bad arguments, nothing to undo, ...)."""


@dataclass(frozen=True)
class AxisRow:
    """One row of the shape table: one axis of the expected input.

    Attributes:
        name: Keras's name for the axis: ``batch_size``, ``timesteps``, ``features``,
            ``height``, ``width``, ``channels``, ``steps`` or ``axis 3``.
        received: the data's size on this axis; ``None`` when the data lacks the axis
            (``status == "missing"``).
        expected: the size the layer expects; ``None`` for any size.
        status: ``"ok"``, ``"mismatch"``, ``"missing"`` (the data has no such axis) or
            ``"extra"`` (the data has an axis the layer does not expect).
    """

    name: str
    received: Optional[int]
    expected: Optional[int]
    status: str


@dataclass(frozen=True)
class Fix:
    """One candidate fix, as shown on a button.

    Attributes:
        kind: one of :data:`FIX_KINDS`.
        title: a short label, e.g. ``"Add the features axis"``.
        code: exactly what the button runs in the user's namespace. Built from templates
            with validated integers and identifiers only, never from message text.
        rationale: why this fix, in plain words; states any assumption (time-major flat
            layout) and any loss of data (truncation).
        resulting_shape: the shape of the rebound object after the fix (batch axis first).
        verified: True only when this code ran here, on a slice of at most 2 samples (or
            one dataset element), against the real model, and the model accepted it.
        loses_data: True when the fix drops values (truncation, cropping).
        target: the variable the code rebinds (``"X_train"``, ``"model"``), if any.
        op: a machine-readable form of the transform, for the verify step:
            ``(verb, *validated ints or tuples)``, e.g. ``("expand_dims", -1)``.
        verification: what the verify step ran and saw, or why it could not.
        move: the catalogue move that proposed it (``"add_axis"``, ``"declare_input"``, ...;
            core/moves/), or the name of the move a rule requested (``"change_loss"``,
            ``"edit_layer"``: :data:`kerashape_magic.core.moves.REQUESTED`).
        sample_rows: how many leading rows of the target make one sample once the fix ran
            (``24`` when stacked rows are grouped 24 at a time); verification slices that many
            rows per sample.
        source_edits: the change to the user's own cells that makes the fix last
            (``kerashape_magic.edits.SourceEdit(cell, before, after)``: ``cell`` is the execution
            count ``In[cell]``, ``before`` / ``after`` the whole cell text), empty when not known.
        edit_note: why there is no such change, in plain words (the model came from a file,
            a function, ...), when ``source_edits`` is empty.
    """

    kind: str
    title: str
    code: str
    rationale: str
    resulting_shape: Optional[Shape] = None
    verified: bool = False
    loses_data: bool = False
    target: Optional[str] = None
    op: tuple = ()
    verification: str = ""
    move: str = ""
    sample_rows: int = 1
    source_edits: tuple = ()
    edit_note: str = ""

    @property
    def changes_model(self) -> bool:
        """True for a fix that changes the model (rebuild, layer edit, loss) rather than data."""
        return self.kind in MODEL_FIX_KINDS

    def with_verification(self, verified: bool, note: str) -> "Fix":
        """Return a copy marked as verified (or not) with the verify step's note."""
        return replace(self, verified=verified, verification=note)


@dataclass(frozen=True)
class MoveRequest:
    """What a rule asks the fix search to try: one move of the catalogue, by name.

    A rule says *what* disagrees and which moves could reconcile it; it never writes fix
    code. :func:`kerashape_magic.core.moves.propose` looks ``move`` up in
    :data:`kerashape_magic.core.moves.REQUESTED` and calls it with the facts and ``args``.

    Attributes:
        move: a name of :data:`kerashape_magic.core.moves.REQUESTED` (``"change_loss"``,
            ``"to_categorical"``, ``"edit_layer"``, ...).
        args: the move's keyword arguments besides the facts: the objects it rewrites
            (a :class:`DataFact`, a :class:`LayerFact`), sizes, and the rationale in the
            rule's words. Not part of the hash (it may hold unhashable values).

    Example:
        >>> r = MoveRequest("change_loss", {"loss": "sparse_categorical_crossentropy"})
        >>> r.move, r.args["loss"]
        ('change_loss', 'sparse_categorical_crossentropy')
    """

    move: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class MoveSpec:
    """One entry of a requested-move table (``core/moves/labels.py``, ``layers.py``, ``sequences.py``).

    Attributes:
        build: ``build(facts, **args) -> Fix | None``: the fix, or None when the objects do
            not allow it (an expression instead of a variable name, an uncompiled model).
        verifier: how verify.py checks the fix: the ``op[0]`` verb of a registered verifier
            (``verify.VERIFIERS``, one of verify's own verbs), or ``"code"`` when the fix's
            own code runs on slices (verify's generic path).
        structured: True when that verifier computes the result from ``Fix.op`` instead of
            running ``Fix.code`` (always, or as a fallback); a contract test
            (tests/test_verify_contract.py) then proves both give the same result.
    """

    build: Callable[..., Optional["Fix"]]
    verifier: str
    structured: bool = False


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong, axis by axis, and what to do about it.

    Attributes:
        kind: one of :data:`KINDS`.
        layer_name: the Keras layer that rejected the input (``"lstm"``), if known.
        received_shape: the data's shape, batch axis first, e.g. ``(100, 24, 1)``.
        expected_shape: what the layer expects, ``None`` for free sizes, e.g.
            ``(None, 24, 3)``.
        axis: the first mismatched axis (an index into ``expected_shape``), if any.
        summary: one sentence in Keras's terms naming the layer and the problem.
        fixes: candidates, best first (verified ones before unverified ones).
        rule: the stable snake_case id of the rule that produced this diagnosis.
        layer_class: the layer's class name (``"LSTM"``).
        received_name: the user's variable holding the data, if found (``"X_train"``).
        model_name: the user's variable holding the model, if found.
        rows: the per-axis table, one row per axis.
        notes: extra findings in plain words (a one-hot block, folds that disagree).
        details: what was parsed and found, for the collapsed Details section.
        message: the error message with ANSI codes and array contents removed.
        uninspected: what kerashape could not look at (an expression, not a variable).
        shape_path: ``(layer name, output shape)`` from the input to the failing layer.
        ruled_out: ``(fix title, why)`` for every candidate that was generated and not
            offered: it would scramble data, it is ambiguous, the model rejected it, ...
        requests: the moves the rule asks the fix search to try, in the rule's order of
            preference (:class:`MoveRequest`); ``core.moves.propose`` turns them into
            ``fixes`` before the catalogue's data moves.
    """

    kind: str
    layer_name: Optional[str]
    received_shape: Optional[Shape]
    expected_shape: Optional[Shape]
    axis: Optional[int]
    summary: str
    fixes: Tuple[Fix, ...] = ()
    rule: str = ""
    layer_class: Optional[str] = None
    received_name: Optional[str] = None
    model_name: Optional[str] = None
    rows: Tuple[AxisRow, ...] = ()
    notes: Tuple[str, ...] = ()
    details: Tuple[str, ...] = ()
    message: str = ""
    uninspected: Tuple[str, ...] = ()
    shape_path: Tuple[Tuple[str, Shape], ...] = ()
    ruled_out: Tuple[Tuple[str, str], ...] = ()
    requests: Tuple[MoveRequest, ...] = ()

    @property
    def verified_fixes(self) -> Tuple[Fix, ...]:
        """The fixes that ran on a slice against the real model and worked."""
        return tuple(f for f in self.fixes if f.verified)


# --------------------------------------------------------------------------- facts
# What the facts layer found, as plain data (see kerashape_magic/facts.py).


@dataclass(frozen=True)
class DataFact:
    """One data object found in the user's call or namespace.

    Attributes:
        name: the user's variable (``"X_train"``), or ``None`` when the argument was an
            expression kerashape did not evaluate.
        source: the argument's source text (``"X_train"``, ``"np.random.rand(10, 3)"``).
        role: ``"x"``, ``"y"``, ``"val_x"``, ``"val_y"``, ``"sequences"`` or ``"data"``.
        type_name: ``"ndarray"``, ``"Tensor"`` (TensorFlow's), ``"torch.Tensor"``,
            ``"jax.Array"``, ``"DataFrame"``, ``"Series"``, ``"Dataset"``, ``"list"``, ...
        shape: the shape, batch axis first; for a ``tf.data.Dataset`` the shape of its
            first component's ``element_spec``.
        dtype: the dtype's name (``"float64"``), or ``""``.
        ragged: for a list of sequences, ``(count, min length, max length, trailing
            shape)``; for a dataset whose elements vary, the same from ``element_spec``.
        batched: for a dataset: its batch size when it is a ``.batch()`` of a dataset
            bound to ``unbatched_name``; ``None`` otherwise.
        unbatched_name: the user's variable holding the dataset before ``.batch()``.
        onehot_tail: the number of trailing feature columns that look one-hot (0/1 with
            a single 1 per row), 0 when none.
        element_count: the number of values (``prod(shape)``), if known.
        labels: for labels (role ``y``/``val_y``): ``(kind, num_classes)`` where kind is
            ``"class_indices"`` (integers 0..k-1, one per sample), ``"onehot"`` (0/1 rows
            with a single 1), ``"binary"`` (0/1 in one column), ``"multi_hot"`` or
            ``"continuous"``; read from at most a few thousand values.
        components: for a ``tf.data.Dataset``, how many components each element has
            (2 for ``(x, y)`` pairs); 0 for other objects.
        input_key: for one input of a model with several inputs: the list position
            (``"0"``, ``"1"``) or the dict key (``"image"``) it was passed under.
        batch_depth: for a ``tf.data.Dataset``: how many times it was batched (0: it yields
            single samples; 2: batches of batches), ``None`` when unknown or not a dataset.
        columns: for a pandas ``DataFrame`` whose column labels are all strings: those labels,
            in order (``("income", "age", "city_Boston")``); empty otherwise.
    """

    name: Optional[str]
    source: str
    role: str
    type_name: str
    shape: Optional[Shape]
    dtype: str = ""
    ragged: Optional[tuple] = None
    batched: Optional[int] = None
    unbatched_name: Optional[str] = None
    onehot_tail: int = 0
    element_count: Optional[int] = None
    labels: Optional[Tuple[str, Optional[int]]] = None
    components: int = 0
    input_key: Optional[str] = None
    batch_depth: Optional[int] = None
    columns: Tuple[str, ...] = ()


@dataclass(frozen=True)
class LayerFact:
    """One layer of the model, in order.

    Attributes:
        name: the layer's name (``"lstm"``).
        class_name: ``"LSTM"``, ``"Dense"``, ``"Conv2D"``, ...
        input_shape / output_shape: known shapes with the batch axis, or ``None``.
        config: a few configuration values that rules use: ``units``,
            ``return_sequences``, ``filters``, ``data_format``, ``input_dim``.
    """

    name: str
    class_name: str
    input_shape: Optional[Shape] = None
    output_shape: Optional[Shape] = None
    config: Tuple[Tuple[str, object], ...] = ()

    def get(self, key: str, default: object = None) -> object:
        """Return one configuration value, or ``default``."""
        for k, v in self.config:
            if k == key:
                return v
        return default


@dataclass(frozen=True)
class ModelFact:
    """What the model expects.

    Attributes:
        name: the user's variable holding the model (``"model"``), if found.
        class_name: ``"Sequential"``, ``"Functional"`` or the subclass's name.
        input_shapes: the declared input shapes, batch axis first, one per input;
            empty when the model has no declared input (a lazy Sequential).
        input_names: the inputs' names, in order.
        declared: True when the input shape was given by the user (``input_shape=``,
            ``keras.Input``), False for a Sequential that builds on first call.
        built: the model's ``built`` flag.
        lazy_configured: a lazy Sequential that a failed call left configured for the
            rejected shape (Keras 3.15); it must be rebuilt before it can be used.
        stale: the failed call left cached train/test/predict functions behind.
        layers: the layers in order.
        output_shape: the model's output shape, if known.
        loss: the compiled loss's name (``"categorical_crossentropy"``), if any.
        loss_config: options of the compiled loss object that a loss fix must keep:
            ``(("from_logits", True),)``; empty for a loss given by name.
        input_layer_shape: for a Sequential that holds an ``InputLayer`` (declared, or
            left by a failed build), that layer's shape with the batch axis; else None.
        output_shapes: every output's shape, in order (``model.outputs``); more than one for
            a multi-output model.
        trained: the model carries learned weights: its optimizer took steps
            (``optimizer.iterations > 0``), or a layer is frozen (``trainable=False``, the
            transfer-learning pattern). Its weights are kept: data moves rank first.
        rejected: the name of the layer a failed ``model.add(layer)`` was given that the model
            left out (Keras 2 appends a layer only once it accepted its input,
            tf_keras/src/engine/sequential.py ``Sequential.add``; Keras 3 keeps it). It is the
            last entry of ``layers``, so that rules read the model as the user meant it; a
            rebuild fix adds it back (``add=kerashape.rejected_layer(model)``).
    """

    name: Optional[str]
    class_name: str
    input_shapes: Tuple[Shape, ...] = ()
    input_names: Tuple[str, ...] = ()
    declared: bool = False
    built: bool = False
    lazy_configured: bool = False
    stale: bool = False
    layers: Tuple[LayerFact, ...] = ()
    output_shape: Optional[Shape] = None
    loss: Optional[str] = None
    loss_config: Tuple[Tuple[str, object], ...] = ()
    input_layer_shape: Optional[Shape] = None
    trained: bool = False
    output_shapes: Tuple[Shape, ...] = ()
    rejected: Optional[str] = None


@dataclass(frozen=True)
class CallFact:
    """The failing call found in the user's cell.

    Attributes:
        method: ``"fit"``, ``"evaluate"``, ``"predict"``, ``"__call__"``,
            ``"train_on_batch"``, ``"from_tensor_slices"``, ... or ``""``.
        source: the call's source text, e.g. ``"model.fit(X_train, y_train)"``.
        line: the line number in the cell, if known.
    """

    method: str = ""
    source: str = ""
    line: Optional[int] = None


@dataclass(frozen=True)
class Facts:
    """Everything the facts layer gathered for one error or check.

    Attributes:
        call: the failing call, if found.
        model: the model, if found.
        data: the data objects, in argument order (x first).
        siblings: other arrays in the user's namespace, ``(name, shape)``, that share
            the data's rank (used to say that folds disagree).
        uninspected: what could not be inspected, in plain words.
        models: Keras models bound in the user's namespace with one declared input:
            ``(name, input shape)``; used when the failing call has no model (a NumPy
            reshape) to find the model the data is being prepared for.
        aliases: ``(module, name)`` pairs: the names bound in the user's namespace to
            ``numpy``, ``tensorflow``, ``keras``, ``kerashape``, ``torch`` and ``jax.numpy``
            (``("numpy", "np")``; for a Keras 2 model, ``keras`` is the user's name for it).
            Fix code uses these names and imports only what is missing.
        label_siblings: other arrays in the user's namespace, ``(name, shape)``, that share
            the labels' rank (``y_test`` beside ``y_train``: which split a count belongs to).
        frames: when the data is a DataFrame with named columns: the other DataFrames in the
            user's namespace, ``(name, column labels)`` (``X_train`` beside ``X_test``: whose
            columns the data must line up with).
    """

    call: CallFact = field(default_factory=CallFact)
    model: Optional[ModelFact] = None
    data: Tuple[DataFact, ...] = ()
    siblings: Tuple[Tuple[str, Shape], ...] = ()
    uninspected: Tuple[str, ...] = ()
    aliases: Tuple[Tuple[str, str], ...] = ()
    models: Tuple[Tuple[str, Shape], ...] = ()
    label_siblings: Tuple[Tuple[str, Shape], ...] = ()
    frames: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()

    def alias(self, module: str) -> Optional[str]:
        """The user's name for ``module`` (``"np"`` for numpy), or None when unbound."""
        for m, n in self.aliases:
            if m == module:
                return n
        return None

    def role(self, role: str) -> Optional[DataFact]:
        """Return the first data object with this role (``"x"``, ``"y"``), or None."""
        for d in self.data:
            if d.role == role:
                return d
        return None
