"""Fix code templates: built from validated identifiers and integers, never from message text.

Each function returns an *unverified* :class:`~kerashape_magic.core.types.Fix`; the verify
step (``kerashape_magic/verify.py``) runs it on a slice before it may be called verified.
A fix whose code would need a name that is not a plain identifier (or an attribute chain
of identifiers) is not built at all.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..types import Facts, Fix, Shape, is_identifier


def _int(v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("not an int: %r" % (v,))
    return v


def _ints(shape: Sequence[object], allow_none: bool = False) -> str:
    parts = []
    for d in shape:
        if d is None and allow_none:
            parts.append("None")
        else:
            parts.append(str(_int(d)))
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


#: How fix code imports the Keras 2 (``tf_keras``) a model belongs to when the user has no name for
#: it: facts' ``("keras_import", ...)`` pair (kerashape_magic/flavour.py ``import_line``). Never
#: ``import keras``: that is Keras 3, and it would rebind the user's ``keras``.
_KERAS2_IMPORTS = {"tensorflow": "from tensorflow import keras\n", "tf_keras": "import tf_keras as keras\n"}


def _module(facts: Facts, module: str, default: str) -> tuple:
    """(name to use, import line or '').

    For ``keras``: the user's name for the Keras the model belongs to; else ``import keras``
    (Keras 3), or for a Keras 2 model ``from tensorflow import keras`` / ``import tf_keras as keras``.
    """
    alias = facts.alias(module)
    if alias:
        return alias, ""
    if module == "keras":
        return default, _KERAS2_IMPORTS.get(facts.alias("keras_import") or "", "import keras\n")
    return default, "import %s as %s\n" % (module, default) if default != module else "import %s\n" % module


def model_repair(facts: Facts) -> str:
    """Lines that make a model usable again after the failed call (empty when not needed).

    Keras 3.15: a lazy Sequential left configured for the rejected shape needs a rebuild;
    a built model with stale train/test/predict functions needs them cleared.
    """
    m = facts.model
    if m is None or not is_identifier(m.name):
        return ""
    ks, imp = _module(facts, "kerashape", "kerashape")
    if m.lazy_configured:
        return "%s%s = %s.rebuild(%s)  # the failed call left %s configured for the wrong shape\n" % (
            imp,
            m.name,
            ks,
            m.name,
            m.name,
        )
    if m.stale:
        return "%s%s.reset(%s)  # clear the training function the failed call left behind\n" % (
            imp,
            ks,
            m.name,
        )
    return ""


def code(*chunks: str) -> str:
    r"""Join code chunks into one snippet with every import line first, each once.

    Example:
        >>> repair = "import kerashape\nkerashape.reset(model)\n"
        >>> print(code("X = np.expand_dims(X, axis=-1)\n", repair), end="")
        import kerashape
        X = np.expand_dims(X, axis=-1)
        kerashape.reset(model)
    """
    imports, body = [], []
    for chunk in chunks:
        for line in chunk.splitlines():
            if line.startswith("import ") or line.startswith("from "):
                if line not in imports:
                    imports.append(line)
            elif line.strip():
                body.append(line)
    return "".join(line + "\n" for line in imports + body)


def data_fix(
    facts: Facts,
    kind: str,
    title: str,
    src: str,
    rationale: str,
    result: Optional[Shape] = None,
    **kwargs: object,
) -> Fix:
    """A Fix whose code is ``src`` plus the lines that make the model usable after the failed call."""
    return Fix(kind, title, code(src, model_repair(facts)), rationale, result, **kwargs)  # type: ignore[arg-type]


def _components(facts: Facts, name: str) -> int:
    for d in facts.data:
        if d.name == name:
            return d.components
    return 0


def _dataset_map(facts: Facts, name: str, expr: str) -> str:
    """``ds = ds.map(lambda x, y: (EXPR(x), y))`` for a dataset of (x, y[, w]) elements."""
    tf, imp = _module(facts, "tensorflow", "tf")
    n = _components(facts, name)
    body = expr.replace("TF", tf)
    if n >= 2:
        rest = ["y", "w"][: n - 1]
        return "%s%s = %s.map(lambda x, %s: (%s, %s))\n" % (
            imp,
            name,
            name,
            ", ".join(rest),
            body,
            ", ".join(rest),
        )
    return "%s%s = %s.map(lambda x: %s)\n" % (imp, name, name, body)


def _data_expr(name: str, type_name: str) -> str:
    return "%s.to_numpy()" % name if type_name in ("DataFrame", "Series") else name


#: PyTorch's ``Tensor`` methods for the NumPy functions the fixes call (torch/_tensor.py and
#: torch/_tensor_docs.py, torch 2.x): the same values on the same axes, ``axis=`` spelled ``dim=``.
#: ``repeat_interleave`` is ``np.repeat`` (``Tensor.repeat`` tiles instead).
_TORCH_METHODS = {
    "expand_dims": "unsqueeze",
    "transpose": "permute",
    "squeeze": "squeeze",
    "repeat": "repeat_interleave",
    "reshape": "reshape",
}


def _array_call(facts: Facts, name: str, type_name: str, fn: str, args: str) -> str:
    """``X = np.<fn>(X, <args>)``, ``tf.<fn>`` for a TensorFlow tensor, the ``torch.Tensor``
    method for a PyTorch tensor, ``jnp.<fn>`` for a ``jax.Array``, ``ds.map(...)`` for a dataset.

    NumPy, TensorFlow and ``jax.numpy`` share the names used here (expand_dims, transpose,
    squeeze, repeat); fix code keeps the user's own type.
    """
    if type_name == "Dataset":
        return _dataset_map(facts, name, "TF.%s(x, %s)" % (fn, args))
    if type_name == "Tensor":
        tf, imp = _module(facts, "tensorflow", "tf")
        return "%s%s = %s.%s(%s, %s)\n" % (imp, name, tf, fn, name, args)
    if type_name == "torch.Tensor":
        return "%s = %s.%s(%s)\n" % (name, name, _TORCH_METHODS[fn], args.replace("axis=", "dim="))
    if type_name == "jax.Array":
        jnp, imp = _module(facts, "jax.numpy", "jnp")
        return "%s%s = %s.%s(%s, %s)\n" % (imp, name, jnp, fn, name, args)
    np, imp = _module(facts, "numpy", "np")
    return "%s%s = %s.%s(%s, %s)\n" % (imp, name, np, fn, _data_expr(name, type_name), args)


def expand_dims(
    facts: Facts, name: str, type_name: str, axis: int, result: Shape, rationale: str
) -> Optional[Fix]:
    """``X = np.expand_dims(X, axis=-1)`` (``tf.expand_dims`` for a tensor)."""
    if not is_identifier(name):
        return None
    axis = _int(axis)
    src = _array_call(facts, name, type_name, "expand_dims", "axis=%d" % axis)
    where = "a last" if axis == -1 else ("a leading batch" if axis == 0 else "an")
    return data_fix(
        facts,
        "expand_dims",
        "Add %s axis of size 1 to %s" % (where, name),
        src,
        rationale,
        result,
        target=name,
        op=("expand_dims", axis),
    )


def expand_dims_many(
    facts: Facts, name: str, type_name: str, axes: Sequence[int], result: Shape, rationale: str
) -> Optional[Fix]:
    """Several size-1 axes at once: one ``expand_dims`` line per axis, ``axes`` being the new
    axes' places in the result in increasing order (``(0, 3)``: ``(28, 28) -> (1, 28, 28, 1)``).

    Every container gets its own call (``_array_call``); after the first line a pandas object
    or a list is a NumPy array, so the next lines are NumPy calls.
    """
    if not is_identifier(name) or not axes:
        return None
    axes = tuple(sorted(_int(a) for a in axes))
    lines, tname = [], type_name
    for a in axes:
        lines.append(_array_call(facts, name, tname, "expand_dims", "axis=%d" % a))
        if tname not in ("Tensor", "torch.Tensor", "jax.Array", "Dataset"):
            tname = "ndarray"
    return data_fix(
        facts,
        "expand_dims",
        "Add the %d missing axes of size 1 to %s" % (len(axes), name),
        code(*lines),
        rationale,
        result,
        target=name,
        op=("expand_dims", axes),
    )


def align_columns(facts: Facts, name: str, ref: str, result: Shape, rationale: str) -> Optional[Fix]:
    """``X_test = X_test.reindex(columns=X_train.columns, fill_value=0)``: a DataFrame's columns in
    the order of ``ref``'s, the ones it lacks filled with 0 (pandas ``DataFrame.reindex``)."""
    if not is_identifier(name) or not is_identifier(ref):
        return None
    src = "%s = %s.reindex(columns=%s.columns, fill_value=0)\n" % (name, name, ref)
    return data_fix(
        facts,
        "align_columns",
        "Line up the columns of %s with %s's (missing ones 0)" % (name, ref),
        src,
        rationale,
        result,
        target=name,
    )


def keep_channels(
    facts: Facts, name: str, type_name: str, count: int, result: Shape, rationale: str
) -> Optional[Fix]:
    """``X = X[..., :3]``: keep the first ``count`` channels of the last axis (drops the rest).

    The same indexing for NumPy, tf.Tensor, torch.Tensor and jax.Array; a list is made an
    array first; a dataset is mapped. A DataFrame or Series has no channel axis (two axes at
    most): no fix.
    """
    if not is_identifier(name) or type_name in ("DataFrame", "Series"):
        return None
    k = _int(count)
    if type_name == "Dataset":
        src = _dataset_map(facts, name, "x[..., :%d]" % k)
    elif type_name in ("ndarray", "memmap", "Tensor", "torch.Tensor", "jax.Array"):
        src = "%s = %s[..., :%d]\n" % (name, name, k)
    else:
        np, imp = _module(facts, "numpy", "np")
        src = "%s%s = %s.asarray(%s)[..., :%d]\n" % (imp, name, np, name, k)
    return data_fix(
        facts,
        "drop_channel",
        "Keep the first %d channels of %s (drop the alpha channel)" % (k, name),
        src,
        rationale,
        result,
        target=name,
        op=("keep_channels", k),
        loses_data=True,
    )


def stack(
    facts: Facts, names: Sequence[str], rationale: str, result: Optional[Shape] = None
) -> Optional[Fix]:
    """``X = np.stack(X)`` for each name: a Python list of same-shape samples made one array
    with a batch axis in front (the list's order is the samples' order; no value moves).

    ``np.stack`` takes lists of NumPy arrays, of tf/torch/jax tensors on the CPU, and of
    numbers alike; the first name is the fix's target (x), the others (the labels) follow.
    """
    if not names or not all(is_identifier(n) for n in names):
        return None
    np, imp = _module(facts, "numpy", "np")
    src = imp + "".join("%s = %s.stack(%s)\n" % (n, np, n) for n in names)
    return data_fix(
        facts,
        "stack",
        "Stack the list%s %s into one array each" % ("s" if len(names) > 1 else "", " and ".join(names)),
        src,
        rationale,
        result,
        target=names[0],
        op=("stack", tuple(names)),
    )


def split_inputs(
    facts: Facts, name: str, type_name: str, count: int, axis: int, rationale: str
) -> Optional[Fix]:
    """``X = [X[:, 0], X[:, 1]]``: one array holding the inputs of a multi-input model split
    into one per input (in the order of ``model.inputs``) along ``axis``; along the batch axis
    each part keeps a batch axis of 1 (``[X[0:1], X[1:2]]``).

    The same indexing for NumPy, tf.Tensor, torch.Tensor and jax.Array; a list is made an
    array first; a dataset's elements are split in a ``map``. A DataFrame or Series is not
    split (its columns are features, not inputs): no fix.
    """
    if not is_identifier(name) or type_name in ("DataFrame", "Series"):
        return None
    k, a = _int(count), _int(axis)
    if type_name == "Dataset":
        if a < 1:
            return None  # a dataset's batch axis holds samples
        parts = ", ".join("x[%s%d]" % (":, " * a, i) for i in range(k))
        src = _dataset_map(facts, name, "(%s,)" % parts)
    else:
        if type_name in ("ndarray", "memmap", "Tensor", "torch.Tensor", "jax.Array"):
            src, expr = "", name
        else:
            np, imp = _module(facts, "numpy", "np")
            src, expr = imp, "%s.asarray(%s)" % (np, name)
        if a == 0:
            parts = ", ".join("%s[%d:%d]" % (expr, i, i + 1) for i in range(k))
        else:
            parts = ", ".join("%s[%s%d]" % (expr, ":, " * a, i) for i in range(k))
        src += "%s = [%s]\n" % (name, parts)
    return data_fix(
        facts,
        "split_inputs",
        "Split %s into the model's %d inputs (axis %d)" % (name, k, a),
        src,
        rationale,
        None,
        target=name,
        op=("split_inputs", k, a),
    )


def reshape(
    facts: Facts, name: Optional[str], type_name: str, shape: Shape, rationale: str, title: str = ""
) -> Optional[Fix]:
    """``X = X.reshape(100, 20, 3)`` (``tf.reshape`` for a tensor)."""
    if not is_identifier(name):
        return None
    dims = _ints(shape)
    if type_name == "Dataset":
        src = _dataset_map(facts, name, "TF.reshape(x, %s)" % _ints((-1,) + tuple(shape[1:])))
    elif type_name in ("Tensor", "jax.Array"):  # tf.reshape / jnp.reshape
        tf, imp = _module(facts, *(("tensorflow", "tf") if type_name == "Tensor" else ("jax.numpy", "jnp")))
        src = "%s%s = %s.reshape(%s, %s)\n" % (imp, name, tf, name, dims)
    elif type_name == "torch.Tensor":  # torch.Tensor.reshape keeps a tensor a tensor
        src = "%s = %s.reshape%s\n" % (name, name, dims if len(shape) > 1 else "(%d)" % _int(shape[0]))
    elif type_name not in ("ndarray", "memmap", "DataFrame", "Series"):
        np_, imp = _module(facts, "numpy", "np")
        src = "%s%s = %s.reshape(%s, %s)\n" % (imp, name, np_, name, dims)
    else:
        src = "%s = %s.reshape%s\n" % (
            name,
            _data_expr(name, type_name),
            dims if len(shape) > 1 else "(%d)" % _int(shape[0]),  # _ints(shape) above checked every size
        )
    return data_fix(
        facts,
        "reshape",
        title or "Reshape %s to %s" % (name, dims),
        src,
        rationale,
        tuple(shape),
        target=name,
        op=("reshape", tuple(shape)),
    )


def reshape_feature_major(facts: Facts, name: str, type_name: str, shape: Shape) -> Optional[Fix]:
    """For flat rows laid out feature by feature: reshape to (n, features, steps), then swap.

    ``shape`` is ``(n, steps, features)``; ``n`` may be ``-1`` (shape-generic code).
    """
    if not is_identifier(name) or len(shape) != 3:
        return None
    n, t, f = (_int(d) for d in shape)
    if type_name == "Dataset":
        src = _dataset_map(facts, name, "TF.transpose(TF.reshape(x, (-1, %d, %d)), (0, 2, 1))" % (f, t))
    elif type_name == "torch.Tensor":
        src = "%s = %s.reshape(%d, %d, %d).permute(0, 2, 1)\n" % (name, name, n, f, t)
    elif type_name in ("Tensor", "jax.Array"):  # tf / jnp: the same two calls
        tf, imp = _module(facts, *(("tensorflow", "tf") if type_name == "Tensor" else ("jax.numpy", "jnp")))
        src = "%s%s = %s.transpose(%s.reshape(%s, (%d, %d, %d)), (0, 2, 1))\n" % (
            imp,
            name,
            tf,
            tf,
            name,
            n,
            f,
            t,
        )
    else:
        np, imp = _module(facts, "numpy", "np")
        src = "%s%s = %s.transpose(%s.reshape(%d, %d, %d), (0, 2, 1))\n" % (
            imp,
            name,
            np,
            _data_expr(name, type_name)
            if type_name in ("ndarray", "memmap", "DataFrame", "Series")
            else "%s.asarray(%s)" % (np, name),
            n,
            f,
            t,
        )
    rationale = (
        "Use this one instead if each row lists all %d values of the first feature, then all of the "
        "second, and so on (feature-major); check which layout your data has." % t
    )
    return data_fix(
        facts,
        "transpose",
        "Reshape %s feature-major, then swap to (samples, timesteps, features)" % name,
        src,
        rationale,
        (n, t, f),
        target=name,
        op=("reshape_transpose", (n, f, t), (0, 2, 1)),
    )


def repeat(
    facts: Facts, name: str, type_name: str, count: int, axis: int, result: Shape, rationale: str, title: str
) -> Optional[Fix]:
    """``X = np.repeat(X, 3, axis=-1)`` (``tf.repeat`` for a tensor, ``map`` for a dataset)."""
    if not is_identifier(name):
        return None
    src = _array_call(facts, name, type_name, "repeat", "%d, axis=%d" % (_int(count), _int(axis)))
    return data_fix(facts, "repeat", title, src, rationale, result, target=name, op=("repeat", count, axis))


def transpose(
    facts: Facts, name: str, type_name: str, perm: Sequence[int], result: Shape, rationale: str
) -> Optional[Fix]:
    """``X = np.transpose(X, (0, 2, 3, 1))``: moves axes, never mixes values between them."""
    if not is_identifier(name):
        return None
    src = _array_call(facts, name, type_name, "transpose", _ints(perm))
    return data_fix(
        facts,
        "transpose",
        "Move %s's axes into the order the model expects" % name,
        src,
        rationale,
        result,
        target=name,
        op=("transpose", tuple(perm)),
    )


def squeeze(
    facts: Facts, name: Optional[str], type_name: str, axis: int, result: Shape, rationale: str
) -> Optional[Fix]:
    """``X = np.squeeze(X, axis=1)``: drops an axis of size 1."""
    if not is_identifier(name):
        return None
    src = _array_call(facts, name, type_name, "squeeze", "axis=%d" % _int(axis))
    return data_fix(
        facts,
        "squeeze",
        "Drop the size-1 axis %d of %s" % (axis, name),
        src,
        rationale,
        result,
        target=name,
        op=("squeeze", axis),
    )


def rebuild_input(facts: Facts, shape: Shape, rationale: str, title: str = "") -> Optional[Fix]:
    """``model = kerashape.rebuild(model, input_shape=(24, 1))``: keeps every weight that fits."""
    m = facts.model
    if m is None or not is_identifier(m.name) or len(m.input_shapes) > 1:
        return None
    if m.class_name not in ("Sequential", "Functional"):
        return None  # a subclassed model has no layer graph to rebuild (actions.rebuild)
    ks, imp = _module(facts, "kerashape", "kerashape")
    dims = _ints(shape, allow_none=True)
    add = rejected_arg(facts, ks)
    src = "%s%s = %s.rebuild(%s, input_shape=%s%s)\n" % (imp, m.name, ks, m.name, dims, add)
    return Fix(
        "rebuild_input",
        title or "Rebuild %s for input_shape=%s" % (m.name, dims),
        code(src),
        rationale,
        (None,) + tuple(shape),
        target=m.name,
        op=("rebuild_input", tuple(shape)) + ((True,) if m.rejected else ()),
    )


def rejected_arg(facts: Facts, ks: str) -> str:
    """``", add=kerashape.rejected_layer(model)"`` when a failed ``model.add(layer)`` left the layer
    out of the model (Keras 2, :attr:`ModelFact.rejected`): a rebuilt model must hold it, as the
    user's ``add`` meant. Empty otherwise."""
    m = facts.model
    if m is None or not m.rejected or not is_identifier(m.name):
        return ""
    return ", add=%s.rejected_layer(%s)" % (ks, m.name)


def pad_sequences(
    facts: Facts, name: Optional[str], maxlen: Optional[int], dtype: str, rationale: str, loses: bool
) -> Optional[Fix]:
    """``seqs = keras.utils.pad_sequences(seqs, padding="post", dtype="float32")``."""
    if not is_identifier(name):
        return None
    ks, imp = _module(facts, "keras", "keras")
    if dtype not in ("float32", "float64", "int32", "int64"):
        dtype = "float32"
    extra = ', maxlen=%d, truncating="post"' % _int(maxlen) if maxlen is not None else ""
    src = '%s%s = %s.utils.pad_sequences(%s, padding="post"%s, dtype="%s")\n' % (
        imp,
        name,
        ks,
        name,
        extra,
        dtype,
    )
    title = "Pad %s with zeros at the end%s" % (
        name,
        " and cut it to %d steps" % maxlen if maxlen is not None else "",
    )
    return data_fix(
        facts,
        "pad_sequences",
        title,
        src,
        rationale,
        None,
        loses_data=loses,
        target=name,
        op=("pad_sequences", maxlen, dtype),
    )


def padded_batch(facts: Facts, target: str, source: str, batch_size: int, rationale: str) -> Optional[Fix]:
    """``batched = dataset.padded_batch(32)``: pads each batch to its longest element."""
    if not (is_identifier(target) and is_identifier(source)):
        return None
    src = "%s = %s.padded_batch(%d)\n" % (target, source, _int(batch_size))
    return data_fix(
        facts,
        "padded_batch",
        "Batch %s with padding (padded_batch)" % source,
        src,
        rationale,
        None,
        target=target,
        op=("padded_batch", batch_size, source),
    )


def _keras_resize(facts: Facts, expr: str, type_name: str, h: int, w: int) -> Optional[tuple]:
    """``(import lines, expression)`` resizing ``expr`` with ``keras.ops.image.resize`` (any Keras 3
    backend: keras/src/ops/image.py), or ``None`` where TensorFlow's ``tf.image.resize`` is the
    user's (a TensorFlow tensor or dataset, or TensorFlow imported in the notebook), or the Keras is
    Keras 2 (``tf_keras`` has no ``keras.ops``: TensorFlow is its framework)."""
    if type_name in ("Tensor", "Dataset") or facts.alias("tensorflow") or facts.alias("keras_import"):
        return None
    ks, imp = _module(facts, "keras", "keras")
    call = "%s.ops.image.resize(%s, (%d, %d))" % (ks, expr, h, w)
    if type_name in ("torch.Tensor", "jax.Array"):  # stays the backend's tensor
        return imp, call
    return imp, "%s.ops.convert_to_numpy(%s)" % (ks, call)  # NumPy stays NumPy


def resize(
    facts: Facts, name: str, type_name: str, size: Sequence[int], result: Shape, rationale: str, loses: bool
) -> Optional[Fix]:
    """``X = tf.image.resize(X, (28, 28)).numpy()``: resample every image to the model's size;
    without TensorFlow, ``X = keras.ops.convert_to_numpy(keras.ops.image.resize(X, (28, 28)))``."""
    if not is_identifier(name):
        return None
    h, w = (_int(v) for v in size)
    portable = _keras_resize(facts, _data_expr(name, type_name), type_name, h, w)
    if type_name == "Dataset":
        src = _dataset_map(facts, name, "TF.image.resize(x, (%d, %d))" % (h, w))
    elif portable is not None:
        src = "%s%s = %s\n" % (portable[0], name, portable[1])
    else:
        tf, imp = _module(facts, "tensorflow", "tf")
        tail = "" if type_name == "Tensor" else ".numpy()"
        src = "%s%s = %s.image.resize(%s, (%d, %d))%s\n" % (
            imp,
            name,
            tf,
            _data_expr(name, type_name),
            h,
            w,
            tail,
        )
    return data_fix(
        facts,
        "resize",
        "Resize the images in %s to %dx%d" % (name, h, w),
        src,
        rationale,
        result,
        loses_data=loses,
        target=name,
        op=("resize", h, w),
    )


def sliding_windows(
    facts: Facts, name: Optional[str], type_name: str, steps: int, features: int, rows: int
) -> Optional[Fix]:
    """One window of ``steps`` consecutive rows starting at every row (rows - steps + 1 samples)."""
    if not is_identifier(name) or type_name == "Dataset":
        return None
    t, f, n = _int(steps), _int(features), _int(rows)
    np_, imp = _module(facts, "numpy", "np")
    src = "%s%s = %s.lib.stride_tricks.sliding_window_view(%s, %d, axis=0).transpose(0, 2, 1)\n" % (
        imp,
        name,
        np_,
        _data_expr(name, type_name),
        t,
    )
    rationale = (
        "Sample i holds rows i to i+%d: %d overlapping windows of %d timesteps x %d features; no value moves "
        "between features. Realign the labels to the windows (e.g. y = y[%d:] for the label of each window's "
        "last row). The result is a read-only view; call .copy() if you will write into it."
        % (t - 1, n - t + 1, t, f, t - 1)
    )
    return Fix(
        "window",
        "Cut %s into sliding windows of %d rows" % (name, t),
        code(src),
        rationale,
        (n - t + 1, t, f),
        target=name,
        op=("window", "sliding", t, f),
    )


def row_blocks(
    facts: Facts, name: Optional[str], type_name: str, steps: int, features: int, rows: int
) -> Optional[Fix]:
    """Consecutive blocks of ``steps`` rows, one sample each (rows // steps samples)."""
    if not is_identifier(name) or type_name == "Dataset":
        return None
    t, f, n = _int(steps), _int(features), _int(rows)
    k = n // t
    expr = _data_expr(name, type_name)
    src = (
        ("%s = %s.reshape(%d, %d, %d)\n" % (name, expr, k, t, f))
        if n % t == 0
        else ("%s = %s[:%d].reshape(%d, %d, %d)\n" % (name, expr, k * t, k, t, f))
    )
    rationale = (
        "Groups rows 0-%d, %d-%d, ... into %d samples of %d timesteps x %d features (non-overlapping); "
        "no value "
        "moves between features.%s Labels need one value per block."
        % (
            t - 1,
            t,
            2 * t - 1,
            k,
            t,
            f,
            " The last %d rows do not fill a block and are DROPPED." % (n - k * t) if n % t else "",
        )
    )
    return Fix(
        "reshape",
        "Group %s into blocks of %d rows" % (name, t),
        code(src),
        rationale,
        (k, t, f),
        loses_data=n % t != 0,
        target=name,
        op=("blocks", t, f),
    )


def split_windows(facts: Facts, x, y, steps: int, received: Shape) -> Optional[Fix]:
    """Cut each sample of ``steps * k`` timesteps into k windows and repeat its label k times.

    ``X = X.reshape(n * k, steps, features)`` keeps every value in order (consecutive steps
    of one sample stay together); ``y = np.repeat(y, k, axis=0)`` gives each window its
    sample's label, so x and y stay aligned (seed 001, example 2: 48 timesteps into a model
    declared for 24).
    """
    if not (is_identifier(x.name) and is_identifier(y.name)) or x.type_name not in ("ndarray", "memmap"):
        return None
    n, t, f = (_int(d) for d in received)
    steps = _int(steps)
    k = t // steps
    np_, imp = _module(facts, "numpy", "np")
    src = "%s%s = %s.reshape(-1, %d, %d)\n%s = %s.repeat(%s, %d, axis=0)\n" % (
        imp,
        x.name,
        x.name,
        steps,
        f,
        y.name,
        np_,
        y.name,
        k,
    )
    rationale = (
        "Cuts each sample's %d timesteps into %d windows of %d (no value is dropped or moved out of its "
        "timestep) and repeats each label %d times so %s and %s stay aligned. Right when one label holds "
        "for every part of the sample (a class per sequence); for a forecast target, build the windows "
        "from the raw series instead." % (t, k, steps, k, x.name, y.name)
    )
    return data_fix(
        facts,
        "window",
        "Cut %s into windows of %d timesteps and repeat %s" % (x.name, steps, y.name),
        src,
        rationale,
        (n * k, steps, f),
        target=x.name,
        op=("split_windows", steps, k, y.name),
    )


def label_windows(facts: Facts, x: object, y: object, steps: int, received: Shape) -> Optional[Fix]:
    """Windows of ``steps`` consecutive rows, each labelled with its last row's label.

    ``X = np.lib.stride_tricks.sliding_window_view(X, 10, axis=0).transpose(0, 2, 1)`` gives
    ``(rows - steps + 1, steps, features)``; ``y = y[steps - 1:]`` keeps the label of each
    window's last row (the usual alignment for a value measured at the window's end).
    """
    xname, yname = getattr(x, "name", None), getattr(y, "name", None)
    if not (is_identifier(xname) and is_identifier(yname)):
        return None
    t = _int(steps)
    rows, feats = received
    np_, imp = _module(facts, "numpy", "np")
    xtype, ytype = getattr(x, "type_name", ""), getattr(y, "type_name", "")
    src = (
        "%s%s = %s.lib.stride_tricks.sliding_window_view(%s, %d, axis=0).transpose(0, 2, 1)\n"
        "%s = %s[%d:]\n"
        % (imp, xname, np_, _data_expr(str(xname), xtype), t, yname, _data_expr(str(yname), ytype), t - 1)
    )
    n = None if rows is None else rows - t + 1
    rationale = (
        "Sample i holds rows i to i+%d (%s overlapping windows of %d timesteps x %s features; no value moves "
        "between features) and takes the label of its last row: the labels lose their first %d rows so "
        "that x and y stay aligned. Label the window by the row after it instead if you forecast the next "
        "step. The windows are a read-only view: call .copy() before writing into them."
        % (t - 1, n if n is not None else "rows - %d" % (t - 1), t, feats, t - 1)
    )
    return data_fix(
        facts,
        "window",
        "Cut %s into windows of %d rows, labelled by their last row" % (xname, t),
        src,
        rationale,
        (n, t, feats),
        target=xname,
        op=("window", "sliding", t, feats),
    )


def batch_dataset(facts: Facts, name: str, size: int, rationale: str, padded: bool = False) -> Optional[Fix]:
    """``ds = ds.batch(32)`` (``padded_batch`` when the elements' lengths vary)."""
    if not is_identifier(name):
        return None
    how = "padded_batch" if padded else "batch"
    return data_fix(
        facts,
        "padded_batch" if padded else "batch",
        "%s %s into batches of %d" % ("Pad and batch" if padded else "Batch", name, _int(size)),
        "%s = %s.%s(%d)\n" % (name, name, how, size),
        rationale,
        None,
        target=name,
        op=(how + "_dataset", size),
    )


def unbatch_dataset(facts: Facts, name: str, rationale: str) -> Optional[Fix]:
    """``ds = ds.unbatch()``: undo a second ``batch``."""
    if not is_identifier(name):
        return None
    return data_fix(
        facts,
        "unbatch",
        "Unbatch %s (it was batched twice)" % name,
        "%s = %s.unbatch()\n" % (name, name),
        rationale,
        None,
        target=name,
        op=("unbatch",),
    )


def resize_each(
    facts: Facts,
    name: str,
    type_name: str,
    size: Sequence[int],
    rationale: str,
    source: Optional[str] = None,
    batch: Optional[int] = None,
) -> Optional[Fix]:
    """Resize pictures of different sizes one by one to ``size``.

    A list or object array: ``X = np.stack([tf.image.resize(p, (16, 16)).numpy() for p in X])``
    (``keras.ops.image.resize`` without TensorFlow);
    a dataset batched from ``source``: ``ds = raw.map(lambda x, y: (tf.image.resize(x, (16, 16)),
    y)).batch(4)`` (the pictures are resized before they are batched).
    """
    if not is_identifier(name):
        return None
    h, w = (_int(v) for v in size)
    tf, imp = _module(facts, "tensorflow", "tf")
    portable = _keras_resize(facts, "p", "list", h, w)
    if type_name == "Dataset":
        if not (is_identifier(source) and batch):
            return None
        mapped = _dataset_map(facts, name, "TF.image.resize(x, (%d, %d))" % (h, w))  # name's (x, y) parts
        src = mapped.replace("%s = %s.map(" % (name, name), "%s = %s.map(" % (name, source), 1).rstrip("\n")
        src += ".batch(%d)\n" % _int(batch)
    elif portable is not None:  # without TensorFlow: keras.ops, each picture back to NumPy
        np_, imp2 = _module(facts, "numpy", "np")
        src = "%s%s%s = %s.stack([%s for p in %s])\n" % (imp2, portable[0], name, np_, portable[1], name)
    else:
        np_, imp2 = _module(facts, "numpy", "np")
        imp += imp2
        src = "%s%s = %s.stack([%s.image.resize(p, (%d, %d)).numpy() for p in %s])\n" % (
            imp,
            name,
            np_,
            tf,
            h,
            w,
            name,
        )
    return data_fix(
        facts,
        "resize",
        "Resize every picture in %s to %dx%d" % (source if type_name == "Dataset" and source else name, h, w),
        src,
        rationale,
        None,
        loses_data=True,
        target=name,
        op=("resize_each", h, w),
    )


def rebuild_batch_size(facts: Facts, batch_size: Optional[int], rationale: str) -> Optional[Fix]:
    """``model = kerashape.rebuild(model, batch_size=1)``: the same model for another batch size."""
    m = facts.model
    if m is None or not is_identifier(m.name) or m.class_name not in ("Sequential", "Functional"):
        return None
    ks, imp = _module(facts, "kerashape", "kerashape")
    size = "None" if batch_size is None else str(_int(batch_size))
    src = "%s%s = %s.rebuild(%s, batch_size=%s)\n" % (imp, m.name, ks, m.name, size)
    shape = m.input_shapes[0] if m.input_shapes else None
    return Fix(
        "rebuild_input",
        "Rebuild %s for batch size %s, keeping every weight" % (m.name, size),
        code(src),
        rationale,
        (batch_size,) + tuple(shape[1:]) if shape else None,
        target=m.name,
        op=("rebuild_batch", batch_size),
        move="batch_size",
    )
