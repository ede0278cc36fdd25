"""The panel's controls: stock ipywidgets only (JupyterLab, Notebook 7, Colab, VS Code).

Only the controls are a widget: a widget view needs a live kernel, or JavaScript from a
CDN in an exported page, so the diagnosis itself is static HTML (``render/html.py``), which
every renderer shows (GitHub, nbviewer, ``nbconvert --to html`` offline).

A click is a comm message, not a cell execution (STYLE.md, "Buttons"): **Apply** runs the
fix inside the kernel with :func:`kerashape_magic.actions.apply`, **Undo** puts the old
objects back with :func:`kerashape_magic.actions.undo`, and both write their one-line
result (or the error) into an ``Output`` widget of the panel. A click never raises.

ipywidgets is imported inside :func:`build_controls`, so importing this module is cheap.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..core.types import Diagnosis, Fix, KerashapeError
from ._compat import border_layout, shared_style
from .html import WARN, badge_html, esc

#: Shown on each fix's button; tests and users look for it.
APPLY = "Apply"
APPLIED = "Applied"
UNDO = "Undo"
#: The first line of the controls.
CONTROLS_HEAD = (
    "<b>Try a fix here.</b> Apply runs its code (shown above) in this kernel; Undo puts the old objects back."
)


class Reporter:
    """Writes a click's one-line result into the widget's ``output`` (an ipywidgets ``Output``)."""

    output: Any

    def say(self, text: str, error: bool = False) -> None:
        try:
            if error:
                self.output.append_stderr(text + "\n")
            else:
                self.output.append_stdout(text + "\n")
        except Exception:  # pragma: no cover - an Output that cannot take text
            pass


class _Controller(Reporter):
    """Click handlers of one panel: which Apply buttons are enabled, and Undo."""

    def __init__(self, fixes: List[Fix], namespace: Optional[Dict[str, Any]], output: Any) -> None:
        self.fixes = fixes
        self.namespace = namespace
        self.output = output
        self.applies: List[Any] = []
        self.undo_button: Any = None
        self.applied: Optional[int] = None  # the number of this panel's apply (actions.history)

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
            self.applied = actions.latest_number()
            self._applied(index)
            self.say(
                "\u2713 %s ran, but its result could not be described (%s: %s); Undo puts the "
                "old objects back." % (fix.title, type(exc).__name__, exc),
                error=True,
            )
            return
        self.applied = actions.latest_number()
        self._applied(index)
        self.say("\u2713 " + line)

    def on_undo(self) -> None:
        from .. import actions

        try:
            # this panel's own apply, not whatever was applied last (another panel, a note)
            line = actions.undo(self.namespace, number=self.applied)
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


class _Shared:
    """Layouts and styles shared by the controls' widgets.

    Every widget otherwise opens a ``Layout`` and a style model of its own: 26 models for
    two fixes, each a comm message to the frontend and an entry in a saved notebook's widget
    state. One ``Layout`` / style instance can serve many widgets (a widget references it by
    model id), which makes it 3 models a fix plus 12.
    """

    def __init__(self, widgets: Any) -> None:
        self.widgets = widgets
        self.html_style = shared_style(widgets.HTML)
        self.button_style = shared_style(widgets.Button)
        self.text_layout = widgets.Layout(flex="1 1 auto", min_width="0")
        self.button_layout = widgets.Layout(width="auto", min_width="7em", flex="0 0 auto")
        self.row_layout = widgets.Layout(align_items="center", margin="0 0 4px 0", max_width="100%")

    def line(self, value: str) -> Any:
        """An ``HTML`` widget at the panel's line height: ipywidgets 8 gives HTML widgets a
        line height of one control (28 px), which spreads wrapped text apart."""
        return self.widgets.HTML(
            '<div style="line-height:1.45;overflow-wrap:anywhere">%s</div>' % value,
            layout=self.text_layout,
            style=self.html_style,
        )

    def button(self, **kwargs: Any) -> Any:
        return self.widgets.Button(layout=self.button_layout, style=self.button_style, **kwargs)


def _fix_row(shared: _Shared, fix: Fix, number: int, controller: _Controller) -> Any:
    button = shared.button(
        description=APPLY,
        button_style="success" if fix.verified else "",
        icon="check" if fix.verified else "",
        tooltip="Run in your namespace: " + fix.code,
    )
    button.add_class("kerashape-apply")
    button.on_click(controller.guard(controller.on_apply, number - 1))
    controller.applies.append(button)
    label = shared.line("%d. %s%s" % (number, esc(fix.title), badge_html(fix)))
    # The label wraps beside the button; the row never gets wider than the output area.
    return shared.widgets.HBox([button, label], layout=shared.row_layout)


def build_controls(d: Diagnosis, namespace: Optional[Dict[str, Any]] = None) -> Any:
    """Build the panel's controls for one diagnosis: the only part that is a widget.

    The diagnosis itself (sentence, table, cube, each fix's code, Details) is the static
    HTML of :func:`~kerashape_magic.render.html.render_html`, shown above the controls and
    readable wherever the notebook is opened. The controls, top to bottom: one row per fix,
    best first, with an **Apply** button (green for a verified fix) beside the fix's number,
    title and badge; **Undo** (disabled until an Apply succeeded, and again after undo);
    an ``Output`` with the clicks' results. Layouts and styles are shared (:class:`_Shared`).

    Args:
        d: the diagnosis; it should have fixes (without any, there is nothing to control).
        namespace: where Apply runs the code; ``None`` for the IPython user namespace
            at click time.

    Returns:
        An ``ipywidgets.VBox`` with the class ``kerashape-controls``.
    """
    import ipywidgets as widgets

    shared = _Shared(widgets)
    output = widgets.Output(layout=widgets.Layout(margin="2px 0"))
    output.add_class("kerashape-result")
    controller = _Controller(list(d.fixes), namespace, output)
    children: List[Any] = [shared.line(CONTROLS_HEAD)]
    children += [_fix_row(shared, f, i, controller) for i, f in enumerate(d.fixes, 1)]
    undo = shared.button(
        description=UNDO, icon="undo", disabled=True, tooltip="Put back the objects Apply rebound"
    )
    undo.add_class("kerashape-undo")
    undo.on_click(controller.guard(controller.on_undo))
    controller.undo_button = undo
    children += [undo, output]
    border = border_layout("1px solid rgba(128,128,128,.35)", "4px solid %s" % WARN)
    controls = widgets.VBox(
        children,
        # flex-start: each button keeps its own width instead of stretching across the box.
        layout=widgets.Layout(
            **border, padding="6px 12px", margin="0 0 6px 0", max_width="60em", align_items="flex-start"
        ),
    )
    controls.add_class("kerashape-controls")
    return controls


def controls_fallback(d: Diagnosis) -> Dict[str, str]:
    """What the controls' output shows where widgets cannot run (GitHub, nbviewer, nbconvert
    without widget state, a kernel that is gone): how to apply a fix from code.

    Returns:
        ``{"text/plain": ..., "text/html": ...}``.
    """
    last = len(d.fixes) - 1
    which = "fixes[0]" if last <= 0 else "fixes[0] \u2026 fixes[%d]" % last
    text = (
        "Apply and Undo are buttons in a running notebook. From code: "
        "`kerashape.apply(kerashape.last().%s)` runs a fix shown above; `kerashape.undo()` puts "
        "the old objects back." % which
    )
    page = '<div class="kerashape-controls-fallback" style="opacity:.8;font-size:12px">%s</div>' % esc(text)
    return {"text/plain": text.replace("`", ""), "text/html": page}
