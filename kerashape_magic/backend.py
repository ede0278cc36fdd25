"""What kerashape needs to know about the user's Keras backend, without importing any framework.

Keras 3 runs on TensorFlow, JAX and PyTorch. Verification (``verify.py`` and the verifiers that
register there) runs the user's model on slices and reads its output and loss back as NumPy;
on PyTorch a forward pass records a graph for autograd, and ``np.asarray`` refuses a tensor that
requires grad ("Can't call numpy() on Tensor that requires grad"). This module gives the three
things that differ:

* :func:`keras_backend`: the backend of the Keras already imported (``keras.config.backend()``),
  read from ``sys.modules`` only.
* :func:`on_slices`: a block in which PyTorch records no autograd graph (``torch.no_grad``) and
  runs on one thread; on other backends it does nothing. Verification never takes a gradient.
* :func:`to_numpy`: a backend tensor (or a nest of them) as NumPy, by
  ``keras.ops.convert_to_numpy`` (keras/src/backend/torch/core.py detaches and moves to the CPU;
  keras/src/backend/jax/core.py ``np.asarray``), with the tensor detached first.
* :func:`tensorflow_kept_out`: while TensorFlow is not imported, Keras's own lazy handle on it
  (``keras.src.utils.module_utils.tensorflow``, a ``LazyModule``) answers "not available"
  instead of importing it. Keras 3.15's ``serialize_keras_object``
  (keras/src/saving/serialization_lib.py) asks ``tf.available and isinstance(obj,
  tf.TensorShape)`` for every value of a layer's ``get_config()``, which imports TensorFlow
  (~10 s, and a segfault next to some PyTorch builds) in a JAX or PyTorch session where it is
  installed. No object can be TensorFlow's while TensorFlow is not imported, so the answer
  is the same.
"""

from __future__ import annotations

import contextlib
import sys
from collections import OrderedDict
from typing import Any, Iterator, Optional


def keras_backend() -> Optional[str]:
    """``"tensorflow"``, ``"jax"``, ``"torch"`` or ``"numpy"`` for the Keras 3 already imported;
    ``None`` when Keras 3 is not imported (Keras 2 / tf-keras has no ``keras.config.backend``).

    Example:
        >>> keras_backend() in (None, "tensorflow", "jax", "torch", "numpy")
        True
    """
    keras = sys.modules.get("keras")
    backend = getattr(getattr(keras, "config", None), "backend", None)
    try:
        return backend() if callable(backend) else None
    except Exception:
        return None


def _is_torch(value: Any) -> bool:
    return type(value).__module__.split(".", 1)[0] == "torch" and hasattr(value, "detach")


@contextlib.contextmanager
def on_slices() -> Iterator[None]:
    """A block that runs models on a few samples, put back as it was after:

    * PyTorch: no autograd (``torch.no_grad()``, thread-local) and one intra-op thread
      (``torch.set_num_threads(1)``). Its CPU ops on a 2-sample slice are microseconds of work and
      its thread pool waits for every worker at each op. Measured here (2 cores shared with other
      processes, torch 2.13, Keras 3.15 ``_fallback_lstm`` over 1440 timesteps, 2 samples):
      2.5-10 s with the default 2 threads, 0.12-0.15 s with 1.
    * JAX: XLA compiles without most optimisations (``jax_disable_most_optimizations``,
      jax/_src/compiler.py: ``xla_backend_optimization_level = 0``). Eager JAX compiles one program
      per op and shape (a rebuilt model's initializers, the slice's ops), each run once here.
      Measured here: building a 6-Conv2D model, 13-16 s with the default options, 1.2-1.3 s
      without. (The flag is process-wide and not part of JAX's cache key: a program compiled in
      this block and reused later by the same op on the same shapes runs unoptimised; the slices'
      shapes are verification's own.)

    Elsewhere nothing changes.

    Example:
        >>> with on_slices():
        ...     pass
    """
    with contextlib.ExitStack() as stack:
        torch = sys.modules.get("torch")
        if torch is not None and hasattr(torch, "no_grad"):
            threads = torch.get_num_threads()
            stack.enter_context(torch.no_grad())
            if threads > 1:
                torch.set_num_threads(1)
                stack.callback(torch.set_num_threads, threads)
        jax = sys.modules.get("jax")
        if jax is not None and keras_backend() == "jax":
            try:
                before = jax.config._read("jax_disable_most_optimizations")
                jax.config.update("jax_disable_most_optimizations", True)
                stack.callback(jax.config.update, "jax_disable_most_optimizations", before)
            except Exception:  # another JAX: compile as usual
                pass
        yield


def to_numpy(value: Any) -> Any:
    """``value`` as NumPy: a backend tensor through ``keras.ops.convert_to_numpy`` (a PyTorch tensor
    detached first), a TensorFlow eager tensor through ``.numpy()``; dicts, lists and tuples item by
    item; anything else through ``keras.ops.convert_to_numpy`` when Keras 3 is imported, else
    ``np.asarray``.

    Raises:
        Whatever the conversion raises (a symbolic tensor has no value).

    Example:
        >>> to_numpy([1.0, 2.0]).shape, to_numpy({"a": (1, 2)})["a"].shape
        ((2,), (2,))
    """
    import numpy as np

    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and any(hasattr(v, "shape") for v in value):
        return type(value)(to_numpy(v) for v in value)
    if isinstance(value, np.ndarray):
        return value
    convert = getattr(getattr(sys.modules.get("keras"), "ops", None), "convert_to_numpy", None)
    if _is_torch(value):
        value = value.detach()
        return convert(value) if convert is not None else value.cpu().numpy()
    if hasattr(value, "numpy"):  # a TensorFlow eager tensor (also under tf-keras, without keras.ops)
        return value.numpy()
    if convert is not None:
        return convert(value)
    return np.asarray(value)


def loss_backward(fn: Any, y: Any, out: Any) -> None:
    """Run the loss's backward pass on PyTorch, as training will: the gradient of ``fn(y, out)``
    with respect to a detached copy of the model's output ``out`` (the model, its weights and
    their ``.grad`` are not touched). A no-op for other backends' tensors.

    PyTorch's backward kernels can reject what the forward accepted. Measured here (Keras 3.15,
    torch 2.13): ``sparse_categorical_crossentropy`` on a per-pixel softmax (4, 16, 16, 8) computes
    its value, then raises "grad_input must be contiguous" in ``fit``; a loss fix verified only
    forward would fail when the user re-runs the cell.

    Raises:
        Whatever the backward pass raises.

    Example:
        >>> loss_backward(lambda y, o: o, None, [1.0])  # not a PyTorch tensor: nothing to run
    """
    if not _is_torch(out) or not out.is_floating_point():
        return
    torch = sys.modules["torch"]
    with torch.enable_grad():
        leaf = out.detach().clone().requires_grad_(True)
        value = fn(y, leaf)
        torch.autograd.grad(value.sum(), leaf)


@contextlib.contextmanager
def tensorflow_kept_out() -> Iterator[None]:
    """While TensorFlow is not imported, Keras's lazy TensorFlow handle says "not available" in
    this block instead of importing it (see the module docstring); put back after. When TensorFlow
    is imported, or Keras 3 is not, nothing changes.

    Example:
        >>> with tensorflow_kept_out():
        ...     pass
    """
    lazy = getattr(sys.modules.get("keras.src.utils.module_utils"), "tensorflow", None)
    state = getattr(lazy, "__dict__", {})
    if "tensorflow" in sys.modules or state.get("module") is not None or "_available" not in state:
        yield
        return
    before = state["_available"]
    state["_available"] = False
    try:
        yield
    finally:
        if state.get("_available") is False and state.get("module") is None:
            state["_available"] = before


#: What each JAX trainer method holds in its local ``state`` while a batch runs, in order
#: (keras/src/backend/jax/trainer.py 3.15: ``fit``, ``evaluate``, ``predict`` build it with
#: ``_get_jax_state(...)`` and hand it to the step function).
_JAX_STATE = {
    "fit": ("trainable_variables", "non_trainable_variables", "optimizer_variables", "metrics_variables"),
    "evaluate": ("trainable_variables", "non_trainable_variables", "metrics_variables"),
    "predict": ("trainable_variables", "non_trainable_variables"),
}


_JAX_TRAINER = "keras/src/backend/jax/trainer.py"


def _frames(tb: Any, limit: int) -> Iterator[Any]:
    """The traceback's frames and, from its innermost one, the frames that called it (``f_back``).

    Keras filters its own frames out of a traceback (keras/src/utils/traceback_utils.py
    ``filter_traceback``), but the innermost frame it keeps (``input_spec.py``, where the error was
    raised) still links to its callers, the trainer among them.
    """
    seen = set()
    last = None
    while tb is not None and len(seen) < limit:
        last = tb.tb_frame
        if id(last) not in seen:
            seen.add(id(last))
            yield last
        tb = tb.tb_next
    frame = getattr(last, "f_back", None)
    while frame is not None and len(seen) < limit:
        if id(frame) not in seen:
            seen.add(id(frame))
            yield frame
        frame = frame.f_back


def reattach_jax_state(tb: Any, limit: int = 500) -> Optional[Any]:
    """Give a Keras model on JAX back the weights a failed ``fit`` / ``evaluate`` / ``predict`` took.

    Keras 3.15's JAX trainer (keras/src/backend/jax/trainer.py) detaches every variable's value
    before the first batch (``_get_jax_state(..., purge_model_variables=True)``: ``v._value = None``,
    "for memory saving") and attaches the values again with ``jax_state_sync()`` after the loop. When
    a batch raises, that never happens: the model's variables have no value, and any later call
    (``predict``, a fixed ``fit``, kerashape's verification) fails with ``'NoneType' object is not
    callable``. The values are still there: in ``model._jax_state`` after a batch that ran, else in
    the ``state`` local of the trainer's frame in the traceback. This puts them back through Keras's
    own ``jax_state_sync()``: the weights are the model's own, as they were when the batch failed.
    (Keras's traceback filter drops the trainer's frame from the traceback; it is found from the
    innermost frame's callers, see :func:`_frames`.)

    Args:
        tb: the failed call's traceback.

    Returns:
        The model whose weights were put back, or ``None`` (not JAX, nothing detached).
    """
    for frame in _frames(tb, limit):
        names = _JAX_STATE.get(frame.f_code.co_name)
        if names is None or not frame.f_code.co_filename.replace("\\", "/").endswith(_JAX_TRAINER):
            continue
        model = frame.f_locals.get("self")
        try:
            detached = [v for v in model.variables if getattr(v, "_value", 0) is None]
        except Exception:
            continue
        if not detached:
            return None
        state = frame.f_locals.get("state")
        if (
            not getattr(model, "_jax_state", None)
            and isinstance(state, (tuple, list))
            and len(state) == len(names)
        ):
            model._jax_state = dict(zip(names, state))
            model._jax_state_synced = False
        if getattr(model, "_jax_state", None) and not getattr(model, "_jax_state_synced", True):
            model.jax_state_sync()
            model._jax_state = None
            return model
        return None
    return None


#: XLA options for the one-off programs verification compiles (a 2-sample slice runs once): no
#: backend optimisation. Measured here on an LSTM over 1440 timesteps, 2 samples: 1.74 s eager
#: (one XLA compilation per op), 0.66 s as one jitted program, 0.47 s with these options.
_FAST_XLA = {"xla_backend_optimization_level": 0, "xla_llvm_disable_expensive_passes": True}

#: (architecture key, input signature) -> compiled ``stateless_call``; see :func:`jax_call`.
_jax_programs: "OrderedDict[Any, Any]" = OrderedDict()
JAX_CACHE_SIZE = 32


def jax_call(model: Any, xs: Any, architecture: Optional[str] = None) -> Any:
    """``model(xs, training=False)`` on JAX as one compiled program of Keras's pure
    ``model.stateless_call`` (keras/src/layers/layer.py: the weights go in as values, nothing is
    written back), instead of op by op. With an ``architecture`` key (verify.architecture_key: two
    models share it exactly when the same program computes both from their weights), the program
    is kept for the next model of that architecture and input signature (the last
    :data:`JAX_CACHE_SIZE`).

    Raises:
        Whatever tracing or running raises (the caller then calls the model eagerly, so that the
        verdict and its message are Keras's own).
    """
    import jax

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]
    signature = repr(jax.tree_util.tree_map(lambda a: (tuple(a.shape), str(a.dtype)), xs))
    key = (architecture, signature) if architecture is not None else None
    program = _jax_programs.get(key) if key is not None else None
    if program is None:
        template = model  # only while tracing: the compiled program keeps no Python object

        def call(trainable: Any, frozen: Any, xs: Any) -> Any:
            return template.stateless_call(trainable, frozen, xs, training=False)[0]

        lowered = jax.jit(call).lower(trainable, frozen, xs)
        del template
        try:
            program = lowered.compile(compiler_options=_FAST_XLA)
        except Exception:  # a jaxlib without these options
            program = lowered.compile()
        if key is not None:
            _jax_programs[key] = program
            while len(_jax_programs) > JAX_CACHE_SIZE:
                _jax_programs.popitem(last=False)
    elif key is not None:
        _jax_programs.move_to_end(key)
    return program(trainable, frozen, xs)


def keeping_tensorflow_out(fn: Any) -> Any:
    """Decorator: run ``fn`` inside :func:`tensorflow_kept_out` (apply, undo: they describe the
    models they change through ``get_config()``)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with tensorflow_kept_out():
            return fn(*args, **kwargs)

    return wrapper
