"""What every rule reads, built once per diagnosis: the message, the facts, the mode.

Inside a rule the parsed message is never ``None``: a pre-flight check (no exception) or
an error whose message no parser reads gets :data:`NO_MESSAGE`, whose family is ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from ..messages import ParsedMessage
from ..shapes import fits, mismatch
from ..types import DataFact, Facts, Shape

#: The message of a pre-flight check, or of an error no parser reads: nothing stated.
NO_MESSAGE = ParsedMessage(family="", text="")


@dataclass(frozen=True)
class Context:
    """One diagnosis's inputs.

    Attributes:
        parsed: the parsed message; :data:`NO_MESSAGE` when there is none.
        facts: what the facts layer found.
        mode: ``"error"`` (explaining an exception), ``"check"`` (pre-flight: also report
            what Keras accepts silently) or ``"objects"`` (an error whose message no rule
            parses, explained from the objects alone, as ``check`` would).
    """

    parsed: ParsedMessage
    facts: Facts
    mode: str = "error"

    @property
    def family(self) -> str:
        """The message family (``""`` for none)."""
        return self.parsed.family

    @property
    def x(self) -> Optional[DataFact]:
        """The data passed as ``x``, if any."""
        return self.facts.role("x")


def first_layer(facts: Facts):
    """The model's first layer fact, or None."""
    m = facts.model
    return m.layers[0] if m is not None and m.layers else None


def expected_input(
    facts: Facts, parsed: ParsedMessage
) -> Tuple[Optional[Shape], Optional[str], Optional[str]]:
    """``(expected input shape with batch axis, layer class, layer name)``.

    The model's declared input wins; the message's expected shape is used only when the
    model says nothing.
    """
    m = facts.model
    first = first_layer(facts)
    cls = first.class_name if first is not None else None
    name = first.name if first is not None else None
    if m is not None and m.input_shapes:
        return m.input_shapes[0], cls, name
    if first is not None and first.input_shape is not None:
        return first.input_shape, cls, name
    if parsed.expected_shape is not None:
        return tuple(parsed.expected_shape), parsed.wrapper or cls, parsed.layer_name or name
    nd = parsed.expected_ndim
    if nd and parsed.ndim_bound in ("ndim", None) and nd <= 16:
        return (None,) * int(nd), cls, parsed.layer_name or name
    return None, cls, name


def data_for_message(facts: Facts, parsed: ParsedMessage) -> Optional[DataFact]:
    """For a call that is not a model method (a library function that got the model, a data
    constructor): the argument whose shape Keras reports, else the first one."""
    candidates = [d for d in facts.data if d.role == "data"]
    reported = parsed.received_shape
    if reported is not None:
        for d in candidates:
            if (
                d.shape is not None
                and len(d.shape) == len(reported)
                and all(fits(a, b) for a, b in zip(d.shape[1:], reported[1:]))
            ):
                return d
        unread = next((d for d in candidates if d.shape is None and d.type_name == "expression"), None)
        if unread is not None:
            return unread
        if facts.model is not None:
            return None
    return candidates[0] if candidates else None


def pick_input(facts: Facts, parsed: ParsedMessage, x: Optional[DataFact], expected: Optional[Shape]):
    """Which data object disagrees with which model input: ``(data, expected, cls, name)`` or None.

    A model with several inputs is matched by dict key (the input's name, as Keras 3 maps a
    dict: keras/src/models/functional.py) or by list position; otherwise the validation data
    is checked too, since ``fit(..., validation_data=(X_val, y_val))`` fails on it.
    """
    m = facts.model
    if m is not None and len(m.input_shapes) > 1:
        elements = [d for d in facts.data if d.input_key is not None]
        chosen = fallback = None
        for d in elements:
            key = d.input_key or ""
            if key in m.input_names:
                i = m.input_names.index(key)
            elif key.isdigit() and int(key) < len(m.input_shapes):
                i = int(key)
            else:
                continue
            pair = (d, m.input_shapes[i], "Input", m.input_names[i] if i < len(m.input_names) else str(i))
            fallback = fallback or pair
            if mismatch(d.shape, m.input_shapes[i]):
                chosen = pair
                break
            if chosen is None and parsed.input_index == i:
                chosen = pair
        return chosen or fallback
    val = facts.role("val_x")
    if (
        val is not None
        and expected is not None
        and not mismatch(x.shape if x else None, expected)
        and mismatch(val.shape, expected)
    ):
        return (val, expected) + expected_input(facts, parsed)[1:]
    return None
