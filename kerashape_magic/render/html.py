"""Self-contained HTML rendering of a diagnosis (``text/html``; saved in the notebook).

Inline styles only: no JavaScript, no external assets, no stylesheet. Colours are
translucent or mid-tone and the text colour is inherited, so the panel reads in light
and dark JupyterLab themes alike; mismatches are bold and labelled as well as coloured.
Every string from the diagnosis goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
import re
from typing import Iterable, List, Optional, Tuple

from ..core.types import Diagnosis, Fix
from ._common import (
    edit_lines,
    fmt_shape,
    graph_name,
    graph_sentence,
    key_message_line,
    layer_label,
    plain_paths,
    reset_sentence,
    result_phrase,
    scrub,
    side_axes,
    table_rows,
)

#: Warning colour (mismatched axes, "drops data"); the cube uses the same one.
WARN = "#e8590c"
#: Colour of the "verified" badge.
OK = "#2f9e44"
#: What the badges mean (their tooltip; the terminal demo says the same).
VERIFIED_MEANS = (
    "verified: this very code ran here on a slice of your data (at most 2 samples) and then your own "
    "call worked on the result"
)
NOT_VERIFIED_MEANS = "not verified: this code did not run that way here; Details says why"

_BORDER = "1px solid rgba(128,128,128,.35)"
_MONO = "var(--jp-code-font-family, SFMono-Regular, Menlo, Consolas, monospace)"
# Narrow windows: the panel is never wider than its output area (border-box, max-width 100%),
# code wraps inside its own box (pre-wrap, long words broken anywhere) instead of widening
# the panel, and the badge (nowrap) moves to the next line as a whole.
_PANEL = (
    "font-family:var(--jp-ui-font-family, system-ui, sans-serif);font-size:13px;"
    "line-height:1.45;color:inherit;border:%s;border-left:4px solid %s;border-radius:6px;"
    "padding:8px 12px;margin:6px 0 2px;box-sizing:border-box;max-width:60em;"
    "overflow-wrap:break-word" % (_BORDER, WARN)
)
_PRE = (
    "margin:4px 0;padding:6px 8px;background:rgba(128,128,128,.12);border-radius:4px;"
    "white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%%;box-sizing:border-box;"
    "user-select:text;font-family:%s;font-size:12px;line-height:1.4;color:inherit" % _MONO
)
_CELL = "padding:2px 10px;border-bottom:%s;text-align:%s;"
_BAD_CELL = "background:rgba(232,89,12,.18);font-weight:700;"
_BACKTICKS = re.compile(r"`([^`\n]+)`")


def esc(text: object) -> str:
    """Escape a diagnosis string for HTML (array dumps scrubbed); `backtick` spans become ``<code>``."""
    escaped = html.escape(scrub(str(text)))
    return _BACKTICKS.sub(r'<code style="font-family:%s;overflow-wrap:anywhere">\1</code>' % _MONO, escaped)


def sentence_html(d: Diagnosis) -> str:
    """The summary sentence as a ``<p>``, and, when the traceback names the layer otherwise
    (TensorFlow's graph name, ``sequential_1/lstm_1`` for ``lstm``), both names once."""
    page = '<p style="margin:2px 0 8px;font-weight:600">%s</p>' % esc(d.summary or "Incompatible input.")
    graph = graph_name(d)
    if graph:
        page += '<p style="margin:-4px 0 8px;opacity:.85">%s</p>' % esc(graph_sentence(d, graph))
    return page


def table_html(d: Diagnosis) -> str:
    """The shape table: one row per axis; rows that do not match are bold, tinted and labelled.

    Each ``<tr>`` carries ``data-status`` (``ok`` / ``mismatch`` / ``missing`` / ``extra``).
    """
    rows = table_rows(d)
    if not rows:
        return "<p>received %s, expected %s</p>" % (
            esc(fmt_shape(d.received_shape) if d.received_shape is not None else "an unknown shape"),
            esc(fmt_shape(d.expected_shape) if d.expected_shape is not None else "a shape not known here"),
        )
    head = "".join(
        '<th style="%s">%s</th>' % (_CELL % (_BORDER, align), label)
        for label, align in (("axis", "left"), ("received", "right"), ("expected", "right"), ("", "left"))
    )
    left, right = _CELL % (_BORDER, "left"), _CELL % (_BORDER, "right")
    body = []
    for name, received, expected, status in rows:
        if status == "ok":
            styles, mark = (left, right, right, left + "opacity:.6"), "ok"
        else:  # bold, tinted and labelled: not by colour alone
            bad = _BAD_CELL + right
            styles = (left + "font-weight:700", bad, bad, left + "font-weight:700;color:" + WARN)
            mark = "&#9888; " + esc(status)
        cells = zip(styles, (esc(name), esc(received), esc(expected), mark))
        body.append(
            '<tr data-status="%s">%s</tr>'
            % (html.escape(status), "".join('<td style="%s">%s</td>' % cell for cell in cells))
        )
    return (
        '<table style="border-collapse:collapse;margin:4px 0 8px;font-variant-numeric:tabular-nums;'
        'color:inherit;background:transparent"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
        % (head, "".join(body))
    )


def cube_alt(d: Diagnosis, side: str = "") -> str:
    """Alternative text for the cube: both shapes and the axes that differ.

    Args:
        d: the diagnosis.
        side: ``"received"`` or ``"expected"`` for the text of one half; ``""`` for both.
    """
    _, statuses, names = side_axes(d, "expected")
    bad = [n for n, s in zip(names, statuses) if s != "ok"]
    differs = "; differs on: %s" % ", ".join(bad) if bad else ""
    received = "received %s%s" % (
        d.received_name + " " if d.received_name else "",
        fmt_shape(d.received_shape),
    )
    expected = "expected %s by %s" % (fmt_shape(d.expected_shape), layer_label(d))
    if side in ("received", "expected"):
        text = received if side == "received" else expected
        return text[0].upper() + text[1:] + differs
    text = "Received %s%s beside the expected %s for %s" % (
        d.received_name + " " if d.received_name else "",
        fmt_shape(d.received_shape),
        fmt_shape(d.expected_shape),
        layer_label(d),
    )
    return text + differs


def cube_img(d: Diagnosis) -> str:
    """The cube as two ``<img>`` (received, expected) with inline base64 PNGs, or ``""``
    if drawing fails; a side whose shape is not known is left out.

    Side by side where there is room, one under the other where there is not (``flex-wrap``;
    where styles are stripped, as on GitHub, two inline images wrap the same way), each at its
    own 288 CSS px: the labels keep their size in narrow windows instead of shrinking with
    one wide picture.
    """
    try:
        from .cube import cube_pngs

        halves = cube_pngs(d)
    except Exception:  # matplotlib missing or broken: the table says the same
        return ""
    # A side whose shape is not known would be an empty picture saying so: the text says it.
    known = {"received": d.received_shape is not None, "expected": d.expected_shape is not None}
    imgs = "".join(
        '<img class="kerashape-cube" alt="%s" src="data:image/png;base64,%s" width="288" '
        'style="max-width:100%%;height:auto;display:block">'
        % (html.escape(cube_alt(d, side)), base64.b64encode(png).decode("ascii"))
        for side, png in zip(("received", "expected"), halves)
        if known[side]
    )
    if not imgs:
        return ""
    return (
        '<div style="display:flex;flex-wrap:wrap;gap:0 8px;margin:4px 0 8px;max-width:100%%">%s</div>' % imgs
    )


def badge_html(fix: Fix) -> str:
    """A small ``verified`` / ``not verified`` badge."""
    if fix.verified:
        style, label = "border:1px solid %s;color:%s" % (OK, OK), "&#10003; verified"
    else:
        style, label = "border:1px solid rgba(128,128,128,.6);opacity:.8", "not verified"
    return (
        '<span title="%s" style="%s;border-radius:9px;padding:0 7px;font-size:11px;font-weight:600;'
        'margin-left:6px;white-space:nowrap">%s</span>'
        % (html.escape(VERIFIED_MEANS if fix.verified else NOT_VERIFIED_MEANS), style, label)
    )


def fix_html(fix: Fix, number: int = 0, d: Optional[Diagnosis] = None) -> str:
    """One fix: title, badge, "drops data" warning, the exact code in a ``<pre>``, what it
    changes (``After Apply, `X_train` becomes (100, 24, 1).``, with ``d`` for the names), rationale."""
    parts = [
        '<div style="font-weight:600">%s%s%s</div>'
        % ("%d. " % number if number else "", esc(fix.title), badge_html(fix))
    ]
    if fix.loses_data:
        parts.append(
            '<div style="color:%s;font-weight:700">&#9888; Drops data: this fix removes '
            "values from your array.</div>" % WARN
        )
    parts.append('<pre style="%s">%s</pre>' % (_PRE, html.escape(fix.code)))
    reset = reset_sentence(fix)
    if reset:
        parts.append('<div style="opacity:.85;font-size:12px">%s</div>' % esc(reset))
    if fix.resulting_shape is not None:
        phrase = result_phrase(d, fix) if d is not None else None
        text = (
            phrase[0].upper() + phrase[1:] + "." if phrase else "Result: %s" % fmt_shape(fix.resulting_shape)
        )
        parts.append('<div class="kerashape-result-shape">%s</div>' % esc(text))
    if fix.rationale:
        parts.append('<div style="opacity:.85">%s</div>' % esc(fix.rationale))
    parts += [edit_html(heading, lines) for heading, lines in edit_lines(fix)]
    return '<div style="margin:6px 0 10px">%s</div>' % "".join(parts)


_EDIT_MARKS = {
    "+": ("rgba(47,158,68,.18)", "+ "),
    "-": ("rgba(232,89,12,.18)", "- "),
    " ": ("transparent", "  "),
}


def edit_html(heading: str, lines: List[Tuple[str, str]]) -> str:
    """One change to the user's cells (:func:`~._common.edit_lines`): the heading, then the
    changed lines marked ``+`` / ``-`` and tinted (the marks say it without colour)."""
    body = "".join(
        '<div style="background:%s">%s%s</div>'
        % (_EDIT_MARKS[mark][0], _EDIT_MARKS[mark][1], html.escape(text))
        for mark, text in lines
        if mark in _EDIT_MARKS
    )
    pre = '<pre class="kerashape-edit" style="%s">%s</pre>' % (_PRE, body) if body else ""
    return '<div style="margin-top:4px">%s</div>%s' % (esc(heading), pre)


def _items(title: str, items: Iterable[str]) -> str:
    lis = "".join("<li>%s</li>" % esc(i) for i in items)
    return '<div><b>%s</b><ul style="margin:2px 0 6px">%s</ul></div>' % (title, lis) if lis else ""


def notes_html(d: Diagnosis) -> str:
    """The notes as a list, or ``""``."""
    return _items("Notes", d.notes)


def details_html(d: Diagnosis) -> str:
    """The body of the Details section: message, findings, shape path, verification notes, and
    every candidate that was tried and ruled out, with the reason."""
    parts = [
        "<div>kind: <code>%s</code>%s</div>"
        % (esc(d.kind), " &middot; rule: <code>%s</code>" % esc(d.rule) if d.rule else "")
    ]
    if d.message:
        parts.append(
            "<div><b>Keras's message</b> (in full in the traceback above)</div>"
            '<pre style="%s">%s</pre>' % (_PRE, html.escape(scrub(key_message_line(d.message))))
        )
    parts.append(_items("Found", (plain_paths(item) for item in d.details)))
    path = ("%s: %s" % (name, fmt_shape(shape)) for name, shape in d.shape_path)
    parts.append(_items("Shape path (layer: output shape)", path))
    parts.append(_items("Could not inspect", d.uninspected))
    parts.append(
        _items(
            "Why not verified",
            (
                "%s: %s" % (f.title, plain_paths(f.verification or "not tried"))
                for f in d.fixes
                if not f.verified
            ),
        )
    )
    how = (
        "%s: %s" % (f.title, plain_paths(f.verification)) for f in d.fixes if f.verified and f.verification
    )
    parts.append(_items("How verified", how))
    ruled = ("%s: %s" % (title, plain_paths(why)) for title, why in getattr(d, "ruled_out", ()))
    parts.append(_items("Tried and ruled out", ruled))
    return "".join(parts)


def render_html(d: Diagnosis, cube: bool = True) -> str:
    """Render a diagnosis as one self-contained HTML panel.

    Args:
        d: the diagnosis.
        cube: include the received-vs-expected cube as an inline base64 PNG (skipped
            without a word if matplotlib cannot draw it).

    Returns:
        A ``<div>`` fragment: sentence, shape table, cube, notes, fixes best first (badge,
        exact code in a ``<pre>``, rationale, drops-data warning), "could not inspect",
        and a collapsed ``<details>`` section.
    """
    parts: List[str] = [sentence_html(d), table_html(d)]
    if cube:
        parts.append(cube_img(d))
    parts.append(notes_html(d))
    if d.fixes:
        parts.append('<div style="font-weight:600;margin-top:6px">Fixes, best first</div>')
        parts += [fix_html(f, i, d) for i, f in enumerate(d.fixes, 1)]
    if d.uninspected:
        parts.append("<div>Could not inspect: %s</div>" % "; ".join(esc(u) for u in d.uninspected))
    parts.append(
        '<details style="margin-top:4px"><summary style="cursor:pointer">Details</summary>'
        '<div style="padding:4px 0 0 12px">%s</div></details>' % details_html(d)
    )
    return '<div class="kerashape-panel" style="%s">%s</div>' % (_PANEL, "".join(parts))
