"""The note under a cell that ran with a kerashape fix applied (issue 12, "Undo after the re-run").

Re-running the fixed cell replaces its output, and with it the panel and its Undo button. So
the first cell that succeeds after an Apply gets one line under its output
(:mod:`kerashape_magic.aftercare` decides when)::

    Ran with kerashape's fix *Rebuild the model for 1 feature* applied · [Undo] · change to keep it: cell [3]

Three forms, as for the panel's controls (:mod:`kerashape_magic.render`):

* **a widget** (only in a kernel): **Undo** calls the panel's own undo,
  :func:`kerashape_magic.actions.undo`, for this very apply (its number), then reads
  **Undone** and disables itself; **Show change** reveals the change to the user's cells that
  makes the fix last, drawn as the panel draws it (:func:`~kerashape_magic.render.html.edit_html`);
* **static HTML** where widgets do not render (GitHub, nbviewer, nbconvert, a closed kernel):
  the same line with ``%kerashape undo N`` instead of the button, the change in a ``<details>``;
* **plain text** (terminals): the same, the change as a unified diff.

ipywidgets is imported inside :func:`build_note`: importing this module is cheap.
"""

from __future__ import annotations

import html as _html
from typing import Any, Dict, List, Optional

from ..core.types import Fix, KerashapeError
from ._common import edit_lines
from ._compat import shared_style
from .html import edit_html, esc
from .widget import Reporter

#: The note's Undo button, before and after a click.
UNDO = "Undo"
UNDONE = "Undone"
#: The toggle that shows the change to the user's cells.
SHOW = "Show change"
HIDE = "Hide change"

_NOTE = (
    "font-family:var(--jp-ui-font-family, system-ui, sans-serif);font-size:12px;line-height:1.45;"
    "color:inherit;opacity:.9;margin:4px 0;max-width:60em;overflow-wrap:break-word"
)


def keep_cells(fix: Fix) -> List[int]:
    """The cells (execution counts) whose change makes ``fix`` last, in order, each once."""
    cells: List[int] = []
    for edit in getattr(fix, "source_edits", ()) or ():
        cell = getattr(edit, "cell", None)
        if isinstance(cell, int) and cell not in cells:
            cells.append(cell)
    return cells


def _where(fix: Fix) -> str:
    """``"change to keep it: cell [3]"``, ``"... cells [3], [5]"``, or ``""`` without an edit."""
    cells = keep_cells(fix)
    if not cells:
        return ""
    which = ", ".join("[%d]" % c for c in cells)
    return "change to keep it: %s %s" % ("cell" if len(cells) == 1 else "cells", which)


def note_text(fix: Fix, number: int) -> str:
    """The note as plain text (terminals, and where no HTML renders).

    Args:
        fix: the applied fix.
        number: its apply number (``%kerashape undo N``).

    Returns:
        E.g. ``"kerashape: ran with the fix 'Rebuild the model for 1 feature' applied;
        '%kerashape undo 1' puts the old objects back; change to keep it: cell [3]"``, then
        the change as a unified diff.
    """
    parts = ["kerashape: ran with the fix %r applied" % fix.title]
    parts.append("'%%kerashape undo %d' puts the old objects back" % number)
    where = _where(fix)
    if where:
        parts.append(where)
    lines = ["; ".join(parts)]
    for heading, changed in edit_lines(fix):
        lines.append("  " + heading)
        lines += [("    %s %s" % (mark, text)).rstrip() for mark, text in changed]
    return "\n".join(lines)


def change_html(fix: Fix) -> str:
    """The change to the user's cells, as the panel shows it under the fix (``""`` if none)."""
    return "".join(edit_html(heading, lines) for heading, lines in edit_lines(fix))


def _lead_html(fix: Fix) -> str:
    return "Ran with kerashape's fix <i>%s</i> applied" % esc(fix.title)


def note_html(fix: Fix, number: int) -> str:
    """The note as static HTML: the line, with ``%kerashape undo N`` for the button, and the
    change to the user's cells in a collapsed ``<details>`` ("Show change")."""
    parts = [_lead_html(fix), "<code>%%kerashape undo %d</code> puts the old objects back" % number]
    where = _where(fix)
    if where:
        parts.append(esc(where))
    line = " \u00b7 ".join(parts)
    change = change_html(fix)
    if change:
        line += '<details style="margin-top:2px"><summary style="cursor:pointer">%s</summary>%s</details>' % (
            SHOW,
            change,
        )
    return '<div class="kerashape-note" style="%s">%s</div>' % (_NOTE, line)


class _NoteController(Reporter):
    """The note's clicks: Undo (this apply, by number) and the Show change toggle."""

    def __init__(self, number: int, namespace: Optional[Dict[str, Any]], output: Any) -> None:
        self.number = number
        self.namespace = namespace
        self.output = output
        self.undo_button: Any = None
        self.change: Any = None

    def on_undo(self, _button: Any = None) -> None:
        from .. import actions

        try:
            line = actions.undo(self.namespace, number=self.number)
        except KerashapeError as exc:  # undone already, or newer work in the way: say so
            self.undo_button.disabled = True
            self.say("\u2717 %s" % exc, error=True)
            return
        except Exception as exc:  # the objects were put back, but describing them failed
            line = "undone (%s: %s)" % (type(exc).__name__, exc)
        self.undo_button.description, self.undo_button.disabled = UNDONE, True
        self.undo_button.icon = "check"
        self.say("\u21b6 " + line)

    def on_toggle(self, change: Dict[str, Any]) -> None:
        shown = bool(change.get("new"))
        self.change.layout.display = "" if shown else "none"
        toggle = change.get("owner")
        if toggle is not None:
            toggle.description = HIDE if shown else SHOW

    def guard(self, handler: Any) -> Any:
        """Wrap a handler so that nothing it does can raise into the frontend."""

        def call(arg: Any) -> None:
            try:
                handler(arg)
            except Exception as exc:  # pragma: no cover - belt and braces
                self.say("kerashape: %s: %s" % (type(exc).__name__, exc), error=True)

        return call


def build_note(fix: Fix, number: int, namespace: Optional[Dict[str, Any]] = None) -> Any:
    """Build the note's widget: the line with **Undo** and **Show change**, the change (hidden
    until shown) and an ``Output`` with the Undo's result.

    Stock ipywidgets only (7.6+ and 8.x, :mod:`~kerashape_magic.render._compat`).

    Args:
        fix: the applied fix.
        number: its apply number: Undo takes back this apply, not whichever came last.
        namespace: where the fix ran; ``None`` for the IPython user namespace at click time.

    Returns:
        An ``ipywidgets.VBox`` with the class ``kerashape-note``; the Undo button has the class
        ``kerashape-note-undo``, the toggle ``kerashape-note-show``, the change
        ``kerashape-note-change``.
    """
    import ipywidgets as widgets

    html_style = shared_style(widgets.HTML)
    text_layout = widgets.Layout(flex="0 1 auto", min_width="0")
    button_layout = widgets.Layout(width="auto", min_width="5em", height="24px", flex="0 0 auto")

    def line(value: str) -> Any:
        return widgets.HTML(
            '<div style="line-height:1.45;font-size:12px;overflow-wrap:anywhere">%s</div>' % value,
            layout=text_layout,
            style=html_style,
        )

    output = widgets.Output(layout=widgets.Layout(margin="0"))
    output.add_class("kerashape-note-result")
    controller = _NoteController(number, namespace, output)
    undo = widgets.Button(
        description=UNDO, icon="undo", layout=button_layout, tooltip="Put back the objects this fix rebound"
    )
    undo.add_class("kerashape-note-undo")
    undo.on_click(controller.guard(controller.on_undo))
    controller.undo_button = undo
    row: List[Any] = [line(_lead_html(fix) + " \u00b7"), undo]
    where = _where(fix)
    if where:
        row.append(line("\u00b7 " + esc(where)))
    children: List[Any] = []
    change = change_html(fix)
    if change:
        toggle = widgets.ToggleButton(
            value=False, description=SHOW, layout=button_layout, tooltip="The change to your own cells"
        )
        toggle.add_class("kerashape-note-show")
        shown = widgets.HTML(
            '<div style="font-size:12px;max-width:60em">%s</div>' % change,
            layout=widgets.Layout(display="none", max_width="100%"),
            style=html_style,
        )
        shown.add_class("kerashape-note-change")
        controller.change = shown
        toggle.observe(controller.guard(controller.on_toggle), names="value")
        row.append(toggle)
        children = [shown]
    wrap = widgets.Layout(flex_flow="row wrap", align_items="center", max_width="100%")
    head = widgets.HBox(row, layout=wrap)
    note = widgets.VBox([head] + children + [output], layout=widgets.Layout(margin="2px 0", max_width="60em"))
    note.add_class("kerashape-note")
    return note


def note_bundle(
    fix: Fix, number: int, namespace: Optional[Dict[str, Any]] = None, widget: bool = False
) -> Dict[str, Any]:
    """The note's MIME bundle: ``text/plain`` and ``text/html``, plus the widget view when asked.

    Args:
        fix: the applied fix.
        number: its apply number.
        namespace: where the fix ran; ``None`` for the IPython user namespace at click time.
        widget: add the widget (:func:`build_note`); a build that fails (no ipywidgets, no
            comm) leaves the static note and no open widget behind.

    Returns:
        ``{"text/plain": ..., "text/html": ...}``, with ``WIDGET_MIME`` when a widget was built.
    """
    try:
        data: Dict[str, Any] = {"text/plain": note_text(fix, number), "text/html": note_html(fix, number)}
    except Exception:  # pragma: no cover - formatting strings only
        text = "kerashape: ran with a fix applied; '%%kerashape undo %d' puts the old objects back" % number
        data = {"text/plain": text, "text/html": "<div>%s</div>" % _html.escape(text)}
    if not widget:
        return data
    try:
        from . import _compat

        before = set(_compat.open_widgets())
    except Exception:  # no ipywidgets: the static note stands alone
        return data
    try:
        data.update(_compat.view_bundle(build_note(fix, number, namespace)))
    except Exception:
        _compat.close_new(before)
    return data
