"""Issue 10, items 10 and 15: module aliases are real modules under valid identifiers, nothing else.

A namespace key that is not an identifier but is bound to NumPy used to be copied into a
verified fix's code and executed on apply.
"""

import contextlib
import io
import types

from kerashape_magic import _state, facts

HOSTILE = "(__import__('os').system('echo kerashape-pwned') and 0) or numpy"


def test_aliases_skip_keys_that_are_not_identifiers_and_objects_that_are_not_modules():
    import numpy

    class FakeModule:  # not a module: its __getattr__ would run if asked
        def __getattr__(self, name):
            raise AssertionError("asked " + name)

    sub = type("Lazy", (types.ModuleType,), {})("numpy")  # a ModuleType subclass (a lazy loader)
    ns = {HOSTILE: numpy, "class": numpy, "fake": FakeModule(), "lazy": sub, "_np": numpy, "numpy_ok": numpy}
    assert dict(facts._aliases(ns)) == {"numpy": "numpy_ok"}
    assert facts._aliases({HOSTILE: numpy}) == ()


def test_a_hostile_key_never_reaches_a_fix(shell, tf):
    cell = """
import numpy
import keras
from keras.layers import Conv2D, Dense, Flatten, Input
model = keras.Sequential([Input((28, 28, 1)), Conv2D(4, 3), Flatten(), Dense(10)])
image = numpy.random.rand(28, 28, 1)  # one image without its batch axis: numpy's expand_dims fixes it
del numpy
"""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert shell.run_cell(cell).success
        import numpy

        shell.user_ns[HOSTILE] = numpy
        _state.last_diagnosis = None
        shell.run_cell("model.predict(image, verbose=0)")
    d = _state.last_diagnosis
    assert d is not None and d.kind == "missing_axis"
    assert "__import__" not in repr(d)  # in no fix, tried or offered
    assert HOSTILE not in dict(facts._aliases(shell.user_ns)).values()
