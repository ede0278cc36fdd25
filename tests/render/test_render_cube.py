"""The cube: real PNGs from matplotlib's Agg canvas, never pyplot."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kerashape_magic.core.types import Diagnosis
from kerashape_magic.render.cube import WARN, cube_figure, cube_png, draw_shape

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple:
    assert data[:8] == PNG_MAGIC
    return struct.unpack(">II", data[16:24])


def test_every_scenario_draws_a_png_of_the_documented_size(cases):
    for d in cases.values():
        width, height = _png_size(cube_png(d))  # 6 x 2.4 in at 144 dpi
        assert width == 864 and 344 <= height <= 346
    width, height = _png_size(cube_png(cases["seed001"], dpi=72))
    assert width == 432 and 172 <= height <= 173


@pytest.mark.parametrize(
    "received, expected",
    [
        ((7,), (None,)),
        ((5, 3), (None, 1)),
        ((100, 24, 1), (None, 24, 3)),
        ((None, 24, None), (None, None, 3)),
        ((100, 28, 28, 3), (None, 28, 28, 1)),
        ((2, 8, 32, 32, 3), (None, 8, 64, 64, 3)),
        ((), (None, 1)),
        (None, (None, 0)),
        ((0, 1, 1), (None, 1, 1)),
    ],
)
def test_ranks_0_to_5_and_none_sizes(received, expected):
    d = Diagnosis("rank_mismatch", "layer", received, expected, None, "s.")
    assert cube_png(d)[:8] == PNG_MAGIC


def _lines(ax):
    return [(line.get_color(), line.get_linestyle()) for line in ax.get_lines()]


def test_mismatched_edges_use_the_warning_colour(cases):
    received, expected = cube_figure(cases["seed001"]).axes
    assert (WARN, "-") in _lines(received) and (WARN, "-") in _lines(expected)
    ok = cube_figure(Diagnosis("feature_mismatch", "l", (4, 3), (None, 3), None, "s."))
    assert all(color != WARN for ax in ok.axes for color, _ in _lines(ax))


def test_a_missing_axis_is_dashed_on_the_expected_side_only(cases):
    received, expected = cube_figure(cases["missing_axis"]).axes
    assert any(c == WARN and s == "--" for c, s in _lines(expected))
    assert all(c != WARN for c, _ in _lines(received))
    texts = [t.get_text() for t in expected.texts]
    assert "features 1 (missing)" in texts and "samples any" in texts


def test_edges_are_labelled_with_name_and_size(cases):
    received, expected = cube_figure(cases["seed001"]).axes
    assert {"samples 100", "timesteps 24", "features 1"} <= {t.get_text() for t in received.texts}
    assert {"samples any", "timesteps 24", "features 3"} <= {t.get_text() for t in expected.texts}
    image = {t.get_text() for ax in cube_figure(cases["image"]).axes for t in ax.texts}
    assert {"samples 100", "height 28", "width 28", "channels 1 (missing)"} <= image


def test_log_scale_keeps_both_sides_on_one_scale(cases):
    received, expected = cube_figure(cases["flattened"]).axes
    for ax in (received, expected):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        width, height = ax.bbox.width, ax.bbox.height
        assert (x1 - x0) / width == pytest.approx((y1 - y0) / height)  # equal aspect
    assert received.get_xlim()[1] - received.get_xlim()[0] == pytest.approx(
        expected.get_xlim()[1] - expected.get_xlim()[0]
    )


def test_draw_shape_draws_on_the_axes_it_is_handed():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    box = draw_shape(ax, (100, 24, 1), ["ok", "ok", "mismatch"], ["batch_size", "timesteps", "features"], "x")
    assert box is not None and box[1] > box[0] and box[3] > box[2]
    assert not ax.axison and len(ax.patches) >= 3
    assert draw_shape(fig.add_subplot(), (1, 2, 3, 4, 5), None, None, "five") is None


def test_cube_png_never_imports_pyplot():
    code = (
        "import sys\n"
        "from kerashape_magic.core.types import Diagnosis\n"
        "from kerashape_magic.render.cube import cube_png\n"
        "d = Diagnosis('feature_mismatch', 'lstm', (100, 24, 1), (None, 24, 3), 2, 's.')\n"
        "assert cube_png(d)[:4] == b'\\x89PNG'\n"
        "assert 'matplotlib' in sys.modules\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
