"""The cube: real PNGs from matplotlib's Agg canvas, never pyplot."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from kerashape_magic.core.types import Diagnosis
from kerashape_magic.render._fit import fit_axes
from kerashape_magic.render.cube import BLUE, MIN_FONT_PT, WARN, cube_figure, cube_png, cube_pngs, draw_shape

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


class Side:
    """The artists of one side of a cube figure (``gid`` ``received`` / ``expected``)."""

    def __init__(self, fig, gid):
        self.artists = [a for a in fig.get_children() if a.get_gid() == gid]
        assert self.artists, "nothing drawn for %s" % gid
        self.texts = [a for a in self.artists if hasattr(a, "get_text")]

    def edges(self):
        """(colour, dashed) of every edge drawn, one entry per segment."""
        from matplotlib.collections import LineCollection
        from matplotlib.colors import to_hex

        out = []
        for c in self.artists:
            if isinstance(c, LineCollection):
                styles = c.get_linestyle()
                colors = c.get_colors()
                for i in range(len(c.get_segments())):
                    dashes = styles[i % len(styles)][1]
                    out.append((to_hex(colors[i % len(colors)], keep_alpha=False), bool(dashes)))
        return out

    def scale(self):
        """Display pixels per data unit along x and y, from the side's own transform."""
        t = next(a for a in self.artists if not hasattr(a, "get_text")).get_transform()
        (x0, y0), (x1, _), (_, y2) = t.transform([(0, 0), (1, 0), (0, 1)])
        return x1 - x0, y2 - y0


def sides(d):
    fig = cube_figure(d)
    return Side(fig, "received"), Side(fig, "expected")


def test_mismatched_edges_use_the_warning_colour(cases):
    received, expected = sides(cases["seed001"])
    assert (WARN, False) in received.edges() and (WARN, False) in expected.edges()
    ok = sides(Diagnosis("feature_mismatch", "l", (4, 3), (None, 3), None, "s."))
    assert all(color != WARN for side in ok for color, _ in side.edges())
    assert all(color == BLUE for side in ok for color, _ in side.edges())


def test_a_missing_axis_is_dashed_on_the_expected_side_only(cases):
    received, expected = sides(cases["missing_axis"])
    assert any(c == WARN and dashed for c, dashed in expected.edges())
    assert all(c != WARN and not dashed for c, dashed in received.edges())
    texts = [t.get_text() for t in expected.texts]
    assert "features 1 (missing)" in texts and "samples any" in texts


def test_edges_are_labelled_with_name_and_size(cases):
    received, expected = sides(cases["seed001"])
    assert {"samples 100", "timesteps 24", "features 1"} <= {t.get_text() for t in received.texts}
    assert {"samples any", "timesteps 24", "features 3"} <= {t.get_text() for t in expected.texts}
    image = {t.get_text() for side in sides(cases["image"]) for t in side.texts}
    assert {"samples 100", "height 28", "width 28", "channels 1 (missing)"} <= image


def test_log_scale_keeps_both_sides_on_one_scale(cases):
    received, expected = sides(cases["flattened"])
    for side in (received, expected):
        sx, sy = side.scale()
        assert sx == pytest.approx(sy)  # equal aspect
    assert received.scale()[0] == pytest.approx(expected.scale()[0])


def test_every_label_lies_inside_its_half_of_the_picture(cases):
    """The picture is cut in two at its middle (cube_pngs): no text may cross the cut."""
    from matplotlib.transforms import Bbox

    for d in cases.values():
        fig = cube_figure(d)
        renderer = fig.canvas.get_renderer()
        width, height = fig.canvas.get_width_height(physical=True)
        halves = (
            Bbox.from_bounds(0, 0, width / 2, height),
            Bbox.from_bounds(width / 2, 0, width / 2, height),
        )
        for side, frame in zip((Side(fig, "received"), Side(fig, "expected")), halves):
            for t in side.texts:
                box = t.get_window_extent(renderer)
                assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, (d.kind, t.get_text())
                assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, (d.kind, t.get_text())


def test_no_text_smaller_than_ten_css_pixels_at_the_shown_size(cases):
    """Each half is shown 288 CSS px wide (3 in at 96 px an inch): a point is 4/3 px."""
    long_name = Diagnosis(
        "feature_mismatch",
        "a_rather_long_layer_name_from_a_functional_model",
        (100, 24, 1),
        (None, 24, 3),
        2,
        "Long names.",
        received_name="training_windows_after_standardisation",
        layer_class="Bidirectional",
    )
    for d in list(cases.values()) + [long_name]:
        from matplotlib.text import Text

        sizes = [t.get_fontsize() for t in cube_figure(d).findobj(Text) if t.get_text()]
        assert sizes and min(sizes) >= MIN_FONT_PT, (d.kind, min(sizes))
    assert MIN_FONT_PT * 96 / 72 >= 10


def test_cube_pngs_are_the_two_halves(cases):
    received, expected = cube_pngs(cases["seed001"])
    assert _png_size(received) == (432, _png_size(cube_png(cases["seed001"]))[1])
    assert _png_size(expected)[0] == 432 and received != expected


def test_draw_shape_draws_on_the_axes_it_is_handed():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    box = draw_shape(ax, (100, 24, 1), ["ok", "ok", "mismatch"], ["batch_size", "timesteps", "features"], "x")
    assert box is not None and box[1] > box[0] and box[3] > box[2]
    assert not ax.axison and len(ax.collections) == 2  # the faces and the edges
    assert {"samples 100", "timesteps 24", "features 1"} <= {t.get_text() for t in ax.texts}
    assert draw_shape(fig.add_subplot(), (1, 2, 3, 4, 5), None, None, "five") is None
    fit_axes([(ax, box)])
    assert ax.get_xlim()[0] <= box[0] and box[1] <= ax.get_xlim()[1]


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
