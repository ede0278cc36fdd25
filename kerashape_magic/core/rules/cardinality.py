"""x and y that disagree on the number of samples: which one is off, and can a reshape restore it?

Pure (standard library only), like the rest of :mod:`kerashape_magic.core`.

Where the knowledge comes from:

* keras/src/trainers/data_adapters/data_adapter_utils.py ``check_data_cardinality`` (Keras 3:
  "Data cardinality is ambiguous. Make sure all arrays contain the same number of
  samples.'x' sizes: 80\\n'y' sizes: 20"); keras/engine/data_adapter.py in Keras 2. Keras
  checks the counts before it calls the model, for the training and the validation pair.
* A reshape can restore the count only when the values of each sample stay together and
  the result fits what the model takes: x over-split into too many samples (the wrong
  number of timesteps in a reshape), or labels flattened with ``ravel()``. Corpus case 45
  (x with 32 times too many rows, made by ``predict_generator`` given samples instead of
  steps) is the counter-example: no reshape fits the model, and truncating x would pair
  the wrong features with the labels.
* Other arrays in the user's namespace (``Facts.siblings`` of x's rank,
  ``Facts.label_siblings`` of y's rank) show which split a count belongs to: ``y_train``
  has 80 samples like ``X_train`` when ``y_test`` was passed by mistake.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence

from ..shapes import axis_names, fmt
from ..shapes import prod as _prod
from ..types import AxisRow, DataFact, Diagnosis, Facts, MoveRequest, Shape
from .build import diagnosis
from .context import Context, expected_input
from .labels import loss_family, loss_name

_SPLIT_WORDS = ("train", "test", "val", "valid", "validation", "dev", "eval")


def split_of(name: Optional[str]) -> Optional[str]:
    """The split a variable name refers to, or None.

    Example:
        >>> split_of("X_train"), split_of("yValid"), split_of("labels")
        ('train', 'val', None)
    """
    if not name:
        return None
    words = re.split(r"[_\W]+", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower())
    found = [w for w in words if w in _SPLIT_WORDS]
    return {"valid": "val", "validation": "val"}.get(found[-1], found[-1]) if found else None


def reshape_to(count: int, shape: Shape, wanted: Optional[Shape]) -> Optional[Shape]:
    """``shape`` re-cut into ``count`` samples that fit ``wanted`` (batch axis first), or None.

    A fully known ``wanted`` must hold exactly the values of one sample; with one free size
    (``None``), that axis takes what is left (consecutive rows of a sample stay together).

    Example:
        >>> reshape_to(100, (200, 24, 1), (None, 48, 1)), reshape_to(100, (200, 24, 1), (None, None, 1))
        ((100, 48, 1), (100, 48, 1))
        >>> reshape_to(2048, (65536, 8192), (None, 8192)) is None
        True
    """
    total = _prod(shape)
    if wanted is None or total is None or count <= 0 or total % count:
        return None
    per = total // count
    inner = tuple(wanted[1:])
    if all(d is not None for d in inner):
        new = inner if _prod(inner) == per else None
    elif inner.count(None) == 1 and per % (_prod(d for d in inner if d is not None) or 1) == 0:
        known = _prod(d for d in inner if d is not None) or 1
        new = tuple(per // known if d is None else d for d in inner)
    else:
        new = None
    if new is None or (count,) + new == tuple(shape):
        return None
    return (count,) + new


def cardinality_rule(
    parsed,
    facts: Facts,
    expected: Optional[Shape],
    cls: Optional[str],
    lname: Optional[str],
    names: Sequence[str],
) -> Optional[Diagnosis]:
    """x and y (or the validation pair) hold different numbers of samples (or None).

    Says which one is off and whether a reshape restores it; names the arrays in the user's
    namespace that would pair.

    Args:
        parsed: the parsed message (``NO_MESSAGE`` for a pre-flight check).
        facts: what the facts layer found.
        expected / cls / lname / names: the model's input shape, its first layer's class and
            name, and the axis names (from :mod:`kerashape_magic.core.shapes`).

    Example:
        >>> from kerashape_magic.core.types import DataFact, Facts
        >>> x = DataFact("X_train", "X_train", "x", "ndarray", (80, 8))
        >>> y = DataFact("y_test", "y_test", "y", "ndarray", (20,))
        >>> f = Facts(data=(x, y), label_siblings=(("y_train", (80,)),))
        >>> from kerashape_magic.core.rules.context import NO_MESSAGE
        >>> d = cardinality_rule(NO_MESSAGE, f, None, None, None, ())
        >>> d.kind, d.received_shape
        ('cardinality_mismatch', (80, 8))
        >>> print(d.summary.split(": ", 1)[1])
        `y_test` is the odd one, `y_train` has 80 samples like `X_train`.
    """
    for xr, yr in (("x", "y"), ("val_x", "val_y")):
        x, y = facts.role(xr), facts.role(yr)
        if x is None or y is None or not x.shape or not y.shape or x.type_name == "Dataset":
            continue
        nx, ny = x.shape[0], y.shape[0]
        if nx is None or ny is None or nx == ny:
            continue
        # x flattened into rows (samples * timesteps, features): the shape rule explains it
        if (
            xr == "x"
            and expected is not None
            and len(expected) == len(x.shape) + 1
            and expected[1]
            and nx == ny * expected[1]
        ):
            return None
        return _cardinality(parsed, facts, x, y, nx, ny, expected, cls, lname, names)
    return None


def _paired(candidates: List[str], name: Optional[str]) -> List[str]:
    """Candidates from the same split as ``name`` first (``y_train`` for ``X_train``)."""
    same = [n for n in candidates if split_of(n) is not None and split_of(n) == split_of(name)]
    return same + [n for n in candidates if n not in same]


def _cardinality(
    parsed, facts: Facts, x: DataFact, y: DataFact, nx: int, ny: int, expected, cls, lname, names
) -> Diagnosis:
    assert x.shape is not None and y.shape is not None  # cardinality_rule passes only data with shapes
    xname, yname = x.name or x.source, y.name or y.source
    head = "`%s` has %d samples but `%s` has %d" % (xname, nx, yname, ny)
    notes: List[str] = []
    requests: List[Optional[MoveRequest]] = []
    m = facts.model
    ysib = _paired(
        [n for n, s in facts.label_siblings if s and s[0] == nx and tuple(s[1:]) == tuple(y.shape[1:])],
        x.name,
    )
    xsib = _paired(
        [n for n, s in facts.siblings if s and s[0] == ny and tuple(s[1:]) == tuple(x.shape[1:])], y.name
    )
    y_wanted = None
    if m is not None and m.output_shape:
        y_wanted = (
            tuple(m.output_shape[:-1])
            if loss_family(loss_name(m.loss)) == "sparse"
            else tuple(m.output_shape)
        )
    x_shape = reshape_to(ny, x.shape, expected) if not (ysib or xsib) else None
    y_shape = reshape_to(nx, y.shape, y_wanted) if not (ysib or xsib or x_shape) else None

    if ysib and xsib:
        summary = (
            "%s: they come from different splits. `%s` has %d samples like `%s`, and `%s` has %d like `%s`: "
            "pass `%s` with `%s`, or `%s` with `%s`."
            % (head, ysib[0], nx, xname, xsib[0], ny, yname, xname, ysib[0], xsib[0], yname)
        )
    elif ysib:
        summary = "%s: `%s` is the odd one, `%s` has %d samples like `%s`." % (
            head,
            yname,
            ysib[0],
            nx,
            xname,
        )
        notes.append(
            "Did you pass `%s` instead of `%s`? No reshape restores the count: these are different samples."
            % (yname, ysib[0])
        )
    elif xsib:
        summary = "%s: `%s` is the odd one, `%s` has %d samples like `%s`." % (
            head,
            xname,
            xsib[0],
            ny,
            yname,
        )
        notes.append(
            "Did you pass `%s` instead of `%s`? No reshape restores the count: these are different samples."
            % (xname, xsib[0])
        )
    elif x_shape is not None:
        summary = (
            "%s: `%s` is off. Its values make %d samples of %s, the shape the model takes, so it was "
            "probably "
            "reshaped with the wrong per-sample size." % (head, xname, ny, fmt(x_shape[1:]))
        )
        regroup = MoveRequest(
            "regroup_samples",
            {
                "x": x,
                "shape": tuple(x_shape),
                "rationale": "Assumes `%s` was cut into samples of the wrong size (e.g. the wrong number "
                "of timesteps) "
                "and that the values of one sample are consecutive, as a reshape leaves them. Regroups "
                "the values; none is dropped or reordered." % xname,
            },
        )
        requests.append(regroup)
    elif y_shape is not None:
        summary = (
            "%s: `%s` is off. Its values make %d samples of %s, the shape the model's output needs, so the "
            "labels were probably flattened." % (head, yname, nx, fmt(y_shape[1:]))
        )
        requests.append(
            MoveRequest(
                "reshape_labels",
                {
                    "y": y,
                    "shape": y_shape,
                    "rationale": "Assumes the labels were flattened (e.g. with ravel()) sample after sample: "
                    "regroups them into %d samples of %s, keeping their order." % (nx, fmt(y_shape[1:])),
                },
            )
        )
    else:
        big, small = (x, y) if nx > ny else (y, x)
        nb, ns = max(nx, ny), min(nx, ny)
        bname, sname = big.name or big.source, small.name or small.source
        if nb % ns == 0:
            summary = (
                "%s: %d is %d x %d. `%s` may have been made with %d times too many rows, or comes from "
                "another "
                "split than `%s`." % (head, nb, nb // ns, ns, bname, nb // ns, sname)
            )
            notes.append(
                "No reshape makes `%s` fit the model with %d samples; truncating or reshaping it would pair "
                "the "
                "wrong values with the labels. Re-create it where it was made (corpus case 45: a generator "
                "given samples instead of steps)." % (bname, ns)
            )
        else:
            summary = (
                "%s: neither count divides the other, so no reshape restores them; x and y come from "
                "different "
                "arrays or splits." % head
            )
            notes.append(
                "Check the train/test split, and any filtering or dropna() applied to only one of them."
            )
    rows = (AxisRow(names[0] if names else "batch_size", nx, ny, "mismatch"),)
    return diagnosis(
        kind="cardinality_mismatch",
        rule="cardinality",
        facts=facts,
        data=x,
        received=x.shape,
        expected=expected,
        layer_class=cls,
        layer_name=lname,
        summary=summary,
        requests=requests,
        parsed=parsed,
        rows=rows,
        axis=0,
        notes=notes,
    )


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the ``cardinality`` family and any call whose x and y disagree on the sample count."""
    expected, cls, lname = expected_input(ctx.facts, ctx.parsed)
    names = axis_names(len(expected), cls) if expected else ("batch_size",)
    return cardinality_rule(ctx.parsed, ctx.facts, expected, cls, lname, names)
