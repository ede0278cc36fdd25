"""Render a :class:`~kerashape_magic.core.types.Diagnosis`: text, HTML, the cube, the panel.

``display_diagnosis(d)`` publishes one MIME bundle holding every form at once:

* ``text/plain``: :func:`~kerashape_magic.render.text.render_text` (terminals);
* ``text/html``: :func:`~kerashape_magic.render.html.render_html`, self-contained, with
  the cube as an inline PNG; it is what nbconvert, GitHub and any frontend without
  widgets show, and it is saved in the notebook;
* ``application/vnd.jupyter.widget-view+json``: the interactive panel of
  :func:`~kerashape_magic.render.widget.build_panel`, only when running in a kernel
  (a frontend that can show widgets may be attached).

Importing this package imports neither matplotlib nor ipywidgets (nor TensorFlow or
Keras); the cube and the panel import them when first drawn.
"""

from __future__ import annotations

import html as _html
from typing import Any, Dict, Optional

from ..core.types import Diagnosis
from .html import render_html
from .text import render_text

__all__ = ["WIDGET_MIME", "bundle", "display_diagnosis", "render_html", "render_text"]

from ._compat import WIDGET_MIME


def widget_frontend_possible() -> bool:
    """True when running in a kernel (``get_ipython()`` has a ``kernel``): a frontend may
    show widgets. Plain terminal IPython and scripts get text and HTML only."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def bundle(
    d: Diagnosis, namespace: Optional[Dict[str, Any]] = None, widget: Optional[bool] = None
) -> Dict[str, Any]:
    """The MIME bundle for one diagnosis.

    Args:
        d: the diagnosis.
        namespace: where the panel's Apply buttons run fixes; ``None`` for the IPython
            user namespace.
        widget: include the widget view; default :func:`widget_frontend_possible`.

    Returns:
        ``{"text/plain": ..., "text/html": ...}`` plus :data:`WIDGET_MIME` (a
        ``{"version_major": 2, "version_minor": 0, "model_id": ...}`` dict) when a widget
        frontend is possible and the panel could be built. A part that fails to render
        is left out or replaced by a plainer one; this function does not raise for that.
    """
    try:
        text = render_text(d)
    except Exception:  # pragma: no cover - render_text only formats strings
        text = str(getattr(d, "summary", "")) or "kerashape: incompatible input"
    try:
        page = render_html(d)
    except Exception:  # pragma: no cover - the cube's failures are already caught
        page = "<pre>%s</pre>" % _html.escape(text)
    data: Dict[str, Any] = {"text/plain": text, "text/html": page}
    if widget_frontend_possible() if widget is None else widget:
        panel = None
        try:
            from ._compat import view_bundle
            from .widget import build_panel

            panel = build_panel(d, namespace)
            data.update(view_bundle(panel))
        except Exception:  # no ipywidgets, or no comm: the HTML stands in
            if panel is not None:  # built but not shown: its models leave the frontend
                from ._compat import close_tree

                close_tree(panel)
    return data


def display_diagnosis(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> None:
    """Show a diagnosis under the traceback: the panel where widgets render, else the HTML
    or text (both are always in the bundle, so a saved notebook keeps them).

    Args:
        d: the diagnosis.
        namespace: where Apply runs fixes; ``None`` for the IPython user namespace.
    """
    from IPython.display import display

    display(bundle(d, namespace), raw=True)
