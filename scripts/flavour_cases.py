#!/usr/bin/env python3
"""Run a scenario folder under one Keras flavour: the same case files, a flavour-specific header.

Usage::

    python scripts/flavour_cases.py --flavour tf-keras|tf_keras|jax|torch|tf <folder> [<folder> ...] \
        [-k SUBSTR] [-v]

Run it with the Python of the flavour's virtual environment (``/work/venv-tfkeras/bin/python``...):
the runner starts ``<that python> <acceptance run.py> <temp folder>`` in a subprocess.

Each case file (``SETUP`` / ``CELL`` / ``CHECK`` ... strings, see the acceptance ``run.py``) is
copied to a temporary folder with its import lines rewritten for the flavour:

- ``tf-keras`` (Keras 2 through ``tf.keras``): ``import keras`` -> ``from tensorflow import keras``,
  ``from keras.x import ...`` -> ``from tensorflow.keras.x import ...``; environment
  ``TF_USE_LEGACY_KERAS=1`` (so ``tf.keras`` is ``tf_keras``; tensorflow/python/util/lazy_loader.py,
  ``KerasLazyLoader._initialize``).
- ``tf_keras`` (Keras 2 imported by its own name): ``import tf_keras as keras``,
  ``from tf_keras.x import ...``; ``TF_USE_LEGACY_KERAS=1`` as well (``tf.data`` still works).
- ``jax`` / ``torch`` / ``tf`` (Keras 3): ``from tensorflow import keras`` -> ``import keras``,
  ``from tensorflow.keras.x`` -> ``from keras.x``; ``KERAS_BACKEND`` set. When TensorFlow is not
  installed, ``import tensorflow as tf`` is dropped and a case that still uses ``tf.`` is counted
  apart (it needs TensorFlow: tf.data, tf.Tensor).

A case that cannot exist on a flavour is listed in ``SKIP`` with the reason; it is printed and
counted apart, never as a pass. The last line reads::

    flavour <name>: acceptance P/N passed (K counted apart: case, case ...)

Exit status: 0 when every case that ran passed.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.environ.get("KERASHAPE_ACCEPTANCE_RUN", "/work/shared/acceptance/run.py")

FLAVOURS = ("tf-keras", "tf_keras", "jax", "torch", "tf")

#: Environment per flavour.
ENV = {
    "tf-keras": {"TF_USE_LEGACY_KERAS": "1"},
    "tf_keras": {"TF_USE_LEGACY_KERAS": "1"},
    "jax": {"KERAS_BACKEND": "jax"},
    "torch": {"KERAS_BACKEND": "torch"},
    "tf": {"KERAS_BACKEND": "tensorflow"},
}

#: Cases that cannot exist on a flavour: {flavour: {case name (file stem): reason}}.
#: Keep the reason factual (what the framework does), so that the exclusion can be re-checked.
_KERAS2_SQUEEZES = (
    "Keras 2 squeezes a trailing size-1 axis down to the model's input rank "
    "(tf_keras/src/engine/functional.py _conform_to_reference_input): the cell does not fail"
)
_KERAS2_ONE_TARGET = (
    "Keras 2 hands one label array to every output (tf_keras/src/engine/compile_utils.py "
    "map_to_output_names) and the loss broadcasts: the cell does not fail"
)
_KERAS2_STATEFUL = (
    "tf_keras 2.21 predicts one sample with a stateful RNN declared for batch 4 without an error (measured): "
    "the cell does not fail"
)
_KERAS2 = {
    "stateful_predict_one_sample": _KERAS2_STATEFUL,
    "stateful_gru_predict_one_sample": _KERAS2_STATEFUL,
    "multi_output_one_label_array": _KERAS2_ONE_TARGET,
    "multi_output_three_params": _KERAS2_ONE_TARGET,
    "embedding_extra_axis_lstm": _KERAS2_SQUEEZES,
    "embedding_extra_axis_conv1d": _KERAS2_SQUEEZES,
    "siamese_pairs_stacked_in_one_array": "the setup's Lambda calls keras.ops, which Keras 2 does not have "
    "(tf_keras has no ops module): the model cannot be built as written",
    "images_flat_csv_dataframe": "tf_keras 2.21 aborts the Python process inside the user's own fit "
    "(TensorFlow tensor_format.h 'Check failed': (N, 144) rows into a trained Conv2D): no exception exists",
}
#: Keras 3 utilities that build a tf.data.Dataset: cases using them need TensorFlow, which the JAX and
#: PyTorch legs do not install (the generic ``tf.`` check below does not see them).
_NEEDS_TF_DATA = {
    "dataset_batched_twice_timeseries": "keras.utils.timeseries_dataset_from_array returns a "
    "tf.data.Dataset (keras/src/utils/timeseries_dataset_utils.py): needs TensorFlow, not installed here",
}

#: Keras 3.15 on PyTorch 2.13 cannot train a stateful RNN: the setup's own fit fails ("one of the
#: variables needed for gradient computation has been modified by an inplace operation").
_TORCH = dict(
    _NEEDS_TF_DATA,
    stateful_gru_predict_one_sample="the setup's fit of a stateful GRU fails on PyTorch (autograd: a "
    "variable needed for the gradient was modified in place): the scenario cannot be set up",
    stateful_predict_one_sample="the setup's fit of a stateful LSTM fails on PyTorch (autograd: a "
    "variable needed for the gradient was modified in place): the scenario cannot be set up",
)
#: JAX's sparse_categorical_crossentropy (keras/src/backend/jax/nn.py, one_hot + log_softmax) gives a
#: label past the output's units an all-zero one-hot row: no error exists to explain.
_JAX = dict(
    _NEEDS_TF_DATA,
    labels_classes_exceed_units="on JAX a class index past the output's units trains without an error "
    "(its one-hot row is all zeros)",
    image_size_trained_predict="on JAX a Functional model whose layers take any image size "
    "(GlobalAveragePooling2D) predicts 24x24 images declared 30x30 without an error (measured, Keras 3.15, "
    "jax 0.10); kerashape's warning after the cell offers the same verified resize",
)

SKIP: dict = {
    "tf-keras": _KERAS2,
    "tf_keras": _KERAS2,
    "jax": _JAX,
    "torch": _TORCH,
    "tf": {},
}

_KERAS3_IMPORT = re.compile(r"^(\s*)import keras\s*$", re.M)
_KERAS3_FROM = re.compile(r"^(\s*)from keras((?:\.\w+)*) import ", re.M)
_TFKERAS_IMPORT = re.compile(r"^(\s*)from tensorflow import keras\s*$", re.M)
_TFKERAS_FROM = re.compile(r"^(\s*)from tensorflow\.keras((?:\.\w+)*) import ", re.M)
_TF_IMPORT = re.compile(r"^(\s*)import tensorflow as tf\s*$", re.M)
_TF_USE = re.compile(r"\btf\.")


def rewrite(text: str, flavour: str, have_tf: bool = True) -> str:
    """The case file's text with its import lines rewritten for ``flavour``."""
    if flavour == "tf-keras":
        text = _KERAS3_IMPORT.sub(r"\1from tensorflow import keras", text)
        text = _KERAS3_FROM.sub(r"\1from tensorflow.keras\2 import ", text)
    elif flavour == "tf_keras":
        text = _KERAS3_IMPORT.sub(r"\1import tf_keras as keras", text)
        text = _TFKERAS_IMPORT.sub(r"\1import tf_keras as keras", text)
        text = _KERAS3_FROM.sub(r"\1from tf_keras\2 import ", text)
        text = _TFKERAS_FROM.sub(r"\1from tf_keras\2 import ", text)
    else:
        text = _TFKERAS_IMPORT.sub(r"\1import keras", text)
        text = _TFKERAS_FROM.sub(r"\1from keras\2 import ", text)
        if not have_tf:
            text = _TF_IMPORT.sub("", text)
    return text


def prepare(folder: str, flavour: str, out: str, k: str = "") -> list:
    """Copy the cases of ``folder`` into ``out``, rewritten; returns ``[(case, reason)]`` counted apart."""
    have_tf = importlib.util.find_spec("tensorflow") is not None
    apart = []
    for path in sorted(glob.glob(os.path.join(folder, "*.py"))):
        name = os.path.basename(path)[:-3]
        if k and k not in path:
            continue
        reason = SKIP.get(flavour, {}).get(name)
        text = open(path).read()
        new = rewrite(text, flavour, have_tf)
        if reason is None and not have_tf and _TF_USE.search(_code_of(new)):
            reason = "uses TensorFlow (tf.data / tf.Tensor); TensorFlow is not installed here"
        if reason:
            apart.append((name, reason))
            continue
        with open(os.path.join(out, name + ".py"), "w") as f:
            f.write(new)
    return apart


def _code_of(text: str) -> str:
    """The case's code strings (SETUP, CELL, CHECK, AFTER), without its comments."""
    ns: dict = {}
    try:
        exec(compile(text, "<case>", "exec"), ns)
    except Exception:
        return text
    return "\n".join(str(ns.get(key) or "") for key in ("SETUP", "CELL", "CHECK", "AFTER"))


_CASE_LINE = re.compile(r"^(\S+)\s+(PASS|FAIL)\s")


def run_all(folder: str, env: dict, verbose: bool = False) -> tuple:
    """Run the acceptance runner on ``folder``; returns ``(passed, total, crashed case names)``.

    A framework can abort the whole process (TensorFlow's C++ ``Check failed``): the case that was
    running is counted as a failure, printed as CRASH, and the runner starts again on the cases
    after it.
    """
    remaining = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py"))
    total, passed, crashed = len(remaining), 0, []
    while remaining:
        cmd = [sys.executable, RUNNER, folder] + (["-v"] if verbose else [])
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        done, tail = [], []
        for line in proc.stdout:  # streamed: one line per case as it finishes
            m = _CASE_LINE.match(line)
            if m and m.group(1) in remaining:
                done.append(m.group(1))
                passed += m.group(2) == "PASS"
            tail = (tail + [line])[-40:]
            sys.stdout.write(line)
            sys.stdout.flush()
        proc.wait()
        left = [n for n in remaining if n not in done]
        if not left or "acceptance:" in "".join(tail):
            break
        crashed.append(left[0])  # cases run in sorted order: the next one took the process down
        last = [t.strip() for t in tail if t.strip() and not t.strip().startswith(("@", "***"))]
        why = last[-1][:200] if last else ""
        print("%-40s CRASH  the process died (exit %s): %s" % (left[0], proc.returncode, why))
        for name in done + [left[0]]:
            os.remove(os.path.join(folder, name + ".py"))
        remaining = left[1:]
    return passed, total, crashed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--flavour", required=True, choices=FLAVOURS)
    ap.add_argument("folders", nargs="+", metavar="folder", help="scenario folders (one run for all)")
    ap.add_argument("-k", default="", help="only cases whose path contains this")
    ap.add_argument("-v", action="store_true", help="print the failing cases' output")
    ap.add_argument("--keep", action="store_true", help="keep the rewritten folder and print its path")
    a = ap.parse_args(argv)
    out = tempfile.mkdtemp(prefix="kerashape-%s-" % a.flavour)
    try:
        apart = []
        for folder in a.folders:
            apart += prepare(folder, a.flavour, out, a.k)
        for name, reason in apart:
            print("%-40s APART  %s" % (name, reason))
        env = dict(os.environ, **ENV[a.flavour])
        passed, total, crashed = run_all(out, env, a.v)
        names = ", ".join(n for n, _ in apart)
        print(
            "flavour %s: acceptance %d/%d passed (%d counted apart%s%s)"
            % (
                a.flavour,
                passed,
                total,
                len(apart),
                ": " + names if names else "",
                "; the framework aborted the process in: " + ", ".join(crashed) if crashed else "",
            )
        )
        return 0 if passed == total else 1
    finally:
        if a.keep:
            print("rewritten cases kept in", out)
        else:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
