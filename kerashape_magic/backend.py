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
    """A block that runs models on a few samples: on PyTorch without autograd (``torch.no_grad()``,
    thread-local) and on one intra-op thread (``torch.set_num_threads(1)``, put back after);
    elsewhere nothing changes.

    One thread: PyTorch's CPU ops on a 2-sample slice are microseconds of work, and its thread
    pool waits for every worker at each op. Measured here (2 cores shared with other processes,
    torch 2.13, Keras 3.15 ``_fallback_lstm`` over 1440 timesteps, 2 samples): 2.5-10 s with the
    default 2 threads, 0.12-0.15 s with 1.

    Example:
        >>> with on_slices():
        ...     pass
    """
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "no_grad"):
        yield
        return
    threads = torch.get_num_threads()
    with torch.no_grad():
        if threads > 1:
            torch.set_num_threads(1)
        try:
            yield
        finally:
            if threads > 1:
                torch.set_num_threads(threads)


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
