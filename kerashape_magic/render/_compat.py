"""Where ipywidgets 7 and 8 differ, in one place (the rest of ``render/`` is one code path).

kerashape supports ipywidgets 7.6+ and 8.x: Google Colab runs ipywidgets 7.7.1 with
IPython 7.34.0; JupyterLab 4, Notebook 7 and VS Code run 8.x. CI runs the render, widget,
hook, actions and notebook tests under both (``.ci/run``, the "Colab versions" leg).

The differences that matter here, checked against the ipywidgets sources
(``ipywidgets/widgets/widget.py``, ``widget_layout.py``, ``widget_selectioncontainer.py``
of 7.7.1 and 8.1):

* displaying: 8.x widgets have ``_repr_mimebundle_``, 7.x widgets only
  ``_ipython_display_``, which publishes by itself. Both have ``get_view_spec()`` (the
  ``{"version_major": 2, "version_minor": 0, "model_id": ...}`` of a widget view), so
  :func:`view_bundle` builds the MIME bundle from that, the same for both.
* borders: ``Layout(border_top=..., border_left=...)`` exists from 8.0; 7.x has only
  ``border`` (all four sides) and warns about, then ignores, the per-side names.
* titles: ``Accordion.titles`` (a tuple) exists from 8.0; 7.x keeps ``_titles`` (a dict).
  ``set_title`` / ``get_title`` work in both.
* styles: ``HTML`` takes an ``HTMLStyle`` in 8.x, a ``DescriptionStyle`` in 7.x.

ipywidgets is imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable

#: The MIME type of a widget view (the same in ipywidgets 7 and 8).
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def view_bundle(widget: Any) -> Dict[str, Any]:
    """The widget's view as a MIME-bundle entry, without displaying it.

    ``Widget.get_view_spec()`` exists in ipywidgets 7.x and 8.x; ``_repr_mimebundle_``
    only in 8.x.

    Args:
        widget: an ipywidgets ``DOMWidget`` (its model is open: it has a ``model_id``).

    Returns:
        ``{WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": ...}}``.

    Raises:
        ValueError: the widget has no view (``_view_name`` is ``None``) or no model id.
    """
    if getattr(widget, "_view_name", None) is None:
        raise ValueError("%s has no view to display" % type(widget).__name__)
    spec = widget.get_view_spec()
    if not spec.get("model_id"):
        raise ValueError("%s has no model id (its comm is closed)" % type(widget).__name__)
    return {WIDGET_MIME: spec}


def has_side_borders() -> bool:
    """True where ``Layout`` takes ``border_top`` / ``border_left`` / ... (ipywidgets 8.0+)."""
    import ipywidgets as widgets

    return "border_left" in widgets.Layout.class_trait_names()


def border_layout(side: str, left: str) -> Dict[str, str]:
    """``Layout`` arguments for a box with a ``left`` accent border and ``side`` elsewhere.

    ipywidgets 8: four per-side borders. ipywidgets 7 (Colab): one ``border`` for all four
    sides, ``side``; the accent is left out rather than drawn around the whole box.

    Args:
        side: the CSS border of the top, right and bottom sides, e.g. ``"1px solid #ccc"``.
        left: the CSS border of the left side, e.g. ``"4px solid #e8590c"``.
    """
    if has_side_borders():
        return {"border_top": side, "border_right": side, "border_bottom": side, "border_left": left}
    return {"border": side}


def shared_style(widget_class: Any) -> Any:
    """A new style model of the kind ``widget_class`` takes, to share among several widgets.

    ipywidgets 8 gives ``HTML`` an ``HTMLStyle`` and ``Button`` a ``ButtonStyle``; 7.x gives
    ``HTML`` a ``DescriptionStyle``. The class is read from the widget's ``style`` trait, so
    the same call fits both.
    """
    return widget_class.class_traits()["style"].klass()


def title(container: Any, index: int) -> str:
    """The title of page ``index`` of an ``Accordion`` / ``Tab``: ``titles`` in 8.x, ``get_title`` in 7.x."""
    titles = getattr(container, "titles", None)
    if titles is not None:
        return titles[index] if index < len(titles) else ""
    return container.get_title(index) or ""


def open_widgets() -> Dict[str, Any]:
    """Every open widget by model id: ``ipywidgets.widgets.widget._instances`` in 8.x,
    ``Widget.widgets`` in 7.x (8.x still has it, deprecated)."""
    try:
        from ipywidgets.widgets.widget import _instances  # 8.x
    except ImportError:  # 7.x
        import ipywidgets

        return ipywidgets.Widget.widgets
    return _instances


def close_new(before: Iterable[str]) -> None:
    """Close every widget opened since ``before`` (model ids): what a build that failed half
    way left behind. Never raises."""
    known = set(before)
    for model_id, w in list(open_widgets().items()):
        if model_id not in known:
            try:
                w.close()
            except Exception:  # pragma: no cover - a widget that cannot close is left alone
                pass
