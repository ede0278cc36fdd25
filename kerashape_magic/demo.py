"""``python -m kerashape_magic.demo``: seed 001's failing LSTM fit, explained in a terminal.

Runs in a real :class:`IPython.core.interactiveshell.InteractiveShell`, the way a notebook
would:

1. ``%load_ext kerashape``;
2. seed 001, example 1: ``X_train`` of shape ``(100, 24, 1)`` (one feature) into an
   ``LSTM(50, input_shape=(24, 3))`` declared for three features;
3. the failing cell ``model.fit(X_train, y_train, epochs=1, verbose=0)``: Keras's own
   traceback, unchanged, then kerashape's text panel below it;
4. what *verified* means, then ``kerashape.apply()`` of the first verified fix, and the
   same cell again, which now trains;
5. ``kerashape.undo()``, which puts the original objects back.

Needs TensorFlow (``pip install -e ".[demo]"``). Exits 0 when every step did what it says,
1 otherwise, with one line saying which step went wrong.
"""

from __future__ import annotations

import os
import sys
import textwrap
import warnings
from typing import Any, List, Optional

#: Seed 001, example 1 (also ``demo_notebooks/seed001_lstm_input.ipynb``).
SETUP = """\
import numpy as np
from tensorflow import keras
from keras.layers import LSTM, Dense

X_train = np.random.rand(100, 24, 1)   # 100 samples, 24 timesteps, 1 feature
y_train = np.random.rand(100, 1)

model = keras.Sequential([
    LSTM(50, input_shape=(24, 3)),     # declared for 3 features
    Dense(1),
])
model.compile(optimizer="adam", loss="mse")"""

CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"

#: What [verified] in the panel means, said once before the fix is applied.
VERIFIED_MEANS = (
    "[verified] means: kerashape ran this very code here, on a slice of your data (at most 2",
    "samples), and then your own call (here model.fit) worked on the result, with your real",
    "model or a rebuilt copy. Nothing of yours changed: only Apply rebinds X_train or model,",
    "and Undo puts the old objects back. [not verified] fixes did not pass that test.",
)

_RULE = "-" * 78


def _say(*lines: str) -> None:
    for line in lines:
        print(line)
    sys.stdout.flush()


def _step(title: str) -> None:
    _say("", _RULE, title, _RULE)


def _echo(shell: Any, code: str) -> None:
    """Print ``code`` the way IPython's terminal shows an input cell."""
    n = shell.execution_count
    prompt = "In [%d]: " % n
    more = " " * (len(prompt) - 5) + "...: "
    lines = code.splitlines() or [""]
    _say(prompt + lines[0], *(more + line for line in lines[1:]))


def _run(shell: Any, code: str) -> Any:
    _echo(shell, code)
    result = shell.run_cell(code, store_history=True)
    sys.stdout.flush()
    sys.stderr.flush()
    return result


def _no_colour(shell: Any) -> None:
    """Plain tracebacks when the output is not a terminal (CI logs, a pipe)."""
    if sys.stdout.isatty():
        return
    for scheme in ("nocolor", "NoColor"):  # IPython >= 9 / older
        try:
            shell.colors = scheme
            return
        except Exception:
            continue


def _fail(why: str) -> int:
    _say("", "demo: " + why)
    return 1


def main(argv: Optional[List[str]] = None) -> int:
    """Run the demo; return the process exit code."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # before TensorFlow is imported
    # Keras 3 advises keras.Input(shape) over input_shape=; the seed document uses input_shape.
    warnings.filterwarnings("ignore", message=r".*`input_shape`.*")

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    _no_colour(shell)

    _say(
        "kerashape demo: seed 001, example 1. An LSTM declared for (24 timesteps, 3 features)",
        "is given data with 1 feature. Each cell below runs in a real IPython shell.",
    )

    _step("1. Load the extension")
    if not _run(shell, "%load_ext kerashape").success:
        return _fail("%load_ext kerashape failed (see above)")
    import kerashape

    _step("2. The data and the model (seed 001, example 1)")
    if not _run(shell, SETUP).success:
        return _fail('the setup cell failed; is TensorFlow installed? pip install -e ".[demo]"')

    _step("3. The failing cell: Keras's traceback, then kerashape's panel")
    if _run(shell, CELL).success:
        return _fail("the cell was expected to fail, but Keras accepted the data")
    diagnosis = kerashape.last()
    if diagnosis is None:
        return _fail("the cell failed but kerashape made no diagnosis")
    verified = diagnosis.verified_fixes
    if not verified:
        return _fail("kerashape offered no verified fix (offered: %s)" % [f.kind for f in diagnosis.fixes])
    fix = verified[0]

    _step("4. Apply the first verified fix, then run the same cell again")
    _say(*VERIFIED_MEANS)
    if fix.verification:
        from .render._common import plain_paths

        how = "This one: %s." % plain_paths(fix.verification).rstrip(".")
        _say(*textwrap.wrap(how, width=88))
    _say("")
    _say("kerashape.last().kind == %r" % diagnosis.kind)
    _say("first verified fix: %s (%s)" % (fix.title, fix.kind), "code it runs:")
    _say(*("    " + line for line in fix.code.splitlines()))
    try:
        message = kerashape.apply(fix)
    except Exception as error:  # a KerashapeError: the namespace was rolled back
        return _fail("applying the fix failed: %s" % error)
    _say("kerashape.apply(...) -> %s" % message, "")
    if not _run(shell, CELL).success:
        return _fail("the cell still fails after the fix")
    model = shell.user_ns.get("model")
    try:
        accepts = tuple(model.inputs[0].shape)
    except Exception:
        accepts = None
    _say("", "The cell ran: one epoch of training on X_train %s." % (tuple(shell.user_ns["X_train"].shape),))
    if accepts is not None:
        _say("The model now takes %s." % (accepts,))

    _step("5. Undo")
    try:
        _say("kerashape.undo() -> %s" % kerashape.undo())
    except Exception as error:
        return _fail("undo failed: %s" % error)
    _say(
        "",
        "In a notebook the same panel shows the table, a drawing of both shapes, an Apply",
        "button per fix and an Undo button. Try demo_notebooks/ in Jupyter.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
