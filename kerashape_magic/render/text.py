"""Plain-text rendering of a diagnosis, for terminals and ``text/plain`` outputs.

No ANSI colours and no array contents (only shapes); the only non-ASCII character is
the ``—`` that marks an axis the data does not have.
"""

from __future__ import annotations

import textwrap
from typing import List

from ..core.types import Diagnosis, Fix
from ._common import (
    edit_lines,
    fmt_shape,
    graph_name,
    graph_sentence,
    reset_sentence,
    result_phrase,
    scrub,
    table_rows,
)

#: Marks a table row whose axis does not match (``status != "ok"``).
MARK = "!"
_INDENT = "      "


def _table(d: Diagnosis) -> List[str]:
    rows = table_rows(d)
    if not rows:
        return [
            "  received: %s" % fmt_shape(d.received_shape),
            "  expected: %s" % fmt_shape(d.expected_shape),
        ]
    header = ("axis", "received", "expected")
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(3)]
    fmt = "%s %-{0}s  %{1}s  %{2}s".format(*widths)
    lines = [(fmt % (" ", *header)).rstrip()]
    for name, received, expected, status in rows:
        mark = " " if status == "ok" else MARK
        line = fmt % (mark, name, received, expected)
        lines.append(line if status == "ok" else "%s  <- %s" % (line, status))
    return ["  " + line for line in lines]


def _fix_lines(number: int, fix: Fix, d: Diagnosis) -> List[str]:
    badge = "[verified]" if fix.verified else "[not verified]"
    head = "%d. %s %s" % (number, badge, fix.title)
    if fix.loses_data:
        head += " [drops data]"
    lines = ["  " + head]
    # The code keeps its own indentation: every line is shifted by the same prefix.
    lines += [(_INDENT + line).rstrip() for line in fix.code.splitlines()]
    reset = reset_sentence(fix)
    if reset:
        lines += textwrap.wrap(reset, width=88, initial_indent="     ", subsequent_indent="     ")
    phrase = result_phrase(d, fix)
    if phrase:
        lines.append("     %s" % phrase)
    elif fix.resulting_shape is not None:
        lines.append("     result: %s" % fmt_shape(fix.resulting_shape))
    if fix.rationale:
        lines += textwrap.wrap(
            scrub(fix.rationale), width=88, initial_indent="     why: ", subsequent_indent="          "
        )
    for heading, changed in edit_lines(fix):
        lines += textwrap.wrap(heading, width=88, initial_indent="     ", subsequent_indent="     ")
        lines += [("       %s %s" % (mark, text)).rstrip() for mark, text in changed]
    return lines


def render_text(d: Diagnosis) -> str:
    """Render a diagnosis as plain text.

    Layout: the summary sentence; the shape table (one row per axis: name, received,
    expected; ``any`` for a free size, ``—`` for an axis the data lacks, ``!`` and the
    status on rows that do not match); notes; the fixes, best first, each with
    ``[verified]`` / ``[not verified]``, its title, its code indented exactly as it
    runs, the resulting shape and its rationale; what could not be inspected; every candidate
    that was tried and ruled out, with the reason.

    Args:
        d: the diagnosis.

    Returns:
        The text, lines separated by ``\\n``, without a trailing newline.

    Example:
        >>> from kerashape_magic.core.types import AxisRow, Diagnosis
        >>> d = Diagnosis("feature_mismatch", "lstm", (100, 24, 1), (None, 24, 3), 2,
        ...               "LSTM 'lstm' expects 3 features; `X` has 1.",
        ...               rows=(AxisRow("batch_size", 100, None, "ok"),
        ...                     AxisRow("timesteps", 24, 24, "ok"),
        ...                     AxisRow("features", 1, 3, "mismatch")))
        >>> print(render_text(d))
        LSTM 'lstm' expects 3 features; `X` has 1.
        <BLANKLINE>
            axis        received  expected
            batch_size       100       any
            timesteps         24        24
          ! features           1         3  <- mismatch
    """
    lines = [scrub(d.summary or "Incompatible input.")]
    graph = graph_name(d)
    if graph:
        lines.append(graph_sentence(d, graph))
    lines.append("")
    lines += _table(d)
    if d.notes:
        lines.append("")
        lines += ["note: " + scrub(n) for n in d.notes]
    if d.fixes:
        lines += ["", "Fixes, best first:"]
        for i, fix in enumerate(d.fixes, 1):
            lines += _fix_lines(i, fix, d)
    if d.uninspected:
        lines += ["", "could not inspect: " + "; ".join(scrub(u) for u in d.uninspected)]
    ruled = getattr(d, "ruled_out", ())
    if ruled:
        lines += ["", "Tried and ruled out:"] + ["  - %s: %s" % (scrub(t), scrub(why)) for t, why in ruled]
    return "\n".join(lines)
