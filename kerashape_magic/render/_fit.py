"""Fit drawings into matplotlib Axes at one common scale, labels included.

The labels of the cube are placed in points relative to the edges they name, so their
size does not depend on the data limits. :func:`fit_axes` measures them once with the
Agg renderer and picks the largest scale (inches per data unit) at which every edge and
every label fits, the same for all Axes, so two shapes can be compared by eye.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

BBox = Tuple[float, float, float, float]  # x0, x1, y0, y1 in data units


class Plane:
    """A rectangle of a figure with data coordinates of its own: the part of a matplotlib
    ``Axes`` that :func:`~kerashape_magic.render.cube.draw_shape` and :func:`fit_axes` use
    (``add_collection``, ``annotate``, ``text``, ``transData`` / ``transAxes``,
    ``set_xlim`` / ``set_ylim``, ``get_position``, ``texts``), with its artists added to the
    figure itself.

    The cube's Axes are always off, yet creating one builds its axes, ticks and spines:
    8-10 ms each on 2 cores, a third of the whole drawing. A Plane is two transforms.
    Every artist it adds carries ``gid`` (``"received"`` / ``"expected"``), so the two sides
    can be told apart in the figure (and in an SVG export).

    Args:
        fig: the :class:`matplotlib.figure.Figure` to draw on.
        rect: ``(left, bottom, width, height)`` in figure fractions, as for ``add_axes``.
        gid: the group id given to every artist.
    """

    axison = False

    def __init__(self, fig: Any, rect: Tuple[float, float, float, float], gid: str = "") -> None:
        from matplotlib.transforms import Affine2D, Bbox, BboxTransformTo, TransformedBbox

        self.figure = fig
        self.gid = gid
        self._position = Bbox.from_bounds(*rect)
        self.bbox = TransformedBbox(self._position, fig.transFigure)  # in display pixels
        self.transAxes = BboxTransformTo(self.bbox)
        self._limits = Affine2D()  # data -> fractions of the plane, set by set_xlim / set_ylim
        self.transData = self._limits + self.transAxes
        self._xlim, self._ylim = (0.0, 1.0), (0.0, 1.0)
        self.texts: List[Any] = []
        self.collections: List[Any] = []

    def set_axis_off(self) -> None:
        """Nothing to do: a Plane has no axis lines or ticks (kept for the Axes interface)."""

    def get_position(self) -> Any:
        return self._position

    def get_xlim(self) -> Tuple[float, float]:
        return self._xlim

    def get_ylim(self) -> Tuple[float, float]:
        return self._ylim

    def set_xlim(self, lo: float, hi: float) -> None:
        self._xlim = (lo, hi)
        self._update()

    def set_ylim(self, lo: float, hi: float) -> None:
        self._ylim = (lo, hi)
        self._update()

    def _update(self) -> None:
        (x0, x1), (y0, y1) = self._xlim, self._ylim
        self._limits.clear().translate(-x0, -y0).scale(1 / (x1 - x0), 1 / (y1 - y0))

    def _add(self, artist: Any, transform: Any) -> Any:
        artist.set_transform(transform)
        artist.set_gid(self.gid)
        self.figure.add_artist(artist)
        return artist

    def add_collection(self, collection: Any, autolim: bool = False) -> Any:
        self.collections.append(self._add(collection, self.transData))
        return collection

    def annotate(self, text: str, xy: Tuple[float, float], **kwargs: Any) -> Any:
        """A text at an offset from the data point ``xy`` (``textcoords="offset points"``)."""
        from matplotlib.text import Annotation

        note = Annotation(text, xy, xycoords=self.transData, **kwargs)
        note.set_gid(self.gid)
        self.figure.add_artist(note)
        self.texts.append(note)
        return note

    def text(self, x: float, y: float, s: str, transform: Any = None, **kwargs: Any) -> Any:
        from matplotlib.text import Text

        self.texts.append(self._add(Text(x, y, s, **kwargs), transform or self.transData))
        return self.texts[-1]


def _items(ax: Any, box: BBox, renderer: Any) -> List[Tuple[float, ...]]:
    """Everything to fit: ``(x, y, left, right, bottom, top)``, a data point + inch offsets."""
    dpi = ax.figure.dpi
    items = [(box[0], box[2], 0.0, 0.0, 0.0, 0.0), (box[1], box[3], 0.0, 0.0, 0.0, 0.0)]
    for text in ax.texts:
        if not hasattr(text, "xy") or not text.get_text():
            continue
        ext = text.get_window_extent(renderer)
        px, py = ax.transData.transform(text.xy)
        offsets = ((ext.x0 - px) / dpi, (ext.x1 - px) / dpi, (ext.y0 - py) / dpi, (ext.y1 - py) / dpi)
        items.append((*text.xy, *offsets))
    return items


def _span(items: List[Tuple[float, ...]], scale: float, axis: int) -> Tuple[float, float]:
    lo = min(it[axis] * scale + it[2 + 2 * axis] for it in items)
    hi = max(it[axis] * scale + it[3 + 2 * axis] for it in items)
    return lo, hi


def _size_in(ax: Any) -> Tuple[float, float]:
    """The size of ``ax`` in inches."""
    fig_w, fig_h = ax.figure.get_size_inches()
    pos = ax.get_position()
    return pos.width * fig_w, pos.height * fig_h


def _best_scale(ax: Any, items: List[Tuple[float, ...]]) -> float:
    """The largest scale (inches per data unit, at most 0.8) at which all items fit in ``ax``."""
    width, height = (room - pad for room, pad in zip(_size_in(ax), (0.08, 0.06)))

    def fits(scale: float) -> bool:
        (x0, x1), (y0, y1) = _span(items, scale, 0), _span(items, scale, 1)
        return x1 - x0 <= width and y1 - y0 <= height

    lo, hi = 0.02, 0.8
    if fits(hi):
        return hi
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def _fit(ax: Any, items: List[Tuple[float, ...]], scale: float) -> None:
    """Set the limits of ``ax`` so that ``items`` sit centred at ``scale`` (equal aspect)."""
    width, height = _size_in(ax)
    for axis, room, setter in ((0, width, ax.set_xlim), (1, height, ax.set_ylim)):
        lo, hi = _span(items, scale, axis)
        start = (lo - (room - (hi - lo)) / 2) / scale
        setter(start, start + room / scale)


def fit_axes(axes_boxes: Sequence[Tuple[Any, Optional[BBox]]]) -> None:
    """Give every drawn shape the same scale, as large as the tightest Axes allows.

    Args:
        axes_boxes: ``(ax, extent)`` pairs from :func:`draw_shape`; ``None`` extents
            (shapes written out as tuples) are left alone.
    """
    drawn = [(ax, box) for ax, box in axes_boxes if box is not None]
    if not drawn:
        return
    renderer = drawn[0][0].figure.canvas.get_renderer()
    measured = [(ax, _items(ax, box, renderer)) for ax, box in drawn]
    scale = min(_best_scale(ax, items) for ax, items in measured)
    for ax, items in measured:
        _fit(ax, items, scale)
