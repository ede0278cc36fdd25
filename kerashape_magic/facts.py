"""From an exception and its traceback to plain facts: the failing call, the objects, shapes.

The facts layer finds the user's frame in the traceback (the innermost frame whose globals
are the user's namespace), asks the ``executing`` library which call node was running
there (``model.fit(X_train, y_train)``), and resolves the model and data *by name* — a
plain variable or an attribute chain, never a call or any other expression, so nothing
the user wrote runs twice. It then reads shapes without copying data: ``.shape`` of
arrays, tensors and DataFrames, ``element_spec`` of a ``tf.data.Dataset``, the lengths of
a list of sequences, and what the model expects (``model.inputs``, or the first layer's
``input_spec`` for a Sequential model that builds on first call).

TensorFlow and Keras are touched only when they are already in ``sys.modules`` (an
object can only be a Keras model if Keras was imported).

Keras 3.15 facts used here (read from keras/src/models/sequential.py and measured): a
Sequential model given ``input_shape=`` holds an ``InputLayer`` as its first ``_layers``
entry and is built at construction; one without it stays unbuilt, and a failed first call
inserts an ``InputLayer`` for the rejected shape while ``built`` stays False.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import keyword
import sys
import threading
import time
import types
import weakref
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any, Dict, Iterator, List, Optional, Tuple

from .core.types import CallFact, DataFact, Facts, LayerFact, ModelFact, Shape
from .flavour import (
    flavour_of,
    imported,
    keras2_default_embedding_input,
    legacy_mode,
    module_package,
    package_of,
)

#: Methods of a Keras model whose first argument is the input data.
MODEL_METHODS = (
    "fit",
    "evaluate",
    "predict",
    "train_on_batch",
    "test_on_batch",
    "predict_on_batch",
    "__call__",
    "call",
)
#: Constructors that turn data into tensors or datasets (safe to re-run on slices).
DATA_CONSTRUCTORS = (
    "from_tensor_slices",
    "from_tensors",
    "constant",
    "convert_to_tensor",
    "array",
    "asarray",
)

_RAGGED_SCAN = 10_000  # at most this many list elements are inspected for their shapes

#: Seconds kerashape may spend explaining one error (facts, core and verification) before it
#: stops, shows what it has and says what it skipped; ``None`` means no limit. Read when a
#: diagnosis starts: ``kerashape_magic.facts.DEADLINE_S = 5`` allows more (issue 10).
DEADLINE_S: Optional[float] = 2.0


class DeadlineExceeded(BaseException):
    """Raised into a diagnosis that ran past :data:`DEADLINE_S` (never escapes the hook).

    A ``BaseException``, like ``KeyboardInterrupt``: the ``except Exception`` clauses that mark
    one fix as failed must not take kerashape's own time limit for the fix's failure.
    """


_clock = threading.local()


@contextlib.contextmanager
def diagnosis_clock(seconds: Any = "default") -> Iterator[None]:
    """Time one diagnosis: :func:`time_left` counts down from ``seconds`` (default :data:`DEADLINE_S`).

    Nested clocks share the outermost one (the hook starts it; :func:`gather` starts one when
    called alone). What the diagnosis skipped for lack of time is collected by
    :func:`skip` and read back with :func:`skipped`.
    """
    if getattr(_clock, "active", False):
        yield
        return
    limit = DEADLINE_S if seconds == "default" else seconds
    _clock.active = True
    _clock.end = None if limit is None else time.monotonic() + float(limit)
    _clock.limit = limit
    _clock.skipped = []
    _clock.gathered = None
    try:
        yield
    finally:
        _clock.active = False
        _clock.end = None
        _clock.gathered = None  # it holds the user's objects: let them go with the diagnosis


def time_left() -> Optional[float]:
    """Seconds left before the current diagnosis's deadline (``None``: no clock or no limit)."""
    end = getattr(_clock, "end", None)
    return None if end is None else end - time.monotonic()


def out_of_time() -> bool:
    """True when the current diagnosis has used up its :data:`DEADLINE_S`."""
    left = time_left()
    return left is not None and left <= 0


def skip(what: str) -> None:
    """Record that ``what`` was not done because the deadline passed (shown in the panel)."""
    if getattr(_clock, "active", False):
        _clock.skipped.append(what)


def skipped() -> Tuple[str, ...]:
    """What the current (or last) diagnosis skipped for lack of time."""
    return tuple(getattr(_clock, "skipped", ()) or ())


def last_gathered() -> "Optional[Gathered]":
    """The facts the current diagnosis on this thread gathered, if it got that far (else None)."""
    return getattr(_clock, "gathered", None)


@dataclass
class Gathered:
    """Facts plus the live objects they describe (kept in the hook, never in the core).

    Attributes:
        facts: the plain :class:`~kerashape_magic.core.types.Facts`.
        model: the Keras model object, if found.
        objects: name (or role) -> object, for every data object found.
        namespace: the namespace the call ran in (the frame's globals + locals).
        call_node: the ``ast.Call`` of the failing call, if found.
    """

    facts: Facts
    model: Any = None
    objects: Dict[str, Any] = field(default_factory=dict)
    namespace: Dict[str, Any] = field(default_factory=dict)
    call_node: Optional[ast.Call] = None


# --------------------------------------------------------------------------- shapes


def _dim(d: Any) -> Optional[int]:
    if d is None:
        return None
    try:
        return int(d)
    except (TypeError, ValueError):
        return None


def shape_of(obj: Any) -> Optional[Shape]:
    """Return the shape of ``obj``, batch axis first, without copying its data.

    Works for NumPy arrays (also ``np.memmap``), ``tf.Tensor``, pandas DataFrame/Series,
    Keras tensors, ``tf.data.Dataset`` (the first component of ``element_spec``), and
    rectangular lists of sequences. Returns ``None`` for ragged lists and anything else.

    Example:
        >>> import numpy as np
        >>> shape_of(np.zeros((100, 24, 1)))
        (100, 24, 1)
        >>> shape_of([[1, 2, 3], [4, 5, 6]])
        (2, 3)
        >>> shape_of([[1, 2], [3]]) is None
        True
    """
    if obj is None or isinstance(obj, (str, bytes)):
        return None
    spec = _element_spec(obj)
    if spec is not None:
        first = _first_spec(spec)
        shape = getattr(first, "shape", None)
        if shape is None:
            return None
        try:
            return tuple(_dim(d) for d in shape)
        except TypeError:  # unknown rank
            return None
    shape = getattr(obj, "shape", None)
    if shape is not None and not callable(shape):
        try:
            return tuple(_dim(d) for d in shape)
        except TypeError:
            return None
    if isinstance(obj, (list, tuple)):
        info = _sequence_info(obj)
        if info is not None and info[0] == "rect":
            return info[1]
    return None


def _element_spec(obj: Any) -> Any:
    if "tensorflow" not in sys.modules:
        return None
    if type(obj).__module__.startswith("tensorflow.python.data") or "Dataset" in type(obj).__name__:
        return getattr(obj, "element_spec", None)
    return None


def _first_spec(spec: Any) -> Any:
    while isinstance(spec, (tuple, list)) and spec:
        spec = spec[0]
    if isinstance(spec, dict) and spec:
        spec = next(iter(spec.values()))
    return spec


def _sequence_info(obj: Any) -> Optional[tuple]:
    """('rect', shape) or ('ragged', (count, min_len, max_len, trailing)) for a list."""
    n = len(obj)
    if n == 0:
        return ("rect", (0,))
    shapes = []
    for item in obj[:_RAGGED_SCAN]:
        s = shape_of(item) if not isinstance(item, (int, float, complex)) else ()
        if s is None:
            return None
        shapes.append(s)
    if all(s == shapes[0] for s in shapes):
        return ("rect", (n,) + tuple(shapes[0]))
    ranks = {len(s) for s in shapes}
    if len(ranks) == 1 and ranks != {0}:
        lengths = [s[0] for s in shapes if s[0] is not None]
        trailing = {s[1:] for s in shapes}
        if lengths and len(trailing) == 1:
            return ("ragged", (n, min(lengths), max(lengths), next(iter(trailing))))
    return ("ragged", (n, None, None, None))


def ragged_info(obj: Any) -> Optional[tuple]:
    """For a list of variable-length sequences: ``(count, min_len, max_len, trailing_shape)``.

    Example:
        >>> import numpy as np
        >>> ragged_info([np.zeros((5, 3)), np.zeros((7, 3))])
        (2, 5, 7, (3,))
    """
    if isinstance(obj, (list, tuple)):
        info = _sequence_info(obj)
        if info is not None and info[0] == "ragged":
            return info[1]
        return None
    if getattr(obj, "dtype", None) is not None and str(getattr(obj, "dtype", "")) == "object":
        try:
            return ragged_info(list(obj))
        except Exception:
            return None
    return None


def label_kind(obj: Any, max_values: int = 4096) -> Optional[Tuple[str, Optional[int]]]:
    """What labels look like: ``(kind, num_classes)``, from at most ``max_values`` values.

    Kinds: ``"class_indices"`` (integers 0..k-1; ``num_classes`` = max + 1 seen),
    ``"onehot"`` (rows of 0/1 with a single 1; ``num_classes`` = row width), ``"binary"``
    (0/1, one column), ``"multi_hot"`` (0/1 rows with several 1s) or ``"continuous"``.
    Returns ``None`` for non-numeric or empty labels.

    Example:
        >>> import numpy as np
        >>> label_kind(np.array([0, 2, 1, 2])), label_kind(np.eye(3)[[0, 2, 1]])
        (('class_indices', 3), ('onehot', 3))
        >>> label_kind(np.array([[0.], [1.]])), label_kind(np.random.rand(5, 1))[0]
        (('binary', 2), 'continuous')
    """
    np = sys.modules.get("numpy")
    if np is None:
        return None
    try:
        if isinstance(obj, np.ndarray) and type(obj) is not np.ndarray:
            obj = obj.view(np.ndarray)  # a subclass's own __getitem__ is the user's code: read the data
        if type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "iloc"):
            obj = obj.iloc[:max_values]
            arr = np.asarray(obj.to_numpy() if hasattr(obj, "to_numpy") else obj)
        elif hasattr(obj, "shape") and hasattr(obj, "__getitem__") and _element_spec(obj) is None:
            shape = shape_of(obj)
            if not shape:
                return None
            rows = max(1, max_values // max(1, int(np.prod([d or 1 for d in shape[1:]]))))
            arr = np.asarray(obj[:rows])
        else:
            return None
    except Exception:
        return None
    if arr.size == 0 or arr.dtype.kind not in "biuf":
        return None
    finite = np.isfinite(arr) if arr.dtype.kind == "f" else np.ones(arr.shape, bool)
    if not finite.all():
        return ("continuous", None)
    integral = bool(np.all(arr == np.round(arr)))
    binary = integral and bool(np.all((arr == 0) | (arr == 1)))
    if arr.ndim >= 2 and arr.shape[-1] > 1:
        if binary:
            ones = arr.reshape(-1, arr.shape[-1]).sum(axis=1)
            return (
                ("onehot", int(arr.shape[-1]))
                if bool(np.all(ones == 1))
                else ("multi_hot", int(arr.shape[-1]))
            )
        if arr.dtype.kind in "iu" and arr.min() >= 0:
            return ("class_indices", int(arr.max()) + 1)  # one class index per position (a tagger)
        return ("continuous", None)
    if binary:
        return ("binary", 2)
    if integral and arr.min() >= 0:
        return ("class_indices", int(arr.max()) + 1)
    return ("continuous", None)


def onehot_tail(obj: Any, max_rows: int = 64) -> int:
    """How many trailing feature columns of ``obj`` look one-hot (0/1, a single 1 per row).

    Looks at most ``max_rows`` rows (over samples x timesteps) of a numeric array whose
    last axis holds the features (seed 003, example 3: a one-hot block appended with
    ``np.concatenate``). Returns 0 when no block of 2 or more columns qualifies.

    Example:
        >>> import numpy as np
        >>> x = np.concatenate([np.random.rand(10, 3), np.eye(4)[np.arange(10) % 4]], axis=1)
        >>> onehot_tail(x)
        4
    """
    np = sys.modules.get("numpy")
    if np is None or not isinstance(obj, np.ndarray) or obj.ndim < 2 or obj.dtype.kind not in "biuf":
        return 0
    features = obj.shape[-1]
    if features < 2 or obj.size == 0:
        return 0
    if type(obj) is not np.ndarray:
        obj = obj.view(np.ndarray)  # never a subclass's own __getitem__ / reshape
    rows = (
        obj.reshape(-1, features)[:max_rows]
        if obj.flags.c_contiguous
        else obj[(0,) * (obj.ndim - 2)][:max_rows]
    )
    rows = np.asarray(rows)
    binary = np.all((rows == 0) | (rows == 1), axis=0)
    best = 0
    for k in range(2, features + 1):
        if not binary[-k]:
            break
        if np.all(rows[:, -k:].sum(axis=1) == 1):
            best = k
    return best


# --------------------------------------------------------------------------- frames


def user_frame(tb: Optional[TracebackType], user_ns: Optional[Dict[str, Any]]) -> Optional[TracebackType]:
    """The innermost traceback entry that runs the user's code (globals == user namespace)."""
    found = []
    while tb is not None:
        g = tb.tb_frame.f_globals
        if (user_ns is not None and g is user_ns) or (user_ns is None and g.get("__name__") == "__main__"):
            found.append(tb)
        tb = tb.tb_next
    for entry in reversed(found):
        # skip the user's own layer / subclassed-model code (a `call` method): the data came
        # from the frame that called the model
        owner = entry.tb_frame.f_locals.get("self")
        if owner is not None and _is_keras_layer(owner):
            continue
        return entry
    return found[-1] if found else None


def _is_keras_layer(obj: Any) -> bool:
    if package_of(obj) is None:  # Keras 3 or Keras 2 (tf_keras), whichever is imported
        return False
    return any(c.__name__ in ("Layer", "Model") and "keras" in c.__module__ for c in type(obj).__mro__)


def failing_call(tb_entry: TracebackType) -> Optional[ast.Call]:
    """The ``ast.Call`` node that was running in this traceback entry, via ``executing``."""
    try:
        import executing

        node = executing.Source.executing(tb_entry).node
    except Exception:
        return None
    while node is not None and not isinstance(node, ast.Call):
        node = getattr(node, "parent", None)
    return node


def static_attr(obj: Any, name: str) -> Tuple[bool, Any]:
    """``obj.name`` read without running any of the user's code: ``(found, value)``.

    Reads what is stored: an instance's ``__dict__``, a slot, a C-level attribute (NumPy's
    ``shape``), a module's or a class's namespace (``inspect.getattr_static``). A property,
    another Python descriptor or ``__getattr__`` would run code (a slow or side-effecting
    property, read once by the user's own call, must not be read again): ``(False, None)``.

    Example:
        >>> class D:
        ...     def __init__(self): self.a = 1
        ...     @property
        ...     def b(self): raise RuntimeError("ran")
        >>> static_attr(D(), "a"), static_attr(D(), "b"), static_attr(D(), "c")
        ((True, 1), (False, None), (False, None))
    """
    try:
        raw = inspect.getattr_static(obj, name)
    except Exception:
        return False, None
    if isinstance(obj, (type, types.ModuleType)):
        return (False, None) if isinstance(raw, property) else (True, raw)
    kind = type(raw)
    if kind in (types.MemberDescriptorType, types.GetSetDescriptorType):  # slots, C attributes
        try:
            return True, raw.__get__(obj, type(obj))
        except Exception:
            return False, None
    if kind is types.FunctionType:
        return True, types.MethodType(raw, obj)
    if hasattr(kind, "__get__"):  # a descriptor: harmless only if it sits in the instance's own dict
        try:
            own = object.__getattribute__(obj, "__dict__")
        except Exception:
            own = None
        if isinstance(own, dict) and own.get(name, _ABSENT) is raw:
            return True, raw
        return False, None
    return True, raw


_ABSENT = object()


def _lookup(node: ast.AST, frame: FrameType) -> Tuple[bool, Any]:
    """Resolve a Name or an attribute chain of names; never evaluate anything else.

    Names are dictionary reads in the frame; attributes are read with :func:`static_attr`, so
    no property or ``__getattr__`` of the user's runs (issue 10).
    """
    if isinstance(node, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
            if node.id in scope:
                return True, scope[node.id]
        return False, None
    if isinstance(node, ast.Attribute):
        ok, base = _lookup(node.value, frame)
        if not ok:
            return False, None
        return static_attr(base, node.attr)
    return False, None


def _passed_values(entry: TracebackType, call: ast.Call) -> Dict[int, Any]:
    """The values the failing call received, read from the called function's frame.

    ``{id(argument node): value}`` (and ``-1``: the bound ``self``), for a callee that takes
    ``(*args, **kwargs)`` (Keras 3 wraps every public model method in ``filter_traceback``'s
    ``error_handler(*args, **kwargs)``, keras/src/utils/traceback_utils.py): the objects the user's
    expressions evaluated to, once, by Python. Empty when the next frame is not such a wrapper, or the call
    unpacks ``*args`` / ``**kwargs`` (positions would be guesses).
    """
    nxt = entry.tb_next
    if nxt is None or any(isinstance(a, ast.Starred) for a in call.args):
        return {}
    if any(k.arg is None for k in call.keywords):
        return {}
    code = nxt.tb_frame.f_code
    varargs, varkw = 0x04, 0x08  # inspect.CO_VARARGS, inspect.CO_VARKEYWORDS
    if code.co_argcount or code.co_kwonlyargcount or (code.co_flags & (varargs | varkw)) != (varargs | varkw):
        return {}
    try:
        local = nxt.tb_frame.f_locals
        args, kwargs = local.get(code.co_varnames[0]), local.get(code.co_varnames[1])
    except Exception:
        return {}
    if not isinstance(args, tuple) or not isinstance(kwargs, dict):
        return {}
    offset = len(args) - len(call.args)  # 1 when the wrapper received the bound ``self``
    if offset not in (0, 1):
        return {}
    out = {id(node): args[offset + i] for i, node in enumerate(call.args)}
    if offset == 1:
        out[-1] = args[0]
    for k in call.keywords:
        if k.arg in kwargs:
            out[id(k.value)] = kwargs[k.arg]
    return out


#: Calls that prepare data for a model, for which kerashape has fixes (besides Keras's own).
DATA_CALLS = DATA_CONSTRUCTORS + ("reshape",)
#: Modules whose frames make an error Keras's (Keras 3, tf.keras / Keras 2, tf_keras).
KERAS_MODULES = ("keras", "tf_keras", "tensorflow.python.keras", "tensorflow.keras")


def _is_keras_frame(frame: FrameType) -> bool:
    name = frame.f_globals.get("__name__", "")
    return isinstance(name, str) and any(name == m or name.startswith(m + ".") for m in KERAS_MODULES)


def involves_keras(tb: Optional[TracebackType], user_ns: Optional[Dict[str, Any]]) -> bool:
    """Is this failure the user's Keras work? Decided from frames and objects, not the message.

    True when a Keras frame is in the traceback (``model.fit``, ``keras.Sequential([...])``,
    a layer called directly), when the failing expression in the user's frame involves a Keras
    model, a layer or a ``tf.data`` dataset (``for x, y in ds.batch(32)``), or when it is a
    data-preparation call kerashape has fixes for (:data:`DATA_CALLS`: ``np.array(sequences)``,
    ``X.reshape(...)``, ``tf.data.Dataset.from_tensor_slices(...)``). A NumPy broadcast in plain arithmetic
    (``np.ones((4, 3)) + np.ones(5)``) is none of these (issue 10, item 6).

    Args:
        tb: the exception's traceback.
        user_ns: the user's namespace (to find the user's frame).

    Returns:
        ``True`` when kerashape should explain it. Never raises.
    """
    try:
        entry = tb
        while entry is not None:
            if _is_keras_frame(entry.tb_frame):
                return True
            entry = entry.tb_next
        entry = user_frame(tb, user_ns)
        if entry is None:
            return False
        import executing

        node = executing.Source.executing(entry).node
        if node is None:
            return False
        if isinstance(node, ast.Call) and _method_name(node) in DATA_CALLS:
            return True
        frame = entry.tb_frame
        for i, part in enumerate(ast.walk(node)):
            if i > 200:
                break
            if isinstance(part, (ast.Name, ast.Attribute)):
                ok, obj = _lookup(part, frame)
                if ok and (is_keras_model(obj) or _is_keras_layer(obj) or _element_spec(obj) is not None):
                    return True
        return False
    except Exception:
        return False


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover
        return "<expression>"


def _method_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return ""


def _arg(call: ast.Call, index: int, keyword: str) -> Optional[ast.AST]:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    positional = [a for a in call.args if not isinstance(a, ast.Starred)]
    return positional[index] if len(positional) > index else None


def is_keras_model(obj: Any) -> bool:
    """True for a Keras 3 or Keras 2 (``tf_keras``, ``tf.keras``) model; never imports Keras."""
    if not any(p in sys.modules for p in ("keras", "tf_keras", "tensorflow")):
        return False
    for cls in type(obj).__mro__:
        if cls.__name__ == "Model" and (cls.__module__.startswith("keras") or "keras" in cls.__module__):
            return True
    return False


# --------------------------------------------------------------------------- model facts


def _spec_shape(layer: Any) -> Optional[Shape]:
    """What a layer's ``input_spec`` says: (None,)*ndim with the fixed axes filled in."""
    spec = getattr(layer, "input_spec", None)
    if isinstance(spec, (list, tuple)):
        spec = spec[0] if spec else None
    if spec is None:
        return None
    if getattr(spec, "shape", None) is not None:
        return tuple(_dim(d) for d in spec.shape)
    ndim = getattr(spec, "ndim", None) or getattr(spec, "min_ndim", None)
    if not ndim:
        return None
    shape: List[Optional[int]] = [None] * int(ndim)
    for axis, value in (getattr(spec, "axes", None) or {}).items():
        try:
            shape[int(axis)] = _dim(value)
        except (IndexError, ValueError):
            pass
    return tuple(shape)


_CONFIG_KEYS = (
    "units",
    "return_sequences",
    "filters",
    "data_format",
    "input_dim",
    "output_dim",
    "target_shape",
    "activation",
    "stateful",  # recurrent layers: the batch size is part of the model (core/rules/batch.py)
    "kernel_size",  # convolution / pooling windows: which axis order fits them (rules/shape.py window_fit)
    "pool_size",
)


def _layer_fact(layer: Any) -> LayerFact:
    try:
        cfg = layer.get_config()
    except Exception:
        cfg = {}
    config = tuple(
        (k, cfg[k])
        for k in _CONFIG_KEYS
        if k in cfg and isinstance(cfg[k], (int, str, bool, tuple, list, type(None)))
    )
    ins = outs = None
    try:
        ins = tuple(_dim(d) for d in layer.input.shape)
    except Exception:
        pass
    try:
        outs = tuple(_dim(d) for d in layer.output.shape)
    except Exception:
        pass
    if ins is None:
        ins = _spec_shape(layer)
    return LayerFact(layer.name, type(layer).__name__, ins, outs, config)


def _loss_name(loss: Any) -> Optional[str]:
    if loss is None:
        return None
    if isinstance(loss, str):
        return {"mse": "mean_squared_error", "mae": "mean_absolute_error"}.get(loss, loss)
    if isinstance(loss, (list, tuple)) and loss:
        return _loss_name(loss[0])
    if isinstance(loss, dict) and loss:
        return _loss_name(next(iter(loss.values())))
    fn = getattr(loss, "fn", None)
    if fn is not None:
        return getattr(fn, "__name__", None)
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None)
    return name


def _loss_config(loss: Any) -> Tuple[Tuple[str, object], ...]:
    """``from_logits`` / ``label_smoothing`` of a loss object (``LossFunctionWrapper._fn_kwargs``
    in keras/src/losses/losses.py); empty for a loss given by name."""
    kwargs = getattr(loss, "_fn_kwargs", None)
    if not isinstance(kwargs, dict):
        return ()
    return tuple(
        (k, kwargs[k])
        for k in ("from_logits", "label_smoothing")
        if isinstance(kwargs.get(k), (bool, int, float))
    )


def _input_layer_shape(layer: Any) -> Optional[Shape]:
    try:
        return tuple(_dim(d) for d in layer.batch_shape)
    except Exception:
        return None


def model_fact(
    model: Any, name: Optional[str] = None, failed_call: bool = False, rejected: Any = None
) -> ModelFact:
    """Describe what a Keras model expects, without building or calling it.

    Args:
        model: a Keras model (Keras 3, or Keras 2 through tf_keras / legacy ``tf.keras``).
        name: the user's variable holding it.
        failed_call: True when a call on this model just failed (its cached functions
            are then stale).
        rejected: the layer a failed ``model.add(layer)`` was given and the model left out
            (Keras 2; :func:`rejected_add`), or None. It is described as the model's last
            layer, as Keras 3 holds it; given to an empty Sequential with ``input_shape=``,
            its declared shape is the model's input (Keras 3 adds an ``InputLayer`` for it).

    Returns:
        A :class:`~kerashape_magic.core.types.ModelFact`. ``input_shapes`` is empty for a
        Sequential model without a declared input; its first layer's ``input_spec`` is
        then in ``layers[0].input_shape``.
    """
    cls = type(model).__name__
    built = bool(getattr(model, "built", False))
    # Keras 3 keeps a Sequential's layers, InputLayer first, in ``_layers``; Keras 2 (tf_keras/src/engine/
    # sequential.py) in ``_self_tracked_trackables``, with ``_has_explicit_input_shape`` telling a declared
    # input from one a first call inferred
    raw_layers = list(getattr(model, "_layers", None) or getattr(model, "_self_tracked_trackables", ()) or [])
    has_input_layer = bool(raw_layers) and type(raw_layers[0]).__name__ == "InputLayer"
    if getattr(model, "_has_explicit_input_shape", None) is False:
        has_input_layer = False
    elif getattr(model, "_has_explicit_input_shape", None) and not built:
        built = True  # Keras 2: a failed ``add`` sets ``built`` False but keeps the declared input and layers
    lazy_configured = cls == "Sequential" and has_input_layer and not built
    input_shapes: Tuple[Shape, ...] = ()
    input_names: Tuple[str, ...] = ()
    declared = False
    if built and not lazy_configured:
        try:
            inputs = model.inputs
            input_shapes = tuple(tuple(_dim(d) for d in i.shape) for i in inputs)
            input_names = tuple(getattr(i, "name", "") or "" for i in inputs)
            declared = cls != "Sequential" or has_input_layer
        except Exception:
            pass
    if keras2_default_embedding_input(model, input_shapes):
        input_shapes, input_names, declared = (), (), False
    if not input_shapes and built and cls not in ("Sequential", "Functional"):
        # a subclassed model records the shape of its first call (keras/src/layers/layer.py)
        recorded = getattr(model, "_build_shapes_dict", None) or {}
        if len(recorded) == 1:
            only = next(iter(recorded.values()))
            if isinstance(only, (tuple, list)) and all(d is None or isinstance(d, int) for d in only):
                input_shapes = (tuple(only),)
        # Keras 2 keeps it as a TensorShape (tf_keras/src/engine/training.py ``_build_input_shape``)
        first = getattr(model, "_build_input_shape", None) if not input_shapes else None
        if first is not None and type(first).__name__ in ("TensorShape", "tuple") and len(first):
            input_shapes = (tuple(_dim(d) for d in first),)
    layers = []
    try:
        for layer in model.layers:
            if type(layer).__name__ != "InputLayer":
                layers.append(_layer_fact(layer))
    except Exception:
        pass
    if lazy_configured and layers:
        # The failed call configured the model for the rejected shape: what it *expects*
        # comes from the first layer's input_spec, not from that InputLayer.
        layers[0] = LayerFact(
            layers[0].name, layers[0].class_name, _spec_shape(model.layers[0]), None, layers[0].config
        )
    input_layer_shape = _input_layer_shape(raw_layers[0]) if has_input_layer else None
    if rejected is not None:
        first = _layer_fact(rejected)
        declared_by_layer = getattr(rejected, "_batch_input_shape", None)
        if not layers and declared_by_layer is not None:
            # the first add declared the input (tf_keras/src/engine/sequential.py makes an Input of
            # it): as Keras 3, a Sequential holding that InputLayer, not built
            input_layer_shape = tuple(_dim(d) for d in declared_by_layer)
            lazy_configured, built = True, False
            first = LayerFact(first.name, first.class_name, _spec_shape(rejected), None, first.config)
        layers.append(first)
    output_shape = None
    output_shapes: tuple = ()
    try:
        output_shapes = tuple(tuple(_dim(d) for d in o.shape) for o in model.outputs)
        output_shape = output_shapes[0]
    except Exception:
        pass
    stale = failed_call and any(  # _eval_data_handler: Keras 2's cached validation data (actions.reset)
        getattr(model, a, None) is not None
        for a in ("train_function", "test_function", "predict_function", "_eval_data_handler")
    )
    loss = None
    if getattr(model, "compiled", False) or getattr(model, "loss", None) is not None:
        loss = _loss_name(getattr(model, "loss", None))
    loss_config = _loss_config(getattr(model, "loss", None))
    return ModelFact(
        name=name,
        class_name=cls,
        input_shapes=input_shapes,
        input_names=input_names,
        declared=declared,
        built=built,
        lazy_configured=lazy_configured,
        stale=stale,
        layers=tuple(layers),
        output_shape=output_shape,
        output_shapes=output_shapes,
        loss=loss,
        loss_config=loss_config,
        input_layer_shape=input_layer_shape,
        rejected=getattr(rejected, "name", None) if rejected is not None else None,
    )


# --------------------------------------------------------------------------- data facts


def _type_name(obj: Any) -> str:
    """``"Dataset"``, ``"Tensor"`` (TensorFlow's), ``"torch.Tensor"``, ``"jax.Array"``, or the
    class name (``"ndarray"``, ``"DataFrame"``, ``"list"``): fix code is written for that type."""
    name = type(obj).__name__
    if _element_spec(obj) is not None:
        return "Dataset"
    root = (type(obj).__module__ or "").split(".", 1)[0]
    if root == "torch" and hasattr(obj, "shape"):  # torch.Tensor, nn.Parameter
        return "torch.Tensor"
    if root in ("jax", "jaxlib") and hasattr(obj, "shape"):  # jaxlib's ArrayImpl is a jax.Array
        return "jax.Array"
    if name in ("EagerTensor", "Tensor", "SymbolicTensor"):
        return "Tensor"
    return name


def batch_depth(ds: Any, limit: int = 64) -> Optional[int]:
    """How many times a ``tf.data.Dataset`` was batched: the batch datasets (``batch``,
    ``padded_batch``, ``ragged_batch``) on its chain of ``_input_dataset`` parents
    (tensorflow/python/data/ops/batch_op.py and padded_batch_op.py), read without iterating.
    ``None`` when the chain cannot be read (a dataset of several inputs, ``from_generator``).
    """
    depth, n = 0, 0
    while ds is not None and n < limit:
        if "Batch" in type(ds).__name__ and "Unbatch" not in type(ds).__name__:
            depth += 1
        elif "Unbatch" in type(ds).__name__:
            depth -= 1
        parent = getattr(ds, "_input_dataset", None)
        if parent is None:
            return max(depth, 0) if getattr(ds, "_variant_tensor", None) is not None else None
        ds, n = parent, n + 1
    return None


def data_fact(
    obj: Any, name: Optional[str], source: str, role: str, namespace: Optional[Dict[str, Any]] = None
) -> DataFact:
    """Describe one data object: its type, shape, dtype, raggedness and one-hot tail.

    For a ``tf.data.Dataset`` made by ``.batch()`` over a dataset bound to a user
    variable, ``batched`` holds the batch size and ``unbatched_name`` that variable (read
    from the dataset's ``_input_dataset`` and ``_batch_size``, tensorflow/python/data/ops/
    batch_op.py).
    """
    shape = shape_of(obj)
    dtype = getattr(obj, "dtype", "")
    dtype = str(getattr(dtype, "name", dtype) or "")
    ragged = None
    batched = None
    unbatched_name = None
    depth = batch_depth(obj) if _element_spec(obj) is not None else None
    if _element_spec(obj) is not None:
        parent = getattr(obj, "_input_dataset", None)
        size = getattr(obj, "_batch_size", None)
        if parent is not None and size is not None and "Batch" in type(obj).__name__:
            try:
                batched = int(size)
            except Exception:
                batched = None
            if namespace is not None:
                for k, v in namespace.items():
                    if v is parent and not k.startswith("_"):
                        unbatched_name = k
                        break
        if shape is not None and any(
            d is None for d in shape[depth if depth is not None else (1 if batched else 0) :]
        ):
            ragged = (None, None, None, tuple(shape[2:]) if batched else tuple(shape[1:]))
    elif shape is None or dtype == "object":  # a list, or an object array of sequences
        ragged = ragged_info(obj)
    count = None
    if shape is not None and all(d is not None for d in shape):
        count = 1
        for d in shape:
            count *= d
    tail = onehot_tail(obj) if role in ("x", "data") else 0
    labels = label_kind(obj) if role in ("y", "val_y") else None
    components = 0
    spec = _element_spec(obj)
    if spec is not None:
        components = len(spec) if isinstance(spec, (tuple, list)) else 1
    return DataFact(
        name,
        source,
        role,
        _type_name(obj),
        shape,
        dtype,
        ragged,
        batched,
        unbatched_name,
        tail,
        count,
        labels,
        components,
        batch_depth=depth,
        columns=frame_columns(obj),
    )


#: Most column labels read from one DataFrame (a wider frame is not described by name).
MAX_COLUMNS = 4096


def frame_columns(obj: Any) -> Tuple[str, ...]:
    """A pandas ``DataFrame``'s column labels when they are all strings (at most
    :data:`MAX_COLUMNS`), else ``()``. Reads ``obj.columns``, pandas' own index (no user code).

    Example:
        >>> frame_columns([1, 2])
        ()
    """
    if type(obj).__name__ != "DataFrame" or (type(obj).__module__ or "").split(".", 1)[0] != "pandas":
        return ()
    try:
        labels = list(obj.columns[: MAX_COLUMNS + 1])
    except Exception:
        return ()
    if len(labels) > MAX_COLUMNS or not all(isinstance(c, str) for c in labels):
        return ()
    return tuple(labels)


def frames(ns: Dict[str, Any], exclude: Tuple[str, ...]) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """The DataFrames with string column labels in the namespace (at most 20), but ``exclude``:
    ``(name, column labels)`` pairs."""
    out = []
    for k, v in ns.items():
        if k.startswith("_") or k in exclude or type(v).__name__ != "DataFrame":
            continue
        cols = frame_columns(v)
        if cols:
            out.append((k, cols))
            if len(out) >= 20:
                break
    return tuple(out)


def _module_name(v: Any) -> Optional[str]:
    """A real module's ``__name__``, read from its dict (no module ``__getattr__`` runs)."""
    if type(v) is not types.ModuleType:
        return None
    name = v.__dict__.get("__name__")
    return name if isinstance(name, str) else None


def _valid_name(name: Any) -> bool:
    return (
        isinstance(name, str)
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
    )


def _aliases(ns: Dict[str, Any], model: Any = None) -> Tuple[Tuple[str, str], ...]:
    """``(module, name)`` for NumPy, TensorFlow, Keras, kerashape, PyTorch and ``jax.numpy`` as the
    user imported them.

    A candidate is a namespace key that is a valid identifier (fix code is built from it) bound
    to a module object (``types.ModuleType``; a Keras name may also be TensorFlow's ``tf.keras``
    ``KerasLazyLoader``, a subclass): nothing else is asked of the namespace's values, and a
    module is read through its ``__dict__`` only, so no ``__getattr__`` runs (issue 10, items 10
    and 15). The conventional name wins (``np``, ``tf``); else the first key found.

    The ``keras`` entry names the Keras ``model`` belongs to (without a model, the one imported,
    Keras 3 first; kerashape_magic/flavour.py): ``keras`` bound to Keras 3 is not the name to use
    for a Keras 2 (``tf_keras``) model, nor the other way round. For a ``tf_keras`` model the pair
    ``("keras_import", "tensorflow" | "tf_keras")`` says how fix code imports it when the user has
    no name for it: ``from tensorflow import keras`` in legacy mode, else ``import tf_keras as keras``.
    """
    wanted: Dict[str, Optional[str]] = {
        "numpy": None,
        "tensorflow": None,
        "keras": None,
        "kerashape": None,
        "torch": None,
        "jax.numpy": None,
    }
    preferred = {
        "numpy": "np",
        "tensorflow": "tf",
        "keras": "keras",
        "kerashape": "kerashape",
        "torch": "torch",
        "jax.numpy": "jnp",
    }
    flavour = (flavour_of(model) if model is not None else None) or imported()
    package = flavour.package if flavour is not None else "keras"

    def usable_keras(v: Any) -> bool:  # the model's Keras, with keras.utils.pad_sequences
        if module_package(v) != package:
            return False
        utils = vars(v).get("utils")
        return type(utils) is types.ModuleType and "pad_sequences" in utils.__dict__

    for module, name in preferred.items():
        if module == "keras" and usable_keras(ns.get(name)):
            wanted[module] = name
        elif module != "keras" and _module_name(ns.get(name)) == module:
            wanted[module] = name
    for name, v in ns.items():
        if not isinstance(v, types.ModuleType) or not _valid_name(name):
            continue
        mod = _module_name(v)
        if wanted["keras"] is None and usable_keras(v):
            wanted["keras"] = name
        elif mod in wanted and mod != "keras" and wanted[mod] is None:
            wanted[mod] = name
    out = tuple((m, n) for m, n in wanted.items() if n is not None)
    if package == "tf_keras":
        out += (("keras_import", "tensorflow" if legacy_mode() else "tf_keras"),)
    return out


def namespace_models(ns: Dict[str, Any], limit: int = 10) -> Tuple[Tuple[str, Shape], ...]:
    """Built Keras models with one input in the namespace: ``(name, input shape)`` pairs."""
    if "keras" not in sys.modules and "tf_keras" not in sys.modules:
        return ()
    out = []
    for k, v in ns.items():
        if k.startswith("_") or not is_keras_model(v) or not getattr(v, "built", False):
            continue
        try:
            inputs = v.inputs
        except Exception:
            continue
        if inputs and len(inputs) == 1:
            out.append((k, tuple(_dim(d) for d in inputs[0].shape)))
            if len(out) >= limit:
                break
    return tuple(out)


def siblings(
    ns: Dict[str, Any], shape: Optional[Shape], exclude: Tuple[str, ...]
) -> Tuple[Tuple[str, Shape], ...]:
    """Arrays in the namespace with the same rank as ``shape``: ``(name, shape)`` pairs."""
    if shape is None:
        return ()
    out = []
    for k, v in ns.items():
        if (
            k.startswith("_")
            or k in exclude
            or type(v).__name__ not in ("ndarray", "memmap", "EagerTensor", "DataFrame", "Series")
        ):
            continue
        s = shape_of(v)
        if s is not None and len(s) == len(shape):
            out.append((k, s))
            if len(out) >= 20:
                break
    return tuple(out)


# --------------------------------------------------------------------------- gather


def gather(
    error: Optional[BaseException],
    tb: Optional[TracebackType],
    user_ns: Optional[Dict[str, Any]],
    model: Any = None,
    x: Any = None,
    y: Any = None,
) -> Gathered:
    """Collect the facts about a failing call (or, with no error, about ``model``, ``x``, ``y``).

    Args:
        error: the exception, or ``None`` for a pre-flight check.
        tb: its traceback.
        user_ns: the user's namespace (IPython ``user_ns``), used to find names.
        model, x, y: objects the caller already knows; they win over what the traceback
            shows.

    Returns:
        A :class:`Gathered`. Never raises: what cannot be read is listed in
        ``facts.uninspected``.
    """
    from .backend import tensorflow_kept_out  # a layer's get_config() imports TensorFlow otherwise

    with diagnosis_clock(), tensorflow_kept_out():
        gathered = _gather(error, tb, user_ns, model, x, y)
        _clock.gathered = gathered
    return gathered


def _gather(
    error: Optional[BaseException],
    tb: Optional[TracebackType],
    user_ns: Optional[Dict[str, Any]],
    model: Any,
    x: Any,
    y: Any,
) -> Gathered:
    uninspected: List[str] = []
    data: List[DataFact] = []
    objects: Dict[str, Any] = {}
    ns: Dict[str, Any] = dict(user_ns or {})
    passed: Dict[int, Any] = {}
    call = CallFact()
    call_node = None
    model_name = None
    entry = user_frame(tb, user_ns) if tb is not None else None
    if entry is not None:
        frame = entry.tb_frame
        ns = {**frame.f_globals, **frame.f_locals}
        call_node = failing_call(entry)
        if call_node is not None:
            method = _method_name(call_node)
            call = CallFact(method, _source(call_node), entry.tb_lineno)
            passed = _passed_values(entry, call_node)
            owner_ok, owner = (False, None)
            if isinstance(call_node.func, ast.Attribute):
                owner_ok, owner = _lookup(call_node.func.value, frame)
                if not owner_ok and -1 in passed:  # the bound self the wrapper received
                    owner_ok, owner = True, passed[-1]
            elif isinstance(call_node.func, ast.Name):
                owner_ok, owner = _lookup(call_node.func, frame)
                method = "__call__" if owner_ok and is_keras_model(owner) else method
            if owner_ok and is_keras_model(owner):
                if model is None:
                    model = owner
                model_name = _source(
                    call_node.func.value if isinstance(call_node.func, ast.Attribute) else call_node.func
                )
                roles = [("x", 0, "x"), ("y", 1, "y")] if method in MODEL_METHODS else []
                if method == "__call__" or method == "call":
                    roles = [("x", 0, "inputs")]
                n_inputs = len(getattr(owner, "inputs", None) or []) if getattr(owner, "built", False) else 0
                for role, idx, kw in roles:
                    node = _arg(call_node, idx, kw)
                    if node is None:
                        continue
                    if (
                        role == "x"
                        and n_inputs > 1
                        and _add_inputs(node, frame, data, objects, uninspected, ns)
                    ):
                        continue
                    _add_data(
                        node,
                        role,
                        frame,
                        data,
                        objects,
                        uninspected,
                        ns,
                        given={"x": x, "y": y}.get(role),
                        passed=passed,
                    )
                vd = _arg(call_node, 99, "validation_data")
                if isinstance(vd, (ast.Tuple, ast.List)) and vd.elts:
                    for role, node in zip(("val_x", "val_y"), vd.elts):
                        _add_data(node, role, frame, data, objects, uninspected, ns, passed=passed)
                elif vd is not None:  # a dataset (or generator) of (x, y) pairs
                    _add_data(vd, "val_x", frame, data, objects, uninspected, ns, passed=passed)
            else:
                # a data constructor (from_tensor_slices, np.array, ...) or a library call that
                # got the model: every plain name among its arguments is data, a model is the model
                for node in list(call_node.args) + [k.value for k in call_node.keywords]:
                    ok, obj = _lookup(node, frame)
                    if ok and is_keras_model(obj):
                        if model is None:
                            model, model_name = obj, _source(node)
                        continue
                    elts = node.elts if isinstance(node, (ast.Tuple, ast.List)) else [node]
                    if isinstance(node, ast.Dict):
                        elts = node.values
                    for e in elts:
                        _add_data(e, "data", frame, data, objects, uninspected, ns)
                if method in ("reshape",) and isinstance(call_node.func, ast.Attribute):
                    _add_data(call_node.func.value, "data", frame, data, objects, uninspected, ns)
        else:
            uninspected.append("the failing call (its source was not available)")
    if model is None and tb is not None and error is not None:
        model = _model_being_built(tb)  # keras.Sequential([...]) raised in its constructor
    if model is not None and model_name is None and user_ns:
        model_name = _name_of(model, user_ns)
    for role, obj in (("x", x), ("y", y)):
        if obj is not None and not any(d.role == role for d in data):
            name = _name_of(obj, user_ns) if user_ns else None
            if (
                role == "x"
                and isinstance(obj, (list, tuple, dict))
                and len(getattr(model, "inputs", None) or []) > 1
            ):
                pairs = obj.items() if isinstance(obj, dict) else enumerate(obj)
                for k, element in pairs:
                    ename = _name_of(element, user_ns) if user_ns else None
                    fact = data_fact(element, ename, ename or "%s[%r]" % (name or "x", k), "x", ns)
                    data.append(DataFact(**{**fact.__dict__, "input_key": str(k)}))
                    objects[ename or fact.source] = element
                    objects.setdefault("x", element)
                continue
            data.append(data_fact(obj, name, name or role, role, ns))
            objects[name or role] = obj
            objects.setdefault(role, obj)
    if user_ns is not None:
        # Fix code runs in the user's namespace: a name is usable only if it holds that very
        # object there (inside a user function, `X` may be a local bound to the global `data`).
        data = [_rename(d, objects, user_ns, ns) for d in data]
        if model is not None and (model_name is None or _resolve_dotted(model_name, user_ns) is not model):
            model_name = _name_of(model, user_ns)
    mf = None
    if model is not None and is_keras_model(model) and out_of_time():
        skip("reading the model")
        uninspected.append("the model (skipped: kerashape's time limit passed)")
    elif model is not None and is_keras_model(model):
        try:
            rejected = rejected_add(tb, model) if error is not None else None
            if rejected is not None:
                for key in [k for k, (ref, _) in _REJECTED.items() if ref() is None]:
                    del _REJECTED[key]
                _REJECTED[id(model)] = (weakref.ref(model), rejected)
            mf = model_fact(model, model_name, failed_call=error is not None, rejected=rejected)
        except Exception as exc:  # pragma: no cover - defensive
            uninspected.append("the model (%s)" % type(exc).__name__)
    x_fact = next((d for d in data if d.role == "x"), None)
    sib = siblings(user_ns or {}, x_fact.shape, tuple(d.name for d in data if d.name)) if x_fact else ()
    y_fact = next((d for d in data if d.role == "y"), None)
    ysib = siblings(user_ns or {}, y_fact.shape, tuple(d.name for d in data if d.name)) if y_fact else ()
    named = tuple(d.name for d in data if d.name)
    facts = Facts(
        call,
        mf,
        tuple(data),
        sib,
        tuple(uninspected),
        _aliases(user_ns or ns, model),
        namespace_models(user_ns or {}) if mf is None else (),
        label_siblings=ysib,
        frames=frames(user_ns or {}, named) if x_fact is not None and x_fact.columns else (),
    )
    return Gathered(facts, model, objects, ns, call_node)


def _resolve_dotted(name: str, ns: Dict[str, Any]) -> Any:
    """``ns["a"].b.c`` for ``"a.b.c"`` (stored attributes only, :func:`static_attr`), or None."""
    head, *rest = name.split(".")
    obj = ns.get(head)
    for part in rest:
        ok, obj = static_attr(obj, part)
        if not ok:
            return None
    return obj


def _read_through_same_owner(name: str, user_ns: Dict[str, Any], frame_ns: Optional[Dict[str, Any]]) -> bool:
    """Whether the dotted ``name`` (``h.X``) ends in an attribute no static read gives (a property,
    a namedtuple field) of an owner (``h``) that is the identical object in the user's namespace
    and in the failing call's frame: ``h.X`` then names, in the user's namespace, what the call
    received through that very ``h``. Nothing is run: the owners are read with
    :func:`static_attr` and compared by identity; the last attribute is not read at all.
    """
    head, _, last = name.rpartition(".")
    if not head or frame_ns is None:
        return False
    owner = _resolve_dotted(head, user_ns)
    if owner is None or owner is not _resolve_dotted(head, frame_ns):
        return False
    return not static_attr(owner, last)[0]


def _rename(
    d: DataFact, objects: Dict[str, Any], user_ns: Dict[str, Any], frame_ns: Optional[Dict[str, Any]] = None
) -> DataFact:
    """The DataFact with ``name`` set to the user-namespace name holding its object, or None.

    A dotted name read through a property or a namedtuple field (``h.X``) is kept when the call
    reached it through the same owner the user's namespace holds (:func:`_read_through_same_owner`):
    the fix search can then say that ``h.X`` cannot be assigned and work on a new variable.
    """
    obj = objects.get(d.name or d.source)
    if obj is None or (d.name and _resolve_dotted(d.name, user_ns) is obj):
        return d
    if d.name and _read_through_same_owner(d.name, user_ns, frame_ns):
        return d
    name = _name_of(obj, user_ns)
    if name is not None:
        objects[name] = obj
    return DataFact(**{**d.__dict__, "name": name})


def _add_inputs(
    node: ast.AST, frame: FrameType, data: list, objects: dict, uninspected: list, ns: dict
) -> bool:
    """For a model with several inputs: one DataFact per element of a list / dict of arrays."""
    items: List[Tuple[str, Any, str, Optional[str]]] = []  # (key, object, source, name)
    if isinstance(node, (ast.List, ast.Tuple)):
        for i, e in enumerate(node.elts):
            ok, obj = _lookup(e, frame)
            if ok:
                items.append((str(i), obj, _source(e), _source(e) if isinstance(e, ast.Name) else None))
    elif isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and isinstance(k.value, str):
                ok, obj = _lookup(v, frame)
                if ok:
                    items.append((k.value, obj, _source(v), _source(v) if isinstance(v, ast.Name) else None))
    else:
        ok, container = _lookup(node, frame)
        if not ok:
            return False
        pairs = (
            list(container.items())
            if isinstance(container, dict)
            else (list(enumerate(container)) if isinstance(container, (list, tuple)) else [])
        )
        for k, obj in pairs:
            name = _name_of(obj, ns)
            items.append((str(k), obj, "%s[%r]" % (_source(node), k), name))
    if not items:
        return False
    for key, obj, src, name in items:
        fact = data_fact(obj, name, src, "x", ns)
        data.append(DataFact(**{**fact.__dict__, "input_key": key}))
        objects[name or src] = obj
        objects.setdefault("x", obj)
    return True


def _model_being_built(tb: Optional[TracebackType]) -> Any:
    """The Sequential model whose constructor raised, from the traceback's frames, or None.

    Keras 3.15 builds a Sequential with a declared input inside ``__init__``
    (keras/src/models/sequential.py: ``_maybe_rebuild``), so a mismatch between two of its
    layers raises before any variable holds the model; the half-built object (all its
    layers, the ones before the failing layer built) is the ``self`` of that frame.
    """
    found = None
    while tb is not None:
        frame = tb.tb_frame
        owner = frame.f_locals.get("self")
        in_init = frame.f_code.co_name == "__init__"
        if in_init and type(owner).__name__ == "Sequential" and is_keras_model(owner):
            found = owner
        tb = tb.tb_next
    return found


#: ``id(model) -> (weak reference to the model, the layer its failed add was given)``: the last one
#: per model (a retried cell is a new attempt), for :func:`rejected_layer`.
_REJECTED: Dict[int, Tuple[Any, Any]] = {}


def rejected_add(tb: Optional[TracebackType], model: Any) -> Any:
    """The layer a failed ``model.add(layer)`` was given, when the model left it out; or None.

    Keras 2 calls the new layer on the model's output before it appends it
    (tf_keras/src/engine/sequential.py, ``Sequential.add``), so a layer that rejects that
    output never becomes one of ``model.layers``; Keras 3 appends first (keras/src/models/
    sequential.py) and this returns None. Read from the traceback's frames, nothing
    re-evaluated: the ``add`` frame's ``layer`` argument, or, where Keras filtered its own frames
    out (tf_keras/src/utils/traceback_utils.py ``filter_traceback``), the arguments of the
    wrappers left around it (``error_handler(*args)``, TensorFlow's ``_method_wrapper(self,
    *args)`` of tensorflow/python/trackable/base.py), whose wrapped function is named ``add``.
    """
    found = None
    while tb is not None:
        layer = _add_argument(tb.tb_frame.f_locals, tb.tb_frame.f_code.co_name, model)
        if layer is not None:
            try:
                known = list(model.layers)
            except Exception:
                known = []
            if not any(layer is k for k in known) and hasattr(layer, "get_config"):
                found = layer
        tb = tb.tb_next
    return found


def _add_argument(local: Dict[str, Any], code_name: str, model: Any) -> Any:
    """The ``layer`` argument of a call ``model.add(layer)`` seen in one frame's locals, or None."""
    if code_name == "add" and local.get("self") is model:
        return local.get("layer")
    wrapped = next((local[k] for k in ("method", "fn", "func", "f") if callable(local.get(k))), None)
    if getattr(wrapped, "__name__", None) != "add":
        return None
    args = list(local.get("args") or ())
    if local.get("self") is model and args:
        return args[0]
    if len(args) >= 2 and args[0] is model:
        return args[1]
    kwargs = local.get("kwargs") or {}
    owner = local.get("self") is model or (len(args) == 1 and args[0] is model)
    return kwargs.get("layer") if owner and isinstance(kwargs, dict) else None


def rejected_layer(model: Any) -> Any:
    """The layer the last failed ``model.add(layer)`` was given and Keras 2 left out of ``model``.

    Fix code adds it back after a rebuild: ``kerashape.rebuild(model, edit=...,
    add=kerashape.rejected_layer(model))`` is the model the user's ``add`` meant, with the edit.

    Raises:
        KerashapeError: kerashape saw no failed ``add`` on this model (Keras 3 keeps the layer in
            the model, so there is none to add back).
    """
    from .core.types import KerashapeError

    entry = _REJECTED.get(id(model))
    if entry is None or entry[0]() is not model:
        raise KerashapeError(
            "no failed add() on %r was seen by kerashape: there is no rejected layer to add back"
            % getattr(model, "name", type(model).__name__)
        )
    return entry[1]


def _name_of(obj: Any, ns: Optional[Dict[str, Any]]) -> Optional[str]:
    if not ns:
        return None
    for k, v in ns.items():
        if v is obj and not k.startswith("_"):
            return k
    return None


def _add_data(
    node: ast.AST,
    role: str,
    frame: FrameType,
    data: list,
    objects: dict,
    uninspected: list,
    ns: dict,
    given: Any = None,
    passed: Optional[Dict[int, Any]] = None,
) -> None:
    src = _source(node)
    ok, obj = _lookup(node, frame)
    if not ok and isinstance(node, ast.Attribute) and passed and id(node) in passed:
        ok, obj = True, passed[id(node)]  # a property: the value the call received, read once by Python
    if given is not None:
        ok, obj = True, given
    if not ok:
        if isinstance(node, ast.Attribute) and _lookup(node.value, frame)[0]:
            uninspected.append("%s (computed by a property; kerashape does not read it again)" % src)
            data.append(DataFact(None, src, role, "expression", None))
        elif not isinstance(node, ast.Constant):
            uninspected.append("%s (an expression, not a variable; kerashape does not re-run it)" % src)
            data.append(DataFact(None, src, role, "expression", None))
        return
    if out_of_time():
        skip("reading %s" % src)
        uninspected.append("%s (skipped: kerashape's time limit passed)" % src)
        return
    if callable(obj) and not hasattr(obj, "shape") and _element_spec(obj) is None:
        return
    name = (
        src
        if isinstance(node, (ast.Name, ast.Attribute))
        and all(
            isinstance(n, (ast.Name, ast.Attribute))
            for n in ast.walk(node)
            if not isinstance(n, ast.expr_context)
        )
        else None
    )
    try:
        data.append(data_fact(obj, name, src, role, ns))
    except Exception as exc:  # pragma: no cover - defensive
        uninspected.append("%s (%s)" % (src, type(exc).__name__))
        return
    objects[name or src] = obj
    objects.setdefault(role, obj)
