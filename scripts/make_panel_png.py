"""Regenerate the README's picture of the panel (``docs/panel.png``) from the browser test.

The picture is cut from the real thing: the browser test ``tests/browser/test_browser_panel.py``
opens ``demo_notebooks/seed001_lstm_input.ipynb`` in JupyterLab in headless Chromium, runs
it up to the failing ``model.fit``, checks the panel, and, with ``KERASHAPE_WRITE_PANEL_PNG``
set, saves the end of the traceback and the panel below it. This script runs exactly that
test with that variable set, so the picture only changes when the test passes.

Needs what the browser tests need: Debian's Chromium at ``/usr/bin/chromium``
(``apt-get install chromium chromium-driver``) and ``pip install -e ".[test,browser]"``.

Usage (from the repository root)::

    python scripts/make_panel_png.py                 # writes docs/panel.png
    python scripts/make_panel_png.py --out /tmp/panel.png
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/browser/test_browser_panel.py::test_panel_in_browser[lab-seed001_lstm_input]"


def png_size(path: Path) -> tuple:
    """``(width, height)`` of a PNG file; raises ``ValueError`` if it is not one."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError("%s is not a PNG file" % path)
    return struct.unpack(">II", head[16:24])


def main(argv: list = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "panel.png", help="where to write the PNG"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    before = out.stat().st_mtime_ns if out.exists() else None

    env = dict(os.environ, KERASHAPE_WRITE_PANEL_PNG=str(out), KERASHAPE_REQUIRE_BROWSER="1")
    command = [sys.executable, "-m", "pytest", "-m", "browser", "-q", "-p", "no:cacheprovider", TEST]
    print("$ KERASHAPE_WRITE_PANEL_PNG=%s %s" % (out, " ".join(command)), flush=True)
    result = subprocess.run(command, cwd=str(ROOT), env=env)
    if result.returncode != 0:
        print("the browser test failed (exit %d); %s not written" % (result.returncode, out), file=sys.stderr)
        return result.returncode
    if not out.exists() or out.stat().st_mtime_ns == before:
        print("the test passed but did not write %s" % out, file=sys.stderr)
        return 1
    width, height = png_size(out)
    print("wrote %s (%d x %d)" % (out, width, height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
