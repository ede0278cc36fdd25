"""Read-only targets are never a verified fix (issue 9: "a property that cannot be assigned is
not a verified fix").

A fix whose code assigns an attribute (``h.X = ...``) must survive Apply. Where the attribute
refuses assignment (a property without a setter, a frozen dataclass, a namedtuple field) the
verify step says so instead of running the transform on a slice and calling it verified.
Real parts: a real IPython shell with the extension, real Keras models, the pipeline's own
diagnosis. The facts layer never reads a property again: it keeps the value the call received
and the name ``h.X`` when ``h`` is the same object in the user's namespace and in the call's
frame (the pipeline tests at the end); the first property tests build the facts from the real
facts layer's description of the real objects and call verify's own entry.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np

SETUP = """
import collections, dataclasses
import numpy as np
import keras

@dataclasses.dataclass(frozen=True)
class Frozen:
    X: object

class Slots:
    __slots__ = ("X",)
    def __init__(self, X):
        self.X = X

raw = np.random.rand(8, 72).astype("float32")
y = np.random.rand(8, 1).astype("float32")
fz, sl = Frozen(raw.copy()), Slots(raw.copy())
model = keras.Sequential([keras.Input((24, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def _run(shell, code):
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        return shell.run_cell(code)


def test_a_frozen_dataclass_field_is_not_a_verified_target_and_the_note_says_why(tf, shell):
    import kerashape

    assert _run(shell, SETUP).success
    _run(shell, "model.fit(fz.X, y, epochs=1, verbose=0)")
    d = kerashape.last()
    assert d is not None and d.received_name == "fz.X"
    assigning = [f for f in d.fixes if "fz.X = " in f.code]
    assert assigning, [f.code for f in d.fixes]
    for fix in assigning:
        assert not fix.verified, fix.verification
        assert "`fz.X` cannot be assigned (Frozen is a frozen dataclass)" in fix.verification
        assert "assign a new variable instead" in fix.verification
    # the note is true: Apply's code raises on the user's object
    result = _run(shell, assigning[0].code)
    assert isinstance(result.error_in_exec, AttributeError)  # dataclasses.FrozenInstanceError
    assert shell.user_ns["fz"].X.shape == (8, 72)


def test_an_assignable_slot_stays_verified(tf, shell):
    import kerashape

    assert _run(shell, SETUP).success
    _run(shell, "model.fit(sl.X, y, epochs=1, verbose=0)")
    d = kerashape.last()
    assert d is not None and d.received_name == "sl.X"
    assert any(f.verified and "sl.X = " in f.code for f in d.fixes), [
        (f.code, f.verification) for f in d.fixes
    ]


class Holder:
    """Data behind a property without a setter."""

    def __init__(self, X):
        self._X = X

    @property
    def X(self):
        return self._X


class Settable(Holder):
    """The same, with a setter."""

    @property
    def X(self):
        return self._X

    @X.setter
    def X(self, value):
        self._X = value


def _verified(tf, holder):
    """The diagnosis of ``model.fit(h.X, y)`` from the real facts layer's description of the
    real objects, proposed and verified by the package's own entries."""
    import keras

    from kerashape_magic import facts as F
    from kerashape_magic import verify_internal, verify_labels  # noqa: F401  (register verifiers)
    from kerashape_magic.core.diagnose import diagnose
    from kerashape_magic.core.types import CallFact, Facts
    from kerashape_magic.facts import Gathered
    from kerashape_magic.verify import verify

    model = keras.Sequential([keras.Input((24, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    y = np.random.rand(8, 1).astype("float32")
    ns = {"h": holder, "y": y, "model": model, "np": np}
    x_fact = F.data_fact(holder.X, "h.X", "h.X", "x", ns)
    facts = Facts(
        model=F.model_fact(model, "model"),
        data=(x_fact, F.data_fact(y, "y", "y", "y", ns)),
        call=CallFact("fit"),
    )
    d = diagnose(None, facts, "check")
    assert d is not None and d.received_name == "h.X", d
    gathered = Gathered(facts, model, {"x": holder.X, "y": y, "h.X": holder.X}, ns)
    return verify(d, gathered)


def test_a_read_only_property_is_not_a_verified_target_and_the_note_says_why(tf):
    d = _verified(tf, Holder(np.random.rand(8, 72).astype("float32")))
    assigning = [f for f in d.fixes if "h.X = " in f.code]
    assert assigning
    for fix in assigning:
        assert not fix.verified
        assert fix.verification.startswith(
            "not verified: `h.X` is a read-only property: assign a new variable"
        )


def test_a_property_with_a_setter_is_verified(tf):
    d = _verified(tf, Settable(np.random.rand(8, 72).astype("float32")))
    assert any(f.verified and "h.X = " in f.code for f in d.fixes), [
        (f.code, f.verification) for f in d.fixes
    ]


# --------------------------------------------------------------------------- the real pipeline

HOLDERS = """
import collections
import numpy as np
import keras

class Holder:
    def __init__(self, X):
        self._X = X
    @property
    def X(self):
        return self._X

Pair = collections.namedtuple("Pair", "X y")
raw = np.random.rand(8, 72).astype("float32")
y = np.random.rand(8, 1).astype("float32")
h, p = Holder(raw.copy()), Pair(raw.copy(), y)
model = keras.Sequential([keras.Input((24, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_data_behind_a_property_or_a_namedtuple_field_keeps_its_name_through_the_shell(tf, shell):
    """The facts layer never reads ``h.X`` again (a property may be slow or have effects): the call's
    own value is used, and the name ``h.X`` is kept because ``h`` is the same object in the user's
    namespace and in the call's frame. Verify then says why ``h.X = ...`` cannot be applied."""
    import kerashape

    assert _run(shell, HOLDERS).success
    cases = (
        ("model.fit(h.X, y, epochs=1, verbose=0)", "h.X", "`h.X` is a read-only property"),
        (
            "model.fit(p.X, p.y, epochs=1, verbose=0)",
            "p.X",
            "`p.X` is a read-only field (Pair is a namedtuple)",
        ),
    )
    for call, name, why in cases:
        assert not _run(shell, call).success
        d = kerashape.last()
        assert d is not None and d.kind == "flattened_input" and d.received_name == name, d
        assigning = [f for f in d.fixes if f.code.count("%s = " % name)]
        assert assigning, [f.code for f in d.fixes]
        for fix in assigning:
            assert not fix.verified
            assert fix.verification.startswith("not verified: %s: assign a new variable instead" % why), (
                fix.verification
            )
        # the note is true: Apply's code raises on the user's object, which stays as it was
        assert isinstance(_run(shell, assigning[0].code).error_in_exec, AttributeError)
        assert shell.user_ns["raw"].shape == (8, 72) and getattr(shell.user_ns[name[0]], "X").shape == (8, 72)


def test_a_dotted_name_through_another_owner_is_not_kept(tf, shell):
    """Inside a function, ``h`` is a local that is not the user's ``h``: ``h.X`` in the user's
    namespace would be another array, so no fix may name it."""
    import kerashape

    assert _run(shell, HOLDERS).success
    cell = "def train(h):\n    model.fit(h.X, y, epochs=1, verbose=0)\n\ntrain(Holder(raw.copy()))\n"
    assert not _run(shell, cell).success
    d = kerashape.last()
    assert d is not None and d.received_name != "h.X"
    assert not any("h.X" in f.code for f in d.fixes), [f.code for f in d.fixes]
