"""The cube: the received array and the expected one, side by side, as labelled boxes.

Shapes are drawn by rank (batch axis first):

* 3-D ``(samples, timesteps, features)``: an oblique box; timesteps run left to right,
  features bottom to top, samples into the page. A 2-D ``(samples, features)`` or
  ``(samples, timesteps)`` array is the same box without its missing axis: a plane.
* 4-D images ``(samples, height, width, channels)``: a stack of a few offset boxes
  (width across, height up, channels into the page); a 3-D ``(samples, height, width)``
  is a stack of planes.
* 1-D: a bar. Any other rank: the tuple, written out.

Edge lengths grow with ``log10(size)`` so ``(144000, 3)`` and ``(100, 1440, 3)`` both fit;
every visible axis carries its name and size (``timesteps 24``; ``any`` for ``None``).
Axes that do not match (from ``Diagnosis.rows``) are drawn in the warning colour, and an
axis the data lacks is dashed on the expected side.

Only :class:`matplotlib.figure.Figure` with the Agg canvas is used, never ``pyplot``: a
pyplot figure would leak into the user's notebook. matplotlib is imported inside the
functions, so importing this module stays cheap.
"""

from __future__ import annotations

import functools
import io
import math
import textwrap
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..core.types import Diagnosis, Shape
from ._common import fmt_shape, layer_label, side_axes
from ._fit import BBox, Plane, fit_axes

WARN = "#e8590c"  # the HTML panel's warning colour
INK = "#7b8794"  # mid-grey: readable on light and dark backgrounds
BLUE = "#4c8be0"
_ANGLE = math.radians(38)
_DEPTH = 0.62  # depth edges are foreshortened (cabinet projection)
_GAP = 0.24  # between the boxes of an image stack
_BOX_SLOTS = {"samples": "z", "features": "y", "channels": "y", "units": "y"}
_IMAGE_SLOTS = {"samples": "n", "height": "y", "width": "x", "channels": "z"}
#: Font sizes (points). The figure is 6 in wide and shown at 576 CSS px (96 px an inch), each
#: half at 288 px: a point is 4/3 CSS px, so 7.5 pt is 10 px and no text of the cube is smaller
#: while a half keeps its own width, i.e. down to an output area about 320 px wide.
LABEL_PT = 8.0
MIN_FONT_PT = 7.5
#: Titles longer than this many characters a line are wrapped, not shrunk below MIN_FONT_PT.
_TITLE_CHARS = 40


def _length(size: Optional[int]) -> float:
    """Edge length for ``size`` (log-scaled); 1 -> 0.4, 24 -> 1.39, 144000 -> 4.12."""
    if size is None:
        size = 32
    return 0.2 if size <= 0 else 0.4 + 0.72 * math.log10(size)


def _display(name: str) -> str:
    return "samples" if name in ("batch_size", "batch", "samples") else name


def _slots(names: Sequence[str], image: bool) -> List[str]:
    """Assign each axis to a drawing slot: x (across), y (up), z (into the page), n (stack)."""
    table = _IMAGE_SLOTS if image else _BOX_SLOTS
    slots = [table.get(_display(n), "x") for n in names]
    if len(set(slots)) == len(slots):
        return slots
    rank = len(names)
    if image:
        return ["n", "y", "x", "z"][:rank]
    return {1: ["x"], 2: ["z", "y"], 3: ["z", "x", "y"]}.get(rank, ["x"] * rank)


def _edge_style(status: str, back: bool = False) -> Dict[str, Any]:
    style: Dict[str, Any] = {"color": BLUE, "lw": 1.2, "ls": "-"}
    if status != "ok":
        style = {"color": WARN, "lw": 2.2, "ls": (0, (2, 1.5)) if status == "missing" else "-"}
    if back:  # the boxes behind the front one in an image stack
        style.update(alpha=0.55, lw=style["lw"] * 0.8)
    return style


def _box(ax: Any, origin: Tuple[float, float], size: Dict[str, float], style: Dict[str, dict]) -> dict:
    """Draw one oblique box; return one edge per slot (x, y, z) to hang its label on.

    The three visible faces are one ``PolyCollection`` and the edges one ``LineCollection``
    (per-edge colour, width and dashes): two artists a box instead of twelve (building the
    figure went from ~32 to ~23 ms on 2 cores).
    """
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import to_rgba

    x0, y0 = origin
    w, h, depth = size.get("x", 0.0), size.get("y", 0.0), size.get("z", 0.0) * _DEPTH
    dx, dy = depth * math.cos(_ANGLE), depth * math.sin(_ANGLE)
    f = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)]
    b = [(x + dx, y + dy) for x, y in f]
    faces = [f, [f[3], f[2], b[2], b[3]], [f[1], b[1], b[2], f[2]]]
    ax.add_collection(
        PolyCollection(faces, facecolors=[to_rgba(BLUE, a) for a in (0.30, 0.18, 0.42)], edgecolors="none"),
        autolim=False,
    )
    edges = {
        "x": [(f[0], f[1]), (f[3], f[2]), (b[3], b[2])],
        "y": [(f[0], f[3]), (f[1], f[2]), (b[1], b[2])],
        "z": [(f[1], b[1]), (f[2], b[2]), (f[3], b[3])],
    }
    segments, colors, widths, dashes = [], [], [], []
    for slot, lines in edges.items():
        for a, z in lines:
            if slot in style and a != z:
                st = style[slot]
                segments.append([a, z])
                colors.append(to_rgba(st["color"], st.get("alpha")))
                widths.append(st["lw"])
                dashes.append(st["ls"])
    if segments:
        ax.add_collection(
            LineCollection(segments, colors=colors, linewidths=widths, linestyles=dashes, capstyle="round"),
            autolim=False,
        )
    return {slot: lines[0] for slot, lines in edges.items()}


def _label(ax: Any, xy: Tuple[float, float], text: str, place: tuple, bad: bool) -> None:
    offset, ha, va = place
    ax.annotate(
        text,
        xy,
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=LABEL_PT,
        annotation_clip=False,
        color=WARN if bad else INK,
        fontweight="bold" if bad else "normal",
    )


def _mid(edge: tuple) -> Tuple[float, float]:
    (xa, ya), (xb, yb) = edge
    return (xa + xb) / 2, (ya + yb) / 2


def _draw_tuple(ax: Any, shape: Optional[Sequence[Optional[int]]], statuses: list, names: list) -> None:
    """Write a shape out, one ``name size`` line per axis, mismatches in the warning colour."""
    if shape is None:
        ax.text(
            0.5, 0.5, "shape unknown", ha="center", va="center", fontsize=9, color=INK, transform=ax.transAxes
        )
        return
    lines = [
        ("%s %s" % (_display(name), "any" if size is None else size), status)
        for size, name, status in zip(shape, names, statuses)
    ] or [("() a scalar", "ok")]
    top = 0.5 + 0.06 * (len(lines) - 1)
    for i, (text, status) in enumerate(lines):
        bad = status != "ok"
        ax.text(
            0.5,
            top - 0.12 * i,
            text,
            ha="center",
            va="center",
            fontsize=8.5,
            transform=ax.transAxes,
            color=WARN if bad else INK,
            fontweight="bold" if bad else "normal",
        )


_PLACES = {
    "x": ((0, -3), "center", "top"),  # under the front bottom edge
    "y": ((-4, 0), "right", "center"),  # left of the front left edge
    "z": ((4, -1), "left", "top"),  # right of the bottom depth edge
    "n": ((-5, 2), "right", "bottom"),  # above-left of the stack
}


def draw_shape(
    ax: Any,
    shape: Optional[Sequence[Optional[int]]],
    statuses: Optional[Sequence[str]] = None,
    names: Optional[Sequence[str]] = None,
    title: str = "",
    *,
    hint: Optional[Dict[str, int]] = None,
) -> Optional[BBox]:
    """Draw one array shape on ``ax`` (a matplotlib Axes it is handed).

    Args:
        ax: the Axes to draw on; its frame and ticks are turned off.
        shape: the shape, batch axis first, e.g. ``(100, 24, 1)``; ``None`` for any size.
        statuses: per axis ``ok`` / ``mismatch`` / ``missing`` / ``extra``; default all ok.
        names: per axis, Keras's names (``batch_size``, ``timesteps``, ``features``,
            ``height``, ``width``, ``channels``); default by rank.
        title: drawn above the shape.
        hint: sizes by axis name used to draw ``None`` sizes (they are labelled ``any``).

    Returns:
        The drawing's extent ``(x0, x1, y0, y1)`` in data units, or ``None`` when the
        shape was written out as text (rank 0, rank 5 and above, unknown shape). Call
        :func:`fit_axes` afterwards to set the limits.
    """
    from ._common import default_names

    ax.set_axis_off()
    if title:
        # ax.text, not set_title: placing a title measures the (hidden) tick labels.
        title = "\n".join(textwrap.fill(line, _TITLE_CHARS) for line in title.splitlines())
        longest = max(len(line) for line in title.splitlines())
        ax.text(
            0.5,
            1.0,
            title,
            ha="center",
            va="bottom",
            fontsize=max(MIN_FONT_PT, min(9.0, 9.0 * 36 / longest)),
            color=INK,
            fontweight="bold",
            transform=ax.transAxes,
            linespacing=1.25,
        )
    rank = -1 if shape is None else len(shape)
    names = list(names or default_names(max(rank, 0)))
    statuses = list(statuses or ["ok"] * max(rank, 0))
    if shape is None or not 1 <= rank <= 4:
        _draw_tuple(ax, shape, statuses, names)
        return None
    slots = _slots(names, image=rank == 4 or bool({"height", "width"} & set(names)))
    size: Dict[str, float] = {}
    style: Dict[str, dict] = {}
    labels: Dict[str, tuple] = {}
    back: Dict[str, dict] = {}
    for n, name, slot, status in zip(shape, names, slots, statuses):
        label = "%s %s" % (_display(name), "any" if n is None else n)
        labels[slot] = (label + (" (missing)" if status == "missing" else ""), status != "ok")
        size[slot] = _length(hint.get(name) if n is None and hint else n)
        style[slot], back[slot] = _edge_style(status), _edge_style(status, back=True)
    for slot in "xyz":  # a 1-D array is a thin bar: give it a little thickness
        if rank == 1 and slot not in size:
            size[slot], style[slot] = 0.12, _edge_style("ok")
            back[slot] = style[slot]
    n_samples = shape[slots.index("n")] if "n" in slots else 1
    copies = 3 if n_samples is None or n_samples >= 3 else max(1, n_samples)
    depth = size.get("z", 0.0) * _DEPTH
    step = (depth * math.cos(_ANGLE) + _GAP, depth * math.sin(_ANGLE) + _GAP)
    for k in reversed(range(copies)):
        anchors = _box(ax, (k * step[0], k * step[1]), size, back if k else style)
    for slot in "xyz":
        if slot in labels:
            _label(ax, _mid(anchors[slot]), labels[slot][0], _PLACES[slot], labels[slot][1])
    if "n" in labels:  # the stack's samples, above-left of its middle box
        mid = (copies - 1) / 2
        text, bad = labels["n"]
        _label(ax, (mid * step[0], size.get("y", 0) + mid * step[1]), text, _PLACES["n"], bad)
    x1 = size.get("x", 0) + (copies - 1) * step[0] + depth * math.cos(_ANGLE)
    y1 = size.get("y", 0) + (copies - 1) * step[1] + depth * math.sin(_ANGLE)
    return (0.0, x1, 0.0, y1)


def _hint(d: Diagnosis, rec: Optional[Shape], rec_names: Sequence[str]) -> Dict[str, int]:
    """Sizes to draw ``None`` sizes with: the best fix's result, else the received sizes."""
    hint = {n: s for n, s in zip(rec_names, rec or ()) if s is not None}
    _, _, exp_names = side_axes(d, "expected")
    result = d.fixes[0].resulting_shape if d.fixes else None
    if result is not None and len(result) == len(exp_names):
        hint.update({n: s for n, s in zip(exp_names, result) if s is not None})
    return hint


def cube_figure(d: Diagnosis, size: Tuple[float, float] = (6.0, 2.4), dpi: float = 144) -> Any:
    """Draw ``d.received_shape`` and ``d.expected_shape`` side by side, at one common scale.

    Args:
        d: the diagnosis; ``d.rows`` gives the axis names and which edges to highlight.
        size: the figure size in inches (width, height).

    Returns:
        A :class:`matplotlib.figure.Figure` with an Agg canvas (not managed by pyplot).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_alpha(0.0)
    rec, rec_status, rec_names = side_axes(d, "received")
    exp, exp_status, exp_names = side_axes(d, "expected")
    hint = _hint(d, rec, rec_names)
    name = ": " + d.received_name if d.received_name else ""
    sides = (
        (rec, rec_status, rec_names, "received%s\n%s" % (name, fmt_shape(rec))),
        (exp, exp_status, exp_names, "expected by %s\n%s" % (layer_label(d), fmt_shape(exp))),
    )
    top = 1 - 0.42 / size[1]  # room for the two-line titles
    drawn = []
    for i, (shape, statuses, names, title) in enumerate(sides):
        plane = Plane(fig, (0.005 + 0.5 * i, 0.0, 0.49, top), gid=("received", "expected")[i])
        drawn.append((plane, draw_shape(plane, shape, statuses, names, title, hint=hint)))
    fit_axes(drawn)
    return fig


def _draw_rgba(d: Diagnosis, dpi: int) -> Any:
    """Draw the cube on its Agg canvas once; return the pixels as a Pillow RGBA image.

    The canvas's RGBA buffer is handed to Pillow (a matplotlib dependency): ``savefig``
    would draw the figure again. The figure's background is fully transparent and there are
    no Axes (see :class:`~._fit.Plane`), so the image is transparent as with
    ``savefig(transparent=True)``.
    """
    from PIL import Image

    fig = cube_figure(d, dpi=dpi)
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    return Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)


def _encode(image: Any) -> bytes:
    """PNG bytes at zlib level 1: level 6 (``savefig``'s) makes a file ~22 % smaller in
    about twice the time."""
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _render_png(d: Diagnosis, dpi: int) -> bytes:
    return _encode(_draw_rgba(d, dpi))


def _render_pngs(d: Diagnosis, dpi: int) -> Tuple[bytes, bytes]:
    """The received half and the expected half of one drawing (one common scale), as two PNGs."""
    image = _draw_rgba(d, dpi)
    width, height = image.size
    middle = width // 2  # the two Planes meet at half the figure's width (see cube_figure)
    return _encode(image.crop((0, 0, middle, height))), _encode(image.crop((middle, 0, width, height)))


_cached_pngs = functools.lru_cache(maxsize=8)(_render_pngs)
#: The cache the benchmarks clear (``benchmarks/_worker.py``) to time a drawing from scratch.
_cached_png = _cached_pngs


def cube_png(d: Diagnosis, dpi: int = 144) -> bytes:
    """The :func:`cube_figure` as one PNG with a transparent background (not cached).

    Args:
        d: the diagnosis.
        dpi: dots per inch; the default figure is 6 x 2.4 in, i.e. 864 x 345 px at 144.

    Returns:
        The PNG file's bytes.
    """
    return _render_png(d, dpi)


def cube_pngs(d: Diagnosis, dpi: int = 144) -> Tuple[bytes, bytes]:
    """The :func:`cube_figure` cut in two PNGs, the received array and the expected one.

    Both halves are drawn at one scale in one figure, so sizes compare by eye; as two
    pictures, the panel can put them side by side in a wide window and one under the other
    in a narrow one, each at its own size (labels stay >= 10 CSS px: see ``MIN_FONT_PT``).
    The last few results are cached.

    Args:
        d: the diagnosis.
        dpi: dots per inch; each half is 3 x 2.4 in, i.e. 432 x 345 px at 144 (shown at
            288 CSS px wide).

    Returns:
        ``(received_png, expected_png)``.
    """
    try:
        hash(d)
    except TypeError:  # a diagnosis holding an unhashable value: draw it every time
        return _render_pngs(d, dpi)
    return _cached_pngs(d, dpi)
