"""Dict inputs under keys that are not the model's input names (pre-flight and silent warnings).

Keras 3 maps a dict of inputs to a model's inputs by name (keras/src/models/functional.py,
``_standardize_inputs``; keras/src/layers/input_spec.py raises ``Missing data for input "left"``
when a name has no key). A key that names no input is dropped without a word (Keras 3.15,
measured: ``model.fit({"left": a, "right": b, "extra": c}, y)`` trains on ``left`` and
``right`` and ignores ``extra``); a misspelt key is then both an ignored key and a missing
input. This rule reads the keys the data was passed under (``DataFact.input_key``) against
``ModelFact.input_names``.

It reports in ``check`` and ``objects`` modes only: an error with Keras's own message belongs
to the ``input_shape`` rule (``OWNERS["missing_input_key"]``).
"""

from __future__ import annotations

from typing import List, Optional

from ..types import AxisRow, Diagnosis
from .build import diagnosis
from .context import Context


def _last(shape) -> Optional[int]:
    return shape[-1] if shape else None


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Keys of a dict of inputs that name no input of the model (and inputs that get no key).

    Example:
        >>> from kerashape_magic.core.rules.context import NO_MESSAGE
        >>> from kerashape_magic.core.types import DataFact, Facts, ModelFact
        >>> m = ModelFact("model", "Functional", ((None, 3), (None, 2)), ("left", "right"),
        ...               declared=True, built=True)
        >>> data = (DataFact("a", "a", "x", "ndarray", (40, 3), input_key="left"),
        ...         DataFact("b", "b", "x", "ndarray", (40, 2), input_key="right"),
        ...         DataFact("c", "c", "x", "ndarray", (40, 2), input_key="extra"))
        >>> d = rule(Context(NO_MESSAGE, Facts(model=m, data=data), "check"))
        >>> d.rule, [(r.name, r.status) for r in d.rows]
        ('input_keys', [("key 'left'", 'ok'), ("key 'right'", 'ok'), ("key 'extra'", 'extra')])
    """
    if ctx.mode == "error":
        return None
    m = ctx.facts.model
    if m is None or not m.input_names:
        return None
    keyed = [d for d in ctx.facts.data if d.role == "x" and d.input_key is not None]
    if not keyed or all(d.input_key.isdigit() for d in keyed if d.input_key is not None):
        return None  # a list of inputs: matched by position
    names = list(m.input_names)
    keys = [d.input_key or "" for d in keyed]
    unknown = [k for k in keys if k not in names]
    if not unknown:
        return None
    missing = [n for n in names if n not in keys]

    def declared(name: str) -> Optional[int]:  # the input's last axis (features)
        i = names.index(name)
        return _last(m.input_shapes[i]) if i < len(m.input_shapes) else None

    rows: List[AxisRow] = []
    for d in keyed:
        key = d.input_key or ""
        known = key in names
        rows.append(
            AxisRow(
                "key %r" % key, _last(d.shape), declared(key) if known else None, "ok" if known else "extra"
            )
        )
    rows += [AxisRow("input %r" % n, None, declared(n), "missing") for n in missing]
    quoted = ", ".join("%r" % k for k in unknown)
    summary = "The model's inputs are named %s; the data's key%s %s name%s no input" % (
        ", ".join("%r" % n for n in names),
        "s" if len(unknown) > 1 else "",
        quoted,
        "" if len(unknown) > 1 else "s",
    )
    if missing:
        summary += ", and %s get%s no data" % (
            ", ".join("%r" % n for n in missing),
            "" if len(missing) > 1 else "s",
        )
    summary += ". Keras 3 ignores a key that names no input without an error."
    first = next(d for d in keyed if (d.input_key or "") in unknown)
    return diagnosis(
        kind="input_structure",
        rule="input_keys",
        facts=ctx.facts,
        parsed=ctx.parsed,
        summary=summary,
        data=first,
        received=first.shape,
        expected=None,
        layer_class="Input",
        rows=rows,
    )
