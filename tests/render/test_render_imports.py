"""Importing the render package stays cheap: no matplotlib, ipywidgets, TensorFlow or Keras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "ipywidgets", "tensorflow", "keras")


def test_import_render_imports_nothing_heavy():
    code = (
        "import sys\n"
        "import kerashape_magic.render\n"
        "import kerashape_magic.render.text, kerashape_magic.render.html\n"
        "import kerashape_magic.render.cube, kerashape_magic.render.widget\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in %r))\n" % (HEAVY,)
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
