"""``python -m kerashape_magic.demo``, the README's first command, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_terminal_demo_explains_fixes_and_what_verified_means(tf, tmp_path):
    env = dict(
        os.environ, PYTHONPATH=str(ROOT), IPYTHONDIR=str(tmp_path / "ipython"), TF_CPP_MIN_LOG_LEVEL="3"
    )
    run = subprocess.run(
        [sys.executable, "-m", "kerashape_magic.demo"], capture_output=True, text=True, env=env, timeout=600
    )
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    # Keras's own traceback first, then the panel in words.
    assert out.index("Traceback") < out.index("LSTM 'lstm' expects")
    assert "[verified]" in out and "after Apply, `model` takes (None, 24, 1)" in out
    # What *verified* means, once, before the fix is applied, and how this fix was verified.
    means = out.index("[verified] means:")
    assert out.count("[verified] means:") == 1 and means < out.index("kerashape.apply(...) ->")
    assert "at most 2" in out[means : means + 400] and "This one: " in out
    assert "site-packages" not in out[means:]
