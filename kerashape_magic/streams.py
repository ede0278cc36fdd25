"""Random streams and Keras's name counters, kept exactly as they were around a diagnosis.

Verification builds rebuilt copies of the user's model (new layers draw initial weights and
take names) and runs models on slices; none of that may move the user's random streams or
name counters (issue 10, item 8): after ``keras.utils.set_random_seed(1234)`` the next draw,
the next new layer's weights and its name must be what they would have been without
kerashape. :func:`kept` snapshots every stream that is already in use and puts it back.

The streams, each read only when its framework is already imported (nothing is imported for
this): Python's ``random``; NumPy's global ``RandomState``; Keras 3's global seed generator
and seed (keras/src/random/seed_generator.py, ``global_seed_generator``) and its
``object_name_uids`` counters (keras/src/utils/naming.py, ``get_uid``), both in
keras/src/backend/common/global_state.py; Keras 2's per-graph name counters and observed names
(tf_keras/src/backend.py); TensorFlow's global ``tf.random.Generator``
(tensorflow/python/ops/stateful_random_ops.py, only if one exists) and the eager context's
op-seed generator (tensorflow/python/eager/context.py, ``_rng``).
"""

from __future__ import annotations

import contextlib
import copy
import random
import sys
from typing import Any, Callable, Iterator, List


def _snapshot() -> List[Callable[[], None]]:
    """Closures that put every stream in use back as it is now."""
    restore: List[Callable[[], None]] = []
    state = random.getstate()
    restore.append(lambda: random.setstate(state))
    np = sys.modules.get("numpy")
    if np is not None:
        np_state = np.random.get_state()
        restore.append(lambda: np.random.set_state(np_state))
    gs = sys.modules.get("keras.src.backend.common.global_state")
    if gs is not None:
        tracker = getattr(gs, "GLOBAL_STATE_TRACKER", None)
        attrs = getattr(tracker, "__dict__", {})
        uids = attrs.get("object_name_uids")
        if uids is not None:
            counts = dict(uids)

            def _uids(uids: Any = uids, counts: dict = counts) -> None:
                uids.clear()
                uids.update(counts)

            restore.append(_uids)
        gen = attrs.get("global_seed_generator")
        # a seed generator created during the diagnosis must not outlive it
        restore.append(lambda gen=gen: gs.set_global_attribute("global_seed_generator", gen))
        variable = getattr(gen, "state", None)
        if variable is not None:
            try:
                value = copy.deepcopy(variable.numpy())
                restore.append(lambda: variable.assign(value))
            except Exception:
                pass
        if "global_random_seed" in attrs:
            seed = attrs["global_random_seed"]
            restore.append(lambda: gs.set_global_attribute("global_random_seed", seed))
    tk_backend = sys.modules.get("tf_keras.src.backend")
    if tk_backend is not None:
        restore.extend(_tf_keras_names(tk_backend))
    sro = sys.modules.get("tensorflow.python.ops.stateful_random_ops")
    tf_gen = getattr(sro, "global_generator", None) if sro is not None else None
    if tf_gen is not None:
        try:
            tf_state = tf_gen.state.numpy().copy()
            restore.append(lambda: tf_gen.state.assign(tf_state))
        except Exception:
            pass
    ctx_mod = sys.modules.get("tensorflow.python.eager.context")
    if ctx_mod is not None:
        try:
            ctx = ctx_mod.context()
            rng = getattr(ctx, "_rng", None)
            if rng is not None:
                rng_state = rng.getstate()
                restore.append(lambda: rng.setstate(rng_state))
        except Exception:
            pass
    return restore


def _tf_keras_names(backend: Any) -> List[Callable[[], None]]:
    """Keras 2's name counters: one ``defaultdict(int)`` per graph in ``PER_GRAPH_OBJECT_NAME_UIDS``
    and the ``OBSERVED_NAMES`` set (tf_keras/src/backend.py ``get_uid``, ``unique_object_name``,
    tf-keras 2.21), and its initializers' seed generator. Counters of graphs first seen during the
    block are dropped."""
    uids = getattr(backend, "PER_GRAPH_OBJECT_NAME_UIDS", None)
    observed = getattr(backend, "OBSERVED_NAMES", None)
    restore: List[Callable[[], None]] = []
    if uids is not None:
        counts = {graph: dict(per) for graph, per in list(uids.items())}

        def _uids() -> None:
            for graph in list(uids.keys()):
                if graph not in counts:
                    del uids[graph]
            for graph, per in counts.items():
                if graph in uids:
                    uids[graph].clear()
                    uids[graph].update(per)

        restore.append(_uids)
    # ``tf_keras.utils.set_random_seed`` seeds a ``random.Random`` here (thread-local), and every
    # unseeded initializer draws its seed from it (tf_keras/src/backend.py ``RandomGenerator``)
    generator = getattr(getattr(backend, "_SEED_GENERATOR", None), "generator", None)
    if generator is not None and hasattr(generator, "getstate"):
        state = generator.getstate()
        restore.append(lambda: generator.setstate(state))
    if isinstance(observed, set):
        names = set(observed)

        def _observed() -> None:
            observed.clear()
            observed.update(names)

        restore.append(_observed)
    return restore


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Run the block, then put every random stream and name counter back as it was.

    Example:
        >>> import random
        >>> random.seed(7); expected = random.random(); random.seed(7)
        >>> with kept():
        ...     _ = [random.random() for _ in range(5)]
        >>> random.random() == expected
        True
    """
    restore = _snapshot()
    try:
        yield
    finally:
        for fn in restore:
            try:
                fn()
            except Exception:
                pass
