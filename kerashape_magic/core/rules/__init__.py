"""The rules table: message + facts -> :class:`~kerashape_magic.core.types.Diagnosis`.

``RULES`` is read top to bottom; the first rule that returns a Diagnosis wins. Each rule is
one function ``rule(ctx) -> Diagnosis | None`` in one module of this package, and says
*what* disagrees; it never writes fix code. Where the fix depends on more than two shapes
(labels against a loss, a layer against the one before it, ragged sequences) the rule names
the moves to try (``Diagnosis.requests``); ``core/moves`` turns them, and the data moves,
into fixes (a contract test reads every rule's imports). ``OWNERS`` names the rule that owns
every message family the parser knows (``core/messages.py``), so a family no rule reads
is an explicit entry, never a silent fallback (a contract test checks it).
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

from ..messages import ParsedMessage
from ..types import Diagnosis, Facts
from . import batch, cardinality, input_keys, labels, model, outputs, ragged, reshape_size, shape
from .build import message_only
from .context import NO_MESSAGE, Context

Rule = Callable[[Context], Optional[Diagnosis]]


def _message_rule(ctx: Context) -> Optional[Diagnosis]:
    """What the message alone says, when no rule above could read the objects."""
    return message_only(ctx.parsed, ctx.facts)


#: (rule id, rule): tried in this order.
RULES: Tuple[Tuple[str, Rule], ...] = (
    # sequences of different lengths: lists, object arrays, ragged datasets
    ("ragged", ragged.rule),
    # x and y (or the validation pair) hold different numbers of samples
    ("cardinality", cardinality.rule),
    # NumPy's reshape of rows into windows of the wrong size
    ("reshape_size", reshape_size.rule),
    # one label array for a model with several outputs
    ("output_structure", outputs.rule),
    # a dict of inputs under keys that name no input of the model (Keras 3 ignores them)
    ("input_keys", input_keys.rule),
    # a list of samples into a one-input model, one array into a multi-input model
    ("structure", shape.structure_rule),
    # a stateful model's declared batch size against the batches the call feeds (its output's
    # batch is fixed too: the labels would seem not to fit)
    ("stateful_batch_size", batch.stateful_rule),
    # the mistake is inside the model: a layer against the one before it, the output vs labels
    ("model", model.rule),
    # class names (strings) as labels, read from the labels' dtype whatever the message
    ("string_labels", labels.string_labels_rule),
    # the labels against the model's output and loss
    ("labels", labels.rule),
    # Keras 1/2's "Error when checking target"
    ("legacy_target", labels.legacy_rule),
    # a declared batch size (stateful layers) against the number of samples
    ("batch_size", batch.rule),
    # the data against the model's declared input, axis by axis (also pre-flight checks)
    ("input_shape", shape.rule),
    # nothing could be read from the objects: what the message says
    ("message_only", _message_rule),
)

#: Message family (core/messages.py) -> the id of the rule that owns it.
OWNERS: Dict[str, str] = {
    "cannot_batch": "ragged",
    "non_rectangular": "ragged",
    "inhomogeneous": "ragged",
    "object_array": "ragged",
    "cardinality": "cardinality",
    "reshape_size": "reshape_size",
    "target_output": "labels",
    "shapes_incompatible": "labels",
    "logits_labels": "labels",
    "incompatible_shapes": "labels",
    "label_range": "labels",
    "input_spec_ndim": "input_shape",
    "input_spec_axis": "input_shape",
    "input_spec_shape": "input_shape",
    "input_spec_dtype": "input_shape",
    "functional_shape": "input_shape",
    "legacy_expected_dims": "input_shape",
    "legacy_invalid_input": "input_shape",
    "legacy_expected_shape": "input_shape",
    "dims_must_be_equal": "input_shape",
    "unknown_rank": "input_shape",
    "sequential_configured": "input_shape",
    "negative_dimension": "input_shape",
    "input_count": "input_shape",
    "missing_input_key": "input_shape",
    "constructed_warning": "input_shape",
}


def run(parsed: Optional[ParsedMessage], facts: Facts, mode: str = "error") -> Optional[Diagnosis]:
    """Run ``RULES`` in order on one message and its facts; the first Diagnosis wins.

    Args:
        parsed: the parsed message, or ``None`` for a pre-flight check or an error whose
            message no parser reads.
        facts: what the facts layer found.
        mode: ``"error"``, ``"check"`` or ``"objects"`` (see :class:`Context`).

    Returns:
        A Diagnosis with requested moves but no fixes (``core.moves.propose`` builds them), or None.
    """
    ctx = Context(parsed if parsed is not None else NO_MESSAGE, facts, mode)
    for _rule_id, rule in RULES:
        d = rule(ctx)
        if d is not None:
            return d
    return None
