"""Try each candidate fix on a tiny slice before it may be called *verified*.

For every :class:`~kerashape_magic.core.types.Fix` the verify step builds the fixed data
for at most 2 samples (or one element of a ``tf.data.Dataset``) straight from the user's
object, without running the fix on the whole data and without writing to it, and then:

* calls the real model on it in inference mode (``model(x, training=False)``; through a
  cached ``tf.function`` for models with a recurrent layer, see :func:`_infer`), which
  reads the weights and never writes them; a model that is not built (a lazy Sequential)
  or that a failed call left configured for the wrong shape is never called: a rebuilt
  copy (:func:`kerashape_magic.actions.rebuild`) stands in, exactly what applying the fix
  will create;
* for ``rebuild_input``, calls the rebuilt model with the user's unchanged slice;
* when labels are known, computes the compiled loss on the output and the label slice, and
  checks that x and y keep the same number of samples;
* when the failing call was a data constructor (``tf.data.Dataset.from_tensor_slices``,
  ``tf.constant``, ``np.array``) and there is no model, re-runs that call on the slices.

A fix is verified only when all of that ran here without an error. Whatever goes wrong is
kept in ``Fix.verification`` for the panel's Details section.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
import sys
import weakref
from collections import OrderedDict
from dataclasses import replace
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from .core.types import Diagnosis, Fix
from .facts import DATA_CONSTRUCTORS, Gathered, shape_of
from .flavour import flavour_of, keras_for

SLICE = 2  # samples per verification


class Unverifiable(ValueError):
    """Raised when a fix cannot be tried here (no model, no data, nothing to run it on):
    the fix stays *not verified*, which is not the same as failed."""


def _np():
    import numpy

    return numpy


def head(obj: Any, n: int = SLICE) -> Any:
    """The first ``n`` samples of ``obj`` as a NumPy array or list, without touching the rest."""
    np = _np()
    if hasattr(obj, "iloc"):
        return obj.iloc[:n].to_numpy()
    if isinstance(obj, (list, tuple)):
        return list(obj[:n])
    if hasattr(obj, "shape") and hasattr(obj, "__getitem__"):
        return np.asarray(obj[:n])
    return obj


def _prefix(obj: Any, shape: Tuple[int, ...], n: int = SLICE) -> Any:
    """The first ``n`` samples of ``obj.reshape(shape)``, read from the front of ``obj`` only."""
    np = _np()
    per_sample = math.prod(shape[1:])
    src_shape = shape_of(obj)
    per_row = math.prod(d or 1 for d in (src_shape[1:] if src_shape else ()))
    rows = -(-n * per_sample // max(per_row, 1))
    flat = np.asarray(head(obj, rows)).reshape(-1)[: n * per_sample]
    return flat.reshape((n,) + tuple(shape[1:]))


def _is_dataset(obj: Any) -> bool:
    return hasattr(obj, "element_spec") and hasattr(obj, "take")


def transformed_slice(fix: Fix, obj: Any) -> Any:
    """What ``fix`` makes of the first samples of ``obj`` (its target), as a small array.

    Raises:
        ValueError: the op cannot be applied to this object.
    """
    np = _np()
    verb = fix.op[0] if fix.op else ""
    if verb == "expand_dims":
        axis = fix.op[1]
        if isinstance(axis, tuple):  # several axes at once (core/moves/data.py add_axes)
            return np.expand_dims(np.asarray(obj) if 0 in axis else head(obj), axis)
        return np.expand_dims(np.asarray(obj), 0) if axis == 0 else np.expand_dims(head(obj), axis)
    if verb == "keep_channels":  # core/moves/data.py drop_channel
        return np.asarray(head(obj))[..., : fix.op[1]]
    if verb == "reshape":
        return _prefix(obj, tuple(fix.op[1]))
    if verb == "reshape_transpose":
        return np.transpose(_prefix(obj, tuple(fix.op[1])), fix.op[2])
    if verb == "transpose":
        return np.transpose(head(obj), fix.op[1])
    if verb == "squeeze":
        return np.squeeze(head(obj), axis=fix.op[1])
    if verb == "repeat":
        return np.repeat(head(obj), fix.op[1], axis=fix.op[2])
    if verb == "window":
        t = fix.op[2]
        rows = np.asarray(head(obj, t + SLICE - 1))
        return np.lib.stride_tricks.sliding_window_view(rows, t, axis=0).transpose(0, 2, 1)[:SLICE]
    if verb == "split_windows":
        steps = fix.op[1]
        first = np.asarray(head(obj, 1))
        return first.reshape(-1, steps, first.shape[-1])[:SLICE]
    if verb == "blocks":
        t, f = fix.op[1], fix.op[2]
        return np.asarray(head(obj, t * SLICE)).reshape(SLICE, t, f)
    if verb == "resize":  # TensorFlow's only where it is the backend (keras.ops.image.resize calls it there)
        from .backend import to_numpy

        keras = sys.modules.get("keras")
        image = getattr(getattr(keras, "ops", None), "image", None)
        if image is None:  # Keras 2 (tf-keras): TensorFlow is the framework
            import tensorflow as tf

            return tf.image.resize(head(obj), (fix.op[1], fix.op[2])).numpy()
        return to_numpy(image.resize(head(obj), (fix.op[1], fix.op[2])))
    if verb == "pad_sequences":
        pad_sequences = keras_for().utils.pad_sequences  # the Keras imported (Keras 2 too)

        maxlen, dtype = fix.op[1], fix.op[2]
        if maxlen is None:  # the fix's code pads to the longest sequence of all, not of the slice
            maxlen = max((len(seq) for seq in obj), default=0)
        return pad_sequences(head(obj), padding="post", dtype=dtype, maxlen=maxlen, truncating="post")
    raise ValueError("no slice transform for %r" % (verb,))


class _VerifyKerashape:
    """What the name ``kerashape`` means inside verification.

    ``rebuild`` is the real :func:`kerashape_magic.actions.rebuild` (it builds a new model
    and never changes the old one) and ``rejected_layer`` the real
    :func:`kerashape_magic.facts.rejected_layer` (it only reads); ``reset`` does nothing,
    because it only clears caches of the user's model, which verification must not touch
    (Apply runs the real one).
    """

    def __init__(self) -> None:
        from . import actions, facts

        self.rebuild = actions.rebuild
        self.rejected_layer = facts.rejected_layer

    @staticmethod
    def reset(model: Any) -> Any:
        return model


#: Ops that run Python: a ``py_function`` / ``numpy_function`` in a ``map``, or the generator
#: behind ``from_generator`` (tensorflow/python/ops/script_ops.py,
#: tensorflow/python/data/ops/from_generator_op.py).
_PYTHON_OPS = ("PyFunc", "EagerPyFunc", "PyFuncStateless")


def _generator_of(fn: Any, depth: int = 0) -> Any:
    """The user's generator callable behind one of ``from_generator``'s own py_funcs, or None
    (found in the closures of from_generator's nested functions, a few levels deep)."""
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        state = getattr(value, "__self__", value)
        if hasattr(state, "_generator"):
            return state._generator
        if depth < 3 and callable(value) and getattr(value, "__closure__", None):
            found = _generator_of(value, depth + 1)
            if found is not None:
                return found
    return None


def _python_rereadable(node: Any) -> bool:
    """Whether the Python behind one py_func node can run again without side effects.

    ``from_generator``'s callable is called afresh for every pass over the dataset: a plain
    function or lambda that builds a new iterator (``lambda: zip(xs, ys)``) reads the same data
    again; a generator function runs the user's code (which may count, append, read a file)
    and a callable that hands back an existing iterator would be consumed. A ``py_function``
    in a ``map`` is the user's code: never run for verification.
    """
    import inspect

    from tensorflow.python.ops import script_ops

    try:
        fn = script_ops._py_funcs.get(node.attr["token"].s.decode())
    except Exception:
        return False
    qualname = getattr(fn, "__qualname__", "")
    if "_from_generator" not in qualname and "_GeneratorState" not in qualname:
        return False
    if "get_next_id" in qualname or "finalize" in qualname:
        return True  # from_generator's own bookkeeping
    gen = _generator_of(fn)
    if gen is None or inspect.isgeneratorfunction(gen) or not inspect.isfunction(gen):
        return False
    code = gen.__code__
    names = list(code.co_names) + list(code.co_freevars)
    scope = dict(gen.__globals__)
    for name, cell in zip(code.co_freevars, gen.__closure__ or ()):
        try:
            scope[name] = cell.cell_contents
        except ValueError:
            return False
    return not any(hasattr(scope.get(n), "__next__") for n in names)  # a one-shot iterator


def rereadable(ds: Any, limit: int = 64) -> bool:
    """Whether reading ``ds`` again is free of side effects: every function on its chain of
    ``_input_dataset`` parents is TensorFlow's own, or ``from_generator`` over a callable
    that builds a fresh iterator (see :func:`_python_rereadable`). Read from the dataset's
    function graphs; nothing is iterated."""
    n = 0
    while ds is not None and n < limit:
        for attr in ("_map_func", "_predicate", "_func", "_reduce_func", "_key_func"):
            fn = getattr(ds, attr, None)
            graph = getattr(getattr(fn, "function", None), "graph", None)
            if graph is None:
                continue
            try:
                gd = graph.as_graph_def()
                nodes = list(gd.node) + [nd for f in gd.library.function for nd in f.node_def]
            except Exception:
                return False
            if any(nd.op in _PYTHON_OPS and not _python_rereadable(nd) for nd in nodes):
                return False
        ds, n = getattr(ds, "_input_dataset", None), n + 1
    return n < limit


def _check_rereadable(gathered: Gathered) -> None:
    for obj in list(gathered.objects.values()) + [
        gathered.namespace.get(d.name) for d in gathered.facts.data if d.name
    ]:
        if obj is not None and _is_dataset(obj) and not rereadable(obj):
            raise Unverifiable(
                "verifying would consume your data: the dataset runs your Python code (a generator "
                "function, a one-shot iterator or a py_function), so kerashape does not read it"
            )


#: Elements read from each user dataset during the current diagnosis (issue 10, item 7: a
#: dataset is read at most once per diagnosis, however many fixes are tried).
_read: Dict[int, Tuple[Any, list]] = {}


def _refuses(owner: Any, attr: str) -> str:
    """Why ``owner.attr = value`` would raise, read without running the user's code; ``""`` if not."""
    import dataclasses
    import inspect

    if isinstance(owner, type) or inspect.ismodule(owner):
        return ""
    cls = type(owner)
    raw = inspect.getattr_static(cls, attr, None)
    if isinstance(raw, property):
        return "" if raw.fset is not None else "is a read-only property"
    if dataclasses.is_dataclass(owner) and getattr(cls, "__dataclass_params__").frozen:
        return "cannot be assigned (%s is a frozen dataclass)" % cls.__name__
    if isinstance(owner, tuple) and raw is not None and hasattr(type(raw), "__set__"):
        return "is a read-only field (%s is a namedtuple)" % cls.__name__
    if raw is None and not hasattr(owner, "__dict__") and cls.__setattr__ is object.__setattr__:
        return "cannot be assigned (%s has __slots__ without it)" % cls.__name__
    return ""


def read_only_target(code: str, ns: Dict[str, Any]) -> str:
    """Why an attribute the fix's ``code`` assigns (``h.X = ...``, ``self.data = ...``) cannot
    be assigned in the user's namespace ``ns``, or ``""``: a property without a setter, a frozen
    dataclass, a namedtuple field, a ``__slots__`` class without that slot. Apply would raise
    there, so such a fix is never verified. Owners are read with
    :func:`kerashape_magic.facts.static_attr` (no property of the user's runs).
    """
    from .facts import static_attr

    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        else:
            continue
        for target in targets:
            for el in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                if not isinstance(el, ast.Attribute):
                    continue
                chain, base = [], el.value
                while isinstance(base, ast.Attribute):
                    chain.insert(0, base.attr)
                    base = base.value
                if not isinstance(base, ast.Name) or base.id not in ns:
                    continue
                ok, owner = True, ns[base.id]
                for part in chain:
                    ok, owner = static_attr(owner, part)
                    if not ok:
                        break
                why = _refuses(owner, el.attr) if ok else ""
                if why:
                    return "`%s` %s: assign a new variable instead (and pass it to the call)" % (
                        ast.unparse(el),
                        why,
                    )
    return ""


def elements(ds: Any, n: int = SLICE) -> list:
    """The first ``n`` elements of ``ds`` (at most :data:`SLICE`), read once per diagnosis."""
    key = id(ds)
    if key not in _read:
        _read[key] = (ds, list(ds.take(SLICE)))
    return _read[key][1][:n]


def replay(ds: Any, n: int) -> Any:
    """A dataset of ``ds``'s first ``n`` elements, replayed from :func:`elements`: fix code
    (``ds.map(...)``, ``ds.batch(32)``, ``ds.unbatch()``) runs on it without reading ``ds`` again."""
    import tensorflow as tf

    items = elements(ds, n)
    if not items:
        raise Unverifiable("the dataset is empty")
    out = tf.data.Dataset.from_tensors(items[0])
    for item in items[1:]:
        out = out.concatenate(tf.data.Dataset.from_tensors(item))
    return out


def slice_like(obj: Any, n: int) -> Any:
    """The first ``n`` samples of ``obj`` in its own container: a DataFrame stays a
    DataFrame, a tensor a tensor, a list a list, a ``tf.data.Dataset`` becomes its first
    element (``take(1)``); arrays are copied, so fix code can never write into the user's."""
    if hasattr(obj, "iloc"):
        return obj.iloc[:n].copy()
    if isinstance(obj, (list, tuple)):
        return type(obj)(obj[:n])
    if _is_dataset(obj):
        return replay(obj, 1)
    np = _np()
    if isinstance(obj, np.ndarray):
        return np.array(obj[:n])
    if hasattr(obj, "shape") and hasattr(obj, "__getitem__"):
        return obj[:n]
    return obj


def _assigned(code: str) -> set:
    """The names ``code`` assigns (``X = ...``, ``X, y = ...``)."""
    return {
        node.id
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _copy(obj: Any) -> Any:
    """A copy of a small object (one sample) that fix code may rebind or write into."""
    np = _np()
    return np.array(obj) if isinstance(obj, np.ndarray) else obj


def _rows_for(fix: Fix, name: str) -> int:
    """How many leading rows of ``name`` the slice keeps for ``fix`` (its own samples)."""
    verb = fix.op[0] if fix.op else ""
    if verb == "window":  # x and its per-row labels alike: the windows' rows
        return int(fix.op[2]) + SLICE - 1
    if name != fix.target:
        return 1 if verb == "split_windows" else SLICE
    if verb == "expand_dims" and (fix.op[1] == 0 or (isinstance(fix.op[1], tuple) and 0 in fix.op[1])):
        return 0  # one sample without its batch axis: the whole object, never a slice of it
    if verb == "split_inputs" and fix.op[2] == 0:
        return 0  # the inputs stacked on the batch axis: the whole object (one sample per input)
    if verb == "split_windows":
        return 1
    return SLICE * max(int(fix.sample_rows), 1)


def run_fix_code(fix: Fix, gathered: Gathered) -> Dict[str, Any]:
    """Run ``fix.code`` — exactly what Apply runs — with the user's data names bound to
    slices of their first samples, in a copy of the user's namespace.

    Returns:
        The namespace after the code ran: the names the fix rebinds hold the fixed slices
        (or the rebuilt model).

    Raises:
        Whatever the code raises on the slice.
    """
    import builtins

    ns = dict(gathered.namespace)
    reads = {
        node.id
        for node in ast.walk(ast.parse(fix.code))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    for d in gathered.facts.data:
        if d.name and d.name.isidentifier() and d.name in ns and d.name in reads:
            rows = _rows_for(fix, d.name)
            obj = ns[d.name]
            ns[d.name] = slice_like(obj, rows) if rows else _copy(obj)
    for name in reads:  # another dataset the code reads (the one a batched dataset came from)
        if name in ns and _is_dataset(ns[name]) and not any(d.name == name for d in gathered.facts.data):
            if not rereadable(ns[name]):
                raise Unverifiable("verifying would consume your data: `%s` runs your Python code" % name)
            ns[name] = replay(ns[name], SLICE)
    proxy = _VerifyKerashape()
    real_import = builtins.__import__

    def _import(name: str, *args: Any, **kwargs: Any) -> Any:
        return proxy if name == "kerashape" else real_import(name, *args, **kwargs)

    ns["__builtins__"] = dict(vars(builtins), __import__=_import)
    alias = gathered.facts.alias("kerashape") or "kerashape"
    ns[alias] = proxy
    exec(compile(fix.code, "<kerashape verify: %s>" % fix.kind, "exec"), ns)
    return ns


def _as_arrays(element: Any) -> Tuple[Any, Any]:
    """``(x, y)`` of one dataset element, as NumPy arrays (``y`` None when absent)."""
    if isinstance(element, (tuple, list)):
        return _numpy(element[0]), (_numpy(element[1]) if len(element) > 1 else None)
    return _numpy(element), None


def _numpy(t: Any) -> Any:
    if isinstance(t, dict):
        return {k: _numpy(v) for k, v in t.items()}
    return t.numpy() if hasattr(t, "numpy") else t


def _loss_fn(model: Any) -> Any:
    cfg = getattr(getattr(model, "_compile_config", None), "config", None)
    loss = cfg.get("loss") if isinstance(cfg, dict) else getattr(model, "loss", None)
    if loss is None or isinstance(loss, (list, dict)):
        return None
    keras = keras_for(model)  # the model's own Keras (a Keras 2 model: tf_keras's losses)
    return keras.losses.get(loss) if isinstance(loss, str) else loss


def _align_ranks(ys: Any, out: Any) -> Any:
    """As Keras's compiled loss does (squeeze_or_expand_to_same_rank in
    keras/src/losses/loss.py): labels (N,) meet an output (N, 1), and the other way."""
    np = _np()
    ys = np.asarray(ys)
    out_rank = len(out.shape)
    if ys.ndim == out_rank - 1 and out.shape[-1] == 1:
        return np.expand_dims(ys, -1)
    if ys.ndim == out_rank + 1 and ys.shape[-1] == 1:
        return np.squeeze(ys, -1)
    return ys


def _loss_name(fn: Any) -> str:
    name = getattr(fn, "name", None) or getattr(fn, "__name__", None) or type(fn).__name__
    return str(name)


def _builtin_loss(fn: Any) -> bool:
    """A loss Keras ships (a name resolved by ``keras.losses.get`` or one of its classes)."""
    module = getattr(fn, "__module__", None) or type(fn).__module__
    return str(module).split(".")[0] in ("keras", "tf_keras", "tensorflow")


#: Keras losses whose labels have another shape than the output by design (keras/src/losses/
#: losses.py, Keras 3.15: ``CTC`` takes label sequences against per-timestep scores, ``Circle``
#: class ids against embeddings): not judged by :func:`shapes_disagree`.
_OTHER_SHAPED_LABELS = ("ctc", "circle")


def shapes_disagree(ys: Any, out: Any, fn: Any) -> str:
    """Why labels ``ys`` and the model output ``out`` do not agree exactly, or ``""``.

    Exactly what Keras itself lines up is allowed (keras/src/losses/loss.py,
    ``squeeze_or_expand_to_same_rank``, Keras 3.15: when the ranks differ by one and the longer
    one ends with a size-1 axis, that axis is dropped), and a sparse loss's labels hold one class
    id per position of the output without its class axis (keras/src/losses/losses.py
    ``sparse_categorical_crossentropy``: ``(N,)`` or ``(N, 1)`` for ``(N, K)``). Anything else the
    loss would only broadcast (an output ``(2, 1, 1)`` against labels ``(2,)``) is a disagreement:
    the re-run would train on a wrong pairing without an error. Custom losses are not judged.

    Example:
        >>> import numpy as np, keras
        >>> mse = keras.losses.get("mse")
        >>> shapes_disagree(np.zeros(2), np.zeros((2, 1)), mse)
        ''
        >>> shapes_disagree(np.zeros(2), np.zeros((2, 1, 1)), mse)[:28]
        'the output (2, 1, 1) and the'
        >>> sparse = keras.losses.get("sparse_categorical_crossentropy")
        >>> shapes_disagree(np.zeros((2, 1)), np.zeros((2, 5)), sparse)
        ''
    """
    if fn is None or not _builtin_loss(fn) or _loss_name(fn).lower() in _OTHER_SHAPED_LABELS:
        return ""
    y_shape = tuple(getattr(ys, "shape", None) or _np().shape(ys))
    o_shape = tuple(getattr(out, "shape", ()))
    want = o_shape
    if "sparse" in _loss_name(fn).lower() and o_shape:
        want = o_shape[:-1]
        if len(y_shape) == len(o_shape) and y_shape[-1:] == (1,):
            y_shape = y_shape[:-1]
    elif len(y_shape) == len(o_shape) - 1 and o_shape[-1:] == (1,):
        want = o_shape[:-1]
    elif len(y_shape) == len(o_shape) + 1 and y_shape[-1:] == (1,):
        y_shape = y_shape[:-1]
    if tuple(int(d) for d in y_shape) == tuple(int(d) for d in want if d is not None):
        return ""
    return (
        "the output %s and the labels %s do not agree (the loss would only broadcast them, pairing the "
        "wrong values)" % (o_shape, tuple(getattr(ys, "shape", ()) or y_shape))
    )


def _all_inputs(gathered: Gathered, fixed_fact: Any, fixed: Any) -> Any:
    """The model's whole input for the first samples: every input's slice, the fixed one replaced."""
    elements = [d for d in gathered.facts.data if d.input_key is not None]
    slices = {}
    for d in elements:
        obj = gathered.objects.get(d.name or d.source)
        slices[d.input_key] = fixed if d is fixed_fact else head(obj)
    if all(k.isdigit() for k in slices):
        return [slices[k] for k in sorted(slices, key=int)]
    return slices


def _recurrent(model: Any, depth: int = 0) -> bool:
    """True when a layer of ``model`` (or of a model nested in it) is a Keras RNN
    (``LSTM``, ``GRU``, ``SimpleRNN``, ``ConvLSTM*``, ``RNN(cell)``) or a ``Bidirectional``."""
    for layer in getattr(model, "layers", None) or ():
        if hasattr(layer, "forward_layer") or any(c.__name__ == "RNN" for c in type(layer).__mro__):
            return True
        if depth < 4 and getattr(layer, "layers", None) and _recurrent(layer, depth + 1):
            return True
    return False


#: Layers whose computation is not all in their config and weights: a Python function
#: (``Lambda``), a saved or foreign module, a layer from another framework.
_OPAQUE_LAYERS = frozenset({"Lambda", "TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"})
_SHAREABLE_MODELS = frozenset({"Functional", "Sequential"})
#: The keys under which a Keras 3 model config names layers (keras/src/models/functional.py).
_NAMING_KEYS = frozenset({"name", "keras_history", "input_layers", "output_layers"})

#: At most this many traced graphs are kept (a few per architecture and slice shape).
GRAPH_CACHE_SIZE = 32

#: (architecture, slice signature) -> a ``ConcreteFunction`` of ``stateless_call``; see :func:`_infer`.
_shared_graphs: "OrderedDict[Tuple[str, str], Any]" = OrderedDict()

#: model -> (its layers' and variables' ids, a ``tf.function`` calling it): models whose
#: graph cannot be shared with another model (see :func:`architecture_key`).
_graphs: "weakref.WeakKeyDictionary[Any, Tuple[tuple, Any]]" = weakref.WeakKeyDictionary()


def _layers(model: Any) -> list:
    flatten = getattr(model, "_flatten_layers", None)
    if flatten is None:
        return list(getattr(model, "layers", None) or ())
    return list(flatten(include_self=False, recursive=True))


def architecture_key(model: Any) -> Optional[str]:
    """A text that two Keras models share exactly when the same graph computes both of
    them from their weights; ``None`` when kerashape cannot tell that from the outside.

    The key is the model's ``get_config()`` (JSON, keys sorted) with every layer name
    replaced by its position (a re-run notebook cell creates ``lstm_1`` where ``lstm`` was)
    and the shapes and dtypes of its weights in order. It is given only for a
    ``Functional`` or ``Sequential`` model whose layers are all Keras's own classes and none
    of them a ``Lambda`` or another wrapper of outside code: for those, the config and the
    weights are the whole computation (``keras/src/models/functional.py`` rebuilds a model
    from exactly that config). Subclassed models and custom layers get ``None``.
    """
    if type(model).__name__ not in _SHAREABLE_MODELS or not type(model).__module__.startswith("keras."):
        return None
    layers = _layers(model)
    for layer in layers:
        cls = type(layer)
        if not cls.__module__.startswith("keras.") or cls.__name__ in _OPAQUE_LAYERS:
            return None
    names = {layer.name: "<layer %d>" % i for i, layer in enumerate(layers)}
    names[model.name] = "<model>"

    def anonymous(value: Any, naming: bool = False) -> Any:
        # only where a config names a layer: its "name", and the (layer name, node, tensor)
        # references of "keras_history", "input_layers" and "output_layers"; an activation
        # "relu" stays "relu" even in a model that has a layer named "relu"
        if isinstance(value, str):
            return names.get(value, value) if naming else value
        if isinstance(value, dict):
            return {k: anonymous(v, naming or k in _NAMING_KEYS) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [anonymous(v, naming) for v in value]
        return value

    try:
        config = json.dumps(anonymous(model.get_config()), sort_keys=True, default=_no_json)
    except Exception:  # a config that cannot be written out: no key, no sharing
        return None
    weights = [(tuple(w.shape), str(w.dtype), bool(w.trainable)) for w in model.weights]
    return "%s.%s %s %r" % (type(model).__module__, type(model).__name__, config, weights)


def _no_json(value: Any) -> Any:
    raise TypeError("not JSON: %s" % type(value).__name__)


def _input_specs(model: Any, xs: Any) -> Any:
    """``tf.TensorSpec`` s for ``xs`` (a tensor, a list or a dict of tensors, as the model
    takes them) with ``None`` wherever the model's own input declares ``None``: the batch
    axis, and free ``timesteps`` (``keras.Input((None, 3))``). A graph traced for these
    specs runs every slice the model accepts, whatever its length (seed 003's padded
    batches are as long as their longest sequence). An input the specs cannot be matched
    to keeps its exact shape, batch axis aside."""
    import tensorflow as tf

    inputs = list(getattr(model, "inputs", None) or ())
    by_name = {getattr(t, "name", None): t for t in inputs}

    def spec(x: Any, declared: Any) -> Any:
        shape = list(x.shape)
        dims = list(getattr(declared, "shape", ()) or ())
        if len(dims) == len(shape):
            shape = [None if d is None else s for s, d in zip(shape, dims)]
        elif shape:
            shape[0] = None
        return tf.TensorSpec(shape, x.dtype)

    if isinstance(xs, dict):
        return {k: spec(v, by_name.get(k)) for k, v in xs.items()}
    if isinstance(xs, (list, tuple)):
        return [spec(x, inputs[i] if i < len(inputs) else None) for i, x in enumerate(xs)]
    return spec(xs, inputs[0] if len(inputs) == 1 else None)


@contextlib.contextmanager
def _unoptimised_calls() -> Iterator[None]:
    """Function calls in this block skip TensorFlow's graph optimiser (Grappler).

    The first call of a traced function optimises its graph: ~35 ms for an LSTM on 2
    cores, half of it spent to save microseconds on a 2-sample slice. The option is
    TensorFlow's per-call ``FunctionCallOptions(config_proto=...)`` (its docstring:
    "the config used by Grappler when optimizing the function graph"), set on this thread
    for this block only and put back after it; the user's own functions are not touched.
    Where that internal API is missing, calls run as usual.
    """
    try:
        from tensorflow.core.protobuf import config_pb2
        from tensorflow.python.eager import context

        ctx = context.context()
        before = ctx.function_call_options
        config = config_pb2.ConfigProto()
        config.ParseFromString(before.config_proto_serialized or b"")
        config.graph_options.rewrite_options.disable_meta_optimizer = True
        ctx.function_call_options = context.FunctionCallOptions(
            executor_type=before.executor_type, config_proto=config
        )
    except Exception:  # another TensorFlow: optimise as usual
        yield
        return
    try:
        yield
    finally:
        ctx.function_call_options = before


def _pandas_as_numpy(xs: Any) -> Any:
    """A pandas DataFrame or Series (also inside a list, tuple or dict) as the NumPy array
    ``fit`` / ``predict`` make of it (keras/src/trainers/data_adapters/data_adapter_utils.py;
    tf_keras/src/engine/data_adapter.py ``_process_tensorlike``): calling a model on the slice
    directly must see what the user's own call sees. Keras 2's ``model(df)`` raises otherwise."""
    if type(xs) is dict and any(_is_pandas(v) for v in xs.values()):
        return {k: _pandas_as_numpy(v) for k, v in xs.items()}
    if type(xs) in (list, tuple) and any(_is_pandas(v) for v in xs):
        return type(xs)(_pandas_as_numpy(v) for v in xs)
    if _is_pandas(xs):
        return xs.to_numpy()
    return xs


def _is_pandas(obj: Any) -> bool:
    return (type(obj).__module__ or "").split(".", 1)[0] == "pandas" and hasattr(obj, "to_numpy")


def _infer(candidate: Any, xs: Any) -> Any:
    """``candidate(xs, training=False)``: the real model on the real slice, in inference mode.

    A Keras RNN called eagerly runs its cell once per timestep in Python: on 2 cores an
    LSTM costs ~3.5 ms per timestep (0.09 s over 24, 4-8 s over 1440, seed 003). Traced
    into a graph, the same call costs a constant ~0.1 s to trace and then 2-5 ms. So a built
    model with a recurrent layer, on the TensorFlow backend, outside a ``tf.distribute``
    scope, is called through a graph of ``model.stateless_call`` (Keras's own pure call,
    ``keras/src/layers/layer.py``: the weights go in as values, nothing is written back):

    * when :func:`architecture_key` vouches for the model, the graph is traced once per
      architecture and slice signature and kept (the last :data:`GRAPH_CACHE_SIZE`), and any
      model of that architecture runs through it with its own current weights: a notebook
      re-run, a rebuilt candidate, the same model before and after training. The traced
      graph must capture nothing of the model it was traced from (no variable, no lookup
      table), or it is not shared;
    * otherwise one ``tf.function`` per model object is kept, weakly, as long as the model
      keeps its layers and variables.

    Other models, and models that are not built yet (they build on this call), are called
    eagerly; so is a model whose graph cannot be traced, so that the verdict and its message
    are always Keras's own.
    """
    xs = _pandas_as_numpy(xs)
    flavour = flavour_of(candidate)  # Keras 3 on TensorFlow, or Keras 2 (tf_keras: a tf.function per model)
    if (
        "tensorflow" not in sys.modules
        or flavour is None
        or flavour.backend != "tensorflow"
        or not getattr(candidate, "built", False)
        or not _recurrent(candidate)
    ):
        from .backend import jax_call, keras_backend, on_slices

        if keras_backend() == "jax" and getattr(candidate, "built", False):
            try:  # one compiled program instead of one XLA compilation per op (backend.jax_call)
                return jax_call(candidate, xs, architecture_key(candidate))
            except Exception:  # Keras's own eager call gives the verdict and its message
                pass
        with on_slices():  # PyTorch runs eagerly, without autograd
            return candidate(xs, training=False)
    import tensorflow as tf

    from .actions import _strategy_of

    if tf.distribute.has_strategy() or _strategy_of(candidate) is not None:  # tf.distribute: eagerly
        return candidate(xs, training=False)
    xs = tf.nest.map_structure(tf.convert_to_tensor, xs)
    arch = architecture_key(candidate)
    if arch is not None:
        trainable = [tf.convert_to_tensor(v.value) for v in candidate.trainable_variables]
        frozen = [tf.convert_to_tensor(v.value) for v in candidate.non_trainable_variables]
        specs = _input_specs(candidate, xs)
        key = (arch, repr(specs))
        graph = _shared_graphs.get(key)
        if graph is None:
            template = candidate  # only while tracing: the graph does not keep it

            def call(trainable: Any, frozen: Any, xs: Any) -> Any:
                return template.stateless_call(trainable, frozen, xs, training=False)[0]

            try:
                graph = tf.function(call, autograph=False).get_concrete_function(trainable, frozen, specs)
            except Exception:  # let Keras's own eager call give the verdict (and its message)
                return candidate(xs, training=False)
            finally:
                del template
            if not graph.captured_inputs:
                _shared_graphs[key] = graph
                while len(_shared_graphs) > GRAPH_CACHE_SIZE:
                    _shared_graphs.popitem(last=False)
        else:
            _shared_graphs.move_to_end(key)
        with _unoptimised_calls():
            return graph(trainable, frozen, xs)

    key = (tuple(id(layer) for layer in candidate.layers), tuple(id(v) for v in candidate.weights))
    try:
        entry = _graphs.get(candidate)
    except TypeError:  # an unhashable model: trace it for this call only
        entry = None
    if entry is None or entry[0] != key:
        model_ref = weakref.ref(candidate)
        entry = (key, tf.function(lambda x: model_ref()(x, training=False), autograph=False))
        try:
            _graphs[candidate] = entry
        except TypeError:
            pass
    with _unoptimised_calls():
        return entry[1](xs)


def fresh_copy(model: Any, xs: Any) -> Any:
    """``actions.rebuild(model)``, built for the slice ``xs`` when it would build lazily.

    A Sequential model without an ``Input`` (or one a failed call left configured for the
    wrong shape) is never called by verify; its rebuilt copy is, exactly as applying the fix
    creates it. A copy that builds on its first call is built here instead, for
    ``(None,) + xs.shape[1:]`` (``Sequential.build``, what that first call would do), so
    that it can run through the graph :func:`_infer` keeps. Raises what the build raises.
    """
    from . import actions

    candidate = actions.rebuild(model)
    shape = getattr(xs, "shape", None)
    if not getattr(candidate, "built", False) and shape is not None and len(shape) >= 1:
        candidate.build((None,) + tuple(shape[1:]))
    return candidate


def _check_model(candidate: Any, xs: Any, ys: Any, loss_model: Any) -> str:
    from .actions import _strategy_of

    strategy = _strategy_of(candidate)
    if strategy is not None:  # verify where the model lives (tf.distribute)
        with strategy.scope():
            return (
                _run_model(candidate, xs, ys, loss_model)
                + ", in the model's %s scope" % type(strategy).__name__
            )
    return _run_model(candidate, xs, ys, loss_model)


def _losses(model: Any) -> Any:
    """The compiled loss per output of a multi-output model (a list), or None."""
    cfg = getattr(getattr(model, "_compile_config", None), "config", None)
    loss = cfg.get("loss") if isinstance(cfg, dict) else getattr(model, "loss", None)
    if isinstance(loss, dict):
        names = list(getattr(model, "output_names", None) or [])
        loss = [loss.get(n) for n in names] if names and all(n in loss for n in names) else None
    if not isinstance(loss, (list, tuple)):
        return None
    keras = keras_for(model)
    return [keras.losses.get(v) if isinstance(v, str) else v for v in loss]


def _run_model(candidate: Any, xs: Any, ys: Any, loss_model: Any) -> str:
    from .backend import loss_backward, to_numpy

    out = _infer(candidate, xs)
    if isinstance(out, (list, tuple)):  # several outputs: one label array each, as CompileLoss pairs them
        note = "outputs %s" % ", ".join(str(tuple(getattr(o, "shape", ()))) for o in out)
        fns = _losses(loss_model)
        if ys is not None:
            if not isinstance(ys, (list, tuple)) or len(ys) != len(out):
                raise ValueError(
                    "the model has %d outputs but the labels are not a list of %d" % (len(out), len(out))
                )
            if fns is not None and len(fns) == len(out):
                for fn, y_i, o in zip(fns, ys, out):
                    if fn is not None:
                        why = shapes_disagree(y_i, o, fn)
                        if why:
                            raise ValueError(why)
                        to_numpy(fn(_align_ranks(y_i, o), o))
                        loss_backward(fn, _align_ranks(y_i, o), o)
                note += ", each output's loss computed on its labels"
        return note
    shape = tuple(getattr(out, "shape", ()))
    note = "output %s" % (shape,)
    if ys is not None:
        fn = _loss_fn(loss_model)
        if fn is not None:
            why = shapes_disagree(ys, out, fn)
            if why:
                raise ValueError(why)
            value = fn(_align_ranks(ys, out), out)
            to_numpy(value)  # forces evaluation; a PyTorch loss is detached first
            loss_backward(fn, _align_ranks(ys, out), out)  # PyTorch: its gradient too, as fit needs
            note += ", loss computed on the labels"
    return note


def _rerun_constructor(gathered: Gathered, fix: Fix, fixed: Any) -> str:
    """Re-run a data-constructor call with every data argument cut to its first samples."""
    node = gathered.call_node
    if node is None or gathered.facts.call.method not in DATA_CONSTRUCTORS:
        raise Unverifiable("no model and no data constructor to try the fix on")
    ns = dict(gathered.namespace)
    for d in gathered.facts.data:
        if d.name and d.name in ns:
            ns[d.name] = head(ns[d.name])
    ns[fix.target] = fixed
    expr = ast.Expression(body=node)
    ast.fix_missing_locations(expr)
    result = eval(compile(expr, "<kerashape verify>", "eval"), ns)
    return "re-ran %s on the first %d samples: %s" % (
        gathered.facts.call.source,
        SLICE,
        type(result).__name__,
    )


def structured_rebuild_input(fix: Fix, model: Any) -> Any:
    """The copy a ``rebuild_input`` / ``rebuild_batch`` fix makes of ``model``, from ``fix.op``
    (when the model's variable is not a plain name the fix's code can rebind).
    tests/test_verify_contract.py proves it equals running the fix's own code."""
    from . import actions

    if fix.op[0] == "rebuild_batch":
        return actions.rebuild(model, batch_size=fix.op[1])
    if fix.op[2:3] == (True,):  # the layer a failed add was given (Keras 2), added back
        from .facts import rejected_layer

        return actions.rebuild(model, tuple(fix.op[1]), add=rejected_layer(model))
    return actions.rebuild(model, tuple(fix.op[1]))


def padded_element(fix: Fix, source: Any) -> Any:
    """The first batch a ``padded_batch`` fix makes of the first :data:`SLICE` elements of the
    dataset ``source`` (replayed, never consumed)."""
    return next(iter(replay(source, SLICE).padded_batch(SLICE).take(1)))


#: verb -> function(fix, gathered) returning a note; it raises when the fix does not work.
#: Modules that add fix kinds register their verifiers here (see ``register``).
VERIFIERS: Dict[str, Callable[[Fix, Gathered], str]] = {}


def register(verb: str) -> Callable[[Callable[[Fix, Gathered], str]], Callable[[Fix, Gathered], str]]:
    """Decorator: use this function to verify fixes whose ``op[0]`` is ``verb``.

    The function gets the fix and the gathered objects, must never change the user's model
    or data (work on slices and on rebuilt copies), returns a one-line note of what ran,
    and raises any exception when the fix does not work.
    """

    def deco(fn: Callable[[Fix, Gathered], str]) -> Callable[[Fix, Gathered], str]:
        VERIFIERS[verb] = fn
        return fn

    return deco


def verify_fix(fix: Fix, gathered: Gathered, diagnosis: Diagnosis) -> Fix:
    """Return ``fix`` marked verified (or not) with a note saying what ran."""
    model = gathered.model
    mf = gathered.facts.model
    model_name = mf.name if mf is not None else None
    y = gathered.objects.get("y")
    try:
        _check_rereadable(gathered)
        read_only = read_only_target(fix.code, gathered.namespace)
        if read_only:
            raise Unverifiable(read_only)
        verb = fix.op[0] if fix.op else ""
        if verb in VERIFIERS:
            return fix.with_verification(True, VERIFIERS[verb](fix, gathered))
        if verb in ("rebuild_input", "rebuild_batch"):
            x = gathered.objects.get("x")
            if model is None or x is None:
                raise Unverifiable("no model or data to try the rebuilt model on")
            if model_name and model_name.isidentifier() and "rebuild(" in fix.code:
                candidate = run_fix_code(fix, gathered)[model_name]  # the fix's own code
            else:
                candidate = structured_rebuild_input(fix, model)
            kept, total = getattr(candidate, "_kerashape_weights_kept", (0, 0))
            rows = fix.op[1] if verb == "rebuild_batch" and isinstance(fix.op[1], int) else SLICE
            note = _check_model(candidate, head(x, rows), head(y, rows) if y is not None else None, model)
            return fix.with_verification(
                True,
                "rebuilt a copy of the model (%d of %d weights kept) and ran it on %s[:%d]: %s"
                % (
                    kept,
                    total,
                    gathered.facts.role("x").source if gathered.facts.role("x") else "x",
                    rows,
                    note,
                ),
            )
        if verb == "padded_batch":
            source = gathered.namespace.get(fix.op[2])
            if source is None or model is None:
                raise Unverifiable("no dataset or model to try padded_batch on")
            element = padded_element(fix, source)
            xs, ys = (
                (element[0], element[1])
                if isinstance(element, (tuple, list)) and len(element) > 1
                else (element, None)
            )
            candidate = (
                model if getattr(model, "built", False) and not mf.lazy_configured else fresh_copy(model, xs)
            )
            note = _check_model(candidate, xs, ys, model)
            return fix.with_verification(
                True, "ran the model on one padded batch of %d elements: %s" % (SLICE, note)
            )
        target = gathered.namespace.get(fix.target) if fix.target else None
        if target is None:
            target = gathered.objects.get(fix.target or "x")
        if target is None:
            raise Unverifiable("the object %r was not found" % fix.target)
        fact = next((d for d in gathered.facts.data if d.name == fix.target), None)
        y_fact = gathered.facts.role("y")
        if fact is not None and fact.role == "val_x":
            y = gathered.objects.get("val_y")  # validation data pairs with validation labels
            y_fact = gathered.facts.role("val_y")
        ys_override = None
        ran_code = fix.target is not None and fix.target.isidentifier() and fix.target in gathered.namespace
        if ran_code:
            # the fix's own code, on slices of the user's names
            ns = run_fix_code(fix, gathered)
            fixed = ns[fix.target]
            if _is_dataset(fixed):  # one element (a batch): its first samples, x and y alike
                fixed, ys_override = _as_arrays(next(iter(fixed)))
                fixed = head(fixed)
                ys_override = head(ys_override) if ys_override is not None else None
            elif fact is not None and fact.role in ("y", "val_y"):
                # a label fix: the model runs on the data's slice, the fixed labels meet its output
                x_fact = gathered.facts.role("val_x" if fact.role == "val_y" else "x")
                ys_override = fixed
                if x_fact is not None and x_fact.name in ns and x_fact.name in _assigned(fix.code):
                    fixed = ns[x_fact.name]
                else:
                    fixed = head(gathered.objects.get("val_x" if fact.role == "val_y" else "x"))
            elif y_fact is not None and y_fact.name and y_fact.name in _assigned(fix.code):
                ys_override = ns[y_fact.name]  # the fix rewrote the labels too (windows)
        else:
            if _is_dataset(target):
                target, ys_override = _as_arrays(elements(target, 1)[0])
            fixed = transformed_slice(fix, target)
        if (
            fix.resulting_shape
            and y is not None
            and not (fact is not None and fact.role in ("y", "val_y"))
            and gathered.facts.role("y")
        ):
            ny = shape_of(y)
            if (
                ny
                and verb != "split_windows"
                and not (y_fact is not None and y_fact.name and "\n%s = " % y_fact.name in "\n" + fix.code)
                and fix.resulting_shape[0] is not None
                and ny[0] != fix.resulting_shape[0]
            ):
                raise ValueError(
                    "after the fix x has %d samples but y has %d" % (fix.resulting_shape[0], ny[0])
                )
        if model is None and verb in ("window", "blocks"):
            shape = tuple(fixed.shape)
            for mname, mshape in gathered.facts.models:
                if len(mshape) == len(shape) and all(
                    e is None or e == r for e, r in zip(mshape[1:], shape[1:])
                ):
                    candidate = gathered.namespace.get(mname)
                    note = _check_model(candidate, fixed, None, candidate)
                    return fix.with_verification(
                        True, "ran `%s` (input %s) on the first %d windows: %s" % (mname, mshape, SLICE, note)
                    )
            raise Unverifiable("no model in your namespace expects %s windows to try them on" % (shape[1:],))
        if model is None or gathered.facts.call.method in DATA_CONSTRUCTORS:
            return fix.with_verification(True, _rerun_constructor(gathered, fix, fixed))
        if ys_override is not None:  # already the slice's labels when the fix's code ran on slices
            ys = ys_override if ran_code else head(ys_override)
        else:
            ys = head(y) if y is not None else None
        if not ran_code and verb == "split_windows" and y is not None:  # windows share their label
            ys = _np().repeat(head(y, 1), fixed.shape[0], axis=0)
        if fact is not None and fact.input_key is not None:
            fixed = _all_inputs(gathered, fact, fixed)
        candidate = (
            model
            if getattr(model, "built", False) and not (mf and mf.lazy_configured)
            else fresh_copy(model, fixed)
        )
        note = _check_model(candidate, fixed, ys, model)
        where = (
            "the model"
            if candidate is model
            else "a fresh copy of the model (the original is unbuilt or was left configured by the failed "
            "call)"
        )
        return fix.with_verification(True, "ran %s on the fixed first %d samples: %s" % (where, SLICE, note))
    except Exception as exc:  # every failure means: not verified, and why
        msg = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        if "\x1b" in msg or "Exception encountered" in msg:
            from .core.messages import clean_message

            msg = clean_message(str(exc))[:300]
        if isinstance(exc, Unverifiable):
            return fix.with_verification(False, "not verified: %s" % msg)
        return fix.with_verification(False, "failed: %s: %s" % (type(exc).__name__, msg))


def verify(diagnosis: Diagnosis, gathered: Gathered) -> Diagnosis:
    """Verify every fix of ``diagnosis``, in its order (``core/rank.py`` orders them after).

    Needs TensorFlow/Keras only when there is a model or a dataset to try (they are
    imported then, lazily). Never changes the model's weights, its optimizer, or the
    user's objects.
    """
    if not diagnosis.fixes:
        return diagnosis
    from . import _state
    from . import facts as facts_mod
    from .backend import on_slices, tensorflow_kept_out

    _read.clear()
    checked = []
    # nothing here takes a gradient (PyTorch: no autograd graph to keep) or needs TensorFlow imported
    with on_slices(), tensorflow_kept_out():
        for f in diagnosis.fixes:
            if f.verification.startswith("ruled out:"):
                checked.append(f)
            elif not _state.verify_enabled:
                off = "not verified: verification is off (%kerashape verify on turns it on)"
                checked.append(f.with_verification(False, off))
            elif facts_mod.out_of_time():
                facts_mod.skip("verifying %r" % f.title)
                checked.append(
                    f.with_verification(False, "not verified: kerashape reached its time limit first")
                )
            else:
                checked.append(verify_fix(f, gathered, diagnosis))
    _read.clear()  # the elements hold the user's data: let them go with the diagnosis
    ran = [
        f for f in checked if f.verification and not f.verification.startswith(("ruled out:", "not verified"))
    ]
    own = user_layers(gathered.model) if ran else ()
    if own:
        listed = ", ".join("`%s`" % n for n in own[:4]) + (
            " and %d more" % (len(own) - 4) if len(own) > 4 else ""
        )
        note = (
            "Verification ran your model, including your own layer%s %s, on at most %d samples per fix (%d "
            "fix%s tried): your layer code ran that often. `%%kerashape verify off` turns verification off."
            % ("s" if len(own) > 1 else "", listed, SLICE, len(ran), "" if len(ran) == 1 else "es")
        )
        return replace(diagnosis, fixes=tuple(checked), notes=tuple(diagnosis.notes) + (note,))
    return replace(diagnosis, fixes=tuple(checked))


def user_layers(model: Any, limit: int = 200) -> Tuple[str, ...]:
    """Class names of the layers of ``model`` (nested models included) whose code is not
    Keras's own: defined in the user's notebook or another package (issue 10, item 9)."""
    found: list = []
    seen = 0
    stack = list(getattr(model, "layers", None) or ())
    while stack and seen < limit:
        layer = stack.pop(0)
        seen += 1
        module = type(layer).__module__ or ""
        if not module.startswith(("keras.", "keras", "tf_keras", "tensorflow")) or module == "__main__":
            name = type(layer).__name__
            if name not in found:
                found.append(name)
        inner = getattr(layer, "layers", None)
        if inner and module.startswith(("keras", "tf_keras")):
            stack.extend(inner)
    if model is not None and type(model).__module__ == "__main__":
        found.insert(0, type(model).__name__)
    return tuple(found)
