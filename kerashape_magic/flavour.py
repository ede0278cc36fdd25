"""Which Keras a model belongs to: Keras 3 (``keras``) or Keras 2 (``tf_keras``, ``tf.keras`` in legacy mode).

Several Keras packages can live in one process: Keras 3 (``import keras``, on TensorFlow, JAX or
PyTorch), Keras 2 as ``tf_keras`` (``import tf_keras``, or ``tf.keras`` when ``TF_USE_LEGACY_KERAS``
is set), and the old standalone ``keras`` 2.x that TensorFlow <= 2.15 shipped. A model, a layer or
a symbolic tensor says which one made it through its class's ``__module__`` (and its MRO, for a
subclass defined in the user's code); kerashape then rebuilds, clones, compiles and converts with
*that* package, never with whichever ``keras`` an ``import`` statement would find.

Nothing here imports a framework: a package is only returned when it is already in ``sys.modules``
(an object can only come from a package that was imported).

Outside sources consulted (versions installed here: keras 3.15.1, tf_keras 2.21.0, tensorflow 2.21.0):

- tensorflow/python/util/lazy_loader.py, ``KerasLazyLoader._initialize``: ``tf.keras`` is ``tf_keras``
  when ``TF_USE_LEGACY_KERAS`` is ``1``/``true``/``yes``, else Keras 3 when ``keras`` >= 3, else
  ``keras`` 2. ``from tensorflow import keras`` binds that loader object, a ``types.ModuleType``
  subclass whose ``__name__`` is ``tf_keras.api._v2.keras`` / ``keras._tf_keras.keras``.
- tf_keras/src/engine/training.py: ``Model.compile`` sets ``_is_compiled`` (there is no
  ``compiled`` attribute) and keeps its arguments in ``_compile_config.config`` as Keras 3 does
  (keras/src/trainers/trainer.py sets ``compiled``).
- tf_keras/src/models/cloning.py: ``clone_model(model, input_tensors=None, clone_function=None)``;
  Keras 3's keras/src/models/cloning.py adds ``call_function`` (used to insert or remove layers).
- keras/src/backend/config.py ``backend()``; tf_keras runs on TensorFlow only.
"""

from __future__ import annotations

import os
import sys
import types
from dataclasses import dataclass
from typing import Any, Optional

#: Top-level packages whose classes are Keras's. ``keras`` is Keras 3, or Keras 2 when its
#: ``__version__`` starts with 2 (TensorFlow <= 2.15).
PACKAGES = ("keras", "tf_keras")

#: ``__name__`` of the module objects that stand for a Keras package in a namespace -> that package:
#: ``import keras``, ``import tf_keras as keras``, the API modules TensorFlow's ``tf.keras`` resolves
#: to (``keras._tf_keras.keras`` for Keras 3, ``tf_keras.api._v2.keras`` in legacy mode,
#: ``keras.api._v2.keras`` for the standalone Keras 2 of TensorFlow <= 2.15).
MODULE_PACKAGES = {
    "keras": "keras",
    "keras.api": "keras",
    "keras._tf_keras.keras": "keras",
    "keras.api._v2.keras": "keras",
    "tensorflow.keras": "keras",
    "tf_keras": "tf_keras",
    "tf_keras.api._v2.keras": "tf_keras",
}


@dataclass(frozen=True)
class Flavour:
    """One Keras package as a model sees it.

    Attributes:
        package: the top-level package name, ``"keras"`` or ``"tf_keras"``.
        version: its ``__version__`` (``"3.15.1"``, ``"2.21.0"``), ``""`` when unknown.
        backend: ``"tensorflow"``, ``"jax"``, ``"torch"`` or ``"numpy"``.
    """

    package: str
    version: str
    backend: str

    @property
    def major(self) -> int:
        """The major version (3 when the version cannot be read from a ``keras`` package)."""
        head = self.version.split(".")[0]
        if head.isdigit():
            return int(head)
        return 3 if self.package == "keras" else 2

    @property
    def keras3(self) -> bool:
        """True for Keras 3 (``call_function`` in ``clone_model``, ``model.compiled``, ``keras.ops``)."""
        return self.major >= 3

    @property
    def module(self) -> Any:
        """The package's module object (already imported: taken from ``sys.modules``)."""
        return sys.modules[self.package]

    @property
    def import_line(self) -> str:
        """The line that binds ``keras`` to this package in fix code (see :func:`import_line`)."""
        return import_line(self)


def _version(package: str) -> str:
    mod = sys.modules.get(package)
    v = getattr(mod, "__version__", "") if mod is not None else ""
    if not v and package == "keras":
        v = getattr(sys.modules.get("keras.src.version"), "__version__", "")
    return v if isinstance(v, str) else ""


def _backend(package: str, version: str) -> str:
    if package == "tf_keras" or (version[:1].isdigit() and int(version.split(".")[0]) < 3):
        return "tensorflow"
    cfg = sys.modules.get("keras.src.backend.config")
    try:
        return str(cfg.backend()) if cfg is not None else "tensorflow"
    except Exception:
        return "tensorflow"


def package_of(obj: Any) -> Optional[str]:
    """The Keras package ``obj`` (a model, layer, KerasTensor, loss, optimizer...) belongs to.

    Read from ``type(obj).__mro__`` (a user's subclass of ``keras.Model`` is Keras's through its
    base): the first class whose module's top-level package is in :data:`PACKAGES` and imported.

    Args:
        obj: any object; a class is looked at as itself.

    Returns:
        ``"keras"`` or ``"tf_keras"``; ``None`` for an object of no Keras (a NumPy array, an
        eager ``tf.Tensor``, a ``tf.data.Dataset``).
    """
    cls = obj if isinstance(obj, type) else type(obj)
    try:
        mro = cls.__mro__
    except Exception:
        return None
    for c in mro:
        mod = getattr(c, "__module__", None)
        if not isinstance(mod, str):
            continue
        root = mod.split(".", 1)[0]
        if root in PACKAGES and root in sys.modules:
            return root
    return None


def flavour_of(obj: Any) -> Optional[Flavour]:
    """The :class:`Flavour` of the package ``obj`` belongs to, or ``None`` (see :func:`package_of`)."""
    package = package_of(obj)
    if package is None:
        return None
    version = _version(package)
    return Flavour(package, version, _backend(package, version))


def imported() -> Optional[Flavour]:
    """The Keras the user's session has imported, when no model says which: Keras 3 first.

    ``None`` when neither ``keras`` nor ``tf_keras`` is in ``sys.modules``.
    """
    for package in PACKAGES:
        if package in sys.modules:
            version = _version(package)
            return Flavour(package, version, _backend(package, version))
    return None


def keras_of(obj: Any = None) -> Any:
    """The Keras package module for ``obj`` (its own), else the one imported; never imports one.

    Raises:
        LookupError: no Keras package is imported (so ``obj`` cannot be a Keras object).
    """
    f = flavour_of(obj) if obj is not None else None
    f = f or imported()
    if f is None:
        raise LookupError("no Keras package is imported")
    return f.module


def keras_for(obj: Any = None) -> Any:
    """Like :func:`keras_of`, but imports Keras 3 (``import keras``) when no Keras is imported.

    For utilities any Keras would do (``pad_sequences``, a loss by name) when ``obj`` says nothing.
    """
    try:
        return keras_of(obj)
    except LookupError:
        import keras

        return keras


def is_compiled(model: Any) -> bool:
    """``model.compile`` was called: Keras 3's ``compiled``, Keras 2's ``_is_compiled``."""
    value = getattr(model, "compiled", None)
    if isinstance(value, bool):
        return value
    return bool(getattr(model, "_is_compiled", False))


def legacy_mode() -> bool:
    """``tf.keras`` is Keras 2 (``TF_USE_LEGACY_KERAS``, tensorflow/python/util/lazy_loader.py)."""
    return os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true", "yes")


def import_line(flavour: Optional[Flavour]) -> str:
    """The import that binds the name ``keras`` to ``flavour``'s package in fix code.

    Keras 3 and the old standalone Keras 2: ``import keras``. ``tf_keras``: ``from tensorflow
    import keras`` in legacy mode (what Keras 2 notebooks write), else ``import tf_keras as keras``
    (``tf.keras`` would then be Keras 3).
    """
    if flavour is None or flavour.package == "keras":
        return "import keras\n"
    return "from tensorflow import keras\n" if legacy_mode() else "import tf_keras as keras\n"


def module_package(value: Any) -> Optional[str]:
    """The Keras package a namespace value stands for: ``"keras"``, ``"tf_keras"`` or ``None``.

    Reads ``__name__`` from the module's ``__dict__`` (no module ``__getattr__`` runs, so a
    ``tf.keras`` lazy loader is not loaded by looking at it). Accepts ``types.ModuleType`` and
    its subclasses (TensorFlow's ``KerasLazyLoader``).
    """
    if not isinstance(value, types.ModuleType):
        return None
    try:
        d = vars(value)
    except Exception:
        return None
    if "_tfll_mode" in d:  # a tf.keras KerasLazyLoader (tensorflow/python/util/lazy_loader.py)
        if d.get("_tfll_submodule") is not None:
            return None
        loaded = d.get("_tfll_keras_version")  # "tf_keras", "keras_3", "keras_2"; None until first use
        if loaded is None:
            return "tf_keras" if legacy_mode() else "keras"
        return "tf_keras" if loaded == "tf_keras" else "keras"
    name = d.get("__name__")
    return MODULE_PACKAGES.get(name) if isinstance(name, str) else None


def keras2_default_embedding_input(model: Any, input_shapes: Any) -> bool:
    """Whether a Keras 2 Sequential's only "declared" input is the one its first Embedding gives
    itself: ``input_shape=(input_length,)``, ``(None,)`` when no ``input_length`` was given
    (tf_keras/src/layers/core/embedding.py, ``Embedding.__init__``). The user declared nothing;
    Keras 2 runs the layers on whatever rank the data has, as a Keras 3 lazy Sequential does.
    """
    if tuple(tuple(s) for s in input_shapes or ()) != ((None, None),) or type(model).__name__ != "Sequential":
        return False
    found = flavour_of(model)
    if found is None or found.keras3:
        return False
    try:
        first = model.layers[0]
    except Exception:
        return False
    return type(first).__name__ == "Embedding" and getattr(first, "input_length", 0) is None
