"""The interactive panel: stock ipywidgets only (JupyterLab, Notebook 7, Colab, VS Code).

A click is a comm message, not a cell execution (STYLE.md, "Buttons"): **Apply** runs the
fix inside the kernel with :func:`kerashape_magic.actions.apply`, **Undo** puts the old
objects back with :func:`kerashape_magic.actions.undo`, and both write their one-line
result (or the error) into an ``Output`` widget of the panel. A click never raises.

ipywidgets is imported inside :func:`build_panel`, so importing this module is cheap.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.types import Diagnosis, Fix, KerashapeError
from ._compat import border_layout
from .html import WARN, details_html, fix_html, notes_html, sentence_html, table_html

#: Shown on each fix's button; tests and users look for it.
APPLY = "Apply"
APPLIED = "Applied"
UNDO = "Undo"


class _Controller:
    """Click handlers of one panel: which Apply buttons are enabled, and Undo."""

    def __init__(self, fixes: List[Fix], namespace: Optional[Dict[str, Any]], output: Any) -> None:
        self.fixes = fixes
        self.namespace = namespace
        self.output = output
        self.applies: List[Any] = []
        self.undo_button: Any = None

    def say(self, text: str, error: bool = False) -> None:
        try:
            if error:
                self.output.append_stderr(text + "\n")
            else:
                self.output.append_stdout(text + "\n")
        except Exception:  # pragma: no cover - an Output that cannot take text
            pass

    def _applied(self, index: int) -> None:
        for i, button in enumerate(self.applies):
            button.disabled = True
            button.description = APPLIED if i == index else APPLY
        self.undo_button.disabled = False

    def _reset(self) -> None:
        for button in self.applies:
            button.disabled, button.description = False, APPLY
        self.undo_button.disabled = True

    def on_apply(self, index: int) -> None:
        from .. import actions

        fix = self.fixes[index]
        try:
            line = actions.apply(fix, self.namespace)
        except KerashapeError as exc:  # the code failed; apply rolled the namespace back
            self.say("\u2717 %s" % exc, error=True)
            return
        except Exception as exc:  # the code ran and was recorded, but reporting failed
            self._applied(index)
            self.say(
                "\u2713 %s ran, but its result could not be described (%s: %s); Undo puts the "
                "old objects back." % (fix.title, type(exc).__name__, exc),
                error=True,
            )
            return
        self._applied(index)
        self.say("\u2713 " + line)

    def on_undo(self) -> None:
        from .. import actions

        try:
            line = actions.undo(self.namespace)
        except KerashapeError as exc:  # nothing left to undo (undone elsewhere)
            self._reset()
            self.say("\u2717 %s" % exc, error=True)
            return
        except Exception as exc:  # the objects were put back, but describing them failed
            self._reset()
            self.say("\u21b6 undone (%s: %s)" % (type(exc).__name__, exc), error=True)
            return
        self._reset()
        self.say("\u21b6 " + line)

    def guard(self, handler: Any, *args: Any) -> Any:
        """Wrap a click handler so that nothing it does can raise into the frontend."""

        def on_click(_button: Any) -> None:
            try:
                handler(*args)
            except Exception as exc:  # pragma: no cover - belt and braces
                self.say("kerashape: %s: %s" % (type(exc).__name__, exc), error=True)

        return on_click


def _html(widgets: Any, value: str, **layout: Any) -> Any:
    """An ``HTML`` widget at the panel's line height: ipywidgets 8 gives HTML widgets a
    line height of one control (28 px), which spreads table rows and wrapped text apart."""
    return widgets.HTML('<div style="line-height:1.45">%s</div>' % value, layout=widgets.Layout(**layout))


def _fix_row(widgets: Any, fix: Fix, number: int, controller: _Controller) -> Any:
    button = widgets.Button(
        description=APPLY,
        button_style="success" if fix.verified else "",
        icon="check" if fix.verified else "",
        tooltip="Run in your namespace: " + fix.code,
        layout=widgets.Layout(width="auto", min_width="7em"),
    )
    button.add_class("kerashape-apply")
    button.on_click(controller.guard(controller.on_apply, number - 1))
    controller.applies.append(button)
    body = _html(widgets, fix_html(fix, number), width="100%")
    # flex-start: the button keeps its own width instead of stretching across the panel.
    return widgets.VBox([body, button], layout=widgets.Layout(margin="0 0 6px 0", align_items="flex-start"))


def build_panel(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> Any:
    """Build the panel for one diagnosis.

    Content, top to bottom: the sentence; the shape table; the cube (an ``Image``, left
    out if matplotlib cannot draw it); one row per fix, best first (title, badge, the
    exact code, rationale and an **Apply** button, green for verified fixes); **Undo**
    (disabled until an Apply succeeded, and again after undo); an ``Output`` with the
    clicks' results; a collapsed "Details" ``Accordion``.

    Args:
        d: the diagnosis.
        namespace: where Apply runs the code; ``None`` for the IPython user namespace
            at click time.

    Returns:
        An ``ipywidgets.VBox``.
    """
    import ipywidgets as widgets

    output = widgets.Output(layout=widgets.Layout(margin="2px 0"))
    controller = _Controller(list(d.fixes), namespace, output)
    children: List[Any] = [_html(widgets, sentence_html(d) + table_html(d))]
    try:
        from .cube import cube_png

        size = widgets.Layout(width="576px", max_width="100%")
        children.append(widgets.Image(value=cube_png(d), format="png", layout=size))
    except Exception:  # matplotlib missing or broken: the table says the same
        pass
    if d.notes:
        children.append(_html(widgets, notes_html(d)))
    if d.fixes:
        children.append(widgets.HTML('<div style="font-weight:600;margin-top:4px">Fixes, best first</div>'))
        children += [_fix_row(widgets, f, i, controller) for i, f in enumerate(d.fixes, 1)]
        undo = widgets.Button(
            description=UNDO, icon="undo", disabled=True, tooltip="Put back the objects Apply rebound"
        )
        undo.add_class("kerashape-undo")
        undo.on_click(controller.guard(controller.on_undo))
        controller.undo_button = undo
        children.append(undo)
    children.append(output)
    details = widgets.Accordion(children=[_html(widgets, details_html(d))], selected_index=None)
    details.set_title(0, "Details")  # ipywidgets 7 and 8
    children.append(details)
    border = border_layout("1px solid rgba(128,128,128,.35)", "4px solid %s" % WARN)
    panel = widgets.VBox(
        children,
        layout=widgets.Layout(
            **border,
            padding="6px 12px",
            margin="6px 0",
            max_width="60em",
        ),
    )
    panel.add_class("kerashape-panel")
    return panel
