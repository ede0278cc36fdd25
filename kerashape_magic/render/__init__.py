"""Render a :class:`~kerashape_magic.core.types.Diagnosis`: text, HTML, the cube, the controls.

``display_diagnosis(d)`` publishes two outputs under the traceback:

1. **the diagnosis**, static: ``text/plain`` (:func:`~kerashape_magic.render.text.render_text`,
   terminals) and ``text/html`` (:func:`~kerashape_magic.render.html.render_html`:
   sentence, shape table, the cube as an inline PNG, each fix's code, Details). No widget
   and no JavaScript, so every renderer shows it and a saved notebook keeps it: JupyterLab,
   Notebook 7, Colab, VS Code, GitHub, nbviewer, ``nbconvert --to html`` offline.
2. **the controls**, only in a kernel (a frontend that can show widgets may be attached)
   and only when there are fixes: ``application/vnd.jupyter.widget-view+json`` of
   :func:`~kerashape_magic.render.widget.build_controls` (Apply, Undo, the result line),
   with a ``text/html`` and ``text/plain`` fallback saying how to apply a fix from code.

A widget view is what a page exported with widget state shows instead of the output's
other forms, and it needs a live kernel or JavaScript from a CDN: keeping the diagnosis
out of the widget is what makes it readable everywhere.

Importing this package imports neither matplotlib nor ipywidgets (nor TensorFlow or
Keras); the cube and the controls import them when first drawn.
"""

from __future__ import annotations

import html as _html
from typing import Any, Dict, List, Optional

from ..core.types import Diagnosis
from ._compat import WIDGET_MIME
from .html import render_html
from .text import render_text

__all__ = [
    "WIDGET_MIME",
    "bundle",
    "bundles",
    "controls_bundle",
    "display_diagnosis",
    "render_html",
    "render_text",
]


def widget_frontend_possible() -> bool:
    """True when running in a kernel (``get_ipython()`` has a ``kernel``): a frontend may
    show widgets. Plain terminal IPython and scripts get text and HTML only."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def bundle(d: Diagnosis) -> Dict[str, Any]:
    """The diagnosis's MIME bundle: ``text/plain`` and ``text/html``, no widget.

    Args:
        d: the diagnosis.

    Returns:
        ``{"text/plain": ..., "text/html": ...}``. A part that fails to render is replaced
        by a plainer one; this function does not raise for that.
    """
    try:
        text = render_text(d)
    except Exception:  # pragma: no cover - render_text only formats strings
        text = str(getattr(d, "summary", "")) or "kerashape: incompatible input"
    try:
        page = render_html(d)
    except Exception:  # pragma: no cover - the cube's failures are already caught
        page = "<pre>%s</pre>" % _html.escape(text)
    return {"text/plain": text, "text/html": page}


def controls_bundle(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> Optional[Dict[str, Any]]:
    """The controls' MIME bundle: the widget view plus its ``text/html`` / ``text/plain`` fallback.

    Args:
        d: the diagnosis.
        namespace: where Apply runs fixes; ``None`` for the IPython user namespace.

    Returns:
        ``{WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": ...},
        "text/html": ..., "text/plain": ...}``, or ``None`` when ``d`` has no fixes or the
        widgets could not be built (no ipywidgets, no comm). Widgets built but not returned
        are closed, so no model is left in the frontend that nothing shows.
    """
    if not d.fixes:
        return None
    try:
        from . import _compat
        from .widget import build_controls, controls_fallback

        before = set(_compat.open_widgets())
    except Exception:  # no ipywidgets: the diagnosis above stands alone
        return None
    try:
        controls = build_controls(d, namespace)
        data: Dict[str, Any] = dict(controls_fallback(d))
        data.update(_compat.view_bundle(controls))
        return data
    except Exception:  # no comm, or a build that failed half way: nothing is left open
        _compat.close_new(before)
        return None


def bundles(
    d: Diagnosis, namespace: Optional[Dict[str, Any]] = None, widget: Optional[bool] = None
) -> List[Dict[str, Any]]:
    """The outputs :func:`display_diagnosis` publishes, in order.

    Args:
        d: the diagnosis.
        namespace: where Apply runs fixes; ``None`` for the IPython user namespace.
        widget: include the controls; default :func:`widget_frontend_possible`.

    Returns:
        ``[bundle(d)]``, followed by :func:`controls_bundle` when asked for and available.
    """
    out = [bundle(d)]
    if widget_frontend_possible() if widget is None else widget:
        controls = controls_bundle(d, namespace)
        if controls is not None:
            out.append(controls)
    return out


def display_diagnosis(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> None:
    """Show a diagnosis under the traceback: the static diagnosis, then (in a kernel, when
    there are fixes) the controls.

    Args:
        d: the diagnosis.
        namespace: where Apply runs fixes; ``None`` for the IPython user namespace.
    """
    from IPython.display import display

    for data in bundles(d, namespace):
        display(data, raw=True)
