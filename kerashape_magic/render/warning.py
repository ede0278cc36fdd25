"""The compact warning shown under a cell that *succeeded* (kerashape_magic/silent.py).

Built from the panel's own pieces (:mod:`.html`: the sentence, the axis table, a fix with its
badge, code and the change to the user's cells; :mod:`.text` for terminals) in a smaller
frame: a one-line heading says that Keras accepted the call without an error, the best fix
is shown open and the others sit in a collapsed ``<details>``. No cube, no Details section.

Two outputs, as for the panel (:func:`kerashape_magic.render.bundles`): the static warning
(``text/plain`` + ``text/html``, readable wherever the notebook is opened) and, in a kernel,
the panel's controls (Apply / Undo, stock ipywidgets, 7.7.1 and 8.x through ``_compat``).
"""

from __future__ import annotations

import html as _html
from typing import Any, Dict, List, Optional

from ..core.types import Diagnosis
from .html import WARN, esc, fix_html, sentence_html, table_html
from .text import render_text

#: The heading of every warning (tests and users look for it).
HEADING = "Keras ran this without an error, but the data does not fit the model as declared"
#: How to turn warnings off, said in every warning.
OFF_HINT = "%kerashape warnings off hides these warnings"

_FRAME = (
    "font-family:var(--jp-ui-font-family, system-ui, sans-serif);font-size:13px;line-height:1.45;"
    "color:inherit;border:1px solid rgba(128,128,128,.35);border-left:4px solid %s;border-radius:6px;"
    "padding:6px 12px;margin:6px 0 2px;box-sizing:border-box;max-width:60em;overflow-wrap:break-word" % WARN
)


def warning_text(d: Diagnosis) -> str:
    """The warning as plain text: the heading, then the panel's text rendering."""
    return "kerashape: %s.\n%s\n(%s)" % (HEADING, render_text(d), OFF_HINT)


def warning_html(d: Diagnosis) -> str:
    """The warning as one self-contained HTML fragment (class ``kerashape-warning``).

    Layout: the heading; the sentence; the axis table; the best fix (verified first, with its
    code and the change to the user's cells); the other fixes collapsed; how to turn it off.
    """
    parts: List[str] = [
        '<div style="font-weight:700;color:%s">&#9888; %s</div>' % (WARN, esc(HEADING)),
        sentence_html(d),
        table_html(d),
    ]
    if d.fixes:
        parts.append(fix_html(d.fixes[0], 1, d))
        if len(d.fixes) > 1:
            more = "".join(fix_html(f, i, d) for i, f in enumerate(d.fixes[1:], 2))
            parts.append(
                '<details><summary style="cursor:pointer">%d more fix%s</summary>%s</details>'
                % (len(d.fixes) - 1, "es" if len(d.fixes) > 2 else "", more)
            )
    parts.append('<div style="opacity:.7;font-size:12px">%s</div>' % _html.escape(OFF_HINT))
    return '<div class="kerashape-warning" style="%s">%s</div>' % (_FRAME, "".join(parts))


def warning_bundle(d: Diagnosis) -> Dict[str, str]:
    """``{"text/plain": ..., "text/html": ...}`` of the warning; never raises for a part that fails."""
    try:
        text = warning_text(d)
    except Exception:  # pragma: no cover - formatting strings only
        text = "kerashape: %s: %s" % (HEADING, d.summary)
    try:
        page = warning_html(d)
    except Exception:  # pragma: no cover
        page = "<pre>%s</pre>" % _html.escape(text)
    return {"text/plain": text, "text/html": page}


def warning_bundles(
    d: Diagnosis, namespace: Optional[Dict[str, Any]] = None, widget: Optional[bool] = None
) -> List[Dict[str, Any]]:
    """What :func:`display_warning` publishes: the static warning, then (in a kernel, with fixes)
    the panel's controls (:func:`kerashape_magic.render.controls_bundle`)."""
    from . import controls_bundle, widget_frontend_possible

    out: List[Dict[str, Any]] = [warning_bundle(d)]
    if widget_frontend_possible() if widget is None else widget:
        controls = controls_bundle(d, namespace)
        if controls is not None:
            out.append(controls)
    return out


def display_warning(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> None:
    """Show the warning under the cell's output."""
    from IPython.display import display

    for data in warning_bundles(d, namespace):
        display(data, raw=True)
